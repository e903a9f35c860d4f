import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedCatalog } from '../../test/support/generated-catalog.ts';
import { buildIndex } from './catalog-index.ts';
import { MiniSearchIndex } from './minisearch-index.ts';

describe('building the works index with a worker thread', () => {
  it('makes the same index, byte for byte, as building in this thread', async () => {
    const { dir, store } = await generatedCatalog({ prefix: 'jala-build-', records: 3000, libraries: 4, inFile: true });
    const saved = (workerFrom: number): { file: Buffer; out: string } => {
      const progress: number[] = [];
      const failures: string[] = [];
      const ways: string[] = [];
      const index = buildIndex(store, (p) => progress.push(p.done), { workerFrom, onWorkerFailed: (why) => failures.push(why), onBuilt: (way) => ways.push(way) });
      // the worker really built it (a failed worker falls back to this thread, which would pass unseen)
      expect(failures).toEqual([]);
      expect(ways).toEqual([workerFrom === Number.POSITIVE_INFINITY ? 'this-thread' : 'worker']);
      const out = path.join(dir, `index-${workerFrom}`);
      index.save(out, { catalogId: store.catalogId(), seq: store.currentSeq() });
      expect(progress.at(-1)).toBe(store.workCount());
      return { file: fs.readFileSync(path.join(out, 'index', 'works-index.bin')), out };
    };
    const inThread = saved(Number.POSITIVE_INFINITY);
    const withWorker = saved(1);
    expect(withWorker.file.length).toBeGreaterThan(100_000);
    expect(withWorker.file.equals(inThread.file)).toBe(true);
    // availability travels outside the worker: some works are available somewhere, and it is in the index
    const loaded = MiniSearchIndex.load(withWorker.out);
    const stored = (loaded?.index as unknown as { mini: { _storedFields: Map<number, { avail: string[] }> } }).mini._storedFields;
    expect([...stored.values()].some((s) => s.avail.length > 0 && /^[A-Z]+/.test(s.avail[0] as string))).toBe(true);
    store.db.close();
  });
});
