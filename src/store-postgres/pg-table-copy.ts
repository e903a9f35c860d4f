/**
 * PostgreSQL's side of `jala migrate-store` (src/migrate-store): a database read table by table
 * from one snapshot (a REPEATABLE READ transaction, cursors a page at a time), and a database written
 * in one transaction with COPY — its tables locked against every other writer and reader for the
 * duration, committed only after the copy has been verified, so nobody ever sees it half-written.
 */
import type { CatalogDigest } from '../catalog/catalog-store.ts';
import { RowsRejected } from '../migrate-store/copy-store.ts';
import { NoStoreThere, type Cell, type TableReference, type TableShape, type TableSource, type TableTarget } from '../migrate-store/table-copy.ts';
import { StoreError } from '../store/open-database.ts';
import { PgCatalogStore } from './pg-catalog-store.ts';
import { copyText } from './pg-copy-text.ts';
import { openPgDatabase, PgDatabase, redact } from './pg-database.ts';

/** The store's own bookkeeping, not part of the consortium: which migrations have run. */
const BOOKKEEPING = new Set(['jala_schema']);
/**
 * The PostgreSQL full-text index's tables: derived from the catalog (by its change sequence) wherever
 * it is, so not copied; the index of a database they are missing from builds itself at its first open.
 */
const DERIVED = new Set(['work_search', 'search_words', 'search_state']);

/**
 * The explicit mapping between the two schemas where they differ in shape. SQLite keeps a record's MARC
 * in one column of either type (records.marc: JSON text, or the ISO 2709 bytes as a BLOB); PostgreSQL
 * types its columns, so it keeps the text in marc and the bytes in marc_iso2709, one of them set. The
 * copy sees the one logical column SQLite has: read here as the bytes when there are bytes, else the
 * text; written here into whichever column fits the value. Both sides' digests are over that column.
 */
const SPLIT_COLUMNS: ReadonlyArray<{ table: string; column: string; bytes: string }> = [{ table: 'records', column: 'marc', bytes: 'marc_iso2709' }];

function splitOf(table: string, column: string): { bytes: string } | undefined {
  return SPLIT_COLUMNS.find((s) => s.table === table && s.column === column);
}

/** The stored columns behind logical ones: a split column is its text column and its bytes column. */
function storedColumns(table: string, columns: readonly string[]): string[] {
  return columns.flatMap((c) => {
    const split = splitOf(table, c);
    return split ? [c, split.bytes] : [c];
  });
}

/** An identifier in double quotes (the names come from the schema itself). */
const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function tablesOf(db: PgDatabase): TableShape[] {
  const rows = db.all<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const out = new Map<string, string[]>();
  const hidden = new Set(SPLIT_COLUMNS.map((c) => `${c.table}.${c.bytes}`));
  for (const r of rows) {
    if (BOOKKEEPING.has(r.table_name) || DERIVED.has(r.table_name) || hidden.has(`${r.table_name}.${r.column_name}`)) continue;
    out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
  }
  return [...out].map(([name, columns]) => ({ name, columns }));
}

function* rowsOf(db: PgDatabase, table: string, columns: readonly string[]): IterableIterator<Cell[]> {
  const splits = columns.map((c) => splitOf(table, c)?.bytes);
  for (const row of db.iterate<Record<string, Cell>>(`SELECT ${storedColumns(table, columns).map(q).join(', ')} FROM ${q(table)}`)) {
    yield columns.map((c, i) => {
      const bytes = splits[i];
      return (bytes !== undefined ? (row[bytes] ?? row[c]) : row[c]) ?? null;
    });
  }
}

/** A Jala PostgreSQL database, read from one snapshot until closed. */
export class PgTableSource implements TableSource {
  readonly kind = 'postgres' as const;
  private readonly db: PgDatabase;

