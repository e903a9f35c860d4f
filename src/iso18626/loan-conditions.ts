/**
 * Loan conditions and costs, as they travel in practice. ISO 18626 v1.2 has no pre-shipment place
 * for them, so vendors improvise, and Jala reads every way and writes each partner's:
 *
 * - generic ISO (and ILLiad): RetryPossible with reasonRetry MustMeetLoanCondition or
 *   CostExceedsMaxCost (+ offeredCosts); the requester agrees by sending the request again with
 *   requestType Retry, requestingAgencyPreviousRequestId and maximumCosts = the offered costs
 *   (CrossLink's illmock does exactly this; CrossLink itself writes reasonRetry LoanCondition);
 * - ReShare: RequestResponse ExpectToSupply with deliveryInfo/loanCondition and a note starting
 *   `#ReShareAddLoanCondition#` (costs in messageInfo/offeredCosts); the requester agrees with a
 *   Notification starting `#ReShareLoanConditionAgreeResponse#` and rejects with a Cancel;
 * - Alma: a Notification (status WillSupply) whose note says `Condition: …, Cost: …` and asks to
 *   "respond `ACCEPT` or `REJECT`"; the requester answers with a Notification saying ACCEPT or REJECT.
 */
import { CONDITION_RETRY_REASONS, LOAN_CONDITIONS } from './iso18626-codes.ts';
import type { Code, Costs, SupplyingAgencyMessage } from './iso18626-model.ts';

export const RESHARE_ADD_LOAN_CONDITION = '#ReShareAddLoanCondition#';
export const RESHARE_AGREE = '#ReShareLoanConditionAgreeResponse#';
export const RESHARE_REJECT = '#ReShareLoanConditionRejectResponse#';
export const RESHARE_ASSUMED_AGREED = '#ReShareSupplierConditionsAssumedAgreed#';
export const RESHARE_AWAITING = '#ReShareSupplierAwaitingConditionConfirmation#';
export const ALMA_AWAITING = 'Conditions pending approval, please respond `ACCEPT` or `REJECT`';

/** A lender's terms, held while the requester decides (the wiring stores it with the request). */
export interface ConditionOffer {
  /** 'retry': came as RetryPossible (agree by a Retry request); 'note': came in a note or deliveryInfo (agree by a Notification) */
  via: 'retry' | 'note';
  /** loan condition codes (LibraryUseOnly, …) */
  codes: string[];
  costs?: Costs;
  /** the reasonRetry that carried it, when it came as RetryPossible */
  reasonRetry?: string;
  /** the lender's own words (vendor markers removed) */
  note?: string;
}

