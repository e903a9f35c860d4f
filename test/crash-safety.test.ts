import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/open-database.ts';
import { SqliteCatalogStore } from '../src/store/sqlite-catalog-store.ts';
import { JALA_BIN, marcFixtures, tempDir } from './support/paths.ts';
import { sampleDataDir } from './support/sample-jala.ts';

const run = promisify(execFile);

/** Catalog state that must converge: counts and every record's hash and work membership size. */
function snapshot(dataDir: string): unknown {
  const db = openDatabase(dataDir);
  try {
    const store = new SqliteCatalogStore(db);
    const { perLibrary, ...stats } = store.stats();
    const records = db.prepare('SELECT r.id, r.hash, w.record_count AS n FROM records r JOIN works w ON w.id = r.work_id ORDER BY r.id').all();
    return { stats, perLibrary: perLibrary.map(({ lastIngest: _, ...rest }) => rest), records, integrity: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
  }
}

/** Starts the command and SIGKILLs it after `ms`; resolves when it is gone. */
async function killAfter(args: string[], ms: number): Promise<void> {
  const child = spawn(process.execPath, [JALA_BIN, ...args], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, ms));
  child.kill('SIGKILL');
  await exited;
}

describe('crash safety', () => {
  it('a record-by-record ingest (--no-bulk) killed with SIGKILL at several points leaves a database that opens and passes integrity_check, and a re-run converges', async () => {
    const input = path.join(marcFixtures(), 'evergreen');
    const clean = tempDir();
    await run(process.execPath, [JALA_BIN, 'ingest', '--no-bulk', '--library', 'EG', '--data-dir', clean, input]);
    const expected = snapshot(clean);

    const dir = tempDir();
    // kill points spread over the run (start-up, mid-batches, near the end); the same list every run
    for (const ms of [700, 1100, 1500, 2200, 3000]) {
      await killAfter(['ingest', '--no-bulk', '--library', 'EG', '--data-dir', dir, input], ms);
      const db = openDatabase(dir);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    await run(process.execPath, [JALA_BIN, 'ingest', '--no-bulk', '--library', 'EG', '--data-dir', dir, input]);
    expect(snapshot(dir)).toEqual(expected);
  });

  it('a record-by-record full reindex (--no-bulk) killed with SIGKILL leaves a usable database and index, and a re-run converges to an uninterrupted one', async () => {
    const clean = sampleDataDir();
    await run(process.execPath, [JALA_BIN, 'reindex', '--full', '--no-bulk', '--data-dir', clean.dataDir]);
    const expected = snapshot(clean.dataDir);

    const target = sampleDataDir();
    for (const ms of [900, 1600, 2600]) {
      await killAfter(['reindex', '--full', '--no-bulk', '--data-dir', target.dataDir], ms);
      const db = openDatabase(target.dataDir);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    await run(process.execPath, [JALA_BIN, 'reindex', '--full', '--no-bulk', '--data-dir', target.dataDir]);
    expect(snapshot(target.dataDir)).toEqual(expected);
    // and the persisted index answers from it
    const { stdout } = await run(process.execPath, [JALA_BIN, 'ask', '--json', '--data-dir', target.dataDir, 'laskar pelangi']);
    expect((JSON.parse(stdout) as { results: Array<{ title: string }> }).results[0]?.title).toMatch(/^Laskar pelangi/);
  });
});
