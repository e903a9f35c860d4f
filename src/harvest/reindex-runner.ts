/**
 * Reindex: run the configured sources of every library (or one) in the background — files re-read,
 * OAI-PMH harvested incrementally (or `full`) — then bring the search index up to date off to the side
 * and swap it in at once. Questions keep being answered from the current index meanwhile.
 *
 * Across processes (replicas), one reindex per library at a time: a reindex of one library takes that
 * library's lock row, so reindexes of two different libraries run at once in two processes (their
 * batches are placed in turn: CatalogStore.transaction), while a reindex of every library takes the
 * lock of every library and excludes every other. A lock is refreshed while its run lives; one whose
 * process died or stopped refreshing it is taken over. The same holds within a process: its runs of
 * different libraries run side by side (each page stored in a synchronous transaction of its own).
 */
import os from 'node:os';
import type { ConsortiumConfig, LibraryConfig, OaiSource } from '../config/consortium-config.ts';
import { ingestMarcFiles, preparerForIngests, type IngestProblem } from '../ingest/ingest-marc-files.ts';
import type { RecordPreparer } from '../ingest/prepare-records.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { ALL_LIBRARIES, scopesConflict, type HarvestStore, type ReindexLockRow } from './harvest-store.ts';
import type { HttpPolicy } from './oai-client.ts';
import { harvestOai, oaiSourceKey, oaiSourceLabel, type HarvestMode } from './oai-harvester.ts';
import { resolveSourcePaths } from '../ingest/source-paths.ts';

export type ReindexTrigger = 'chat' | 'cli' | 'schedule';

export interface ReindexRequest {
  /** one library's sources; all libraries when absent */
  library?: string;
  full?: boolean;
  trigger: ReindexTrigger;
  /** who asked (shown to whoever asks while it runs); never a patron's id */
  by?: string;
}

export interface ReindexSourceReport {
  library: string;
  kind: 'files' | 'oai';
  /** "files" or the OAI source's state key */
  source: string;
  label: string;
  /** full, incremental, or "full, resumed" */
  mode: string;
  outcome: 'ok' | 'failed';
  error?: { code: string; message: string };
  /** records (and OAI deletions) read from the source */
  received: number;
  ingested: number;
  updated: number;
  unchanged: number;
  skipped: number;
  deleted: number;
  pages?: number;
  /** the first problems (broken records, unreadable files) */
  problems: IngestProblem[];
}

export interface ReindexReport {
  id: string;
  mode: HarvestMode;
  library?: string;
  trigger: ReindexTrigger;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  outcome: 'ok' | 'partial' | 'failed';
  sources: ReindexSourceReport[];
  /** how the new index was made and the catalog change it reflects */
  index?: { how: string; seq: number };
  error?: { code: string; message: string };
}

export interface ReindexProgress {
  id: string;
  mode: HarvestMode;
  library?: string;
  phase: 'harvest' | 'index' | 'done';
  /** the source being read: which, the n-th of how many, what it has sent so far and how much in all when known */
  current?: { library: string; label: string; index: number; of: number; received?: number; total?: number };
  received: number;
  ingested: number;
  unchanged: number;
  skipped: number;
  deleted: number;
  ratePerSecond: number;
  /** of the current source, when its size is known */
  etaSeconds?: number;
  elapsedSeconds: number;
  report?: ReindexReport;
}

export interface RunningReindex {
  id: string;
  mode: HarvestMode;
  library?: string;
  trigger: ReindexTrigger;
  by?: string;
  startedAt: string;
  /** the latest progress, when the run is in this process */
  progress?: ReindexProgress;
}

export type ReindexStart =
  | { ok: true; id: string; done: Promise<ReindexReport> }
  | { ok: false; error: 'reindex/already-running'; running: RunningReindex }
  | { ok: false; error: 'reindex/unknown-library'; library: string; known: string[] }
  | { ok: false; error: 'reindex/no-sources'; library?: string };

export interface ReindexRunner {
  start(req: ReindexRequest, onProgress?: (p: ReindexProgress) => void): ReindexStart;
  /** the reindex running now (here or in another process), if any */
  running(): RunningReindex | undefined;
  /** settles when no reindex of this process is running (wait for it before closing the store) */
  idle(): Promise<void>;
}

export interface ReindexDeps {
  store: CatalogStore;
  harvest: HarvestStore;
  config: ConsortiumConfig;
  /** the folder `files` entries are relative to */
  configDir: string;
  /** catch up (or, with rebuild, rebuild) the search index off to the side and swap it in */
  refreshIndex: (opts: { rebuild: boolean }) => { how: string; seq: number };
  now?: () => Date;
  /** overrides of the HTTP policy from the config (tests: fetch, sleep) */
  http?: Partial<HttpPolicy>;
}

