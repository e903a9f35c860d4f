import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { Logger } from '../../src/index.ts';

/** What the adapter logs: an event name and a few fields — never user ids, tokens or message text. */
export type DiscordLog = (level: 'info' | 'warn' | 'error', event: string, detail?: Record<string, unknown>) => void;

/** The adapter's log written through the one Logger (which redacts what names a person). */
export function discordLogOf(logger: Logger): DiscordLog {
  return (level, event, detail) => logger[level](event, detail);
}

/** A short, stable description of a failure: a code to log and to store on the outbox row. */
export function describeError(err: unknown): { code: string; status?: number; message: string; cause?: string } {
  if (err instanceof DiscordAPIError) return { code: `discord/api-${err.code}`, status: err.status, message: err.message };
  if (err instanceof HTTPError) return { code: `discord/http-${err.status}`, status: err.status, message: err.message };
  if (err instanceof RateLimitError) return { code: 'discord/rate-limited', status: 429, message: `retry after ${err.retryAfter} ms` };
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      code: typeof code === 'string' ? code : `internal/${err.name}`,
      message: err.message,
      ...(err.cause instanceof Error ? { cause: err.cause.message } : {}),
    };
  }
  return { code: 'internal/unknown', message: String(err) };
}
