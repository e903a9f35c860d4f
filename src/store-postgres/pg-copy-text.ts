/**
 * PostgreSQL's COPY text format (one line per row, columns separated by tabs, \N for null), as
 * PgDatabase.copyIn sends it: used by `jala migrate-store` (pg-table-copy.ts) and the bulk load's
 * renumbering of works (pg-bulk-catalog.ts); the bulk load's rows go in the binary format
 * (pg-copy-binary.ts).
 */
export type CopyCell = string | number | Uint8Array | null;

/** Rows in COPY's text format, about a megabyte per chunk. */
export function* copyText(rows: Iterable<CopyCell[]>): IterableIterator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += copyLine(row);
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** One row, with its newline. */
export function copyLine(row: readonly CopyCell[]): string {
  return `${row.map(copyValue).join('\t')}\n`;
}

/** One column: null as \N, bytes as bytea hex, text with backslash, newline, return and tab escaped. */
export function copyValue(v: CopyCell): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  return /[\\\n\r\t]/.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : v;
}
