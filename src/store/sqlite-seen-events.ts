import type { SeenEvents, SeenPlatform } from '../replicas/seen-events.ts';
import type { SqliteDatabase } from './open-database.ts';

/** How many sightings between two sweeps of the expired ones. */
const SWEEP_EVERY = 500;

/** Platform events seen, in the seen_events table (migration 9): one row per platform and event id. */
export class SqliteSeenEvents implements SeenEvents {
  private sinceSweep = 0;
  constructor(private readonly db: SqliteDatabase) {}

  firstSighting(platform: SeenPlatform, eventId: string, now: Date, expiresAt: Date): boolean {
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      this.forgetExpired(now);
    }
    // a new id is inserted; a known one is taken again only when its sighting has expired
    const changed = this.db
      .prepare(`INSERT INTO seen_events (platform, event_id, expires_at) VALUES (?, ?, ?)
        ON CONFLICT(platform, event_id) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_events.expires_at <= ?`)
      .run(platform, eventId, expiresAt.toISOString(), now.toISOString()).changes;
    return changed === 1;
  }

  forgetExpired(now: Date): number {
    return this.db.prepare('DELETE FROM seen_events WHERE expires_at <= ?').run(now.toISOString()).changes;
  }
}
