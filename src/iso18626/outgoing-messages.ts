/**
 * Jala's own steps → what the partner must hear. After the ILL service takes a row of the state
 * table on a request that involves a partner, `outgoingForStep` says which ISO 18626 message (if any)
 * goes out: requestingAgencyMessages when the partner lends (Jala borrows), supplyingAgencyMessages
 * when the partner borrows (a member lends). Steps that a partner's own message caused are answered
 * by the inbound plan's `reply`, not here, so nothing is ever echoed back.
 */
import { DECLINE_REASONS, type IllAction, type RequesterState, type Side, type SupplierState } from '../ill/ill-states.ts';
import type { IsoVersion, Status } from './iso18626-codes.ts';
import type { ReturnInfo } from './iso18626-model.ts';
import { ALMA_AWAITING, RESHARE_ADD_LOAN_CONDITION, RESHARE_AGREE, describeConditions, parseConditionText, type ConditionOffer } from './loan-conditions.ts';
import type { OutgoingIntent } from './outgoing-intent.ts';
import type { VendorProfile } from '../config/partner-config.ts';

/** A row of the state table as the ILL service took it. */
export interface AppliedStep {
  action: IllAction;
  side: Side;
  from: RequesterState;
  to: RequesterState;
  supplierFrom: SupplierState | null;
  supplierTo: SupplierState | null;
  /** the prior states saved for PRIOR rows (for a refused cancel's status) */
  priorSupplierState?: SupplierState | null;
  /** the details the actor gave (reason, note, terms) */
  details?: string;
  /** the due date after the step (YYYY-MM-DD) */
  dueDate?: string | null;
}

export interface PartnerSide {
  /** the partner's role in this request */
  role: 'supplier' | 'requester';
  vendor: VendorProfile;
  version: IsoVersion;
  /** the terms pending with this partner (Jala borrowing), to answer them the way they came */
  pendingCondition?: ConditionOffer | null;
  /** the lending member as return address (Jala lending) */
  returnInfo?: ReturnInfo;
  /** the requestingAgencyRequestId of the transaction (a Retry request names it as the previous one) */
  requestingAgencyRequestId: string;
}

const PRE_SHIP: readonly RequesterState[] = ['SENT', 'WILL_SUPPLY', 'CONDITION_PENDING', 'CANCEL_PENDING'];

/**
 * The ISO status that tells a borrowing partner where its request stands at a member: the member's
 * side of Jala's request, as ISO 18626 names it. Alma has no ExpectToSupply (CrossLink sends it WillSupply).
 */
export function statusForSupplier(supplierState: SupplierState | null, prior: SupplierState | null, vendor: VendorProfile): Status {
  switch (supplierState) {
    case null:
    case 'NEW':
      return vendor === 'alma' ? 'WillSupply' : 'ExpectToSupply';
    case 'WILL_SUPPLY':
      return 'WillSupply';
    case 'CONDITION_PENDING':
      return vendor === 'alma' ? 'WillSupply' : vendor === 'reshare' ? 'ExpectToSupply' : 'RetryPossible';
    case 'CANCEL_REQUESTED':
    case 'RENEW_REQUESTED':
      return prior && prior !== supplierState ? statusForSupplier(prior, null, vendor) : 'Loaned';
    case 'SHIPPED':
    case 'ON_LOAN':
    case 'RETURN_SHIPPED':
      return 'Loaned';
    case 'OVERDUE':
      return 'Overdue';
    case 'RECALLED':
      return 'Recalled';
    case 'COMPLETED':
      return 'LoanCompleted';
    case 'COMPLETED_WITHOUT_RETURN':
      return 'CompletedWithoutReturn';
    case 'UNFILLED':
      return 'Unfilled';
    case 'CANCELLED':
    case 'CLOSED_MANUALLY':
      return 'Cancelled';
  }
}

/** The reasonUnfilled code of a decline, from the words the librarian gave (the table's DECLINE_REASONS). */
export function declineCode(details: string | undefined): string {
  const word = (details ?? '').trim().split(/\s+/)[0] ?? '';
  return DECLINE_REASONS.find((d) => d.words.test(word))?.code ?? 'NotAvailableForILL';
}

/** The text after the first word (the words after a reason code, or after a date). */
function rest(details: string | undefined): string | undefined {
  const t = (details ?? '').trim().replace(/^\S+\s*/, '');
  return t === '' ? undefined : t;
}

