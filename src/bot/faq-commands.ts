import type { Language } from '../answer/answer-types.ts';
import type { FaqStore } from '../answer/faq-store.ts';
import type { BotActor, BotErrorCode, BotResult } from './bot-types.ts';
import { phrases } from './messages.ts';

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
      return text([p.faqHeader, ...entries.map((e) => `#${e.id} [${e.library ?? p.faqConsortium}] ${e.question} — ${e.answer}`)].join('\n'));
    }
    case 'add': {
      if (!staff) return text(p.faqForbidden, 'faq/forbidden');
      const m = /^(?:([A-Za-z0-9_-]+|\*):\s*)?([\s\S]+?)\s*\|\s*([\s\S]+)$/.exec(args);
      if (!m || !m[2] || !m[3]) return text(p.faqUsage, 'bot/usage');
      const library = m[1] === '*' ? null : (m[1] ?? actor.library ?? null);
      if (!mayChange(library)) return text(p.faqForbidden, 'faq/forbidden');
      const id = store.addFaq({ library, question: m[2].trim().slice(0, 300), answer: m[3].trim().slice(0, 2000), createdBy: actor.library ?? actor.role, now: now().toISOString() });
      return text(p.faqAdded(id));
    }
    case 'edit': {
      const id = Number((words[0] ?? '').replace(/^#/, ''));
      const entry = Number.isInteger(id) ? store.faqEntry(id) : undefined;
      if (!entry) return text(p.faqNotFound(words[0] ?? ''), 'faq/not-found');
      if (!mayChange(entry.library)) return text(p.faqForbidden, 'faq/forbidden');
      const body = args.slice((words[0] ?? '').length).trim();
      const m = /^([\s\S]*?)\s*\|\s*([\s\S]+)$/.exec(body);
      if (!m) return text(p.faqUsage, 'bot/usage');
      store.editFaq(id, m[1] ? m[1].trim() : undefined, m[2]?.trim(), now().toISOString());
      return text(p.faqEdited(id));
    }
    case 'remove':
    case 'delete':
    case 'hapus': {
      const id = Number((words[0] ?? '').replace(/^#/, ''));
      const entry = Number.isInteger(id) ? store.faqEntry(id) : undefined;
      if (!entry) return text(p.faqNotFound(words[0] ?? ''), 'faq/not-found');
      if (!mayChange(entry.library)) return text(p.faqForbidden, 'faq/forbidden');
      store.removeFaq(id);
      return text(p.faqRemoved(id));
    }
    default:
      return text(p.faqUsage, 'bot/usage');
  }
}
