/**
 * A borrowing partner's requestingAgencyMessage → rows of Jala's state table, for a request the
 * partner placed with a member (the member is the supplier). Some actions need an answer at once,
 * not a librarian: a Cancel after shipping is refused, a Renew of a recalled item too, a
 * StatusRequest is answered with the status — those come back as `reply`.
 */
import type { RequesterState } from '../ill/ill-states.ts';
import type { RequestingAgencyMessage } from './iso18626-model.ts';
import { ENDED, ON_LOAN, POST_SHIP, already, error, ignored, type InboundPlan, type RequestSnapshot } from './inbound-plan.ts';
import { conditionAnswer, humanNote } from './loan-conditions.ts';
import { statusForSupplier } from './outgoing-messages.ts';
import type { OutgoingIntent } from './outgoing-intent.ts';
import type { VendorProfile } from '../config/partner-config.ts';

export interface RequesterMessageContext {
  request: RequestSnapshot;
  partnerName: string;
  vendor: VendorProfile;
}

const NOT_YET_CONTACTED: readonly RequesterState[] = ['NEW', 'DUPLICATE_REVIEW', 'LOCAL_REVIEW'];

export function planRequesterMessage(ram: RequestingAgencyMessage, ctx: RequesterMessageContext): InboundPlan {
  const r = ctx.request;
  const who = ctx.partnerName;
  const note = humanNote(ram.note);
  const status = (): ReturnType<typeof statusForSupplier> => statusForSupplier(r.supplierState, r.priorSupplierState, ctx.vendor);
  const answer = (reasonForMessage: 'CancelResponse' | 'RenewResponse' | 'StatusRequestResponse', yes?: 'Y' | 'N', text?: string): OutgoingIntent => ({
    kind: 'supplyingAgencyMessage',
    reasonForMessage,
    status: status(),
    ...(yes ? { answerYesNo: yes } : {}),
    ...(r.dueDate && reasonForMessage !== 'CancelResponse' && POST_SHIP.includes(r.state) ? { dueDate: r.dueDate } : {}),
    ...(text ? { note: text } : {}),
  });
  const doesNotFit = (what: string): InboundPlan => ignored('requester', `${who} sent ${what}, which does not fit the request's state (${r.state}); nothing changed${note ? ` (“${note}”)` : ''}`);

  switch (ram.action) {
    case 'StatusRequest':
      return already(`${who} asked for the status`, answer('StatusRequestResponse'));
    case 'Received':
      if (r.state === 'SHIPPED') return { outcome: 'apply', steps: [{ action: 'receive', side: 'requester', ...(note ? { details: note } : {}) }], summary: `${who} received the item` };
      if ([...ON_LOAN, 'RETURN_SHIPPED', ...ENDED].includes(r.state)) return already(`${who} sent Received again`);
      return doesNotFit('Received');
    case 'ShippedReturn':
      if (ON_LOAN.includes(r.state)) return { outcome: 'apply', steps: [{ action: 'return', side: 'requester', ...(note ? { details: note } : {}) }], summary: `${who} shipped the item back` };
      if (r.state === 'SHIPPED') {
        return {
          outcome: 'apply',
          steps: [{ action: 'receive', side: 'requester', implied: true, details: `${who}: ShippedReturn` }, { action: 'return', side: 'requester', ...(note ? { details: note } : {}) }],
          summary: `${who} shipped the item back`,
        };
      }
      if (r.state === 'RETURN_SHIPPED' || r.state === 'COMPLETED') return already(`${who} sent ShippedReturn again`);
      return doesNotFit('ShippedReturn');
    case 'Cancel':
      if (r.state === 'CONDITION_PENDING') {
        // ReShare rejects terms with a Cancel (CrossLink reads it so too): the terms are rejected, the request ends
        return {
          outcome: 'apply',
          steps: [{ action: 'reject', side: 'requester', details: note ?? `${who} rejected the conditions` }],
          reply: { kind: 'supplyingAgencyMessage', reasonForMessage: 'CancelResponse', status: 'Cancelled', answerYesNo: 'Y' },
          summary: `${who} rejected the conditions and cancelled`,
        };
      }
      if (r.state === 'SENT' || r.state === 'WILL_SUPPLY' || NOT_YET_CONTACTED.includes(r.state)) {
        return { outcome: 'apply', steps: [{ action: 'cancel', side: 'requester', ...(note ? { details: note } : {}) }], summary: `${who} asks to cancel` };
      }
      if (r.state === 'CANCEL_PENDING') return already(`${who} sent Cancel again`);
      if (r.state === 'CANCELLED' || r.state === 'UNFILLED' || r.state === 'CLOSED_MANUALLY') return already(`${who} sent Cancel again`, answer('CancelResponse', 'Y'));
      // already shipped: refused at once, as the standard's flows do (CancelResponse N with the loan's status)
      return already(`${who} asked to cancel, but the item has been shipped`, answer('CancelResponse', 'N', 'The item has already been shipped'));
    case 'Renew':
      if (r.state === 'RECEIVED' || r.state === 'OVERDUE') return { outcome: 'apply', steps: [{ action: 'renew', side: 'requester', ...(note ? { details: note } : {}) }], summary: `${who} asks to renew` };
      if (r.state === 'SHIPPED') {
        return {
          outcome: 'apply',
          steps: [{ action: 'receive', side: 'requester', implied: true, details: `${who}: Renew` }, { action: 'renew', side: 'requester', ...(note ? { details: note } : {}) }],
          summary: `${who} asks to renew`,
        };
      }
      if (r.state === 'RENEW_PENDING') return already(`${who} sent Renew again`);
      if (r.state === 'RECALLED') return already(`${who} asked to renew a recalled item`, answer('RenewResponse', 'N', 'The item has been recalled'));
      return doesNotFit('Renew');
    case 'Notification': {
      const verdict = conditionAnswer(ram.note);
      if (verdict !== undefined && r.state === 'CONDITION_PENDING') {
        if (verdict === 'agree') return { outcome: 'apply', steps: [{ action: 'approve', side: 'requester', ...(note ? { details: note } : {}) }], summary: `${who} accepted the conditions` };
        return {
          outcome: 'apply',
          steps: [{ action: 'reject', side: 'requester', details: note ?? `${who} rejected the conditions` }],
          reply: { kind: 'supplyingAgencyMessage', reasonForMessage: 'CancelResponse', status: 'Cancelled', answerYesNo: 'Y' },
          summary: `${who} rejected the conditions`,
        };
      }
      if (verdict !== undefined && r.conditionVia === null && r.state === 'WILL_SUPPLY') return already(`${who} accepted conditions again`);
      if (note === undefined) return already(`${who} sent an empty Notification`);
      return { outcome: 'apply', steps: [{ action: 'note', side: 'requester', details: note }], summary: note };
    }
    case 'Lost':
      if (['SHIPPED', ...ON_LOAN].includes(r.state)) {
        return {
          outcome: 'apply',
          steps: [{ action: 'lost', side: 'requester', ...(note ? { details: note } : {}) }],
          reply: { kind: 'supplyingAgencyMessage', reasonForMessage: 'StatusChange', status: 'CompletedWithoutReturn' },
          summary: `${who} reports the item lost`,
        };
      }
      if (r.state === 'COMPLETED_WITHOUT_RETURN') return already(`${who} sent Lost again`);
      return doesNotFit('Lost');
    case 'ShippedForward':
    case 'HoldReturn':
      return error('UnsupportedActionType', `action: ${ram.action} is not supported by this library`);
  }
}
