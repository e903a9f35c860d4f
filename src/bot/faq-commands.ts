import type { Language } from '../answer/answer-types.ts';
import type { FaqStore } from '../answer/faq-store.ts';
import type { BotActor, BotErrorCode, BotResult } from './bot-types.ts';
import { FAQ_ANSWER_MAX, FAQ_QUESTION_MAX, capEcho, parseFaqArgs } from './faq-command-args.ts';
import { phrases } from './messages.ts';

/** How many entries `/jala faq` lists in one reply. */
export const FAQ_LIST_MAX = 50;

/**
 * `/jala faq` (list), `/jala faq add [LIB:] question | answer`, `/jala faq edit ID question | answer`,
 * `/jala faq remove ID`. Librarians maintain their own library's entries; admins any entry and
 * consortium-wide ones.
 */
export function faqCommand(store: FaqStore, actor: BotActor, rest: string, lang: Language, now: () => Date): BotResult {
  const p = phrases(lang);
  const [verb = '', ...words] = rest.trim().split(/\s+/);
  const args = rest.trim().slice(verb.length).trim();
  const staff = actor.role === 'librarian' || actor.role === 'admin';
  const text = (body: string, error?: BotErrorCode): BotResult => ({
    replies: [{ language: lang, blocks: [{ type: 'text', text: body }], actions: [], private: true, ...(error ? { error } : {}) }],
    notifications: [],
  });
  const mayChange = (library: string | null): boolean => actor.role === 'admin' || (actor.role === 'librarian' && library !== null && library === actor.library);
  switch (verb.toLowerCase()) {
    case '':
    case 'list': {
      const entries = store.faq();
      if (entries.length === 0) return text(p.faqEmpty);
      // each entry as stored is capped again here: entries saved before the limits existed may be longer
      const shown = entries.slice(0, FAQ_LIST_MAX).map((e) => `#${e.id} [${e.library ?? p.faqConsortium}] ${capEcho(e.question, FAQ_QUESTION_MAX)} — ${capEcho(e.answer, FAQ_ANSWER_MAX)}`);
      return text([p.faqHeader, ...shown, ...(entries.length > FAQ_LIST_MAX ? [p.faqMore(entries.length - FAQ_LIST_MAX)] : [])].join('\n'));
    }
    case 'add': {
      if (!staff) return text(p.faqForbidden, 'faq/forbidden');
      const parsed = parseFaqArgs(args, { libraryPrefix: true, questionRequired: true });
      if (!parsed.ok) return parsed.error === 'faq/too-long' ? text(p.faqTooLong(FAQ_QUESTION_MAX, FAQ_ANSWER_MAX), parsed.error) : text(p.faqUsage, parsed.error);
      const library = parsed.library === '*' ? null : (parsed.library ?? actor.library ?? null);
      if (!mayChange(library)) return text(p.faqForbidden, 'faq/forbidden');
      const id = store.addFaq({ library, question: parsed.question, answer: parsed.answer, createdBy: actor.library ?? actor.role, now: now().toISOString() });
      return text(p.faqAdded(id));
    }
    case 'edit': {
      const id = Number((words[0] ?? '').replace(/^#/, ''));
      const entry = Number.isInteger(id) ? store.faqEntry(id) : undefined;
      if (!entry) return text(p.faqNotFound(capEcho(words[0] ?? '', 20)), 'faq/not-found');
      if (!mayChange(entry.library)) return text(p.faqForbidden, 'faq/forbidden');
      const body = args.slice((words[0] ?? '').length).trim();
      const parsed = parseFaqArgs(body, { libraryPrefix: false, questionRequired: false });
      if (!parsed.ok) return parsed.error === 'faq/too-long' ? text(p.faqTooLong(FAQ_QUESTION_MAX, FAQ_ANSWER_MAX), parsed.error) : text(p.faqUsage, parsed.error);
      store.editFaq(id, parsed.question === '' ? undefined : parsed.question, parsed.answer, now().toISOString());
      return text(p.faqEdited(id));
    }
    case 'remove':
    case 'delete':
    case 'hapus': {
      const id = Number((words[0] ?? '').replace(/^#/, ''));
      const entry = Number.isInteger(id) ? store.faqEntry(id) : undefined;
      if (!entry) return text(p.faqNotFound(capEcho(words[0] ?? '', 20)), 'faq/not-found');
      if (!mayChange(entry.library)) return text(p.faqForbidden, 'faq/forbidden');
      store.removeFaq(id);
      return text(p.faqRemoved(id));
    }
    default:
      return text(p.faqUsage, 'bot/usage');
  }
}
