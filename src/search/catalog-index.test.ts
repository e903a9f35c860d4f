import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMarc } from '../bench/generate-marc.ts';
import { ingestMarcFiles } from '../catalog/ingest-marc-files.ts';
import { openDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { buildIndex } from './catalog-index.ts';

describe('building the works index with a worker thread', () => {
  it('makes the same index, byte for byte, as building in this thread', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-build-'));
    const catalog = generateMarc({ outDir: path.join(dir, 'marc'), records: 3000, libraries: 4, questions: 5 });
    const dataDir = path.join(dir, 'data');
    const db = openDatabase(dataDir);
    const store = new SqliteCatalogStore(db);
    for (const lib of catalog.libraries) await ingestMarcFiles({ store, library: lib.code, paths: lib.files });
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
    db.close();
  });
});