/** Vendor markers and ReShare's sequence numbers taken out of a note, for people to read. */
export function humanNote(note: string | undefined): string | undefined {
  if (note === undefined) return undefined;
  const cleaned = note
    .replace(/#seq:\d+#|#lastSeq:[^#]*#/g, '')
    .replace(/#ReShare[A-Za-z]+#/g, '')
    .replace(ALMA_AWAITING, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

const CONDITION_WORDS: ReadonlyArray<{ code: (typeof LOAN_CONDITIONS)[number]; words: RegExp }> = [
  { code: 'LibraryUseOnly', words: /library[-_ ]?use[-_ ]?only|in[-_ ]?library|baca[-_ ]?di[-_ ]?tempat|libraryuseonly/i },
  { code: 'NoReproduction', words: /no[-_ ]?(reproduction|copy|copies|copying)|tidak[-_ ]?boleh[-_ ]?(difotokopi|disalin)|noreproduction/i },
  { code: 'SignatureRequired', words: /signature|tanda[-_ ]?tangan|signaturerequired/i },
  { code: 'SpecCollSupervReq', words: /supervis|pengawasan|speccollsupervreq/i },
  { code: 'WatchLibraryUseOnly', words: /watch[-_ ]?library|watchlibraryuseonly/i },
];

/** The terms a librarian typed with `/ill condition` ("library use only, cost 50000 IDR"), as codes and costs. */
export function parseConditionText(text: string): { codes: string[]; costs?: Costs } {
  const codes = CONDITION_WORDS.filter((c) => c.words.test(text)).map((c) => c.code);
  // "50000 IDR", "IDR 50.000", "USD 12.50", "Rp 50000"
  const m = /\b([A-Z]{3}|Rp\.?)\s*(\d[\d.,]*)|(\d[\d.,]*)\s*([A-Z]{3})\b/.exec(text);
  let costs: Costs | undefined;
  if (m) {
    const currency = (m[1] ?? m[4] ?? '').replace(/^Rp\.?$/, 'IDR');
    const amount = normaliseAmount(m[2] ?? m[3] ?? '', currency);
    if (currency && amount !== undefined) costs = { currencyCode: { value: currency }, monetaryValue: amount };
  }
  return costs ? { codes, costs } : { codes };
}

/** "50.000" in rupiah is fifty thousand; "12.50" in dollars is twelve and a half. */
function normaliseAmount(raw: string, currency: string): string | undefined {
  let s = raw.replace(/[.,]$/, '');
  if (currency === 'IDR') s = s.replace(/[.,](?=\d{3}\b)/g, '');
  else if (/,\d{1,2}$/.test(s) && !s.includes('.')) s = s.replace(',', '.');
  s = s.replace(/,/g, '');
  return /^\d+(\.\d+)?$/.test(s) ? s : undefined;
}

/** The terms in words, for the card and for a partner's note. */
export function describeConditions(offer: Pick<ConditionOffer, 'codes' | 'costs' | 'note'>): string {
  const parts = [...offer.codes];
  if (offer.costs) parts.push(`cost ${offer.costs.monetaryValue} ${offer.costs.currencyCode.value}`);
  if (offer.note) parts.push(offer.note);
  return parts.join('; ') || 'conditions';
}

/** Does this supplyingAgencyMessage offer terms, in any vendor's way? Then what terms. Loaned items are never "pending terms". */
export function conditionOffered(sam: SupplyingAgencyMessage): ConditionOffer | undefined {
  const status = sam.statusInfo.status;
  const note = sam.messageInfo.note ?? '';
  const codes = [...(sam.deliveryInfo?.loanConditions ?? []), ...(sam.retryInfo?.loanConditions ?? [])].map((c: Code) => c.value);
  const costs = sam.messageInfo.offeredCosts;
  const human = humanNote(note);
  const base = { codes, ...(costs ? { costs } : {}), ...(human ? { note: human } : {}) };
  if (status === 'Loaned' || status === 'CopyCompleted' || status === 'LoanCompleted') return undefined;
  const reasonRetry = sam.messageInfo.reasonRetry?.value;
  if (status === 'RetryPossible') {
    if (reasonRetry !== undefined && CONDITION_RETRY_REASONS.has(reasonRetry)) return { via: 'retry', reasonRetry, ...base };
    return undefined;
  }
  if (status !== undefined && status !== 'ExpectToSupply' && status !== 'WillSupply' && status !== 'RequestReceived') return undefined;
  if (note.includes(RESHARE_ADD_LOAN_CONDITION)) return { via: 'note', ...base };
  if (/respond\s*`?ACCEPT`?\s*or\s*`?REJECT`?/i.test(note) || /^\s*(Condition|Cost):/i.test(note)) return { via: 'note', ...base };
  if (status !== undefined && (codes.length > 0 || (costs !== undefined && Number(costs.monetaryValue) > 0))) return { via: 'note', ...base };
  return undefined;
}

/** Does a partner's note say it assumes its conditions agreed (ReShare), so it may ship without waiting? */
export function conditionsAssumedAgreed(note: string | undefined): boolean {
  return note !== undefined && (note.includes(RESHARE_ASSUMED_AGREED) || /assumes approval of conditions/i.test(note));
}

/** A requester's answer to pending conditions in a Notification: agreed, rejected, or neither. */
export function conditionAnswer(note: string | undefined): 'agree' | 'reject' | undefined {
  if (note === undefined) return undefined;
  if (note.includes(RESHARE_AGREE)) return 'agree';
  if (note.includes(RESHARE_REJECT)) return 'reject';
  const bare = note.replace(/#seq:\d+#/g, '').replace(/^\W+|\W+$/g, '');
  if (/^(accept|accepted|agree|setuju|terima)$/i.test(bare)) return 'agree';
  if (/^(reject|rejected|decline|tolak)$/i.test(bare)) return 'reject';
  return undefined;
}
