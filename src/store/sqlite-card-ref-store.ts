import type { CardRef, CardRefStore } from '../ill/card-ref-store.ts';
import type { SqliteDatabase } from './open-database.ts';

interface CardRow {
  channel: string;
  messageId: string;
  threadId: string | null;
  shownVersion: number | null;
}

/** Card and thread positions in the card_refs table (migration 8). */
export class SqliteCardRefStore implements CardRefStore {
  constructor(private readonly db: SqliteDatabase) {}

  card(platform: string, subject: string, place: string): CardRef | undefined {
    const row = this.db
      .prepare('SELECT channel, message_id AS messageId, thread_id AS threadId, shown_version AS shownVersion FROM card_refs WHERE platform = ? AND subject = ? AND place = ?')
      .get(platform, subject, place) as CardRow | undefined;
    if (!row) return undefined;
    return { channel: row.channel, messageId: row.messageId, ...(row.threadId !== null ? { threadId: row.threadId } : {}), ...(row.shownVersion !== null ? { shownVersion: row.shownVersion } : {}) };
  }

  saveCard(platform: string, subject: string, place: string, ref: CardRef): void {
    this.db
      .prepare(`INSERT INTO card_refs (platform, subject, place, channel, message_id, thread_id, shown_version) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(platform, subject, place) DO UPDATE SET channel = excluded.channel, message_id = excluded.message_id, thread_id = excluded.thread_id,
          shown_version = excluded.shown_version`)
      .run(platform, subject, place, ref.channel, ref.messageId, ref.threadId ?? null, ref.shownVersion ?? null);
  }

  forgetCard(platform: string, subject: string, place: string): void {
    this.db.prepare('DELETE FROM card_refs WHERE platform = ? AND subject = ? AND place = ?').run(platform, subject, place);
  }

  cardShown(platform: string, subject: string, place: string, version: number): void {
    this.db
      .prepare('UPDATE card_refs SET shown_version = max(coalesce(shown_version, -1), ?) WHERE platform = ? AND subject = ? AND place = ?')
      .run(version, platform, subject, place);
  }
}
