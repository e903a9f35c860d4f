/**
 * A lending partner's supplyingAgencyMessage → rows of Jala's state table, for a request Jala placed
 * with that partner (Jala is the requester). The message is first read as one lender event
 * (SUPPLIER_EVENT_OF), then the event's rule says, per requester state, which rows it takes, and in
 * which states the request already shows it. Everything else is "ignored": confirmed OK, nothing
 * changes, and a note in the request's thread tells staff what the partner said.
 */
import type { RequesterState } from '../ill/ill-states.ts';
import type { Status } from './iso18626-codes.ts';
import { calendarDate } from './iso18626-datetime.ts';
import type { SupplyingAgencyMessage } from './iso18626-model.ts';
import { ENDED, POST_SHIP, PRE_SHIP, already, error, ignored, type InboundPlan, type PlannedStep, type RequestSnapshot } from './inbound-plan.ts';
import { conditionOffered, conditionsAssumedAgreed, describeConditions, humanNote, type ConditionOffer } from './loan-conditions.ts';

/** What a lender's message says happened, whatever the vendor's way of saying it. */
export type LenderEvent =
  | 'note' | 'expect' | 'will-supply' | 'condition' | 'shipped' | 'unfilled' | 'retry' | 'cancel-yes' | 'cancel-no'
  | 'renew-yes' | 'renew-no' | 'overdue' | 'recalled' | 'completed' | 'completed-without-return' | 'copy-completed' | 'hold-return';

/** Per event: the rows to take in each state, and the states in which the request already shows it. */
interface EventRule {
  apply: ReadonlyArray<{ in: readonly RequesterState[]; steps: readonly Omit<PlannedStep, 'details'>[] }>;
  already: readonly RequesterState[];
}

/** The mapping as data: lender event × requester state → rows of src/ill/ill-states.ts. */
export const LENDER_EVENT_RULES: Readonly<Record<Exclude<LenderEvent, 'note' | 'expect' | 'copy-completed' | 'hold-return'>, EventRule>> = {
  'will-supply': { apply: [{ in: ['SENT'], steps: [{ action: 'accept', side: 'supplier' }] }], already: ['WILL_SUPPLY', ...POST_SHIP, ...ENDED] },
  condition: { apply: [{ in: ['SENT', 'WILL_SUPPLY'], steps: [{ action: 'condition', side: 'supplier' }] }], already: ['CONDITION_PENDING'] },
  shipped: {
    apply: [
      { in: ['SENT', 'WILL_SUPPLY', 'CANCEL_PENDING'], steps: [{ action: 'ship', side: 'supplier' }] },
      // a lender that assumes its conditions agreed ships without waiting (ReShare's setting): the
      // requester's acceptance is implied by the shipment
      { in: ['CONDITION_PENDING'], steps: [{ action: 'approve', side: 'requester', implied: true }, { action: 'ship', side: 'supplier' }] },
    ],
    already: [...POST_SHIP, 'COMPLETED', 'COMPLETED_WITHOUT_RETURN'],
  },
  unfilled: {
    apply: [
      { in: PRE_SHIP, steps: [{ action: 'decline', side: 'supplier' }] },
      // the lender cannot supply while a cancel is pending: the cancel is as good as agreed
      { in: ['CANCEL_PENDING'], steps: [{ action: 'approve', side: 'supplier' }] },
    ],
    already: ['UNFILLED', 'CANCELLED'],
  },
  retry: {
    apply: [
      { in: PRE_SHIP, steps: [{ action: 'decline', side: 'supplier' }] },
      { in: ['CANCEL_PENDING'], steps: [{ action: 'approve', side: 'supplier' }] },
    ],
    already: ['UNFILLED', 'CANCELLED'],
  },
  'cancel-yes': {
    apply: [
      { in: ['CANCEL_PENDING'], steps: [{ action: 'approve', side: 'supplier' }] },
      // a lender cancelling on its own before shipping: this lender's turn ends
      { in: PRE_SHIP, steps: [{ action: 'decline', side: 'supplier' }] },
    ],
    already: ['CANCELLED', 'UNFILLED', 'CLOSED_MANUALLY'],
  },
  'cancel-no': { apply: [{ in: ['CANCEL_PENDING'], steps: [{ action: 'reject', side: 'supplier' }] }], already: [...PRE_SHIP, ...POST_SHIP] },
  'renew-yes': { apply: [{ in: ['RENEW_PENDING'], steps: [{ action: 'approve', side: 'supplier' }] }], already: ['RECEIVED'] },
  'renew-no': { apply: [{ in: ['RENEW_PENDING'], steps: [{ action: 'reject', side: 'supplier' }] }], already: ['RECEIVED', 'OVERDUE', 'RECALLED'] },
  overdue: { apply: [{ in: ['RECEIVED'], steps: [{ action: 'overdue', side: 'system' }] }], already: ['OVERDUE', 'RECALLED', 'RETURN_SHIPPED', 'COMPLETED'] },
  recalled: { apply: [{ in: ['SHIPPED', 'RECEIVED', 'OVERDUE', 'RENEW_PENDING'], steps: [{ action: 'recall', side: 'supplier' }] }], already: ['RECALLED', 'RETURN_SHIPPED', 'COMPLETED'] },
  completed: {
    apply: [
      { in: ['RETURN_SHIPPED'], steps: [{ action: 'checkin', side: 'supplier' }] },
      // the lender has the item back although nobody marked it shipped back here
      { in: ['RECEIVED', 'OVERDUE', 'RECALLED', 'RENEW_PENDING'], steps: [{ action: 'return', side: 'requester', implied: true }, { action: 'checkin', side: 'supplier' }] },
    ],
    already: ['COMPLETED'],
  },
  'completed-without-return': {
    apply: [{ in: ['SHIPPED', 'RECEIVED', 'OVERDUE', 'RECALLED', 'RENEW_PENDING'], steps: [{ action: 'lost', side: 'requester', implied: true }] }],
    already: ['COMPLETED_WITHOUT_RETURN'],
  },
};

