import type { Jala } from '../app/create-jala.ts';
import { normalizeIsbn } from '../mapping/isbn.ts';
import { parseWorkLabel } from '../catalog/work-document.ts';
import { parseDate, type IllError, type IllErrorCode } from '../ill/apply-action.ts';
import type { IllRequest } from '../ill/ill-request.ts';
import { ILL_ACTION_NAMES, type IllAction, type Side } from '../ill/ill-states.ts';
import { illStats } from '../ill/ill-stats.ts';
import { runIllTimers } from '../ill/ill-timers.ts';
import { createIll, TERMINAL, type IllNotice } from '../ill/ill-workflow.ts';
import { placeIllRequest, type PlaceOptions } from '../ill/place-request.ts';
import { STATUS_VIEWS, statusViewer, visibleHistory } from '../ill/status-view.ts';
import { noticeEvent, renderOutboxRow, type OutboxRendering } from './outbox-events.ts';
import { createOutboxPort } from './outbox-port.ts';
import type { Language } from '../common/language.ts';
import { lenderCandidates, requestability } from '../ill/requestability.ts';
import type { BotActor, BotErrorCode, BotReply, BotRequest, BotResult, OutboxMessage, OutboxPort, Platform } from './bot-types.ts';
import { createPartnerLink, type PartnerLink } from '../iso18626/partner-link.ts';
import { commandSpec, fullUsage } from './command-table.ts';
import { createIllCards, rid, rotaLine, statsText } from './ill-cards.ts';
import { illPhrases } from './ill-messages.ts';
import { declineInWords, doneWords, illWording } from './ill-wording.ts';
import { phrases } from './messages.ts';
import type { ChatIllAction, CommandProblem, ParsedCommand } from './command-schemas.ts';

/** A validated `/ill …` command. */
export type IllCommand = Extract<ParsedCommand, { key: `ill ${string}` }>;

/** What placing a request needs: the work (id, ISBN or words) and the optional need-by date (checked) and note. */
export interface PlaceArgs {
  item: string;
  needBy?: string;
  note?: string;
  /** a rush request (also asked by "rush" / "segera" among the item's words) */
  rush?: boolean;
}
import { capEcho } from './faq-command-args.ts';

/**
 * Interlibrary loan in the conversation: "/ill …" commands and card buttons turned into the ILL
 * use cases (src/ill), and their outcomes into cards and sentences in the asker's language.
 */
export interface IllService {
  /** a validated `/ill …` command */
  handleCommand(req: BotRequest, cmd: IllCommand, lang: Language): BotResult;
  /** the reply to an `/ill …` command that failed its schema: usage, or the bad id or date named */
  commandProblem(problem: CommandProblem, lang: Language): BotResult;
  handleAction(req: BotRequest): BotResult;
  /** "/ill request …" with placing options: a confirmation claimed inside the placing's transaction */
  placeRequest(req: BotRequest, args: PlaceArgs, lang: Language, opts: PlaceOptions): BotResult;
  /** what a confirmation pressed again (or taken by another press) says */
  alreadyConfirmedText(lang: Language): string;
  runTimers(): OutboxMessage[];
  outbox: OutboxPort;
  /** drive one action directly (tests, timers): the same path as commands and buttons */
  act(actor: BotActor | 'system', requestId: number, action: IllAction, details: string | undefined, version: number | undefined, lang: Language): ActOutcome;
  /** ISO 18626 partners (present when the config has any): /iso18626 and the partner outbox */
  partners?: PartnerLink;
}

export type { IllErrorCode };

export type ActOutcome =
  | { ok: true; request: IllRequest; notifications: OutboxMessage[] }
  | { ok: false; error: IllErrorCode; message: string; request?: IllRequest };

export interface IllServiceOptions {
  now?: () => Date;
  /** fetch for the partner outbox (tests) */
  fetch?: typeof fetch;
}

const ACTION_SET = new Set<string>(ILL_ACTION_NAMES);
/** the same "Request via ILL" press again within this time is a double click: it places nothing more */
const REPEAT_WINDOW_MS = 60_000;
/** how much of what was typed a refusal echoes back */
const ECHO_MAX = 150;

