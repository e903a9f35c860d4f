/**
 * Where a platform showed something that later messages edit (the port; the SQLite implementation is
 * src/store/sqlite-card-ref-store.ts): a request's card in a library channel, with the thread its
 * events go to, and the request version it shows; or the one DM of a progress report.
 * `subject` is a request id ("R7") or "progress:KEY"; `place` a channel id or "user:ID".
 */
export interface CardRef {
  channel: string;
  messageId: string;
  threadId?: string;
  /** the request version the card shows now; undefined when unknown (a card imported from a JSON file) */
  shownVersion?: number;
}

export interface CardRefStore {
  card(platform: string, subject: string, place: string): CardRef | undefined;
  saveCard(platform: string, subject: string, place: string, ref: CardRef): void;
  forgetCard(platform: string, subject: string, place: string): void;
  /** the card was redrawn at `version` (by a click or by the outbox) */
  cardShown(platform: string, subject: string, place: string, version: number): void;
}
