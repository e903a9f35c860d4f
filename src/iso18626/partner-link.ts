/**
 * The wiring that makes ISO 18626 partners part of Jala's interlibrary loan: what the ILL service
 * calls (IllPartnerHooks), what /iso18626 calls (`receive`), and the partner outbox (`deliver`).
 *
 * - Jala borrows: when a rota reaches a partner, a `request` is queued; the partner's
 *   supplyingAgencyMessages are read by planSupplierMessage into rows of the state table, taken
 *   through the ILL service's one transition path (`act`) as the partner; the member's own steps
 *   (receive, return, renew, cancel, notes, terms) go out as requestingAgencyMessages.
 * - Jala lends: a partner's `request` becomes a lending request in the addressed member's queue
 *   (the same card and buttons); the librarian's answers go out as supplyingAgencyMessages.
 * - Everything to a partner is written once, inside the transaction of the step that caused it,
 *   into the partner outbox (the PartnerStore port), and sent in order per exchange; a network
 *   failure is retried later with the same bytes; an ERROR confirmation is shown to the librarian
 *   in the request's thread and not retried.
 * - A message from a partner is applied in one transaction: all its rows or none. The same message
 *   again (same key, request unchanged since) is confirmed without a second transition.
 *
 * Patron data: none goes to a partner — no name, id or address; a patron's own note stays home.
 */
import type { Answer } from '../answer/answer-types.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { ConsortiumConfig } from '../config/consortium-config.ts';
import { workLabel } from '../catalog/work-document.ts';
import type { IllRequest as IllRequestRow } from '../ill/ill-request.ts';
import type { IllPartnerHooks, TakenStep } from '../ill/ill-partners.ts';
import type { Ill } from '../ill/ill-workflow.ts';
import { addBusinessDays, type RotaPlan } from '../ill/lender-selection.ts';
import { normalizeIsbn } from '../mapping/isbn.ts';
import type { Actor } from '../common/actor.ts';
import type { Language } from '../common/language.ts';
import type { IllStore } from '../ill/ill-store.ts';
import type { Iso18626ExchangeRow, PartnerOutboxRow, PartnerStore } from './partner-store.ts';
import { sendIso18626, type SendOutcome } from './iso18626-client.ts';
import { handleIso18626, isoVersionOf, type ApplyResult, type HandlerResult, type InboundEvent, type PartnerDirectory } from './iso18626-handler.ts';
import type { AgencyId, Authentication, RequestMessage, RequestingAgencyMessage, SupplyingAgencyMessage } from './iso18626-model.ts';
import { writeIso18626 } from './iso18626-writer.ts';
import type { InboundPlan, RequestSnapshot } from './inbound-plan.ts';
import { parseConditionText, type ConditionOffer } from './loan-conditions.ts';
import { buildMessage, type Exchange, type OutgoingIntent } from './outgoing-intent.ts';
import { acknowledgeRequest, outgoingForStep, type AppliedStep } from './outgoing-messages.ts';
import type { AgencyIdConfig, Iso18626Settings, MemberAgency, PartnerConfig } from '../config/partner-config.ts';
import { partnerPhrases } from './partner-phrases.ts';
import { buildRequestMessage, classifyIncomingRequest, summariseRequest, type IncomingRequestSummary } from './partner-request.ts';
import { planRequesterMessage } from './requester-message-plan.ts';
import { isRepeat } from './repeat-key.ts';
import { planSupplierMessage, unknownRequest } from './supplier-message-plan.ts';

export interface PartnerLinkOptions {
  now: () => Date;
  fetch?: typeof fetch;
  /** the first retry after a network failure waits this long, doubling up to 5 minutes (default 2 s) */
  retryDelayMs?: number;
}

export interface DeliveryReport {
  sent: number;
  refused: number;
  /** network failures, to be retried */
  failed: number;
}

/** The ILL use cases the link drives (src/ill/ill-workflow.ts), whatever their notifications are. */
type IllCore = Pick<Ill<unknown>, 'act' | 'announce'>;

