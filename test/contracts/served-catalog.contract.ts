import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import type { ServedCatalog } from '../../src/union-record/served-catalog.ts';
import { ingestSample } from './catalog-store.contract.ts';

/**
 * What every ServedCatalog (the catalog server's reads) answers, whatever keeps the catalog: the same
 * as the catalog store it reads, in batches. `open` gives an empty catalog and its served view.
 */
export function servedCatalogContract(name: string, open: () => Promise<{ catalog: CatalogStore; served: ServedCatalog; close: () => void }>): void {
  describe(`ServedCatalog contract: ${name}`, () => {
    it('serves the works, heads, MARC and items the catalog holds, in batches, missing ids left out', async () => {
      const { catalog, served, close } = await open();
      try {
        await ingestSample(catalog);
        const works = [...catalog.allWorks()];
        expect(works.length).toBeGreaterThan(5);
        const ids = works.map((w) => w.id);
        expect(served.workCount()).toBe(catalog.workCount());
        expect(served.allWorkIds(0, 100_000)).toEqual([...ids].sort((a, b) => a - b));
        // a page at a time: the pages make the whole list
        const paged = [...served.allWorkIds(0, 3), ...served.allWorkIds(3, 3), ...served.allWorkIds(6, 100_000)];
        expect(paged).toEqual(served.allWorkIds(0, 100_000));

        const asked = [...ids.slice(0, 4), 999_999];
        const docs = served.works(asked);
        expect([...docs.keys()].sort((a, b) => a - b)).toEqual(ids.slice(0, 4).sort((a, b) => a - b));
        for (const id of ids.slice(0, 4)) expect(docs.get(id)).toEqual(catalog.work(id));
        const heads = served.workHeads(asked);
        for (const id of ids.slice(0, 4)) {
          const w = catalog.work(id)!;
          expect(heads.get(id)).toEqual({ id, records: w.records, libraries: w.libraries });
        }
        expect(heads.has(999_999)).toBe(false);

        const shared = works.find((w) => w.libraries.length > 1)!;
        expect(shared, 'a work both libraries hold').toBeDefined();
        const marcs = served.recordMarcs([...shared.records, 'NOPE.0']);
        expect([...marcs.keys()].sort()).toEqual([...shared.records].sort());
        for (const r of shared.records) expect(marcs.get(r)).toEqual(catalog.recordMarc(r));
        const items = served.itemsOfWorks([shared.id, 999_999]);
        expect(items.get(shared.id)).toEqual(catalog.itemsOfWork(shared.id));
        expect(items.get(shared.id)!.length).toBeGreaterThan(0);
        expect(items.has(999_999)).toBe(false);
        expect(served.works([]).size + served.workHeads([]).size + served.recordMarcs([]).size + served.itemsOfWorks([]).size).toBe(0);
      } finally {
        close();
      }
    });

    it('finds records without regard to case, works by identifier key and key prefix, and works by library', async () => {
      const { catalog, served, close } = await open();
      try {
        await ingestSample(catalog);
        const id = catalog.recordIdsOfLibrary('UGM')[0]!;
        const meta = catalog.recordMeta(id)!;
        expect(served.record(id)).toEqual({ id, library: 'UGM', workId: meta.workId });
        expect(served.record(id.toLowerCase())).toEqual({ id, library: 'UGM', workId: meta.workId });
        expect(served.record('NOPE.0')).toBeUndefined();

        const withIsbn = catalog.recordIdsOfLibrary('UGM').map((r) => catalog.recordDoc(r)!).find((d) => d.isbns.length > 0)!;
        const isbn = withIsbn.isbns[0]!;
        const work = catalog.workOfRecord(withIsbn.id)!;
        expect(served.worksByKey('isbn', isbn)).toEqual(catalog.worksByKey('isbn', isbn));
        expect(served.worksByKey('isbn', isbn)).toContain(work);
        expect(served.worksByKey('isbn', '0000000000000')).toEqual([]);
        expect(served.worksByKeyPrefix('isbn', isbn.slice(0, 9), 100)).toContain(work);
        expect(served.worksByKeyPrefix('isbn', isbn.slice(0, 3), 2).length).toBeLessThanOrEqual(2);
        expect(served.worksByKeyPrefix('isbn', '000000', 10)).toEqual([]);

        const ugmWorks = [...new Set(catalog.recordIdsOfLibrary('UGM').map((r) => catalog.recordMeta(r)!.workId))].sort((a, b) => a - b);
        expect(served.countWorksOfLibraries(['UGM'])).toBe(ugmWorks.length);
        expect(served.worksOfLibraries(['UGM'], 0, 100_000)).toEqual(ugmWorks);
        expect([...served.worksOfLibraries(['UGM'], 0, 2), ...served.worksOfLibraries(['UGM'], 2, 100_000)]).toEqual(ugmWorks);
        expect(served.countWorksOfLibraries(['UGM', 'UI'])).toBe(served.workCount());
        expect(served.countWorksOfLibraries(['NOPE'])).toBe(0);
        expect(served.libraryHolds(meta.workId, ['UGM'])).toBe(true);
        expect(served.libraryHolds(meta.workId, ['NOPE'])).toBe(false);
        expect(served.libraries()).toEqual(catalog.libraries());
      } finally {
        close();
      }
    });
  });
}
