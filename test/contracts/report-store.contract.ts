import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import type { ReportStore } from '../../src/reports/report-store.ts';
import { ingestSample } from './catalog-store.contract.ts';

/** What every ReportStore does. `open` gives a fresh catalog and the report queries over the same storage. */
export function reportStoreContract(name: string, open: () => Promise<{ catalog: CatalogStore; reports: ReportStore; close: () => void }>): void {
  describe(`ReportStore contract: ${name}`, () => {
    it('counts records, lists works per library with every holder, and counts a library’s items per work', async () => {
      const { catalog, reports, close } = await open();
      try {
        await ingestSample(catalog);
        const ugm = catalog.recordIdsOfLibrary('UGM').length;
        const ui = catalog.recordIdsOfLibrary('UI').length;
        expect(reports.recordCount('UGM')).toBe(ugm);
        expect(reports.recordCount(null)).toBe(ugm + ui);
        const works = reports.worksOfLibraries(['UGM']);
        expect(works.length).toBe(new Set(catalog.recordIdsOfLibrary('UGM').map((id) => catalog.recordMeta(id)?.workId)).size);
        const shared = works.find((w) => w.libs.split(',').includes('UI'));
        expect(shared).toBeDefined();
        expect(shared!.libs.split(',').sort()).toEqual(['UGM', 'UI']);
        const others = reports.otherRecordsOfWork(shared!.workId, catalog.recordIdsOfWork(shared!.workId)[0]!.id);
        expect(others).toHaveLength(1);
        const counts = reports.itemCountsOfLibrary('UGM');
        const items = catalog.itemsOfWork(shared!.workId).filter((i) => i.library === 'UGM');
        expect(counts.get(shared!.workId)?.items ?? 0).toBe(items.length);
      } finally {
        close();
      }
    });

    it('finds the records without a field, and none for a field every record has', async () => {
      const { catalog, reports, close } = await open();
      try {
        await ingestSample(catalog);
        expect(reports.recordsWithoutField('245', null)).toEqual([]);
        const no020 = reports.recordsWithoutField('020', 'UGM');
        for (const r of no020) {
          expect(r.library).toBe('UGM');
          expect(catalog.recordMarc(r.id)?.fields.some((f) => f.tag === '020')).toBe(false);
        }
      } finally {
        close();
      }
    });
  });
}
