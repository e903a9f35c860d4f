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
  /** forgets a person: their language and every context of their conversations (keys made by `contextKey`) */
  forgetPerson(platform: string, userId: string): void;
}

/** The key of one person's context in one conversation: the person first, so all their contexts can be found. */
export function contextKey(platform: string, userId: string, conversationId: string): string {
  return JSON.stringify([platform, userId, conversationId]);
}

/** What every key of a person's contexts starts with. */
export function personKeyPrefix(platform: string, userId: string): string {
  return `${JSON.stringify([platform, userId]).slice(0, -1)},`;
}