/** A lock held from another host and not refreshed for this long is abandoned (on this host: when its process is gone). */
const LOCK_STALE_MS = 10 * 60_000;
/** …and any lock this old, whatever its process id says (ids are reused). */
const LOCK_ABANDONED_MS = 6 * 3600_000;
const HEARTBEAT_MS = 15_000;

interface PlannedSource {
  library: LibraryConfig;
  kind: 'files' | 'oai';
  oai?: OaiSource;
  label: string;
}

export function createReindexRunner(deps: ReindexDeps): ReindexRunner {
  const now = deps.now ?? (() => new Date());
  const harvest = deps.harvest;
  /** each run holds its lock as `${base}:${run id}` */
  const base = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const settings = deps.config.harvest;
  const http: HttpPolicy = {
    timeoutMs: settings.timeoutSeconds * 1000,
    retries: settings.retries,
    retryDelayMs: settings.retryDelaySeconds * 1000,
    ...deps.http,
  };
  /** the runs of this process, by id: of different libraries (or one of every library) */
  const runs = new Map<string, { running: RunningReindex; scope: string; done: Promise<unknown> }>();
  let started = 0;

  const stillHeld = (lock: ReindexLockRow): boolean => reindexLockAlive(lock, now());

  const plan = (library: string | undefined): PlannedSource[] => {
    const out: PlannedSource[] = [];
    for (const lib of deps.config.libraries) {
      if (library !== undefined && lib.code !== library) continue;
      if (lib.files.length > 0) out.push({ library: lib, kind: 'files', label: `files (${lib.files.join(', ')})` });
      for (const src of lib.oai) out.push({ library: lib, kind: 'oai', oai: src, label: oaiSourceLabel(src) });
    }
    return out;
  };

  const start = (req: ReindexRequest, onProgress?: (p: ReindexProgress) => void): ReindexStart => {
    let library: string | undefined;
    if (req.library !== undefined) {
      const lib = deps.config.libraries.find((l) => l.code.toLowerCase() === req.library?.toLowerCase());
      if (!lib) return { ok: false, error: 'reindex/unknown-library', library: req.library, known: deps.config.libraries.map((l) => l.code) };
      library = lib.code;
    }
    const sources = plan(library);
    if (sources.length === 0) return { ok: false, error: 'reindex/no-sources', ...(library ? { library } : {}) };
    const mode: HarvestMode = req.full ? 'full' : 'incremental';
    const scope = library ?? ALL_LIBRARIES;
    // a run of this process in the way: told with its progress (the lock below would refuse it too)
    const here = [...runs.values()].find((r) => scopesConflict(r.scope, scope));
    if (here) return { ok: false, error: 'reindex/already-running', running: here.running };
    const startedAt = now();
    const stamp = `x${startedAt.getTime().toString(36)}`;
    const id = runs.has(stamp) ? `${stamp}-${++started}` : stamp; // two runs started in one millisecond
    const holder = `${base}:${id}`;
    const running: RunningReindex = { id, mode, trigger: req.trigger, startedAt: startedAt.toISOString(), ...(library ? { library } : {}), ...(req.by ? { by: req.by } : {}) };
    // the lock of this library, or of every library; runs a dead holder left 'running' are marked interrupted with it
    const locked = harvest.tryLock({ holder, pid: process.pid, description: JSON.stringify(running), scope }, startedAt.toISOString(), stillHeld);
    if (!locked.ok) return { ok: false, error: 'reindex/already-running', running: describeLock(locked.lock) };
    const done = run(running, holder, sources, onProgress).finally(() => {
      runs.delete(id);
      try {
        harvest.unlock(holder);
      } catch {
        // the database was closed under the run: the lock is stale once this process is gone
      }
    });
    runs.set(id, { running, scope, done });
    return { ok: true, id, done };
  };

  const run = async (running: RunningReindex, holder: string, sources: PlannedSource[], onProgress?: (p: ReindexProgress) => void): Promise<ReindexReport> => {
    const t0 = now().getTime();
    const reports: ReindexSourceReport[] = [];
    const totals = { received: 0, ingested: 0, unchanged: 0, skipped: 0, deleted: 0 };
    let lastBeat = t0;
    const emit = (phase: ReindexProgress['phase'], live: Partial<typeof totals> & { current?: ReindexProgress['current']; etaSeconds?: number }, report?: ReindexReport): void => {
      const elapsed = Math.max(0.001, (now().getTime() - t0) / 1000);
      const received = totals.received + (live.received ?? 0);
      const progress: ReindexProgress = {
        id: running.id,
        mode: running.mode,
        ...(running.library ? { library: running.library } : {}),
        phase,
        ...(live.current ? { current: live.current } : {}),
        received,
        ingested: totals.ingested + (live.ingested ?? 0),
        unchanged: totals.unchanged + (live.unchanged ?? 0),
        skipped: totals.skipped + (live.skipped ?? 0),
        deleted: totals.deleted + (live.deleted ?? 0),
        ratePerSecond: Math.round((received / elapsed) * 10) / 10,
        ...(live.etaSeconds !== undefined && Number.isFinite(live.etaSeconds) ? { etaSeconds: Math.max(0, Math.round(live.etaSeconds)) } : {}),
        elapsedSeconds: Math.round(elapsed * 10) / 10,
        ...(report ? { report } : {}),
      };
      running.progress = progress;
      if (now().getTime() - lastBeat > HEARTBEAT_MS) {
        lastBeat = now().getTime();
        try {
          harvest.heartbeat(holder, now().toISOString(), JSON.stringify({ ...running, progress: undefined }));
        } catch {
          // the store was closed under the run; the run fails at its next write and says so
        }
      }
      try {
        onProgress?.(progress);
      } catch {
        // a listener that fails (a closed outbox, a broken terminal) does not stop the reindex
      }
    };

    const finish = (outcome: ReindexReport['outcome'], index?: ReindexReport['index'], error?: ReindexReport['error']): ReindexReport => {
      const finishedAt = now();
      const report: ReindexReport = {
        id: running.id, mode: running.mode, ...(running.library ? { library: running.library } : {}), trigger: running.trigger,
        startedAt: running.startedAt, finishedAt: finishedAt.toISOString(), seconds: Math.round((finishedAt.getTime() - t0) / 100) / 10,
        outcome, sources: reports, ...(index ? { index } : {}), ...(error ? { error } : {}),
      };
      emit('done', {}, report);
      return report;
    };

    // every library's files, resolved once: one record preparer reads them all, each library's files
    // read ahead while the one before is stored
    const resolvedFiles = new Map<PlannedSource, Awaited<ReturnType<typeof resolveSourcePaths>>>();
    let preparer: RecordPreparer | undefined;

    const runFiles = async (planned: PlannedSource, mode: HarvestMode, where: NonNullable<ReindexProgress['current']>, next: PlannedSource | undefined): Promise<ReindexSourceReport> => {
      const lib = planned.library;
      const runId = harvest.startRun(lib.code, 'files', mode, now().toISOString());
      const resolved = resolvedFiles.get(planned) ?? (await resolveSourcePaths(lib.files, deps.configDir));
      const nextPaths = next ? resolvedFiles.get(next)?.paths : undefined;
      const started = now().getTime();
      const summary = await ingestMarcFiles({
        store: deps.store,
        library: lib.code,
        name: lib.name,
        paths: resolved.paths,
        ...(preparer ? { preparer } : {}),
        ...(next && nextPaths ? { next: { library: next.library.code, paths: nextPaths, holdingsProfile: next.library.holdingsProfile } } : {}),
        holdingsProfile: lib.holdingsProfile,
        // the files are the whole library only when it has no other source
        replace: lib.oai.length === 0 && resolved.unmatched.length === 0,
        now,
        onProgress: (p) => {
          const elapsed = (now().getTime() - started) / 1000;
          const eta = p.fileIndex > 0 ? (elapsed / p.fileIndex) * (p.files - p.fileIndex) : undefined;
          emit('harvest', { current: { ...where, received: p.read }, received: p.read, ...(eta !== undefined ? { etaSeconds: eta } : {}) });
        },
      });
      const problems = [...resolved.unmatched.map((u) => ({ file: u, position: 'pattern', code: 'files/no-match' as const, reason: 'no file matches' })), ...summary.problems];
      const failed = summary.fatal.length > 0 || resolved.unmatched.length > 0;
      const error = failed ? { code: 'files/unreadable', message: [...summary.fatal, ...problems].map((p) => `${p.file}: ${p.reason}`)[0] ?? 'unreadable' } : undefined;
      const report: ReindexSourceReport = {
        library: lib.code, kind: 'files', source: 'files', label: planned.label, mode, outcome: failed ? 'failed' : 'ok', ...(error ? { error } : {}),
        received: summary.read, ingested: summary.ingested, updated: summary.updated, unchanged: summary.unchanged, skipped: summary.skipped,
        deleted: summary.deleted, problems: problems.slice(0, 20),
      };
      harvest.finishRun(runId, now().toISOString(), report.outcome, { ...report, problems: problems.length }, error);
      return report;
    };

    const runOai = async (planned: PlannedSource, mode: HarvestMode, where: NonNullable<ReindexProgress['current']>): Promise<ReindexSourceReport> => {
      const lib = planned.library;
      const src = planned.oai as OaiSource;
      const started = now().getTime();
      const result = await harvestOai({
        store: deps.store,
        harvest,
        library: lib.code,
        libraryName: lib.name,
        source: src,
        holdingsProfile: src.holdingsProfile ?? lib.holdingsProfile,
        mode,
        http,
        now,
        onProgress: (p) => {
          const elapsed = (now().getTime() - started) / 1000;
          const rate = p.received / Math.max(elapsed, 0.001);
          const left = p.total !== undefined ? p.total - p.receivedBefore - p.received : undefined;
          emit('harvest', {
            current: { ...where, received: p.receivedBefore + p.received, ...(p.total !== undefined ? { total: p.total } : {}) },
            received: p.received,
            ingested: p.ingest.ingested + p.ingest.updated,
            unchanged: p.ingest.unchanged,
            skipped: p.ingest.skipped,
            deleted: p.ingest.deleted,
            ...(left !== undefined && rate > 0 ? { etaSeconds: left / rate } : {}),
          });
        },
      });
      const s = result.summary;
      return {
        library: lib.code, kind: 'oai', source: oaiSourceKey(lib.code, src), label: planned.label, mode: s.resumed ? `${s.mode}, resumed` : s.mode,
        outcome: result.ok ? 'ok' : 'failed', ...(result.ok ? {} : { error: result.error }),
        received: s.records + s.deletions, ingested: s.ingest.ingested, updated: s.ingest.updated, unchanged: s.ingest.unchanged,
        skipped: s.ingest.skipped, deleted: s.ingest.deleted, pages: s.pages, problems: s.ingest.problems.slice(0, 20),
      };
    };

    try {
      for (const planned of sources) {
        if (planned.kind === 'files') resolvedFiles.set(planned, await resolveSourcePaths(planned.library.files, deps.configDir));
      }
      preparer = await preparerForIngests([...resolvedFiles.values()].flatMap((r) => r.paths));
      for (const [i, planned] of sources.entries()) {
        const where = { library: planned.library.code, label: planned.label, index: i + 1, of: sources.length };
        emit('harvest', { current: where });
        const nextFiles = sources.slice(i + 1).find((p) => p.kind === 'files');
        const report = planned.kind === 'files' ? await runFiles(planned, running.mode, where, nextFiles) : await runOai(planned, running.mode, where);
        reports.push(report);
        totals.received += report.received;
        totals.ingested += report.ingested + report.updated;
        totals.unchanged += report.unchanged;
        totals.skipped += report.skipped;
        totals.deleted += report.deleted;
      }
      emit('index', {});
      await new Promise((resolve) => setImmediate(resolve)); // let the progress out before the index work
      const index = deps.refreshIndex({ rebuild: running.mode === 'full' });
      const failed = reports.filter((r) => r.outcome === 'failed').length;
      return finish(failed === 0 ? 'ok' : failed === reports.length ? 'failed' : 'partial', index);
    } catch (err) {
      return finish('failed', undefined, { code: 'reindex/internal', message: err instanceof Error ? err.message : String(err) });
    } finally {
      await preparer?.close();
    }
  };

  return {
    start,
    idle: async () => {
      while (runs.size > 0) await Promise.allSettled([...runs.values()].map((r) => r.done));
    },
    running: () => {
      const here = runs.values().next().value;
      if (here) return here.running;
      const lock = harvest.locks().find((l) => stillHeld(l));
      return lock ? describeLock(lock) : undefined;
    },
  };
}

