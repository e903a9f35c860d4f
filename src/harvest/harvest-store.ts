import type { SourceKeyStore } from '../ingest/source-key-store.ts';

/** Where one harvest source stands: the next incremental `from`, and an unfinished list to resume. */
export interface HarvestStateRow {
  source: string;
  library: string;
  granularity: string | null;
  nextFrom: string | null;
  lastSuccessAt: string | null;
  pendingToken: string | null;
  pendingMode: 'full' | 'incremental' | null;
  pendingFrom: string | null;
  pendingResponseDate: string | null;
  pendingRun: number | null;
  pendingHarvested: number;
  pendingTotal: number | null;
  updatedAt: string;
}

export type HarvestOutcome = 'running' | 'ok' | 'failed' | 'interrupted';

export interface HarvestRunRow {
  id: number;
  library: string;
  source: string;
  mode: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: HarvestOutcome;
  errorCode: string | null;
  error: string | null;
  summary: string | null;
}

/** The lock scope of a reindex of every library: it excludes every other reindex. */
export const ALL_LIBRARIES = '*';

/** A reindex lock: of one library (`scope` is its code), or of every library (`scope` is ALL_LIBRARIES). */
export interface ReindexLockRow {
  scope: string;
  holder: string;
  pid: number;
  description: string;
  startedAt: string;
  heartbeatAt: string;
}

/** Do two lock scopes exclude each other? The same library, or either of them every library. */
export function scopesConflict(a: string, b: string): boolean {
  return a === b || a === ALL_LIBRARIES || b === ALL_LIBRARIES;
}

/**
 * What a store does in its one locked transaction when `holder` asks for the lock of `scope`: the
 * first live lock of another holder it conflicts with, or else the dead locks to remove and the
 * libraries whose runs must stay 'running' (a live holder's).
 */
export function planLock(
  locks: readonly ReindexLockRow[],
  holder: string,
  scope: string,
  stillHeld: (lock: ReindexLockRow) => boolean,
): { ok: false; lock: ReindexLockRow } | { ok: true; deadHolders: string[]; liveScopes: string[] } {
  const others = locks.filter((l) => l.holder !== holder);
  const live = others.filter((l) => stillHeld(l));
  const conflict = live.find((l) => scopesConflict(l.scope, scope));
  if (conflict) return { ok: false, lock: conflict };
  return { ok: true, deadHolders: [...new Set(others.filter((l) => !live.includes(l)).map((l) => l.holder))], liveScopes: live.map((l) => l.scope) };
}

/**
 * Harvest state, runs, source keys and the reindex locks (the port; the SQLite implementation is src/store/sqlite-harvest-store.ts).
 */
export interface HarvestStore extends SourceKeyStore {
  state(source: string): HarvestStateRow | undefined;
  saveState(row: HarvestStateRow): void;
  startRun(library: string, source: string, mode: string, now: string): number;
  finishRun(id: number, now: string, outcome: Exclude<HarvestOutcome, 'running'>, summary: unknown, error?: { code: string; message: string }): void;
  /** Runs left 'running' by a process that died: they were interrupted. Runs of the libraries in `keep` (a live holder's) are left alone. */
  abandonRunningRuns(now: string, keep?: readonly string[]): number;
  /** The latest run of every (library, source). */
  lastRuns(): HarvestRunRow[];
  recentRuns(limit?: number): HarvestRunRow[];
  /** Records of a source that the full harvest `fullRun` did not see. */
  recordsNotSeenIn(source: string, fullRun: number): string[];
  keyCount(source: string): number;
  /** Every reindex lock in the table, live or not (the caller judges), by scope. */
  locks(): ReindexLockRow[];
  /**
   * Takes the lock of `scope` (a library's code, or ALL_LIBRARIES) unless another holder that
   * `stillHeld(lock)` says is alive holds the same scope or either scope is every library; two processes
   * cannot both win. In the same transaction, the locks of dead holders are removed and the runs they
   * left 'running' (of libraries no live lock covers) are marked interrupted.
   */
  tryLock(
    holder: { holder: string; pid: number; description: string; scope: string },
    now: string,
    stillHeld: (lock: ReindexLockRow) => boolean,
  ): { ok: true } | { ok: false; lock: ReindexLockRow };
  /** Refreshes the locks of `holder`. */
  heartbeat(holder: string, now: string, description: string): void;
  /** Releases the locks of `holder`. */
  unlock(holder: string): void;
}
