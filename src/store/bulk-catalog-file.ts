/**
 * The bulk path's database file (issue 22, item 1): a new catalog is built aside, next to the live
 * database (`jala.db.building`), without a journal or fsyncs, with a large page cache and with the
 * catalog's secondary indexes created after the data. When it is complete it is checked
 * (`integrity_check`, `foreign_key_check`, counts), the tables that are not the catalog (ILL requests,
 * outbox, conversations, card positions, FAQ, harvest state, ISO 18626 exchanges, OAI items…) are
 * carried over from the live file as they are at that moment, and it is renamed over the live file.
 *
 * Crash safety comes from the file, not from transactions: until the rename, the live file is never
 * written, and a half-built file is deleted by the next bulk build (or the next open of the data
 * directory, see discardHalfBuiltCatalog). The rename is atomic; a process that has the old file open
 * would keep reading the old file, and its writes would be lost, so the swap only happens when this
 * process is the only one with the database open: SQLite lets a connection leave WAL mode only then,
 * and leaving it is the check (store/catalog-in-use otherwise).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE, openDatabase, StoreError, type SqliteDatabase } from './open-database.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteCatalogStore } from './sqlite-catalog-store.ts';
import { keptWorkNumbers } from '../catalog/kept-work-numbers.ts';

export const BUILDING_SUFFIX = '.building';

/** The tables the bulk path writes; every other table is carried over from the live file. */
const CATALOG_TABLES = ['works', 'work_tombstones', 'records', 'record_keys', 'items'] as const;

/**
 * Secondary indexes that loading itself reads when it deduplicates through the store (a work's records
 * by work_id and library; SQLite checks nothing else while the load runs): built with the tables. The
 * others, and these too when deduplication runs in memory (src/ingest/bulk-work-placer.ts), are built
 * once, after the data.
 */
const INDEXES_USED_WHILE_LOADING = new Set(['records_work_library']);

/**
 * Records' keys while loading, when nothing reads them before the end (deduplication in memory): a
 * plain temporary table appended to, moved into record_keys sorted by its primary key at the end.
 * Inserted one by one, record_keys (clustered on kind, key, record id) takes its keys in random order,
 * and at a million records most inserts miss the page cache: 40 % of the loading thread's CPU at 360 k
 * records. Temporary tables then live in a temporary file (SQLite deletes it on close or crash), and
 * so do sorts that outgrow their memory, instead of growing the process.
 */
const STAGED_KEYS = 'temp.record_keys_staged';
/** the new file's page cache, in KiB (negative) as PRAGMA cache_size takes it: 64 MB */
const BULK_CACHE_SIZE = -65536;

/** Meta keys that describe the live file's catalog, not the new one: not carried over. */
const CATALOG_META = new Set(['catalog_id', 'seq', 'oai_synced_seq']);

/** The points of a bulk build, in order, as told to `onStage` (logs, tests). */
export type BulkStage = 'created' | 'loaded' | 'indexed' | 'carried' | 'checked' | 'swapped';

export type BulkFileFailure = 'store/catalog-in-use' | 'store/catalog-changed' | 'store/bulk-check-failed' | 'store/bulk-running';

export class BulkFileError extends Error {
  constructor(
    readonly code: BulkFileFailure,
    message: string,
  ) {
    super(message);
    this.name = 'BulkFileError';
  }
}

/** What the live catalog held when the build started, and whether another process has it open. */
export interface LiveCatalogState {
  records: number;
  works: number;
  seq: number;
  /** no other connection has the database open (the swap needs that) */
  exclusive: boolean;
}

/**
 * Looks at the live database of a data directory (creating and migrating it when absent): its size,
 * and whether this process could swap it (no other process has it open). Discards a half-built file
 * left by a crash.
 */
