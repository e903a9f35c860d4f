import type { Answer, Language } from '../answer/answer-types.ts';
import { clarifyChoices, type Choice } from '../answer/clarify.ts';
import { contextKey } from '../answer/conversation-store.ts';
import { detectLanguage, languageSignal } from '../answer/detect-language.ts';
import { onlyPointsBack, requestIntent } from '../answer/request-intent.ts';
import { answerFromKnowledge } from '../answer/knowledge.ts';
import { parseFollowUp, type FollowUp } from '../answer/parse-follow-up.ts';
import type { ParsedQuestion } from '../answer/parse-question.ts';
import { READING_LIST_LINE_MAX, READING_LIST_MAX_ITEMS, readReadingList } from '../answer/reading-list.ts';
import type { Jala } from '../app/create-jala.ts';
import type { IllService } from './ill-commands.ts';
import { lenderCandidates, requestability } from '../ill/requestability.ts';
import { parseWorkLabel } from '../catalog/work-document.ts';
import { normalizeIsbn } from '../mapping/isbn.ts';
import type { ActionButton, BotActor, BotErrorCode, BotReply, BotRequest, BotResult, OutboxMessage, OutboxPort } from './bot-types.ts';
import { COMMANDS, commandSpec, fullUsage } from './command-table.ts';
import { adminJalaCommand, reindexCommand } from './admin-commands.ts';
import { FAQ_ANSWER_MAX, capEcho } from './faq-command-args.ts';
import { faqCommand } from './faq-commands.ts';
import { phrases } from './messages.ts';
import { ACTION_INPUT_MAX_CHARS, cutAt, cutMessage } from './message-limits.ts';
import { readCommandLine, type CommandInput } from './command-input.ts';
import { parseCommand } from './command-schemas.ts';
import { randomUUID } from 'node:crypto';
import { parseDate } from '../ill/apply-action.ts';
import type { PlaceArgs } from './ill-commands.ts';

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
  /** conversation context lifetime; default from the config (30 minutes) */
  contextTtlMs?: number;
  now?: () => Date;
}

/** What a conversation remembers: the last question, the page shown, what "it" is, a pending choice. */
interface Context {
  question: string;
  offset: number;
  total: number;
  language: Language;
  /** the works on the page shown, in order, with their absolute positions */
  shown: Array<{ position: number; workId: string; year?: number }>;
  /** the work "it" refers to */
  focus?: string;
  /** choices offered in a clarifying question */
  choices?: Choice[];
  /** a patron's request shown for confirmation ("yes" / "ya" or the button places it): the work and the details typed with it */
  pending?: PendingRequest;
}

/** A patron's request shown for confirmation, not placed yet. */
interface PendingRequest {
  workId: string;
  /** the need-by date, note and rush flag typed with the request */
  details: PlaceDetails;
  /** names this confirmation on its buttons: a press of an older one (or a second press) finds nothing */
  token: string;
  /** after this the confirmation places nothing (CONFIRM_TTL_MS after it was shown, on the bot's clock) */
  expiresAt: string;
}

/** What a request carries besides its work. */
type PlaceDetails = Omit<PlaceArgs, 'item'>;

/** How long a shown request can be confirmed. */
export const CONFIRM_TTL_MS = 15 * 60_000;

const PAGE = 5;
/** Longest line of a reading list (and title) echoed back in the reply. */
const ECHO_LINE_MAX = 150;
const MORE = /^\s*(more|next|next page|show more|lagi|berikutnya|selanjutnya|lanjut|tampilkan lagi)\s*[.!?]*\s*$/i;
const YES = /^\s*(ya|iya|yes|yep|yup|ok|oke|okay|sure|betul|benar|lanjut|lanjutkan|setuju|go ahead|confirm|ajukan|ya,? ajukan|yes,? please|ya,? tolong|boleh)\s*[.!]*\s*$/iu;
const NO = /^\s*(no|nope|tidak|nggak|gak|ga|enggak|jangan|batal|batalkan|cancel|never ?mind|tidak jadi|gak jadi|nggak jadi)\s*[.!]*\s*$/iu;
/** how long the language a person writes in is remembered (replies and notifications use it) */
const LANGUAGE_TTL_MS = 180 * 86_400_000;