export interface PartnerLink {
  hooks: IllPartnerHooks;
  /** the ILL workflow whose transition path the link uses (its creator attaches it) */
  attach(ill: IllCore): void;
  /** the report's lines about partners, their turnaround apart from members */
  statsLines(lang: Language): string[];
  settings: Iso18626Settings;
  directory: PartnerDirectory;
  /** a POST to /iso18626: the confirmation to answer with, synchronously */
  receive(body: string | Uint8Array, remoteAddress: string | undefined): HandlerResult;
  /** sends what is due in the partner outbox (one pass; overlapping calls share it) */
  deliver(): Promise<DeliveryReport>;
  /** messages not yet confirmed nor refused */
  pendingCount(): number;
  store: PartnerStore;
}

class Rollback extends Error {
  constructor(readonly result: ApplyResult) {
    super('rollback');
  }
}

const MAX_RETRY_MS = 5 * 60_000;

/** What the partner link needs of Jala (the composition root passes Jala itself). */
export interface PartnerLinkHost {
  config: ConsortiumConfig;
  libraries: ReadonlyArray<{ code: string; name: string }>;
  /** finding the work a partner's request is for: by id, ISBN or record, else by title and author */
  store: Pick<CatalogStore, 'work' | 'workOfRecord' | 'worksByKey'>;
  stores: { partners: PartnerStore };
  ask(question: string, opts?: { pageSize?: number }): Answer;
}

