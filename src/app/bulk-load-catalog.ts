/**
 * The bulk path for full loads (issue 22, item 1): the whole catalog is read from its MARC files into
 * a new database file built aside (src/store/bulk-catalog-file.ts), checked, swapped in for the live
 * one, and the search index is rebuilt for it. Used by the first `jala ingest` into an empty
 * consortium and by `jala reindex --full` when every source is files. Incremental ingests, OAI-PMH
 * harvests and deletions keep the per-record path (src/ingest/ingest-marc-files.ts), which commits
 * batch by batch into the live file.
 *
 * The records go through the same steps as the per-record path (prepare, place, merge) with the same
 * rules, so the works are the same; what changes is the file they are written to (no journal, no
 * fsync, secondary indexes built at the end, no other reader to keep consistent while it is written)
 * and where deduplication looks: maps in memory instead of store queries, each work merged once
 * (src/ingest/bulk-work-placer.ts). A list naming one library twice keeps the store's deduplication.
 *
 * With JALA_DATABASE_URL the catalog is built the same way into PostgreSQL (issue 22, item 6): new
 * catalog tables in a staging schema filled by COPY, indexed after the data and swapped for the live
 * ones, all in one transaction (src/store-postgres/pg-bulk-catalog.ts); the index is rebuilt from them.
 */
import path from 'node:path';
import type { ConsortiumConfig, HoldingsProfile } from '../config/consortium-config.ts';
import { loadConsortiumConfig } from '../config/load-config.ts';
import { resolveSourcePaths } from '../ingest/source-paths.ts';
import { BulkWorkPlacer } from '../ingest/bulk-work-placer.ts';
import { ingestMarcFiles, preparerForIngests, type IngestProgress, type IngestSummary, type IngestTimings } from '../ingest/ingest-marc-files.ts';
import type { RecordPreparer } from '../ingest/prepare-records.ts';
import { openCatalogIndex } from '../search/catalog-index.ts';
import { BulkCatalogFile, BulkFileError, discardHalfBuiltCatalog, inspectLiveCatalog, type BulkFileFailure, type BulkStage } from '../store/bulk-catalog-file.ts';
import { openDatabase, StoreError } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { SqliteHarvestStore } from '../store/sqlite-harvest-store.ts';
import { PgBulkCatalog } from '../store-postgres/pg-bulk-catalog.ts';
import { PgCatalogStore } from '../store-postgres/pg-catalog-store.ts';
import { LOCK_KEYS, openPgDatabase, PgDatabase } from '../store-postgres/pg-database.ts';
import { PgHarvestStore } from '../store-postgres/pg-harvest-store.ts';
import { databaseUrlOf } from './open-stores.ts';
import { FULL_LOAD_BY, takeFullLoadLock, type OpenedHarvestStore } from '../harvest/full-load-lock.ts';
import type { RunningReindex } from '../harvest/reindex-runner.ts';

export interface BulkLibrary {
  code: string;
  name?: string;
  paths: string[];
  holdingsProfile?: HoldingsProfile;
}

export type BulkLoadStage = BulkStage | 'indexed-search';

export interface BulkLoadOptions {
  dataDir: string;
  /** every library of the new catalog, in the order the per-record path would ingest them */
  libraries: readonly BulkLibrary[];
  /** told each point the build passes (a log line each; the kill test stops the process at them) */
  onStage?: (stage: BulkLoadStage) => void;
  onProgress?: (library: string, p: IngestProgress) => void;
  timings?: IngestTimings;
  /** who reads and maps the records (default: chosen for the size of the input, closed at the end) */
  preparer?: RecordPreparer;
  /** rebuild and save the search index for the new file (default true; the benchmark times it itself) */
  index?: boolean;
  /** first start only: told once when another process's full load is running and this one waits for it */
  onWaiting?: (line: string) => void;
  /** how often that wait looks again (ms; tests) */
  pollMs?: number;
  now?: () => Date;
}

export type BulkLoadResult =
  | { ok: true; summaries: IngestSummary[]; records: number; works: number; items: number; index?: { how: string; seq: number } }
  | { ok: false; code: BulkFileFailure | 'files/unreadable'; message: string; summaries: IngestSummary[] };

/**
 * Is the live catalog of a data directory empty, and could a bulk build be swapped in for it (no
 * other process has it open)? A half-built file left by a crash is discarded on the way.
 */
