/**
 * Conversation contexts, kept per person and conversation until they expire (the port; the SQLite
 * implementation is src/store/sqlite-conversation-store.ts). A context is the bot's own JSON.
 */
export interface ConversationStore {
  /** the context saved under the key, unless it expired before `now` */
  context(key: string, now: string): string | undefined;
  saveContext(key: string, context: string, expiresAt: string): void;
  /** the language a person last wrote in, kept beside the contexts, unless it expired before `now` */
  personLanguage(platform: string, userId: string, now: string): 'en' | 'id' | undefined;
  savePersonLanguage(platform: string, userId: string, language: 'en' | 'id', expiresAt: string): void;
  dropExpired(now: string): void;
}
