import type { Actor } from '../common/actor.ts';
import { err, ok, type Result } from '../common/result.ts';
import type { IllEvent, IllRequest, IllRequestChanges, RotaEntry, RotaReason, RotaStatus } from './ill-request.ts';
import { addBusinessDays, type RotaPlan } from './lender-selection.ts';
import {
  DECLINE_REASONS, TERMINAL_STATES, TRANSITIONS,
  type IllAction, type RequesterState, type Side, type SupplierState,
} from './ill-states.ts';

/** Why an action is refused: a stable code and the facts the refusal is worded from (in the bot layer). */
export type IllError =
  | { code: 'ill/not-found'; requestId: number }
  | { code: 'ill/forbidden' }
  | { code: 'ill/stale'; requestId: number }
  | { code: 'ill/not-allowed-now'; action: IllAction; state: RequesterState; maxRenewals?: number }
  | { code: 'ill/needs-details'; action: IllAction; needs: 'reason' | 'text' | 'date' }
  | { code: 'ill/bad-date'; text: string };

export type IllErrorCode = IllError['code'];

/** Who acts on a request: a person, or the timers. */
export type IllParty = Actor | 'system';

/** What happened, for the notices about it: the headline every card about the move carries. */
export interface Headline {
  /** 'system' (the timers), 'patron', or the acting library's code ('' when a librarian has none) */
  actor: 'system' | 'patron' | { library: string };
  action: IllAction | 'place';
  requestId: number;
  /** the state it was done in (a cancellation, a renewal…), to word it as what it was; absent for a placing */
  from?: RequesterState;
  to: RequesterState;
  /** the request ended unfilled: offer to ask again for this work */
  unfilled?: { workId: number | null };
  /** the details the actor gave, shown after the headline */
  note?: string;
}

export type NoticeTarget = { type: 'library'; library: string } | { type: 'user'; platform: string; userId: string };

/** A notice about a transition: who hears, from which side they see the card, and the headline. */
export interface TransitionNotice {
  kind: 'transition';
  target: NoticeTarget;
  side: 'requester' | 'supplier';
  /** the addressee is the patron who placed the request */
  patron: boolean;
  /** the card names the patron (the requesting library's staff only) */
  showPatron: boolean;
  headline: Headline;
  /** the lender whose turn just ended: its card shows it as unfilled, without buttons */
  endedLender?: string;
}

/** What an action changes, in the order a store applies them (inside one transaction). */
export type Change =
  | { type: 'insert-rota'; entries: Array<{ library: string; status: RotaStatus; reason: RotaReason }> }
  | { type: 'set-rota-status'; position: number; status: RotaStatus; reason?: RotaReason }
  /** the request's new fields, applied only if it is still at `version` */
  | { type: 'update-request'; version: number; changes: IllRequestChanges }
  | { type: 'append-event'; event: IllEvent }
  /** tell someone, with the request as these changes leave it */
  | { type: 'notify'; notice: TransitionNotice };

export interface ActionInput {
  action: IllAction;
  /** what the actor typed: a reason, a note, a date (YYYY-MM-DD, then an optional note) */
  details?: string | undefined;
  /** the version the card showed: a stale or double click changes nothing */
  version?: number | undefined;
}

/** The facts the rules read besides the request: the time, the consortium's policy, the rota. */
export interface TransitionContext {
  now: Date;
  policy: { maxRenewals: number; rushHours: number; responseDays: number };
  /** a lender's loan period in days (28 when it has none) */
  loanPeriodDays(library: string): number | undefined;
  rota: readonly RotaEntry[];
  /** the rota plan for the request's work; asked only when the request is routed for the first time */
  planRota(): RotaPlan;
}

/** The side an actor takes on a request, or undefined when they have no business with it. */
export function sideOf(actor: Actor, r: IllRequest): { side: Side; patron: boolean } | undefined {
  const staff = actor.role === 'librarian' || actor.role === 'admin';
  if (staff && actor.library === r.requester) return { side: 'requester', patron: false };
  if (staff && r.supplier && actor.library === r.supplier) return { side: 'supplier', patron: false };
  if (r.patronPlatform === actor.platform && r.patronUserId === actor.userId) return { side: 'requester', patron: true };
  if (actor.role === 'admin') return { side: 'admin', patron: false };
  return undefined;
}

/** The states after which the patron hears about the move (unless they made it). */
const PATRON_MATTERS: readonly RequesterState[] = ['SENT', 'WILL_SUPPLY', 'SHIPPED', 'RECEIVED', 'OVERDUE', 'RECALLED', 'UNFILLED', 'CANCELLED', 'COMPLETED', 'FILLED_LOCALLY', 'CLOSED_MANUALLY', 'RENEW_PENDING'];

/**
 * The one transition rule: what `action` by `actor` does to request `r`, as a list of changes, or
 * why it is refused. Pure: it reads only its arguments; the caller applies the changes in one
 * transaction (src/ill/ill-workflow.ts).
 */
