/**
 * What an outbox row holds: `event` — a JSON event ({request, event, target}) that the delivery loop
 * renders when it sends it, in the reader's language of that moment; `reply` — a reply rendered when
 * it was queued (rows written before events were stored; drained as they are).
 */
export type OutboxFormat = 'event' | 'reply';

/** A message waiting in the outbox, as stored. */
export interface OutboxRow {
  id: number;
  targetType: 'library' | 'user';
  target: string;
  targetPlatform: string | null;
  requestId: number | null;
  format: OutboxFormat;
  payload: string;
  createdAt: string;
  attempts: number;
  /** places (channel ids, `user:ID`) this platform already served for this message: not served again */
  donePlaces: string[];
  /** a sender claimed it and neither finished nor failed (it stopped mid-send): the platform may have it already */
  interrupted: boolean;
}

/** A message a platform gave up on after the retry cap, with the code of its last failure. */
export interface GivenUpRow {
  id: number;
  platform: string;
  code: string;
  attempts: number;
  at: string;
}

/**
 * Messages for people other than the sender, kept until every platform that reaches their target has
 * delivered them (the port; the SQLite implementation is src/store/sqlite-ill-store.ts, beside the
 * requests, so a notice is written in the transaction of its transition). Every method is synchronous
 * on the store's one database handle: `enqueue` may be called inside a caller's transaction.
 */
export interface Outbox {
  /** stores a message; `format` is 'event' unless told (a rendered 'reply' only for tests of old rows) */
  enqueue(row: { targetType: 'library' | 'user'; target: string; targetPlatform: string | null; requestId: number | null; payload: string; createdAt: string; format?: OutboxFormat }): number;
  /**
   * Messages a platform has not delivered yet and may try now, oldest first: user targets on that
   * platform, and library targets of the libraries reachable there. A message waits while an earlier
   * message about the same request to the same target waits for its retry or is being sent (leased).
   * Messages given up are not listed.
   */
  pendingFor(platform: string, libraries: readonly string[], now: string, limit: number): OutboxRow[];
  outboxMessage(id: number): OutboxRow | undefined;
  /**
   * Takes the message for sending on a platform until `leaseUntil`: false when it is delivered, given
   * up, waiting for its retry time after a failure, or leased by someone else whose lease has not run
   * out at `now`. One sender at a time.
   */
  claim(id: number, platform: string, owner: string, now: string, leaseUntil: string): boolean;
  /** one place of the message was served: a later attempt (after a failure or a restart) skips it */
  markPlaceDone(id: number, platform: string, place: string): void;
  markDelivered(id: number, platform: string, at: string): void;
  /** a failed attempt: try again from `nextAttemptAt` (the lease is released) */
  markFailed(id: number, platform: string, error: string, nextAttemptAt: string): void;
  /** the retry cap was reached: no further attempt; the code stays visible in `givenUp` */
  markGivenUp(id: number, platform: string, error: string, at: string): void;
  givenUp(platform: string): GivenUpRow[];
}

/**
 * The places of a delivery already served, as both stores keep them (a JSON array of strings);
 * anything unreadable counts as none served, so a place is sent again rather than skipped.
 */
export function parseDonePlaces(text: string | null): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
