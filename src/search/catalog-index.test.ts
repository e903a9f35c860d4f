import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedCatalog } from '../../test/support/generated-catalog.ts';
import { buildIndex } from './catalog-index.ts';

describe('building the works index with a worker thread', () => {
  it('makes the same index, byte for byte, as building in this thread', async () => {
    const { dir, store } = await generatedCatalog({ prefix: 'jala-build-', records: 3000, libraries: 4, inFile: true });
    const saved = (workerFrom: number): string => {
      const progress: number[] = [];
      const index = buildIndex(store, (p) => progress.push(p.done), { workerFrom });
      const out = path.join(dir, `index-${workerFrom}`);
      index.save(out, { catalogId: store.catalogId(), seq: store.currentSeq() });
      expect(progress.at(-1)).toBe(store.workCount());
      return fs.readFileSync(path.join(out, 'index', 'works-index.json'), 'utf8');
    };
    const inThread = saved(Number.POSITIVE_INFINITY);
    const withWorker = saved(1);
    expect(withWorker.length).toBeGreaterThan(100_000);
    expect(withWorker).toBe(inThread);
    // availability travels outside the worker: some works are available somewhere, and it is in the index
    expect(inThread).toMatch(/"avail":\["[A-Z]+/);
    store.db.close();
  });
});
