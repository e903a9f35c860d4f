import type { Outbox, OutboxRow } from '../ill/outbox.ts';
import { textArray, type PgDatabase } from './pg-database.ts';

const OUTBOX_ROW = `o.id, o.target_type AS "targetType", o.target, o.target_platform AS "targetPlatform", o.request_id AS "requestId",
  o.payload, o.created_at AS "createdAt"`;

/**
 * The notification outbox in PostgreSQL, beside the ILL requests on the same connection, so a notice
 * is written in the transaction of its transition (as in SQLite). Same semantics as the SQLite
 * outbox: one delivery row per platform, retries held in order per request and target.
 * (Claiming with FOR UPDATE SKIP LOCKED and a lease, for several replicas delivering, needs the port
 * to say "claim" — it does not yet; see the README's deployment section.)
 */
export class PgOutbox implements Outbox {
  constructor(readonly db: PgDatabase) {}

  enqueue(row: { targetType: 'library' | 'user'; target: string; targetPlatform: string | null; requestId: number | null; payload: string; createdAt: string }): number {
    return this.db.get<{ id: number }>(
      'INSERT INTO outbox (target_type, target, target_platform, request_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [row.targetType, row.target, row.targetPlatform, row.requestId, row.payload, row.createdAt],
    )!.id;
  }

  pendingFor(platform: string, libraries: readonly string[], now: string, limit: number): OutboxRow[] {
    const rows = this.db.all<OutboxRow & { nextAttemptAt: string | null }>(
      `SELECT ${OUTBOX_ROW}, coalesce(d.attempts, 0) AS attempts, d.next_attempt_at AS "nextAttemptAt"
        FROM outbox o LEFT JOIN outbox_deliveries d ON d.outbox_id = o.id AND d.platform = $1
        WHERE d.delivered_at IS NULL
          AND ((o.target_type = 'user' AND o.target_platform = $1 AND o.target <> 'purged')
            OR (o.target_type = 'library' AND o.target = ANY($2::text[])))
        ORDER BY o.id`,
      [platform, textArray(libraries)],
    );
    // a message waits while an earlier one about the same request to the same target waits for its retry
    const held = new Set<string>();
    const due: OutboxRow[] = [];
    for (const { nextAttemptAt, ...row } of rows) {
      const key = row.requestId === null ? undefined : `${row.requestId}|${row.targetType}|${row.targetPlatform ?? ''}|${row.target}`;
      if (key !== undefined && held.has(key)) continue;
      if (nextAttemptAt !== null && nextAttemptAt > now) {
        if (key !== undefined) held.add(key);
        continue;
      }
      due.push(row);
      if (due.length >= limit) break;
    }
    return due;
  }

  outboxMessage(id: number): OutboxRow | undefined {
    return this.db.get<OutboxRow>(`SELECT ${OUTBOX_ROW}, 0 AS attempts FROM outbox o WHERE o.id = $1`, [id]);
  }

  markDelivered(id: number, platform: string, at: string): void {
    this.db.run(
      `INSERT INTO outbox_deliveries (outbox_id, platform, delivered_at, attempts) VALUES ($1, $2, $3, 1)
        ON CONFLICT (outbox_id, platform) DO UPDATE SET delivered_at = excluded.delivered_at, attempts = outbox_deliveries.attempts + 1, last_error = NULL`,
      [id, platform, at],
    );
  }

  markFailed(id: number, platform: string, error: string, nextAttemptAt: string): void {
    this.db.run(
      `INSERT INTO outbox_deliveries (outbox_id, platform, attempts, next_attempt_at, last_error) VALUES ($1, $2, 1, $3, $4)
        ON CONFLICT (outbox_id, platform) DO UPDATE SET attempts = outbox_deliveries.attempts + 1, next_attempt_at = excluded.next_attempt_at,
          last_error = excluded.last_error`,
      [id, platform, nextAttemptAt, error.slice(0, 500)],
    );
  }
}
