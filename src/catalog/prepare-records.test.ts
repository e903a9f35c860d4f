import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMarc } from '../bench/generate-marc.ts';
import { openMemoryDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { ingestMarcFiles, type IngestSummary } from './ingest-marc-files.ts';
import { createWorkerPreparer, inThreadPreparer, type RecordPreparer } from './prepare-records.ts';

async function ingestAll(preparer: RecordPreparer, files: ReturnType<typeof generateMarc>['libraries'], extra: string): Promise<{ summaries: IngestSummary[]; rows: unknown[]; works: unknown[] }> {
  const store = new SqliteCatalogStore(openMemoryDatabase());
  const summaries: IngestSummary[] = [];
  const now = (): Date => new Date('2026-01-01T00:00:00Z');
  for (const lib of files) summaries.push(await ingestMarcFiles({ store, library: lib.code, paths: [...lib.files, extra], preparer, now, batchSize: 300 }));
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
});
