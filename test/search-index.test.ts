import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import { ingestMarcFiles } from '../src/ingest/ingest-marc-files.ts';
import { DEFAULT_DATA_DIR } from '../src/config/data-dir.ts';
import { updatePersistedIndex } from '../src/search/catalog-index.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { SqliteCatalogStore } from '../src/store/sqlite-catalog-store.ts';
import { JALA_BIN, marcFixtures, tempDir } from './support/paths.ts';

const shared = marcFixtures();
const ugmRecords = path.join(DEFAULT_DATA_DIR, 'records', 'UGM', 'indonesian-titles.marcxml');

describe('the persisted works index', () => {
  it('is built when missing, loaded as saved next time, kept current by ingest, and caught up when an ingest did not update it', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const store = new SqliteCatalogStore(db);
    await ingestMarcFiles({ store, library: 'UGM', paths: [ugmRecords] });

    const first = await createJala({ dataDir: dir });
    expect(first.indexInfo.how).toBe('built');
    expect(first.ask('laskar pelangi').results[0]?.title).toMatch(/^Laskar pelangi/);
    first.close();
    expect(fs.existsSync(path.join(dir, 'index', 'works-index.bin'))).toBe(true);

    const second = await createJala({ dataDir: dir });
    expect(second.indexInfo.how).toBe('loaded');
    second.close();

    // an ingest followed by an index update: the next start loads the saved index as is and finds the new records
    await ingestMarcFiles({ store, library: 'PERL', paths: [path.join(shared, 'marc4j', 'samples_summerland.mrc')] });
    expect(updatePersistedIndex(store, dir)).toBe('updated');
    const third = await createJala({ dataDir: dir });
    expect(third.indexInfo.how).toBe('loaded');
    expect(third.ask('summerland').total).toBeGreaterThan(0);
    third.close();

    // an ingest that did not touch the index (another process): caught up at start, no rebuild
    await ingestMarcFiles({ store, library: 'PERL', paths: [path.join(shared, 'marc4j', 'samples_summerland.mrc')], replace: true });
    await ingestMarcFiles({ store, library: 'UGM', paths: [path.join(shared, 'marc4j', 'samples_chabon.mrc')], replace: true });
    const fourth = await createJala({ dataDir: dir });
    expect(fourth.indexInfo.how).toBe('caught-up');
    expect(fourth.ask('laskar pelangi').total).toBe(0); // UGM's Indonesian titles were replaced
    expect(fourth.ask('summerland').total).toBeGreaterThan(0);
    fourth.close();
    db.close();
  });

  it('is rebuilt when it was saved by another index version or for another database', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    await ingestMarcFiles({ store: new SqliteCatalogStore(db), library: 'UGM', paths: [ugmRecords] });
    db.close();
    (await createJala({ dataDir: dir })).close();
    const metaFile = path.join(dir, 'index', 'works-index.meta.json');
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { version: number; catalogId: string };
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, version: meta.version + 100 }));
    const again = await createJala({ dataDir: dir });
    expect(again.indexInfo.how).toBe('built');
    again.close();
    fs.writeFileSync(metaFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(metaFile, 'utf8')), catalogId: 'another' }));
    const third = await createJala({ dataDir: dir });
    expect(third.indexInfo.how).toBe('built');
    expect(third.ask('bumi manusia').total).toBeGreaterThan(0);
    third.close();
  });
});

describe('jala ask and jala chat', () => {
  const dir = tempDir();
  const run = (args: string[], input?: string): string =>
    execFileSync(process.execPath, [JALA_BIN, ...args], { encoding: 'utf8', input: input ?? '', env: { ...process.env, JALA_DATA_DIR: dir } });

  it('answers with --json in the documented shape', () => {
    run(['ingest', '--library', 'UGM', ugmRecords]);
    const answer = JSON.parse(run(['ask', '--json', 'apakah ada buku Laskar Pelangi?'])) as {
      results: Array<{ title: string; authors: string[]; year: number; isbns: string[]; holdings: Array<{ library: string; status: string }> }>;
    };
    const top = answer.results[0];
    expect(top?.title).toMatch(/^Laskar pelangi/);
    expect(top?.authors).toContain('Andrea Hirata');
    expect(top?.year).toBe(2005);
    expect(top?.isbns).toContain('9789793062792');
    expect(top?.holdings.every((h) => h.library === 'UGM' && typeof h.status === 'string')).toBe(true);
  });

  it('--batch answers one question per line, in order', () => {
    const out = run(['ask', '--batch', '--json'], 'laskar pelangi\nqwxzv blorf\n9793062797\n').trim().split('\n');
    expect(out).toHaveLength(3);
    const parsed = out.map((l) => JSON.parse(l) as { total: number; results: Array<{ title: string }> });
    expect(parsed[0]?.results[0]?.title).toMatch(/^Laskar pelangi/);
    expect(parsed[1]?.total).toBe(0);
    expect(parsed[2]?.results[0]?.title).toMatch(/^Laskar pelangi/);
    const text = run(['ask', '--batch'], 'sang pemimpi\n').trim();
    expect(text).toMatch(/^sang pemimpi\tSang pemimpi/);
  });

  it('chat holds a conversation on standard input, in the asker\'s language, with paging', () => {
    const out = run(['chat', '--library', 'UGM'], 'bantuan\nbuku karangan Pramoedya\nlagi\nlagi\nkeluar\n');
    expect(out).toContain('Tanyakan buku');
    expect(out).toMatch(/karya ditemukan untuk “Pramoedya”/);
    expect(out).toContain('Tidak ada hasil lagi');
  });
});
