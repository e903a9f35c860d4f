import type { Language } from '../answer/answer-types.ts';
import type { Jala } from '../app/create-jala.ts';
import { normalizeIsbn } from '../catalog/isbn.ts';
import { parseWorkLabel, workLabel } from '../catalog/work-document.ts';
import type { ActionButton, BotActor, BotReply, BotRequest, BotResult, OutboxMessage, OutboxPort, Platform, RequestSummary } from '../bot/bot-types.ts';
import { commandSpec, fullUsage } from '../bot/command-table.ts';
import { phrases } from '../bot/messages.ts';
import { SqliteIllStore, type IllRequestRow, type RotaEntry } from '../store/sqlite-ill-store.ts';
import { createPartnerLink, type PartnerLink } from '../iso18626/partner-link.ts';
import { illPhrases } from './ill-messages.ts';
import { addBusinessDays, planRota, type LenderCandidate } from './lender-selection.ts';
import {
  DECLINE_REASONS, ILL_ACTION_NAMES, TERMINAL_STATES, TRANSITIONS, rowsFor,
  type IllAction, type RequesterState, type Side, type SupplierState, type TransitionRow,
} from './ill-states.ts';

/** What the bot layer needs from interlibrary loan. */
export interface IllService {
  handleCommand(req: BotRequest, rest: string, lang: Language): BotResult;
  handleAction(req: BotRequest): BotResult;
  runTimers(): OutboxMessage[];
  outbox: OutboxPort;
  /** drive one action directly (tests, timers): the same path as commands and buttons */
  act(actor: BotActor | 'system', requestId: number, action: IllAction, details: string | undefined, version: number | undefined, lang: Language): ActOutcome;
  /** the cards of a request to its libraries' channels (a partner's request arriving in a member's queue) */
  announce(requestId: number, headline: Record<Language, string>): OutboxMessage[];
  /** ISO 18626 partners (present when the config has any): /iso18626 and the partner outbox */
  partners?: PartnerLink;
}

/** A row of the state table as `act` took it, for what partners outside chat must hear. */
export interface TakenStep {
  action: IllAction;
  side: Side;
  actor: BotActor | 'system';
  from: RequesterState;
  to: RequesterState;
  supplierFrom: SupplierState | null;
  /** the lender's state afterwards: for a lender whose turn ended, where its turn ended */
  supplierTo: SupplierState | null;
  priorSupplierState: SupplierState | null;
  details?: string;
  dueDate: string | null;
  before: IllRequestRow;
  after: IllRequestRow;
}

/**
 * Where interlibrary loan reaches beyond chat: lenders and borrowers outside the consortium (ISO
 * 18626 partners, src/iso18626/partner-link.ts). The service calls these; the logic lives there.
 */
export interface IllPartnerHooks {
  /** a partner's code, not a member's: it has no chat channel */
  isPartner(code: string): boolean;
  nameOf(code: string): string | undefined;
  /** a new rota with the partners that lend put in their places */
  withPartners(requester: string, entries: ReadonlyArray<Omit<RotaEntry, 'position'>>): Array<Omit<RotaEntry, 'position'>>;
  /** inside the step's transaction: queue what partners must hear about it */
  afterStep(step: TakenStep): void;
  /** the report's lines about partners */
  statsLines(lang: Language): string[];
  /** the loan period when a member lends to a partner (the partner's, from the config) */
  loanPeriodDays(r: IllRequestRow): number | undefined;
}

export type IllError =
  | 'ill/not-found' | 'ill/forbidden' | 'ill/not-allowed-now' | 'ill/stale' | 'ill/needs-details' | 'ill/bad-date'
  | 'ill/no-library' | 'ill/no-work' | 'ill/bad-id' | 'ill/usage';

export type ActOutcome = { ok: true; request: IllRequestRow; notifications: OutboxMessage[] } | { ok: false; error: IllError; message: string; request?: IllRequestRow };

export interface IllServiceOptions {
  now?: () => Date;
  /** fetch for the partner outbox (tests) */
  fetch?: typeof fetch;
}

const ACTION_SET = new Set<string>(ILL_ACTION_NAMES);
const TERMINAL = [...TERMINAL_STATES];