export function bulkLoadPossible(dataDir: string): { empty: boolean; exclusive: boolean } {
  const url = databaseUrlOf();
  if (url !== undefined) {
    // PostgreSQL swaps tables in one transaction: other sessions may keep reading meanwhile. The staging
    // schema needs CREATE on the database: a role without it loads record by record.
    const db = openPgDatabase(url);
    try {
      const mayCreate = db.get<{ ok: boolean }>("SELECT has_database_privilege(current_database(), 'CREATE') AS ok")?.ok === true;
      return { empty: db.get('SELECT 1 AS one FROM records LIMIT 1') === undefined, exclusive: mayCreate };
    } finally {
      db.close();
    }
  }
  const live = inspectLiveCatalog(dataDir);
  return { empty: live.records === 0, exclusive: live.exclusive };
}

/** Builds the whole catalog from `libraries` aside and swaps it in; the live file is untouched until then. */
export async function bulkLoadCatalog(opts: BulkLoadOptions): Promise<BulkLoadResult> {
  const url = databaseUrlOf();
  const summaries: IngestSummary[] = [];
  const stage = opts.onStage ?? (() => {});
  // in memory, every record is new: a library listed twice (its second files update the first's) is the store's to deduplicate
  const codes = opts.libraries.map((l) => l.code);
  let placer = new Set(codes).size === codes.length ? new BulkWorkPlacer() : undefined;
  const inMemory = placer !== undefined;
  // PostgreSQL: the catalog tables built in a staging schema by COPY and swapped in, in one transaction
  // (src/store-postgres/pg-bulk-catalog.ts); SQLite: a new file built aside and renamed over the live one
  let file: BulkCatalogFile | PgBulkCatalog;
  try {
    if (url !== undefined) {
      if (!inMemory) throw new Error('the PostgreSQL bulk load takes each library once (a library listed twice loads record by record)');
      file = PgBulkCatalog.create(url, stage);
    } else {
      const live = inspectLiveCatalog(opts.dataDir);
      if (!live.exclusive) {
        return { ok: false, code: 'store/catalog-in-use', message: 'another process has the catalog database open (a running bot?): stop it, then run the full load again', summaries };
      }
      file = BulkCatalogFile.create(opts.dataDir, live, stage, !inMemory);
    }
  } catch (e) {
    if (e instanceof BulkFileError) return { ok: false, code: e.code, message: e.message, summaries };
    throw e;
  }
  let counts: { records: number; works: number; items: number };
  const preparer = opts.preparer ?? (await preparerForIngests(opts.libraries.flatMap((l) => l.paths)));
  try {
    for (const [i, lib] of opts.libraries.entries()) {
      const after = opts.libraries[i + 1];
      summaries.push(
        await ingestMarcFiles({
          store: file.store,
          library: lib.code,
          ...(lib.name !== undefined ? { name: lib.name } : {}),
          paths: lib.paths,
          ...(lib.holdingsProfile ? { holdingsProfile: lib.holdingsProfile } : {}),
          preparer,
          ...(after ? { next: { library: after.code, paths: after.paths, ...(after.holdingsProfile ? { holdingsProfile: after.holdingsProfile } : {}) } } : {}),
          ...(opts.timings ? { timings: opts.timings } : {}),
          ...(placer ? { placer } : {}),
          ...(opts.now ? { now: opts.now } : {}),
          ...(opts.onProgress ? { onProgress: (p: IngestProgress) => opts.onProgress?.(lib.code, p) } : {}),
        }),
      );
    }
    if (placer && !summaries.some((s) => s.fatal.length > 0)) {
      const timings = opts.timings;
      const started = timings ? performance.now() : 0;
      const inner = timings ? timings.dedup : 0;
      placer.finish(file.store, timings ? (ms) => (timings.dedup += ms) : undefined);
      if (timings) timings.store += performance.now() - started - (timings.dedup - inner);
      // its maps are the size of the catalog: let them go before the search index is built
      placer = undefined;
    }
  } catch (e) {
    file.discard();
    throw e;
  } finally {
    if (!opts.preparer) await preparer.close();
  }
  if (summaries.some((s) => s.fatal.length > 0)) {
    // a library whose files could not be read would be missing from the new catalog: keep the old one
    file.discard();
    const fatal = summaries.flatMap((s) => s.fatal)[0];
    return { ok: false, code: 'files/unreadable', message: `${fatal?.file}: ${fatal?.reason} (the catalog is left as it was)`, summaries };
  }
  try {
    counts = file.complete({ records: summaries.reduce((n, s) => n + s.ingested, 0) });
  } catch (e) {
    if (e instanceof BulkFileError) return { ok: false, code: e.code, message: e.message, summaries };
    throw e;
  }
  if (opts.index === false) return { ok: true, summaries, ...counts };
  const db = url !== undefined ? openPgDatabase(url) : openDatabase(opts.dataDir);
  try {
    const store = db instanceof PgDatabase ? new PgCatalogStore(db) : new SqliteCatalogStore(db);
    const opened = openCatalogIndex(store, opts.dataDir, { rebuild: true });
    stage('indexed-search');
    return { ok: true, summaries, ...counts, index: { how: opened.how, seq: opened.seq } };
  } finally {
    db.close();
  }
}

