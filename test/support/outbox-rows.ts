import type { BotReply } from '../../src/bot/bot-types.ts';
import type { SqliteDatabase } from '../../src/store/open-database.ts';

export interface OutboxRow {
  id: number;
  targetType: 'library' | 'user';
  target: string;
  targetPlatform: string | null;
  requestId: number | null;
  reply: BotReply;
}

/** Every notification the outbox holds, oldest first, read straight from SQLite (what the adapters had to deliver). */
export function outboxRows(db: SqliteDatabase): OutboxRow[] {
  const rows = db
    .prepare('SELECT id, target_type AS targetType, target, target_platform AS targetPlatform, request_id AS requestId, payload FROM outbox ORDER BY id')
    .all() as Array<Omit<OutboxRow, 'reply'> & { payload: string }>;
  return rows.map(({ payload, ...r }) => ({ ...r, reply: JSON.parse(payload) as BotReply }));
}
