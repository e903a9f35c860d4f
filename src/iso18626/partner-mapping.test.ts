import { describe, expect, it } from 'vitest';
import type { RequestingAgencyMessage, SupplyingAgencyMessage } from './iso18626-model.ts';
import type { RequestSnapshot } from './inbound-plan.ts';
import { conditionIntent, outgoingForStep, type AppliedStep, type PartnerSide } from './outgoing-messages.ts';
import { planRequesterMessage } from './requester-message-plan.ts';
import { planSupplierMessage } from './supplier-message-plan.ts';
import { isRepeat, repeatKey } from './repeat-key.ts';
import { checkPartners, PartnerConfig, Iso18626Settings, addressAllowed } from '../config/partner-config.ts';
import { parseConditionText } from './loan-conditions.ts';
import { buildRequestMessage, classifyIncomingRequest, summariseRequest } from './partner-request.ts';
import type { RequestMessage } from './iso18626-model.ts';

const T = '2025-01-01T00:00:00.000Z';
const header = { supplyingAgencyId: { type: { value: 'ISIL' }, value: 'US-NJP' }, requestingAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' }, timestamp: T, requestingAgencyRequestId: 'JALA-R1' };

function sam(status: SupplyingAgencyMessage['statusInfo']['status'], extra: Partial<SupplyingAgencyMessage['messageInfo']> = {}, more: Partial<SupplyingAgencyMessage> = {}): SupplyingAgencyMessage {
  return { kind: 'supplyingAgencyMessage', header, messageInfo: { reasonForMessage: 'StatusChange', ...extra }, statusInfo: { ...(status ? { status } : {}), lastChange: T }, ...more };
}
function ram(action: RequestingAgencyMessage['action'], note?: string): RequestingAgencyMessage {
  return { kind: 'requestingAgencyMessage', header, action, ...(note ? { note } : {}) };
}
function snap(state: RequestSnapshot['state'], extra: Partial<RequestSnapshot> = {}): RequestSnapshot {
  return { state, supplierState: 'WILL_SUPPLY', priorState: null, priorSupplierState: null, dueDate: null, conditionVia: null, ...extra };
}
const lender = (state: RequestSnapshot['state'], extra: Partial<RequestSnapshot> = {}) => ({ request: snap(state, extra), partnerIsCurrentLender: true, partnerName: 'Princeton' });

describe('a lending partner’s messages as rows of the state table', () => {
  it('follows a whole loan: WillSupply, Loaned with its due date, LoanCompleted after the return', () => {
    expect(planSupplierMessage(sam('ExpectToSupply'), lender('SENT'))).toMatchObject({ outcome: 'apply', steps: [{ action: 'note', side: 'supplier' }] });
    expect(planSupplierMessage(sam('WillSupply'), lender('SENT'))).toMatchObject({ outcome: 'apply', steps: [{ action: 'accept', side: 'supplier' }] });
    const loaned = sam('Loaned', {}, { statusInfo: { status: 'Loaned', dueDate: '2025-02-28T23:59:59-05:00', lastChange: T } });
    expect(planSupplierMessage(loaned, lender('WILL_SUPPLY'))).toMatchObject({ steps: [{ action: 'ship', side: 'supplier', details: '2025-02-28' }] });
    expect(planSupplierMessage(sam('LoanCompleted'), lender('RETURN_SHIPPED'))).toMatchObject({ steps: [{ action: 'checkin', side: 'supplier' }] });
  });

  it('Unfilled with its reasonUnfilled declines, so the rota moves on (Duplicate ends it, by the table’s decline reasons)', () => {
    const p = planSupplierMessage(sam('Unfilled', { reasonForMessage: 'RequestResponse', reasonUnfilled: { value: 'Duplicate' } }), lender('SENT'));
    expect(p).toMatchObject({ outcome: 'apply', steps: [{ action: 'decline', side: 'supplier', details: 'Duplicate' }] });
    // an interim Unfilled forwarded as a Notification (CrossLink) only tells staff
    expect(planSupplierMessage(sam('Unfilled', { reasonForMessage: 'Notification', note: 'can’t find it' }), lender('SENT'))).toMatchObject({ steps: [{ action: 'note' }] });
  });

  it('terms become CONDITION_PENDING, however the vendor sends them', () => {
    const generic = planSupplierMessage(sam('RetryPossible', { reasonRetry: { value: 'CostExceedsMaxCost' }, offeredCosts: { currencyCode: { value: 'USD' }, monetaryValue: '15' } }), lender('SENT'));
    expect(generic).toMatchObject({ steps: [{ action: 'condition', side: 'supplier', details: 'cost 15 USD' }], condition: { via: 'retry' } });
    const reshare = planSupplierMessage(
      sam('ExpectToSupply', { reasonForMessage: 'RequestResponse', note: '#ReShareAddLoanCondition# Library use only #seq:2#' }, { deliveryInfo: { loanConditions: [{ value: 'LibraryUseOnly' }] } }),
      lender('SENT'),
    );
    expect(reshare).toMatchObject({ steps: [{ action: 'condition', details: 'LibraryUseOnly; Library use only' }], condition: { via: 'note' } });
    const alma = planSupplierMessage(sam('WillSupply', { reasonForMessage: 'Notification', note: 'Condition: NoReproduction, Conditions pending approval, please respond `ACCEPT` or `REJECT`' }), lender('WILL_SUPPLY'));
    expect(alma).toMatchObject({ steps: [{ action: 'condition' }], condition: { via: 'note' } });
    // OnLoan is no term Jala can accept: this lender cannot supply now, the rota moves on
    expect(planSupplierMessage(sam('RetryPossible', { reasonRetry: { value: 'OnLoan' }, retryAfter: '2025-03-01T00:00:00.000Z' }), lender('SENT'))).toMatchObject({
      steps: [{ action: 'decline', details: 'not-available RetryPossible/OnLoan, retry after 2025-03-01' }],
    });
  });

  it('a shipment while terms are pending means the lender assumed them agreed', () => {
    expect(planSupplierMessage(sam('Loaned'), lender('CONDITION_PENDING'))).toMatchObject({ steps: [{ action: 'approve', side: 'requester', implied: true }, { action: 'ship', side: 'supplier' }] });
  });

  it('cancel, renew and recall answers take the matching rows; a refused cancel of a shipped item ships', () => {
    expect(planSupplierMessage(sam('Cancelled', { reasonForMessage: 'CancelResponse', answerYesNo: 'Y' }), lender('CANCEL_PENDING'))).toMatchObject({ steps: [{ action: 'approve', side: 'supplier' }] });
    expect(planSupplierMessage(sam('WillSupply', { reasonForMessage: 'CancelResponse', answerYesNo: 'N' }), lender('CANCEL_PENDING'))).toMatchObject({ steps: [{ action: 'reject', side: 'supplier' }] });
    expect(planSupplierMessage(sam('Loaned', { reasonForMessage: 'CancelResponse', answerYesNo: 'N' }), lender('CANCEL_PENDING'))).toMatchObject({ steps: [{ action: 'ship' }] });
    const renewed = sam('Loaned', { reasonForMessage: 'RenewResponse', answerYesNo: 'Y' }, { statusInfo: { status: 'Loaned', dueDate: '2025-04-01T12:00:00Z', lastChange: T } });
    expect(planSupplierMessage(renewed, lender('RENEW_PENDING'))).toMatchObject({ steps: [{ action: 'approve', side: 'supplier', details: '2025-04-01' }] });
    expect(planSupplierMessage(sam('Loaned', { reasonForMessage: 'RenewResponse', answerYesNo: 'N' }), lender('RENEW_PENDING'))).toMatchObject({ steps: [{ action: 'reject', side: 'supplier' }] });
    expect(planSupplierMessage(sam('Recalled'), lender('RECEIVED'))).toMatchObject({ steps: [{ action: 'recall', side: 'supplier' }] });
    expect(planSupplierMessage(sam('Overdue'), lender('RECEIVED'))).toMatchObject({ steps: [{ action: 'overdue', side: 'system' }] });
  });

  it('a repeat is recognised: by its key while nothing moved, and by the state later', () => {
    const m = sam('Loaned');
    expect(repeatKey(m)).toBe(repeatKey(sam('Loaned')));
    expect(repeatKey(m)).not.toBe(repeatKey(sam('Overdue')));
    expect(isRepeat({ key: repeatKey(m), versionAfter: 5 }, repeatKey(m), 5)).toBe(true);
    expect(isRepeat({ key: repeatKey(m), versionAfter: 5 }, repeatKey(m), 6)).toBe(false);
    expect(planSupplierMessage(m, lender('RECEIVED'))).toMatchObject({ outcome: 'already', steps: [] });
  });

  it('a message that does not fit, or from a lender whose turn is over, changes nothing but tells staff', () => {
    expect(planSupplierMessage(sam('Overdue'), lender('SENT'))).toMatchObject({ outcome: 'ignored', steps: [{ action: 'note' }] });
    expect(planSupplierMessage(sam('Loaned'), { ...lender('SENT'), partnerIsCurrentLender: false })).toMatchObject({ outcome: 'ignored', steps: [{ action: 'note' }] });
  });
});

describe('a borrowing partner’s messages as rows of the state table', () => {
  const borrower = (state: RequestSnapshot['state'], extra: Partial<RequestSnapshot> = {}, vendor: PartnerSide['vendor'] = 'generic') => ({ request: snap(state, extra), partnerName: 'Princeton', vendor });

  it('Received, Renew and ShippedReturn take the requester rows', () => {
    expect(planRequesterMessage(ram('Received'), borrower('SHIPPED'))).toMatchObject({ steps: [{ action: 'receive', side: 'requester' }] });
    expect(planRequesterMessage(ram('Renew'), borrower('RECEIVED'))).toMatchObject({ steps: [{ action: 'renew', side: 'requester' }] });
    expect(planRequesterMessage(ram('ShippedReturn'), borrower('OVERDUE'))).toMatchObject({ steps: [{ action: 'return', side: 'requester' }] });
  });

  it('a Cancel before shipping waits for the librarian; after shipping it is refused at once with the loan’s status', () => {
    expect(planRequesterMessage(ram('Cancel'), borrower('WILL_SUPPLY'))).toMatchObject({ outcome: 'apply', steps: [{ action: 'cancel' }] });
    expect(planRequesterMessage(ram('Cancel'), borrower('RECEIVED', { supplierState: 'ON_LOAN' }))).toMatchObject({
      outcome: 'already',
      reply: { reasonForMessage: 'CancelResponse', answerYesNo: 'N', status: 'Loaned' },
    });
  });

  it('accepting or rejecting terms: ReShare’s markers, Alma’s ACCEPT/REJECT, a Cancel', () => {
    expect(planRequesterMessage(ram('Notification', '#ReShareLoanConditionAgreeResponse# fine'), borrower('CONDITION_PENDING', {}, 'reshare'))).toMatchObject({ steps: [{ action: 'approve', side: 'requester' }] });
    expect(planRequesterMessage(ram('Notification', 'ACCEPT'), borrower('CONDITION_PENDING', {}, 'alma'))).toMatchObject({ steps: [{ action: 'approve', side: 'requester' }] });
    expect(planRequesterMessage(ram('Notification', 'REJECT'), borrower('CONDITION_PENDING', {}, 'alma'))).toMatchObject({ steps: [{ action: 'reject', side: 'requester' }], reply: { reasonForMessage: 'CancelResponse', status: 'Cancelled' } });
    expect(planRequesterMessage(ram('Cancel'), borrower('CONDITION_PENDING', {}, 'reshare'))).toMatchObject({ steps: [{ action: 'reject', side: 'requester' }] });
  });

  it('StatusRequest is answered with the status; ShippedForward is not supported', () => {
    expect(planRequesterMessage(ram('StatusRequest'), borrower('RECEIVED', { supplierState: 'OVERDUE', dueDate: '2025-02-01' }))).toMatchObject({
      reply: { reasonForMessage: 'StatusRequestResponse', status: 'Overdue', dueDate: '2025-02-01' },
    });
    expect(planRequesterMessage(ram('ShippedForward'), borrower('RECEIVED'))).toMatchObject({ outcome: 'error', errorType: 'UnsupportedActionType' });
  });
});

describe('Jala’s steps as the partner’s messages', () => {
  const side = (role: PartnerSide['role'], vendor: PartnerSide['vendor'], extra: Partial<PartnerSide> = {}): PartnerSide => ({ role, vendor, version: '1.2', requestingAgencyRequestId: 'JALA-R1', ...extra });
  const step = (action: AppliedStep['action'], s: AppliedStep['side'], from: AppliedStep['from'], extra: Partial<AppliedStep> = {}): AppliedStep => ({
    action, side: s, from, to: from, supplierFrom: 'WILL_SUPPLY', supplierTo: 'WILL_SUPPLY', ...extra,
  });

  it('the librarian’s and patron’s steps become Received, ShippedReturn, Cancel, Renew, Notification', () => {
    expect(outgoingForStep(step('receive', 'requester', 'SHIPPED'), side('supplier', 'generic'))).toEqual({ kind: 'requestingAgencyMessage', action: 'Received' });
    expect(outgoingForStep(step('return', 'requester', 'RECEIVED'), side('supplier', 'generic'))).toMatchObject({ action: 'ShippedReturn' });
    expect(outgoingForStep(step('cancel', 'requester', 'SENT', { to: 'CANCEL_PENDING' }), side('supplier', 'generic'))).toMatchObject({ action: 'Cancel' });
    expect(outgoingForStep(step('renew', 'requester', 'RECEIVED'), side('supplier', 'generic'))).toMatchObject({ action: 'Renew' });
    expect(outgoingForStep(step('note', 'requester', 'RECEIVED', { details: 'terima kasih' }), side('supplier', 'generic'))).toMatchObject({ action: 'Notification', note: 'terima kasih' });
    expect(outgoingForStep(step('lost', 'requester', 'RECEIVED'), side('supplier', 'generic', { version: '2021' }))).toMatchObject({ action: 'Lost' });
    expect(outgoingForStep(step('lost', 'requester', 'RECEIVED'), side('supplier', 'generic'))).toMatchObject({ action: 'Notification' });
  });

  it('accepting terms answers the way they came: a Retry request with the offered costs, ReShare’s marker, Alma’s ACCEPT', () => {
    const retry = side('supplier', 'generic', { pendingCondition: { via: 'retry', codes: [], costs: { currencyCode: { value: 'USD' }, monetaryValue: '15' } } });
    expect(outgoingForStep(step('approve', 'requester', 'CONDITION_PENDING'), retry)).toEqual({ kind: 'retryRequest', previousRequestId: 'JALA-R1', maximumCosts: { currencyCode: { value: 'USD' }, monetaryValue: '15' } });
    expect(outgoingForStep(step('reject', 'requester', 'CONDITION_PENDING'), retry)).toEqual({ kind: 'requestingAgencyMessage', action: 'Notification', note: 'REJECT' });
    expect(outgoingForStep(step('approve', 'requester', 'CONDITION_PENDING'), side('supplier', 'reshare', { pendingCondition: { via: 'note', codes: [] } }))).toMatchObject({ action: 'Notification', note: '#ReShareLoanConditionAgreeResponse#' });
    expect(outgoingForStep(step('approve', 'requester', 'CONDITION_PENDING'), side('supplier', 'alma', { pendingCondition: { via: 'note', codes: [] } }))).toMatchObject({ action: 'Notification', note: 'ACCEPT' });
  });

  it('a member’s answers to a borrowing partner carry the right reasonForMessage, status and codes', () => {
    expect(outgoingForStep(step('decline', 'supplier', 'SENT', { details: 'not-on-shelf missing since May' }), side('requester', 'generic'))).toMatchObject({
      reasonForMessage: 'RequestResponse', status: 'Unfilled', reasonUnfilled: 'NotOnShelf', note: 'missing since May',
    });
    expect(outgoingForStep(step('ship', 'supplier', 'WILL_SUPPLY', { dueDate: '2025-03-01', details: '2025-03-01' }), side('requester', 'generic'))).toMatchObject({ reasonForMessage: 'StatusChange', status: 'Loaned', dueDate: '2025-03-01' });
    expect(outgoingForStep(step('approve', 'supplier', 'RENEW_PENDING', { supplierTo: 'ON_LOAN', dueDate: '2025-04-01' }), side('requester', 'generic'))).toMatchObject({ reasonForMessage: 'RenewResponse', answerYesNo: 'Y', status: 'Loaned', dueDate: '2025-04-01' });
    expect(outgoingForStep(step('reject', 'supplier', 'CANCEL_PENDING', { supplierTo: 'WILL_SUPPLY' }), side('requester', 'generic'))).toMatchObject({ reasonForMessage: 'CancelResponse', answerYesNo: 'N', status: 'WillSupply' });
    expect(outgoingForStep(step('checkin', 'supplier', 'RETURN_SHIPPED'), side('requester', 'generic'))).toMatchObject({ status: 'LoanCompleted' });
    expect(conditionIntent('library use only, cost 50.000 IDR', 'generic')).toMatchObject({ status: 'RetryPossible', reasonRetry: 'MustMeetLoanCondition', offeredCosts: { monetaryValue: '50000', currencyCode: { value: 'IDR' } } });
    expect(conditionIntent('USD 12.50', 'illiad')).toMatchObject({ reasonRetry: 'CostExceedsMaxCost', offeredCosts: { monetaryValue: '12.50' } });
    expect(conditionIntent('library use only', 'reshare')).toMatchObject({ status: 'ExpectToSupply', note: '#ReShareAddLoanCondition# library use only', delivery: { loanConditions: [{ value: 'LibraryUseOnly' }] } });
    expect(conditionIntent('no copying', 'alma')).toMatchObject({ reasonForMessage: 'Notification', status: 'WillSupply' });
    expect(parseConditionText('signature required, Rp 25.000')).toEqual({ codes: ['SignatureRequired'], costs: { currencyCode: { value: 'IDR' }, monetaryValue: '25000' } });
  });
});

describe('partner configuration', () => {
  const base = { code: 'PRINCETON', name: 'Princeton', agencyId: { type: 'ISIL', value: 'US-NjP' }, endpoint: 'https://rs.example.edu/rs/externalApi/iso18626' };

  it('takes the defaults a librarian expects: 2017 v1.2, lends and borrows, 28 days, generic, after the members', () => {
    const p = PartnerConfig.parse({ ...base, auth: { sharedSecret: 'correct horse battery' } });
    expect(p).toMatchObject({ isoVersion: '2017', lends: true, borrows: true, loanPeriodDays: 28, vendor: 'generic', rotaPosition: 'after-members', timeoutSeconds: 30 });
  });

  it('refuses a partner without any authentication, a bad CIDR, and a lending 2021 partner without an IP list', () => {
    expect(PartnerConfig.safeParse({ ...base, auth: {} }).success).toBe(false);
    expect(PartnerConfig.safeParse({ ...base, auth: { ipAllow: ['10.0.0.0/33'] } }).success).toBe(false);
    const p2021 = PartnerConfig.safeParse({ ...base, isoVersion: '2021', auth: { sharedSecret: 'correct horse battery' } });
    expect(p2021.success).toBe(false);
    expect(JSON.stringify(p2021.error)).toContain('ipAllow');
    expect(PartnerConfig.safeParse({ ...base, isoVersion: '2021', lends: false, auth: { sharedSecret: 'correct horse battery' } }).success).toBe(true);
  });

  it('cross-checks codes and agency ids against the members', () => {
    const settings = Iso18626Settings.parse({ partners: [{ ...base, code: 'UGM', auth: { ipAllow: ['127.0.0.1'] } }, { ...base, auth: { ipAllow: ['127.0.0.1'] } }] });
    const problems = checkPartners(settings, [{ code: 'UGM', agencyId: { type: 'ISIL', value: 'ID-UGM' } }]);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('code of a member'), expect.stringContaining('has the agency id ISIL:US-NjP of partner UGM')]));
  });

  it('allows addresses by IP and CIDR, IPv4-mapped IPv6 included', () => {
    expect(addressAllowed(['203.0.113.0/24'], '::ffff:203.0.113.77')).toBe(true);
    expect(addressAllowed(['203.0.113.0/24'], '203.0.114.1')).toBe(false);
    expect(addressAllowed(['2001:db8::/32'], '2001:db8::1')).toBe(true);
    expect(addressAllowed([], undefined)).toBe(true);
  });
});

