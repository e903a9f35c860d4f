/**
 * OAI-PMH datestamps: UTC at second granularity (YYYY-MM-DDThh:mm:ssZ), the repository's
 * granularity; `from` and `until` may also be days (YYYY-MM-DD), both of the same granularity.
 */

export const GRANULARITY = 'YYYY-MM-DDThh:mm:ssZ';

/** Now, as a datestamp. */
export function datestampOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type DateArgument = { granularity: 'day' | 'second'; value: string };

/** A from/until argument, or undefined when it is not a valid date of either granularity. */
export function parseDateArgument(raw: string): DateArgument | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const second = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(raw);
  const m = day ?? second;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)));
  // 2026-02-30 or 25:00:00 roll over: refuse them
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  if (second && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) return undefined;
  return { granularity: day ? 'day' : 'second', value: raw };
}

/** The inclusive lower bound a from argument stands for. */
export function fromBound(arg: DateArgument): string {
  return arg.granularity === 'day' ? `${arg.value}T00:00:00Z` : arg.value;
}

/** The inclusive upper bound an until argument stands for (a day runs to its last second). */
export function untilBound(arg: DateArgument): string {
  return arg.granularity === 'day' ? `${arg.value}T23:59:59Z` : arg.value;
}
