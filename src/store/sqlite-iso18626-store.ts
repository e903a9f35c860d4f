import type { SqliteDatabase } from './open-database.ts';
import type { Iso18626ExchangeRow, PartnerOutboxRow, PartnerStore } from '../iso18626/partner-store.ts';

export type { Iso18626ExchangeRow, PartnerOutboxRow, PartnerOutboxStatus } from '../iso18626/partner-store.ts';

const EXCHANGE_COLUMNS = `id, request_id AS requestId, partner, partner_role AS partnerRole, member,
  requesting_agency_request_id AS requestingAgencyRequestId, supplying_agency_request_id AS supplyingAgencyRequestId,
  condition, last_inbound_key AS lastInboundKey, last_inbound_version AS lastInboundVersion, created_at AS createdAt`;

const OUTBOX_COLUMNS = `id, exchange_id AS exchangeId, kind, label, xml, created_at AS createdAt, status, attempts,
  next_attempt_at AS nextAttemptAt, last_error AS lastError, done_at AS doneAt`;

/** ISO 18626 exchanges and the partner outbox. Callers wrap writes in the ILL store's transactions. */
export class SqliteIso18626Store implements PartnerStore {
  constructor(readonly db: SqliteDatabase) {}

  insertExchange(row: Omit<Iso18626ExchangeRow, 'id' | 'lastInboundKey' | 'lastInboundVersion' | 'condition'>): number {
    return Number(
      this.db
        .prepare(`INSERT INTO iso18626_exchanges (request_id, partner, partner_role, member, requesting_agency_request_id, supplying_agency_request_id, created_at)
          VALUES (@requestId, @partner, @partnerRole, @member, @requestingAgencyRequestId, @supplyingAgencyRequestId, @createdAt)`)
        .run(row).lastInsertRowid,
    );
  }

  exchange(id: number): Iso18626ExchangeRow | undefined {
    return this.db.prepare(`SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges WHERE id = ?`).get(id) as Iso18626ExchangeRow | undefined;
  }

  /** The exchange a partner's message names, by the requester's request id. */
  exchangeById(partner: string, partnerRole: 'supplier' | 'requester', requestingAgencyRequestId: string): Iso18626ExchangeRow | undefined {
    return this.db
      .prepare(`SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges WHERE partner = ? AND partner_role = ? AND requesting_agency_request_id = ?`)
      .get(partner, partnerRole, requestingAgencyRequestId) as Iso18626ExchangeRow | undefined;
  }

  /** A request's latest exchange with a partner in a role. */
  exchangeOfRequest(requestId: number, partner: string, partnerRole: 'supplier' | 'requester'): Iso18626ExchangeRow | undefined {
    return this.db
      .prepare(`SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges WHERE request_id = ? AND partner = ? AND partner_role = ? ORDER BY id DESC LIMIT 1`)
      .get(requestId, partner, partnerRole) as Iso18626ExchangeRow | undefined;
  }

  exchanges(): Iso18626ExchangeRow[] {
    return this.db.prepare(`SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges ORDER BY id`).all() as Iso18626ExchangeRow[];
  }

  countExchangesOfRequest(requestId: number, partner: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM iso18626_exchanges WHERE request_id = ? AND partner = ?').get(requestId, partner) as { n: number }).n;
  }

  setCondition(id: number, condition: string | null): void {
    this.db.prepare('UPDATE iso18626_exchanges SET condition = ? WHERE id = ?').run(condition, id);
  }

  setSupplyingAgencyRequestId(id: number, value: string): void {
    this.db.prepare('UPDATE iso18626_exchanges SET supplying_agency_request_id = ? WHERE id = ? AND supplying_agency_request_id IS NULL').run(value, id);
  }

  setLastInbound(id: number, key: string, versionAfter: number): void {
    this.db.prepare('UPDATE iso18626_exchanges SET last_inbound_key = ?, last_inbound_version = ? WHERE id = ?').run(key, versionAfter, id);
  }

  enqueue(row: { exchangeId: number; kind: string; label: string; xml: string; createdAt: string }): number {
    return Number(
      this.db
        .prepare('INSERT INTO iso18626_outbox (exchange_id, kind, label, xml, created_at) VALUES (@exchangeId, @kind, @label, @xml, @createdAt)')
        .run(row).lastInsertRowid,
    );
  }

  /**
   * The messages to send now: per exchange only its oldest pending message (a later step never
   * overtakes an earlier one), and only when its retry time has come.
   */
  due(now: string, limit: number): PartnerOutboxRow[] {
    return this.db
      .prepare(`SELECT ${OUTBOX_COLUMNS} FROM iso18626_outbox o
        WHERE o.status = 'pending'
          AND o.id = (SELECT min(p.id) FROM iso18626_outbox p WHERE p.exchange_id = o.exchange_id AND p.status = 'pending')
          AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
        ORDER BY o.id LIMIT ?`)
      .all(now, limit) as PartnerOutboxRow[];
  }

  outbox(): PartnerOutboxRow[] {
    return this.db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM iso18626_outbox ORDER BY id`).all() as PartnerOutboxRow[];
  }

  pendingCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM iso18626_outbox WHERE status = 'pending'").get() as { n: number }).n;
  }

  markSent(id: number, at: string): void {
    this.db.prepare("UPDATE iso18626_outbox SET status = 'sent', attempts = attempts + 1, done_at = ?, last_error = NULL WHERE id = ? AND status = 'pending'").run(at, id);
  }

  markRefused(id: number, at: string, error: string): void {
    this.db.prepare("UPDATE iso18626_outbox SET status = 'refused', attempts = attempts + 1, done_at = ?, last_error = ? WHERE id = ? AND status = 'pending'").run(at, error.slice(0, 1000), id);
  }

  markRetry(id: number, nextAttemptAt: string, error: string): number {
    this.db.prepare("UPDATE iso18626_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'").run(nextAttemptAt, error.slice(0, 1000), id);
    return (this.db.prepare('SELECT attempts FROM iso18626_outbox WHERE id = ?').get(id) as { attempts: number } | undefined)?.attempts ?? 0;
  }
}
