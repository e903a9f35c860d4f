import type { FaqEntry, FaqStore } from '../answer/faq-store.ts';
import { personKeyPrefix, type ConversationStore } from '../answer/conversation-store.ts';
import type { SqliteDatabase } from './open-database.ts';

export type { FaqEntry } from '../answer/faq-store.ts';

/** Conversation contexts (expiring) and the FAQ. */
export class SqliteConversationStore implements ConversationStore, FaqStore {
  constructor(readonly db: SqliteDatabase) {}

  context(key: string, now: string): string | undefined {
    const row = this.db.prepare('SELECT context FROM conversation_contexts WHERE key = ? AND expires_at > ?').get(key, now) as { context: string } | undefined;
    return row?.context;
  }

  saveContext(key: string, context: string, expiresAt: string): void {
    this.db
      .prepare('INSERT INTO conversation_contexts (key, context, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET context = excluded.context, expires_at = excluded.expires_at')
      .run(key, context, expiresAt);
  }

  /**
   * The language a person last wrote in, kept beside the conversation contexts (same table, its own
   * key, a longer lifetime) so replies stay in it and notifications reach them in it.
   */
  personLanguage(platform: string, userId: string, now: string): 'en' | 'id' | undefined {
    const raw = this.context(personKey(platform, userId), now);
    return raw === '"en"' ? 'en' : raw === '"id"' ? 'id' : undefined;
  }

  savePersonLanguage(platform: string, userId: string, language: 'en' | 'id', expiresAt: string): void {
    this.saveContext(personKey(platform, userId), JSON.stringify(language), expiresAt);
  }

  dropExpired(now: string): void {
    this.db.prepare('DELETE FROM conversation_contexts WHERE expires_at <= ?').run(now);
  }

  forgetPerson(platform: string, userId: string): void {
    const prefix = personKeyPrefix(platform, userId);
    this.db.prepare('DELETE FROM conversation_contexts WHERE key = ? OR substr(key, 1, ?) = ?').run(personKey(platform, userId), prefix.length, prefix);
  }

  faq(): FaqEntry[] {
    return this.db
      .prepare('SELECT id, library, question, answer, created_by AS createdBy, created_at AS createdAt, updated_at AS updatedAt FROM faq_entries ORDER BY id')
      .all() as FaqEntry[];
  }

  faqEntry(id: number): FaqEntry | undefined {
    return this.faq().find((f) => f.id === id);
  }

  addFaq(e: { library: string | null; question: string; answer: string; createdBy: string; now: string }): number {
    return Number(
      this.db
        .prepare('INSERT INTO faq_entries (library, question, answer, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(e.library, e.question, e.answer, e.createdBy, e.now, e.now).lastInsertRowid,
    );
  }

  editFaq(id: number, question: string | undefined, answer: string | undefined, now: string): boolean {
    const cur = this.faqEntry(id);
    if (!cur) return false;
    this.db.prepare('UPDATE faq_entries SET question = ?, answer = ?, updated_at = ? WHERE id = ?').run(question ?? cur.question, answer ?? cur.answer, now, id);
    return true;
  }

  removeFaq(id: number): boolean {
    return this.db.prepare('DELETE FROM faq_entries WHERE id = ?').run(id).changes === 1;
  }
}

function personKey(platform: string, userId: string): string {
  return JSON.stringify(['language', platform, userId]);
}
