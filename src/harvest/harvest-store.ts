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

export interface ReindexLockRow {
  holder: string;
  pid: number;
  description: string;
  startedAt: string;
  heartbeatAt: string;
}

/**
 * Harvest state, runs, source keys and the reindex lock (the port; the SQLite implementation is src/store/sqlite-harvest-store.ts).
 */
export interface HarvestStore extends SourceKeyStore {
  state(source: string): HarvestStateRow | undefined;
  saveState(row: HarvestStateRow): void;
  startRun(library: string, source: string, mode: string, now: string): number;
  finishRun(id: number, now: string, outcome: Exclude<HarvestOutcome, 'running'>, summary: unknown, error?: { code: string; message: string }): void;
  /** Runs left 'running' by a process that died: they were interrupted. */
  abandonRunningRuns(now: string): number;
  /** The latest run of every (library, source). */
  lastRuns(): HarvestRunRow[];
  recentRuns(limit?: number): HarvestRunRow[];
  /** Records of a source that the full harvest `fullRun` did not see. */
  recordsNotSeenIn(source: string, fullRun: number): string[];
  keyCount(source: string): number;
  lock(): ReindexLockRow | undefined;
  /** Takes the reindex lock unless someone holds it and `stillHeld(lock)` says they are alive; two processes cannot both win. */
  tryLock(
    holder: { holder: string; pid: number; description: string },
    now: string,
    stillHeld: (lock: ReindexLockRow) => boolean,
  ): { ok: true } | { ok: false; lock: ReindexLockRow };
  heartbeat(holder: string, now: string, description: string): void;
  unlock(holder: string): void;
}