export function createBot(jala: Jala, opts: BotOptions): Bot {
  const now = opts.now ?? (() => new Date());
  const ttl = opts.contextTtlMs ?? jala.config.conversation.contextMinutes * 60_000;
  const contexts = jala.stores.conversations;
  const faq = jala.stores.faq;
  // contexts are per person and conversation, never shared between users
  const keyOf = (req: BotRequest): string => contextKey(req.actor.platform, req.actor.userId, req.conversationId);
  const load = (req: BotRequest): Context | undefined => {
    const raw = contexts.context(keyOf(req), now().toISOString());
    return raw ? (JSON.parse(raw) as Context) : undefined;
  };
  const save = (req: BotRequest, ctx: Context): void => contexts.saveContext(keyOf(req), JSON.stringify(ctx), new Date(now().getTime() + ttl).toISOString());
  const home = (actor: BotActor): { homeLibrary?: string } => (actor.library ? { homeLibrary: actor.library } : {});
  const illStore = jala.stores.ill;

  /**
   * One language per person: a clear sign in the message (function words outside the title it names)
   * decides; a title, a name or a typo keeps the language the person wrote in before; the platform's
   * locale, then the message's own words, decide only for someone new.
   */
  const storedLanguage = (actor: BotActor): Language | undefined => contexts.personLanguage(actor.platform, actor.userId, now().toISOString());
  const decideLanguage = (req: BotRequest, text: string, searched: readonly string[]): Language => {
    const stored = storedLanguage(req.actor);
    const lang = languageSignal(text, searched) ?? stored ?? req.language ?? detectLanguage(text);
    contexts.savePersonLanguage(req.actor.platform, req.actor.userId, lang, new Date(now().getTime() + LANGUAGE_TTL_MS).toISOString());
    return lang;
  };
  const searchedOf = (q: ParsedQuestion): string[] => [q.title, q.author, q.subject, q.text].filter((s): s is string => s !== undefined && s !== '');

  const answerReply = (answer: Answer, actor: BotActor, isPrivate: boolean, before: string[] = [], extra: ActionButton[] = []): BotReply => {
    const actions: ActionButton[] = [...extra];
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
    return { language: answer.language, blocks: [...before.map((text) => ({ type: 'text' as const, text })), { type: 'answer', answer }], actions, private: isPrivate };
  };

  /** Answer and remember; ask back when the question is ambiguous in a way that matters. */
  const respond = (req: BotRequest, question: string, answer: Answer, parsed: ParsedQuestion | undefined): BotResult => {
    const choices = answer.offset === 0 ? clarifyChoices(answer, parsed?.author, parsed ?? {}) : [];
    const ctx: Context = {
      question,
      offset: answer.offset,
      total: answer.total,
      language: answer.language,
      shown: answer.results.map((r, i) => ({ position: answer.offset + i + 1, workId: r.workId, ...(r.year !== undefined ? { year: r.year } : {}) })),
      ...(answer.results.length === 1 && answer.results[0] ? { focus: answer.results[0].workId } : {}),
      ...(choices.length > 0 ? { choices } : {}),
    };
    save(req, ctx);
    const p = phrases(answer.language);
    const buttons: ActionButton[] = choices.map((c, i) => ({ id: 'catalog:choose', label: c.label.slice(0, 75), target: String(i + 1), version: 0 }));
    const before = choices.length > 0 ? [answer.kind === 'author' ? p.whichAuthor : p.whichWork] : [];
    return { replies: [answerReply(answer, req.actor, req.actor.role === 'patron', before, buttons)], notifications: [] };
  };

  const ask = (req: BotRequest, question: string, lang: Language): BotResult => {
    const parsed = inLanguage(jala.parse(question), lang);
    // "what is the status of my request?" is what /ill mine answers
    if (parsed.kind === 'my-requests') return opts.ill.handleCommand(req, { key: 'ill mine', values: {} }, lang);
    if (parsed.kind === 'library-info') return text(lang, phrases(lang).noLibraryInfo, true);
    if (parsed.invalidIsbn && !hasSearch(parsed)) return text(lang, phrases(lang).invalidIsbn(parsed.invalidIsbn), true, 'catalog/invalid-isbn');
    // a library name that fits several members: ask which one
    const ambiguous = parsed.ambiguousLibraries?.[0];
    if (ambiguous && ambiguous.length > 1 && !parsed.filters.library) {
      const choices: Choice[] = ambiguous.slice(0, 5).map((code) => ({ kind: 'question', value: `${question} lib:${code}`, label: `${code} — ${jala.libraries.find((l) => l.code === code)?.name ?? code}` }));
      save(req, { question, offset: 0, total: 0, language: lang, shown: [], choices });
      const buttons = choices.map((c, i) => ({ id: 'catalog:choose', label: c.label.slice(0, 75), target: String(i + 1), version: 0 }));
      return { replies: [{ language: lang, blocks: [{ type: 'text', text: phrases(lang).whichLibrary }], actions: buttons, private: true }], notifications: [] };
    }
    const answer = jala.askParsed(parsed, { ...home(req.actor), pageSize: PAGE });
    return respond(req, question, answer, parsed);
  };

  const more = (req: BotRequest, language: Language, offset?: number): BotResult => {
    const ctx = load(req);
    if (!ctx) return text(language, phrases(language).noMore, true);
    const next = offset ?? ctx.offset + PAGE;
    if (next >= ctx.total) return text(language, phrases(language).noMore, true);
    const answer = jala.askParsed(inLanguage(jala.parse(ctx.question), language), { ...home(req.actor), offset: next, pageSize: PAGE });
    save(req, { ...ctx, offset: next, shown: answer.results.map((r, i) => ({ position: next + i + 1, workId: r.workId, ...(r.year !== undefined ? { year: r.year } : {}) })) });
    return { replies: [answerReply(answer, req.actor, req.actor.role === 'patron')], notifications: [] };
  };

  /** A pending clarifying question answered by a button or by "2" / "the second one". */
  const choose = (req: BotRequest, ctx: Context, n: number, language: Language): BotResult | undefined => {
    const choice = ctx.choices?.[n - 1];
    if (!choice) return undefined;
    if (choice.kind === 'question') return ask(req, choice.value, language);
    return showWork(req, ctx, choice.value, 'search', language, undefined);
  };

  const showWork = (req: BotRequest, ctx: Context, workId: string, kind: 'search' | 'holders' | 'availability', language: Language, library: string | undefined): BotResult => {
    const q: ParsedQuestion = {
      kind,
      language,
      text: '',
      identifier: { type: 'id', value: workId },
      filters: kind === 'availability' && library ? { library, available: true } : {},
    };
    const answer = jala.askParsed(q, { ...home(req.actor), pageSize: 1 });
    const { choices: _answered, ...rest } = ctx;
    save(req, { ...rest, focus: workId });
    return { replies: [answerReply(answer, req.actor, req.actor.role === 'patron')], notifications: [] };
  };

  const followUp = (req: BotRequest, ctx: Context, f: FollowUp, raw: string, language: Language): BotResult => {
    const pick = (): string | undefined => {
      switch (f.pick.by) {
        case 'position': {
          const n = f.pick.n;
          return (ctx.shown[n - 1] ?? ctx.shown.find((s) => s.position === n))?.workId;
        }
        case 'last':
          return ctx.shown.at(-1)?.workId;
        case 'year': {
          const y = f.pick.year;
          return ctx.shown.find((s) => s.year === y)?.workId;
        }
        case 'focus':
          return ctx.focus ?? ctx.shown[0]?.workId;
      }
    };
    const workId = pick();
    if (!workId) return text(language, phrases(language).nothingToRefer, true);
    switch (f.intent) {
      case 'show':
        return showWork(req, ctx, workId, 'search', language, undefined);
      case 'holders':
        return showWork(req, ctx, workId, 'holders', language, undefined);
      case 'availability': {
        const library = jala.parse(raw).filters.library ?? req.actor.library;
        return showWork(req, ctx, workId, 'availability', language, library);
      }
      case 'request':
        save(req, { ...ctx, focus: workId });
        return requestWork(req, workId, {}, language, false);
    }
  };

  /**
   * A request for one work, named or picked: a librarian's is placed at once; a patron first sees what
   * would be requested — title, author, year, edition, where it would come from — and confirms.
   * What cannot be lent is refused here, with why; a copy on the patron's own shelf is named.
   */
  const requestWork = (req: BotRequest, workId: string, details: PlaceDetails, lang: Language, guessed: boolean): BotResult => {
    const id = parseWorkLabel(workId);
    const work = id === undefined ? undefined : jala.store.work(id);
    const p = phrases(lang);
    if (id === undefined || !work) return text(lang, p.nothingToRefer, true);
    if (!req.actor.library) return opts.ill.placeRequest(req, { item: workId, ...details }, lang, {});
    const items = jala.store.itemsOfWork(id);
    const holders = jala.store.recordIdsOfWork(id).map((x) => x.library);
    const config = (code: string) => jala.config.libraries.find((l) => l.code === code);
    const r = requestability(req.actor.library, lenderCandidates(items, holders, config, illStore.lendingLoad(), now().toISOString().slice(0, 10)), items);
    const name = (code: string): string => jala.libraries.find((l) => l.code === code)?.name ?? code;
    const what = p.requestWhat(work.title, work.authors.map((a) => a.direct).slice(0, 2), work.year, work.edition);
    if (!r.lendable) {
      const ctx = load(req);
      if (ctx) save(req, { ...withoutPending(ctx), focus: workId });
      const why = r.cannotLend.map((c) => p.cannotLend(c.library, c.reason));
      const own = r.ownShelf.length > 0 ? [p.ownShelf(req.actor.library, r.ownShelf)] : holders.includes(req.actor.library) ? [p.ownHolds(req.actor.library)] : [];
      const refused = text(lang, [p.notRequestable(what), ...why, ...own].join('\n'), true, 'ill/not-requestable');
      return { ...refused, replies: refused.replies.map((r) => ({ ...r, workId })) };
    }
    if (req.actor.role !== 'patron') return opts.ill.placeRequest(req, { item: workId, ...details }, lang, {});
    const ctx = load(req) ?? { question: '', offset: 0, total: 0, language: lang, shown: [] };
    const token = randomUUID().slice(0, 18);
    save(req, { ...withoutPending(ctx), language: lang, focus: workId, pending: { workId, details, token, expiresAt: new Date(now().getTime() + CONFIRM_TTL_MS).toISOString() } });
    const lines = [
      ...(guessed ? [p.requestGuessed] : []),
      p.requestPreview(what),
      ...(r.ownShelf.length > 0 ? [p.ownShelf(req.actor.library, r.ownShelf)] : []),
      p.requestFrom(r.lenders.slice(0, 3).map((l) => `${l} (${name(l)})`)),
      p.requestConfirm,
    ];
    const buttons: ActionButton[] = [
      { id: 'ill:confirm', label: p.requestButton(work.title.slice(0, 50)), style: 'primary', target: token, version: 0 },
      { id: 'ill:dismiss', label: p.requestCancelButton, style: 'danger', target: token, version: 0 },
    ];
    return { replies: [{ language: lang, blocks: [{ type: 'text', text: lines.join('\n') }], actions: buttons, private: true, workId }], notifications: [] };
  };

  /** "pinjam buku saman", "/ill request pulang": the work the words name (an id or ISBN as such, else the best match). */
  const requestNamed = (req: BotRequest, item: string, details: PlaceDetails, lang: Language): BotResult => {
    const explicit = explicitWork(item);
    if (explicit) return requestWork(req, explicit, details, lang, false);
    const answer = jala.askParsed(inLanguage(jala.parse(item), lang), { ...home(req.actor), pageSize: 1 });
    const top = answer.results[0];
    if (!top) return text(lang, phrases(lang).nothingFound(capEcho(item, ECHO_LINE_MAX)), true, 'ill/no-work');
    return requestWork(req, top.workId, details, lang, true);
  };

  const explicitWork = (item: string): string | undefined => {
    const t = item.trim();
    if (/^w\d+$/i.test(t) && parseWorkLabel(t) !== undefined && jala.store.work(parseWorkLabel(t) as number)) return t.toLowerCase();
    const isbn = normalizeIsbn(t);
    if (isbn && /^(?:isbn:?\s*)?[\d\s-]{9,17}[\dXx]?$/i.test(t)) {
      const w = jala.store.worksByKey('isbn', isbn.isbn13)[0];
      if (w !== undefined) return `w${w}`;
    }
    const byRecord = jala.store.workOfRecord(t);
    return byRecord === undefined ? undefined : `w${byRecord}`;
  };


  const knowledge = (req: BotRequest, question: string, language: Language): BotResult | undefined => {
    const answered = answerFromKnowledge(question, jala.config.libraries.map((l) => ({ code: l.code, name: l.name, aliases: l.aliases, info: l.info })), faq.faq(), req.actor.library);
    if (!answered) return undefined;
    const found = { ...answered, language };
    const p = phrases(found.language);
    if (found.kind === 'fact') {
      const day = found.day;
      const lead = day === undefined ? [] : day.hours === undefined ? [p.dayNotSaid(found.libraryName, day.day)] : [day.hours.open ? p.openOn(found.libraryName, day.day, day.hours.times) : p.closedOn(found.libraryName, day.day)];
      return text(found.language, [...lead, p.factAnswer(found.libraryName, found.topic, found.text)].join('\n'), false);
    }
    if (found.kind === 'faq') return text(found.language, p.faqAnswer(capEcho(found.entry.answer, FAQ_ANSWER_MAX), found.entry.library), false);
    const choices: Choice[] = found.libraries.map((code) => ({ kind: 'question', value: `${question} (${code})`, label: code }));
    save(req, { question, offset: 0, total: 0, language: found.language, shown: [], choices });
    return {
      replies: [{ language: found.language, blocks: [{ type: 'text', text: p.whichLibrary }], actions: choices.map((c, i) => ({ id: 'catalog:choose', label: c.label, target: String(i + 1), version: 0 })), private: true }],
      notifications: [],
    };
  };

  const readingList = (req: BotRequest, raw: string, lang: Language): BotResult | undefined => {
    const list = readReadingList(raw);
    if (!list) return undefined;
    const { items } = list;
    const p = phrases(lang);
    const lines: string[] = [];
    const offers: ActionButton[] = [];
    let found = 0;
    items.forEach((item, i) => {
      const answer = jala.ask(item.query, { ...home(req.actor), pageSize: 1 });
      const top = answer.step === 'suggestion' ? undefined : answer.results[0];
      if (!top) {
        lines.push(p.readingListMissing(i + 1, capEcho(item.line, ECHO_LINE_MAX)));
        return;
      }
      found++;
      const holders = top.libraries
        .map((lib) => {
          const hs = top.holdings.filter((h) => h.library === lib);
          const best = hs.find((h) => h.status === 'available') ?? hs[0];
          return `${lib}: ${best ? (best.noItemInformation ? p.noItemInformation : p.status(best.status, best.dueDate)) : ''}`;
        })
        .join(', ');
      lines.push(p.readingListFound(i + 1, capEcho(item.line, ECHO_LINE_MAX), `${capEcho(top.title, ECHO_LINE_MAX)}${top.year !== undefined ? ` (${top.year})` : ''} [${top.workId}]`, holders));
      if (top.requestable && offers.length < 5) {
        offers.push({ id: 'ill:request', label: `${lang === 'id' ? 'Pinjam' : 'Request'}: ${top.title.slice(0, 50)}`, target: top.workId, version: 0 });
      }
    });
    const limits = [...(list.linesCut > 0 ? [p.readingListLinesCut(list.linesCut, READING_LIST_LINE_MAX)] : []), ...(list.itemsLeft > 0 ? [p.readingListItemsLeft(list.itemsLeft, READING_LIST_MAX_ITEMS)] : [])];
    const body = [p.readingListHeader(found, items.length), ...limits, ...lines, ...(offers.length > 0 ? [p.readingListOffer] : [])].join('\n');
    return { replies: [{ language: lang, blocks: [{ type: 'text', text: body }], actions: offers, private: req.actor.role === 'patron' }], notifications: [] };
  };

  // per-person flood control for questions and commands (buttons are not limited): a sliding minute
  const recent = new Map<string, number[]>();
  const limit = jala.config.conversation.rateLimitPerMinute;
  const tooFast = (req: BotRequest): boolean => {
    const key = `${req.actor.platform}\u0000${req.actor.userId}`;
    const t = now().getTime();
    const times = (recent.get(key) ?? []).filter((x) => x > t - 60_000);
    times.push(t);
    recent.set(key, times);
    if (recent.size > 10_000) for (const [k, v] of recent) if ((v.at(-1) ?? 0) <= t - 60_000) recent.delete(k);
    return times.length > limit;
  };

  /** Every message is cut before anything reads it (message-limits.ts); the person is told. */
  const handle = (incoming: BotRequest): BotResult => {
    let req = incoming;
    let cutTo: number | undefined;
    if (req.text !== undefined) {
      const cut = cutMessage(req.text, (t) => readReadingList(t) !== undefined);
      if (cut.cutTo !== undefined) req = { ...req, text: cut.text };
      cutTo = cut.cutTo;
    }
    if (req.action?.input !== undefined && req.action.input.length > ACTION_INPUT_MAX_CHARS) {
      req = { ...req, action: { ...req.action, input: cutAt(req.action.input, ACTION_INPUT_MAX_CHARS) } };
      cutTo = ACTION_INPUT_MAX_CHARS;
    }
    const result = handleRead(req);
    if (cutTo !== undefined) {
      const first = result.replies[0];
      const lang = first?.language ?? req.language ?? detectLanguage(req.text ?? '');
      const notice = { type: 'text' as const, text: phrases(lang).messageCut(cutTo) };
      if (first) result.replies[0] = { ...first, blocks: [notice, ...first.blocks] };
      else result.replies.push({ language: lang, blocks: [notice], actions: [], private: true });
    }
    return result;
  };

  const handleRead = (req: BotRequest): BotResult => {
    if (!req.action && tooFast(req)) {
      const lang = storedLanguage(req.actor) ?? req.language ?? detectLanguage(req.text ?? '');
      return text(lang, phrases(lang).slowDown, true, 'bot/rate-limited');
    }
    contexts.dropExpired(now().toISOString());
    if (req.action) {
      // a button says nothing about language: the person's own language (then the platform's) answers
      const lang = storedLanguage(req.actor) ?? req.language ?? 'en';
      const { id, target } = req.action;
      if (id === 'catalog:more') return more(req, lang, Number(target) || undefined);
      if (id === 'catalog:choose') {
        const ctx = load(req);
        const chosen = ctx ? choose(req, ctx, Number(target), lang) : undefined;
        return chosen ?? text(lang, phrases(lang).unknownAction, true, 'bot/unknown-action');
      }
      if (id === 'ill:confirm') return confirmPending(req, target, lang);
      if (id === 'ill:dismiss') {
        const ctx = load(req);
        if (ctx?.pending?.token === target) save(req, withoutPending(ctx));
        return text(lang, phrases(lang).requestDropped, true);
      }
      // a patron's "Request via ILL" shows what would be requested, to confirm; staff place at once
      if (id === 'ill:request' && req.actor.role === 'patron') {
        const d = detailsOfInput(req.action.input);
        if (!d.ok) return opts.ill.commandProblem({ code: 'ill/bad-date', command: 'ill', subcommand: 'request', value: d.badDate }, lang);
        return requestWork(req, target, d.details, lang, false);
      }
      if (id.startsWith('ill:')) return opts.ill.handleAction({ ...req, language: lang });
      return text(lang, phrases(lang).unknownAction, true, 'bot/unknown-action');
    }
    const raw = (req.text ?? '').trim();
    const input = req.command ?? (raw.startsWith('/') ? readCommandLine(raw) : undefined);
    if (input) return command(req, input);
    const parsedRaw = jala.parse(raw);
    const intent = requestIntent(raw);
    const lang = decideLanguage(req, raw, intent && intent.item !== '' ? [intent.item] : searchedOf(parsedRaw));
    const list = readingList(req, raw, lang);
    if (list) return list;
    if (MORE.test(raw)) return more(req, lang);
    const ctx = load(req);
    if (ctx?.pending) {
      if (YES.test(raw)) return confirmPending(req, ctx.pending.token, lang);
      save(req, withoutPending(ctx));
      if (NO.test(raw)) return text(lang, phrases(lang).requestDropped, true);
    }
    // a request that names its own work acts on that work, whatever was said before
    if (intent && !onlyPointsBack(intent.item)) return requestNamed(req, intent.item, {}, lang);
    if (ctx) {
      const n = /^\s*#?([1-5])\s*$/.exec(raw)?.[1];
      if (ctx.choices && n) {
        const chosen = choose(req, ctx, Number(n), lang);
        if (chosen) return chosen;
      }
      const f = hasOwnContent(parsedRaw) ? undefined : parseFollowUp(raw);
      if (f) {
        if (ctx.choices && f.intent === 'show' && f.pick.by === 'position') {
          const chosen = choose(req, ctx, f.pick.n, lang);
          if (chosen) return chosen;
        }
        return followUp(req, ctx, f, raw, lang);
      }
    }
    const known = knowledge(req, raw, lang);
    if (known) return known;
    // "who has it?" with nothing said before: say so instead of searching for "it"
    if (!ctx && !hasOwnContent(parsedRaw)) {
      const f = parseFollowUp(raw);
      if (f) return text(lang, phrases(lang).nothingToRefer, true);
    }
    return ask(req, raw, lang);
  };

  /**
   * A shown request confirmed (button or "yes"): placed once. The confirmation is taken from the
   * conversation inside the placing's transaction, so a second press — in this process or another —
   * finds it gone and places nothing; one past CONFIRM_TTL_MS places nothing either.
   */
  const confirmPending = (req: BotRequest, token: string, lang: Language): BotResult => {
    const pending = load(req)?.pending;
    if (!pending || pending.token !== token) return text(lang, opts.ill.alreadyConfirmedText(lang), true, 'ill/confirmation-gone');
    if (now().toISOString() >= pending.expiresAt) {
      const ctx = load(req);
      if (ctx) save(req, withoutPending(ctx));
      return text(lang, phrases(lang).requestExpired(CONFIRM_TTL_MS / 60_000), true, 'ill/confirmation-expired');
    }
    const claim = (): boolean => {
      const ctx = load(req);
      if (ctx?.pending?.token !== token) return false;
      save(req, withoutPending(ctx));
      return true;
    };
    return opts.ill.placeRequest(req, { item: pending.workId, ...pending.details }, lang, { claim });
  };

  /** A command from the table: validated by its schema, then run with typed values. */
  const command = (req: BotRequest, input: CommandInput): BotResult => {
    // "/jala" alone, or "/jala bantuan", is help
    const asked = input.command === 'jala' && (input.subcommand === undefined || input.subcommand === 'bantuan') ? { ...input, subcommand: 'help' } : input;
    // the command words are English in both languages: only what is typed after them can say more
    const typed = Object.values(asked.values).join(' ');
    const question = asked.command === 'catalog' ? (asked.values['question'] ?? '') : '';
    const lang = decideLanguage(req, typed, question !== '' ? searchedOf(jala.parse(question)) : []);
    const parsed = parseCommand(asked);
    if (!parsed.ok) {
      const problem = parsed.problem;
      if (problem.code === 'bot/unknown-command') return unknownCommand(problem.command, lang);
      if (problem.command === 'ill') return opts.ill.commandProblem(problem, lang);
      if (problem.command === 'reindex') return reindexCommand(jala, req, undefined, lang, { now });
      if (problem.command === 'jala' && problem.subcommand !== undefined && problem.code === 'bot/usage') {
        return adminJalaCommand(jala, req, { key: undefined, subcommand: problem.subcommand }, lang) ?? usage('jala', lang);
      }
      return usage(problem.command, lang);
    }
    const c = parsed.command;
    switch (c.key) {
      case 'catalog':
        return ask(req, c.values.question, lang);
      case 'reindex':
        return reindexCommand(jala, req, c.values, lang, { now });
      case 'jala help':
        return text(lang, [phrases(lang).help, '', phrases(lang).commandsHeader, ...COMMANDS.flatMap((x) => fullUsage(x, lang).slice(0, x.name === 'ill' ? 7 : undefined))].join('\n'), true);
      case 'jala settings':
        return text(lang, phrases(lang).settings(req.actor.role, req.actor.library), true);
      case 'jala faq':
        return faqCommand(faq, req.actor, c.values.details ?? '', lang, now);
      case 'jala stats':
      case 'jala quality':
      case 'jala overlap':
      case 'jala unique':
      case 'jala export':
        return adminJalaCommand(jala, req, c, lang) ?? usage('jala', lang);
      case 'ill request': {
        // a patron's "/ill request <title, ISBN or id>" is shown for confirmation first; staff place at once
        if (req.actor.role !== 'patron' || !req.actor.library) return opts.ill.handleCommand(req, c, lang);
        const rush = /\brush\b|\bsegera\b/i;
        const item = c.values.item.replace(new RegExp(rush.source, 'gi'), ' ').trim();
        if (item === '') return opts.ill.handleCommand(req, c, lang);
        const details: PlaceDetails = {
          ...(c.values['need-by'] !== undefined ? { needBy: c.values['need-by'] } : {}),
          ...(c.values.note !== undefined ? { note: c.values.note } : {}),
          ...(rush.test(c.values.item) ? { rush: true } : {}),
        };
        return requestNamed(req, item, details, lang);
      }
      default:
        return opts.ill.handleCommand(req, c, lang);
    }
  };

  return {
    handle,
    outbox: opts.ill.outbox,
    runTimers: () => opts.ill.runTimers(),
    suggestTitles: (prefix) => jala.suggestTitles(prefix),
  };
}

