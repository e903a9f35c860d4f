import type { Answer, Language } from '../answer/answer-types.ts';
import { detectLanguage } from '../answer/detect-language.ts';
import type { Jala } from '../app/create-jala.ts';
import type { IllService } from '../ill/ill-service.ts';
import type { ActionButton, BotActor, BotReply, BotRequest, BotResult, OutboxMessage, OutboxPort } from './bot-types.ts';
import { COMMANDS, commandSpec, fullUsage } from './command-table.ts';
import { phrases } from './messages.ts';
import { parseCommandLine } from './parse-command-line.ts';

/** The conversation layer: every platform hands a BotRequest here and renders the BotResult. */
export interface Bot {
  handle(req: BotRequest): BotResult;
  /** messages waiting for delivery (oldest first), and the adapters' delivery receipts */
  outbox: OutboxPort;
  /** ILL timers: lender timeouts and reminders, due-date reminders, overdue detection */
  runTimers(): OutboxMessage[];
  /** titles for autocomplete (Discord): at most 25, each at most 100 characters */
  suggestTitles(prefix: string): string[];
}

export interface BotOptions {
  ill: IllService;
  /** conversation context lifetime */
  contextTtlMs?: number;
  now?: () => Date;
}

interface Context {
  question: string;
  offset: number;
  total: number;
  language: Language;
  expires: number;
}

const PAGE = 5;

export function createBot(jala: Jala, opts: BotOptions): Bot {
  const now = opts.now ?? (() => new Date());
  const ttl = opts.contextTtlMs ?? 30 * 60_000;
  const contexts = new Map<string, Context>();
  const keyOf = (req: BotRequest): string => `${req.actor.platform}\u0000${req.actor.userId}\u0000${req.conversationId}`;

  const answerReply = (answer: Answer, actor: BotActor, isPrivate: boolean): BotReply => {
    const actions: ActionButton[] = [];
    if (answer.hasMore) {
      actions.push({ id: 'catalog:more', label: answer.language === 'id' ? 'Lagi' : 'More', target: String(answer.offset + answer.results.length), version: 0 });
    }
    for (const w of answer.results) {
      if (w.requestable && actor.library) {
        actions.push({
          id: 'ill:request',
          label: `${answer.language === 'id' ? 'Pinjam via ILL' : 'Request via ILL'}: ${w.title.slice(0, 40)}`,
          target: w.workId,
          version: 0,
          input: { label: answer.language === 'id' ? 'Catatan / dibutuhkan sebelum (opsional)' : 'Note / need by (optional)', kind: 'text', required: false },
        });
      }
    }
    return { language: answer.language, blocks: [{ type: 'answer', answer }], actions, private: isPrivate };
  };

  const ask = (req: BotRequest, question: string): BotResult => {
    const key = keyOf(req);
    const home = req.actor.library ? { homeLibrary: req.actor.library } : {};
    const answer = jala.ask(question, { ...home, pageSize: PAGE });
    contexts.set(key, { question, offset: 0, total: answer.total, language: answer.language, expires: now().getTime() + ttl });
    return { replies: [answerReply(answer, req.actor, req.actor.role === 'patron')], notifications: [] };
  };

  const more = (req: BotRequest, offset?: number): BotResult => {
    const ctx = contexts.get(keyOf(req));
    const language = ctx?.language ?? req.language ?? 'en';
    if (!ctx || ctx.expires < now().getTime()) return text(language, phrases(language).noMore, true);
    const next = offset ?? ctx.offset + PAGE;
    if (next >= ctx.total) return text(language, phrases(language).noMore, true);
    const answer = jala.ask(ctx.question, { ...(req.actor.library ? { homeLibrary: req.actor.library } : {}), offset: next, pageSize: PAGE });
    contexts.set(keyOf(req), { ...ctx, offset: next, expires: now().getTime() + ttl });
    return { replies: [answerReply(answer, req.actor, req.actor.role === 'patron')], notifications: [] };
  };

  const handle = (req: BotRequest): BotResult => {
    for (const [k, c] of contexts) if (c.expires < now().getTime()) contexts.delete(k);
    if (req.action) {
      const { id, target } = req.action;
      if (id === 'catalog:more') return more(req, Number(target) || undefined);
      if (id.startsWith('ill:')) return opts.ill.handleAction(req);
      return text(req.language ?? 'en', phrases(req.language ?? 'en').unknownAction, true, 'bot/unknown-action');
    }
    const raw = (req.text ?? '').trim();
    if (raw.startsWith('/')) {
      const parsed = parseCommandLine(raw);
      const lang = req.language ?? detectLanguage(parsed.rest);
      switch (parsed.command) {
        case 'catalog':
          return parsed.rest.trim() === '' ? usage('catalog', lang) : ask(req, parsed.rest);
        case 'ill':
          return opts.ill.handleCommand(req, parsed.rest, lang);
        case 'jala':
          return jalaCommand(req, parsed.rest, lang);
        case 'reindex':
          return text(lang, phrases(lang).reindexUnavailable, true, 'bot/not-available');
        default:
          return unknownCommand(parsed.command, lang);
      }
    }
    if (/^\s*(more|next|lagi|berikutnya|selanjutnya|lanjut)\s*[.!?]*\s*$/i.test(raw)) return more(req);
    return ask(req, raw);
  };

  const jalaCommand = (req: BotRequest, rest: string, lang: Language): BotResult => {
    const sub = rest.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const p = phrases(lang);
    switch (sub) {
      case '':
      case 'help':
      case 'bantuan':
        return text(lang, [p.help, '', p.commandsHeader, ...COMMANDS.flatMap((c) => fullUsage(c, lang).slice(0, c.name === 'ill' ? 7 : 4))].join('\n'), true);
      case 'stats': {
        const s = jala.store.stats();
        return text(lang, p.catalogStats(s), false);
      }
      case 'settings':
        return text(lang, p.settings(req.actor.role, req.actor.library), true);
      default:
        return usage('jala', lang);
    }
  };

  return {
    handle,
    outbox: opts.ill.outbox,
    runTimers: () => opts.ill.runTimers(),
    suggestTitles: (prefix) => jala.suggestTitles(prefix),
  };
}

function text(language: Language, body: string, isPrivate: boolean, error?: string): BotResult {
  return { replies: [{ language, blocks: [{ type: 'text', text: body }], actions: [], private: isPrivate, ...(error ? { error } : {}) }], notifications: [] };
}

function usage(name: string, lang: Language): BotResult {
  const spec = commandSpec(name);
  const lines = spec ? fullUsage(spec, lang) : [];
  return text(lang, [phrases(lang).usageHeader, ...lines].join('\n'), true, 'bot/usage');
}

function unknownCommand(name: string, lang: Language): BotResult {
  const p = phrases(lang);
  return text(lang, [p.unknownCommand(name), ...COMMANDS.map((c) => `/${c.name} — ${c.description[lang]}`)].join('\n'), true, 'bot/unknown-command');
}