export function createPartnerLink(jala: PartnerLinkHost, illStore: IllStore, opts: PartnerLinkOptions): PartnerLink {
  const now = opts.now;
  const settings = jala.config.iso18626;
  const store = jala.stores.partners;
  const partners = settings.partners;
  const partnerOf = (code: string): PartnerConfig | undefined => partners.find((p) => p.code === code);
  const members: MemberAgency[] = jala.config.libraries.filter((l) => l.agencyId).map((l) => ({ library: l.code, agencyId: l.agencyId as AgencyIdConfig }));
  const memberOf = (code: string): MemberAgency | undefined => members.find((m) => m.library === code);
  const directory: PartnerDirectory = { partners, members };
  const memberName = (code: string): string => jala.libraries.find((l) => l.code === code)?.name ?? jala.config.libraries.find((l) => l.code === code)?.name ?? code;
  let ill: IllCore | undefined;
  /** the partner whose message is being applied: the steps it causes are answered by its plan, not echoed */
  let inboundPartner: string | undefined;

  const service = (): IllCore => {
    if (!ill) throw new Error('iso18626: the partner link is not attached to an ILL service');
    return ill;
  };
  const actorFor = (library: string): Actor => ({ platform: 'cli', userId: `iso18626:${library}`, role: 'librarian', library });

  // ——— building messages ———

  const agency = (a: AgencyIdConfig): AgencyId => ({ type: { value: a.type }, value: a.value });
  const authFor = (p: PartnerConfig): Authentication | undefined => {
    const code = p.auth.outgoingSecret ?? p.auth.sharedSecret;
    if (code === undefined && p.auth.accountId === undefined) return undefined;
    return { ...(p.auth.accountId !== undefined ? { accountId: p.auth.accountId } : {}), ...(code !== undefined ? { securityCode: code } : {}) };
  };
  const exchangeOf = (ex: Iso18626ExchangeRow, p: PartnerConfig): Exchange => {
    const member = memberOf(ex.member);
    if (!member) throw new Error(`iso18626: member ${ex.member} has no agencyId`);
    const auth = authFor(p);
    return {
      version: isoVersionOf(p),
      requestingAgencyId: ex.partnerRole === 'supplier' ? agency(member.agencyId) : agency(p.agencyId),
      supplyingAgencyId: ex.partnerRole === 'supplier' ? agency(p.agencyId) : agency(member.agencyId),
      requestingAgencyRequestId: ex.requestingAgencyRequestId,
      ...(ex.supplyingAgencyRequestId !== null ? { supplyingAgencyRequestId: ex.supplyingAgencyRequestId } : {}),
      ...(auth ? { authentication: auth } : {}),
    };
  };

  const labelOf = (intent: OutgoingIntent): string => {
    switch (intent.kind) {
      case 'requestingAgencyMessage':
        return intent.action;
      case 'supplyingAgencyMessage':
        return `${intent.status} (${intent.reasonForMessage}${intent.answerYesNo ? ` ${intent.answerYesNo}` : ''})`;
      case 'retryRequest':
        return 'request (Retry)';
    }
  };

  /** What Jala knows of a request's item, for a `request` to a lending partner. */
  const requestDetails = (r: IllRequestRow): Parameters<typeof buildRequestMessage>[0] => {
    const work = r.workId !== null ? jala.store.work(r.workId) : undefined;
    const author = work?.authors[0]?.direct;
    const publisher = work?.publishers[0];
    return {
      title: work?.title ?? r.title,
      ...(author ? { author } : {}),
      ...(work && work.isbns.length > 0 ? { isbns: work.isbns.slice(0, 5) } : {}),
      ...(r.workId !== null ? { workLabel: workLabel(r.workId) } : {}),
      ...(publisher ? { publisher } : {}),
      ...(work?.year !== undefined ? { year: String(work.year) } : {}),
      needBy: r.needBy,
      rush: r.serviceLevel === 'rush',
      patronRequest: r.placedBy === 'patron',
      // a librarian's note is for the lender; a patron's own words stay with the home library
      note: r.placedBy === 'librarian' ? r.note : null,
      requesterName: memberName(r.requester),
    };
  };

  const enqueueIntent = (ex: Iso18626ExchangeRow, intent: OutgoingIntent): void => {
    const p = partnerOf(ex.partner);
    if (!p) return;
    const e = exchangeOf(ex, p);
    let xml: string;
    let kind: string;
    if (intent.kind === 'retryRequest') {
      const r = ex.requestId !== null ? illStore.request(ex.requestId) : undefined;
      if (!r) return;
      xml = writeIso18626(buildRequestMessage(requestDetails(r), e, now(), intent), e.version);
      kind = 'request';
    } else {
      const message = buildMessage(intent, e, now());
      xml = writeIso18626(message, e.version);
      kind = message.kind;
    }
    store.enqueue({ exchangeId: ex.id, kind, label: labelOf(intent), xml, createdAt: now().toISOString() });
  };

  // ——— Jala's own steps → partners ———

  const conditionOf = (ex: Iso18626ExchangeRow | undefined): ConditionOffer | null => {
    if (!ex?.condition) return null;
    try {
      return JSON.parse(ex.condition) as ConditionOffer;
    } catch {
      return null;
    }
  };

  const afterStep = (step: TakenStep): void => {
    const { before, after } = step;
    // a patron's own words (a note, a cancel reason) stay with the home library; the step still goes out
    const byPatron = step.actor !== 'system' && step.actor.role === 'patron';
    if (byPatron && step.action === 'note') return;
    const applied: AppliedStep = {
      action: step.action,
      side: step.side,
      from: step.from,
      to: step.to,
      supplierFrom: step.supplierFrom,
      supplierTo: step.supplierTo,
      priorSupplierState: step.priorSupplierState,
      ...(step.details !== undefined && !byPatron ? { details: step.details } : {}),
      dueDate: step.dueDate,
    };
    // the lender was a partner: Jala's requester-side steps become requestingAgencyMessages
    const lender = before.supplier !== null ? partnerOf(before.supplier) : undefined;
    if (lender) {
      const ex = store.exchangeOfRequest(before.id, lender.code, 'supplier');
      if (ex && lender.code !== inboundPartner) {
        const intent = outgoingForStep(applied, {
          role: 'supplier', vendor: lender.vendor, version: isoVersionOf(lender), pendingCondition: conditionOf(ex), requestingAgencyRequestId: ex.requestingAgencyRequestId,
        });
        if (intent) enqueueIntent(ex, intent);
      }
      if (ex && step.from === 'CONDITION_PENDING' && step.to !== 'CONDITION_PENDING') store.setCondition(ex.id, null);
    }
    // the borrower is a partner: the member's supplier-side steps become supplyingAgencyMessages
    const borrower = partnerOf(before.requester);
    if (borrower) {
      const ex = store.exchangeOfRequest(before.id, borrower.code, 'requester');
      if (ex && borrower.code !== inboundPartner) {
        const member = memberOf(ex.member);
        const intent = outgoingForStep(applied, {
          role: 'requester', vendor: borrower.vendor, version: isoVersionOf(borrower), requestingAgencyRequestId: ex.requestingAgencyRequestId,
          ...(member ? { returnInfo: { returnAgencyId: agency(member.agencyId), name: memberName(member.library) } } : {}),
        });
        if (intent) enqueueIntent(ex, intent);
        if (step.action === 'condition') {
          const { codes, costs } = parseConditionText(step.details ?? '');
          const offer: ConditionOffer = { via: borrower.vendor === 'generic' || borrower.vendor === 'illiad' ? 'retry' : 'note', codes, ...(costs ? { costs } : {}), ...(step.details ? { note: step.details } : {}) };
          store.setCondition(ex.id, JSON.stringify(offer));
        }
      }
      if (ex && step.from === 'CONDITION_PENDING' && step.to !== 'CONDITION_PENDING') store.setCondition(ex.id, null);
    }
    // the rota reached a partner: it gets the request
    const next = after.supplier !== null && after.supplier !== before.supplier && after.state === 'SENT' ? partnerOf(after.supplier) : undefined;
    if (next && memberOf(after.requester)) {
      const n = store.countExchangesOfRequest(after.id, next.code);
      const id = store.insertExchange({
        requestId: after.id, partner: next.code, partnerRole: 'supplier', member: after.requester,
        requestingAgencyRequestId: `${after.requester}-R${after.id}${n > 0 ? `-${n + 1}` : ''}`, supplyingAgencyRequestId: null, createdAt: now().toISOString(),
      });
      const ex = store.exchange(id) as Iso18626ExchangeRow;
      const xml = writeIso18626(buildRequestMessage(requestDetails(after), exchangeOf(ex, next), now()), isoVersionOf(next));
      store.enqueue({ exchangeId: id, kind: 'request', label: 'request', xml, createdAt: now().toISOString() });
    }
  };

  const withPartners = (requester: string, plan: RotaPlan): RotaPlan => {
    if (!memberOf(requester)) return plan;
    const out = [...plan.chosen];
    const lenders = partners.filter((p) => p.lends);
    const entry = (p: PartnerConfig): RotaPlan['chosen'][number] => ({ library: p.code, reason: 'partner', lent: 0, borrowed: 0, openQueue: 0 });
    const before = lenders.filter((p) => p.rotaPosition === 'before-members');
    const fixed = lenders.filter((p): p is PartnerConfig & { rotaPosition: number } => typeof p.rotaPosition === 'number').sort((a, b) => a.rotaPosition - b.rotaPosition);
    const after = lenders.filter((p) => p.rotaPosition === 'after-members');
    out.unshift(...before.map(entry));
    for (const p of fixed) out.splice(Math.min(p.rotaPosition, out.length), 0, entry(p));
    out.push(...after.map(entry));
    return { ...plan, chosen: out };
  };

  // ——— partners' messages → Jala ———

  const snapshot = (r: IllRequestRow, ex: Iso18626ExchangeRow): RequestSnapshot => ({
    state: r.state,
    supplierState: r.supplierState,
    priorState: r.priorState,
    priorSupplierState: r.priorSupplierState,
    dueDate: r.dueDate,
    conditionVia: conditionOf(ex)?.via ?? null,
  });

  /** Takes a plan's rows through the ILL service as the partner (or, for Jala's own implied steps and notes, as the member). */
  const runPlan = (plan: InboundPlan, ex: Iso18626ExchangeRow, r: IllRequestRow, partner: PartnerConfig, repeatKey: string): ApplyResult => {
    if (plan.outcome === 'error') return { ok: false, errorType: plan.errorType, errorValue: plan.errorValue };
    const partnerSide = ex.partnerRole; // 'supplier' when it lends
    let reply = plan.reply;
    for (const step of plan.steps) {
      // a row of the partner's side is taken as the partner (implied ones too: it reported them);
      // a note from a partner whose turn on the request has ended is told by the member's side
      const now = illStore.request(r.id) ?? r;
      const partnerOnRequest = partnerSide === 'supplier' ? now.supplier === partner.code : now.requester === partner.code;
      const byPartner = step.side === partnerSide && (step.action !== 'note' || partnerOnRequest);
      const actor = step.side === 'system' ? ('system' as const) : byPartner ? actorFor(partner.code) : actorFor(ex.member);
      const o = service().act(actor, r.id, { action: step.action, details: step.details });
      if (o.ok) continue;
      if (step.action === 'renew' && o.error.code === 'ill/not-allowed-now') {
        // beyond the renewals the policy allows: answered No at once
        reply = { kind: 'supplyingAgencyMessage', reasonForMessage: 'RenewResponse', status: 'Loaned', answerYesNo: 'N', ...(r.dueDate ? { dueDate: r.dueDate } : {}), note: 'No more renewals are allowed' };
        break;
      }
      throw new Rollback({ ok: false, errorType: 'UnrecognisedDataValue', errorValue: `cannot apply ${step.action} to the request now (${o.error.code})` });
    }
    if (plan.outcome === 'apply' && plan.condition) store.setCondition(ex.id, JSON.stringify(plan.condition));
    if (reply) enqueueIntent(store.exchange(ex.id) as Iso18626ExchangeRow, reply);
    const afterRow = illStore.request(r.id);
    if (afterRow) store.setLastInbound(ex.id, repeatKey, afterRow.version);
    return { ok: true };
  };

  const findWork = (s: IncomingRequestSummary): number | null => {
    for (const raw of s.isbns) {
      const isbn = normalizeIsbn(raw);
      const w = isbn ? jala.store.worksByKey('isbn', isbn.isbn13)[0] : undefined;
      if (w !== undefined) return w;
    }
    for (const issn of s.issns) {
      const w = jala.store.worksByKey('issn', issn.replace(/[^0-9Xx]/g, '').toUpperCase())[0];
      if (w !== undefined) return w;
    }
    if (s.supplierUniqueRecordId) {
      const w = jala.store.workOfRecord(s.supplierUniqueRecordId.trim());
      if (w !== undefined) return w;
    }
    if (s.title) {
      const fold = (t: string): string => t.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      const top = jala.ask([s.title, s.author].filter(Boolean).join(' '), { pageSize: 3 }).results.find((x) => fold(x.title).startsWith(fold(s.title as string)) || fold(s.title as string).startsWith(fold(x.title)));
      const m = top ? /^w(\d+)$/.exec(top.workId) : null;
      if (m) return Number(m[1]);
    }
    return null;
  };

  const newLendingRequest = (msg: RequestMessage, partner: PartnerConfig, member: MemberAgency): ApplyResult => {
    const s = summariseRequest(msg);
    const stamp = now().toISOString();
    const workId = findWork(s);
    const title = (s.title ?? (workId !== null ? jala.store.work(workId)?.title : undefined) ?? '(no title given)').slice(0, 500);
    const deadline = s.rush ? new Date(now().getTime() + jala.config.ill.rushHours * 3600_000) : addBusinessDays(now(), jala.config.ill.responseDays);
    const id = illStore.insertRequest({
      workId, title, requester: partner.code, supplier: member.library, state: 'SENT', supplierState: 'NEW', priorState: null, priorSupplierState: null,
      placedBy: 'librarian', patronPlatform: null, patronUserId: null, patronName: null,
      needBy: s.needBy ?? null, note: s.note ? s.note.slice(0, 1000) : null, serviceLevel: s.rush ? 'rush' : 'normal', condition: null, dueDate: null, renewals: 0,
      responseDeadline: deadline.toISOString(), reminderSent: 0, dueReminderSent: 0, createdAt: stamp, updatedAt: stamp, closedAt: null, outcome: null, purgedAt: null,
    });
    illStore.insertRota(id, [{ library: member.library, status: 'selected', reason: { kind: 'chosen', code: 'asked-by-partner', lent: 0, borrowed: 0, openQueue: 0 } }]);
    illStore.appendEvent(id, { at: stamp, actorRole: 'librarian', actorLibrary: partner.code, action: 'place', fromState: null, toState: 'SENT', supplier: member.library, supplierFrom: null, supplierTo: 'NEW', note: s.note ?? null });
    const exId = store.insertExchange({
      requestId: id, partner: partner.code, partnerRole: 'requester', member: member.library,
      requestingAgencyRequestId: msg.header.requestingAgencyRequestId, supplyingAgencyRequestId: `R${id}`, createdAt: stamp,
    });
    service().announce(id, { actor: { library: partner.code }, action: 'place', requestId: id, to: 'SENT', ...(s.note ? { note: s.note.slice(0, 300) } : {}) });
    const ack = acknowledgeRequest(partner.vendor);
    if (ack) enqueueIntent(store.exchange(exId) as Iso18626ExchangeRow, ack);
    const afterRow = illStore.request(id);
    if (afterRow) store.setLastInbound(exId, `request|${msg.header.requestingAgencyRequestId}`, afterRow.version);
    return { ok: true };
  };

  /** A request Jala answers at once without a request of its own (a copy, a member that does not lend). */
  const answerWithoutRequest = (msg: RequestMessage, partner: PartnerConfig, member: MemberAgency, reply: OutgoingIntent): ApplyResult => {
    const exId = store.insertExchange({
      requestId: null, partner: partner.code, partnerRole: 'requester', member: member.library,
      requestingAgencyRequestId: msg.header.requestingAgencyRequestId, supplyingAgencyRequestId: null, createdAt: now().toISOString(),
    });
    enqueueIntent(store.exchange(exId) as Iso18626ExchangeRow, reply);
    return { ok: true };
  };

  const applyRequest = (msg: RequestMessage, partner: PartnerConfig, member: MemberAgency, key: string): ApplyResult => {
    const rid = msg.header.requestingAgencyRequestId;
    const existing = store.exchangeById(partner.code, 'requester', rid);
    if (existing && existing.member !== member.library) return { ok: false, errorType: 'UnrecognisedDataValue', errorValue: `requestingAgencyRequestId: ${rid.slice(0, 100)} was sent to another library` };
    const prevId = msg.serviceInfo?.requestingAgencyPreviousRequestId;
    const prev = prevId ? store.exchangeById(partner.code, 'requester', prevId) : undefined;
    const pending = [prev, existing].find((x) => x && x.requestId !== null && illStore.request(x.requestId)?.state === 'CONDITION_PENDING');
    const kind = classifyIncomingRequest(msg, { thisId: existing !== undefined, termsPending: pending !== undefined });
    switch (kind.kind) {
      case 'repeat':
        return { ok: true };
      case 'reminder': {
        if (!existing || existing.requestId === null) return { ok: true };
        const r = illStore.request(existing.requestId);
        if (!r) return { ok: true };
        return runPlan({ outcome: 'apply', steps: [{ action: 'note', side: 'supplier', details: partnerPhrases('en').reminder(partner.name) }], summary: 'reminder' }, existing, r, partner, key);
      }
      case 'accepts-terms': {
        const ex = pending as Iso18626ExchangeRow;
        const r = illStore.request(ex.requestId as number) as IllRequestRow;
        return runPlan({ outcome: 'apply', steps: [{ action: 'approve', side: 'requester', details: `${partner.name} accepted the conditions` }], summary: 'terms accepted' }, ex, r, partner, key);
      }
      case 'copy-only':
        return answerWithoutRequest(msg, partner, member, kind.reply);
      case 'new': {
        const lends = jala.config.libraries.find((l) => l.code === member.library)?.lends ?? true;
        if (!lends) {
          return answerWithoutRequest(msg, partner, member, { kind: 'supplyingAgencyMessage', reasonForMessage: 'RequestResponse', status: 'Unfilled', reasonUnfilled: 'PolicyProblem', note: 'This library does not lend through interlibrary loan' });
        }
        return newLendingRequest(msg, partner, member);
      }
    }
  };

  const applySupplying = (sam: SupplyingAgencyMessage, partner: PartnerConfig, member: MemberAgency, key: string): ApplyResult => {
    const rid = sam.header.requestingAgencyRequestId;
    const ex = store.exchangeById(partner.code, 'supplier', rid);
    const r = ex && ex.requestId !== null && ex.member === member.library ? illStore.request(ex.requestId) : undefined;
    if (!ex || !r) {
      const plan = unknownRequest(rid);
      return plan.outcome === 'error' ? { ok: false, errorType: plan.errorType, errorValue: plan.errorValue } : { ok: true };
    }
    if (isRepeat(ex.lastInboundKey !== null && ex.lastInboundVersion !== null ? { key: ex.lastInboundKey, versionAfter: ex.lastInboundVersion } : null, key, r.version)) return { ok: true };
    const sid = sam.header.supplyingAgencyRequestId;
    if (sid) store.setSupplyingAgencyRequestId(ex.id, sid.slice(0, 200));
    const latest = store.exchangeOfRequest(r.id, partner.code, 'supplier');
    // the request's lender is this partner, in this exchange (an ended request answers "already" or "ignored" in the planner)
    const current = r.supplier === partner.code && latest?.id === ex.id;
    const plan = planSupplierMessage(sam, { request: snapshot(r, ex), partnerIsCurrentLender: current, partnerName: partner.name });
    return runPlan(plan, store.exchange(ex.id) as Iso18626ExchangeRow, r, partner, key);
  };

  const applyRequesting = (ram: RequestingAgencyMessage, partner: PartnerConfig, member: MemberAgency, key: string): ApplyResult => {
    const rid = ram.header.requestingAgencyRequestId;
    const ex = store.exchangeById(partner.code, 'requester', rid);
    const r = ex && ex.requestId !== null && ex.member === member.library ? illStore.request(ex.requestId) : undefined;
    if (!ex || !r) return { ok: false, errorType: 'UnrecognisedDataValue', errorValue: `requestingAgencyRequestId: request with a given ID not found (${rid.slice(0, 100)})` };
    if (isRepeat(ex.lastInboundKey !== null && ex.lastInboundVersion !== null ? { key: ex.lastInboundKey, versionAfter: ex.lastInboundVersion } : null, key, r.version)) return { ok: true };
    const plan = planRequesterMessage(ram, { request: snapshot(r, ex), partnerName: partner.name, vendor: partner.vendor });
    return runPlan(plan, ex, r, partner, key);
  };

  const apply = (event: InboundEvent): ApplyResult => {
    const partner = event.partner;
    inboundPartner = partner.code;
    try {
      return illStore.transaction((): ApplyResult => {
        const m = event.message;
        const result =
          m.kind === 'request' ? applyRequest(m, partner, event.member, event.repeatKey)
          : m.kind === 'supplyingAgencyMessage' ? applySupplying(m, partner, event.member, event.repeatKey)
          : applyRequesting(m, partner, event.member, event.repeatKey);
        if (!result.ok) throw new Rollback(result);
        return result;
      });
    } catch (err) {
      if (err instanceof Rollback) return err.result;
      throw err;
    } finally {
      inboundPartner = undefined;
    }
  };

  const receive = (body: string | Uint8Array, remoteAddress: string | undefined): HandlerResult =>
    handleIso18626(body, remoteAddress, directory, { now, maxBytes: settings.maxMessageBytes, apply });

  // ——— the partner outbox ———

  /** The partner refused a message (ERROR, a 4xx, an answer that is no confirmation): the librarian sees it in the request's thread. */
  const refused = (row: PartnerOutboxRow, ex: Iso18626ExchangeRow, p: PartnerConfig, why: string): void => {
    illStore.transaction(() => {
      store.markRefused(row.id, now().toISOString(), why);
      if (ex.requestId === null) return;
      const r = illStore.request(ex.requestId);
      if (!r) return;
      inboundPartner = p.code;
      try {
        service().act(actorFor(ex.member), r.id, { action: 'note', details: partnerPhrases('en').refused(p.name, row.label, why) });
        // a refused request ends this partner's turn: the rota moves on
        if (row.kind === 'request' && r.supplier === p.code && r.state === 'SENT') {
          service().act(actorFor(p.code), r.id, { action: 'decline', details: `not-available ${p.name} refused the request: ${why}`.slice(0, 900) });
        }
      } finally {
        inboundPartner = undefined;
      }
    });
  };

  let running: Promise<DeliveryReport> | undefined;
  const baseDelay = opts.retryDelayMs ?? 2_000;

  const sendOne = async (row: PartnerOutboxRow, ex: Iso18626ExchangeRow, p: PartnerConfig): Promise<SendOutcome> =>
    sendIso18626(p.endpoint, row.xml, {
      timeoutMs: p.timeoutSeconds * 1000,
      kind: row.kind as 'request' | 'supplyingAgencyMessage' | 'requestingAgencyMessage',
      requestingAgencyRequestId: ex.requestingAgencyRequestId,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });

  const deliverPass = async (): Promise<DeliveryReport> => {
    const report: DeliveryReport = { sent: 0, refused: 0, failed: 0 };
    const down = new Set<string>();
    for (;;) {
      const rows = store.due(now().toISOString(), 50);
      let progressed = false;
      for (const row of rows) {
        const ex = store.exchange(row.exchangeId);
        const p = ex ? partnerOf(ex.partner) : undefined;
        if (!ex || !p) {
          store.markRefused(row.id, now().toISOString(), 'the partner is no longer configured');
          report.refused++;
          progressed = true;
          continue;
        }
        if (down.has(p.code)) continue;
        const outcome = await sendOne(row, ex, p);
        if (outcome.ok) {
          store.markSent(row.id, now().toISOString());
          report.sent++;
          progressed = true;
        } else if (outcome.failure === 'network') {
          const attempts = row.attempts + 1;
          const delay = Math.min(MAX_RETRY_MS, baseDelay * 2 ** (attempts - 1));
          store.markRetry(row.id, new Date(now().getTime() + delay).toISOString(), `${outcome.code}: ${outcome.message}`);
          down.add(p.code);
          report.failed++;
        } else {
          refused(row, ex, p, outcome.failure === 'refused' && outcome.errorType ? `${outcome.errorType}${outcome.errorValue ? ` (${outcome.errorValue})` : ''}` : outcome.message);
          report.refused++;
          progressed = true;
        }
      }
      if (!progressed) return report;
    }
  };

  const deliver = (): Promise<DeliveryReport> => {
    if (!running) running = deliverPass().finally(() => (running = undefined));
    return running;
  };

  // ——— reports ———

  const statsLines = (lang: Language): string[] => {
    const ph = partnerPhrases(lang);
    const lines: string[] = [];
    const days = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 86_400_000;
    const median = (xs: number[]): string => {
      if (xs.length === 0) return '—';
      const s = [...xs].sort((a, b) => a - b);
      return `${(s[Math.floor((s.length - 1) / 2)] ?? 0).toFixed(1)} d`;
    };
    const exchanges = store.exchanges();
    for (const p of partners) {
      const lentTimes: number[] = [];
      const borrowTimes: number[] = [];
      let lent = 0;
      let borrowed = 0;
      for (const ex of exchanges.filter((e) => e.partner === p.code && e.requestId !== null)) {
        const events = illStore.events(ex.requestId as number);
        if (ex.partnerRole === 'supplier') {
          // from the request reaching the partner to the member receiving it
          const shipped = events.find((e) => e.action === 'ship' && e.supplier === p.code);
          if (!shipped) continue;
          lent++;
          const received = events.find((e) => e.action === 'receive');
          if (received) lentTimes.push(days(ex.createdAt, received.at));
        } else {
          // from the partner's request arriving to the member shipping it
          const shipped = events.find((e) => e.action === 'ship');
          if (!shipped) continue;
          borrowed++;
          borrowTimes.push(days(ex.createdAt, shipped.at));
        }
      }
      lines.push(ph.statsLine(p.code, p.name, { lent, lentMedian: median(lentTimes), borrowed, shipMedian: median(borrowTimes), }));
    }
    const pending = store.pendingCount();
    return lines.length > 0 ? [ph.statsHeader, ...lines, ...(pending > 0 ? [ph.pending(pending)] : [])] : [];
  };

  const hooks: IllPartnerHooks = {
    isPartner: (code) => partnerOf(code) !== undefined,
    withPartners,
    afterStep,
    loanPeriodDays: (r) => partnerOf(r.requester)?.loanPeriodDays,
  };

  return {
    hooks,
    attach: (s) => {
      ill = s;
    },
    settings,
    directory,
    statsLines,
    receive,
    deliver,
    pendingCount: () => store.pendingCount(),
    store,
  };
}
