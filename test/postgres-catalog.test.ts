/**
 * JALA_DATABASE_URL moves the whole consortium to PostgreSQL (issue 20): the catalog, harvest state,
 * reports, the served catalog and OAI-PMH items with it. End to end through real `jala` processes:
 * the sample consortium loaded once into a SQLite data directory and once into a real PostgreSQL
 * (`jala reindex --full`, then a further `jala ingest`), then the same realistic questions through
 * `jala ask --batch` against both give identical answers, and `jala stats --digest` is equal. The
 * catalog server of the PostgreSQL consortium answers SRU as the SQLite one does and serves the same
 * OAI-PMH identifiers; and `jala migrate-store` copies the PostgreSQL consortium, ingested there
 * directly, back into a data directory with the same digest. Without PostgreSQL: skipped, one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import { openStores } from '../src/app/open-stores.ts';
import { buildIndex } from '../src/search/catalog-index.ts';
import { DATABASE_FILE } from '../src/store/open-database.ts';
import { PgCatalogChanges } from '../src/store-postgres/pg-catalog-changes.ts';
import { PgDatabase } from '../src/store-postgres/pg-database.ts';
import { marcFixtures, tempDir } from './support/paths.ts';
import { PATRON_QUESTIONS } from './support/patron-questions.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { restartSampleServer } from './support/catalog-server.ts';
import { howEnded, runJala, type JalaRun } from './support/run-jala.ts';
import { sampleDataDir } from './support/sample-jala.ts';
import { describeWithTools } from './support/system-tools.ts';

/** `jala …` as a child process, with JALA_DATABASE_URL set to `url` or removed. */
function jala(args: string[], url: string | undefined, input = ''): Promise<JalaRun> {
  const env = { ...process.env };
  delete env.JALA_DATABASE_URL;
  if (url !== undefined) env.JALA_DATABASE_URL = url;
  return runJala(args, { env, input }).done;
}

async function ok(args: string[], url: string | undefined, input = ''): Promise<{ stdout: string; stderr: string }> {
  const r = await jala(args, url, input);
  expect(r.code, `jala ${args.join(' ')}: ${howEnded(r)}: ${r.stderr}`).toBe(0);
  return r;
}

const QUESTIONS = PATRON_QUESTIONS;