/** The terms a member's librarian set, as this partner's system understands terms. */
export function conditionIntent(details: string | undefined, vendor: VendorProfile): OutgoingIntent {
  const text = (details ?? '').trim();
  const { codes, costs } = parseConditionText(text);
  const words = describeConditions({ codes: [], note: text || 'conditions' });
  switch (vendor) {
    case 'reshare':
      // ReShare takes terms from deliveryInfo/loanCondition (which needs a dateSent to validate) and its note marker
      return {
        kind: 'supplyingAgencyMessage',
        reasonForMessage: 'RequestResponse',
        status: 'ExpectToSupply',
        note: `${RESHARE_ADD_LOAN_CONDITION} ${words}`,
        ...(costs ? { offeredCosts: costs } : {}),
        delivery: { loanConditions: [{ value: codes[0] ?? 'other' }] },
      };
    case 'alma': {
      const head = [codes.length > 0 ? `Condition: ${codes.join(', ')}` : undefined, costs ? `Cost: ${costs.monetaryValue} ${costs.currencyCode.value}` : undefined]
        .filter(Boolean)
        .join(', ');
      return { kind: 'supplyingAgencyMessage', reasonForMessage: 'Notification', status: 'WillSupply', note: [head, words, ALMA_AWAITING].filter(Boolean).join(', '), ...(costs ? { offeredCosts: costs } : {}) };
    }
    case 'illiad':
    case 'generic':
      return {
        kind: 'supplyingAgencyMessage',
        reasonForMessage: 'RequestResponse',
        status: 'RetryPossible',
        reasonRetry: costs && codes.length === 0 ? 'CostExceedsMaxCost' : 'MustMeetLoanCondition',
        note: words,
        ...(costs ? { offeredCosts: costs } : {}),
      };
  }
}

/** What the partner hears after Jala took this step; undefined when nothing needs saying. */
export function outgoingForStep(step: AppliedStep, partner: PartnerSide): OutgoingIntent | undefined {
  return partner.role === 'supplier' ? toLender(step, partner) : toBorrower(step, partner);
}

/** Jala borrows from the partner: Jala's requester-side steps become requestingAgencyMessages. */
function toLender(step: AppliedStep, partner: PartnerSide): OutgoingIntent | undefined {
  const ram = (action: 'Received' | 'Cancel' | 'Renew' | 'ShippedReturn' | 'Notification' | 'Lost', note?: string): OutgoingIntent => ({
    kind: 'requestingAgencyMessage',
    action,
    ...(note !== undefined && note !== '' ? { note } : {}),
  });
  const text = step.details?.trim() || undefined;
  switch (step.action) {
    case 'receive':
      return ram('Received', text);
    case 'return':
      return ram('ShippedReturn', text);
    case 'renew':
      return ram('Renew', text);
    case 'note':
      return step.side === 'requester' && text ? ram('Notification', text) : undefined;
    case 'cancel':
      // a cancel before any lender was contacted concerns nobody outside
      return step.to === 'CANCEL_PENDING' ? ram('Cancel', text) : undefined;
    case 'timeout':
      return ram('Cancel', 'No answer in time; the request has moved to another lender');
    case 'lost':
      return partner.version === '2021' ? ram('Lost', text) : ram('Notification', `Lost${text ? `: ${text}` : ''}. Please close the loan and bill as agreed.`);
    case 'close':
      return PRE_SHIP.includes(step.from) ? ram('Cancel', text ?? 'Closed') : ram('Notification', `Closed by staff${text ? `: ${text}` : ''}`);
    case 'approve':
      if (step.from !== 'CONDITION_PENDING' || step.side !== 'requester') return undefined;
      return agreeToTerms(partner, text);
    case 'reject':
      if (step.from !== 'CONDITION_PENDING' || step.side !== 'requester') return undefined;
      return rejectTerms(partner, text);
    default:
      return undefined;
  }
}

function agreeToTerms(partner: PartnerSide, text: string | undefined): OutgoingIntent | undefined {
  const offer = partner.pendingCondition;
  if (offer?.via === 'retry') {
    // generic ISO: agree by asking again, saying what Jala now accepts
    return { kind: 'retryRequest', previousRequestId: partner.requestingAgencyRequestId, ...(offer.costs ? { maximumCosts: offer.costs } : {}), ...(text ? { note: text } : {}) };
  }
  switch (partner.vendor) {
    case 'reshare':
      return { kind: 'requestingAgencyMessage', action: 'Notification', note: `${RESHARE_AGREE}${text ? ` ${text}` : ''}` };
    case 'alma':
    case 'illiad':
    case 'generic':
      return { kind: 'requestingAgencyMessage', action: 'Notification', note: text ? `ACCEPT ${text}` : 'ACCEPT' };
  }
}

