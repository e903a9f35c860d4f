/**
 * A content digest of one table that does not depend on the order rows are read in, so that two
 * stores holding the same rows give the same digest however each lays them out (PostgreSQL and SQLite
 * return unordered scans in different orders, and sorting a million-row table to digest it would cost
 * more than the copy). Each row is hashed (SHA-256 of its values, each tagged with its type and
 * length, so that NULL, empty text, a number and the same digits as text, and text and bytes all
 * differ), and the row hashes are added modulo 2^256: a multiset hash, equal for equal
 * multisets of rows, where a changed, missing or extra row changes the sum. The table's name, its
 * columns and the row count go into the final digest beside the sum.
 */
import { createHash } from 'node:crypto';
import type { Cell } from './table-copy.ts';

const MOD = 1n << 256n;

export interface TableDigest {
  rows: number;
  /** 64 hex digits */
  digest: string;
}

export class TableDigester {
  private sum = 0n;
  private count = 0;

  constructor(
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  add(row: readonly Cell[]): void {
    const h = createHash('sha256');
    for (const v of row) {
      if (v === null) h.update('N;');
      else if (typeof v === 'number') h.update(`n${v};`);
      // a length in UTF-16 units, then the text: where the text ends is unambiguous
      else if (typeof v === 'string') h.update(`t${v.length}:`).update(v);
      else h.update(`b${v.length}:`).update(v);
    }
    this.sum = (this.sum + BigInt(`0x${h.digest('hex')}`)) % MOD;
    this.count++;
  }

  result(): TableDigest {
    const digest = createHash('sha256')
      .update(`${this.table}\n${this.columns.join(',')}\n${this.count}\n${this.sum.toString(16).padStart(64, '0')}\n`)
      .digest('hex');
    return { rows: this.count, digest };
  }
}

/** The digest of a whole table read from a store. */
export function digestRows(table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): TableDigest {
  const d = new TableDigester(table, columns);
  for (const row of rows) d.add(row);
  return d.result();
}

/** Passes rows through unchanged, adding each to a digest on the way. */
export function* digestingRows(rows: Iterable<Cell[]>, digester: TableDigester): IterableIterator<Cell[]> {
  for (const row of rows) {
    digester.add(row);
    yield row;
  }
}