export function inspectLiveCatalog(dataDir: string): LiveCatalogState {
  discardHalfBuiltCatalog(dataDir);
  const live = openDatabase(dataDir);
  try {
    const state = countsOf(live);
    // a look, not a wait: another process's reader answers "not exclusive" at once
    live.pragma('busy_timeout = 0');
    return { ...state, exclusive: canLeaveWal(live) };
  } finally {
    live.close();
  }
}

/**
 * Deletes a half-built catalog file left by a bulk build that did not finish. A file another
 * process is building now (it holds it locked) is left alone: 'running' then.
 */
export function discardHalfBuiltCatalog(dataDir: string): 'none' | 'discarded' | 'running' {
  const file = path.join(dataDir, DATABASE_FILE + BUILDING_SUFFIX);
  if (!fs.existsSync(file)) return 'none';
  if (beingBuilt(file)) return 'running';
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return 'discarded';
}

/** Does a live process hold the file being built? Its builder keeps an exclusive lock from the first write on. */
function beingBuilt(file: string): boolean {
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  } finally {
    db?.close();
  }
}

/** A catalog being built aside: load through `store`, then `complete` (or `discard`). */
export class BulkCatalogFile {
  readonly store: SqliteCatalogStore;
  private readonly deferred: string[];
  private readonly stagedKeys: boolean;
  private closed = false;

  private constructor(
    private readonly dataDir: string,
    private readonly db: SqliteDatabase,
    private readonly startedFrom: LiveCatalogState,
    private readonly onStage: (stage: BulkStage) => void,
    readsWhileLoading: boolean,
  ) {
    this.stagedKeys = !readsWhileLoading;
    if (this.stagedKeys) {
      db.pragma('temp_store = FILE');
      db.exec(`CREATE TABLE ${STAGED_KEYS} (kind TEXT NOT NULL, key TEXT NOT NULL, record_id TEXT NOT NULL)`);
    }
    this.store = new SqliteCatalogStore(db, { aside: true, ...(this.stagedKeys ? { keysTable: STAGED_KEYS } : {}) });
    this.deferred = deferSecondaryIndexes(db, readsWhileLoading);
  }

  /**
   * Starts a new file aside (a half-built one from a crash is discarded first). `readsWhileLoading`:
   * the loader asks the store for a work's records (deduplication through the store), so the index
   * that answers that is kept while loading.
   */
  static create(dataDir: string, startedFrom: LiveCatalogState, onStage: (stage: BulkStage) => void = () => {}, readsWhileLoading = true): BulkCatalogFile {
    if (discardHalfBuiltCatalog(dataDir) === 'running') {
      throw new BulkFileError('store/bulk-running', 'another full load of this catalog is running');
    }
    const db = new Database(path.join(dataDir, DATABASE_FILE + BUILDING_SUFFIX));
    try {
      // nothing here needs a journal: a crash discards the whole file
      db.pragma('page_size = 8192');
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.pragma('locking_mode = EXCLUSIVE');
      // 64 MB: the tables are written in key order (appends), so a larger cache buys no speed, and what
      // it held stays in the process after the file is closed (freed to malloc, not given back to the
      // system): 512 MB here left ~330 MB more RSS at 100k under the index build that follows (peak
      // 919 -> 627 MB, test/bench/ingest-memory.ts), and about 500 MB more at a million
      db.pragma(`cache_size = ${BULK_CACHE_SIZE}`);
      db.pragma('temp_store = MEMORY');
      // checked once at the end (foreign_key_check) instead of on every row
      db.pragma('foreign_keys = OFF');
      for (const sql of MIGRATIONS) db.exec(sql);
      db.pragma(`user_version = ${MIGRATIONS.length}`);
    } catch (e) {
      db.close();
      discardHalfBuiltCatalog(dataDir);
      throw e;
    }
    const file = new BulkCatalogFile(dataDir, db, startedFrom, onStage, readsWhileLoading);
    onStage('created');
    return file;
  }