  constructor(readonly url: string) {
    // a database Jala never used is no consortium to copy: refuse it rather than create a schema in it
    const probe = new PgDatabase(url);
    try {
      if (probe.get<{ t: string | null }>("SELECT to_regclass('jala_schema')::text AS t")?.t == null) {
        throw new NoStoreThere(`PostgreSQL ${redact(url)}`);
      }
    } finally {
      probe.close();
    }
    this.db = openPgDatabase(url);
    this.db.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  get label(): string {
    return `PostgreSQL ${redact(this.url)}`;
  }

  tables(): TableShape[] {
    return tablesOf(this.db);
  }

  rows(table: string, columns: readonly string[]): Iterable<Cell[]> {
    return rowsOf(this.db, table, columns);
  }

  catalogDigest(): CatalogDigest {
    return new PgCatalogStore(this.db).digest();
  }

  close(): void {
    try {
      if (this.db.inTransaction) this.db.end(true);
    } finally {
      this.db.close();
    }
  }
}

/**
 * A Jala PostgreSQL database to fill (its schema created or brought up to date first). Everything
 * happens in one transaction that starts by locking every table: replicas using the database wait
 * until the copy is committed or rolled back.
 */
export class PgTableTarget implements TableTarget {
  readonly kind = 'postgres' as const;
  private readonly db: PgDatabase;
  private done = false;
  private indexes: Array<{ name: string; def: string }> = [];

  constructor(readonly url: string) {
    this.db = openPgDatabase(url);
    try {
      this.db.begin();
      const names = tablesOf(this.db).map((t) => q(t.name));
      if (names.length > 0) this.db.exec(`LOCK TABLE ${names.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      // a full-text index of what was here before describes another catalog: emptied, so that it is built from the copy at its next open
      this.db.exec(`TRUNCATE ${[...DERIVED].map(q).join(', ')}`);
      // secondary indexes (not those behind a primary key or unique constraint) are built once over the
      // copied rows (finishLoad) instead of row by row; dropped inside the transaction, so a rollback keeps them
      this.indexes = this.db.all<{ name: string; def: string }>(
        `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
          WHERE i.schemaname = current_schema() AND i.tablename <> 'jala_schema'
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))`,
      );
      for (const i of this.indexes) this.db.exec(`DROP INDEX ${q(i.name)}`);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  get label(): string {
    return `PostgreSQL ${redact(this.url)}`;
  }

  tables(): TableShape[] {
    return tablesOf(this.db);
  }

  references(): TableReference[] {
    return this.db.all<TableReference>(
      `SELECT c.conrelid::regclass::text AS "table", c.confrelid::regclass::text AS "references"
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = current_schema()`,
    ).map((r) => ({ table: unquote(r.table), references: unquote(r.references) }));
  }

  nonEmptyTables(): Array<{ table: string; rows: number }> {
    const out: Array<{ table: string; rows: number }> = [];
    for (const t of tablesOf(this.db)) {
      const any = this.db.get(`SELECT 1 FROM ${q(t.name)} LIMIT 1`);
      if (any) out.push({ table: t.name, rows: this.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${q(t.name)}`)!.n });
    }
    return out;
  }

  clear(): void {
    const names = tablesOf(this.db).map((t) => q(t.name));
    if (names.length > 0) this.db.exec(`TRUNCATE ${names.join(', ')} RESTART IDENTITY`);
  }

  load(table: string, columns: readonly string[], rows: Iterable<Cell[]>): number {
    try {
      const splits = columns.map((c) => splitOf(table, c) !== undefined);
      const stored = splits.some(Boolean) ? mapRows(rows, (row) => row.flatMap((v, i) => (!splits[i] ? [v] : v instanceof Uint8Array ? [null, v] : [v, null]))) : rows;
      return this.db.copyIn(`COPY ${q(table)} (${storedColumns(table, columns).map(q).join(', ')}) FROM STDIN`, copyText(stored));
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new RowsRejected(table, firstLine(e));
    }
  }

  rows(table: string, columns: readonly string[]): Iterable<Cell[]> {
    return rowsOf(this.db, table, columns);
  }

  catalogDigest(): CatalogDigest {
    return new PgCatalogStore(this.db).digest();
  }

  finishLoad(): void {
    for (const i of this.indexes) this.db.exec(i.def);
    // identity columns: the next id after the copied ones, as SQLite's next rowid would be
    const identities = this.db.all<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
    );
    for (const { table_name: t, column_name: c } of identities) {
      this.db.get(`SELECT setval(pg_get_serial_sequence($1, $2), max(${q(c)})) FROM ${q(t)} HAVING max(${q(c)}) IS NOT NULL`, [q(t), c]);
    }
  }

  commit(): void {
    this.done = true;
    this.db.end(true);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.db.end(false);
    } catch {
      // the connection is gone: the server rolled back with it
    }
  }

  close(): void {
    this.abort();
    this.db.close();
  }
}

function* mapRows(rows: Iterable<Cell[]>, f: (row: Cell[]) => Cell[]): IterableIterator<Cell[]> {
  for (const row of rows) yield f(row);
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.trim();
}