describe('requests between Jala and a partner', () => {
  const ex = { version: '1.2' as const, requestingAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' }, supplyingAgencyId: { type: { value: 'ISIL' }, value: 'US-NJP' }, requestingAgencyRequestId: 'JALA-R9' };

  it('what Jala sends carries the item and the need, and no patron data', () => {
    const r = buildRequestMessage({ title: 'Bumi Manusia', author: 'Pramoedya Ananta Toer', isbns: ['9789799731234'], workLabel: 'w42', needBy: '2025-05-01', rush: true, patronRequest: true, requesterName: 'Perpustakaan UGM' }, ex, new Date(T));
    expect(r.patronInfo).toBeUndefined();
    expect(r.serviceInfo).toMatchObject({ requestType: 'New', requestSubTypes: ['PatronRequest'], serviceType: 'Loan', serviceLevel: { value: 'Rush' }, needBeforeDate: '2025-05-01T23:59:59.000Z' });
    const retry = buildRequestMessage({ title: 'Bumi Manusia' }, { ...ex, requestingAgencyRequestId: 'JALA-R9-2' }, new Date(T), { kind: 'retryRequest', previousRequestId: 'JALA-R9', maximumCosts: { currencyCode: { value: 'USD' }, monetaryValue: '15' } });
    expect(retry).toMatchObject({ serviceInfo: { requestType: 'Retry', requestingAgencyPreviousRequestId: 'JALA-R9' }, billingInfo: { maximumCosts: { monetaryValue: '15' } } });
  });

  it('what a partner asks for: a new request, a repeat, terms accepted by a Retry, a copy Jala cannot make', () => {
    const req = (extra: Partial<NonNullable<RequestMessage['serviceInfo']>> = {}): RequestMessage => ({
      kind: 'request', header: { ...header, requestingAgencyRequestId: 'PR-2' }, bibliographicInfo: { title: 'T', itemIds: [{ identifier: '978', code: { value: 'isbn' } }] }, serviceInfo: { serviceType: 'Loan', ...extra },
    });
    expect(summariseRequest(req({ serviceLevel: { value: 'Express' } }))).toMatchObject({ title: 'T', isbns: ['978'], rush: true });
    expect(classifyIncomingRequest(req(), { thisId: false, termsPending: false })).toEqual({ kind: 'new' });
    expect(classifyIncomingRequest(req(), { thisId: true, termsPending: false })).toEqual({ kind: 'repeat' });
    expect(classifyIncomingRequest(req({ requestType: 'Retry', requestingAgencyPreviousRequestId: 'PR-1' }), { thisId: false, termsPending: true })).toEqual({ kind: 'accepts-terms', previousRequestId: 'PR-1' });
    expect(classifyIncomingRequest(req({ serviceType: 'Copy' }), { thisId: false, termsPending: false })).toMatchObject({ kind: 'copy-only', reply: { status: 'RetryPossible', reasonRetry: 'ReqServTypeNotPossible' } });
  });
});
