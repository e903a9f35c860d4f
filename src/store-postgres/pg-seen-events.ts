import type { SeenEvents, SeenPlatform } from '../replicas/seen-events.ts';
import type { PgDatabase } from './pg-database.ts';

/** How many sightings between two sweeps of the expired ones. */
const SWEEP_EVERY = 500;

/**
 * Platform events seen, in the seen_events table (PostgreSQL migration 4), shared by every replica.
 * One upsert per sighting: of replicas racing with the same id, the second waits for the first's row
 * and then finds it unexpired, so exactly one is told it is the first.
 */
export class PgSeenEvents implements SeenEvents {
  private sinceSweep = 0;
  constructor(private readonly db: PgDatabase) {}

  firstSighting(platform: SeenPlatform, eventId: string, now: Date, expiresAt: Date): boolean {
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      this.forgetExpired(now);
    }
    const changed = this.db.run(
      `INSERT INTO seen_events (platform, event_id, expires_at) VALUES ($1, $2, $3)
        ON CONFLICT (platform, event_id) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_events.expires_at <= $4`,
      [platform, eventId, expiresAt.toISOString(), now.toISOString()],
    );
    return changed === 1;
  }

  forgetExpired(now: Date): number {
    return this.db.run('DELETE FROM seen_events WHERE expires_at <= $1', [now.toISOString()]);
  }
}