/** Reads the message as one lender event (and the terms, when it offers some). */
export function lenderEvent(sam: SupplyingAgencyMessage): { event: LenderEvent; offer?: ConditionOffer } {
  const reason = sam.messageInfo.reasonForMessage;
  const status: Status | undefined = sam.statusInfo.status;
  const answer = sam.messageInfo.answerYesNo;
  // terms first: whatever the reason, a message offering terms asks the requester to decide
  const offer = conditionOffered(sam);
  if (offer && reason !== 'CancelResponse' && reason !== 'RenewResponse') return { event: 'condition', offer };
  if (reason === 'Notification') return { event: 'note' };
  if (reason === 'CancelResponse') {
    if (status === 'Loaned') return { event: 'shipped' };
    if (answer === 'Y' || status === 'Cancelled') return { event: 'cancel-yes' };
    if (answer === 'N') return { event: 'cancel-no' };
  }
  if (reason === 'RenewResponse') {
    if (answer === 'Y') return { event: 'renew-yes' };
    if (answer === 'N') return { event: 'renew-no' };
    if (status === 'Recalled') return { event: 'recalled' };
  }
  switch (status) {
    case undefined:
    case 'RequestReceived':
      return { event: 'note' };
    case 'ExpectToSupply':
      return { event: 'expect' };
    case 'WillSupply':
      return { event: 'will-supply' };
    case 'Loaned':
      return { event: 'shipped' };
    case 'Overdue':
      return { event: 'overdue' };
    case 'Recalled':
      return { event: 'recalled' };
    case 'RetryPossible':
      return { event: 'retry' };
    case 'Unfilled':
      return { event: 'unfilled' };
    case 'CopyCompleted':
      return { event: 'copy-completed' };
    case 'LoanCompleted':
      return { event: 'completed' };
    case 'CompletedWithoutReturn':
      return { event: 'completed-without-return' };
    case 'Cancelled':
      return { event: 'cancel-yes' };
    case 'HoldReturn':
    case 'ReleaseHoldReturn':
      return { event: 'hold-return' };
  }
}

export interface SupplierMessageContext {
  request: RequestSnapshot;
  /** is this partner the request's current lender? A late message from an earlier lender changes nothing */
  partnerIsCurrentLender: boolean;
  partnerName: string;
}