export function createIllService(jala: Jala, opts: IllServiceOptions = {}): IllService {
  const now = opts.now ?? (() => new Date());
  const store = new SqliteIllStore(jala.store.db);
  const config = jala.config;
  const policy = config.ill;
  const libraryConfig = (code: string) => config.libraries.find((l) => l.code === code);
  const partners = config.iso18626.partners.length > 0 ? createPartnerLink(jala, store, { now, ...(opts.fetch ? { fetch: opts.fetch } : {}) }) : undefined;
  const hooks: IllPartnerHooks | undefined = partners?.hooks;
  const isPartner = (code: string | null): boolean => code !== null && hooks !== undefined && hooks.isPartner(code);
  const libraryName = (code: string): string => jala.libraries.find((l) => l.code === code)?.name ?? hooks?.nameOf(code) ?? code;
  const rid = (id: number): string => `R${id}`;
  const today = (): string => now().toISOString().slice(0, 10);

  // ——— summaries, cards and notifications ———

  const summary = (r: IllRequestRow, lang: Language): RequestSummary => ({
    id: rid(r.id),
    state: r.state,
    stateLabel: illPhrases(lang).state[r.state] ?? r.state,
    ...(r.supplierState ? { supplierState: r.supplierState } : {}),
    requester: r.requester,
    ...(r.supplier ? { supplier: r.supplier } : {}),
    version: r.version,
    title: r.title,
    ...(r.workId !== null ? { workId: workLabel(r.workId) } : {}),
    ...(r.dueDate ? { dueDate: r.dueDate } : {}),
    ...(r.needBy ? { needBy: r.needBy } : {}),
  });

  /** The buttons a viewer on a side may press now: straight from the state table. */
  const buttonsFor = (r: IllRequestRow, side: Side, patron: boolean, lang: Language): ActionButton[] => {
    const p = illPhrases(lang);
    const seen = new Set<string>();
    const out: ActionButton[] = [];
    for (const row of rowsFor(r.state, side)) {
      if (row.action === 'note' || row.action === 'timeout' || row.action === 'overdue') continue;
      if (patron && !row.patron) continue;
      if (seen.has(row.action)) continue;
      seen.add(row.action);
      out.push({
        id: `ill:${row.action}`,
        label: p.action[row.action] ?? row.action,
        ...(row.action === 'reject' || row.action === 'decline' || row.action === 'cancel' || row.action === 'lost' ? { style: 'danger' as const } : {}),
        ...(row.action === 'accept' || row.action === 'ship' || row.action === 'receive' || row.action === 'checkin' || (row.action === 'approve' && side === 'requester') ? { style: 'primary' as const } : {}),
        target: rid(r.id),
        version: r.version,
        ...(row.needs ? { input: inputFor(row, lang) } : {}),
      });
    }
    return out;
  };

  const card = (r: IllRequestRow, side: Side, patron: boolean, lang: Language, extra: string[] = [], showPatron = false, event?: string): BotReply => {
    const p = illPhrases(lang);
    const lines = [
      p.lineRequester(`${r.requester} (${libraryName(r.requester)})`, r.supplier ? `${r.supplier} (${libraryName(r.supplier)})` : undefined),
      p.lineState(p.state[r.state] ?? r.state, r.supplierState && side === 'supplier' ? r.supplierState : undefined),
      ...(r.needBy ? [p.lineNeedBy(r.needBy)] : []),
      ...(r.dueDate ? [p.lineDue(r.dueDate)] : []),
      ...(r.condition && r.state === 'CONDITION_PENDING' ? [p.lineCondition(r.condition)] : []),
      ...(r.note ? [p.lineNote(r.note)] : []),
      ...(showPatron && r.patronName ? [p.linePatron(r.patronName)] : []),
      ...extra,
    ];
    const s = summary(r, lang);
    return {
      language: lang,
      blocks: [{ type: 'request-card', request: s, lines, ...(event ? { event } : {}) }],
      actions: buttonsFor(r, side, patron, lang),
      private: patron,
      request: s,
    };
  };

  const enqueue = (target: OutboxMessage['target'], reply: BotReply, requestId: number): OutboxMessage => {
    const createdAt = now().toISOString();
    const id = store.enqueue({
      targetType: target.type,
      target: target.type === 'library' ? target.library : target.userId,
      targetPlatform: target.type === 'user' ? target.platform : null,
      requestId,
      payload: JSON.stringify(reply),
      createdAt,
    });
    return { id, target, reply, requestId: rid(requestId), createdAt, attempts: 0 };
  };

  /** Which language a library's channel reads (config; Indonesian by default). */
  const libraryLanguage = (library: string): Language => libraryConfig(library)?.language ?? 'id';

  /** After a transition: the card to both libraries' channels, and the patron privately when it matters to them. */
  const notify = (r: IllRequestRow, headline: Record<Language, string>, patronToo: boolean): OutboxMessage[] => {
    const out: OutboxMessage[] = [];
    const reqLang = libraryLanguage(r.requester);
    if (!isPartner(r.requester)) out.push(enqueue({ type: 'library', library: r.requester }, card(r, 'requester', false, reqLang, [headline[reqLang]], true, headline[reqLang]), r.id));
    if (r.supplier && !isPartner(r.supplier)) {
      const supLang = libraryLanguage(r.supplier);
      out.push(enqueue({ type: 'library', library: r.supplier }, card(r, 'supplier', false, supLang, [headline[supLang]], false, headline[supLang]), r.id));
    }
    if (patronToo && r.patronPlatform && r.patronUserId) {
      const lang: Language = 'id';
      out.push(enqueue({ type: 'user', platform: r.patronPlatform as Platform, userId: r.patronUserId }, card(r, 'requester', true, lang, [headline[lang]], false, headline[lang]), r.id));
    }
    return out;
  };

  const bothLanguages = (f: (l: Language) => string): Record<Language, string> => ({ en: f('en'), id: f('id') });

  // ——— sides and permissions ———

  /** The side an actor takes on a request, or undefined when they have no business with it. */
  const sideOf = (actor: BotActor, r: IllRequestRow): { side: Side; patron: boolean } | undefined => {
    const staff = actor.role === 'librarian' || actor.role === 'admin';
    if (staff && actor.library === r.requester) return { side: 'requester', patron: false };
    if (staff && r.supplier && actor.library === r.supplier) return { side: 'supplier', patron: false };
    if (r.patronPlatform === actor.platform && r.patronUserId === actor.userId) return { side: 'requester', patron: true };
    if (actor.role === 'admin') return { side: 'admin', patron: false };
    return undefined;
  };

  const canView = (actor: BotActor, r: IllRequestRow): boolean =>
    sideOf(actor, r) !== undefined || ((actor.role === 'librarian' || actor.role === 'admin') && store.rota(r.id).some((e) => e.library === actor.library));

  // ——— routing ———

  const candidatesFor = (workId: number): LenderCandidate[] => {
    const items = jala.store.itemsOfWork(workId);
    const holders = new Set(jala.store.recordIdsOfWork(workId).map((x) => x.library));
    const load = store.lendingLoad();
    const day = today();
    return [...holders].map((library) => {
      const lc = libraryConfig(library);
      const l = load.get(library) ?? { lent: 0, borrowed: 0, openQueue: 0 };
      return {
        library,
        lends: lc?.lends ?? true,
        lastResort: lc?.lastResort ?? false,
        closedToday: lc?.closedDates.includes(day) ?? false,
        items: items.filter((i) => i.library === library).map((i) => i.status),
        ...l,
      };
    });
  };

  const deadlineFor = (r: Pick<IllRequestRow, 'serviceLevel'>): string =>
    (r.serviceLevel === 'rush' ? new Date(now().getTime() + policy.rushHours * 3600_000) : addBusinessDays(now(), policy.responseDays)).toISOString();

  /** Send to the next pending lender in the rota, or end UNFILLED. Returns the changes to apply. */
  const nextLenderChanges = (r: IllRequestRow): Partial<IllRequestRow> => {
    const next = store.rota(r.id).find((e) => e.status === 'pending');
    if (!next) return { state: 'UNFILLED', supplier: r.supplier, closedAt: now().toISOString(), outcome: 'unfilled', responseDeadline: null };
    store.setRotaStatus(r.id, next.position, 'selected');
    return { state: 'SENT', supplier: next.library, supplierState: 'NEW', responseDeadline: deadlineFor(r), reminderSent: 0, condition: null, priorState: null, priorSupplierState: null };
  };

  /** Build the rota (once) and go to the first lender, or to LOCAL_REVIEW / UNFILLED. */
  const routeChanges = (r: IllRequestRow, skipLocal: boolean): Partial<IllRequestRow> => {
    if (store.rota(r.id).length === 0 && r.workId !== null) {
      const plan = planRota(r.requester, candidatesFor(r.workId));
      const chosen = plan.chosen.map((c) => ({ library: c.library, status: 'pending' as const, reason: `${c.reason};${c.lent};${c.borrowed};${c.openQueue}` }));
      store.insertRota(r.id, [
        ...(hooks ? hooks.withPartners(r.requester, chosen) : chosen),
        ...plan.skipped.map((s) => ({ library: s.library, status: 'skipped' as const, reason: s.reason })),
      ]);
      if (plan.localAvailable && !skipLocal) return { state: 'LOCAL_REVIEW' };
    }
    return nextLenderChanges(r);
  };

  // ——— the one transition path ———

  const fail = (error: IllError, message: string, request?: IllRequestRow): ActOutcome => ({ ok: false, error, message, ...(request ? { request } : {}) });

  const act: IllService['act'] = (actor, requestId, action, details, version, lang) => {
    const p = illPhrases(lang);
    return store.transaction((): ActOutcome => {
      const r = store.request(requestId);
      if (!r) return fail('ill/not-found', p.errors.notFound(rid(requestId)));
      let side: Side;
      let patron = false;
      if (actor === 'system') side = 'system';
      else {
        const s = action === 'close' && actor.role === 'admin' ? { side: 'admin' as Side, patron: false } : sideOf(actor, r);
        if (!s) return fail('ill/forbidden', p.errors.forbidden, r);
        side = s.side;
        patron = s.patron;
      }
      const row = TRANSITIONS.find((t) => t.action === action && t.side === side && t.from.includes(r.state) && (!patron || t.patron));
      if (!row) {
        const elsewhere = TRANSITIONS.some((t) => t.action === action && t.side === side && (!patron || t.patron));
        if (!elsewhere) return fail('ill/forbidden', p.errors.forbidden, r);
        if (version !== undefined && version !== r.version) return fail('ill/stale', p.errors.stale(rid(r.id)), r);
        return fail('ill/not-allowed-now', p.errors.notAllowedNow(p.action[action] ?? action, p.state[r.state] ?? r.state), r);
      }
      if (version !== undefined && version !== r.version) return fail('ill/stale', p.errors.stale(rid(r.id)), r);
      const text = details?.trim() ?? '';
      if (row.needs && !row.optional && text === '') return fail('ill/needs-details', p.errors.needsDetails(p.action[action] ?? action, needsWord(row, lang)), r);

      const changes: Partial<IllRequestRow> = { updatedAt: now().toISOString() };
      let note: string | null = text === '' ? null : text.slice(0, 1000);
      // action-specific details
      if (row.needs === 'date' && text !== '') {
        const date = parseDate(text);
        if (!date) return fail('ill/bad-date', p.errors.badDate(text.split(/\s+/)[0] ?? text), r);
        note = text.replace(/^\S+\s*/, '') || null;
        if (action === 'ship' || action === 'approve' || action === 'recall') changes.dueDate = date;
      }
      if (action === 'ship' && !changes.dueDate) {
        const days = hooks?.loanPeriodDays(r) ?? (r.supplier ? libraryConfig(r.supplier)?.loanPeriodDays : undefined) ?? 28;
        changes.dueDate = new Date(now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
      }
      if (action === 'condition') changes.condition = note;
      if (action === 'approve' && row.from.includes('RENEW_PENDING')) changes.renewals = r.renewals + 1;
      if (action === 'renew' && r.renewals >= policy.maxRenewals) {
        return fail('ill/not-allowed-now', p.errors.notAllowedNow(p.action.renew ?? 'renew', `${p.state[r.state] ?? r.state} (max ${policy.maxRenewals})`), r);
      }
      let declineCode: string | undefined;
      if (action === 'decline') {
        const word = text.split(/\s+/)[0] ?? '';
        declineCode = DECLINE_REASONS.find((d) => d.words.test(word))?.code ?? 'NotAvailableForILL';
      }

      // destination
      let to: RequesterState;
      let supplierTo: SupplierState | null | undefined = row.supplierTo === 'PRIOR' ? r.priorSupplierState : row.supplierTo;
      const rotaPos = r.supplier ? store.rota(r.id).find((e) => e.status === 'selected' && e.library === r.supplier)?.position : undefined;
      switch (row.to) {
        case 'SAME':
          to = r.state;
          supplierTo = undefined;
          break;
        case 'PRIOR':
          to = r.priorState ?? r.state;
          break;
        case 'ROUTE': {
          Object.assign(changes, routeChanges(r, r.state === 'LOCAL_REVIEW'));
          to = changes.state as RequesterState;
          break;
        }
        case 'NEXT_LENDER': {
          if (rotaPos !== undefined) {
            store.setRotaStatus(r.id, rotaPos, action === 'timeout' ? 'timeout' : action === 'reject' ? 'cancelled' : 'declined', declineCode ?? action);
          }
          if (declineCode === 'Duplicate') Object.assign(changes, { state: 'UNFILLED', closedAt: now().toISOString(), outcome: 'unfilled' });
          else Object.assign(changes, nextLenderChanges(r));
          to = changes.state as RequesterState;
          break;
        }
        default:
          to = row.to;
      }
      if (row.savePrior) {
        changes.priorState = r.state;
        changes.priorSupplierState = r.supplierState;
      } else if (row.to === 'PRIOR') {
        changes.priorState = null;
        changes.priorSupplierState = null;
      }
      // the lender's side of the move; a new lender starts at NEW
      const newLender = changes.supplier !== undefined && changes.supplier !== r.supplier;
      if (!newLender && supplierTo !== undefined) changes.supplierState = supplierTo;
      changes.state = to;
      if (TERMINAL_STATES.has(to) && !r.closedAt) {
        changes.closedAt = changes.closedAt ?? now().toISOString();
        changes.outcome = action === 'close' ? (note ?? 'closed') : to.toLowerCase();
      }
      if (action === 'ship' && rotaPos !== undefined) store.setRotaStatus(r.id, rotaPos, 'supplied');
      if (!['SENT'].includes(to)) changes.responseDeadline = changes.responseDeadline ?? null;
      if (action === 'approve' && row.from.includes('RENEW_PENDING')) changes.dueReminderSent = 0;
      if (!store.updateRequest(r.id, r.version, changes)) return fail('ill/stale', p.errors.stale(rid(r.id)), r);

      const actorRole = actor === 'system' ? 'system' : patron ? 'patron' : actor.role;
      const actorLibrary = actor === 'system' ? null : actor.library ?? null;
      // a move to another lender is logged as this action (→ SOURCING) and then the routing (SOURCING → SENT)
      store.appendEvent(r.id, {
        at: now().toISOString(), actorRole, actorLibrary, action,
        fromState: r.state, toState: newLender && changes.supplier ? 'SOURCING' : to, supplier: r.supplier, supplierFrom: r.supplierState,
        supplierTo: newLender ? (r.supplier ? (supplierTo ?? 'UNFILLED') : null) : (changes.supplierState ?? r.supplierState),
        note: declineCode ? `${declineCode}${note ? `: ${note}` : ''}` : note,
      });
      if (newLender && changes.supplier) {
        store.appendEvent(r.id, {
          at: now().toISOString(), actorRole: 'system', actorLibrary: null, action: 'route', fromState: 'SOURCING', toState: to,
          supplier: changes.supplier, supplierFrom: null, supplierTo: 'NEW', note: null,
        });
      }
      const updated = store.request(r.id) as IllRequestRow;
      const who = actor === 'system' ? p.system : patron ? p.patronWord : `${actorLibrary ?? ''}`;
      const headline = bothLanguages((l) => {
        const q = illPhrases(l);
        const base = q.event(actor === 'system' ? q.system : patron ? q.patronWord : who, q.action[action] ?? action, rid(r.id), q.state[to] ?? to);
        return to === 'UNFILLED' ? `${base} ${q.unfilledOffer(updated.workId !== null ? workLabel(updated.workId) : undefined)}` : note && action !== 'condition' ? `${base} (${note})` : base;
      });
      const patronMatters = ['SENT', 'WILL_SUPPLY', 'SHIPPED', 'RECEIVED', 'OVERDUE', 'RECALLED', 'UNFILLED', 'CANCELLED', 'COMPLETED', 'FILLED_LOCALLY', 'CLOSED_MANUALLY', 'RENEW_PENDING'].includes(to) && to !== r.state;
      const notifications = notify(updated, headline, patronMatters && !patron);
      hooks?.afterStep({
        action, side, actor, from: r.state, to, supplierFrom: r.supplierState,
        supplierTo: newLender ? (supplierTo ?? 'UNFILLED') : updated.supplierState, priorSupplierState: updated.priorSupplierState ?? r.priorSupplierState,
        ...(text !== '' ? { details: text } : {}), dueDate: updated.dueDate, before: r, after: updated,
      });
      // a lender whose turn ended hears about it
      if (r.supplier && updated.supplier !== r.supplier && !isPartner(r.supplier)) {
        const l = libraryLanguage(r.supplier);
        notifications.push(enqueue({ type: 'library', library: r.supplier }, { ...card({ ...updated, supplier: r.supplier, supplierState: 'UNFILLED' }, 'supplier', false, l, [headline[l]]), actions: [] }, r.id));
      }
      return { ok: true, request: updated, notifications };
    });
  };

  // ——— placing a request ———

  const place = (req: BotRequest, rest: string, lang: Language): BotResult => {
    const p = illPhrases(lang);
    const actor = req.actor;
    if (!actor.library) return reply(lang, p.errors.noLibrary, true, 'ill/no-library');
    let text = rest;
    let needBy: string | null = null;
    let note: string | null = null;
    let rush = false;
    const noteMatch = /\bnote:\s*([\s\S]*)$/i.exec(text);
    if (noteMatch) {
      note = (noteMatch[1] ?? '').trim().slice(0, 1000) || null;
      text = text.slice(0, noteMatch.index);
    }
    const needMatch = /\bneed-by:\s*(\S+)/i.exec(text);
    if (needMatch) {
      needBy = parseDate(needMatch[1] ?? '') ?? null;
      if (!needBy) return reply(lang, p.errors.badDate(needMatch[1] ?? ''), true, 'ill/bad-date');
      text = text.replace(needMatch[0], ' ');
    }
    if (/\brush\b|\bsegera\b/i.test(text)) {
      rush = true;
      text = text.replace(/\brush\b|\bsegera\b/gi, ' ');
    }
    const item = text.trim();
    if (item === '') return usage('request', lang);
    const resolved = resolveWork(item);
    if (!resolved) return reply(lang, p.errors.noWork(item), true, 'ill/no-work');
    const work = jala.store.work(resolved.workId);
    if (!work) return reply(lang, p.errors.noWork(item), true, 'ill/no-work');

    const isPatron = actor.role === 'patron';
    const result = store.transaction(() => {
      const stamp = now().toISOString();
      const duplicate =
        isPatron &&
        store.recentRequestsOfPatronForWork(actor.platform, actor.userId, work.id, new Date(now().getTime() - policy.duplicateDays * 86_400_000).toISOString()).length > 0;
      const id = store.insertRequest({
        workId: work.id, title: work.title, requester: actor.library as string, supplier: null,
        state: duplicate ? 'DUPLICATE_REVIEW' : 'NEW', supplierState: null, priorState: null, priorSupplierState: null,
        placedBy: isPatron ? 'patron' : 'librarian',
        patronPlatform: isPatron ? actor.platform : null, patronUserId: isPatron ? actor.userId : null,
        patronName: isPatron ? (actor.displayName ?? null) : null,
        needBy, note, serviceLevel: rush ? 'rush' : 'normal', condition: null, dueDate: null, renewals: 0,
        responseDeadline: null, reminderSent: 0, dueReminderSent: 0, createdAt: stamp, updatedAt: stamp, closedAt: null, outcome: null, purgedAt: null,
      });
      store.appendEvent(id, {
        at: stamp, actorRole: actor.role, actorLibrary: actor.library ?? null, action: 'place', fromState: null,
        toState: duplicate ? 'DUPLICATE_REVIEW' : 'NEW', supplier: null, supplierFrom: null, supplierTo: null, note,
      });
      return { id, duplicate };
    });
    const extra = resolved.guessed ? [p.tookBestMatch(work.title)] : [];
    if (isPatron) {
      const r = store.request(result.id) as IllRequestRow;
      const headline = bothLanguages((l) => illPhrases(l).event(illPhrases(l).patronWord, illPhrases(l).action.place ?? 'place', rid(r.id), illPhrases(l).state[r.state] ?? r.state));
      const notifications = notify(r, headline, false);
      const message = result.duplicate ? p.duplicateReview(rid(r.id)) : p.placedForReview(rid(r.id), r.title);
      return { replies: [card(r, 'requester', true, lang, [...extra, message])], notifications };
    }
    // a librarian's request needs no review: route it now
    const routed = act(actor, result.id, 'approve', undefined, undefined, lang);
    // the request as this placing left it (read in the routing's transaction), not as another process has moved it since
    const r = routed.ok ? routed.request : (store.request(result.id) as IllRequestRow);
    const lines = [...extra, p.placed(rid(r.id), r.title), ...(r.state === 'LOCAL_REVIEW' ? [p.localReview(rid(r.id))] : [])];
    return { replies: [card(r, 'requester', false, lang, lines)], notifications: routed.ok ? routed.notifications : [] };
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

  const outcomeReply = (o: ActOutcome, actor: BotActor, lang: Language): BotResult => {
    if (!o.ok) {
      const replies: BotReply[] = [{ language: lang, blocks: [{ type: 'text', text: o.message }], actions: [], private: true, error: o.error }];
      // a stale click gets the card as it is now, so the clicker sees what happened
      if (o.request && (o.error === 'ill/stale' || o.error === 'ill/not-allowed-now')) {
        const s = sideOf(actor, o.request);
        if (s) replies.push(card(o.request, s.side, s.patron, lang));
      }
      if (o.request) replies[0] = { ...(replies[0] as BotReply), request: summary(o.request, lang) };
      return { replies, notifications: [] };
    }
    const s = sideOf(actor, o.request) ?? { side: 'requester' as Side, patron: false };
    return { replies: [card(o.request, s.side, s.patron, lang)], notifications: o.notifications };
  };

  const handleCommand: IllService['handleCommand'] = (req, rest, lang) => {
    const [subRaw = '', ...restWords] = rest.trim().split(/\s+/);
    const sub = subRaw.toLowerCase();
    const args = rest.trim().slice(subRaw.length).trim();
    const p = illPhrases(lang);
    const actor = req.actor;
    switch (sub) {
      case 'request':
        return place(req, args, lang);
      case 'status': {
        const id = parseRequestId(restWords[0]);
        if (id === undefined) return restWords[0] ? reply(lang, p.errors.badId(restWords[0]), true, 'ill/bad-id') : usage('status', lang);
        const r = store.request(id);
        if (!r) return reply(lang, p.errors.notFound(rid(id)), true, 'ill/not-found');
        if (!canView(actor, r)) return reply(lang, p.errors.notYours, true, 'ill/forbidden');
        const s = sideOf(actor, r) ?? { side: 'requester' as Side, patron: actor.role === 'patron' };
        const history = store.events(r.id).map((e) => `${e.at.slice(0, 16).replace('T', ' ')} ${e.actorLibrary ?? (e.actorRole === 'patron' ? p.patronWord : p.system)}: ${p.action[e.action] ?? e.action} → ${p.state[e.toState] ?? e.toState}${e.note ? ` (${e.note})` : ''}`);
        return { replies: [card(r, s.side, s.patron, lang, [p.historyHeader, ...history], !s.patron)], notifications: [] };
      }
      case 'mine': {
        const rows = actor.role === 'patron' || !actor.library ? store.requestsOfPatron(actor.platform, actor.userId) : store.openRequestsOfLibrary(actor.library, [], 30).filter((r) => r.requester === actor.library);
        return listReply(lang, p.mineHeader, rows);
      }
      case 'queue': {
        if (actor.role === 'patron' || !actor.library) return reply(lang, p.errors.forbidden, true, 'ill/forbidden');
        return listReply(lang, p.queueHeader(actor.library), store.openRequestsOfLibrary(actor.library, TERMINAL));
      }
      case 'why': {
        const id = parseRequestId(restWords[0]);
        if (id === undefined) return usage('why', lang);
        const r = store.request(id);
        if (!r) return reply(lang, p.errors.notFound(rid(id)), true, 'ill/not-found');
        if (!canView(actor, r)) return reply(lang, p.errors.notYours, true, 'ill/forbidden');
        const lines = store.rota(r.id).map((e) => {
          const [code = '', lent = '0', borrowed = '0', queue = '0'] = e.reason.split(';');
          const why = e.status === 'skipped'
            ? p.skipped[code as keyof typeof p.skipped] ?? code
            : `${p.chosen[code as keyof typeof p.chosen] ?? code}${e.status === 'pending' || e.status === 'selected' || e.status === 'supplied' ? ` · ${p.load(Number(lent), Number(borrowed), Number(queue))}` : ` · ${code}`}`;
          return `${e.position + 1}. ${e.library} — ${p.rotaStatus[e.status] ?? e.status}: ${why}`;
        });
        return reply(lang, [p.whyHeader(rid(r.id)), ...(lines.length > 0 ? lines : [p.nothingOpen])].join('\n'), true);
      }
      case 'stats':
        return reply(lang, statsText(lang), false);
      case '':
        return usage(undefined, lang);
      default: {
        if (!ACTION_SET.has(sub) || sub === 'timeout' || sub === 'overdue') return usage(undefined, lang);
        const id = parseRequestId(restWords[0]);
        if (id === undefined) return restWords[0] ? reply(lang, p.errors.badId(restWords[0]), true, 'ill/bad-id') : usage(sub, lang);
        const details = restWords.slice(1).join(' ');
        return outcomeReply(act(actor, id, sub as IllAction, details, undefined, lang), actor, lang);
      }
    }
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
      const note = (date ? input.replace(date[0], ' ') : input).trim();
      return place(req, `${a.target}${date ? ` need-by:${date[1]}` : ''}${note ? ` note:${note}` : ''}`, lang);
    }
    const id = parseRequestId(a.target);
    if (id === undefined || !ACTION_SET.has(name)) return reply(lang, phrases(lang).unknownAction, true, 'bot/unknown-action');
    return outcomeReply(act(req.actor, id, name as IllAction, a.input, a.version, lang), req.actor, lang);
  };

  const listReply = (lang: Language, title: string, rows: IllRequestRow[]): BotResult => ({
    replies: [{ language: lang, blocks: rows.length > 0 ? [{ type: 'request-list', title, requests: rows.map((r) => summary(r, lang)) }] : [{ type: 'text', text: `${title}: ${illPhrases(lang).nothingOpen}` }], actions: [], private: true }],
    notifications: [],
  });

  const statsText = (lang: Language): string => {
    const p = illPhrases(lang);
    const requests = store.allRequestsForStats();
    const events = store.eventsForStats();
    const load = store.lendingLoad();
    // partners count like members: as borrowers (requester) and as lenders (supplier)
    const libs = new Set([...jala.libraries.map((l) => l.code), ...requests.map((r) => r.requester), ...requests.map((r) => r.supplier).filter((c): c is string => isPartner(c))]);
    const lines = [...libs].sort().map((lib) => {
      const placed = requests.filter((r) => r.requester === lib);
      const filledIds = new Set(events.filter((e) => e.action === 'ship').map((e) => e.requestId));
      const filled = placed.filter((r) => filledIds.has(r.id));
      const turnaround = placed
        .map((r) => {
          const rec = events.find((e) => e.requestId === r.id && e.action === 'receive');
          return rec ? (Date.parse(rec.at) - Date.parse(r.createdAt)) / 86_400_000 : undefined;
        })
        .filter((d): d is number => d !== undefined)
        .sort((a, b) => a - b);
      const median = turnaround.length === 0 ? '—' : `${(turnaround[Math.floor((turnaround.length - 1) / 2)] ?? 0).toFixed(1)} d`;
      const l = load.get(lib) ?? { lent: 0, borrowed: 0, openQueue: 0 };
      return p.statsLine(lib, {
        placed: placed.length, filled: filled.length, rate: placed.length === 0 ? '—' : `${Math.round((100 * filled.length) / placed.length)} %`,
        median, lent: l.lent, borrowed: l.borrowed, open: l.openQueue,
      });
    });
    return [p.statsHeader, ...lines, ...(hooks ? hooks.statsLines(lang) : [])].join('\n');
  };

  // ——— timers ———

  const runTimers = (): OutboxMessage[] => {
    const out: OutboxMessage[] = [];
    const t = now();
    const day = t.toISOString().slice(0, 10);
    for (const r of store.openRequests(TERMINAL)) {
      if (r.state === 'SENT' && r.responseDeadline) {
        const deadline = Date.parse(r.responseDeadline);
        if (t.getTime() >= deadline) {
          const o = act('system', r.id, 'timeout', undefined, r.version, 'id');
          if (o.ok) out.push(...o.notifications);
          continue;
        }
        const remindAt = deadline - (r.serviceLevel === 'rush' ? 4 : 24) * 3600_000;
        if (!r.reminderSent && t.getTime() >= remindAt && r.supplier && !isPartner(r.supplier)) {
          store.transaction(() => {
            store.markReminded(r.id, 'lender');
            const l = libraryLanguage(r.supplier as string);
            out.push(enqueue({ type: 'library', library: r.supplier as string }, card(r, 'supplier', false, l, [illPhrases(l).reminderLender(rid(r.id), r.responseDeadline as string)]), r.id));
          });
        }
      }
      if (r.dueDate && (r.state === 'RECEIVED' || r.state === 'SHIPPED')) {
        if (day > r.dueDate && r.state === 'RECEIVED') {
          const o = act('system', r.id, 'overdue', undefined, r.version, 'id');
          if (o.ok) out.push(...o.notifications);
          continue;
        }
        const remindFrom = new Date(Date.parse(`${r.dueDate}T00:00:00Z`) - policy.dueReminderDays * 86_400_000).toISOString().slice(0, 10);
        if (!r.dueReminderSent && day >= remindFrom && r.state === 'RECEIVED' && !isPartner(r.requester)) {
          store.transaction(() => {
            store.markReminded(r.id, 'due');
            const text = bothLanguages((l) => illPhrases(l).dueReminder(rid(r.id), r.title, r.dueDate as string));
            if (r.patronPlatform && r.patronUserId) out.push(enqueue({ type: 'user', platform: r.patronPlatform as Platform, userId: r.patronUserId }, card(r, 'requester', true, 'id', [text.id]), r.id));
            else out.push(enqueue({ type: 'library', library: r.requester }, card(r, 'requester', false, 'id', [text.id]), r.id));
          });
        }
      }
    }
    store.purgePatrons(new Date(t.getTime() - policy.retentionDays * 86_400_000).toISOString());
    return out;
  };

  // ——— outbox for adapters ———

  const reachable = (platform: Platform): string[] =>
    config.libraries.filter((l) => (platform === 'slack' ? l.channels.slack : platform === 'discord' ? l.channels.discord : []).length > 0).map((l) => l.code);

  const outbox: OutboxPort = {
    pending: (platform, limit = 50) =>
      store.pendingFor(platform, reachable(platform), now().toISOString(), limit).map((row) => ({
        id: row.id,
        target: row.targetType === 'library' ? { type: 'library', library: row.target } : { type: 'user', platform: (row.targetPlatform ?? platform) as Platform, userId: row.target },
        reply: JSON.parse(row.payload) as BotReply,
        ...(row.requestId !== null ? { requestId: rid(row.requestId) } : {}),
        createdAt: row.createdAt,
        attempts: row.attempts,
      })),
    delivered: (id, platform) => store.markDelivered(id, platform, now().toISOString()),
    failed: (id, platform, error, retryAfterMs) => {
      const delay = retryAfterMs ?? 5_000;
      store.markFailed(id, platform, error, new Date(now().getTime() + delay).toISOString());
    },
  };

  const announce: IllService['announce'] = (requestId, headline) => {
    const r = store.request(requestId);
    return r ? notify(r, headline, false) : [];
  };

  const service: IllService = { handleCommand, handleAction, runTimers, outbox, act, announce, ...(partners ? { partners } : {}) };
  partners?.attach(service);
  return service;
}

function reply(language: Language, text: string, isPrivate: boolean, error?: string): BotResult {
  return { replies: [{ language, blocks: [{ type: 'text', text }], actions: [], private: isPrivate, ...(error ? { error } : {}) }], notifications: [] };
}

function inputFor(row: TransitionRow, lang: Language): NonNullable<ActionButton['input']> {
  const id = lang === 'id';
  if (row.needs === 'date') return { label: id ? 'Tanggal kembali (YYYY-MM-DD), opsional' : 'Due date (YYYY-MM-DD), optional', kind: 'date', required: !row.optional };
  if (row.needs === 'reason' && row.action === 'decline') {
    return {
      label: id ? 'Alasan' : 'Reason',
      kind: 'reason',
      required: true,
      choices: [
        { value: 'not-held', label: id ? 'Tidak dimiliki' : 'Not held' },
        { value: 'not-on-shelf', label: id ? 'Tidak di rak' : 'Not on shelf' },
        { value: 'non-circulating', label: id ? 'Tidak dipinjamkan' : 'Non-circulating' },
        { value: 'policy', label: id ? 'Kebijakan' : 'Policy' },
        { value: 'poor-condition', label: id ? 'Kondisi buruk' : 'Poor condition' },
      ],
    };
  }
  return { label: row.needs === 'reason' ? (id ? 'Alasan' : 'Reason') : id ? 'Rincian' : 'Details', kind: row.needs === 'reason' ? 'reason' : 'text', required: !row.optional };
}

function needsWord(row: TransitionRow, lang: Language): string {
  const id = lang === 'id';
  if (row.needs === 'reason') return id ? 'alasan' : 'a reason';
  if (row.needs === 'date') return id ? 'tanggal (YYYY-MM-DD)' : 'a date (YYYY-MM-DD)';
  return id ? 'keterangan' : 'some text';
}

/** YYYY-MM-DD at the start of the text, validated as a real date. */
function parseDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}` ? undefined : d.toISOString().slice(0, 10);
}