  /**
   * Finishes the file and puts it in place of the live one: secondary indexes, carry-over of every
   * other table, checks, rename. `expected` are the records the loader stored; a mismatch, a failed
   * check, a live catalog changed by someone else meanwhile or a database another process has open
   * stops it with a BulkFileError, and the live file is left as it was.
   */
  complete(expected: { records: number }): { records: number; works: number; items: number } {
    const building = path.join(this.dataDir, DATABASE_FILE + BUILDING_SUFFIX);
    const livePath = path.join(this.dataDir, DATABASE_FILE);
    try {
      this.onStage('loaded');
      if (this.stagedKeys) moveStagedKeys(this.db);
      for (const sql of this.deferred) this.db.exec(sql);
      this.onStage('indexed');
      this.db.close();
      this.closed = true;

      // the live file: the only connection to it, out of WAL (which needs exactly that), locked
      // while the other tables are copied and the file is renamed
      const live = new Database(livePath);
      let counts: { records: number; works: number; items: number };
      try {
        live.pragma('busy_timeout = 5000');
        // the tables are copied in any order; the catalog's references are checked at the end
        live.pragma('foreign_keys = OFF');
        if (!leaveWal(live)) {
          throw new BulkFileError('store/catalog-in-use', 'another process has the catalog database open (a running bot?): stop it, then run the full load again');
        }
        // no one else has the file open: what is left of its WAL index is stale
        for (const suffix of ['-wal', '-shm']) fs.rmSync(livePath + suffix, { force: true });
        live.prepare('ATTACH DATABASE ? AS fresh').run(building);
        live.pragma('fresh.journal_mode = OFF');
        live.pragma('fresh.synchronous = OFF');
        live.exec('BEGIN EXCLUSIVE');
        try {
          // a process that opened the file between leaving WAL and the lock would have put it back
          if (String(live.pragma('main.journal_mode', { simple: true })).toLowerCase() !== 'delete') {
            throw new BulkFileError('store/catalog-in-use', 'another process opened the catalog database during the swap: run the full load again');
          }
          const now = countsOf(live);
          if (now.seq !== this.startedFrom.seq || now.records !== this.startedFrom.records) {
            throw new BulkFileError('store/catalog-changed', 'the catalog was changed by another process during the full load: run it again');
          }
          this.remapWorkIds(live);
          carryOver(live);
          this.onStage('carried');
          counts = checkFresh(live, expected);
          this.onStage('checked');
          live.exec('COMMIT');
        } catch (e) {
          live.exec('ROLLBACK');
          throw e;
        }
        live.exec('DETACH DATABASE fresh');
        // the new file in WAL mode, as every open expects it (a rollback-mode file switched on open
        // would need a write lock that readers may hold)
        const fresh = new Database(building);
        fresh.pragma('journal_mode = WAL');
        fresh.close();
        fs.renameSync(building, livePath);
        syncDirectory(this.dataDir);
      } finally {
        live.close();
      }
      this.onStage('swapped');
      return counts;
    } catch (e) {
      this.discard();
      throw e;
    }
  }

  /** Drops the file being built (the live one is untouched). */
  discard(): void {
    if (!this.closed) {
      this.db.close();
      this.closed = true;
    }
    discardHalfBuiltCatalog(this.dataDir);
  }

