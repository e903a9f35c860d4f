/**
 * ISO 18626 exchanges (a Jala request's conversation with one partner: both sides' request ids, pending
 * terms, the last message applied) and the partner outbox (the port; the SQLite implementation is
 * src/store/sqlite-iso18626-store.ts). Callers wrap writes in the ILL store's transactions.
 */
/** One exchange of a Jala request with an ISO 18626 partner (see migration 7). */
export interface Iso18626ExchangeRow {
  id: number;
  requestId: number | null;
  partner: string;
  /** the partner's role: it lends to a member ('supplier') or borrows from one ('requester') */
  partnerRole: 'supplier' | 'requester';
  member: string;
  requestingAgencyRequestId: string;
  supplyingAgencyRequestId: string | null;
  /** JSON ConditionOffer */
  condition: string | null;
  lastInboundKey: string | null;
  lastInboundVersion: number | null;
  createdAt: string;
}

export type PartnerOutboxStatus = 'pending' | 'sent' | 'refused';

export interface PartnerOutboxRow {
  id: number;
  exchangeId: number;
  kind: string;
  label: string;
  xml: string;
  createdAt: string;
  status: PartnerOutboxStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  doneAt: string | null;
}

export interface PartnerStore {
  insertExchange(row: Omit<Iso18626ExchangeRow, 'id' | 'lastInboundKey' | 'lastInboundVersion' | 'condition'>): number;
  exchange(id: number): Iso18626ExchangeRow | undefined;
  exchangeById(partner: string, partnerRole: 'supplier' | 'requester', requestingAgencyRequestId: string): Iso18626ExchangeRow | undefined;
  exchangeOfRequest(requestId: number, partner: string, partnerRole: 'supplier' | 'requester'): Iso18626ExchangeRow | undefined;
  exchanges(): Iso18626ExchangeRow[];
  countExchangesOfRequest(requestId: number, partner: string): number;
  setCondition(id: number, condition: string | null): void;
  setSupplyingAgencyRequestId(id: number, value: string): void;
  setLastInbound(id: number, key: string, versionAfter: number): void;
  enqueue(row: { exchangeId: number; kind: string; label: string; xml: string; createdAt: string }): number;
  due(now: string, limit: number): PartnerOutboxRow[];
  outbox(): PartnerOutboxRow[];
  pendingCount(): number;
  markSent(id: number, at: string): void;
  markRefused(id: number, at: string, error: string): void;
  markRetry(id: number, nextAttemptAt: string, error: string): number;
}
