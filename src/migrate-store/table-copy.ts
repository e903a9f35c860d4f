/**
 * The ports `jala migrate-store` copies through: a store read table by table (TableSource) and a store
 * written table by table (TableTarget). SQLite and PostgreSQL each implement both
 * (src/store/sqlite-table-copy.ts, src/store-postgres/pg-table-copy.ts); the copy itself, the
 * comparison of the two schemas and the digests are here and know neither.
 */
import type { CatalogDigest } from '../catalog/catalog-store.ts';

/** One column value as the stores hand them over: text, an integer or a real, NULL, or bytes. */
export type Cell = string | number | null | Uint8Array;

/** A table and its columns, in the store's own column order. */
export interface TableShape {
  name: string;
  columns: string[];
}

/** A foreign key between two tables: `table` names rows of `references`. */
export interface TableReference {
  table: string;
  references: string;
}

export interface TableSource {
  readonly kind: 'sqlite' | 'postgres';
  /** where it is, printable: a file path, or a URL without its password */
  readonly label: string;
  /** every table of the consortium, without the store's own bookkeeping (PostgreSQL's jala_schema) */
  tables(): TableShape[];
  /** a table's rows, the named columns in that order; streamed, from one consistent snapshot */
  rows(table: string, columns: readonly string[]): Iterable<Cell[]>;
  /** what `jala stats --digest` prints for this store */
  catalogDigest(): CatalogDigest;
  /** ends the snapshot and closes the connection */
  close(): void;
}

/**
 * A store being filled. Nothing written is visible to anyone else until `commit`: PostgreSQL writes in
 * one transaction, SQLite into a file beside the target that `commit` renames into place. `abort`
 * (or `close` without `commit`) leaves the target as it was.
 */
export interface TableTarget extends TableSource {
  /** the foreign keys between its tables (the load order puts referenced tables first) */
  references(): TableReference[];
  /** the tables that hold rows now, with how many */
  nonEmptyTables(): Array<{ table: string; rows: number }>;
  /** empties every table (the operator said to overwrite) */
  clear(): void;
  /** writes rows; returns how many were written */
  load(table: string, columns: readonly string[], rows: Iterable<Cell[]>): number;
  /** after the last table: identity sequences moved past the copied ids, foreign keys checked */
  finishLoad(): void;
  commit(): void;
  abort(): void;
}

/** The source names no Jala store (no database file there, or a PostgreSQL database Jala never used). */
export class NoStoreThere extends Error {
  constructor(readonly store: string) {
    super(`no Jala store at ${store}`);
    this.name = 'NoStoreThere';
  }
}
