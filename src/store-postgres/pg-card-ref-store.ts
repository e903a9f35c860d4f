import type { CardRef, CardRefStore } from '../ill/card-ref-store.ts';
import type { PgDatabase } from './pg-database.ts';

interface CardRow {
  channel: string;
  messageId: string;
  threadId: string | null;
  shownVersion: number | null;
}

/** Card and thread positions in the card_refs table (PostgreSQL migration 3), shared by the replicas. */
export class PgCardRefStore implements CardRefStore {
  constructor(private readonly db: PgDatabase) {}

  card(platform: string, subject: string, place: string): CardRef | undefined {
    const row = this.db.get<CardRow>(
      'SELECT channel, message_id AS "messageId", thread_id AS "threadId", shown_version AS "shownVersion" FROM card_refs WHERE platform = $1 AND subject = $2 AND place = $3',
      [platform, subject, place],
    );
    if (!row) return undefined;
    return { channel: row.channel, messageId: row.messageId, ...(row.threadId !== null ? { threadId: row.threadId } : {}), ...(row.shownVersion !== null ? { shownVersion: row.shownVersion } : {}) };
  }

  saveCard(platform: string, subject: string, place: string, ref: CardRef): void {
    this.db.run(
      `INSERT INTO card_refs (platform, subject, place, channel, message_id, thread_id, shown_version) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (platform, subject, place) DO UPDATE SET channel = excluded.channel, message_id = excluded.message_id, thread_id = excluded.thread_id,
          shown_version = excluded.shown_version`,
      [platform, subject, place, ref.channel, ref.messageId, ref.threadId ?? null, ref.shownVersion ?? null],
    );
  }

  forgetCard(platform: string, subject: string, place: string): void {
    this.db.run('DELETE FROM card_refs WHERE platform = $1 AND subject = $2 AND place = $3', [platform, subject, place]);
  }

  cardShown(platform: string, subject: string, place: string, version: number): void {
    this.db.run('UPDATE card_refs SET shown_version = greatest(coalesce(shown_version, -1), $1::integer) WHERE platform = $2 AND subject = $3 AND place = $4', [version, platform, subject, place]);
  }
}
