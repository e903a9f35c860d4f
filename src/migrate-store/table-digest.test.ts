import { describe, expect, it } from 'vitest';
import { digestRows } from './table-digest.ts';
import type { Cell } from './table-copy.ts';

const cols = ['id', 'title', 'note'];
const rows: Cell[][] = [
  [1, 'Laskar Pelangi', null],
  [2, 'Bumi Manusia', ''],
  [3, 'Ronggeng Dukuh Paruk', 'tab\there, newline\nthere'],
];

describe('a table digest', () => {
  it('is the same whatever order the rows are read in', () => {
    expect(digestRows('works', cols, [...rows].reverse())).toEqual(digestRows('works', cols, rows));
    expect(digestRows('works', cols, rows).rows).toBe(3);
  });

  it('changes when a value changes, a row is missing, a row is doubled, or NULL becomes empty text', () => {
    const base = digestRows('works', cols, rows).digest;
    const variants: Cell[][][] = [
      [[1, 'Laskar Pelangi!', null], rows[1]!, rows[2]!],
      [rows[0]!, rows[1]!],
      [...rows, rows[0]!],
      [[1, 'Laskar Pelangi', ''], rows[1]!, rows[2]!],
      // the same multiset of values moved between rows
      [[1, 'Bumi Manusia', null], [2, 'Laskar Pelangi', ''], rows[2]!],
    ];
    for (const v of variants) expect(digestRows('works', cols, v).digest).not.toBe(base);
  });

  it('tells an integer from the same digits as text, and bytes from text', () => {
    expect(digestRows('t', ['v'], [[1]]).digest).not.toBe(digestRows('t', ['v'], [['1']]).digest);
    expect(digestRows('t', ['v'], [[Buffer.from('ab')]]).digest).not.toBe(digestRows('t', ['v'], [['ab']]).digest);
    expect(digestRows('t', ['v'], [[Buffer.from('ab')]]).digest).toBe(digestRows('t', ['v'], [[new Uint8Array([0x61, 0x62])]]).digest);
  });

  it('names the table and its columns: equal rows under another name or column list differ', () => {
    expect(digestRows('a', cols, rows).digest).not.toBe(digestRows('b', cols, rows).digest);
    expect(digestRows('a', cols, rows).digest).not.toBe(digestRows('a', ['id', 'note', 'title'], rows).digest);
  });
});
