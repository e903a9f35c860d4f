import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import { DEFAULT_DATA_DIR } from '../../src/config/data-dir.ts';
import { ingestMarcFiles } from '../../src/ingest/ingest-marc-files.ts';

/** Two members' copies of the same Indonesian titles (the sample consortium's records). */
export const SAMPLE_FILES = {
  UGM: { file: path.join(DEFAULT_DATA_DIR, 'records', 'UGM', 'indonesian-titles.marcxml'), holdingsProfile: 'koha952' as const },
  UI: { file: path.join(DEFAULT_DATA_DIR, 'records', 'UI', 'indonesian-titles.marcxml'), holdingsProfile: 'marc852' as const },
};

/** Fills a catalog store with the two sample files, through the real ingest. */
export async function ingestSample(store: CatalogStore): Promise<void> {
  for (const [library, s] of Object.entries(SAMPLE_FILES)) {
    await ingestMarcFiles({ store, library, paths: [s.file], holdingsProfile: s.holdingsProfile, now: () => new Date('2026-01-05T00:00:00Z') });
  }
}

/**
 * What every CatalogStore does, whatever keeps it (hono's common-case pattern): `open` gives a fresh,
 * empty store and a way to close it. Run it with the SQLite store (test/contracts/sqlite-stores.test.ts)
 * and with any other implementation.
 */
export function catalogStoreContract(name: string, open: () => Promise<{ store: CatalogStore; close: () => void }>): void {
  describe(`CatalogStore contract: ${name}`, () => {
    it('keeps the records of an ingest, clusters the same title held by two libraries into one work, and finds it by ISBN', async () => {
      const { store, close } = await open();
      try {
        await ingestSample(store);
        expect(store.libraries().map((l) => l.code).sort()).toEqual(['UGM', 'UI']);
        const ugm = store.recordIdsOfLibrary('UGM');
        expect(ugm.length).toBeGreaterThan(5);
        const shared = ugm.map((id) => store.recordMeta(id)).find((m) => m && store.recordIdsOfWork(m.workId).some((r) => r.library === 'UI'));
        expect(shared, 'a title both libraries hold').toBeDefined();
        const work = store.work(shared!.workId);
        expect(work?.title).toBeTruthy();
        expect(store.workOfRecord(shared!.id)).toBe(shared!.workId);
        expect(store.workHasLibrary(shared!.workId, 'UI')).toBe(true);
        const doc = store.recordDoc(shared!.id);
        expect(doc?.library).toBe('UGM');
        const isbn = doc?.isbns[0];
        if (isbn) expect(store.worksByKey('isbn', isbn)).toContain(shared!.workId);
        expect(store.recordMarc(shared!.id)?.fields.length).toBeGreaterThan(0);
        // many stored documents at once (the bulk path's read-back of grown works): those found, by id, as one by one
        const some = [...ugm.slice(0, 3), 'no-such-record'];
        const many = store.storedRecordDocs(some);
        expect([...many.keys()].sort()).toEqual(ugm.slice(0, 3).sort());
        for (const id of ugm.slice(0, 3)) expect(many.get(id)).toEqual(store.storedRecordDoc(id));
        expect(store.storedRecordDocs([]).size).toBe(0);
        // every work once, in order of number; as stored texts, the same documents unparsed (the index build hands those to its worker)
        const works = [...store.allWorks()];
        expect(works.length).toBe(store.workCount());
        expect(works.map((w) => w.id)).toEqual([...works.map((w) => w.id)].sort((a, b) => a - b));
        expect(works.find((w) => w.id === shared!.workId)).toEqual(work);
        const texts = [...store.allWorkTexts()];
        expect(texts.every((t) => typeof t === 'string')).toBe(true);
        expect(texts.map((t) => JSON.parse(t) as unknown)).toEqual(works);
        const stats = store.stats();
        expect(stats.records).toBe(store.recordIdsOfLibrary('UGM').length + store.recordIdsOfLibrary('UI').length);
        expect(stats.works).toBe(store.workCount());
        expect(stats.sharedWorks).toBeGreaterThan(0);
        expect(store.sharedWorksOfLibrary('UGM')).toBe(stats.sharedWorks);
      } finally {
        close();
      }
    });

    it('stamps every work change with a rising sequence number and remembers deleted works', async () => {
      const { store, close } = await open();
      try {
        const before = store.currentSeq();
        const { id, seq } = store.transaction(() => {
          const w = store.createWork();
          const s = store.nextSeq();
          return { id: w, seq: s };
        });
        expect(seq).toBeGreaterThan(before);
        expect(store.currentSeq()).toBe(seq);
        const deletedSeq = store.transaction(() => {
          const s = store.nextSeq();
          store.deleteWork(id, s);
          return s;
        });
        expect(store.work(id)).toBeUndefined();
        expect(store.worksDeletedSince(seq)).toContain(id);
        expect(store.worksDeletedSince(deletedSeq)).not.toContain(id);
      } finally {
        close();
      }
    });

    it('writes all of a transaction or nothing of it', async () => {
      const { store, close } = await open();
      try {
        expect(() =>
          store.transaction(() => {
            store.ensureLibrary('ZZ', 'Library ZZ', '2026-01-01T00:00:00Z');
            store.setMeta('contract-key', 'half-done');
            throw new Error('abort');
          }),
        ).toThrow('abort');
        expect(store.libraries().map((l) => l.code)).not.toContain('ZZ');
        expect(store.meta('contract-key')).toBeUndefined();
        store.setMeta('contract-key', 'v1');
        expect(store.meta('contract-key')).toBe('v1');
      } finally {
        close();
      }
    });

    it('names its catalog with an id that stays the same across reads', async () => {
      const { store, close } = await open();
      try {
        expect(store.catalogId()).toMatch(/\S/);
        expect(store.catalogId()).toBe(store.catalogId());
      } finally {
        close();
      }
    });
  });
}