  /**
   * A full rebuild keeps the live catalog's work numbers where it can: ILL requests, OAI items and
   * conversations name works by number. Each new work takes the old number of the work most of its
   * records were in (ties: its smallest record id), when no other new work took it first; the rest
   * take numbers above every number the live file has used.
   */
  private remapWorkIds(live: SqliteDatabase): void {
    if (this.startedFrom.works === 0) return;
    const pairs = live
      .prepare(
        `SELECT n.work_id AS fresh, o.work_id AS old, count(*) AS shared, min(n.id) AS first
         FROM fresh.records n JOIN main.records o ON o.id = n.id
         GROUP BY n.work_id, o.work_id ORDER BY shared DESC, first`,
      )
      .all() as Array<{ fresh: number; old: number; shared: number; first: string }>;
    const map = keptWorkNumbers(pairs);
    const highest = live
      .prepare(
        `SELECT max(coalesce((SELECT max(id) FROM main.works), 0), coalesce((SELECT max(id) FROM main.work_tombstones), 0),
           coalesce((SELECT max(work_id) FROM main.ill_requests), 0), coalesce((SELECT max(work_id) FROM main.oai_items), 0)) AS m`,
      )
      .get() as { m: number };
    let next = highest.m + 1;
    const freshIds = (live.prepare('SELECT id FROM fresh.works ORDER BY id').pluck().all() as number[]);
    live.exec('CREATE TEMP TABLE work_map (fresh INTEGER PRIMARY KEY, final INTEGER NOT NULL)');
    const put = live.prepare('INSERT INTO work_map (fresh, final) VALUES (?, ?)');
    let moved = 0;
    for (const id of freshIds) {
      const final = map.get(id) ?? next++;
      if (final !== id) moved++;
      put.run(id, final);
    }
    if (moved > 0) {
      // negative first, so that no two works hold one number on the way
      live.exec(`UPDATE fresh.works SET id = -(SELECT final FROM work_map WHERE fresh = works.id)`);
      live.exec(`UPDATE fresh.works SET id = -id, doc = CASE WHEN doc = '{}' THEN doc ELSE json_set(doc, '$.id', -id) END`);
      live.exec(`UPDATE fresh.records SET work_id = (SELECT final FROM work_map WHERE fresh = records.work_id)
                 WHERE work_id IN (SELECT fresh FROM work_map WHERE final <> fresh)`);
    }
    live.exec('DELETE FROM fresh.work_tombstones');
    live.exec('DROP TABLE temp.work_map');
  }
}

/**
 * Drops the catalog's secondary indexes that loading does not read, returning their CREATE
 * statements to run after the data: an index built once from sorted keys instead of updated row by row.
 */
