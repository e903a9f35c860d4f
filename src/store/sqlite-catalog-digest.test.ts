import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingestMarcFiles } from '../ingest/ingest-marc-files.ts';
import { openMemoryDatabase } from './open-database.ts';
import { SqliteCatalogStore } from './sqlite-catalog-store.ts';

const fixture = (p: string): string => fileURLToPath(new URL(`../../test/fixtures/marc/${p}`, import.meta.url));
const LIBRARIES = [
  { library: 'KOHA', paths: [fixture('koha/koha_misc4dev_sample_A.marcxml')] },
  { library: 'EVG', paths: [fixture('evergreen/oss.marc'), fixture('evergreen/lul_fre_100.mrc')] },
  { library: 'JAZZ', paths: [fixture('evergreen/jazz_1k.mrc')] },
];

async function catalog(opts: { batchSize?: number; worksBefore?: number } = {}): Promise<SqliteCatalogStore> {
  const store = new SqliteCatalogStore(openMemoryDatabase());
  // works numbered differently: the digest names a work by its members, not by its number
  for (let i = 0; i < (opts.worksBefore ?? 0); i++) store.createWork();
  for (const lib of LIBRARIES) await ingestMarcFiles({ store, ...lib, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) });
  return store;
}

describe('the catalog digest', () => {
  it('is equal for the same input stored in other batches under other work numbers', async () => {
    const a = await catalog();
    const b = await catalog({ batchSize: 7, worksBefore: 5 });
    expect(a.work(1)?.records).not.toEqual(b.work(1)?.records);
    const da = a.digest();
    expect(da.records).toBeGreaterThan(1000);
    expect(da.items).toBeGreaterThan(0);
    expect(b.digest()).toEqual(da);
  });

  it('changes with a holding’s status, and only in the holdings part', async () => {
    const a = await catalog();
    const before = a.digest();
    a.db.prepare("UPDATE items SET status = 'on-loan' WHERE id = (SELECT min(id) FROM items WHERE status <> 'on-loan')").run();
    const after = a.digest();
    expect(after.digest).not.toBe(before.digest);
    expect(after.parts).toEqual({ ...before.parts, holdings: expect.not.stringMatching(before.parts.holdings) });
  });

  it('changes when a record moves to another work', async () => {
    const a = await catalog();
    const before = a.digest();
    const shared = a.db.prepare('SELECT work_id AS workId, max(id) AS id FROM records GROUP BY work_id HAVING count(*) > 1 LIMIT 1').get() as { workId: number; id: string };
    a.setRecordWork(shared.id, a.createWork(), null);
    expect(a.digest().parts.records).not.toBe(before.parts.records);
  });
});