export type BulkReindexDecision =
  | { used: false; why: 'one-library' | 'oai-sources' | 'unmatched-files' | 'in-use' | 'no-sources' | 'not-empty' | 'loaded-by-another' }
  | { used: false; why: 'harvest-running'; running: RunningReindex }
  | { used: true; result: BulkLoadResult };

/**
 * `jala reindex --full` over every library, when every source is files: the catalog is rebuilt by
 * the bulk path. OAI-PMH sources (harvest state and source keys follow their records) and a
 * single library's reindex keep the per-record path, as does a catalog another process has open:
 * the answer says which, and the caller runs the reindex runner instead.
 */
export async function bulkReindexFromConfig(
  dataDir: string,
  library: string | undefined,
  opts: Omit<BulkLoadOptions, 'dataDir' | 'libraries'> = {},
): Promise<BulkReindexDecision> {
  if (library !== undefined) return { used: false, why: 'one-library' };
  const loaded = loadConsortiumConfig(dataDir, process.env);
  if (!loaded.ok) throw new StoreError('store/unusable-data-dir', loaded.message);
  const configDir = loaded.path ? path.dirname(loaded.path) : dataDir;
  return bulkLoadConfigured(dataDir, loaded.config, configDir, 'full-reindex', opts);
}

/**
 * The configured libraries' files through the bulk path, when it applies:
 * - 'full-reindex': every source must be files, every pattern must match (the files are then the
 *   whole catalog), whatever the catalog holds now;
 * - 'first-start': what `npm start` loads into an empty consortium (each library's matching files;
 *   OAI-PMH sources are harvested later, by /reindex), only while the catalog has no record.
 */
export async function bulkLoadConfigured(
  dataDir: string,
  config: ConsortiumConfig,
  configDir: string,
  mode: 'full-reindex' | 'first-start',
  opts: Omit<BulkLoadOptions, 'dataDir' | 'libraries'> = {},
): Promise<BulkReindexDecision> {
  if (mode === 'full-reindex' && config.libraries.some((l) => l.oai.length > 0)) return { used: false, why: 'oai-sources' };
  const libraries: BulkLibrary[] = [];
  for (const lib of config.libraries) {
    if (lib.files.length === 0) continue;
    const resolved = await resolveSourcePaths(lib.files, configDir);
    if (mode === 'full-reindex' && resolved.unmatched.length > 0) return { used: false, why: 'unmatched-files' };
    libraries.push({ code: lib.code, name: lib.name, paths: resolved.paths, holdingsProfile: lib.holdingsProfile });
  }
  if (libraries.length === 0) return { used: false, why: 'no-sources' };
  const possible = bulkLoadPossible(dataDir);
  if (mode === 'first-start' && !possible.empty) return { used: false, why: 'not-empty' };
  if (!possible.exclusive) return { used: false, why: 'in-use' };
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const pollMs = opts.pollMs ?? FULL_LOAD_POLL_MS;
  // replicas started together on an empty consortium: one loads it, the others wait for that load
  // instead of storing the same records one by one beside it (which would also make its swap fail
  // as catalog-changed, wasting the build); whatever it left missing is then loaded record by record
  const waitForOther = async (): Promise<BulkReindexDecision> => {
    opts.onWaiting?.('another process is loading the union catalog: waiting for it to finish');
    await fullLoadFinished(dataDir, pollMs);
    return { used: false, why: 'loaded-by-another' };
  };
  // no library's reindex or harvest beside the full load (src/harvest/full-load-lock.ts)
  const openHarvest = (): OpenedHarvestStore => openHarvestStore(dataDir);
  let lock = takeFullLoadLock(openHarvest, now);
  if (!lock.ok && mode === 'first-start' && lock.running.by === FULL_LOAD_BY) {
    // another process's first load holds the lock: wait for it to let go, then see what it left
    opts.onWaiting?.('another process is loading the union catalog: waiting for it to finish');
    while (!lock.ok && lock.running.by === FULL_LOAD_BY) {
      await new Promise<void>((resolve) => setTimeout(resolve, pollMs));
      lock = takeFullLoadLock(openHarvest, now);
    }
    if (lock.ok && !bulkLoadPossible(dataDir).empty) {
      lock.release();
      return { used: false, why: 'loaded-by-another' };
    }
  }
  if (!lock.ok) return { used: false, why: 'harvest-running', running: lock.running };
  let result: BulkLoadResult;
  try {
    result = await bulkLoadCatalog({ ...opts, dataDir, libraries });
  } finally {
    lock.release();
  }
  // a full load that did not take the lock (a first `jala ingest`) was running
  if (mode === 'first-start' && !result.ok && result.code === 'store/bulk-running') return waitForOther();
  if (mode === 'full-reindex' && result.ok) recordFileRuns(dataDir, config, result.summaries, startedAt, now().toISOString());
  return { used: true, result };
}

