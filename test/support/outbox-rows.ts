import type { BotReply, OutboxPort } from '../../src/bot/bot-types.ts';
import type { SqliteDatabase } from '../../src/store/open-database.ts';
import { SqliteIllStore, type OutboxRow as StoredOutboxRow } from '../../src/store/sqlite-ill-store.ts';

/** An outbox row with its payload read back as the reply it is. */
export type OutboxRow = Pick<StoredOutboxRow, 'id' | 'targetType' | 'target' | 'targetPlatform' | 'requestId'> & { reply: BotReply };

/**
 * Every notification the outbox holds, delivered or not, oldest first, read straight from SQLite (what
 * the adapters had to deliver), each as the reply the bot's outbox renders it to.
 */
export function outboxRows(db: SqliteDatabase, outbox: Pick<OutboxPort, 'render'>): OutboxRow[] {
  const rows = db
    .prepare('SELECT id, target_type AS targetType, target, target_platform AS targetPlatform, request_id AS requestId FROM outbox ORDER BY id')
    .all() as Array<Omit<OutboxRow, 'reply'>>;
  return rows.map((r) => {
    const reply = outbox.render(r.id);
    if (!reply) throw new Error(`outbox message ${r.id} does not render`);
    return { ...r, reply };
  });
}

/** Ids of the notifications a platform has still to deliver for these libraries (and their patrons), due or not. */
export function undeliveredIds(db: SqliteDatabase, platform: string, libraries: readonly string[]): number[] {
  return new SqliteIllStore(db).pendingFor(platform, libraries, '9999-12-31T00:00:00.000Z', 10_000).map((r) => r.id);
}
