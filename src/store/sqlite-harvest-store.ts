import type { SqliteDatabase } from './open-database.ts';
import { planLock, type HarvestStateRow, type HarvestOutcome, type HarvestRunRow, type ReindexLockRow, type HarvestStore } from '../harvest/harvest-store.ts';
export type { HarvestStateRow, HarvestOutcome, HarvestRunRow, ReindexLockRow } from '../harvest/harvest-store.ts';

const STATE_COLUMNS = `source, library, granularity, next_from AS nextFrom, last_success_at AS lastSuccessAt,
  pending_token AS pendingToken, pending_mode AS pendingMode, pending_from AS pendingFrom,
  pending_response_date AS pendingResponseDate, pending_run AS pendingRun, pending_harvested AS pendingHarvested,
  pending_total AS pendingTotal, updated_at AS updatedAt`;

const RUN_COLUMNS = `id, library, source, mode, started_at AS startedAt, finished_at AS finishedAt, outcome,
  error_code AS errorCode, error, summary`;

/** Harvest state, harvest runs, the source keys of harvested records, and the reindex lock. */
export class SqliteHarvestStore implements HarvestStore {
  private readonly s;

  constructor(readonly db: SqliteDatabase) {
    this.s = {
      state: db.prepare(`SELECT ${STATE_COLUMNS} FROM harvest_state WHERE source = ?`),
      upsertState: db.prepare(`INSERT INTO harvest_state (source, library, granularity, next_from, last_success_at, pending_token,
          pending_mode, pending_from, pending_response_date, pending_run, pending_harvested, pending_total, updated_at)
        VALUES (@source, @library, @granularity, @nextFrom, @lastSuccessAt, @pendingToken, @pendingMode, @pendingFrom,
          @pendingResponseDate, @pendingRun, @pendingHarvested, @pendingTotal, @updatedAt)
        ON CONFLICT(source) DO UPDATE SET library = excluded.library, granularity = excluded.granularity,
          next_from = excluded.next_from, last_success_at = excluded.last_success_at, pending_token = excluded.pending_token,
          pending_mode = excluded.pending_mode, pending_from = excluded.pending_from,
          pending_response_date = excluded.pending_response_date, pending_run = excluded.pending_run,
          pending_harvested = excluded.pending_harvested, pending_total = excluded.pending_total, updated_at = excluded.updated_at`),
      startRun: db.prepare("INSERT INTO harvest_runs (library, source, mode, started_at, outcome) VALUES (?, ?, ?, ?, 'running')"),
      finishRun: db.prepare('UPDATE harvest_runs SET finished_at = ?, outcome = ?, error_code = ?, error = ?, summary = ? WHERE id = ?'),
      abandonRuns: db.prepare(`UPDATE harvest_runs SET outcome = 'interrupted', finished_at = coalesce(finished_at, ?)
        WHERE outcome = 'running' AND library NOT IN (SELECT value FROM json_each(?))`),
      lastRuns: db.prepare(`SELECT ${RUN_COLUMNS} FROM harvest_runs WHERE id IN (SELECT max(id) FROM harvest_runs GROUP BY library, source)
        ORDER BY library, source`),
      recentRuns: db.prepare(`SELECT ${RUN_COLUMNS} FROM harvest_runs ORDER BY id DESC LIMIT ?`),
      keyRecord: db.prepare('SELECT record_id AS recordId FROM record_source_keys WHERE source = ? AND key = ?'),
      recordKey: db.prepare('SELECT key FROM record_source_keys WHERE source = ? AND record_id = ?'),
      putKey: db.prepare(`INSERT INTO record_source_keys (source, key, record_id, full_run) VALUES (?, ?, ?, ?)
        ON CONFLICT(source, key) DO UPDATE SET record_id = excluded.record_id, full_run = coalesce(excluded.full_run, full_run)`),
      deleteKey: db.prepare('DELETE FROM record_source_keys WHERE source = ? AND key = ?'),
      unseen: db.prepare('SELECT DISTINCT record_id AS recordId FROM record_source_keys WHERE source = ? AND (full_run IS NULL OR full_run <> ?)'),
      keyCount: db.prepare('SELECT count(*) AS n FROM record_source_keys WHERE source = ?'),
      locks: db.prepare('SELECT scope, holder, pid, description, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM harvest_locks ORDER BY scope'),
      takeLock: db.prepare(`INSERT INTO harvest_locks (scope, holder, pid, description, started_at, heartbeat_at) VALUES (@scope, @holder, @pid, @description, @now, @now)
        ON CONFLICT(scope) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, description = excluded.description,
          started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`),
      heartbeat: db.prepare('UPDATE harvest_locks SET heartbeat_at = ?, description = ? WHERE holder = ?'),
      unlock: db.prepare('DELETE FROM harvest_locks WHERE holder = ?'),
    };
  }

