import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import type { OaiItem, OaiItemStore } from '../../src/oai-provider/oai-item-store.ts';
import { librarySetSpec } from '../../src/oai-provider/oai-sets.ts';
import { ingestSample } from './catalog-store.contract.ts';

const UNTIL = '2099-01-01T00:00:00Z';

/** Every item of a list, a page of `limit` at a time (each page continuing after the last item of the one before). */
function listAll(store: OaiItemStore, q: { set?: string; from?: string }, limit: number): OaiItem[] {
  const out: OaiItem[] = [];
  for (;;) {
    const last = out.at(-1);
    const page = store.list({ ...q, until: UNTIL, limit, ...(last ? { after: { datestamp: last.datestamp, workId: last.workId } } : {}) });
    out.push(...page);
    if (page.length < limit) return out;
  }
}

/**
 * What every OaiItemStore does, whatever keeps it: items kept in step with the catalog's change
 * sequence (new, changed only when their records changed, deleted), listed in (datestamp, work)
 * order a page at a time, by set. `open` gives an empty catalog and the provider's items over it.
 */
export function oaiItemStoreContract(name: string, open: () => Promise<{ catalog: CatalogStore; oai: OaiItemStore; close: () => void }>): void {
  describe(`OaiItemStore contract: ${name}`, () => {
    it('syncs one item per work, dated, in sets by library; lists them in order a page at a time; a re-saved work keeps its datestamp', async () => {
      const { catalog, oai, close } = await open();
      try {
        expect(oai.earliestDatestamp()).toBeUndefined();
        await ingestSample(catalog);
        expect(oai.behind()).toBe(true);
        const first = oai.sync('2026-02-01T00:00:00Z');
        expect(first).not.toBe('busy');
        if (first === 'busy') return;
        const works = [...catalog.allWorks()];
        expect(first.changed).toBe(works.length);
        expect(first.seq).toBe(catalog.currentSeq());
        expect(oai.behind()).toBe(false);
        // the first sync dates each work by its newest record (the ingest's clock)
        const item = oai.item(works[0]!.id)!;
        expect(item).toEqual({ workId: works[0]!.id, datestamp: '2026-01-05T00:00:00Z', deleted: false });
        expect(oai.earliestDatestamp()).toBe('2026-01-05T00:00:00Z');

        const all = listAll(oai, {}, 4);
        expect(all.map((i) => i.workId).sort((a, b) => a - b)).toEqual(works.map((w) => w.id).sort((a, b) => a - b));
        expect(oai.count({ until: UNTIL })).toBe(all.length);
        const ugm = listAll(oai, { set: librarySetSpec('UGM') }, 3);
        const ugmWorks = works.filter((w) => w.libraries.includes('UGM')).map((w) => w.id).sort((a, b) => a - b);
        expect(ugm.map((i) => i.workId)).toEqual(ugmWorks);
        expect(oai.count({ set: librarySetSpec('UGM'), until: UNTIL })).toBe(ugmWorks.length);
        expect(oai.hasSet(librarySetSpec('UI'))).toBe(true);
        expect(oai.hasSet('library:NOPE')).toBe(false);
        expect(oai.sets().map((s) => s.spec)).toEqual(expect.arrayContaining([librarySetSpec('UGM'), librarySetSpec('UI')]));
        const shared = works.find((w) => w.libraries.length > 1)!;
        expect(oai.setsOf([oai.item(shared.id)!]).get(shared.id)).toEqual(expect.arrayContaining([librarySetSpec('UGM'), librarySetSpec('UI')]));
        expect(oai.list({ from: '2026-01-06T00:00:00Z', until: UNTIL, limit: 10 })).toEqual([]);

        // saved again with the same records: a new change, but the same content, so the same datestamp
        catalog.transaction(() => catalog.saveWork(catalog.work(shared.id)!, catalog.nextSeq()));
        expect(oai.behind()).toBe(true);
        expect(oai.sync('2026-03-01T00:00:00Z')).toEqual({ changed: 0, deleted: 0, seq: catalog.currentSeq() });
        expect(oai.item(shared.id)?.datestamp).toBe('2026-01-05T00:00:00Z');
      } finally {
        close();
      }
    });

    it('marks a work deleted when it leaves the catalog, dated then, and keeps the sets it was in', async () => {
      const { catalog, oai, close } = await open();
      try {
        await ingestSample(catalog);
        oai.sync('2026-02-01T00:00:00Z');
        const gone = [...catalog.allWorks()].find((w) => w.libraries.length > 1)!;
        catalog.transaction(() => {
          for (const r of catalog.recordIdsOfWork(gone.id)) catalog.deleteRecord(r.id);
          catalog.deleteWork(gone.id, catalog.nextSeq());
        });
        const r = oai.sync('2026-03-01T10:00:00Z');
        expect(r).toEqual({ changed: 0, deleted: 1, seq: catalog.currentSeq() });
        const item = oai.item(gone.id)!;
        expect(item).toEqual({ workId: gone.id, datestamp: '2026-03-01T10:00:00Z', deleted: true });
        expect(oai.list({ from: '2026-03-01T00:00:00Z', until: UNTIL, limit: 10 })).toEqual([item]);
        expect(oai.list({ set: librarySetSpec('UI'), from: '2026-03-01T00:00:00Z', until: UNTIL, limit: 10 })).toEqual([item]);
        expect(oai.setsOf([item]).get(gone.id)).toEqual(expect.arrayContaining([librarySetSpec('UGM'), librarySetSpec('UI')]));
        // nothing more to do
        expect(oai.sync('2026-03-02T00:00:00Z')).toEqual({ changed: 0, deleted: 0, seq: catalog.currentSeq() });
      } finally {
        close();
      }
    });
  });
}