/**
 * Is the holder of a reindex lock still there? On this host, while its process lives; elsewhere,
 * while it keeps beating (LOCK_STALE_MS); never past LOCK_ABANDONED_MS without a beat.
 */
export function reindexLockAlive(lock: ReindexLockRow, now: Date): boolean {
  const age = now.getTime() - Date.parse(lock.heartbeatAt);
  if (!(age < LOCK_ABANDONED_MS)) return false;
  const sameHost = lock.holder.startsWith(`${os.hostname()}:`);
  return sameHost ? processAlive(lock.pid) : age < LOCK_STALE_MS;
}

/** How often a holder refreshes its reindex lock. */
export const REINDEX_HEARTBEAT_MS = HEARTBEAT_MS;

/** What a lock's holder said it is running, for whoever is refused by it. */
export function describeLock(lock: ReindexLockRow): RunningReindex {
  try {
    const d = JSON.parse(lock.description) as RunningReindex;
    const library = d.library ?? (lock.scope !== ALL_LIBRARIES ? lock.scope : undefined);
    return { id: d.id, mode: d.mode, trigger: d.trigger, startedAt: d.startedAt ?? lock.startedAt, ...(library ? { library } : {}), ...(d.by ? { by: d.by } : {}) };
  } catch {
    return { id: '?', mode: 'incremental', trigger: 'cli', startedAt: lock.startedAt, ...(lock.scope !== ALL_LIBRARIES ? { library: lock.scope } : {}) };
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