  state(source: string): HarvestStateRow | undefined {
    return this.s.state.get(source) as HarvestStateRow | undefined;
  }

  saveState(row: HarvestStateRow): void {
    this.s.upsertState.run(row);
  }

  startRun(library: string, source: string, mode: string, now: string): number {
    return Number(this.s.startRun.run(library, source, mode, now).lastInsertRowid);
  }

  finishRun(id: number, now: string, outcome: Exclude<HarvestOutcome, 'running'>, summary: unknown, error?: { code: string; message: string }): void {
    this.s.finishRun.run(now, outcome, error?.code ?? null, error?.message ?? null, JSON.stringify(summary), id);
  }

  /** Runs left 'running' by a process that died: they were interrupted. */
  abandonRunningRuns(now: string, keep: readonly string[] = []): number {
    return this.s.abandonRuns.run(now, JSON.stringify(keep)).changes;
  }

  /** The latest run of every (library, source). */
  lastRuns(): HarvestRunRow[] {
    return this.s.lastRuns.all() as HarvestRunRow[];
  }

  recentRuns(limit = 20): HarvestRunRow[] {
    return this.s.recentRuns.all(limit) as HarvestRunRow[];
  }

  recordIdForKey(source: string, key: string): string | undefined {
    return (this.s.keyRecord.get(source, key) as { recordId: string } | undefined)?.recordId;
  }

  keyOfRecord(source: string, recordId: string): string | undefined {
    return (this.s.recordKey.get(source, recordId) as { key: string } | undefined)?.key;
  }

  /** Remembers which record a source key names; `fullRun` marks it as seen by that full harvest. */
  putKey(source: string, key: string, recordId: string, fullRun: number | null): void {
    this.s.putKey.run(source, key, recordId, fullRun);
  }

  deleteKey(source: string, key: string): void {
    this.s.deleteKey.run(source, key);
  }

  /** Records of a source that the full harvest `fullRun` did not see. */
  recordsNotSeenIn(source: string, fullRun: number): string[] {
    return (this.s.unseen.all(source, fullRun) as { recordId: string }[]).map((r) => r.recordId);
  }

  keyCount(source: string): number {
    return (this.s.keyCount.get(source) as { n: number }).n;
  }

  locks(): ReindexLockRow[] {
    return this.s.locks.all() as ReindexLockRow[];
  }

  /**
   * Takes the lock of a scope (see HarvestStore.tryLock). One immediate transaction, so two processes
   * cannot both win.
   */
  tryLock(
    holder: { holder: string; pid: number; description: string; scope: string },
    now: string,
    stillHeld: (lock: ReindexLockRow) => boolean,
  ): { ok: true } | { ok: false; lock: ReindexLockRow } {
    return this.db
      .transaction(() => {
        const plan = planLock(this.locks(), holder.holder, holder.scope, stillHeld);
        if (!plan.ok) return plan;
        for (const dead of plan.deadHolders) this.s.unlock.run(dead);
        this.s.takeLock.run({ ...holder, now });
        this.abandonRunningRuns(now, plan.liveScopes);
        return { ok: true as const };
      })
      .immediate();
  }

  heartbeat(holder: string, now: string, description: string): void {
    this.s.heartbeat.run(now, description, holder);
  }

  unlock(holder: string): void {
    this.s.unlock.run(holder);
  }
}