function deferSecondaryIndexes(db: SqliteDatabase, readsWhileLoading: boolean): string[] {
  const rows = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${CATALOG_TABLES.map(() => '?').join(', ')}) ORDER BY name`)
    .all(...CATALOG_TABLES) as Array<{ name: string; sql: string }>;
  const later: string[] = [];
  for (const { name, sql } of rows) {
    if (readsWhileLoading && INDEXES_USED_WHILE_LOADING.has(name)) continue;
    db.exec(`DROP INDEX ${quote(name)}`);
    later.push(sql);
  }
  return later;
}

/**
 * The staged keys into record_keys in its key order (each B-tree page written once, in sequence), then
 * the staging table dropped. The page cache is small (BULK_CACHE_SIZE), so the sort spills to its
 * temporary file early instead of holding a catalog's keys in memory.
 */
function moveStagedKeys(db: SqliteDatabase): void {
  db.exec(`INSERT OR IGNORE INTO main.record_keys (kind, key, record_id) SELECT kind, key, record_id FROM ${STAGED_KEYS} ORDER BY kind, key, record_id`);
  db.exec(`DROP TABLE ${STAGED_KEYS}`);
}

/** Copies every table that is not the catalog from the live file (main) into the new one (fresh). */
function carryOver(live: SqliteDatabase): void {
  const tables = live
    .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  for (const table of tables) {
    if ((CATALOG_TABLES as readonly string[]).includes(table)) continue;
    const cols = (live.prepare(`SELECT name FROM pragma_table_info(?, 'main')`).pluck().all(table) as string[]).map(quote).join(', ');
    const t = quote(table);
    if (table === 'libraries') {
      // names given by this load win; libraries only the live file knows stay registered
      live.exec(`INSERT OR IGNORE INTO fresh.${t} (${cols}) SELECT ${cols} FROM main.${t}`);
    } else if (table === 'meta') {
      live.prepare(`INSERT OR IGNORE INTO fresh.meta (${cols}) SELECT ${cols} FROM main.meta WHERE key NOT IN (${[...CATALOG_META].map(() => '?').join(', ')})`).run(...CATALOG_META);
    } else if (table === 'ingest_runs') {
      // the live history first, then this load's runs after it
      live.exec('CREATE TEMP TABLE new_runs AS SELECT library, started_at, finished_at, summary FROM fresh.ingest_runs ORDER BY id');
      live.exec('DELETE FROM fresh.ingest_runs');
      live.exec(`INSERT INTO fresh.ingest_runs (${cols}) SELECT ${cols} FROM main.ingest_runs ORDER BY id`);
      live.exec('INSERT INTO fresh.ingest_runs (library, started_at, finished_at, summary) SELECT library, started_at, finished_at, summary FROM temp.new_runs');
      live.exec('DROP TABLE temp.new_runs');
    } else if (table === 'record_source_keys') {
      // keys of records that are still there
      live.exec(`INSERT INTO fresh.${t} (${cols}) SELECT ${cols} FROM main.${t} WHERE record_id IN (SELECT id FROM fresh.records)`);
    } else {
      live.exec(`DELETE FROM fresh.${t}`);
      live.exec(`INSERT INTO fresh.${t} (${cols}) SELECT ${cols} FROM main.${t}`);
    }
  }
}

/** integrity_check, foreign_key_check and the record count of the new file (attached as fresh). */
function checkFresh(live: SqliteDatabase, expected: { records: number }): { records: number; works: number; items: number } {
  const integrity = live.pragma('fresh.integrity_check') as Array<{ integrity_check: string }>;
  if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') {
    throw new BulkFileError('store/bulk-check-failed', `the new catalog file failed integrity_check: ${integrity.slice(0, 3).map((r) => r.integrity_check).join('; ')}`);
  }
  // the catalog's references (the carried tables are copied as they were, references and all)
  const orphans = ['records', 'record_keys', 'items', 'record_source_keys'].flatMap((t) => live.pragma(`fresh.foreign_key_check(${t})`) as unknown[]);
  if (orphans.length > 0) throw new BulkFileError('store/bulk-check-failed', `the new catalog file has ${orphans.length} row(s) naming a missing parent`);
  const count = (sql: string): number => Number(live.prepare(sql).pluck().get());
  const records = count('SELECT count(*) FROM fresh.records');
  const works = count("SELECT count(*) FROM fresh.works WHERE doc <> '{}'");
  const items = count('SELECT count(*) FROM fresh.items');
  const emptyWorks = count('SELECT count(*) FROM fresh.works w WHERE NOT EXISTS (SELECT 1 FROM fresh.records r WHERE r.work_id = w.id)');
  if (records !== expected.records) {
    throw new BulkFileError('store/bulk-check-failed', `the new catalog file holds ${records} records, the load stored ${expected.records}`);
  }
  if (emptyWorks > 0) throw new BulkFileError('store/bulk-check-failed', `the new catalog file has ${emptyWorks} work(s) without a record`);
  return { records, works, items };
}

function countsOf(db: SqliteDatabase): Omit<LiveCatalogState, 'exclusive'> {
  const count = (sql: string): number => Number(db.prepare(sql).pluck().get() ?? 0);
  return {
    records: count('SELECT count(*) FROM records'),
    works: count('SELECT count(*) FROM works'),
    seq: count("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'), 0)"),
  };
}

/** Leaves WAL mode (checkpointing everything): possible only when no other connection has the file open. */
function leaveWal(db: SqliteDatabase): boolean {
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    return String(mode).toLowerCase() === 'delete';
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY') || (e as { code?: string }).code?.startsWith('SQLITE_LOCKED')) return false;
    throw e;
  }
}

/** Could this connection leave WAL mode (is it the only one)? Leaves it and comes back. */
function canLeaveWal(db: SqliteDatabase): boolean {
  const ok = leaveWal(db);
  if (ok) db.pragma('journal_mode = WAL');
  return ok;
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not every file system lets a directory be synced; the rename itself is atomic
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export { StoreError };
