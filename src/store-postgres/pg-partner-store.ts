import type { Iso18626ExchangeRow, PartnerOutboxRow, PartnerStore } from '../iso18626/partner-store.ts';
import type { PgDatabase } from './pg-database.ts';

const EXCHANGE_COLUMNS = `id, request_id AS "requestId", partner, partner_role AS "partnerRole", member,
  requesting_agency_request_id AS "requestingAgencyRequestId", supplying_agency_request_id AS "supplyingAgencyRequestId",
  condition, last_inbound_key AS "lastInboundKey", last_inbound_version AS "lastInboundVersion", created_at AS "createdAt"`;

const OUTBOX_COLUMNS = `id, exchange_id AS "exchangeId", kind, label, xml, created_at AS "createdAt", status, attempts,
  next_attempt_at AS "nextAttemptAt", last_error AS "lastError", done_at AS "doneAt"`;

/**
 * ISO 18626 exchanges and the partner outbox in PostgreSQL, on the ILL store's connection: callers wrap
 * writes in the ILL store's transactions, and the exchanges name ILL requests.
 */
export class PgPartnerStore implements PartnerStore {
  constructor(readonly db: PgDatabase) {}

  insertExchange(row: Omit<Iso18626ExchangeRow, 'id' | 'lastInboundKey' | 'lastInboundVersion' | 'condition'>): number {
    return this.db.get<{ id: number }>(
      `INSERT INTO iso18626_exchanges (request_id, partner, partner_role, member, requesting_agency_request_id, supplying_agency_request_id, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [row.requestId, row.partner, row.partnerRole, row.member, row.requestingAgencyRequestId, row.supplyingAgencyRequestId, row.createdAt],
    )!.id;
  }

  exchange(id: number): Iso18626ExchangeRow | undefined {
    return this.db.get<Iso18626ExchangeRow>(`SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges WHERE id = $1`, [id]);
  }

  exchangeById(partner: string, partnerRole: 'supplier' | 'requester', requestingAgencyRequestId: string): Iso18626ExchangeRow | undefined {
    return this.db.get<Iso18626ExchangeRow>(
      `SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges WHERE partner = $1 AND partner_role = $2 AND requesting_agency_request_id = $3`,
      [partner, partnerRole, requestingAgencyRequestId],
    );
  }

  exchangeOfRequest(requestId: number, partner: string, partnerRole: 'supplier' | 'requester'): Iso18626ExchangeRow | undefined {
    return this.db.get<Iso18626ExchangeRow>(
      `SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges WHERE request_id = $1 AND partner = $2 AND partner_role = $3 ORDER BY id DESC LIMIT 1`,
      [requestId, partner, partnerRole],
    );
  }

  exchanges(): Iso18626ExchangeRow[] {
    return this.db.all<Iso18626ExchangeRow>(`SELECT ${EXCHANGE_COLUMNS} FROM iso18626_exchanges ORDER BY id`);
  }

  countExchangesOfRequest(requestId: number, partner: string): number {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM iso18626_exchanges WHERE request_id = $1 AND partner = $2', [requestId, partner])!.n;
  }

  setCondition(id: number, condition: string | null): void {
    this.db.run('UPDATE iso18626_exchanges SET condition = $1 WHERE id = $2', [condition, id]);
  }

  setSupplyingAgencyRequestId(id: number, value: string): void {
    this.db.run('UPDATE iso18626_exchanges SET supplying_agency_request_id = $1 WHERE id = $2 AND supplying_agency_request_id IS NULL', [value, id]);
  }

  setLastInbound(id: number, key: string, versionAfter: number): void {
    this.db.run('UPDATE iso18626_exchanges SET last_inbound_key = $1, last_inbound_version = $2 WHERE id = $3', [key, versionAfter, id]);
  }

  enqueue(row: { exchangeId: number; kind: string; label: string; xml: string; createdAt: string }): number {
    return this.db.get<{ id: number }>(
      'INSERT INTO iso18626_outbox (exchange_id, kind, label, xml, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [row.exchangeId, row.kind, row.label, row.xml, row.createdAt],
    )!.id;
  }

  /** Per exchange only its oldest pending message, and only when its retry time has come. */
  due(now: string, limit: number): PartnerOutboxRow[] {
    return this.db.all<PartnerOutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM iso18626_outbox o
        WHERE o.status = 'pending'
          AND o.id = (SELECT min(p.id) FROM iso18626_outbox p WHERE p.exchange_id = o.exchange_id AND p.status = 'pending')
          AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= $1)
        ORDER BY o.id LIMIT $2`,
      [now, limit],
    );
  }

  outbox(): PartnerOutboxRow[] {
    return this.db.all<PartnerOutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM iso18626_outbox ORDER BY id`);
  }

  pendingCount(): number {
    return this.db.get<{ n: number }>("SELECT count(*) AS n FROM iso18626_outbox WHERE status = 'pending'")!.n;
  }

  markSent(id: number, at: string): void {
    this.db.run("UPDATE iso18626_outbox SET status = 'sent', attempts = attempts + 1, done_at = $1, last_error = NULL WHERE id = $2 AND status = 'pending'", [at, id]);
  }

  markRefused(id: number, at: string, error: string): void {
    this.db.run("UPDATE iso18626_outbox SET status = 'refused', attempts = attempts + 1, done_at = $1, last_error = $2 WHERE id = $3 AND status = 'pending'", [at, error.slice(0, 1000), id]);
  }

  markRetry(id: number, nextAttemptAt: string, error: string): number {
    const row = this.db.get<{ attempts: number }>(
      "UPDATE iso18626_outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3 AND status = 'pending' RETURNING attempts",
      [nextAttemptAt, error.slice(0, 1000), id],
    );
    return row?.attempts ?? this.db.get<{ attempts: number }>('SELECT attempts FROM iso18626_outbox WHERE id = $1', [id])?.attempts ?? 0;
  }
}
