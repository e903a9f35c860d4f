import { planLock, type HarvestOutcome, type HarvestRunRow, type HarvestStateRow, type HarvestStore, type ReindexLockRow } from '../harvest/harvest-store.ts';
import { LOCK_KEYS, textArray, type PgDatabase } from './pg-database.ts';

const STATE_COLUMNS = `source, library, granularity, next_from AS "nextFrom", last_success_at AS "lastSuccessAt",
  pending_token AS "pendingToken", pending_mode AS "pendingMode", pending_from AS "pendingFrom",
  pending_response_date AS "pendingResponseDate", pending_run AS "pendingRun", pending_harvested AS "pendingHarvested",
  pending_total AS "pendingTotal", updated_at AS "updatedAt"`;

const RUN_COLUMNS = `id, library, source, mode, started_at AS "startedAt", finished_at AS "finishedAt", outcome,
  error_code AS "errorCode", error, summary`;

/** Harvest state, harvest runs, the source keys of harvested records and the reindex lock, in PostgreSQL beside the catalog. */
export class PgHarvestStore implements HarvestStore {
  constructor(readonly db: PgDatabase) {}

  state(source: string): HarvestStateRow | undefined {
    return this.db.get<HarvestStateRow>(`SELECT ${STATE_COLUMNS} FROM harvest_state WHERE source = $1`, [source]);
  }

  saveState(r: HarvestStateRow): void {
    this.db.run(
      `INSERT INTO harvest_state (source, library, granularity, next_from, last_success_at, pending_token, pending_mode, pending_from,
          pending_response_date, pending_run, pending_harvested, pending_total, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (source) DO UPDATE SET library = excluded.library, granularity = excluded.granularity, next_from = excluded.next_from,
          last_success_at = excluded.last_success_at, pending_token = excluded.pending_token, pending_mode = excluded.pending_mode,
          pending_from = excluded.pending_from, pending_response_date = excluded.pending_response_date, pending_run = excluded.pending_run,
          pending_harvested = excluded.pending_harvested, pending_total = excluded.pending_total, updated_at = excluded.updated_at`,
      [r.source, r.library, r.granularity, r.nextFrom, r.lastSuccessAt, r.pendingToken, r.pendingMode, r.pendingFrom, r.pendingResponseDate,
        r.pendingRun, r.pendingHarvested, r.pendingTotal, r.updatedAt],
    );
  }

  startRun(library: string, source: string, mode: string, now: string): number {
    return this.db.get<{ id: number }>("INSERT INTO harvest_runs (library, source, mode, started_at, outcome) VALUES ($1, $2, $3, $4, 'running') RETURNING id", [library, source, mode, now])!.id;
  }

  finishRun(id: number, now: string, outcome: Exclude<HarvestOutcome, 'running'>, summary: unknown, error?: { code: string; message: string }): void {
    this.db.run('UPDATE harvest_runs SET finished_at = $1, outcome = $2, error_code = $3, error = $4, summary = $5 WHERE id = $6', [
      now, outcome, error?.code ?? null, error?.message ?? null, JSON.stringify(summary), id,
    ]);
  }

  abandonRunningRuns(now: string, keep: readonly string[] = []): number {
    return this.db.run(
      "UPDATE harvest_runs SET outcome = 'interrupted', finished_at = coalesce(finished_at, $1) WHERE outcome = 'running' AND NOT (library = ANY($2::text[]))",
      [now, textArray(keep)],
    );
  }

  lastRuns(): HarvestRunRow[] {
    return this.db.all<HarvestRunRow>(`SELECT ${RUN_COLUMNS} FROM harvest_runs WHERE id IN (SELECT max(id) FROM harvest_runs GROUP BY library, source) ORDER BY library, source`);
  }

  recentRuns(limit = 20): HarvestRunRow[] {
    return this.db.all<HarvestRunRow>(`SELECT ${RUN_COLUMNS} FROM harvest_runs ORDER BY id DESC LIMIT $1`, [limit]);
  }

  recordIdForKey(source: string, key: string): string | undefined {
    return this.db.get<{ recordId: string }>('SELECT record_id AS "recordId" FROM record_source_keys WHERE source = $1 AND key = $2', [source, key])?.recordId;
  }

  keyOfRecord(source: string, recordId: string): string | undefined {
    return this.db.get<{ key: string }>('SELECT key FROM record_source_keys WHERE source = $1 AND record_id = $2 ORDER BY key LIMIT 1', [source, recordId])?.key;
  }

  putKey(source: string, key: string, recordId: string, fullRun: number | null): void {
    this.db.run(
      `INSERT INTO record_source_keys (source, key, record_id, full_run) VALUES ($1, $2, $3, $4)
        ON CONFLICT (source, key) DO UPDATE SET record_id = excluded.record_id, full_run = coalesce(excluded.full_run, record_source_keys.full_run)`,
      [source, key, recordId, fullRun],
    );
  }

  deleteKey(source: string, key: string): void {
    this.db.run('DELETE FROM record_source_keys WHERE source = $1 AND key = $2', [source, key]);
  }

  recordsNotSeenIn(source: string, fullRun: number): string[] {
    return this.db
      .all<{ recordId: string }>('SELECT DISTINCT record_id AS "recordId" FROM record_source_keys WHERE source = $1 AND (full_run IS NULL OR full_run <> $2) ORDER BY 1', [source, fullRun])
      .map((r) => r.recordId);
  }

  keyCount(source: string): number {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM record_source_keys WHERE source = $1', [source])!.n;
  }

  locks(): ReindexLockRow[] {
    return this.db.all<ReindexLockRow>('SELECT scope, holder, pid, description, started_at AS "startedAt", heartbeat_at AS "heartbeatAt" FROM harvest_locks ORDER BY scope');
  }

  /** Takes the lock of a scope (see HarvestStore.tryLock): one transaction under an advisory lock, so two replicas cannot both win. */
  tryLock(holder: { holder: string; pid: number; description: string; scope: string }, now: string, stillHeld: (lock: ReindexLockRow) => boolean): { ok: true } | { ok: false; lock: ReindexLockRow } {
    return this.db.transaction(() => {
      const plan = planLock(this.locks(), holder.holder, holder.scope, stillHeld);
      if (!plan.ok) return plan;
      if (plan.deadHolders.length > 0) this.db.run('DELETE FROM harvest_locks WHERE holder = ANY($1::text[])', [textArray(plan.deadHolders)]);
      this.db.run(
        `INSERT INTO harvest_locks (scope, holder, pid, description, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $5)
          ON CONFLICT (scope) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, description = excluded.description,
            started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
        [holder.scope, holder.holder, holder.pid, holder.description, now],
      );
      this.abandonRunningRuns(now, plan.liveScopes);
      return { ok: true as const };
    }, LOCK_KEYS.reindex);
  }

  heartbeat(holder: string, now: string, description: string): void {
    this.db.run('UPDATE harvest_locks SET heartbeat_at = $1, description = $2 WHERE holder = $3', [now, description, holder]);
  }

  unlock(holder: string): void {
    this.db.run('DELETE FROM harvest_locks WHERE holder = $1', [holder]);
  }
}