export function createIllService(jala: Jala, opts: IllServiceOptions = {}): IllService {
  const now = opts.now ?? (() => new Date());
  const store = jala.stores.ill;
  const outboxStore = jala.stores.outbox;
  const config = jala.config;
  const libraryConfig = (code: string) => config.libraries.find((l) => l.code === code);
  const partners = config.iso18626.partners.length > 0 ? createPartnerLink(jala, store, { now, ...(opts.fetch ? { fetch: opts.fetch } : {}) }) : undefined;
  const partnerName = (code: string): string | undefined => config.iso18626.partners.find((p) => p.code === code)?.name;
  const libraryName = (code: string): string => jala.libraries.find((l) => l.code === code)?.name ?? partnerName(code) ?? code;
  const cards = createIllCards(libraryName);
  const { summary, card } = cards;

  /** Which language a library's channel reads (config; Indonesian by default). */
  const libraryLanguage = (library: string): Language => libraryConfig(library)?.language ?? 'id';

  /**
   * The language a message is read in, decided when it is delivered: a library channel's configured
   * language; a person's own — the language they last wrote to Jala in (kept beside the conversation
   * contexts), else their library's channel language, else the language the event was made in.
   * A notice queued before a patron switched language is delivered in the new one.
   */
  const conversations = jala.stores.conversations;
  const languageOf: OutboxRendering['languageOf'] = (row, event) => {
    if (row.targetType === 'library') return libraryLanguage(row.target);
    const own = conversations.personLanguage(row.targetPlatform ?? '', row.target, now().toISOString());
    if (own) return own;
    if (event?.kind === 'reindex-progress') return event.language;
    return event?.kind === 'ill-notice' ? libraryLanguage(event.request.requester) : 'id';
  };
  const rendering: OutboxRendering = { languageOf, cards };

  const enqueue = (n: IllNotice, r: IllRequest): OutboxMessage => {
    const target: OutboxMessage['target'] = n.target.type === 'library' ? n.target : { type: 'user', platform: n.target.platform as Platform, userId: n.target.userId };
    const createdAt = now().toISOString();
    const row = {
      targetType: target.type,
      target: target.type === 'library' ? target.library : target.userId,
      targetPlatform: target.type === 'user' ? target.platform : null,
      requestId: r.id,
      payload: JSON.stringify(noticeEvent(n, r)),
      createdAt,
    };
    const id = outboxStore.enqueue(row);
    const reply = renderOutboxRow({ ...row, id, format: 'event', attempts: 0, donePlaces: [], interrupted: false }, rendering) as BotReply;
    return { id, target, reply, requestId: rid(r.id), createdAt, attempts: 0, donePlaces: [] };
  };

  const ill = createIll<OutboxMessage>({ store, catalog: jala.store, config, now, notifier: { notify: enqueue }, partners: partners?.hooks, people: { forget: (platform, userId) => conversations.forgetPerson(platform, userId) } });
  partners?.attach(ill);
  const { sideOf } = ill;

  const act: IllService['act'] = (actor, requestId, action, details, version, lang) => {
    const o = ill.act(actor, requestId, { action, details, version });
    return o.ok ? o : { ok: false, error: o.error.code, message: cards.errorText(o.error, lang), ...(o.request ? { request: o.request } : {}) };
  };

  // ——— placing a request ———

  const place = (req: BotRequest, args: PlaceArgs, lang: Language, opts: PlaceOptions = {}): BotResult => {
    const p = illPhrases(lang);
    const actor = req.actor;
    if (!actor.library) return reply(lang, p.errors.noLibrary, true, 'ill/no-library');
    const needBy = args.needBy ?? null;
    const note = args.note?.trim().slice(0, 1000) || null;
    // "rush" / "segera" among the item's words asks for a rush request
    const rush = args.rush === true || /\brush\b|\bsegera\b/i.test(args.item);
    const text = rush ? args.item.replace(/\brush\b|\bsegera\b/gi, ' ') : args.item;
    const item = text.trim();
    if (item === '') return usage('request', lang);
    const resolved = resolveWork(item);
    if (!resolved) return reply(lang, p.errors.noWork(capEcho(item, ECHO_MAX)), true, 'ill/no-work');
    const work = jala.store.work(resolved.workId);
    if (!work) return reply(lang, p.errors.noWork(capEcho(item, ECHO_MAX)), true, 'ill/no-work');

    // what no lending member can lend is refused before anything is placed, with why; a copy on the requester's own shelf is named
    const items = jala.store.itemsOfWork(work.id);
    const holders = jala.store.recordIdsOfWork(work.id).map((x) => x.library);
    const can = requestability(actor.library, lenderCandidates(items, holders, libraryConfig, store.lendingLoad(), now().toISOString().slice(0, 10)), items);
    const b = phrases(lang);
    const own = can.ownShelf.length > 0 ? [b.ownShelf(actor.library, can.ownShelf)] : [];
    if (!can.lendable) {
      const what = b.requestWhat(work.title, work.authors.map((a) => a.direct).slice(0, 2), work.year, work.edition);
      const text = [b.notRequestable(what), ...can.cannotLend.map((c) => b.cannotLend(c.library, c.reason)), ...own].join('\n');
      return { replies: [{ ...reply(lang, text, true, 'ill/not-requestable').replies[0] as BotReply, workId: `w${work.id}` }], notifications: [] };
    }
    const placed = placeIllRequest(ill, { ...actor, library: actor.library }, { id: work.id, title: work.title }, { needBy, note, rush }, opts);
    if (!placed) return reply(lang, p.errors.alreadyConfirmed, true, 'ill/confirmation-gone');
    const r = placed.request;
    // the same placing twice (a double click): the request the first one placed, nothing new
    if (placed.repeated) return { replies: [card(r, 'requester', actor.role === 'patron', lang, [p.alreadyPlaced(rid(r.id), r.title)])], notifications: [] };
    const extra = [...(resolved.guessed ? [p.tookBestMatch(work.title)] : []), ...(actor.role === 'patron' ? own : [])];
    if (actor.role === 'patron') {
      const message = placed.duplicate ? p.duplicateReview(rid(r.id)) : p.placedForReview(rid(r.id), r.title);
      return { replies: [card(r, 'requester', true, lang, [...extra, message])], notifications: placed.notifications };
    }
    const lines = [...extra, p.placed(rid(r.id), r.title), ...(r.state === 'LOCAL_REVIEW' ? [p.localReview(rid(r.id))] : [])];
    return { replies: [card(r, 'requester', false, lang, lines)], notifications: placed.notifications };
  };

  const resolveWork = (item: string): { workId: number; guessed: boolean } | undefined => {
    const label = parseWorkLabel(item);
    if (label !== undefined && /^w\d+$/i.test(item.trim()) && jala.store.work(label)) return { workId: label, guessed: false };
    const isbn = normalizeIsbn(item);
    if (isbn && /^[\d\s-]{9,17}[\dXx]?$/.test(item.replace(/^isbn:?\s*/i, ''))) {
      const w = jala.store.worksByKey('isbn', isbn.isbn13)[0];
      if (w !== undefined) return { workId: w, guessed: false };
    }
    const byRecord = jala.store.workOfRecord(item.trim());
    if (byRecord !== undefined) return { workId: byRecord, guessed: false };
    const answer = jala.ask(item, { pageSize: 1 });
    const top = answer.results[0];
    if (!top) return undefined;
    const id = parseWorkLabel(top.workId);
    return id === undefined ? undefined : { workId: id, guessed: true };
  };

  // ——— commands ———

  const usage = (sub: string | undefined, lang: Language): BotResult => {
    const spec = commandSpec('ill');
    const lines = spec ? fullUsage(spec, lang).filter((l) => sub === undefined || l.startsWith(`/ill ${sub} `) || l.startsWith(`/ill ${sub} —`)) : [];
    return reply(lang, [phrases(lang).usageHeader, ...(lines.length > 0 ? lines : spec ? fullUsage(spec, lang) : [])].join('\n'), true, 'ill/usage');
  };

  const parseRequestId = (text: string | undefined): number | undefined => {
    const m = /^(?:#|r)?(\d{1,9})$/i.exec((text ?? '').trim());
    return m ? Number(m[1]) : undefined;
  };

  const outcomeReply = (o: ReturnType<typeof ill.act>, actor: BotActor, lang: Language): BotResult => {
    if (!o.ok) {
      const replies: BotReply[] = [{ language: lang, blocks: [{ type: 'text', text: cards.errorText(o.error, lang) }], actions: [], private: true, error: o.error.code }];
      // a stale click gets the card as it is now, so the clicker sees what happened
      if (o.request && (o.error.code === 'ill/stale' || o.error.code === 'ill/not-allowed-now')) {
        const s = sideOf(actor, o.request);
        if (s) replies.push(card(o.request, s.side, s.patron, lang));
      }
      if (o.request) replies[0] = { ...(replies[0] as BotReply), request: summary(o.request, lang) };
      return { replies, notifications: [] };
    }
    const s = sideOf(actor, o.request) ?? { side: 'requester' as Side, patron: false };
    return { replies: [card(o.request, s.side, s.patron, lang)], notifications: o.notifications };
  };

  const handleCommand: IllService['handleCommand'] = (req, cmd, lang) => {
    const p = illPhrases(lang);
    const actor = req.actor;
    switch (cmd.key) {
      case 'ill request':
        return place(req, { item: cmd.values.item, ...(cmd.values['need-by'] !== undefined ? { needBy: cmd.values['need-by'] } : {}), ...(cmd.values.note !== undefined ? { note: cmd.values.note } : {}) }, lang);
      case 'ill status': {
        const id = cmd.values.id;
        const r = store.request(id);
        if (!r) return reply(lang, p.errors.notFound(rid(id)), true, 'ill/not-found');
        // what each viewer is shown is one table (src/ill/status-view.ts): the patron's identity and note only to their own library
        const viewer = statusViewer(actor, r, store.rota(r.id));
        const view = STATUS_VIEWS[viewer];
        if (!view.visible) return reply(lang, p.errors.notYours, true, 'ill/forbidden');
        const w = illWording(lang);
        const history = visibleHistory(view, viewer, actor.library, store.events(r.id)).map((e) => {
          const who = e.actorLibrary ?? (e.actorRole === 'patron' ? p.patronWord : p.system);
          const d = e.action === 'decline' ? declineInWords(lang, e.note) : { words: e.note ?? undefined };
          const why = [d.reason, d.words ? `“${d.words}”` : undefined].filter(Boolean).join(': ');
          const to = view.progress || e.supplier === actor.library ? (w.state[e.toState] ?? e.toState) : '';
          return `${e.at.slice(0, 16).replace('T', ' ')} ${w.event(who, doneWords(lang, e.action, e.fromState ?? '', rid(r.id)), to)}${why ? ` (${why})` : ''}`;
        });
        const seen: IllRequest = {
          ...r,
          note: view.requestNote ? r.note : null,
          patronName: view.patronIdentity ? r.patronName : null,
          patronUserId: view.patronIdentity ? r.patronUserId : null,
          supplier: view.currentLender ? r.supplier : null,
          supplierState: view.lenderSide ? r.supplierState : null,
          condition: view.lenderSide || view.buttons?.side === 'requester' ? r.condition : null,
          ...(view.progress ? {} : { dueDate: null, needBy: null }),
        };
        if (!view.progress) {
          // a lender whose turn has ended: the request as it reached it and how its own turn ended, nothing since
          const mine = store.rota(r.id).filter((e) => e.library === actor.library).map((e) => rotaLine(e, lang));
          return reply(lang, [p.endedTurn(rid(r.id), r.title, `${r.requester} (${libraryName(r.requester)})`), ...mine, p.historyHeader, ...history].join('\n'), true);
        }
        const shown = card(seen, view.buttons?.side ?? 'requester', view.buttons?.patron ?? false, lang, [p.historyHeader, ...history], view.patronIdentity);
        return { replies: [{ ...shown, actions: view.buttons ? shown.actions : [] }], notifications: [] };
      }
      case 'ill mine': {
        const rows = actor.role === 'patron' || !actor.library ? store.requestsOfPatron(actor.platform, actor.userId) : store.openRequestsOfLibrary(actor.library, [], 30).filter((r) => r.requester === actor.library);
        return listReply(lang, p.mineHeader, rows);
      }
      case 'ill queue': {
        if (actor.role === 'patron' || !actor.library) return reply(lang, p.errors.forbidden, true, 'ill/forbidden');
        return listReply(lang, p.queueHeader(actor.library), store.openRequestsOfLibrary(actor.library, TERMINAL));
      }
      case 'ill why': {
        const id = cmd.values.id;
        const r = store.request(id);
        if (!r) return reply(lang, p.errors.notFound(rid(id)), true, 'ill/not-found');
        const viewer = statusViewer(actor, r, store.rota(r.id));
        const view = STATUS_VIEWS[viewer];
        if (!view.visible || view.rota === 'none') return reply(lang, p.errors.notYours, true, 'ill/forbidden');
        // a lender's decision in its librarian's words: the note of its decline (or rejection) in the event log
        const events = store.events(r.id);
        const decision = (library: string): string | null | undefined =>
          events.filter((ev) => ev.supplier === library && (ev.action === 'decline' || ev.action === 'reject' || ev.action === 'timeout')).at(-1)?.note;
        const lines = store.rota(r.id).filter((e) => view.rota === 'all' || e.library === actor.library).map((e) => rotaLine(e, lang, decision(e.library)));
        return reply(lang, [p.whyHeader(rid(r.id)), ...(lines.length > 0 ? lines : [p.nothingOpen])].join('\n'), true);
      }
      case 'ill stats':
        // partners count like members; their turnaround is reported apart
        return reply(lang, [statsText(illStats(store, [...jala.libraries.map((l) => l.code), ...config.iso18626.partners.map((x) => x.code)]), lang), ...(partners ? partners.statsLines(lang) : [])].join('\n'), false);
      default: {
        const action = cmd.key.slice('ill '.length) as ChatIllAction;
        return outcomeReply(ill.act(actor, cmd.values.id, { action, details: cmd.values.details ?? '' }), actor, lang);
      }
    }
  };

  const commandProblem: IllService['commandProblem'] = (problem, lang) => {
    const p = illPhrases(lang);
    if (problem.code === 'ill/bad-id') return reply(lang, p.errors.badId(problem.value), true, 'ill/bad-id');
    if (problem.code === 'ill/bad-date') return reply(lang, p.errors.badDate(problem.value), true, 'ill/bad-date');
    return usage(problem.code === 'bot/usage' ? problem.subcommand : undefined, lang);
  };

  const handleAction: IllService['handleAction'] = (req) => {
    const lang = req.language ?? 'id';
    const a = req.action;
    if (!a) return usage(undefined, lang);
    const name = a.id.replace(/^ill:/, '');
    if (name === 'request') {
      // the modal's one field may carry a need-by date as well as a note
      const input = (a.input ?? '').trim();
      const date = /\b(?:need-by:\s*)?(\d{4}-\d{2}-\d{2})\b/.exec(input);
      const needBy = date ? parseDate(date[1] ?? '') : undefined;
      if (date && !needBy) return reply(lang, illPhrases(lang).errors.badDate(date[1] ?? ''), true, 'ill/bad-date');
      const note = (date ? input.replace(date[0], ' ') : input).trim();
      return place(req, { item: a.target, ...(needBy ? { needBy } : {}), ...(note ? { note } : {}) }, lang, { repeatWithinMs: REPEAT_WINDOW_MS });
    }
    const id = parseRequestId(a.target);
    if (id === undefined || !ACTION_SET.has(name)) return reply(lang, phrases(lang).unknownAction, true, 'bot/unknown-action');
    return outcomeReply(ill.act(req.actor, id, { action: name as IllAction, details: a.input, version: a.version }), req.actor, lang);
  };

  const listReply = (lang: Language, title: string, rows: IllRequest[]): BotResult => ({
    replies: [{ language: lang, blocks: rows.length > 0 ? [{ type: 'request-list', title, requests: rows.map((r) => summary(r, lang)) }] : [{ type: 'text', text: `${title}: ${illPhrases(lang).nothingOpen}` }], actions: [], private: true }],
    notifications: [],
  });

  // ——— timers ———

  const runTimers = (): OutboxMessage[] => runIllTimers(ill);

  // ——— outbox for adapters ———

  const reachable = (platform: Platform): string[] =>
    config.libraries.filter((l) => (platform === 'slack' ? l.channels.slack : platform === 'discord' ? l.channels.discord : []).length > 0).map((l) => l.code);

  const outbox = createOutboxPort({ outbox: outboxStore, cards: jala.stores.cards, reachable, rendering, now });

  return { handleCommand, commandProblem, handleAction, placeRequest: place, alreadyConfirmedText: (lang) => illPhrases(lang).errors.alreadyConfirmed, runTimers, outbox, act, ...(partners ? { partners } : {}) };
}

function reply(language: Language, text: string, isPrivate: boolean, error?: BotErrorCode): BotResult {
  return { replies: [{ language, blocks: [{ type: 'text', text }], actions: [], private: isPrivate, ...(error ? { error } : {}) }], notifications: [] };
}

export type { IllError };
