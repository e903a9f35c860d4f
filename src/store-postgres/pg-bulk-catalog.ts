/**
 * The bulk path into PostgreSQL (issues 20 and 22, item 6): a full load (`jala ingest` into an empty
 * consortium, `jala reindex --full`) builds the new catalog's tables (works, work_tombstones, records,
 * record_keys, items) in a staging schema, fills them with COPY FROM STDIN (pg-bulk-catalog-store.ts),
 * builds their keys, indexes and references after the data, and then swaps them for the live tables.
 *
 * The whole build is ONE transaction of one session. Nobody else sees the staging schema; readers and
 * writers keep using the live tables until the commit; a crash, a kill or a lost connection at any point
 * rolls it all back, so the old catalog is left as it was and nothing is left behind for a re-run to
 * clean. The staging tables are ordinary (logged) tables: an UNLOGGED table would have to be rewritten
 * and logged whole (ALTER TABLE … SET LOGGED) before it can be the catalog, which costs what logging it
 * while it is written costs; and a table created in the transaction that fills it skips the WAL
 * altogether on a server with wal_level=minimal.
 *
 * The swap, at the end of that transaction: the live catalog tables are locked (ACCESS EXCLUSIVE, with a
 * lock timeout and retries, so that a long reader delays it without queueing everybody behind it), the
 * catalog is checked to be unchanged since the start (change sequence and record count), libraries and
 * this load's ingest runs are registered, harvest source keys of records that are gone are dropped, the
 * live tables are dropped and the new ones moved into the live schema, the references from other
 * tables put back, and the change sequence moved on by one: every work of the new catalog is stamped
 * with that number and every work number that disappears gets a tombstone with it, so a replica
 * following the catalog (LISTEN jala_catalog, migration 5's trigger on meta) catches up from its own
 * sequence number as after any change. The tables' shape (columns, types, collations, defaults,
 * identity, constraints, indexes, triggers) is compared with the live tables' before the commit: the
 * swapped-in tables are exactly what the migrations made, or the load fails and nothing changes.
 *
 * As on SQLite (bulk-catalog-file.ts), a rebuild over a catalog that has works keeps their numbers
 * where it can (ILL requests, OAI items and conversations name works by number).
 */
import { BulkFileError, type BulkStage } from '../store/bulk-catalog-file.ts';
import { COPY_COLUMNS, PgBulkCatalogStore, q } from './pg-bulk-catalog-store.ts';
import { binaryColumnMismatches } from './pg-copy-binary.ts';
import { LOCK_KEYS, openPgDatabase, type PgDatabase } from './pg-database.ts';
import { copyText } from './pg-copy-text.ts';
import { keptWorkNumbers } from '../catalog/kept-work-numbers.ts';

/** The tables the bulk load builds; every other table stays as it is. */
export const CATALOG_TABLES = ['works', 'work_tombstones', 'records', 'record_keys', 'items'] as const;

/** Where the new tables are built (inside the load's transaction, so never seen by anyone else). */
const STAGING_SCHEMA = 'jala_bulk_load';

/** maintenance_work_mem (kB) the keys and indexes are built with, at least */
const BUILD_MEMORY_KB = 256 * 1024;

/** How long one attempt to lock the live catalog for the swap waits, and how many attempts. */
export interface SwapLock {
  timeoutMs: number;
  attempts: number;
}
const SWAP_LOCK: SwapLock = { timeoutMs: 2000, attempts: 30 };

interface LiveState {
  seq: number;
  records: number;
  works: number;
}

/** DDL to run after the data, read from the live tables (so it is exactly what the migrations made). */
interface Deferred {
  /** primary keys, unique and foreign keys between catalog tables, indexes, triggers: in the staging schema */
  staging: Array<{ table: string; sql: string; name: string }>;
  /** foreign keys of catalog tables to other tables (records → libraries): at the swap */
  atSwap: string[];
  /** foreign keys of other tables to catalog tables (record_source_keys → records): dropped and put back at the swap */
  referencing: Array<{ table: string; name: string; def: string }>;
}

export class PgBulkCatalog {
  readonly store: PgBulkCatalogStore;
  private done = false;

