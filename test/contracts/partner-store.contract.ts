import { describe, expect, it } from 'vitest';
import type { IllStore } from '../../src/ill/ill-store.ts';
import type { Iso18626ExchangeRow, PartnerStore } from '../../src/iso18626/partner-store.ts';
import { isRepeat } from '../../src/iso18626/repeat-key.ts';
import { newRequest } from './ill-store.contract.ts';

type NewExchange = Parameters<PartnerStore['insertExchange']>[0];

const at = (minute: number): string => `2026-02-02T09:${String(minute).padStart(2, '0')}:00.000Z`;

const exchangeOf = (requestId: number | null, over: Partial<NewExchange> = {}): NewExchange => ({
  requestId, partner: 'RESHARE', partnerRole: 'supplier', member: 'UGM', requestingAgencyRequestId: `UGM-R${requestId ?? 0}`,
  supplyingAgencyRequestId: null, createdAt: at(0), ...over,
});

const message = (exchangeId: number, label: string, minute = 0): Parameters<PartnerStore['enqueue']>[0] => ({
  exchangeId, kind: 'requestingAgencyMessage', label, xml: `<ISO18626Message><label>${label}</label></ISO18626Message>`, createdAt: at(minute),
});

/** What the ISO 18626 wiring (src/iso18626/partner-link.ts) reads back of a repeat: the last applied message, as isRepeat takes it. */
const lastInboundOf = (ex: Iso18626ExchangeRow | undefined) =>
  ex && ex.lastInboundKey !== null && ex.lastInboundVersion !== null ? { key: ex.lastInboundKey, versionAfter: ex.lastInboundVersion } : null;

/**
 * What every PartnerStore does: ISO 18626 exchanges (a Jala request's conversation with one partner)
 * and the partner outbox, as src/iso18626/partner-link.ts uses them. The store shares the ILL store's
 * connection (an exchange names an ILL request, and its writes are part of ILL transactions), so
 * `open` gives both, fresh and empty.
 */
