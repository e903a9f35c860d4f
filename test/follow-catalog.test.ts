/**
 * A running Jala follows the catalog on SQLite: `jala ingest` run in another process into the same data
 * directory (a librarian loading a library's new records while the bot runs) reaches the bot's answers
 * without a restart. The bot notices the change sequence moved (polled every 2 s), catches its index up
 * from the saved one and swaps it in. (PostgreSQL replicas are woken by LISTEN/NOTIFY instead:
 * test/postgres-catalog.test.ts.)
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJala, type Jala } from '../src/app/create-jala.ts';
import { marcFixtures } from './support/paths.ts';
import { howEnded, runJala, type JalaRun } from './support/run-jala.ts';
import { sampleDataDir } from './support/sample-jala.ts';

/** `jala …` as a child process, on SQLite (JALA_DATABASE_URL removed). */
function jalaCli(args: string[]): Promise<JalaRun> {
  const env = { ...process.env };
  delete env.JALA_DATABASE_URL;
  return runJala(args, { env }).done;
}

describe('a running Jala follows ingests made by another process (SQLite)', () => {
  const sample = sampleDataDir(undefined, { prefix: 'jala-follow-' });
  let jala: Jala;
  const lines: string[] = [];

  beforeAll(async () => {
    const saved = process.env.JALA_DATABASE_URL;
    delete process.env.JALA_DATABASE_URL;
    try {
      jala = await createJala({ dataDir: sample.dataDir, configPath: sample.configPath, ingestMissing: true });
    } finally {
      if (saved !== undefined) process.env.JALA_DATABASE_URL = saved;
    }
    jala.followCatalog((line) => lines.push(line));
  }, 300_000);

  afterAll(() => jala?.close());

  const holders = (): string[] => jala.ask('Lanark a life in four books').results?.[0]?.libraries ?? [];

  it('answers with a library ingested by `jala ingest` in another process, without a restart', async () => {
    expect(holders()).toEqual(['UGM']);
    const seqBefore = jala.store.currentSeq();
    const r = await jalaCli(['ingest', '--library', 'KO', '--name', 'Koha sample', '--data-dir', sample.dataDir, path.join(marcFixtures(), 'koha')]);
    expect(r.code, `${howEnded(r)}: ${r.stderr}`).toBe(0);
    const deadline = Date.now() + 30_000;
    while (holders().length < 2 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(holders()).toEqual(['KO', 'UGM']);
    // the ingest commits batch by batch: a poll may see it half-way, and the next catch-up comes at most 10 s later
    const settled = Date.now() + 30_000;
    while (jala.indexInfo.seq !== jala.store.currentSeq() && Date.now() < settled) await new Promise((res) => setTimeout(res, 100));
    expect(jala.indexInfo.seq).toBe(jala.store.currentSeq());
    expect(jala.indexInfo.seq).toBeGreaterThan(seqBefore);
    expect(lines[0]).toMatch(new RegExp(`^jala: the search index followed the catalog from change ${seqBefore} to \\d+ \\((caught-up|loaded)\\)$`));
    expect(lines.at(-1)).toMatch(new RegExp(`to ${jala.indexInfo.seq} \\((caught-up|loaded)\\)$`));
  }, 120_000);
});
