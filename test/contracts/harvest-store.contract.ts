import { describe, expect, it } from 'vitest';
import type { HarvestStateRow, HarvestStore } from '../../src/harvest/harvest-store.ts';

const state = (over: Partial<HarvestStateRow> = {}): HarvestStateRow => ({
  source: 'UGM:oai', library: 'UGM', granularity: 'YYYY-MM-DDThh:mm:ssZ', nextFrom: '2026-01-01T00:00:00Z', lastSuccessAt: null,
  pendingToken: null, pendingMode: null, pendingFrom: null, pendingResponseDate: null, pendingRun: null, pendingHarvested: 0, pendingTotal: null,
  updatedAt: '2026-01-01T00:00:00.000Z', ...over,
});

/** What every HarvestStore does. `open` gives a fresh store (its database may hold catalog records the keys name). */
export function harvestStoreContract(name: string, open: () => Promise<{ store: HarvestStore; recordIds: string[]; close: () => void }>): void {
  describe(`HarvestStore contract: ${name}`, () => {
    it('keeps where a source stands, replacing it as a whole', async () => {
      const { store, close } = await open();
      try {
        expect(store.state('UGM:oai')).toBeUndefined();
        store.saveState(state({ pendingToken: 'tok-1', pendingMode: 'full', pendingHarvested: 200 }));
        store.saveState(state({ pendingToken: 'tok-2', pendingMode: 'full', pendingHarvested: 400 }));
        expect(store.state('UGM:oai')).toEqual(state({ pendingToken: 'tok-2', pendingMode: 'full', pendingHarvested: 400 }));
      } finally {
        close();
      }
    });

    it('records runs, their outcome and error code, and marks runs a dead process left running as interrupted', async () => {
      const { store, close } = await open();
      try {
        const a = store.startRun('UGM', 'UGM:oai', 'full', '2026-01-01T00:00:00.000Z');
        store.finishRun(a, '2026-01-01T00:05:00.000Z', 'failed', { harvested: 3 }, { code: 'harvest/http', message: 'HTTP 503' });
        const b = store.startRun('UGM', 'UGM:oai', 'incremental', '2026-01-02T00:00:00.000Z');
        expect(store.abandonRunningRuns('2026-01-02T01:00:00.000Z')).toBe(1);
        expect(store.lastRuns()).toMatchObject([{ id: b, library: 'UGM', source: 'UGM:oai', outcome: 'interrupted' }]);
        expect(store.recentRuns(10).find((r) => r.id === a)).toMatchObject({ outcome: 'failed', errorCode: 'harvest/http', finishedAt: '2026-01-01T00:05:00.000Z' });
      } finally {
        close();
      }
    });

    it('maps source keys to records both ways, and tells which records a full harvest did not see', async () => {
      const { store, recordIds, close } = await open();
      try {
        const [r1, r2] = recordIds as [string, string];
        store.putKey('UGM:oai', 'oai:x:1', r1, 7);
        store.putKey('UGM:oai', 'oai:x:2', r2, null);
        expect(store.recordIdForKey('UGM:oai', 'oai:x:1')).toBe(r1);
        expect(store.keyOfRecord('UGM:oai', r2)).toBe('oai:x:2');
        expect(store.keyCount('UGM:oai')).toBe(2);
        expect(store.recordsNotSeenIn('UGM:oai', 7)).toEqual([r2]);
        store.deleteKey('UGM:oai', 'oai:x:1');
        expect(store.recordIdForKey('UGM:oai', 'oai:x:1')).toBeUndefined();
      } finally {
        close();
      }
    });

    it('gives the reindex lock to one holder at a time, unless the holder is gone', async () => {
      const { store, close } = await open();
      try {
        const me = { holder: 'h1', pid: 1, description: 'reindex UGM', scope: '*' };
        expect(store.tryLock(me, '2026-01-01T00:00:00.000Z', () => true)).toEqual({ ok: true });
        const refused = store.tryLock({ holder: 'h2', pid: 2, description: 'reindex UI', scope: '*' }, '2026-01-01T00:00:01.000Z', () => true);
        expect(refused).toMatchObject({ ok: false, lock: { holder: 'h1', description: 'reindex UGM', scope: '*' } });
        expect(store.tryLock({ holder: 'h2', pid: 2, description: 'reindex UI', scope: '*' }, '2026-01-01T00:00:02.000Z', () => false)).toEqual({ ok: true });
        store.unlock('h2');
        expect(store.locks()).toEqual([]);
      } finally {
        close();
      }
    });

    it('locks per library: two libraries at once, the same library once, every library alone', async () => {
      const { store, close } = await open();
      try {
        const t = '2026-01-01T00:00:00.000Z';
        const alive = () => true;
        expect(store.tryLock({ holder: 'h1', pid: 1, description: 'UGM', scope: 'UGM' }, t, alive)).toEqual({ ok: true });
        const ugmRun = store.startRun('UGM', 'UGM:oai', 'full', t);
        // another library: at once, and the run of the first holder stays running
        expect(store.tryLock({ holder: 'h2', pid: 2, description: 'UI', scope: 'UI' }, t, alive)).toEqual({ ok: true });
        expect(store.recentRuns().find((r) => r.id === ugmRun)?.outcome).toBe('running');
        // the same library again, and every library: refused, naming the holder in the way
        expect(store.tryLock({ holder: 'h3', pid: 3, description: 'UGM again', scope: 'UGM' }, t, alive)).toMatchObject({ ok: false, lock: { holder: 'h1', scope: 'UGM' } });
        expect(store.tryLock({ holder: 'h3', pid: 3, description: 'all', scope: '*' }, t, alive)).toMatchObject({ ok: false, lock: { scope: 'UGM' } });
        expect(store.locks().map((l) => [l.scope, l.holder])).toEqual([['UGM', 'h1'], ['UI', 'h2']]);
        // h1 dies: its library's lock is taken over and its run marked interrupted
        const h1Dead = (l: { holder: string }) => l.holder !== 'h1';
        expect(store.tryLock({ holder: 'h3', pid: 3, description: 'UGM again', scope: 'UGM' }, t, h1Dead)).toEqual({ ok: true });
        expect(store.recentRuns().find((r) => r.id === ugmRun)?.outcome).toBe('interrupted');
        store.unlock('h2');
        store.unlock('h3');
        // every library: then no library may start
        expect(store.tryLock({ holder: 'h4', pid: 4, description: 'all', scope: '*' }, t, alive)).toEqual({ ok: true });
        expect(store.tryLock({ holder: 'h5', pid: 5, description: 'UI', scope: 'UI' }, t, alive)).toMatchObject({ ok: false, lock: { holder: 'h4', scope: '*' } });
        store.heartbeat('h4', '2026-01-01T00:01:00.000Z', 'all, later');
        expect(store.locks()).toMatchObject([{ scope: '*', holder: 'h4', description: 'all, later', heartbeatAt: '2026-01-01T00:01:00.000Z', startedAt: t }]);
        store.unlock('h4');
        expect(store.locks()).toEqual([]);
      } finally {
        close();
      }
    });
  });
}