/** The plan for a lending partner's message about a request Jala placed with it. */
export function planSupplierMessage(sam: SupplyingAgencyMessage, ctx: SupplierMessageContext): InboundPlan {
  const { event, offer } = lenderEvent(sam);
  const r = ctx.request;
  const who = ctx.partnerName;
  const note = humanNote(sam.messageInfo.note);
  const said = describe(sam);
  if (!ctx.partnerIsCurrentLender) {
    return ignored('supplier', `${who} sent ${said}, but its turn on this request has ended; nothing changed${note ? ` (“${note}”)` : ''}`);
  }
  if (event === 'note' || event === 'expect' || event === 'hold-return') {
    const text = event === 'expect' ? `${who} expects to supply${note ? `: ${note}` : ''}` : event === 'hold-return' ? `${who}: ${said}${note ? `: ${note}` : ''}` : note ?? `${who}: ${said}`;
    const assumed = conditionsAssumedAgreed(sam.messageInfo.note) ? ` ${who} will ship without waiting for an answer to its conditions.` : '';
    return { outcome: 'apply', steps: [{ action: 'note', side: 'supplier', details: `${text}${assumed}`.trim() }], summary: text };
  }
  if (event === 'copy-completed') return ignored('supplier', `${who} reports a copy delivered (CopyCompleted), but this is a loan; close the request by hand if it is done`);
  const rule = LENDER_EVENT_RULES[event];
  const hit = rule.apply.find((a) => a.in.includes(r.state));
  if (!hit) {
    if (rule.already.includes(r.state)) return already(`${who} sent ${said} again; the request already shows it`);
    return ignored('supplier', `${who} sent ${said}, which does not fit the request's state (${r.state}); nothing changed${note ? ` (“${note}”)` : ''}`);
  }
  const details = detailsFor(event, sam, offer, note);
  // implied steps say where they came from; the last (main) step carries what its row needs
  const steps: PlannedStep[] = hit.steps.map((s, i) => {
    if (s.implied) return { ...s, details: `${who}: ${said}` };
    // a decline needs a reason: a lender ending its turn without one is "not available"
    const main = details ?? (s.action === 'decline' ? 'not-available' : undefined);
    return i === hit.steps.length - 1 && main !== undefined ? { ...s, details: main } : { ...s };
  });
  return { outcome: 'apply', steps, ...(offer ? { condition: offer } : {}), summary: `${who}: ${said}` };
}

/** What the row needs from the message: a due date first for ship/renew/recall, the reason for a decline, the terms for a condition. */
function detailsFor(event: LenderEvent, sam: SupplyingAgencyMessage, offer: ConditionOffer | undefined, note: string | undefined): string | undefined {
  const due = calendarDate(sam.statusInfo.dueDate);
  const withNote = (head: string | undefined): string | undefined => [head, note].filter((x) => x !== undefined && x !== '').join(' ') || undefined;
  switch (event) {
    case 'shipped':
    case 'renew-yes':
    case 'recalled':
      // these rows read a date first: without one the lender's words stay in the summary, not the row
      return due === undefined ? undefined : withNote(due);
    case 'condition':
      return offer ? describeConditions(offer) : note;
    case 'unfilled': {
      const code = sam.messageInfo.reasonUnfilled?.value ?? 'NotAvailableForILL';
      return withNote(code);
    }
    case 'retry': {
      const code = sam.messageInfo.reasonRetry?.value ?? 'unspecified';
      const after = calendarDate(sam.messageInfo.retryAfter);
      return withNote(`not-available RetryPossible/${code}${after ? `, retry after ${after}` : ''}`);
    }
    case 'cancel-yes':
      return withNote(sam.statusInfo.status === 'Cancelled' && sam.messageInfo.reasonForMessage !== 'CancelResponse' ? 'not-available cancelled by the lender' : undefined);
    case 'cancel-no':
    case 'renew-no':
      return note;
    default:
      return note;
  }
}

/** The message in a few words: "Loaned (StatusChange)". */
function describe(sam: SupplyingAgencyMessage): string {
  const parts = [sam.statusInfo.status ?? 'no status', `(${sam.messageInfo.reasonForMessage}${sam.messageInfo.answerYesNo ? ` ${sam.messageInfo.answerYesNo}` : ''})`];
  return parts.join(' ');
}

/** A lender's message about a request Jala does not know (wrong id, or not this partner's): the confirmation's error. */
export function unknownRequest(id: string): InboundPlan {
  return error('UnrecognisedDataValue', `requestingAgencyRequestId: request with a given ID not found (${id.slice(0, 100)})`);
}