export function partnerStoreContract(name: string, open: () => Promise<{ ill: IllStore; partners: PartnerStore; close: () => void }>): void {
  describe(`PartnerStore contract: ${name}`, () => {
    it('finds an exchange by id, by the partner and the requesting agency’s request id, and by request (the latest), and counts a request’s exchanges', async () => {
      const { ill, partners, close } = await open();
      try {
        const r = ill.insertRequest(newRequest());
        const first = partners.insertExchange(exchangeOf(r));
        expect(partners.exchange(first)).toEqual({
          id: first, requestId: r, partner: 'RESHARE', partnerRole: 'supplier', member: 'UGM', requestingAgencyRequestId: `UGM-R${r}`,
          supplyingAgencyRequestId: null, condition: null, lastInboundKey: null, lastInboundVersion: null, createdAt: at(0),
        });
        // the rota comes back to the same partner: a second exchange with a new request id
        const second = partners.insertExchange(exchangeOf(r, { requestingAgencyRequestId: `UGM-R${r}-2`, createdAt: at(5) }));
        // the same partner also borrows from a member (another request), and a copy request answered at once has no request
        const lending = ill.insertRequest(newRequest({ requester: 'RESHARE', supplier: 'UGM', placedBy: 'librarian', patronPlatform: null, patronUserId: null, patronName: null }));
        const borrowing = partners.insertExchange(exchangeOf(lending, { partnerRole: 'requester', requestingAgencyRequestId: `UGM-R${r}`, supplyingAgencyRequestId: `R${lending}` }));
        const copy = partners.insertExchange(exchangeOf(null, { partnerRole: 'requester', requestingAgencyRequestId: 'COPY-1' }));

        expect(partners.exchangeById('RESHARE', 'supplier', `UGM-R${r}`)?.id).toBe(first);
        expect(partners.exchangeById('RESHARE', 'supplier', `UGM-R${r}-2`)?.id).toBe(second);
        // the same request id in the other role is another exchange
        expect(partners.exchangeById('RESHARE', 'requester', `UGM-R${r}`)).toMatchObject({ id: borrowing, requestId: lending, supplyingAgencyRequestId: `R${lending}` });
        expect(partners.exchangeById('RESHARE', 'requester', 'COPY-1')).toMatchObject({ id: copy, requestId: null });
        expect(partners.exchangeById('OTHER', 'supplier', `UGM-R${r}`)).toBeUndefined();
        expect(partners.exchangeById('RESHARE', 'supplier', 'UGM-R999')).toBeUndefined();

        expect(partners.exchangeOfRequest(r, 'RESHARE', 'supplier')?.id).toBe(second);
        expect(partners.exchangeOfRequest(r, 'RESHARE', 'requester')).toBeUndefined();
        expect(partners.exchangeOfRequest(lending, 'RESHARE', 'requester')?.id).toBe(borrowing);
        expect(partners.exchangeOfRequest(r, 'OTHER', 'supplier')).toBeUndefined();

        expect(partners.countExchangesOfRequest(r, 'RESHARE')).toBe(2);
        expect(partners.countExchangesOfRequest(r, 'OTHER')).toBe(0);
        expect(partners.countExchangesOfRequest(lending, 'RESHARE')).toBe(1);
        expect(partners.exchanges().map((e) => e.id)).toEqual([first, second, borrowing, copy]);
        expect(partners.exchange(copy + 1000)).toBeUndefined();
      } finally {
        close();
      }
    });

    it('refuses a second exchange with the same partner, role and requesting agency’s request id', async () => {
      const { ill, partners, close } = await open();
      try {
        const r = ill.insertRequest(newRequest());
        partners.insertExchange(exchangeOf(r));
        expect(() => partners.insertExchange(exchangeOf(r))).toThrow();
        expect(partners.exchanges()).toHaveLength(1);
      } finally {
        close();
      }
    });

    it('keeps the pending terms until cleared, the supplying agency’s first request id, and the last inbound message, so a repeat is recognised', async () => {
      const { ill, partners, close } = await open();
      try {
        const r = ill.insertRequest(newRequest());
        const ex = partners.insertExchange(exchangeOf(r));
        const offer = JSON.stringify({ via: 'note', codes: ['LibraryUseOnly'], note: 'in the reading room — ruang baca' });
        partners.setCondition(ex, offer);
        expect(partners.exchange(ex)?.condition).toBe(offer);
        partners.setCondition(ex, null);
        expect(partners.exchange(ex)?.condition).toBeNull();

        // the lender names its own request id once; a later message cannot change it
        partners.setSupplyingAgencyRequestId(ex, 'RS-77');
        partners.setSupplyingAgencyRequestId(ex, 'RS-78');
        expect(partners.exchange(ex)?.supplyingAgencyRequestId).toBe('RS-77');

        const version = ill.request(r)!.version;
        partners.setLastInbound(ex, 'sam|ISIL:ID-RS|UGM-R1|RequestResponse|ExpectToSupply||', version);
        const last = lastInboundOf(partners.exchange(ex));
        expect(last).toEqual({ key: 'sam|ISIL:ID-RS|UGM-R1|RequestResponse|ExpectToSupply||', versionAfter: version });
        // the same message again while the request has not moved: a repeat; another message, or the same after a step: not
        expect(isRepeat(last, 'sam|ISIL:ID-RS|UGM-R1|RequestResponse|ExpectToSupply||', ill.request(r)!.version)).toBe(true);
        expect(isRepeat(last, 'sam|ISIL:ID-RS|UGM-R1|StatusChange|Loaned||', ill.request(r)!.version)).toBe(false);
        expect(ill.updateRequest(r, version, { state: 'SENT' })).toBe(true);
        expect(isRepeat(last, 'sam|ISIL:ID-RS|UGM-R1|RequestResponse|ExpectToSupply||', ill.request(r)!.version)).toBe(false);
        // a later message replaces it
        partners.setLastInbound(ex, 'sam|ISIL:ID-RS|UGM-R1|StatusChange|Loaned||', version + 1);
        expect(lastInboundOf(partners.exchange(ex))).toEqual({ key: 'sam|ISIL:ID-RS|UGM-R1|StatusChange|Loaned||', versionAfter: version + 1 });
      } finally {
        close();
      }
    });

    it('writes exchanges and messages in the ILL store’s transaction: a refused inbound message leaves nothing behind', async () => {
      const { ill, partners, close } = await open();
      try {
        expect(() => ill.transaction(() => {
          const r = ill.insertRequest(newRequest());
          const ex = partners.insertExchange(exchangeOf(r));
          partners.enqueue(message(ex, 'request'));
          throw new Error('refused');
        })).toThrow('refused');
        expect(partners.exchanges()).toEqual([]);
        expect(partners.outbox()).toEqual([]);
        expect(partners.pendingCount()).toBe(0);
        const kept = ill.transaction(() => partners.insertExchange(exchangeOf(ill.insertRequest(newRequest()))));
        expect(partners.exchanges().map((e) => e.id)).toEqual([kept]);
      } finally {
        close();
      }
    });

    it('sends each exchange’s messages in order, one at a time, oldest exchange first, up to the limit', async () => {
      const { ill, partners, close } = await open();
      try {
        const a = partners.insertExchange(exchangeOf(ill.insertRequest(newRequest())));
        const b = partners.insertExchange(exchangeOf(ill.insertRequest(newRequest()), { requestingAgencyRequestId: 'UGM-B' }));
        const c = partners.insertExchange(exchangeOf(null, { partnerRole: 'requester', requestingAgencyRequestId: 'COPY-1' }));
        const a1 = partners.enqueue(message(a, 'request'));
        const b1 = partners.enqueue(message(b, 'request', 1));
        const a2 = partners.enqueue(message(a, 'Cancel', 2));
        const c1 = partners.enqueue(message(c, 'Unfilled (RequestResponse)', 3));
        expect(partners.outbox()).toEqual([
          { id: a1, exchangeId: a, kind: 'requestingAgencyMessage', label: 'request', xml: '<ISO18626Message><label>request</label></ISO18626Message>', createdAt: at(0), status: 'pending', attempts: 0, nextAttemptAt: null, lastError: null, doneAt: null },
          expect.objectContaining({ id: b1, exchangeId: b, label: 'request', createdAt: at(1) }),
          expect.objectContaining({ id: a2, exchangeId: a, label: 'Cancel', status: 'pending' }),
          expect.objectContaining({ id: c1, exchangeId: c, status: 'pending' }),
        ]);
        expect(partners.pendingCount()).toBe(4);
        const now = at(10);
        // a2 waits behind a1: a partner never hears a Cancel before the request it cancels
        expect(partners.due(now, 50).map((m) => m.id)).toEqual([a1, b1, c1]);
        expect(partners.due(now, 2).map((m) => m.id)).toEqual([a1, b1]);
        expect(partners.due(now, 50)[0]).toEqual(partners.outbox()[0]);

        partners.markSent(a1, at(11));
        expect(partners.outbox().find((m) => m.id === a1)).toMatchObject({ status: 'sent', attempts: 1, doneAt: at(11), lastError: null });
        expect(partners.due(now, 50).map((m) => m.id)).toEqual([b1, a2, c1]);
        expect(partners.pendingCount()).toBe(3);
        // marking a message already sent changes nothing
        partners.markSent(a1, at(12));
        partners.markRefused(a1, at(12), 'late');
        expect(partners.outbox().find((m) => m.id === a1)).toMatchObject({ status: 'sent', attempts: 1, doneAt: at(11), lastError: null });

        // a refusal ends the message (kept with the partner's reason) and lets the next one go
        partners.markRefused(b1, at(13), 'ERROR: UnrecognisedDataValue (requestingAgencyRequestId)');
        expect(partners.outbox().find((m) => m.id === b1)).toMatchObject({ status: 'refused', attempts: 1, doneAt: at(13), lastError: 'ERROR: UnrecognisedDataValue (requestingAgencyRequestId)' });
        const b2 = partners.enqueue(message(b, 'Notification', 14));
        expect(partners.due(now, 50).map((m) => m.id)).toEqual([a2, c1, b2]);
        partners.markSent(a2, at(15));
        partners.markSent(c1, at(15));
        partners.markSent(b2, at(15));
        expect(partners.due(now, 50)).toEqual([]);
        expect(partners.pendingCount()).toBe(0);
      } finally {
        close();
      }
    });

    it('holds a message that failed until its next attempt time, with the exchange’s later messages behind it, and counts the attempts', async () => {
      const { ill, partners, close } = await open();
      try {
        const a = partners.insertExchange(exchangeOf(ill.insertRequest(newRequest())));
        const b = partners.insertExchange(exchangeOf(ill.insertRequest(newRequest()), { requestingAgencyRequestId: 'UGM-B' }));
        const a1 = partners.enqueue(message(a, 'request'));
        const a2 = partners.enqueue(message(a, 'Cancel'));
        const b1 = partners.enqueue(message(b, 'request'));

        expect(partners.markRetry(a1, at(20), 'transport/timeout: no answer in 30 s')).toBe(1);
        expect(partners.outbox().find((m) => m.id === a1)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(20), lastError: 'transport/timeout: no answer in 30 s', doneAt: null });
        expect(partners.due(at(10), 50).map((m) => m.id)).toEqual([b1]);
        expect(partners.due(at(19), 50).map((m) => m.id)).toEqual([b1]);
        // due from its next attempt time on, with the attempts it had
        expect(partners.due(at(20), 50).map((m) => [m.id, m.attempts])).toEqual([[a1, 1], [b1, 0]]);
        expect(partners.pendingCount()).toBe(3);

        expect(partners.markRetry(a1, at(40), 'transport/refused: connection refused')).toBe(2);
        expect(partners.due(at(30), 50).map((m) => m.id)).toEqual([b1]);
        expect(partners.due(at(41), 50)[0]).toMatchObject({ id: a1, attempts: 2, nextAttemptAt: at(40), lastError: 'transport/refused: connection refused' });
        // a long error is kept shortened
        expect(partners.markRetry(a1, at(41), 'x'.repeat(5000))).toBe(3);
        expect(partners.outbox().find((m) => m.id === a1)?.lastError).toBe('x'.repeat(1000));
        partners.markSent(a1, at(42));
        expect(partners.outbox().find((m) => m.id === a1)).toMatchObject({ status: 'sent', attempts: 4, lastError: null });
        expect(partners.due(at(42), 50).map((m) => m.id)).toEqual([a2, b1]);
        // a retry of a message no longer pending changes nothing and tells its attempts
        expect(partners.markRetry(a1, at(50), 'late')).toBe(4);
        expect(partners.outbox().find((m) => m.id === a1)).toMatchObject({ status: 'sent', nextAttemptAt: at(41), lastError: null });
      } finally {
        close();
      }
    });
  });
}