export function applyAction(r: IllRequest, input: ActionInput, actor: IllParty, ctx: TransitionContext): Result<Change[], IllError> {
  const { action, version } = input;
  let side: Side;
  let patron = false;
  if (actor === 'system') side = 'system';
  else {
    const s = action === 'close' && actor.role === 'admin' ? { side: 'admin' as Side, patron: false } : sideOf(actor, r);
    if (!s) return err({ code: 'ill/forbidden' });
    side = s.side;
    patron = s.patron;
  }
  const row = TRANSITIONS.find((t) => t.action === action && t.side === side && t.from.includes(r.state) && (!patron || t.patron));
  if (!row) {
    const elsewhere = TRANSITIONS.some((t) => t.action === action && t.side === side && (!patron || t.patron));
    if (!elsewhere) return err({ code: 'ill/forbidden' });
    if (version !== undefined && version !== r.version) return err({ code: 'ill/stale', requestId: r.id });
    return err({ code: 'ill/not-allowed-now', action, state: r.state });
  }
  if (version !== undefined && version !== r.version) return err({ code: 'ill/stale', requestId: r.id });
  const text = input.details?.trim() ?? '';
  if (row.needs && !row.optional && text === '') return err({ code: 'ill/needs-details', action, needs: row.needs });

  const nowIso = ctx.now.toISOString();
  const out: Change[] = [];
  const changes: IllRequestChanges = { updatedAt: nowIso };
  let note: string | null = text === '' ? null : text.slice(0, 1000);
  // action-specific details
  if (row.needs === 'date' && text !== '') {
    const date = parseDate(text);
    if (!date) return err({ code: 'ill/bad-date', text: text.split(/\s+/)[0] ?? text });
    note = text.replace(/^\S+\s*/, '') || null;
    if (action === 'ship' || action === 'approve' || action === 'recall') changes.dueDate = date;
  }
  if (action === 'ship' && !changes.dueDate) {
    const days = (r.supplier ? ctx.loanPeriodDays(r.supplier) : undefined) ?? 28;
    changes.dueDate = new Date(ctx.now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  }
  if (action === 'condition') changes.condition = note;
  if (action === 'approve' && row.from.includes('RENEW_PENDING')) changes.renewals = r.renewals + 1;
  if (action === 'renew' && r.renewals >= ctx.policy.maxRenewals) {
    return err({ code: 'ill/not-allowed-now', action: 'renew', state: r.state, maxRenewals: ctx.policy.maxRenewals });
  }
  let declineCode: string | undefined;
  if (action === 'decline') {
    const word = text.split(/\s+/)[0] ?? '';
    declineCode = DECLINE_REASONS.find((d) => d.words.test(word))?.code ?? 'NotAvailableForILL';
  }

  // the rota as these changes leave it
  const rota: RotaEntry[] = ctx.rota.map((e) => ({ ...e }));
  const setRotaStatus = (position: number, status: RotaStatus, reason?: RotaReason): void => {
    out.push({ type: 'set-rota-status', position, status, ...(reason ? { reason } : {}) });
    const e = rota.find((x) => x.position === position);
    if (e) {
      e.status = status;
      if (reason) e.reason = reason;
    }
  };
  const deadline = (): string =>
    (r.serviceLevel === 'rush' ? new Date(ctx.now.getTime() + ctx.policy.rushHours * 3600_000) : addBusinessDays(ctx.now, ctx.policy.responseDays)).toISOString();
  /** Send to the next pending lender in the rota, or end UNFILLED. */
  const nextLender = (): IllRequestChanges => {
    const next = rota.find((e) => e.status === 'pending');
    if (!next) return { state: 'UNFILLED', supplier: r.supplier, closedAt: nowIso, outcome: 'unfilled', responseDeadline: null };
    setRotaStatus(next.position, 'selected');
    return { state: 'SENT', supplier: next.library, supplierState: 'NEW', responseDeadline: deadline(), reminderSent: 0, condition: null, priorState: null, priorSupplierState: null };
  };
  /** Build the rota (once) and go to the first lender, or to LOCAL_REVIEW / UNFILLED. */
  const route = (skipLocal: boolean): IllRequestChanges => {
    if (rota.length === 0 && r.workId !== null) {
      const plan = ctx.planRota();
      const entries = [
        ...plan.chosen.map((c) => ({ library: c.library, status: 'pending' as const, reason: { kind: 'chosen' as const, code: c.reason, lent: c.lent, borrowed: c.borrowed, openQueue: c.openQueue } })),
        ...plan.skipped.map((s) => ({ library: s.library, status: 'skipped' as const, reason: { kind: 'skipped' as const, code: s.reason } })),
      ];
      out.push({ type: 'insert-rota', entries });
      entries.forEach((e, i) => rota.push({ position: i, ...e }));
      if (plan.localAvailable && !skipLocal) return { state: 'LOCAL_REVIEW' };
    }
    return nextLender();
  };

  // destination
  let to: RequesterState;
  let supplierTo: SupplierState | null | undefined = row.supplierTo === 'PRIOR' ? r.priorSupplierState : row.supplierTo;
  const rotaPos = r.supplier ? rota.find((e) => e.status === 'selected' && e.library === r.supplier)?.position : undefined;
  switch (row.to) {
    case 'SAME':
      to = r.state;
      supplierTo = undefined;
      break;
    case 'PRIOR':
      to = r.priorState ?? r.state;
      break;
    case 'ROUTE':
      Object.assign(changes, route(r.state === 'LOCAL_REVIEW'));
      to = changes.state as RequesterState;
      break;
    case 'NEXT_LENDER':
      if (rotaPos !== undefined) {
        setRotaStatus(rotaPos, action === 'timeout' ? 'timeout' : action === 'reject' ? 'cancelled' : 'declined', { kind: 'ended', code: declineCode ?? action });
      }
      if (declineCode === 'Duplicate') Object.assign(changes, { state: 'UNFILLED', closedAt: nowIso, outcome: 'unfilled' });
      else Object.assign(changes, nextLender());
      to = changes.state as RequesterState;
      break;
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
    changes.closedAt = changes.closedAt ?? nowIso;
    changes.outcome = action === 'close' ? (note ?? 'closed') : to.toLowerCase();
  }
  if (action === 'ship' && rotaPos !== undefined) setRotaStatus(rotaPos, 'supplied');
  if (to !== 'SENT') changes.responseDeadline = changes.responseDeadline ?? null;
  if (action === 'approve' && row.from.includes('RENEW_PENDING')) changes.dueReminderSent = 0;
  out.push({ type: 'update-request', version: r.version, changes });

  const actorRole = actor === 'system' ? 'system' : patron ? 'patron' : actor.role;
  const actorLibrary = actor === 'system' ? null : actor.library ?? null;
  // a move to another lender is logged as this action (→ SOURCING) and then the routing (SOURCING → SENT)
  out.push({
    type: 'append-event',
    event: {
      at: nowIso, actorRole, actorLibrary, action,
      fromState: r.state, toState: newLender && changes.supplier ? 'SOURCING' : to, supplier: r.supplier, supplierFrom: r.supplierState,
      supplierTo: newLender ? (r.supplier ? (supplierTo ?? 'UNFILLED') : null) : (changes.supplierState ?? r.supplierState),
      note: declineCode ? `${declineCode}${note ? `: ${note}` : ''}` : note,
    },
  });
  if (newLender && changes.supplier) {
    out.push({
      type: 'append-event',
      event: {
        at: nowIso, actorRole: 'system', actorLibrary: null, action: 'route', fromState: 'SOURCING', toState: to,
        supplier: changes.supplier, supplierFrom: null, supplierTo: 'NEW', note: null,
      },
    });
  }

  // who hears about it: both libraries' channels, the patron when it matters to them, and a lender whose turn ended
  const headline: Headline = {
    actor: actor === 'system' ? 'system' : patron ? 'patron' : { library: actorLibrary ?? '' },
    action,
    requestId: r.id,
    from: r.state,
    to,
    ...(to === 'UNFILLED' ? { unfilled: { workId: r.workId } } : note && action !== 'condition' ? { note } : {}),
  };
  const supplierAfter = 'supplier' in changes ? (changes.supplier ?? null) : r.supplier;
  const patronMatters = PATRON_MATTERS.includes(to) && to !== r.state && !patron;
  for (const notice of transitionNotices({ ...r, supplier: supplierAfter }, headline, patronMatters)) out.push({ type: 'notify', notice });
  if (r.supplier && supplierAfter !== r.supplier) {
    out.push({ type: 'notify', notice: { kind: 'transition', target: { type: 'library', library: r.supplier }, side: 'supplier', patron: false, showPatron: false, headline, endedLender: r.supplier } });
  }
  return ok(out);
}

/** After a move: the card to both libraries' channels, and the patron privately when it matters to them. */
export function transitionNotices(r: Pick<IllRequest, 'requester' | 'supplier' | 'patronPlatform' | 'patronUserId'>, headline: Headline, patronToo: boolean): TransitionNotice[] {
  const out: TransitionNotice[] = [{ kind: 'transition', target: { type: 'library', library: r.requester }, side: 'requester', patron: false, showPatron: true, headline }];
  if (r.supplier) out.push({ kind: 'transition', target: { type: 'library', library: r.supplier }, side: 'supplier', patron: false, showPatron: false, headline });
  if (patronToo && r.patronPlatform && r.patronUserId) {
    out.push({ kind: 'transition', target: { type: 'user', platform: r.patronPlatform, userId: r.patronUserId }, side: 'requester', patron: true, showPatron: false, headline });
  }
  return out;
}

/** YYYY-MM-DD at the start of the text, validated as a real date. */
export function parseDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}` ? undefined : d.toISOString().slice(0, 10);
}
