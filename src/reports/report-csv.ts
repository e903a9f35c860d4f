/** CSV (RFC 4180, CRLF, UTF-8) of the collection reports, for spreadsheets. */
import type { OverlapReport, UniqueReport } from './collection-overlap.ts';

export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string {
  const cell = (v: string | number | undefined): string => {
    const s = v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function overlapCsv(r: OverlapReport): string {
  const [a, b] = r.libraries;
  const sideText = { both: 'both', first: `only ${a}`, second: `only ${b}` } as const;
  return toCsv(
    ['work', 'title', 'author', 'year', 'format', 'subject', 'holders', 'overlap'],
    r.rows.map((w) => [w.workId, w.title, w.author, w.year, w.format, w.subject, w.holders.join(' '), sideText[w.side]]),
  );
}

export function uniqueCsv(r: UniqueReport): string {
  return toCsv(
    ['work', 'title', 'author', 'year', 'format', 'subject', 'items', 'available'],
    r.rows.map((w) => [w.workId, w.title, w.author, w.year, w.format, w.subject, w.items, w.available]),
  );
}
