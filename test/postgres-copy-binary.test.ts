/**
 * BinaryCopyRows (the PostgreSQL bulk load's rows in COPY's binary format, issue 20) on a real
 * PostgreSQL: what goes in comes back exactly — texts with the characters the text format escapes,
 * characters outside the BMP, texts larger than a buffer, every byte value, nulls, numbers past 32
 * bits and below zero — and a table whose column types differ from the ones written is found before a
 * row is sent. Without PostgreSQL: skipped, one line.
 */
import { beforeEach, expect, it } from 'vitest';
import type { PgDatabase } from '../src/store-postgres/pg-database.ts';
import { BinaryCopyRows, binaryColumnMismatches, type BinaryCell, type BinaryColumnType } from '../src/store-postgres/pg-copy-binary.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresConnection } from './support/postgres-suite.ts';
import { describeWithTools } from './support/system-tools.ts';

const COLUMNS = ['big', 'small', 'name', 'bytes'];
const TYPES: BinaryColumnType[] = ['int8', 'int4', 'text', 'bytea'];
const COPY = 'COPY t (big, small, name, bytes) FROM STDIN WITH (FORMAT binary)';

describeWithTools([POSTGRES_TOOL], 'BinaryCopyRows: the bulk load\'s rows in COPY\'s binary format', () => {
  const connection = usePostgresConnection((d) => d.exec('CREATE TABLE t (n serial PRIMARY KEY, big bigint, small integer, name text COLLATE "C", bytes bytea)'));
  let db: PgDatabase;

  beforeEach(() => {
    db = connection();
    db.exec('TRUNCATE t RESTART IDENTITY');
  });

  function readBack(): Array<{ big: string | null; small: number | null; name: string | null; hex: string | null }> {
    return db.all('SELECT big::text AS big, small, name, encode(bytes, \'hex\') AS hex FROM t ORDER BY n');
  }

  it('stores every value as given, across buffers smaller than some of the values', () => {
    const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const long = `${'Pendidikan karakter — '.repeat(400)}🙂`;
    const rows: BinaryCell[][] = [
      [1, 1, 'plain', null],
      [2 ** 40 + 7, -5, 'tab\there, newline\nthere, back\\slash, return\r, \\N as text', allBytes],
      [-(2 ** 40) - 3, 2 ** 31 - 1, 'Ejaan: "ë", é, ß, 中文, 𝄞 and 🙂 outside the BMP', new Uint8Array(0)],
      [Number.MAX_SAFE_INTEGER, -(2 ** 31), long, Buffer.from(long, 'utf8')],
      [null, null, '', Buffer.from('00 1e 1f 1d', 'utf8')],
    ];
    // 64-byte buffers: the long text and most rows straddle them
    const copy = new BinaryCopyRows(TYPES, 64);
    for (const r of rows) copy.row(r);
    expect(copy.rows).toBe(5);
    const chunks = copy.take();
    expect(chunks.length).toBeGreaterThan(3);
    expect(copy.rows).toBe(0);
    expect(db.copyIn(COPY, chunks)).toBe(5);
    const back = readBack();
    expect(back).toEqual(
      rows.map(([big, small, name, bytes]) => ({
        big: big === null ? null : BigInt(big as number).toString(),
        small,
        name,
        hex: bytes === null ? null : Buffer.from(bytes as Uint8Array).toString('hex'),
      })),
    );
    // the characters the text format would have escaped arrive as they are
    expect(back[1]!.name).toContain('\t');
    expect(back[3]!.name).toHaveLength(long.length);
  });

  it('starts a fresh stream after each take, so that a COPY sent ahead and the next one both go in', () => {
    const copy = new BinaryCopyRows(TYPES);
    for (let i = 1; i <= 20_000; i++) copy.row([i, i % 1000, `row ${i}`, null]);
    db.copyAhead(COPY, copy.take());
    for (let i = 20_001; i <= 30_000; i++) copy.row([i, i % 1000, `row ${i}`, Buffer.from([i % 256])]);
    db.copyIn(COPY, copy.take());
    expect(db.get('SELECT count(*)::int AS n, sum(big)::text AS s, count(bytes)::int AS b FROM t')).toEqual({ n: 30_000, s: String((30_000 * 30_001) / 2), b: 10_000 });
  });

  it('refuses a cell that is not of its column\'s kind before anything is sent', () => {
    const copy = new BinaryCopyRows(TYPES);
    expect(() => copy.row(['1', 1, 'x', null])).toThrow(/column 1 is int8, given 1/);
    expect(() => copy.row([1, 1.5, 'x', null])).toThrow(/column 2 is int4, given 1.5/);
    expect(() => copy.row([1, 1, 7, null])).toThrow(/column 3 is text, given number/);
    expect(() => copy.row([1, 1])).toThrow(/a row of 2 cells for 4 columns/);
  });

  it('names the columns whose types differ from the ones written', () => {
    expect(binaryColumnMismatches(db, 'public', 't', COLUMNS, TYPES)).toEqual([]);
    expect(binaryColumnMismatches(db, 'public', 't', COLUMNS, ['int4', 'int4', 'text', 'text'])).toEqual([
      't.big is bigint, written as integer',
      't.bytes is bytea, written as text',
    ]);
    expect(binaryColumnMismatches(db, 'public', 't', ['big', 'gone'], ['int8', 'text'])).toEqual(['t.gone is missing, written as text']);
  });
});