  private constructor(
    private readonly db: PgDatabase,
    private readonly live: string,
    private readonly startedFrom: LiveState,
    private readonly shape: string,
    private readonly deferred: Deferred,
    private readonly onStage: (stage: BulkStage) => void,
    private readonly swapLock: SwapLock,
  ) {
    this.store = new PgBulkCatalogStore(db, STAGING_SCHEMA, startedFrom.seq + 1, () => this.readyForReadBack());
  }

  /**
   * Opens the load's session and transaction and creates the staging tables, shaped as the live ones.
   * Another bulk load of the same database running: store/bulk-running. `swapLock`: the swap's lock
   * timeout and attempts (tests shorten them to reach the give-up).
   */
  static create(url: string, onStage: (stage: BulkStage) => void = () => {}, swapLock: SwapLock = SWAP_LOCK): PgBulkCatalog {
    const db = openPgDatabase(url);
    try {
      db.begin();
      if (db.get<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [LOCK_KEYS.bulkLoad])?.ok !== true) {
        throw new BulkFileError('store/bulk-running', 'another full load of this catalog is running');
      }
      // values past TOAST's threshold (a record's document and MARC together: more than half of the
      // records at 1M) compressed with lz4 rather than pglz, where the server has it: COPY of 300k
      // record rows took 1.6-1.8 s instead of 3.0 s
      db.exec(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) THEN
                 PERFORM set_config('default_toast_compression', 'lz4', true); END IF; END $$`);
      const live = db.get<{ s: string }>('SELECT current_schema() AS s')!.s;
      const startedFrom = liveState(db);
      const shape = catalogShape(db, live);
      const deferred = deferredDdl(db, live);
      db.exec(`CREATE SCHEMA ${q(STAGING_SCHEMA)}`);
      for (const t of CATALOG_TABLES) {
        // columns with their types, collations, defaults, identity and CHECK constraints; keys and indexes after the data
        db.exec(`CREATE TABLE ${q(STAGING_SCHEMA)}.${q(t)} (LIKE ${q(live)}.${q(t)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)`);
      }
      // the last save of works that grew after their first batch (BulkWorkPlacer.finish)
      db.exec(`CREATE TABLE ${q(STAGING_SCHEMA)}.works_regrown (LIKE ${q(STAGING_SCHEMA)}.works)`);
      // the rows go in COPY's binary format, read by each column's type: the types must be the ones written
      const mismatches = Object.entries(COPY_COLUMNS).flatMap(([table, { columns, types }]) => binaryColumnMismatches(db, STAGING_SCHEMA, table, columns, types));
      if (mismatches.length > 0) throw new BulkFileError('store/bulk-check-failed', `the catalog tables are not shaped as the bulk load writes them: ${mismatches.join('; ')}`);
      const bulk = new PgBulkCatalog(db, live, startedFrom, shape, deferred, onStage, swapLock);
      onStage('created');
      return bulk;
    } catch (e) {
      closeRolledBack(db);
      throw e;
    }
  }

  /**
   * Finishes the new tables and swaps them in, committing the load. `expected`: the records the loader
   * stored. A mismatch, a failed check or a catalog changed by someone else meanwhile throws a
   * BulkFileError, and the transaction is rolled back: the live catalog is as it was.
   */
  complete(expected: { records: number }): { records: number; works: number; items: number } {
    const db = this.db;
    const stage = q(STAGING_SCHEMA);
    const live = q(this.live);
    try {
      this.store.flush();
      this.onStage('loaded');
      if (this.store.regrown) {
        db.exec(`DELETE FROM ${stage}.works w USING ${stage}.works_regrown r WHERE w.id = r.id`);
        db.exec(`INSERT INTO ${stage}.works SELECT * FROM ${stage}.works_regrown`);
      }
      db.exec(`DROP TABLE ${stage}.works_regrown`);
      if (this.startedFrom.works > 0) this.remapWorkIds();
      const seq = this.startedFrom.seq + 1;
      // every work number the live catalog had (or had deleted) and the new one has not: gone, as of the new sequence number
      db.run(
        `INSERT INTO ${stage}.work_tombstones (id, seq)
           SELECT o.id, $1 FROM (SELECT id FROM ${live}.works UNION SELECT id FROM ${live}.work_tombstones) o
            WHERE NOT EXISTS (SELECT 1 FROM ${stage}.works n WHERE n.id = o.id)`,
        [seq],
      );
      this.moveIdentities();
      // keys, references between the new tables, indexes and triggers, each built once over the data
      // the sorts of the keys and indexes in memory: with PostgreSQL's default 64 MB, the records' and
      // keys' sorts spill to disk at 1M records (10.5 s instead of 14.0 s for these statements there);
      // a server given more keeps its own
      db.exec(`DO $$ BEGIN IF (SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem') < ${BUILD_MEMORY_KB} THEN
                 PERFORM set_config('maintenance_work_mem', '${BUILD_MEMORY_KB}kB', true); END IF; END $$`);
      const searchPath = db.get<{ p: string }>('SELECT current_setting($1) AS p', ['search_path'])!.p;
      db.run('SELECT set_config($1, $2, true)', ['search_path', `${stage}, ${live}`]);
      for (const d of this.deferred.staging) {
        try {
          db.exec(d.sql);
        } catch (e) {
          // the new data breaks a key or index the live table has (one an administrator added, say): the
          // server's reason, with the table and the key. Nothing else is run in the aborted transaction,
          // whose next statement would only fail again ("current transaction is aborted") and hide it
          throw new BulkFileError('store/bulk-check-failed', `the new catalog's ${d.table} cannot get ${d.name} (${firstLine(e).replace(/^ERROR:\s*/, '')}): the catalog is left as it was`);
        }
      }
      // put back for the rest of the transaction (on a failure the rollback puts it back)
      db.run('SELECT set_config($1, $2, true)', ['search_path', searchPath]);
      for (const t of CATALOG_TABLES) db.exec(`ANALYZE ${stage}.${q(t)}`);
      this.onStage('indexed');

      this.lockLive();
      const now = liveState(db);
      if (now.seq !== this.startedFrom.seq || now.records !== this.startedFrom.records) {
        throw new BulkFileError('store/catalog-changed', 'the catalog was changed by another process during the full load: run it again');
      }
      this.carryOver();
      this.onStage('carried');
      const counts = this.check(expected);
      this.onStage('checked');
      db.end(true);
      this.done = true;
      this.onStage('swapped');
      return counts;
    } catch (e) {
      this.discard();
      throw e;
    } finally {
      if (this.done) db.close();
    }
  }

  /** Rolls the load back (the live catalog is untouched) and closes its session. */
  discard(): void {
    if (this.done) return;
    this.done = true;
    closeRolledBack(this.db);
  }

  /** The staging records' primary key, built before the loader first reads records back (BulkWorkPlacer.finish). */
  private readyForReadBack(): void {
    const i = this.deferred.staging.findIndex((d) => d.table === 'records' && /^ALTER TABLE .* PRIMARY KEY/.test(d.sql));
    if (i < 0) return;
    this.db.exec(this.deferred.staging[i]!.sql);
    this.deferred.staging.splice(i, 1);
  }

  /**
   * The live catalog's work numbers kept where they can be, as the SQLite bulk path does: each new work
   * takes the old number of the work most of its records were in (ties: its smallest record id), when no
   * other new work took it first; the rest take numbers above every number used so far.
   */
  private remapWorkIds(): void {
    const db = this.db;
    const stage = q(STAGING_SCHEMA);
    const live = q(this.live);
    const pairs = db.all<{ fresh: number; old: number }>(
      `SELECT n.work_id AS fresh, o.work_id AS old FROM ${stage}.records n JOIN ${live}.records o ON o.id = n.id
        GROUP BY n.work_id, o.work_id ORDER BY count(*) DESC, min(n.id)`,
    );
    const map = keptWorkNumbers(pairs);
    let next = this.highestWorkNumber() + 1;
    const moves: Array<[number, number]> = [];
    for (let id = 1; id <= this.store.worksCreated; id++) {
      const final = map.get(id) ?? next++;
      if (final !== id) moves.push([id, final]);
    }
    if (moves.length === 0) return;
    db.exec('CREATE TEMP TABLE jala_work_map (fresh bigint PRIMARY KEY, final bigint NOT NULL) ON COMMIT DROP');
    db.copyIn('COPY jala_work_map (fresh, final) FROM STDIN', copyText(moves));
    // no key on the new tables yet: numbers may pass through each other. A work's document names it first ({"id":n,…)
    db.exec(
      `UPDATE ${stage}.works w SET id = m.final, doc = '{"id":' || m.final || substr(w.doc, length('{"id":' || m.fresh) + 1)
         FROM jala_work_map m WHERE w.id = m.fresh`,
    );
    const misnamed = db.get<{ n: number }>(`SELECT count(*) AS n FROM ${stage}.works WHERE doc <> '{}' AND doc NOT LIKE '{"id":' || id || ',%'`)!.n;
    if (misnamed > 0) throw new BulkFileError('store/bulk-check-failed', `${misnamed} work document(s) do not name their work after renumbering`);
    db.exec(`UPDATE ${stage}.records r SET work_id = m.final FROM jala_work_map m WHERE r.work_id = m.fresh`);
    db.exec('DROP TABLE jala_work_map');
  }

  /** The highest work number the live catalog has used (works, tombstones, ILL requests, OAI items, its sequence). */
  private highestWorkNumber(): number {
    const live = q(this.live);
    return this.db.get<{ m: number }>(
      `SELECT greatest(
         (SELECT coalesce(max(id), 0) FROM ${live}.works), (SELECT coalesce(max(id), 0) FROM ${live}.work_tombstones),
         (SELECT coalesce(max(work_id), 0) FROM ${live}.ill_requests), (SELECT coalesce(max(work_id), 0) FROM ${live}.oai_items),
         coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)) AS m`,
      [`${live}.works`],
    )!.m;
  }

  /** The new tables' identity sequences past the numbers given here (and, for works, past every number the live catalog used). */
  private moveIdentities(): void {
    const stage = q(STAGING_SCHEMA);
    const works = Math.max(this.db.get<{ m: number }>(`SELECT coalesce(max(id), 0) AS m FROM ${stage}.works`)!.m, this.startedFrom.works > 0 ? this.highestWorkNumber() : 0);
    const items = this.store.itemsWritten;
    for (const [table, last] of [['works', works], ['items', items]] as const) {
      if (last > 0) this.db.get(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [`${stage}.${q(table)}`, last]);
    }
  }

  /** ACCESS EXCLUSIVE on the live catalog tables, a few seconds at a time: a long reader delays the swap without stalling everyone behind it. */
  private lockLive(): void {
    const live = q(this.live);
    const tables = [...CATALOG_TABLES, ...new Set(this.deferred.referencing.map((r) => r.table))].map((t) => `${live}.${q(t)}`).join(', ');
    for (let attempt = 1; ; attempt++) {
      try {
        this.db.transaction(() => {
          this.db.exec(`SET LOCAL lock_timeout = ${Math.max(1, Math.trunc(this.swapLock.timeoutMs))}`);
          this.db.exec(`LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE`);
          this.db.exec('SET LOCAL lock_timeout = 0');
        });
        return;
      } catch (e) {
        if (attempt >= this.swapLock.attempts) {
          throw new BulkFileError('store/catalog-in-use', `the live catalog stayed in use (${firstLine(e)}): run the full load again`);
        }
      }
    }
  }

  /** Under the locks: libraries, ingest runs, harvest source keys, the tables themselves, references, the change sequence. */
  private carryOver(): void {
    const db = this.db;
    const stage = q(STAGING_SCHEMA);
    const live = q(this.live);
    for (const [code, { name, now }] of this.store.librariesSeen) {
      db.run(`INSERT INTO ${live}.libraries (code, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING`, [code, name ?? code, now]);
      if (name !== undefined) db.run(`UPDATE ${live}.libraries SET name = $1 WHERE code = $2`, [name, code]);
    }
    for (const run of this.store.runs) {
      db.run(`INSERT INTO ${live}.ingest_runs (library, started_at, finished_at, summary) VALUES ($1, $2, $3, $4)`, [run.library, run.startedAt, run.finishedAt, run.summary]);
    }
    for (const r of this.deferred.referencing) db.exec(`ALTER TABLE ${live}.${q(r.table)} DROP CONSTRAINT ${q(r.name)}`);
    // keys of OAI-PMH records that are still there
    db.exec(`DELETE FROM ${live}.record_source_keys k WHERE NOT EXISTS (SELECT 1 FROM ${stage}.records r WHERE r.id = k.record_id)`);
    db.exec(`DROP TABLE ${CATALOG_TABLES.map((t) => `${live}.${q(t)}`).join(', ')}`);
    for (const t of CATALOG_TABLES) db.exec(`ALTER TABLE ${stage}.${q(t)} SET SCHEMA ${live}`);
    db.exec(`DROP SCHEMA ${stage}`);
    for (const sql of this.deferred.atSwap) db.exec(sql);
    for (const r of this.deferred.referencing) db.exec(`ALTER TABLE ${live}.${q(r.table)} ADD CONSTRAINT ${q(r.name)} ${r.def}`);
    // the next change sequence number, which every new work and tombstone carries: replicas hear of it at the commit
    db.run(`INSERT INTO ${live}.meta (key, value) VALUES ('seq', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(this.startedFrom.seq + 1)]);
  }

  /** The swapped-in tables' shape against the live ones', and the counts. */
  private check(expected: { records: number }): { records: number; works: number; items: number } {
    const db = this.db;
    const shape = catalogShape(db, this.live);
    if (shape !== this.shape) {
      throw new BulkFileError('store/bulk-check-failed', `the new catalog tables are not shaped as the live ones: ${firstDifference(this.shape, shape)}`);
    }
    const live = q(this.live);
    const count = (sql: string): number => db.get<{ n: number }>(sql)!.n;
    const records = count(`SELECT count(*) AS n FROM ${live}.records`);
    const works = count(`SELECT count(*) AS n FROM ${live}.works WHERE doc <> '{}'`);
    const items = count(`SELECT count(*) AS n FROM ${live}.items`);
    const emptyWorks = count(`SELECT count(*) AS n FROM ${live}.works w WHERE NOT EXISTS (SELECT 1 FROM ${live}.records r WHERE r.work_id = w.id)`);
    if (records !== expected.records || records !== this.store.records) {
      throw new BulkFileError('store/bulk-check-failed', `the new catalog holds ${records} records, the load stored ${expected.records}`);
    }
    if (emptyWorks > 0) throw new BulkFileError('store/bulk-check-failed', `the new catalog has ${emptyWorks} work(s) without a record`);
    return { records, works, items };
  }
}

/** The live catalog's change sequence number, records and works. */
function liveState(db: PgDatabase): LiveState {
  return db.get<LiveState>(
    `SELECT coalesce((SELECT value::bigint FROM meta WHERE key = 'seq'), 0) AS seq, (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM works) AS works`,
  )!;
}

/**
 * The catalog tables' shape in a schema, as text: columns (type, collation, not null, default,
 * identity), constraints, indexes and triggers by name, persistence. Names of the schema itself are
 * left out, so two schemas compare.
 */
export function catalogShape(db: PgDatabase, schema: string): string {
  const tables = [...CATALOG_TABLES, 'record_source_keys'];
  const params = [schema, `{${tables.join(',')}}`];
  const columns = db.all(
    `SELECT c.relname AS t, c.relpersistence AS p, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, coll.collname AS coll,
            a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity AS ident
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_collation coll ON coll.oid = a.attcollation AND a.attcollation <> 0
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    params,
  );
  const constraints = db.all(
    `SELECT c.relname AS t, con.conname AS name, con.contype AS type, con.convalidated AS valid, pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) ORDER BY c.relname, con.conname`,
    params,
  );
  const indexes = db.all(
    `SELECT tablename AS t, indexname AS name, regexp_replace(indexdef, ' ON (ONLY )?\\S+ USING ', ' ON ' || tablename || ' USING ') AS def
       FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2::text[]) ORDER BY tablename, indexname`,
    params,
  );
  const triggers = db.all(
    `SELECT c.relname AS t, tg.tgname AS name, regexp_replace(pg_get_triggerdef(tg.oid), ' ON \\S+ ', ' ON ' || c.relname || ' ') AS def
       FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND NOT tg.tgisinternal ORDER BY c.relname, tg.tgname`,
    params,
  );
  const identities = db.all(
    `SELECT c.relname AS t, s.seqtypid::regtype::text AS type, s.seqincrement AS inc, s.seqmin AS min, s.seqmax AS max, s.seqcycle AS cycle
       FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid JOIN pg_class c ON c.oid = dep.refobjid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE dep.deptype = 'i' AND n.nspname = $1 AND c.relname = ANY($2::text[]) ORDER BY c.relname`,
    params,
  );
  return JSON.stringify({ columns, constraints, indexes, triggers, identities }, null, 1);
}

