/**
 * SQLite's side of `jala migrate-store` (src/migrate-store): a database read table by table from one
 * snapshot, and a database written table by table into a file beside the target that is renamed over
 * it only when the copy has been verified.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { CatalogDigest } from '../catalog/catalog-store.ts';
import { RowsRejected } from '../migrate-store/copy-store.ts';
import { NoStoreThere, type Cell, type TableReference, type TableShape, type TableSource, type TableTarget } from '../migrate-store/table-copy.ts';
import { openDatabaseFile, StoreError, type SqliteDatabase } from './open-database.ts';
import { sqliteCatalogDigest } from './sqlite-catalog-digest.ts';

/** An identifier in double quotes (the names come from the schema itself). */
const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function tablesOf(db: SqliteDatabase): TableShape[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[];
  return names.map((name) => ({ name, columns: (db.pragma(`table_info(${q(name)})`) as Array<{ name: string }>).map((c) => c.name) }));
}

/** Lazily: the statement starts at the first row wanted and ends when the walk ends or is abandoned. */
function* rowsOf(db: SqliteDatabase, table: string, columns: readonly string[]): IterableIterator<Cell[]> {
  yield* db.prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)}`).raw().iterate() as IterableIterator<Cell[]>;
}

/** A data directory's database (or any Jala SQLite file), read from one snapshot until closed. */
export class SqliteTableSource implements TableSource {
  readonly kind = 'sqlite' as const;
  private readonly db: SqliteDatabase;

  constructor(readonly file: string) {
    if (!fs.existsSync(file)) throw new NoStoreThere(`SQLite ${file}`);
    this.db = openDatabaseFile(file);
    // one read transaction for the whole copy: every table (and the catalog digest) from the same moment,
    // while a running Jala may go on writing (WAL)
    this.db.exec('BEGIN');
    this.db.prepare('SELECT count(*) FROM sqlite_master').get();
  }

  get label(): string {
    return `SQLite ${this.file}`;
  }

  tables(): TableShape[] {
    return tablesOf(this.db);
  }

  rows(table: string, columns: readonly string[]): Iterable<Cell[]> {
    return rowsOf(this.db, table, columns);
  }

  catalogDigest(): CatalogDigest {
    return sqliteCatalogDigest(this.db);
  }

  close(): void {
    try {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    } catch {
      // a walk left unfinished (the copy failed midway) keeps the read open: closing ends it
    }
    this.db.close();
  }
}

/**
 * A SQLite database file to fill. The copy goes into `<file>.migrating-<pid>` in the same directory,
 * created with the full schema; `commit` renames it over the target (after clearing the old target's
 * write-ahead log, which must never be replayed onto the new file). Until then the target is untouched,
 * and `abort` removes the file aside.
 */
export class SqliteTableTarget implements TableTarget {
  readonly kind = 'sqlite' as const;
  private readonly aside: string;
  private db: SqliteDatabase | undefined;
  private readonly held: Array<{ table: string; rows: number }>;
  private readonly indexes: Array<{ name: string; sql: string }>;

  constructor(readonly file: string) {
    const dir = path.dirname(file);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (cause) {
      throw new StoreError('store/unusable-data-dir', `cannot write in ${dir}: ${(cause as Error).message}`, { cause });
    }
    this.held = fs.existsSync(file) ? heldRows(file) : [];
    this.aside = `${file}.migrating-${process.pid}`;
    fs.rmSync(this.aside, { force: true });
    this.db = openDatabaseFile(this.aside, { journal: 'off' });
    // the rows arrive in foreign-key order; the keys are checked once at the end (finishLoad)
    this.db.pragma('foreign_keys = OFF');
    this.db.exec('BEGIN');
    // secondary indexes are built once over the loaded rows (finishLoad), not row by row: a bulk load's usual way
    this.indexes = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>;
    for (const i of this.indexes) this.db.exec(`DROP INDEX ${q(i.name)}`);
  }

  get label(): string {
    return `SQLite ${this.file}`;
  }

  private get open(): SqliteDatabase {
    if (!this.db) throw new Error('the SQLite target is closed');
    return this.db;
  }

  tables(): TableShape[] {
    return tablesOf(this.open);
  }

  references(): TableReference[] {
    const db = this.open;
    return tablesOf(db).flatMap((t) =>
      (db.pragma(`foreign_key_list(${q(t.name)})`) as Array<{ table: string }>).map((fk) => ({ table: t.name, references: fk.table })),
    );
  }

  nonEmptyTables(): Array<{ table: string; rows: number }> {
    return this.held;
  }

  clear(): void {
    // the copy is built in a new file: the old target is replaced whole at commit
  }

  load(table: string, columns: readonly string[], rows: Iterable<Cell[]>): number {
    const insert = this.open.prepare(`INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    let n = 0;
    for (const row of rows) {
      try {
        insert.run(row);
      } catch (e) {
        throw new RowsRejected(table, (e as Error).message);
      }
      n++;
    }
    return n;
  }

  rows(table: string, columns: readonly string[]): Iterable<Cell[]> {
    return rowsOf(this.open, table, columns);
  }

  catalogDigest(): CatalogDigest {
    return sqliteCatalogDigest(this.open);
  }

  finishLoad(): void {
    const db = this.open;
    for (const i of this.indexes) db.exec(i.sql);
    const broken = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
    if (broken.length > 0) {
      const first = broken[0]!;
      throw new RowsRejected(first.table, `${broken.length} row(s) name missing rows of ${first.parent} (foreign key)`);
    }
  }

  commit(): void {
    const db = this.open;
    db.exec('COMMIT');
    db.pragma('foreign_keys = ON');
    // the journal mode Jala runs with, set once here so the file is ready as it is renamed
    db.pragma('journal_mode = DELETE');
    db.close();
    this.db = undefined;
    const fd = fs.openSync(this.aside, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (fs.existsSync(this.file)) {
      // fold the old target's log into it and remove it: a log left beside the new file would be replayed onto it
      const old = openDatabaseFile(this.file);
      try {
        old.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        old.close();
      }
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${this.file}${suffix}`, { force: true });
    }
    fs.renameSync(this.aside, this.file);
  }

  abort(): void {
    if (this.db) {
      try {
        this.db.close();
      } catch {
        // closing a database that failed: the file aside is removed anyway
      }
      this.db = undefined;
    }
    for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${this.aside}${suffix}`, { force: true });
  }

  close(): void {
    this.abort();
  }
}

/** The tables of an existing database file that hold rows, read without changing a byte of it. */
function heldRows(file: string): Array<{ table: string; rows: number }> {
  let db: SqliteDatabase;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new StoreError('store/unusable-data-dir', `cannot open ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    return tablesOf(db)
      .map((t) => ({ table: t.name, rows: (db.prepare(`SELECT count(*) FROM ${q(t.name)}`).pluck().get() as number) }))
      .filter((t) => t.rows > 0);
  } finally {
    db.close();
  }
}
