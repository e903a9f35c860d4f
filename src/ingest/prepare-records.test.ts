import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMarc } from '../../test/bench/generate-marc.ts';
import { openMemoryDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { ingestMarcFiles, type IngestSummary } from './ingest-marc-files.ts';
import { createWorkerPreparer, inThreadPreparer, type PrepareJob, type PreparerOutput, type RecordPreparer } from './prepare-records.ts';

async function ingestAll(preparer: RecordPreparer, files: ReturnType<typeof generateMarc>['libraries'], extra: string): Promise<{ summaries: IngestSummary[]; rows: unknown[]; works: unknown[] }> {
  const store = new SqliteCatalogStore(openMemoryDatabase());
  const summaries: IngestSummary[] = [];
  const now = (): Date => new Date('2026-01-01T00:00:00Z');
  for (const [i, lib] of files.entries()) {
    // the next library's files are read ahead while this one is stored
    const after = files[i + 1];
    const next = after ? { next: { library: after.code, paths: [...after.files, extra] } } : {};
    summaries.push(await ingestMarcFiles({ store, library: lib.code, paths: [...lib.files, extra], preparer, now, batchSize: 300, ...next }));
  }
  const rows = store.db.prepare('SELECT id, work_id, hash, doc, marc, matched_by, warnings FROM records ORDER BY id').all();
  const works = store.db.prepare('SELECT id, doc, record_count, library_count FROM works ORDER BY id').all();
  return { summaries, rows, works };
}

describe('preparing records in a worker thread', () => {
  it('gives the ingest exactly what preparing in its own thread gives: same records, works, problems and summaries', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-prepare-'));
    const catalog = generateMarc({ outDir: path.join(dir, 'marc'), records: 800, libraries: 5, questions: 20 });
    // one broken record and a non-MARC file among the good ones
    const broken = path.join(dir, 'broken.mrc');
    fs.writeFileSync(broken, Buffer.concat([Buffer.from('00050nam a2200037 a 4500'), Buffer.from('garbage\u001e\u001d')]));
    const inThread = await ingestAll(inThreadPreparer(), catalog.libraries, broken);
    const worker = createWorkerPreparer();
    try {
      const inWorker = await ingestAll(worker, catalog.libraries, broken);
      expect(inWorker.summaries).toEqual(inThread.summaries);
      expect(inWorker.rows).toEqual(inThread.rows);
      expect(inWorker.works).toEqual(inThread.works);
    } finally {
      await worker.close();
    }
    expect(inThread.summaries.reduce((n, s) => n + s.ingested, 0)).toBe(800);
    expect(inThread.summaries.some((s) => s.problems.length > 0)).toBe(true);
  });

  it('drops a prefetched job that is not asked for next, and still prepares it later', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-prefetch-'));
    const catalog = generateMarc({ outDir: path.join(dir, 'marc'), records: 3000, libraries: 3, questions: 5 });
    const [a, b] = catalog.libraries.map((lib): PrepareJob => ({ files: lib.files, library: lib.code, profile: 'auto' }));
    const ids = async (items: AsyncIterable<PreparerOutput>): Promise<string[]> => {
      const out: string[] = [];
      for await (const item of items) if (item.type === 'record' && item.mapped.ok) out.push(JSON.parse('docJson' in item.mapped ? item.mapped.docJson : JSON.stringify(item.mapped.doc)).id);
      return out;
    };
    const expected = { a: await ids(inThreadPreparer().prepare(a!)), b: await ids(inThreadPreparer().prepare(b!)) };
    expect(expected.a.length).toBeGreaterThan(600);
    const worker = createWorkerPreparer();
    try {
      // a's batches may already be waiting: asking for b drops them and gives b alone; dropped batches
      // give their credit back, or after a few rounds the worker could send nothing more (32 in flight)
      for (let round = 0; round < 10; round++) {
        worker.prefetch?.(a!);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(await ids(worker.prepare(b!))).toEqual(expected.b);
      }
      expect(await ids(worker.prepare(a!))).toEqual(expected.a);
      // prefetched and then asked for: the same items
      worker.prefetch?.(b!);
      expect(await ids(worker.prepare(b!))).toEqual(expected.b);
    } finally {
      await worker.close();
    }
  });
});
