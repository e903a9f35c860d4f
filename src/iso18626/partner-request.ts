/**
 * The `request` message both ways. Out: what Jala sends when the rota reaches a partner (and again,
 * as a Retry, when Jala accepts a lender's RetryPossible terms). In: what a borrowing partner's
 * request asks for, in the terms the catalog and the ILL service use, and what kind of request it is.
 *
 * Privacy: a request to a partner carries no patron data — no name, id or address; the lender deals
 * with the requesting library, which delivers to its patron. (The README must say so when wired.)
 */
import { formatDateTime } from './iso18626-datetime.ts';
import type { Costs, RequestMessage } from './iso18626-model.ts';
import type { Exchange, OutgoingIntent } from './outgoing-intent.ts';

/** What Jala knows of the item and the need, from its own request. */
export interface OutgoingRequestDetails {
  title: string;
  author?: string;
  /** ISBN-13s of the work */
  isbns?: string[];
  /** the union catalog's work label (w42), so the partner can quote it back */
  workLabel?: string;
  publisher?: string;
  year?: string;
  /** YYYY-MM-DD */
  needBy?: string | null;
  rush?: boolean;
  /** placed by a patron (PatronRequest) or by staff */
  patronRequest?: boolean;
  note?: string | null;
  /** the requesting member's name, for the lender's staff */
  requesterName?: string;
  maximumCosts?: Costs;
}

export function buildRequestMessage(d: OutgoingRequestDetails, ex: Exchange, now: Date, retry?: Extract<OutgoingIntent, { kind: 'retryRequest' }>): RequestMessage {
  const maximumCosts = retry?.maximumCosts ?? d.maximumCosts;
  const note = [d.note ?? undefined, retry?.note].filter((n): n is string => typeof n === 'string' && n.trim() !== '').join(' — ');
  return {
    kind: 'request',
    header: {
      supplyingAgencyId: ex.supplyingAgencyId,
      requestingAgencyId: ex.requestingAgencyId,
      timestamp: formatDateTime(now),
      requestingAgencyRequestId: ex.requestingAgencyRequestId,
      ...(ex.authentication ? { requestingAgencyAuthentication: ex.authentication } : {}),
    },
    bibliographicInfo: {
      title: d.title,
      ...(d.author ? { author: d.author } : {}),
      ...(d.isbns && d.isbns.length > 0 ? { itemIds: d.isbns.map((isbn) => ({ identifier: isbn, code: { value: 'ISBN' } })) } : {}),
      ...(d.workLabel ? { recordIds: [{ code: { value: 'JALA' }, identifier: d.workLabel }] } : {}),
    },
    ...(d.publisher || d.year ? { publicationInfo: { ...(d.publisher ? { publisher: d.publisher } : {}), ...(d.year ? { publicationDate: d.year } : {}) } } : {}),
    serviceInfo: {
      requestType: retry ? 'Retry' : 'New',
      ...(d.patronRequest ? { requestSubTypes: ['PatronRequest' as const] } : {}),
      ...(retry ? { requestingAgencyPreviousRequestId: retry.previousRequestId } : {}),
      serviceType: 'Loan',
      serviceLevel: { value: d.rush ? 'Rush' : 'Normal' },
      ...(d.needBy ? { needBeforeDate: `${d.needBy}T23:59:59.000Z` } : {}),
      ...(note ? { note } : {}),
    },
    ...(d.requesterName ? { requestingAgencyInfo: { name: d.requesterName } } : {}),
    ...(maximumCosts ? { billingInfo: { maximumCosts } } : {}),
  };
}

/** What a borrowing partner asks for, as the catalog can look it up. */
export interface IncomingRequestSummary {
  title?: string;
  author?: string;
  isbns: string[];
  issns: string[];
  /** the supplier's own record id the partner quoted (Jala's record id, e.g. UGM.12345, or work label) */
  supplierUniqueRecordId?: string;
  /** YYYY-MM-DD */
  needBy?: string;
  rush: boolean;
  note?: string;
  serviceType: 'Copy' | 'Loan' | 'CopyOrLoan';
}

export function summariseRequest(r: RequestMessage): IncomingRequestSummary {
  const ids = r.bibliographicInfo.itemIds ?? [];
  const level = r.serviceInfo?.serviceLevel?.value.toLowerCase();
  return {
    ...(r.bibliographicInfo.title ? { title: r.bibliographicInfo.title } : {}),
    ...(r.bibliographicInfo.author ? { author: r.bibliographicInfo.author } : {}),
    isbns: ids.filter((i) => i.code.value.toUpperCase() === 'ISBN').map((i) => i.identifier),
    issns: ids.filter((i) => i.code.value.toUpperCase() === 'ISSN').map((i) => i.identifier),
    ...(r.bibliographicInfo.supplierUniqueRecordId ? { supplierUniqueRecordId: r.bibliographicInfo.supplierUniqueRecordId } : {}),
    ...(r.serviceInfo?.needBeforeDate ? { needBy: r.serviceInfo.needBeforeDate.slice(0, 10) } : {}),
    rush: level === 'rush' || level === 'express' || level === 'urgent',
    ...(r.serviceInfo?.note ? { note: r.serviceInfo.note } : {}),
    serviceType: r.serviceInfo?.serviceType ?? 'Loan',
  };
}

/** What kind of request came in, given what Jala already has from this partner. */
export type IncomingRequestKind =
  /** a new lending request for the addressed member's queue */
  | { kind: 'new' }
  /** this partner sent this request id before: confirm again, create nothing */
  | { kind: 'repeat' }
  /** the partner asks again after Jala's RetryPossible terms: it accepts them (approve from CONDITION_PENDING) */
  | { kind: 'accepts-terms'; previousRequestId: string }
  /** a reminder about a request Jala has */
  | { kind: 'reminder' }
  /** Jala lends physical items only: answered at once with RetryPossible ReqServTypeNotPossible */
  | { kind: 'copy-only'; reply: OutgoingIntent };

/**
 * `known.thisId`: Jala has a request with this partner and this requestingAgencyRequestId.
 * `known.termsPending`: the request named by requestingAgencyPreviousRequestId (or, when the partner
 * keeps its id for the retry as CrossLink's illmock can, by this id) waits in CONDITION_PENDING.
 */
export function classifyIncomingRequest(r: RequestMessage, known: { thisId: boolean; termsPending: boolean }): IncomingRequestKind {
  const type = r.serviceInfo?.requestType ?? 'New';
  const previous = r.serviceInfo?.requestingAgencyPreviousRequestId || r.header.requestingAgencyRequestId;
  if (type === 'Retry' && known.termsPending) return { kind: 'accepts-terms', previousRequestId: previous };
  if (type === 'Reminder') return known.thisId ? { kind: 'reminder' } : { kind: 'new' };
  if (known.thisId) return { kind: 'repeat' };
  if (r.serviceInfo?.serviceType === 'Copy') {
    return {
      kind: 'copy-only',
      reply: { kind: 'supplyingAgencyMessage', reasonForMessage: 'RequestResponse', status: 'RetryPossible', reasonRetry: 'ReqServTypeNotPossible', note: 'Only loans of physical items are supplied here; please ask again for a loan' },
    };
  }
  // a Retry after an Unfilled or RetryPossible that Jala no longer waits on is simply a new attempt
  return { kind: 'new' };
}
