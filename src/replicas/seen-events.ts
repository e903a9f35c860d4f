/**
 * Platform events already handled, shared by every replica through the database. Slack retries an
 * event it thinks was missed (same `event_id`), and Discord may deliver an interaction twice (same
 * interaction id, after a gateway resume); behind a load balancer the repeat can reach another
 * replica, so the memory of what was seen cannot live in one process. Each sighting is kept until it
 * expires (longer than the platforms retry); expired sightings are forgotten.
 */
export interface SeenEvents {
  /**
   * Records a sighting of `eventId` on `platform` until `expiresAt`. True the first time (or once an
   * earlier sighting has expired), false while an earlier sighting holds — atomically: of replicas
   * racing with the same id, exactly one gets true.
   */
  firstSighting(platform: SeenPlatform, eventId: string, now: Date, expiresAt: Date): boolean;
  /** Forgets the sightings expired at `now`; returns how many. */
  forgetExpired(now: Date): number;
}

export type SeenPlatform = 'slack' | 'discord';

/** How long a sighting is kept: longer than Slack's retries (up to about 5 minutes after the first) and a Discord resume. */
export const SEEN_EVENT_TTL_MS = 60 * 60_000;
