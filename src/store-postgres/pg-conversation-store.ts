import { personKeyPrefix, type ConversationStore } from '../answer/conversation-store.ts';
import type { FaqEntry, FaqStore } from '../answer/faq-store.ts';
import type { PgDatabase } from './pg-database.ts';

/** Conversation contexts (expiring) and the FAQ in PostgreSQL: any replica picks up a conversation where another left it. */
export class PgConversationStore implements ConversationStore, FaqStore {
  constructor(readonly db: PgDatabase) {}

  context(key: string, now: string): string | undefined {
    return this.db.get<{ context: string }>('SELECT context FROM conversation_contexts WHERE key = $1 AND expires_at > $2', [key, now])?.context;
  }

  saveContext(key: string, context: string, expiresAt: string): void {
    this.db.run(
      'INSERT INTO conversation_contexts (key, context, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET context = excluded.context, expires_at = excluded.expires_at',
      [key, context, expiresAt],
    );
  }

  /** The language a person last wrote in: the same table under its own key, as the SQLite store keeps it. */
  personLanguage(platform: string, userId: string, now: string): 'en' | 'id' | undefined {
    const raw = this.context(personKey(platform, userId), now);
    return raw === '"en"' ? 'en' : raw === '"id"' ? 'id' : undefined;
  }

  savePersonLanguage(platform: string, userId: string, language: 'en' | 'id', expiresAt: string): void {
    this.saveContext(personKey(platform, userId), JSON.stringify(language), expiresAt);
  }

  dropExpired(now: string): void {
    this.db.run('DELETE FROM conversation_contexts WHERE expires_at <= $1', [now]);
  }

  forgetPerson(platform: string, userId: string): void {
    const prefix = personKeyPrefix(platform, userId);
    this.db.run('DELETE FROM conversation_contexts WHERE key = $1 OR substr(key, 1, $2) = $3', [personKey(platform, userId), prefix.length, prefix]);
  }

  faq(): FaqEntry[] {
    return this.db.all<FaqEntry>('SELECT id, library, question, answer, created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt" FROM faq_entries ORDER BY id');
  }

  faqEntry(id: number): FaqEntry | undefined {
    return this.db.get<FaqEntry>(
      'SELECT id, library, question, answer, created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt" FROM faq_entries WHERE id = $1',
      [id],
    );
  }

  addFaq(e: { library: string | null; question: string; answer: string; createdBy: string; now: string }): number {
    return this.db.get<{ id: number }>(
      'INSERT INTO faq_entries (library, question, answer, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id',
      [e.library, e.question, e.answer, e.createdBy, e.now],
    )!.id;
  }

  editFaq(id: number, question: string | undefined, answer: string | undefined, now: string): boolean {
    // one statement: an absent field keeps the stored text
    return this.db.run('UPDATE faq_entries SET question = coalesce($1, question), answer = coalesce($2, answer), updated_at = $3 WHERE id = $4', [question, answer, now, id]) === 1;
  }

  removeFaq(id: number): boolean {
    return this.db.run('DELETE FROM faq_entries WHERE id = $1', [id]) === 1;
  }
}

function personKey(platform: string, userId: string): string {
  return JSON.stringify(['language', platform, userId]);
}
