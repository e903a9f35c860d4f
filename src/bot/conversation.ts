import type { Answer, Language } from '../answer/answer-types.ts';
import type { Jala } from '../app/create-jala.ts';

const MORE = /^\s*(more|next|next page|show more|lagi|berikutnya|selanjutnya|lanjut|tampilkan lagi)\s*[.!?]*\s*$/i;

/** What the conversation says back: an answer, or that there is no further page. */
export type ConversationReply = { type: 'answer'; answer: Answer } | { type: 'no-more'; language: Language };

export interface Conversation {
  /** One message in, one reply out; "more"/"lagi" pages through the last result set. */
  handle(text: string): ConversationReply;
}

/** A short conversation with one person: remembers the last question for paging. */
export function createConversation(jala: Pick<Jala, 'ask'>, opts: { homeLibrary?: string; pageSize?: number } = {}): Conversation {
  let last: { question: string; offset: number; total: number; language: Language } | undefined;
  const pageSize = opts.pageSize ?? 5;
  const home = opts.homeLibrary ? { homeLibrary: opts.homeLibrary } : {};
  return {
    handle(text) {
      if (MORE.test(text)) {
        if (!last || last.offset + pageSize >= last.total) return { type: 'no-more', language: last?.language ?? moreLanguage(text) };
        const offset = last.offset + pageSize;
        const answer = jala.ask(last.question, { ...home, offset, pageSize });
        last = { ...last, offset };
        return { type: 'answer', answer };
      }
      const answer = jala.ask(text, { ...home, pageSize });
      last = answer.total > 0 ? { question: text, offset: 0, total: answer.total, language: answer.language } : undefined;
      return { type: 'answer', answer };
    },
  };
}

function moreLanguage(text: string): Language {
  return /lagi|berikut|selanjut|lanjut|tampilkan/i.test(text) ? 'id' : 'en';
}