function rejectTerms(partner: PartnerSide, text: string | undefined): OutgoingIntent | undefined {
  // RetryPossible ended that lender's part as far as the standard goes, but a lender that still holds
  // the request for an answer (Jala does) reads a plain REJECT as the answer; others see a note
  if (partner.pendingCondition?.via === 'retry') return { kind: 'requestingAgencyMessage', action: 'Notification', note: 'REJECT' };
  if (partner.vendor === 'alma') return { kind: 'requestingAgencyMessage', action: 'Notification', note: 'REJECT' };
  return { kind: 'requestingAgencyMessage', action: 'Cancel', note: text ? `Conditions rejected: ${text}` : 'Conditions rejected' };
}

/** A member lends to the partner: Jala's supplier-side steps become supplyingAgencyMessages. */
function toBorrower(step: AppliedStep, partner: PartnerSide): OutgoingIntent | undefined {
  const v = partner.vendor;
  const text = step.details?.trim() || undefined;
  const sam = (reasonForMessage: Extract<OutgoingIntent, { kind: 'supplyingAgencyMessage' }>['reasonForMessage'], status: Status, extra: Partial<Extract<OutgoingIntent, { kind: 'supplyingAgencyMessage' }>> = {}): OutgoingIntent => ({
    kind: 'supplyingAgencyMessage',
    reasonForMessage,
    status,
    ...extra,
  });
  const due = step.dueDate ?? undefined;
  switch (step.action) {
    case 'accept':
      return sam('RequestResponse', 'WillSupply', text ? { note: text } : {});
    case 'condition':
      return conditionIntent(text, v);
    case 'decline': {
      const note = rest(text);
      return sam('RequestResponse', 'Unfilled', { reasonUnfilled: declineCode(text), ...(note ? { note } : {}) });
    }
    case 'timeout':
      return sam('RequestResponse', 'Unfilled', { reasonUnfilled: 'NotAvailableForILL', note: 'The lending library did not answer in time' });
    case 'ship': {
      const note = due && text?.startsWith(due) ? rest(text) : text;
      return sam('StatusChange', 'Loaned', {
        ...(due ? { dueDate: due } : {}),
        ...(note ? { note } : {}),
        delivery: {},
        ...(partner.returnInfo ? { returnInfo: partner.returnInfo } : {}),
      });
    }
    case 'approve':
      if (step.from === 'RENEW_PENDING') return sam('RenewResponse', statusForSupplier(step.supplierTo, null, v), { answerYesNo: 'Y', ...(due ? { dueDate: due } : {}) });
      if (step.from === 'CANCEL_PENDING') return sam('CancelResponse', 'Cancelled', { answerYesNo: 'Y' });
      return undefined;
    case 'reject':
      if (step.from === 'RENEW_PENDING') return sam('RenewResponse', statusForSupplier(step.supplierTo, null, v), { answerYesNo: 'N', ...(due ? { dueDate: due } : {}), ...(text ? { note: text } : {}) });
      if (step.from === 'CANCEL_PENDING') return sam('CancelResponse', statusForSupplier(step.supplierTo, null, v), { answerYesNo: 'N', ...(text ? { note: text } : {}) });
      return undefined;
    case 'recall':
      return sam('StatusChange', 'Recalled', { ...(due ? { dueDate: due } : {}), ...(text && !(due && text.startsWith(due)) ? { note: text } : {}) });
    case 'overdue':
      return sam('StatusChange', 'Overdue', due ? { dueDate: due } : {});
    case 'checkin':
      return sam(v === 'alma' ? 'RequestResponse' : 'StatusChange', 'LoanCompleted');
    case 'note':
      return step.side === 'supplier' && text ? sam('Notification', statusForSupplier(step.supplierTo, step.priorSupplierState ?? null, v), { note: text }) : undefined;
    case 'close':
      return PRE_SHIP.includes(step.from)
        ? sam('StatusChange', 'Cancelled', { note: `Closed by staff${text ? `: ${text}` : ''}` })
        : sam('Notification', statusForSupplier(step.supplierFrom, null, v), { note: `Closed by staff${text ? `: ${text}` : ''}` });
    default:
      return undefined;
  }
}

/**
 * The first answer to a partner's new request once it waits in a member's queue (the
 * requestConfirmation said only "received"): ExpectToSupply. Alma has no ExpectToSupply, and
 * WillSupply would promise too much, so Alma hears nothing until the librarian answers.
 */
export function acknowledgeRequest(vendor: VendorProfile): OutgoingIntent | undefined {
  return vendor === 'alma' ? undefined : { kind: 'supplyingAgencyMessage', reasonForMessage: 'RequestResponse', status: 'ExpectToSupply' };
}
