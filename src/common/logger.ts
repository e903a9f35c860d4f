/**
 * The log port: an event name (`discord/delivery-failed`, `slack/outbox-retry`) and a few fields. One
 * implementation writes it (pino-logger.ts); the core and the adapters log through this interface
 * only, so there is one log shape, and the redaction of personal data is in one place.
 *
 * Patron identities are personal data and never reach a log: fields named after a person (userId,
 * patron, requester, username, displayName, …) are replaced, and so are id-shaped words inside any
 * string (Discord snowflakes, Slack user ids), e.g. in an error message that quotes a URL.
 */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** a logger whose lines all carry these fields (e.g. `{ component: 'slack' }`) */
  child(bindings: LogFields): Logger;
}

/** A logger that writes nothing (tests, and work that has no one to report to). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/** What replaces a personal value in a log line. */
export const REDACTED = '[redacted]';

/** Field names whose values name or identify a person, at any depth. */
export const PERSONAL_KEYS: readonly string[] = [
  'userId', 'user', 'users', 'patron', 'patronId', 'patronName', 'requester', 'requesterId', 'requesterName',
  'actor', 'username', 'userName', 'displayName', 'display_name', 'globalName', 'global_name', 'realName', 'real_name',
  'name', 'email', 'text', 'note', 'dmChannel',
];

const PERSONAL = new Set(PERSONAL_KEYS.map((k) => k.toLowerCase()));

/** Discord snowflakes (17–20 digits) and Slack user/bot ids (U…, W…, B… with 8 or more capitals and digits). */
const ID_WORD = /\b(?:\d{17,20}|[UWB][A-Z0-9]{8,})\b/g;

/** A string with the id-shaped words replaced. */
export function scrubIds(text: string): string {
  return text.replace(ID_WORD, REDACTED);
}

/**
 * Log fields made safe: personal keys replaced at any depth, id-shaped words in strings replaced,
 * errors reduced to their code and message (scrubbed), no stacks.
 */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubIds(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}), message: scrubIds(value.message) };
  }
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = PERSONAL.has(k.toLowerCase()) ? REDACTED : redactFields(v, depth + 1);
  return out;
}