/** What the first `jala ingest` into an empty consortium did about the bulk path. */
export type BulkIngestDecision = { used: false; running: RunningReindex } | { used: true; result: BulkLoadResult };

/**
 * The first `jala ingest` into an empty consortium (one library's files) by the bulk path, holding the
 * lock of every library as a full reindex does (src/harvest/full-load-lock.ts): it does not start
 * beside a library's reindex or harvest or another full load (`running` says which: the caller stores
 * the records one by one instead, or refuses beside a full load), and a reindex or harvest asked while
 * it runs is refused, naming it. Before, it ran beside a harvest and its swap then failed as
 * store/catalog-changed after the whole build.
 */
export async function bulkIngestLibrary(dataDir: string, library: BulkLibrary, opts: Omit<BulkLoadOptions, 'dataDir' | 'libraries'> = {}): Promise<BulkIngestDecision> {
  const lock = takeFullLoadLock(() => openHarvestStore(dataDir), opts.now);
  if (!lock.ok) return { used: false, running: lock.running };
  try {
    return { used: true, result: await bulkLoadCatalog({ ...opts, dataDir, libraries: [library] }) };
  } finally {
    lock.release();
  }
}

/** How often a process waiting for another's full load looks again. */
const FULL_LOAD_POLL_MS = 500;

/**
 * Resolves when no process is running a full load of this catalog: on SQLite, when no one holds the
 * file built aside (a crashed builder's file is discarded on the way); on PostgreSQL, when the bulk
 * load's advisory lock is free (a builder that dies loses it with its session). Polls, so that the
 * waiting process's event loop stays free.
 */
export async function fullLoadFinished(dataDir: string, pollMs = FULL_LOAD_POLL_MS): Promise<void> {
  const url = databaseUrlOf();
  const running = (): boolean => {
    if (url === undefined) return discardHalfBuiltCatalog(dataDir) === 'running';
    const db = openPgDatabase(url);
    try {
      if (db.get<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEYS.bulkLoad])?.ok !== true) return true;
      db.run('SELECT pg_advisory_unlock($1)', [LOCK_KEYS.bulkLoad]);
      return false;
    } finally {
      db.close();
    }
  };
  while (running()) await new Promise<void>((resolve) => setTimeout(resolve, pollMs));
}

/** The harvest store of the live catalog, on a connection of its own (close it after each use). */
function openHarvestStore(dataDir: string): OpenedHarvestStore {
  const url = databaseUrlOf();
  const db = url !== undefined ? openPgDatabase(url) : openDatabase(dataDir);
  return { harvest: db instanceof PgDatabase ? new PgHarvestStore(db) : new SqliteHarvestStore(db), close: () => db.close() };
}

/** A full reindex's runs of each library's files, as the reindex runner records them (for `jala stats`). */
function recordFileRuns(dataDir: string, config: ConsortiumConfig, summaries: readonly IngestSummary[], startedAt: string, finishedAt: string): void {
  const { harvest, close } = openHarvestStore(dataDir);
  try {
    for (const s of summaries) {
      const lib = config.libraries.find((l) => l.code === s.library);
      const id = harvest.startRun(s.library, 'files', 'full', startedAt);
      harvest.finishRun(id, finishedAt, 'ok', {
        library: s.library, kind: 'files', source: 'files', label: `files (${lib?.files.join(', ') ?? ''})`, mode: 'full (bulk load)', outcome: 'ok',
        received: s.read, ingested: s.ingested, updated: s.updated, unchanged: s.unchanged, skipped: s.skipped, deleted: s.deleted, problems: s.problems.length,
      });
    }
  } finally {
    close();
  }
}
