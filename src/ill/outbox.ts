/** A message waiting in the outbox, as stored. */
export interface OutboxRow {
  id: number;
  targetType: 'library' | 'user';
  target: string;
  targetPlatform: string | null;
  requestId: number | null;
  payload: string;
  createdAt: string;
  attempts: number;
}

/**
 * Messages for people other than the sender, kept until every platform that reaches their target has
 * delivered them (the port; the SQLite implementation is src/store/sqlite-ill-store.ts, beside the
 * requests, so a notice is written in the transaction of its transition).
 */
export interface Outbox {
  enqueue(row: { targetType: 'library' | 'user'; target: string; targetPlatform: string | null; requestId: number | null; payload: string; createdAt: string }): number;
  /**
   * Messages a platform has not delivered yet and may try now, oldest first: user targets on that
   * platform, and library targets of the libraries reachable there. A message waits while an earlier
   * message about the same request to the same target waits for its retry.
   */
  pendingFor(platform: string, libraries: readonly string[], now: string, limit: number): OutboxRow[];
  outboxMessage(id: number): OutboxRow | undefined;
  markDelivered(id: number, platform: string, at: string): void;
  /** a failed attempt: try again from `nextAttemptAt` */
  markFailed(id: number, platform: string, error: string, nextAttemptAt: string): void;
}
