/**
 * xs:dateTime as peers write it and as Jala writes it. Peers send `1900-01-01T01:01:01+0000` (no
 * colon in the offset), `2014-03-17T09:30:47.0Z`, `2023-10-04T15:22:00.543778Z`, dates without a
 * time or a zone: all are read. Jala writes `YYYY-MM-DDTHH:MM:SS.sssZ`, which every schema accepts.
 */

const LENIENT = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$/;

/** A timestamp read leniently, as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC); undefined when it is no date at all. */
export function parseDateTime(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = LENIENT.exec(raw);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  const ms = frac === '' ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), Math.min(ms, 999));
  // a day that does not exist (31 April) rolls over in Date: refuse it
  if (date.getUTCDate() !== day && hour !== 24) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const t = date.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(t)) return undefined;
  return formatDateTime(new Date(t));
}

/** The calendar date as the sender wrote it (`YYYY-MM-DD`), for due dates; undefined when unreadable. */
export function calendarDate(raw: string | undefined): string | undefined {
  if (parseDateTime(raw) === undefined) return undefined;
  return LENIENT.exec(raw as string)?.slice(1, 4).join('-');
}

const STRICT = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Is this an xs:dateTime a schema accepts as written? */
export function isXsDateTime(value: string): boolean {
  return STRICT.test(value) && parseDateTime(value) !== undefined;
}

/** A Date as xs:dateTime in UTC with milliseconds (also for years before 1000). */
export function formatDateTime(date: Date): string {
  const iso = date.toISOString();
  // toISOString writes years outside 0000–9999 as ±YYYYYY; ISO 18626 dates never go there
  return iso;
}

/**
 * A Jala due date (`YYYY-MM-DD`) as xs:dateTime: noon UTC, which is the same calendar day for every
 * partner between UTC−11 and UTC+11 (Indonesia is UTC+7 to +9), so the day a partner reads is the day meant.
 */
export function dueDateTime(date: string): string {
  return `${date}T12:00:00.000Z`;
}
