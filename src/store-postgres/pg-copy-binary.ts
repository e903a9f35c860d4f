/**
 * PostgreSQL's binary COPY format (COPY … FROM STDIN WITH (FORMAT binary)), written straight into
 * buffers: the bulk load's rows (pg-bulk-catalog-store.ts). Against the text format it spares the
 * loader a string per row, the escaping of every text and the hex form of every ISO 2709 record
 * (twice its bytes), and spares the server their parsing: a text goes as its UTF-8 bytes, bytes as
 * they are, a number as 4 or 8 bytes.
 *
 * The stream: a signature, flags and header extension length (both 0); per row a 16-bit column count
 * and per column a 32-bit length (−1: null) and the value; a 16-bit −1 at the end. The server reads a
 * value by the column's type (its `recv` function), so each column's type here must be the table's:
 * `checkBinaryColumns` compares them before the first row is sent.
 */
import type { PgDatabase } from './pg-database.ts';

/** The column types written: text (and any text-like type), bigint, integer, bytea. */
export type BinaryColumnType = 'text' | 'int8' | 'int4' | 'bytea';
export type BinaryCell = string | number | Uint8Array | null;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TWO_32 = 2 ** 32;

/** PostgreSQL's name of each type (format_type) */
const SERVER_TYPE: Record<BinaryColumnType, string> = { text: 'text', int8: 'bigint', int4: 'integer', bytea: 'bytea' };

/**
 * Rows of one table in the binary COPY format, gathered in buffers of about `chunkBytes` (a value
 * larger than that gets a buffer of its own size). `take` hands over one complete COPY stream (header,
 * rows, trailer) and starts afresh.
 */
export class BinaryCopyRows {
  private readonly done: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  /** bytes of the rows gathered since the last take */
  bytes = 0;
  /** rows gathered since the last take */
  rows = 0;

  constructor(
    private readonly types: readonly BinaryColumnType[],
    private readonly chunkBytes = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.header();
  }

  /** One row, its cells in the order of the types. */
  row(cells: readonly BinaryCell[]): void {
    const types = this.types;
    if (cells.length !== types.length) throw new Error(`binary COPY: a row of ${cells.length} cells for ${types.length} columns`);
    this.room(2);
    this.buf.writeInt16BE(types.length, this.pos);
    this.pos += 2;
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (v === null || v === undefined) {
        this.room(4);
        this.buf.writeInt32BE(-1, this.pos);
        this.pos += 4;
        continue;
      }
      const type = types[i]!;
      if (type === 'text') {
        if (typeof v !== 'string') throw new Error(`binary COPY: column ${i + 1} is text, given ${typeof v}`);
        this.text(v);
      } else if (type === 'bytea') {
        const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
        if (typeof bytes === 'number') throw new Error(`binary COPY: column ${i + 1} is bytea, given a number`);
        this.room(4 + bytes.byteLength);
        this.buf.writeInt32BE(bytes.byteLength, this.pos);
        this.buf.set(bytes, this.pos + 4);
        this.pos += 4 + bytes.byteLength;
      } else {
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Error(`binary COPY: column ${i + 1} is ${type}, given ${String(v)}`);
        if (type === 'int4') {
          this.room(8);
          this.buf.writeInt32BE(4, this.pos);
          this.buf.writeInt32BE(v, this.pos + 4);
          this.pos += 8;
        } else {
          this.room(12);
          this.buf.writeInt32BE(8, this.pos);
          // high and low 32 bits; a negative number's high word is its floor (two's complement)
          this.buf.writeInt32BE(Math.floor(v / TWO_32), this.pos + 4);
          this.buf.writeUInt32BE(v >>> 0, this.pos + 8);
          this.pos += 12;
        }
      }
    }
    this.rows++;
  }

  /** The COPY stream of the rows gathered (header, rows, trailer), in buffers; then empty again. */
  take(): Buffer[] {
    this.room(2);
    this.buf.writeInt16BE(-1, this.pos);
    this.pos += 2;
    this.seal();
    const out = this.done.splice(0);
    this.buf = Buffer.allocUnsafe(this.chunkBytes);
    this.pos = 0;
    this.bytes = 0;
    this.rows = 0;
    this.header();
    return out;
  }

  /** the bytes gathered, this buffer's included */
  get size(): number {
    return this.bytes + this.pos;
  }

  private header(): void {
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, SIGNATURE.length);
    this.buf.writeInt32BE(0, SIGNATURE.length + 4);
    this.pos = SIGNATURE.length + 8;
  }

  private text(s: string): void {
    // a UTF-16 unit takes at most 3 UTF-8 bytes; the exact length is counted only near a buffer's end
    if (this.buf.length - this.pos < 4 + s.length * 3) this.room(4 + Buffer.byteLength(s, 'utf8'));
    const n = this.buf.write(s, this.pos + 4, 'utf8');
    this.buf.writeInt32BE(n, this.pos);
    this.pos += 4 + n;
  }

  /** Makes room for `n` more bytes: the buffer is sealed and a new one begun when it has not. */
  private room(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.seal();
    this.buf = Buffer.allocUnsafe(Math.max(this.chunkBytes, n));
    this.pos = 0;
  }

  private seal(): void {
    if (this.pos === 0) return;
    this.done.push(this.buf.subarray(0, this.pos));
    this.bytes += this.pos;
  }
}

/**
 * Checks that a table's columns have the types the binary rows give them (the server reads each value
 * by its column's type, and a value of another type is misread or refused): a list of differences,
 * empty when they agree.
 */
export function binaryColumnMismatches(db: PgDatabase, schema: string, table: string, columns: readonly string[], types: readonly BinaryColumnType[]): string[] {
  const rows = db.all<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, table],
  );
  const actual = new Map(rows.map((r) => [r.name, r.type]));
  const out: string[] = [];
  columns.forEach((column, i) => {
    const want = SERVER_TYPE[types[i]!];
    const have = actual.get(column);
    if (have !== want) out.push(`${table}.${column} is ${have ?? 'missing'}, written as ${want}`);
  });
  return out;
}