/** The question names something of its own to search (not only "it"): then it is not a follow-up. */
function hasOwnContent(q: ParsedQuestion): boolean {
  if (q.identifier !== undefined || q.kind === 'my-requests' || q.kind === 'library-info') return true;
  const words = [q.title, q.author, q.subject, q.text].filter((s): s is string => s !== undefined && s.trim() !== '').join(' ');
  return words.split(/\s+/u).filter((w) => w !== '' && !PRONOUNS.test(w.replace(/[?.!,]+$/u, ''))).length >= 1;
}

/** Words of a follow-up that point back or only ask: "who has it?", "apakah yang kedua tersedia di UI?" */
const PRONOUNS = /^(?:it|this|that|them|one|ones|the|a|an|book|books|copy|copies|itu|ini|tersebut|nya|bukunya|novelnya|judulnya|yang|ke|nomor|number|no|kedua|pertama|ketiga|keempat|kelima|terakhir|second|first|third|fourth|fifth|last|edition|edisi|version|versi|apakah|ada|masih|still|now|sekarang|dong|ya|please|tolong|bisa|can|i|saya|aku|me|request|pinjam|order|ajukan|minta|\d+)$/iu;

function inLanguage(q: ParsedQuestion, language: Language): ParsedQuestion {
  return { ...q, language, ...(q.alternatives ? { alternatives: q.alternatives.map((a) => ({ ...a, language })) } : {}) };
}

/** A button form's one field as request details: a date is the need-by date, the rest a note. */
function detailsOfInput(input: string | undefined): { ok: true; details: PlaceDetails } | { ok: false; badDate: string } {
  const text = (input ?? '').trim();
  const date = /\b(?:need-by:\s*)?(\d{4}-\d{2}-\d{2})\b/.exec(text);
  const needBy = date ? parseDate(date[1] ?? '') : undefined;
  if (date && !needBy) return { ok: false, badDate: date[1] ?? '' };
  const note = (date ? text.replace(date[0], ' ') : text).trim();
  return { ok: true, details: { ...(needBy ? { needBy } : {}), ...(note ? { note } : {}) } };
}

function withoutPending<T extends { pending?: unknown }>(ctx: T): Omit<T, 'pending'> {
  const { pending: _dropped, ...rest } = ctx;
  return rest;
}

function hasSearch(q: ParsedQuestion): boolean {
  return [q.title, q.author, q.subject, q.text].some((s) => s !== undefined && s.trim() !== '') || Object.keys(q.filters).length > 0;
}

function text(language: Language, body: string, isPrivate: boolean, error?: BotErrorCode): BotResult {
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
