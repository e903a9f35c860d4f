/**
 * The bulk path into PostgreSQL (issues 20 and 22, item 6), end to end through real `jala` processes
 * on a real PostgreSQL: with JALA_DATABASE_URL, `jala reindex --full` and the first `jala ingest` build
 * the catalog tables by COPY in a staging schema and swap them in. The catalog it leaves is the one the
 * record-by-record path stores into PostgreSQL and the one the SQLite bulk path builds (`jala stats
 * --digest`, lookup keys, match rules, answers), in tables shaped exactly as the migrations make them;
 * a replica following the catalog catches up by the change sequence, moved on by the swap; and a load
 * SIGKILLed at each point of its build leaves the old catalog answering, with nothing left behind, and a
 * re-run converges. Without PostgreSQL: skipped, one line.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { PgCatalogStore } from '../src/store-postgres/pg-catalog-store.ts';
import { catalogShape } from '../src/store-postgres/pg-bulk-catalog.ts';
import { PgDatabase } from '../src/store-postgres/pg-database.ts';
import { JALA_BIN, marcFixtures, tempDir } from './support/paths.ts';
import { POSTGRES_TOOL, type PostgresServer } from './support/postgres-server.ts';
import { inPg, usePostgresServer } from './support/postgres-suite.ts';
import { configureFixtureConsortium } from './support/patron-questions.ts';
import { sampleDataDirOf } from './support/sample-jala.ts';
import { describeWithTools } from './support/system-tools.ts';

const CRASH_CHILD = path.join(PACKAGE_ROOT, 'test', 'support', 'bulk-load-crash.ts');

function envWith(url: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.JALA_DATABASE_URL;
  if (url !== undefined) env.JALA_DATABASE_URL = url;
  return env;
}

/** `jala …` with JALA_DATABASE_URL = `url` (none: SQLite); rejects on a non-zero exit. */
async function jala(args: string[], url: string | undefined, input = ''): Promise<{ stdout: string; stderr: string }> {
  const child = execFile(process.execPath, [JALA_BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: envWith(url) });
  const done = new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: string) => (stdout += d));
    child.stderr?.on('data', (d: string) => (stderr += d));
    child.once('close', (code, signal) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`jala ${args.join(' ')} exited ${code ?? `by ${signal}`}: ${stderr}`))));
  });
  child.stdin?.end(input);
  return done;
}

async function digest(dataDir: string, url: string | undefined): Promise<string> {
  return (await jala(['stats', '--digest', '--data-dir', dataDir], url)).stdout;
}

const QUESTIONS = ['laskar pelangi', 'buku karya Pramoedya Ananta Toer', '9789793062792', 'harry potter', 'sejarah indonesia', 'is there a book about python programming?'];

async function answers(dataDir: string, url: string | undefined): Promise<string[]> {
  return (await jala(['ask', '--batch', '--json', '--data-dir', dataDir], url, `${QUESTIONS.join('\n')}\n`)).stdout.trim().split('\n');
}



const keysOf = (url: string): unknown[] => inPg(url, (db) => db.all('SELECT kind, key, record_id FROM record_keys ORDER BY kind, key, record_id'));
const rulesOf = (url: string): unknown[] => inPg(url, (db) => db.all('SELECT id, work_id, matched_by FROM records ORDER BY id'));
const stagingLeft = (url: string): number => inPg(url, (db) => db.get<{ n: number }>("SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'jala_bulk_load'")!.n);

