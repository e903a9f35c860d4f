import { describe, expect, it } from 'vitest';
import type { IllRequest } from '../../src/ill/ill-request.ts';
import type { IllStore } from '../../src/ill/ill-store.ts';

export function newRequest(over: Partial<Omit<IllRequest, 'id' | 'version'>> = {}): Omit<IllRequest, 'id' | 'version'> {
  const at = '2026-02-02T08:00:00.000Z';
  return {
    workId: 1, title: 'Laskar Pelangi', requester: 'UGM', supplier: null, state: 'NEW', supplierState: null, priorState: null, priorSupplierState: null,
    placedBy: 'patron', patronPlatform: 'slack', patronUserId: 'U1', patronName: 'Siti', needBy: null, note: null, serviceLevel: 'normal',
    condition: null, dueDate: null, renewals: 0, responseDeadline: null, reminderSent: 0, dueReminderSent: 0, createdAt: at, updatedAt: at,
    closedAt: null, outcome: null, purgedAt: null, ...over,
  };
}

/** What every IllStore does. `open` gives a fresh, empty store. */
export function illStoreContract(name: string, open: () => Promise<{ store: IllStore; close: () => void }>): void {
  describe(`IllStore contract: ${name}`, () => {
    it('changes a request only at the version it was read at, and bumps the version', async () => {
      const { store, close } = await open();
      try {
        const id = store.insertRequest(newRequest());
        const r = store.request(id);
        expect(r).toMatchObject({ id, state: 'NEW', version: expect.any(Number), title: 'Laskar Pelangi' });
        expect(store.updateRequest(id, r!.version, { state: 'SENT', supplier: 'UI' })).toBe(true);
        expect(store.updateRequest(id, r!.version, { state: 'CANCELLED' })).toBe(false);
        expect(store.request(id)).toMatchObject({ state: 'SENT', supplier: 'UI', version: r!.version + 1 });
        store.markReminded(id, 'lender');
        expect(store.request(id)).toMatchObject({ reminderSent: 1, version: r!.version + 1 });
        expect(store.request(id + 1000)).toBeUndefined();
      } finally {
        close();
      }
    });

    it('keeps the rota in order with structured reasons, and the event log as appended', async () => {
      const { store, close } = await open();
      try {
        const id = store.insertRequest(newRequest());
        store.insertRota(id, [
          { library: 'UI', status: 'pending', reason: { kind: 'chosen', code: 'available', lent: 2, borrowed: 1, openQueue: 0 } },
          { library: 'DISPUSIP', status: 'skipped', reason: { kind: 'skipped', code: 'does-not-lend' } },
        ]);
        store.setRotaStatus(id, 0, 'declined', { kind: 'ended', code: 'NotOnShelf' });
        expect(store.rota(id)).toEqual([
          { position: 0, library: 'UI', status: 'declined', reason: { kind: 'ended', code: 'NotOnShelf' } },
          { position: 1, library: 'DISPUSIP', status: 'skipped', reason: { kind: 'skipped', code: 'does-not-lend' } },
        ]);
        const e = { at: '2026-02-02T09:00:00.000Z', actorRole: 'librarian', actorLibrary: 'UGM', action: 'approve', fromState: 'NEW', toState: 'SENT', supplier: null, supplierFrom: null, supplierTo: 'NEW', note: null };
        store.appendEvent(id, e);
        store.appendEvent(id, { ...e, action: 'ship', fromState: 'SENT', toState: 'SHIPPED', actorLibrary: 'UI', supplier: 'UI', note: 'by post' });
        expect(store.events(id).map((x) => [x.action, x.toState, x.note])).toEqual([['approve', 'SENT', null], ['ship', 'SHIPPED', 'by post']]);
        expect(store.lendingLoad().get('UI')?.lent).toBe(1);
      } finally {
        close();
      }
    });

    it('lists open requests, a patron’s requests, and forgets patrons of requests closed long ago', async () => {
      const { store, close } = await open();
      try {
        const open1 = store.insertRequest(newRequest());
        const closed = store.insertRequest(newRequest({ state: 'COMPLETED', closedAt: '2025-01-01T00:00:00.000Z', outcome: 'completed' }));
        expect(store.openRequests(['COMPLETED']).map((r) => r.id)).toEqual([open1]);
        expect(store.requestsOfPatron('slack', 'U1').map((r) => r.id).sort()).toEqual([open1, closed].sort());
        expect(store.recentRequestsOfPatronForWork('slack', 'U1', 1, '2026-01-01T00:00:00.000Z').map((r) => r.id)).toContain(open1);
        const byLibrarian = store.insertRequest(newRequest({ placedBy: 'librarian', patronPlatform: null, patronUserId: null, patronName: null }));
        store.insertRequest(newRequest({ placedBy: 'librarian', requester: 'UI', patronPlatform: null, patronUserId: null, patronName: null }));
        expect(store.recentRequestsOfLibraryForWork('UGM', 1, '2026-01-01T00:00:00.000Z').map((r) => r.id)).toEqual([byLibrarian]);
        expect(store.recentRequestsOfLibraryForWork('UGM', 1, '2026-03-01T00:00:00.000Z')).toEqual([]);
        expect(store.purgePatrons('2025-06-01T00:00:00.000Z')).toBe(1);
        expect(store.request(closed)).toMatchObject({ patronUserId: null, patronName: null });
        expect(store.request(open1)).toMatchObject({ patronUserId: 'U1' });
      } finally {
        close();
      }
    });

    it('rolls a failed transaction back', async () => {
      const { store, close } = await open();
      try {
        expect(() => store.transaction(() => {
          store.insertRequest(newRequest());
          throw new Error('abort');
        })).toThrow('abort');
        expect(store.openRequests([])).toEqual([]);
      } finally {
        close();
      }
    });
  });
}
