import { parseDonePlaces, type GivenUpRow, type Outbox, type OutboxFormat, type OutboxRow } from '../ill/outbox.ts';
import { textArray, type PgDatabase } from './pg-database.ts';

const OUTBOX_ROW = `o.id, o.target_type AS "targetType", o.target, o.target_platform AS "targetPlatform", o.request_id AS "requestId",
  o.format, o.payload, o.created_at AS "createdAt"`;

type StoredRow = Omit<OutboxRow, 'donePlaces' | 'interrupted'> & { donePlaces: string | null };

/**
 * The notification outbox in PostgreSQL, beside the ILL requests on the same connection, so a notice
 * is written in the transaction of its transition (as in SQLite). Same semantics as the SQLite
 * outbox (src/store/sqlite-ill-store.ts): one delivery row per platform, retries held in order per
 * request and target, a lease per sender. `claim` is one conditional upsert: of several replicas
 * claiming the same message at once, exactly one gets it (the row lock of ON CONFLICT DO UPDATE
 * serialises them, and the losers' WHERE no longer holds). A message waiting for its retry time after a
 * failure cannot be claimed before it (a sender that listed it before the failure would send it early).
 * Tested with three delivery processes in test/replicas-outbox.test.ts. Why not `SELECT … FOR UPDATE
 * SKIP LOCKED` (it would still need this upsert's guard; measured in test/bench/outbox-claims.ts): README,
 * Deployment.
 */
export class PgOutbox implements Outbox {
  constructor(readonly db: PgDatabase) {}

  enqueue(row: { targetType: 'library' | 'user'; target: string; targetPlatform: string | null; requestId: number | null; payload: string; createdAt: string; format?: OutboxFormat }): number {
    return Number(
      this.db.get<{ id: number }>(
        'INSERT INTO outbox (target_type, target, target_platform, request_id, payload, created_at, format) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
        [row.targetType, row.target, row.targetPlatform, row.requestId, row.payload, row.createdAt, row.format ?? 'event'],
      )!.id,
    );
  }

  pendingFor(platform: string, libraries: readonly string[], now: string, limit: number): OutboxRow[] {
    const rows = this.db.all<StoredRow & { nextAttemptAt: string | null; leaseUntil: string | null }>(
      `SELECT ${OUTBOX_ROW}, coalesce(d.attempts, 0) AS attempts, d.next_attempt_at AS "nextAttemptAt", d.lease_until AS "leaseUntil", d.done_places AS "donePlaces"
        FROM outbox o LEFT JOIN outbox_deliveries d ON d.outbox_id = o.id AND d.platform = $1
        WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL
          AND ((o.target_type = 'user' AND o.target_platform = $1 AND o.target <> 'purged')
            OR (o.target_type = 'library' AND o.target = ANY($2::text[])))
        ORDER BY o.id`,
      [platform, textArray(libraries)],
    );
    // a message waits while an earlier one about the same request to the same target waits for its retry or is being sent
    const held = new Set<string>();
    const due: OutboxRow[] = [];
    for (const { nextAttemptAt, leaseUntil, ...row } of rows) {
      const key = row.requestId === null ? undefined : `${row.requestId}|${row.targetType}|${row.targetPlatform ?? ''}|${row.target}`;
      if (key !== undefined && held.has(key)) continue;
      if ((nextAttemptAt !== null && nextAttemptAt > now) || (leaseUntil !== null && leaseUntil > now)) {
        if (key !== undefined) held.add(key);
        continue;
      }
      due.push({ ...fromStored(row), interrupted: leaseUntil !== null });
      if (due.length >= limit) break;
    }
    return due;
  }

  outboxMessage(id: number): OutboxRow | undefined {
    const row = this.db.get<StoredRow>(`SELECT ${OUTBOX_ROW}, 0 AS attempts, NULL AS "donePlaces" FROM outbox o WHERE o.id = $1`, [id]);
    return row ? fromStored(row) : undefined;
  }

  claim(id: number, platform: string, owner: string, now: string, leaseUntil: string): boolean {
    const changed = this.db.run(
      `INSERT INTO outbox_deliveries AS d (outbox_id, platform, attempts, lease_until, lease_owner) VALUES ($1, $2, 0, $3, $4)
        ON CONFLICT (outbox_id, platform) DO UPDATE SET lease_until = excluded.lease_until, lease_owner = excluded.lease_owner
        WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND (d.lease_until IS NULL OR d.lease_until <= $5 OR d.lease_owner = $4)
          AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $5)`,
      [id, platform, leaseUntil, owner, now],
    );
    return changed > 0;
  }

  markPlaceDone(id: number, platform: string, place: string): void {
    const row = this.db.get<{ donePlaces: string | null }>('SELECT done_places AS "donePlaces" FROM outbox_deliveries WHERE outbox_id = $1 AND platform = $2', [id, platform]);
    const done = new Set(parseDonePlaces(row?.donePlaces ?? null));
    done.add(place);
    this.db.run(
      `INSERT INTO outbox_deliveries (outbox_id, platform, attempts, done_places) VALUES ($1, $2, 0, $3)
        ON CONFLICT (outbox_id, platform) DO UPDATE SET done_places = excluded.done_places`,
      [id, platform, JSON.stringify([...done])],
    );
  }

  markDelivered(id: number, platform: string, at: string): void {
    this.db.run(
      `INSERT INTO outbox_deliveries AS d (outbox_id, platform, delivered_at, attempts) VALUES ($1, $2, $3, 1)
        ON CONFLICT (outbox_id, platform) DO UPDATE SET delivered_at = excluded.delivered_at, attempts = d.attempts + 1, last_error = NULL,
          lease_until = NULL, lease_owner = NULL`,
      [id, platform, at],
    );
  }

  markFailed(id: number, platform: string, error: string, nextAttemptAt: string): void {
    this.db.run(
      `INSERT INTO outbox_deliveries AS d (outbox_id, platform, attempts, next_attempt_at, last_error) VALUES ($1, $2, 1, $3, $4)
        ON CONFLICT (outbox_id, platform) DO UPDATE SET attempts = d.attempts + 1, next_attempt_at = excluded.next_attempt_at,
          last_error = excluded.last_error, lease_until = NULL, lease_owner = NULL`,
      [id, platform, nextAttemptAt, error.slice(0, 500)],
    );
  }

  markGivenUp(id: number, platform: string, error: string, at: string): void {
    this.db.run(
      `INSERT INTO outbox_deliveries AS d (outbox_id, platform, attempts, last_error, gave_up_at) VALUES ($1, $2, 1, $3, $4)
        ON CONFLICT (outbox_id, platform) DO UPDATE SET attempts = d.attempts + 1, last_error = excluded.last_error, gave_up_at = excluded.gave_up_at,
          lease_until = NULL, lease_owner = NULL`,
      [id, platform, error.slice(0, 500), at],
    );
  }

  givenUp(platform: string): GivenUpRow[] {
    return this.db.all<GivenUpRow>(
      `SELECT outbox_id AS id, platform, coalesce(last_error, '') AS code, attempts, gave_up_at AS at FROM outbox_deliveries
        WHERE platform = $1 AND gave_up_at IS NOT NULL ORDER BY outbox_id`,
      [platform],
    ).map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) }));
  }
}

function fromStored(row: StoredRow): OutboxRow {
  return { ...row, id: Number(row.id), requestId: row.requestId === null ? null : Number(row.requestId), attempts: Number(row.attempts), donePlaces: parseDonePlaces(row.donePlaces), interrupted: false };
}
