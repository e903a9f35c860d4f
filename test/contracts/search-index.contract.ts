import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import type { SearchIndex } from '../../src/search/search-index.ts';
import { foldedTokens } from '../../src/search/analyze-text.ts';

/** What every SearchIndex does. `open` gives an index of a catalog filled with the sample files (ingestSample). */
export function searchIndexContract(name: string, open: () => Promise<{ catalog: CatalogStore; index: SearchIndex; close: () => void }>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    it('finds a work by the words of its title, counts the matches and keeps its stored fields', async () => {
      const { catalog, index, close } = await open();
      try {
        const id = catalog.recordMeta(catalog.recordIdsOfLibrary('UGM')[0]!)!.workId;
        const title = catalog.work(id)!.title;
        const terms = foldedTokens(title);
        const found = index.searchCounted({ terms, scope: 'title', mode: 'all', fuzzy: false, filters: {} }, 5);
        expect(found.hits.map((h) => h.id)).toContain(id);
        expect(found.total).toBeGreaterThanOrEqual(found.hits.length);
        expect(index.search({ terms, scope: 'title', mode: 'all', fuzzy: false, filters: {} }, 5).map((h) => h.id)).toEqual(found.hits.map((h) => h.id));
        expect(index.stored(id)).toBeDefined();
        expect(index.knows(terms[0]!)).toBe(true);
        expect(index.knows('zzqxjv')).toBe(false);
        expect(index.searchCounted({ terms: ['zzqxjv'], scope: 'all', mode: 'all', fuzzy: false, filters: {} }, 5)).toEqual({ hits: [], total: 0 });
      } finally {
        close();
      }
    });

    it('lists the works held by a library when asked by filter alone', async () => {
      const { catalog, index, close } = await open();
      try {
        const listed = index.listFiltered({ library: 'UI' }, 1000);
        const uiWorks = new Set(catalog.recordIdsOfLibrary('UI').map((id) => catalog.recordMeta(id)!.workId));
        expect(listed.total).toBe(uiWorks.size);
        for (const h of listed.hits) expect(uiWorks.has(h.id)).toBe(true);
      } finally {
        close();
      }
    });
  });
}