describeWithTools([POSTGRES_TOOL], 'the whole consortium on PostgreSQL (JALA_DATABASE_URL)', () => {
  const postgres = usePostgresServer();
  let url: string;
  const sqlite = sampleDataDir(undefined, { prefix: 'jala-pgcat-sqlite-' });
  const pg = sampleDataDir(undefined, { prefix: 'jala-pgcat-pg-' });

  beforeAll(async () => {
    url = postgres().createDatabase();
    // the sample consortium's four libraries: SQLite by the bulk path, PostgreSQL record by record (--no-bulk;
    // PostgreSQL's bulk path is compared with both in test/postgres-bulk-load.test.ts)
    expect((await ok(['reindex', '--full', '--data-dir', sqlite.dataDir], undefined)).stderr).toMatch(/bulk load: swapped/);
    const full = await ok(['reindex', '--full', '--no-bulk', '--data-dir', pg.dataDir], url);
    expect(full.stderr).not.toMatch(/bulk load/);
    // then one more library through `jala ingest`, into a catalog that already holds records
    const extra = path.join(marcFixtures(), 'evergreen');
    await ok(['ingest', '--library', 'EG', '--name', 'Evergreen sample', '--data-dir', sqlite.dataDir, extra], undefined);
    await ok(['ingest', '--library', 'EG', '--name', 'Evergreen sample', '--data-dir', pg.dataDir, extra], url);
  }, 600_000);

  it('keeps nothing of the catalog in the data directory: no jala.db there, the search index is; a jala.db left in one is named, not read', async () => {
    expect(fs.existsSync(path.join(pg.dataDir, DATABASE_FILE))).toBe(false);
    expect(fs.existsSync(path.join(pg.dataDir, 'index'))).toBe(true);
    const left = await ok(['stats', '--json', '--data-dir', sqlite.dataDir], url);
    expect(left.stderr).toContain(`not from ${path.join(sqlite.dataDir, DATABASE_FILE)} (jala migrate-store --to postgres://… moves it there)`);
    expect(left.stderr).not.toContain(url);
  });

  it('holds the same catalog: jala stats --digest equal', async () => {
    const a = (await ok(['stats', '--digest', '--data-dir', sqlite.dataDir], undefined)).stdout;
    const b = (await ok(['stats', '--digest', '--data-dir', pg.dataDir], url)).stdout;
    expect(a.split('\n')[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(/records ([\d,]+)/.exec(a)?.[1]?.replace(/,/g, ''))).toBeGreaterThan(1575);
    expect(b).toBe(a);
  });

  it('answers jala ask --batch identically, with answers found', async () => {
    const input = `${QUESTIONS.join('\n')}\n`;
    const a = (await ok(['ask', '--batch', '--json', '--data-dir', sqlite.dataDir], undefined, input)).stdout.trim().split('\n');
    const b = (await ok(['ask', '--batch', '--json', '--data-dir', pg.dataDir], url, input)).stdout.trim().split('\n');
    expect(a).toHaveLength(QUESTIONS.length);
    expect(b).toEqual(a);
    const parsed = a.map((line) => JSON.parse(line) as { results?: Array<{ title: string }> });
    expect(parsed[0]?.results?.[0]?.title).toMatch(/^Laskar pelangi/);
    expect(parsed.filter((p) => (p.results?.length ?? 0) > 0).length).toBeGreaterThanOrEqual(8);
    // the text answers too (what a patron reads)
    const ta = (await ok(['ask', '--batch', '--data-dir', sqlite.dataDir], undefined, input)).stdout;
    const tb = (await ok(['ask', '--batch', '--data-dir', pg.dataDir], url, input)).stdout;
    expect(tb).toBe(ta);
  });

  it('serves SRU as the SQLite consortium does, and the same OAI-PMH identifiers', async () => {
    const sru = '/sru?operation=searchRetrieve&version=1.2&query=dc.title%3D%22laskar%20pelangi%22&maximumRecords=5';
    const oai = '/oai?verb=ListIdentifiers&metadataPrefix=oai_dc';
    const fetchBoth = async (): Promise<{ sruBody: string; ids: string[] }> => {
      const s = await restartSampleServer(process.env.JALA_DATABASE_URL ? pg.dataDir : sqlite.dataDir, process.env.JALA_DATABASE_URL ? pg.configPath : sqlite.configPath);
      try {
        const sruBody = await (await fetch(`${s.base}${sru}`)).text();
        const ids: string[] = [];
        let next = `${s.base}${oai}`;
        for (;;) {
          const body = await (await fetch(next)).text();
          ids.push(...[...body.matchAll(/<identifier>([^<]+)<\/identifier>/g)].map((m) => m[1] as string));
          const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(body)?.[1];
          if (!token) break;
          next = `${s.base}/oai?verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`;
        }
        return { sruBody, ids };
      } finally {
        await s.stop();
      }
    };
    const a = await fetchBoth();
    process.env.JALA_DATABASE_URL = url;
    let b;
    try {
      b = await fetchBoth();
    } finally {
      delete process.env.JALA_DATABASE_URL;
    }
    expect(a.sruBody).toMatch(/<zs:numberOfRecords>[1-9]/);
    expect(a.sruBody).toContain('Laskar pelangi');
    // equal but for each union record's 005 (when its records were stored: the two loads ran apart)
    const no005 = (xml: string): string => xml.replace(/<controlfield tag="005">\d{14}\.0<\/controlfield>/g, '<controlfield tag="005"/>');
    expect(no005(a.sruBody)).not.toBe(a.sruBody);
    expect(no005(b.sruBody)).toBe(no005(a.sruBody));
    expect(a.ids.length).toBeGreaterThan(1000);
    expect([...b.ids].sort()).toEqual([...a.ids].sort());
  });

  it('builds the search index of a large PostgreSQL catalog with a worker thread fed the works by this one (pg-native cannot load in a worker thread): no failed worker, the same bytes', () => {
    const { stores, close } = openStores(tempDir('jala-pgcat-index-'), { databaseUrl: url });
    try {
      const failures: string[] = [];
      const ways: string[] = [];
      const save = (workerFrom: number): Buffer => {
        const out = tempDir('jala-pgcat-index-');
        buildIndex(stores.catalog, undefined, { workerFrom, onWorkerFailed: (why) => failures.push(why), onBuilt: (way) => ways.push(way) }).save(out, { catalogId: stores.catalog.catalogId(), seq: stores.catalog.currentSeq() });
        return fs.readFileSync(path.join(out, 'index', 'works-index.bin'));
      };
      const inThread = save(Number.POSITIVE_INFINITY);
      const withWorker = save(1);
      expect(failures).toEqual([]);
      expect(ways).toEqual(['this-thread', 'fed-worker']);
      expect(withWorker.length).toBeGreaterThan(10_000);
      expect(withWorker.equals(inThread)).toBe(true);
    } finally {
      close();
    }
  });

  it('keeps a running bot\'s index in step with ingests made by another process on the same PostgreSQL (LISTEN/NOTIFY wakes it, the change sequence catches it up)', async () => {
    const dataDir = tempDir('jala-pgcat-replica-');
    fs.copyFileSync(pg.configPath, path.join(dataDir, 'consortium.json'));
    process.env.JALA_DATABASE_URL = url;
    let j;
    try {
      j = await createJala({ dataDir });
    } finally {
      delete process.env.JALA_DATABASE_URL;
    }
    try {
      expect(j.indexInfo.how).toBe('built');
      const holders = (): string[] => j!.ask('Lanark a life in four books').results?.[0]?.libraries ?? [];
      expect(holders()).toEqual(['UGM']);
      // another process ingests a library's copy of it (and of the rest of Koha's sample)
      const lines: string[] = [];
      j.followCatalog((line) => lines.push(line));
      const seqBefore = j.store.currentSeq();
      await ok(['ingest', '--library', 'KO', '--name', 'Koha sample', '--data-dir', pg.dataDir, path.join(marcFixtures(), 'koha')], url);
      expect(j.store.currentSeq()).toBeGreaterThan(seqBefore);
      // no restart, no refresh asked for: the commits' notifications wake the bot, which catches up (at
      // most once per 10 s, so an ingest committing batch after batch may take two catch-ups). The
      // safety-net poll runs every 30 s, so an answer within 20 s is the notifications' doing.
      const deadline = Date.now() + 20_000;
      while (holders().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(holders()).toEqual(['KO', 'UGM']);
      const settled = Date.now() + 30_000;
      while (j.indexInfo.seq !== j.store.currentSeq() && Date.now() < settled) await new Promise((r) => setTimeout(r, 100));
      expect(j.indexInfo.seq).toBe(j.store.currentSeq());
      expect(lines[0]).toMatch(new RegExp(`^jala: the search index followed the catalog from change ${seqBefore} to \\d+ \\(caught-up\\)$`));
      expect(lines.at(-1)).toMatch(new RegExp(`to ${j.store.currentSeq()} \\(caught-up\\)$`));
    } finally {
      j.close();
    }
  });

  it('hears another connection\'s commit of a change at once through LISTEN jala_catalog, with no poll to fall back on', async () => {
    // the follow test above cannot tell the notification from the 30 s safety-net poll when its ingest is
    // slow: here the poll is an hour, so only the notification can call back
    const heard: number[] = [];
    const store = new PgDatabase(url);
    const seq = (): number => Number(store.get<{ value: string }>("SELECT value FROM meta WHERE key = 'seq'")?.value ?? 0);
    const stop = new PgCatalogChanges(url, seq, { pollMs: 3_600_000 }).watch(() => heard.push(Date.now()));
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([]);
      const other = new PgDatabase(url);
      try {
        // a transaction that writes the change sequence's row, as every catalog write does (migration 5's
        // trigger notifies at commit); written back unchanged, so the later tests see the same catalog
        other.transaction(() => other.run("UPDATE meta SET value = value WHERE key = 'seq'"));
      } finally {
        other.close();
      }
      const deadline = Date.now() + 15_000;
      while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(heard.length).toBe(1);
    } finally {
      stop();
      store.close();
    }
  });

  it('works for an ordinary role that owns its database (not a superuser): schema, ingest, answers', async () => {
    const admin = new PgDatabase(postgres().adminUrl);
    try {
      admin.exec('CREATE ROLE librarian LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE');
      admin.exec('CREATE DATABASE jala_librarian OWNER librarian');
    } finally {
      admin.close();
    }
    const own = postgres().adminUrl.replace('//jala@', '//librarian@').replace(/\/postgres$/, '/jala_librarian');
    const dataDir = tempDir('jala-pgcat-role-');
    fs.copyFileSync(pg.configPath, path.join(dataDir, 'consortium.json'));
    await ok(['ingest', '--library', 'KO', '--name', 'Koha sample', '--data-dir', dataDir, path.join(marcFixtures(), 'koha')], own);
    const stats = JSON.parse((await ok(['stats', '--json', '--data-dir', dataDir], own)).stdout) as { records: number };
    expect(stats.records).toBeGreaterThan(0);
    const answer = JSON.parse((await ok(['ask', '--batch', '--json', '--data-dir', dataDir], own, 'Lanark a life in four books\n')).stdout.trim()) as { results?: Array<{ libraries: string[] }> };
    expect(answer.results?.[0]?.libraries).toEqual(['KO']);
  });

  it('jala migrate-store copies the consortium ingested into PostgreSQL back into a data directory, digest equal', async () => {
    const back = tempDir('jala-pgcat-back-');
    const r = await jala(['migrate-store', '--from', url, '--to', back, '--json'], undefined);
    expect(r.code, `${howEnded(r)}: ${r.stderr}`).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; catalog: { source: { digest: string }; target: { digest: string } } };
    expect(report.ok).toBe(true);
    const expected = (await ok(['stats', '--digest', '--data-dir', pg.dataDir], url)).stdout;
    expect((await ok(['stats', '--digest', '--data-dir', back], undefined)).stdout).toBe(expected);
  });
});