/** The DDL the staging tables get after their data, read from the live tables. */
function deferredDdl(db: PgDatabase, live: string): Deferred {
  const catalog = `{${CATALOG_TABLES.join(',')}}`;
  const staging: Deferred['staging'] = [];
  const atSwap: string[] = [];
  // keys first (an index may rely on nothing, a foreign key needs the key it names), then references
  const constraints = db.all<{ t: string; name: string; type: string; def: string; target: string | null }>(
    `SELECT c.relname AS t, con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid) AS def, rc.relname AS target
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class rc ON rc.oid = con.confrelid
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND con.contype IN ('p', 'u', 'x', 'f')
      ORDER BY con.contype = 'f', c.relname, con.conname`,
    [live, catalog],
  );
  for (const c of constraints) {
    // run with search_path staging, live: a table the definition names (REFERENCES works) is the new one when it is a catalog table
    const sql = `ALTER TABLE ${q(STAGING_SCHEMA)}.${q(c.t)} ADD CONSTRAINT ${q(c.name)} ${c.def}`;
    if (c.type !== 'f' || (CATALOG_TABLES as readonly string[]).includes(c.target ?? '')) staging.push({ table: c.t, name: c.name, sql });
    else atSwap.push(`ALTER TABLE ${q(live)}.${q(c.t)} ADD CONSTRAINT ${q(c.name)} ${c.def}`);
  }
  const indexes = db.all<{ t: string; name: string; def: string }>(
    `SELECT c.relname AS t, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
      ORDER BY c.relname, ic.relname`,
    [live, catalog],
  );
  for (const i of indexes) staging.push({ table: i.t, name: i.name, sql: onStagingTable(i.def, i.t) });
  const triggers = db.all<{ t: string; name: string; def: string }>(
    `SELECT c.relname AS t, tg.tgname AS name, pg_get_triggerdef(tg.oid) AS def
       FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND NOT tg.tgisinternal ORDER BY c.relname, tg.tgname`,
    [live, catalog],
  );
  for (const t of triggers) staging.push({ table: t.t, name: t.name, sql: onStagingTable(t.def, t.t) });
  const referencing = db.all<{ table: string; name: string; def: string }>(
    `SELECT c.relname AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class rc ON rc.oid = con.confrelid
      WHERE con.contype = 'f' AND n.nspname = $1 AND rc.relname = ANY($2::text[]) AND rc.relnamespace = n.oid AND NOT (c.relname = ANY($2::text[]))
      ORDER BY c.relname, con.conname`,
    [live, catalog],
  );
  return { staging, atSwap, referencing };
}

/** An index's or trigger's definition ("… ON schema.table USING …") made to name the staging table. */
function onStagingTable(def: string, table: string): string {
  const m = / ON (ONLY )?(\S+) /.exec(def);
  if (!m) throw new Error(`cannot read the table of: ${def}`);
  return `${def.slice(0, m.index)} ON ${m[1] ?? ''}${q(STAGING_SCHEMA)}.${q(table)} ${def.slice(m.index + m[0].length)}`;
}

function closeRolledBack(db: PgDatabase): void {
  try {
    if (db.inTransaction) db.end(false);
  } catch {
    // the connection is gone: the server rolled back with it
  } finally {
    db.close();
  }
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) return `${(la[i] ?? '').trim()} ≠ ${(lb[i] ?? '').trim()}`;
  return '';
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.trim();
}