describeWithTools([POSTGRES_TOOL], 'the bulk path into PostgreSQL (COPY into staging tables, swapped in)', () => {
  const postgres = usePostgresServer();

  it('on the sample consortium: the same catalog as the record-by-record path and as the SQLite bulk path, in tables shaped as the migrations make them', async () => {
    const bulk = sampleDataDirOf();
    const perRecord = sampleDataDirOf();
    const sqlite = sampleDataDirOf();
    const bulkUrl = postgres().createDatabase();
    const perRecordUrl = postgres().createDatabase();
    const full = await jala(['reindex', '--full', '--data-dir', bulk.dataDir], bulkUrl);
    expect(full.stderr).toMatch(/bulk load: created[\s\S]*bulk load: swapped/);
    expect(full.stderr).not.toMatch(/record by record/);
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', perRecord.dataDir], perRecordUrl);
    await jala(['reindex', '--full', '--data-dir', sqlite.dataDir], undefined);
    const a = await digest(bulk.dataDir, bulkUrl);
    expect(a).toMatch(/records 1,575 /);
    expect(a).toBe(await digest(perRecord.dataDir, perRecordUrl));
    expect(a).toBe(await digest(sqlite.dataDir, undefined));
    // beyond the digest: each record placed by the same rule in a work of the same number, the same lookup keys
    expect(rulesOf(bulkUrl)).toEqual(rulesOf(perRecordUrl));
    expect((rulesOf(bulkUrl) as Array<{ matched_by: string | null }>).filter((r) => r.matched_by !== null).length).toBeGreaterThanOrEqual(15);
    expect(keysOf(bulkUrl).length).toBeGreaterThan(1575);
    expect(keysOf(bulkUrl)).toEqual(keysOf(perRecordUrl));
    // the swapped-in tables: columns, collations, keys, references, indexes and identities as the migrations made them, logged, nothing left of the build
    expect(inPg(bulkUrl, (db) => catalogShape(db, 'public'))).toBe(inPg(perRecordUrl, (db) => catalogShape(db, 'public')));
    expect(inPg(bulkUrl, (db) => db.all("SELECT relname FROM pg_class WHERE relpersistence <> 'p' AND relkind IN ('r', 'i', 'S') AND relnamespace = 'public'::regnamespace"))).toEqual([]);
    expect(stagingLeft(bulkUrl)).toBe(0);
    // written frozen (COPY FREEZE): every page of the records, their keys and items is all-visible and
    // all-frozen, so the first reads after the swap set no hint bits and no anti-wraparound vacuum rewrites
    // the catalog later; the record-by-record path's pages are not
    const frozen = (url: string): unknown =>
      inPg(url, (db) => {
        db.exec('CREATE EXTENSION IF NOT EXISTS pg_visibility');
        return db.all<{ t: string; pages: number; visible: number; frozen: number }>(
          `SELECT t, pg_relation_size(t::regclass) / current_setting('block_size')::int AS pages, s.all_visible AS visible, s.all_frozen AS frozen
             FROM unnest(ARRAY['records', 'record_keys', 'items']) t, pg_visibility_map_summary(t::regclass) s ORDER BY t`,
        );
      });
    const bulkPages = frozen(bulkUrl) as Array<{ t: string; pages: number; visible: number; frozen: number }>;
    expect(bulkPages.map((p) => p.t)).toEqual(['items', 'record_keys', 'records']);
    for (const p of bulkPages) expect(p).toEqual({ t: p.t, pages: expect.any(Number), visible: p.pages, frozen: p.pages });
    expect(bulkPages.every((p) => p.pages > 0)).toBe(true);
    expect((frozen(perRecordUrl) as Array<{ frozen: number }>).every((p) => p.frozen === 0)).toBe(true);
    // new works and items take numbers after the loaded ones, as after a per-record load
    const next = (url: string): unknown =>
      inPg(url, (db) => {
        db.begin();
        try {
          const work = new PgCatalogStore(db).createWork();
          const item = db.get<{ id: number }>("INSERT INTO items (record_id, library, status) SELECT id, library, 'available' FROM records ORDER BY id LIMIT 1 RETURNING id")!.id;
          return { work, item };
        } finally {
          db.end(false);
        }
      });
    expect(next(bulkUrl)).toEqual(next(perRecordUrl));
    // the libraries and this load's runs are registered (jala stats)
    const stats = JSON.parse((await jala(['stats', '--json', '--data-dir', bulk.dataDir], bulkUrl)).stdout) as { libraries: number; perLibrary: Array<{ records: number; lastIngest: string | null }> };
    expect(stats.libraries).toBe(4);
    expect(stats.perLibrary.every((l) => l.records > 0 && l.lastIngest !== null)).toBe(true);
    expect(await answers(bulk.dataDir, bulkUrl)).toEqual(await answers(perRecord.dataDir, perRecordUrl));
  });

  it('on the MARC fixtures (one library per folder, broken records included): the digest of the SQLite bulk path', async () => {
    const configure = configureFixtureConsortium;
    const pg = tempDir('jala-pgbulk-');
    const sqlite = tempDir('jala-pgbulk-');
    configure(pg);
    configure(sqlite);
    const url = postgres().createDatabase();
    expect((await jala(['reindex', '--full', '--data-dir', pg], url)).stderr).toMatch(/bulk load: swapped/);
    await jala(['reindex', '--full', '--data-dir', sqlite], undefined);
    const a = await digest(pg, url);
    expect(Number(/records ([\d,]+)/.exec(a)?.[1]?.replace(/,/g, ''))).toBeGreaterThan(2000);
    expect(a).toBe(await digest(sqlite, undefined));
    // the large documents the load compressed, compressed with lz4 (where the server has it), and read back whole
    const compression = inPg(url, (db) => ({
      lz4: db.get<{ ok: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) AS ok")!.ok,
      methods: db.all<{ m: string; n: number }>('SELECT pg_column_compression(doc) AS m, count(*)::int AS n FROM records WHERE pg_column_compression(doc) IS NOT NULL GROUP BY 1'),
    }));
    if (compression.lz4) expect(compression.methods).toEqual([{ m: 'lz4', n: expect.any(Number) }]);
  });

  it('the first `jala ingest` into an empty PostgreSQL consortium takes the bulk path; the next one, into a non-empty catalog, does not', async () => {
    const evergreen = path.join(marcFixtures(), 'evergreen');
    const koha = path.join(marcFixtures(), 'koha');
    const [bulk, perRecord] = [tempDir('jala-pgbulk-'), tempDir('jala-pgbulk-')];
    const [bulkUrl, perRecordUrl] = [postgres().createDatabase(), postgres().createDatabase()];
    expect((await jala(['ingest', '--library', 'EG', '--name', 'Evergreen', '--data-dir', bulk, evergreen], bulkUrl)).stderr).toMatch(/bulk load: swapped/);
    await jala(['ingest', '--no-bulk', '--library', 'EG', '--name', 'Evergreen', '--data-dir', perRecord, evergreen], perRecordUrl);
    expect(await digest(bulk, bulkUrl)).toBe(await digest(perRecord, perRecordUrl));
    expect((await jala(['ingest', '--library', 'KO', '--data-dir', bulk, koha], bulkUrl)).stderr).not.toMatch(/bulk load/);
    await jala(['ingest', '--library', 'KO', '--data-dir', perRecord, koha], perRecordUrl);
    expect(await digest(bulk, bulkUrl)).toBe(await digest(perRecord, perRecordUrl));
    expect(inPg(bulkUrl, (db) => db.all('SELECT code, name FROM libraries ORDER BY code'))).toEqual(inPg(perRecordUrl, (db) => db.all('SELECT code, name FROM libraries ORDER BY code')));
  });

  it('a full reindex over a live catalog: killed at any point of the build, the old catalog answers and nothing is left; a replica catches up by the change sequence; a re-run converges and ILL requests keep their works', async () => {
    // the live catalog: three libraries loaded record by record (UGM left out, so the bulk build numbers works differently), an ILL request on a work
    const target = sampleDataDirOf(['UI', 'USU', 'DISPUSIP']);
    const url = postgres().createDatabase();
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', target.dataDir], url);
    await jala(['say', '--user', 'lib-usu', '--role', 'librarian', '--library', 'USU', '--data-dir', target.dataDir, '/ill request laskar pelangi'], url);
    const illSide = (): unknown =>
      inPg(url, (db) => ({
        requests: db.all('SELECT id, work_id, title, requester, supplier, state, version FROM ill_requests ORDER BY id'),
        events: db.get('SELECT count(*) AS n FROM ill_events'),
        titleOfRequestedWork: db.all<{ t: string }>("SELECT lower(w.doc::jsonb ->> 'title') AS t FROM ill_requests r JOIN works w ON w.id = r.work_id").map((r) => r.t),
      }));
    const ill = illSide();
    expect(ill).toMatchObject({ requests: [{ title: expect.stringMatching(/^Laskar pelangi$/i), requester: 'USU' }], titleOfRequestedWork: ['laskar pelangi'] });
    const oldDigest = await digest(target.dataDir, url);
    const ask = async (): Promise<string> => (await jala(['ask', '--json', '--data-dir', target.dataDir, 'laskar pelangi'], url)).stdout;
    const oldAnswer = await ask();
    expect(oldAnswer).toMatch(/laskar pelangi/i);
    const oldSeq = inPg(url, (db) => new PgCatalogStore(db).currentSeq());
    const oldWorkIds = inPg(url, (db) => db.all<{ id: number }>('SELECT id FROM works ORDER BY id').map((r) => r.id));

    // the full catalog (all four libraries) loaded record by record from nothing, and the same reindex
    // record by record over a copy of the live catalog (old works keep their numbers)
    const reference = sampleDataDirOf();
    const referenceUrl = postgres().createDatabase();
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', reference.dataDir], referenceUrl);
    const newDigest = await digest(reference.dataDir, referenceUrl);
    expect(newDigest).not.toBe(oldDigest);
    fs.copyFileSync(reference.configPath, target.configPath);
    const perRecordUrl = copyOfDatabase(postgres(), url);
    const perRecord = tempDir('jala-pgbulk-copy-');
    fs.writeFileSync(path.join(perRecord, 'consortium.json'), fs.readFileSync(target.configPath));
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', perRecord], perRecordUrl);

    for (const stage of ['created', 'loading', 'loaded', 'indexed', 'carried', 'checked']) {
      expect(await killedAt(target.dataDir, url, stage), stage).toBe('SIGKILL');
      // the old catalog is as it was and answers as before; the staging schema went with the transaction
      expect(await digest(target.dataDir, url), stage).toBe(oldDigest);
      expect(await ask(), stage).toBe(oldAnswer);
      expect(illSide(), stage).toEqual(ill);
      expect(stagingLeft(url), stage).toBe(0);
      expect(inPg(url, (db) => new PgCatalogStore(db).currentSeq()), stage).toBe(oldSeq);
    }

    // run to its end: the new catalog, nothing left of the build
    const out = await jala(['reindex', '--full', '--data-dir', target.dataDir], url);
    expect(out.stderr).toMatch(/bulk load: swapped/);
    expect(await digest(target.dataDir, url)).toBe(newDigest);
    expect(stagingLeft(url)).toBe(0);
    // the change sequence moved on (its row's trigger is what notifies replicas, migration 5); catching up
    // from its sequence number, a replica sees every work of the new catalog and loses every number that went
    inPg(url, (db) => {
      const store = new PgCatalogStore(db);
      expect(store.currentSeq()).toBe(oldSeq + 1);
      const changed = [...store.worksChangedSince(oldSeq)].map((w) => w.id).sort((x, y) => x - y);
      const now = db.all<{ id: number }>("SELECT id FROM works WHERE doc <> '{}' ORDER BY id").map((r) => r.id);
      expect(changed).toEqual(now);
      const gone = oldWorkIds.filter((id) => !now.includes(id));
      expect(store.worksDeletedSince(oldSeq)).toEqual(expect.arrayContaining(gone));
      expect(store.worksDeletedSince(oldSeq).some((id) => now.includes(id))).toBe(false);
    });
    // nothing of the ILL side lost, the request still names its work; the same catalog, work numbers included, as the per-record reindex
    expect(illSide()).toEqual(ill);
    expect(inPg(url, (db) => db.all('SELECT id, work_id FROM records ORDER BY id'))).toEqual(inPg(perRecordUrl, (db) => db.all('SELECT id, work_id FROM records ORDER BY id')));
    expect(await answers(target.dataDir, url)).toEqual(await answers(perRecord, perRecordUrl));
    // and once more: converges on itself
    await jala(['reindex', '--full', '--data-dir', target.dataDir], url);
    expect(await digest(target.dataDir, url)).toBe(newDigest);
    expect(illSide()).toEqual(ill);
  });
});

/** A new database holding what `url`'s holds (CREATE DATABASE … TEMPLATE: nobody may be connected to it meanwhile). */
function copyOfDatabase(server: PostgresServer, url: string): string {
  const name = `${new URL(url).pathname.slice(1)}_copy`;
  const admin = new PgDatabase(server.adminUrl);
  try {
    admin.exec(`CREATE DATABASE ${name} TEMPLATE ${new URL(url).pathname.slice(1)}`);
  } finally {
    admin.close();
  }
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

/** Runs the bulk full reindex in a child that SIGKILLs itself at `stage`; resolves with the signal it ended by. */
async function killedAt(dataDir: string, url: string, stage: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_CHILD, '--data-dir', dataDir, '--kill-at', stage], { cwd: PACKAGE_ROOT, env: envWith(url), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (_code, signal) => (signal ? resolve(signal) : reject(new Error(`the bulk load was not killed at ${stage}: ${out}`))));
  });
}
