/**
 * The bulk path (issue 22, item 1), end to end through real `jala` processes on real SQLite files:
 * a catalog loaded by it holds exactly what the record-by-record path stores (the catalog digest of
 * `jala stats --digest`, and the answers of `jala ask --batch`), on the sample consortium and on the
 * MARC fixtures; a full reindex keeps the ILL side and the work numbers requests name; and a bulk
 * load SIGKILLed at each point of its build leaves the old catalog answering, and a re-run converges.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/open-database.ts';
import { sqliteCatalogDigest } from '../src/store/sqlite-catalog-digest.ts';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { JALA_BIN, marcFixtures, tempDir } from './support/paths.ts';
import { configureFixtureConsortium, marcFixtureFolders } from './support/patron-questions.ts';
import { sampleDataDirOf } from './support/sample-jala.ts';
import { pausedBulkLoad } from './support/paused-bulk-load.ts';
import { runJala, type JalaRun } from './support/run-jala.ts';

const CRASH_CHILD = path.join(PACKAGE_ROOT, 'test', 'support', 'bulk-load-crash.ts');

async function jala(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = execFile(process.execPath, [JALA_BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const done = new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: string) => (stdout += d));
    child.stderr?.on('data', (d: string) => (stderr += d));
    child.once('close', (code, signal) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`jala ${args.join(' ')} exited ${code ?? `by ${signal}`}: ${stderr}`))));
  });
  child.stdin?.end(input ?? '');
  return done;
}

/** `jala …` whatever its exit code. */
async function jalaExit(args: string[]): Promise<JalaRun> {
  return runJala(args).done;
}

/** `jala stats --digest`: the first line is the catalog digest, then works, records and holdings parts. */
async function digest(dataDir: string): Promise<string> {
  return (await jala(['stats', '--digest', '--data-dir', dataDir])).stdout;
}

const QUESTIONS = ['laskar pelangi', 'buku karya Pramoedya Ananta Toer', '9789793062792', 'harry potter', 'sejarah indonesia', 'is there a book about python programming?'];

async function answers(dataDir: string): Promise<string[]> {
  return (await jala(['ask', '--batch', '--json', '--data-dir', dataDir], `${QUESTIONS.join('\n')}\n`)).stdout.trim().split('\n');
}

function inDatabase<T>(dataDir: string, fn: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(dataDir);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}


describe('the bulk path loads the same catalog as the record-by-record path', () => {
  it('on the sample consortium: a full reindex by each path gives equal digests and equal answers', async () => {
    const bulk = sampleDataDirOf();
    const perRecord = sampleDataDirOf();
    const out = await jala(['reindex', '--full', '--data-dir', bulk.dataDir]);
    expect(out.stderr).toMatch(/bulk load: swapped/);
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', perRecord.dataDir]);
    const [a, b] = [await digest(bulk.dataDir), await digest(perRecord.dataDir)];
    expect(a.split('\n')[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
    expect(a).toMatch(/records 1,575 /);
    // deduplication had work to do, and each record was placed by the same rule (not in the digest)
    expect(Number(/works ([\d,]+)/.exec(a)?.[1]?.replace(/,/g, ''))).toBeLessThan(1575);
    const rules = (dataDir: string): unknown[] => inDatabase(dataDir, (db) => db.prepare('SELECT id, matched_by FROM records ORDER BY id').all());
    const bulkRules = rules(bulk.dataDir);
    expect(bulkRules.filter((r) => (r as { matched_by: string | null }).matched_by !== null).length).toBeGreaterThanOrEqual(15);
    expect(bulkRules).toEqual(rules(perRecord.dataDir));
    // the lookup keys (ISBN, ISSN, OCLC… searches) too: the bulk path writes them sorted, at the end
    const keys = (dataDir: string): unknown[] => inDatabase(dataDir, (db) => db.prepare('SELECT kind, key, record_id FROM record_keys ORDER BY kind, key, record_id').raw().all());
    const bulkKeys = keys(bulk.dataDir);
    expect(bulkKeys.length).toBeGreaterThan(1575);
    expect(bulkKeys).toEqual(keys(perRecord.dataDir));
    const [qa, qb] = [await answers(bulk.dataDir), await answers(perRecord.dataDir)];
    expect(qa).toHaveLength(QUESTIONS.length);
    expect(qa).toEqual(qb);
    expect((JSON.parse(qa[0] as string) as { results: Array<{ title: string }> }).results[0]?.title).toMatch(/^Laskar pelangi/);
    // the new file is a normal live database: WAL mode, nothing left of the build beside it
    expect(inDatabase(bulk.dataDir, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    expect(fs.readdirSync(bulk.dataDir).filter((f) => f.includes('.building'))).toEqual([]);
  });

  it('on the MARC fixtures (one library per folder, broken records included): equal digests', async () => {
    expect(marcFixtureFolders().length).toBeGreaterThan(5);
    const configure = configureFixtureConsortium;
    const bulk = tempDir('jala-bulk-');
    const perRecord = tempDir('jala-bulk-');
    configure(bulk);
    configure(perRecord);
    expect((await jala(['reindex', '--full', '--data-dir', bulk])).stderr).toMatch(/bulk load: swapped/);
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', perRecord]);
    const a = await digest(bulk);
    expect(a).toBe(await digest(perRecord));
    const keys = (dataDir: string): unknown[] => inDatabase(dataDir, (db) => db.prepare('SELECT kind, key, record_id FROM record_keys ORDER BY kind, key, record_id').raw().all());
    expect(keys(bulk)).toEqual(keys(perRecord));
    expect(Number(/records ([\d,]+)/.exec(a)?.[1]?.replace(/,/g, ''))).toBeGreaterThan(2000);
  });

  it('the first `jala ingest` into an empty database takes the bulk path; the next one, into a non-empty catalog, does not', async () => {
    const input = path.join(marcFixtures(), 'evergreen');
    const bulk = tempDir('jala-bulk-');
    const perRecord = tempDir('jala-bulk-');
    expect((await jala(['ingest', '--library', 'EG', '--data-dir', bulk, input])).stderr).toMatch(/bulk load: swapped/);
    await jala(['ingest', '--no-bulk', '--library', 'EG', '--data-dir', perRecord, input]);
    expect(await digest(bulk)).toBe(await digest(perRecord));
    const koha = path.join(marcFixtures(), 'koha');
    expect((await jala(['ingest', '--library', 'KO', '--data-dir', bulk, koha])).stderr).not.toMatch(/bulk load/);
    await jala(['ingest', '--library', 'KO', '--data-dir', perRecord, koha]);
    expect(await digest(bulk)).toBe(await digest(perRecord));
  });
});

describe('a full reindex by the bulk path', () => {
  it('keeps ILL requests, their events and outbox, and the work numbers they name; killed at any point of the build, the old catalog answers and a re-run converges', async () => {
    // the live catalog: three libraries loaded record by record (UGM, first in the config, left out,
    // so the bulk build numbers works differently), and an ILL request on a work
    const target = sampleDataDirOf(['UI', 'USU', 'DISPUSIP']);
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', target.dataDir]);
    await jala(['say', '--user', 'lib-usu', '--role', 'librarian', '--library', 'USU', '--data-dir', target.dataDir, '/ill request laskar pelangi']);
    const illSide = (): unknown =>
      inDatabase(target.dataDir, (db) => ({
        requests: db.prepare('SELECT id, work_id, title, requester, supplier, state, version FROM ill_requests ORDER BY id').all(),
        events: db.prepare('SELECT count(*) AS n FROM ill_events').get(),
        outbox: db.prepare('SELECT count(*) AS n FROM outbox').get(),
        // (lower-cased: the work's merged title may take another member's capitals once UGM's record joins it)
        titleOfRequestedWork: (db.prepare("SELECT w.doc ->> '$.title' AS title FROM ill_requests r JOIN works w ON w.id = r.work_id").pluck().all() as string[]).map((t) => t.toLowerCase()),
      }));
    const ill = illSide();
    expect(ill).toMatchObject({ requests: [{ title: expect.stringMatching(/^Laskar pelangi$/i), requester: 'USU' }], titleOfRequestedWork: ['laskar pelangi'] });
    const oldDigest = inDatabase(target.dataDir, (db) => sqliteCatalogDigest(db).digest);
    const ask = async (): Promise<string> => (await jala(['ask', '--json', '--data-dir', target.dataDir, 'laskar pelangi'])).stdout;
    const oldAnswer = await ask();
    expect(oldAnswer).toMatch(/laskar pelangi/i);

    // what the full catalog (all four libraries) is, loaded record by record from nothing
    const reference = sampleDataDirOf();
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', reference.dataDir]);
    const newDigest = inDatabase(reference.dataDir, (db) => sqliteCatalogDigest(db).digest);
    expect(newDigest).not.toBe(oldDigest);

    // now the config lists all four libraries; a copy of the catalog is reindexed record by record
    // (what --no-bulk does to it: old works keep their numbers, new ones are numbered after them)
    fs.copyFileSync(reference.configPath, target.configPath);
    const perRecord = tempDir('jala-bulk-copy-');
    fs.cpSync(target.dataDir, perRecord, { recursive: true });
    fs.writeFileSync(path.join(perRecord, 'consortium.json'), fs.readFileSync(target.configPath));
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', perRecord]);
    // and the full reindex of the catalog itself is killed at each point of its build
    for (const stage of ['created', 'loading', 'loaded', 'indexed', 'carried', 'checked']) {
      const killed = await killedAt(target.dataDir, stage);
      expect(killed, stage).toBe('SIGKILL');
      // the old catalog is untouched and answers as before
      expect(inDatabase(target.dataDir, (db) => [db.pragma('integrity_check', { simple: true }), sqliteCatalogDigest(db).digest]), stage).toEqual(['ok', oldDigest]);
      expect(await ask(), stage).toBe(oldAnswer);
      expect(illSide(), stage).toEqual(ill);
    }
    // killed right after the swap (before the search index is rebuilt): the new catalog is in place
    // and the next start rebuilds the index for it
    expect(await killedAt(target.dataDir, 'swapped')).toBe('SIGKILL');
    expect(inDatabase(target.dataDir, (db) => sqliteCatalogDigest(db).digest)).toBe(newDigest);
    expect(await ask()).toMatch(/laskar pelangi/i);

    // a re-run (the half-built file of the last kill discarded) converges to the same catalog
    const out = await jala(['reindex', '--full', '--data-dir', target.dataDir]);
    expect(out.stderr).toMatch(/bulk load: swapped/);
    expect(await digest(target.dataDir)).toBe(await digest(reference.dataDir));
    expect(fs.readdirSync(target.dataDir).filter((f) => f.includes('.building'))).toEqual([]);
    // nothing of the ILL side lost, and the request still names the work it was placed on
    expect(illSide()).toEqual(ill);
    // the same answers as the record-by-record full reindex of the same catalog, work numbers included
    expect(await digest(perRecord)).toBe(await digest(target.dataDir));
    expect(await answers(target.dataDir)).toEqual(await answers(perRecord));
  });

  it('refuses a second full load while one is running (store/bulk-running, said on stderr), and the first one still completes', async () => {
    const target = sampleDataDirOf(['UI', 'DISPUSIP']);
    // the first full load, paused in the middle of its build (its file aside is locked)
    const first = await pausedBulkLoad(target.dataDir, 'loading');
    try {
      const again = await jalaExit(['reindex', '--full', '--data-dir', target.dataDir]);
      // a full reindex is refused by the lock of every library the running load holds, which says what runs
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/^jala reindex: A reindex is already running \(full, all libraries, started .* by a full load \(bulk path\)\)/m);
      expect(again.stderr).not.toMatch(/bulk load: created/);
      // the first `jala ingest` into the (still empty) consortium would take the bulk path too: refused the same way
      const ingest = await jalaExit(['ingest', '--library', 'EG', '--data-dir', target.dataDir, path.join(marcFixtures(), 'evergreen')]);
      expect(ingest.code).toBe(1);
      expect(ingest.stderr).toMatch(/^jala ingest: another full load of this catalog is running \[store\/bulk-running\]$/m);
      expect(inDatabase(target.dataDir, (db) => db.prepare('SELECT count(*) FROM records').pluck().get())).toBe(0);
      // the refusals left the first load's file alone: it goes on to the swap
      const done = await first.resume();
      expect(done).toMatchObject({ used: true, ok: true });
      expect(done.stages).toEqual(expect.arrayContaining(['loaded', 'swapped']));
      expect(inDatabase(target.dataDir, (db) => db.prepare('SELECT DISTINCT library FROM records ORDER BY library').pluck().all())).toEqual(['DISPUSIP', 'UI']);
      expect(fs.readdirSync(target.dataDir).filter((f) => f.includes('.building'))).toEqual([]);
    } finally {
      first.kill();
    }
  });

  it('does not run beside a library\'s reindex: refused while one holds its lock, and holds every library\'s lock itself while it runs', async () => {
    const target = sampleDataDirOf(['UI', 'DISPUSIP']);
    // a reindex of UI running in another process of this host (this test's process: alive)
    const now = new Date().toISOString();
    const description = JSON.stringify({ id: 'x1', mode: 'incremental', trigger: 'chat', startedAt: now, library: 'UI', by: 'a librarian' });
    inDatabase(target.dataDir, (db) =>
      db.prepare('INSERT INTO harvest_locks (scope, holder, pid, description, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run('UI', `${os.hostname()}:${process.pid}:test:x1`, process.pid, description, now, now),
    );
    const refused = await jalaExit(['reindex', '--full', '--data-dir', target.dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^jala reindex: A reindex is already running \(incremental, UI, started .* by a librarian\)/m);
    expect(refused.stderr).not.toMatch(/bulk load: created/);
    expect(fs.readdirSync(target.dataDir).filter((f) => f.includes('.building'))).toEqual([]);
    expect(inDatabase(target.dataDir, (db) => db.prepare('SELECT count(*) FROM records').pluck().get())).toBe(0);

    // that reindex ends; a full load runs (paused in the middle of its build): a reindex of UI is refused, naming it
    inDatabase(target.dataDir, (db) => db.prepare('DELETE FROM harvest_locks').run());
    const load = await pausedBulkLoad(target.dataDir, 'loading');
    try {
      const library = await jalaExit(['reindex', 'UI', '--data-dir', target.dataDir]);
      expect(library.code).toBe(2);
      expect(library.stderr).toMatch(/^jala reindex: A reindex is already running \(full, all libraries, started .* by a full load \(bulk path\)\)/m);
      const done = await load.resume();
      expect(done).toMatchObject({ used: true, ok: true });
    } finally {
      load.kill();
    }
    // the load let its lock go: nothing left in the (new) catalog's lock table, and UI can be reindexed
    expect(inDatabase(target.dataDir, (db) => db.prepare('SELECT count(*) FROM harvest_locks').pluck().get())).toBe(0);
    const after = await jalaExit(['reindex', 'UI', '--data-dir', target.dataDir]);
    expect(after.code, after.stderr).toBe(0);
  });

  it('the first `jala ingest` into an empty consortium does not take the bulk path beside a library\'s reindex: it stores the records one by one', async () => {
    const target = sampleDataDirOf(['UI']);
    const now = new Date().toISOString();
    const description = JSON.stringify({ id: 'x2', mode: 'incremental', trigger: 'chat', startedAt: now, library: 'UI', by: 'a librarian' });
    inDatabase(target.dataDir, (db) =>
      db.prepare('INSERT INTO harvest_locks (scope, holder, pid, description, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run('UI', `${os.hostname()}:${process.pid}:test:x2`, process.pid, description, now, now),
    );
    const input = path.join(marcFixtures(), 'evergreen');
    const out = await jalaExit(['ingest', '--library', 'EG', '--data-dir', target.dataDir, input]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/^jala ingest: a reindex is running \(incremental, UI, started .* by a librarian\): storing the records one by one instead of by the bulk path$/m);
    expect(out.stderr).not.toMatch(/bulk load/);
    // stored beside the running reindex, which keeps its lock; the same catalog as an ingest by the record-by-record path
    expect(inDatabase(target.dataDir, (db) => db.prepare('SELECT scope FROM harvest_locks').pluck().all())).toEqual(['UI']);
    const perRecord = tempDir('jala-bulk-');
    await jala(['ingest', '--no-bulk', '--library', 'EG', '--data-dir', perRecord, input]);
    expect(await digest(target.dataDir)).toBe(await digest(perRecord));
  });

  it('a record-by-record `jala ingest` holds its library\'s lock: refused beside a full load (whose swap then goes through), a reindex of every library or one of its own library; beside another library\'s it runs', async () => {
    const target = sampleDataDirOf(['UI']);
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', target.dataDir]);
    const input = path.join(marcFixtures(), 'evergreen');
    const records = (library: string): number => inDatabase(target.dataDir, (db) => db.prepare('SELECT count(*) FROM records WHERE library = ?').pluck().get(library) as number);
    const ui = records('UI');
    expect(ui).toBeGreaterThan(0);

    // a full load, paused in the middle of its build, holds every library's lock: the ingest stores
    // nothing beside it, and the load's swap goes through (before, the ingest ran and the swap failed
    // as store/catalog-changed, the whole build wasted)
    const load = await pausedBulkLoad(target.dataDir, 'loaded');
    try {
      const refused = await jalaExit(['ingest', '--library', 'EG', '--data-dir', target.dataDir, input]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(/^jala ingest: A reindex is already running \(full, all libraries, started .* by a full load \(bulk path\)\)/m);
      expect(await load.resume()).toMatchObject({ used: true, ok: true });
    } finally {
      load.kill();
    }
    expect(records('EG')).toBe(0);
    expect(records('UI')).toBe(ui);

    // a reindex of UI (this process, alive) holds UI's lock: an ingest of UI is refused, one of EG runs beside it
    const now = new Date().toISOString();
    const hold = (scope: string, description: object): void =>
      void inDatabase(target.dataDir, (db) =>
        db.prepare('INSERT INTO harvest_locks (scope, holder, pid, description, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run(scope, `${os.hostname()}:${process.pid}:test:${scope}`, process.pid, JSON.stringify(description), now, now),
      );
    hold('UI', { id: 'x3', mode: 'incremental', trigger: 'chat', startedAt: now, library: 'UI', by: 'a librarian' });
    const same = await jalaExit(['ingest', '--library', 'UI', '--data-dir', target.dataDir, input]);
    expect(same.code, same.stderr).toBe(2);
    expect(same.stderr).toMatch(/^jala ingest: A reindex is already running \(incremental, UI, started .* by a librarian\)/m);
    const other = await jalaExit(['ingest', '--library', 'EG', '--data-dir', target.dataDir, input]);
    expect(other.code, other.stderr).toBe(0);
    expect(records('EG')).toBeGreaterThan(0);
    expect(records('UI')).toBe(ui);
    // the ingest let its own lock go; the reindex's stays
    expect(inDatabase(target.dataDir, (db) => db.prepare('SELECT scope FROM harvest_locks').pluck().all())).toEqual(['UI']);

    // a reindex of every library holds every library's lock: no ingest beside it
    inDatabase(target.dataDir, (db) => db.prepare('DELETE FROM harvest_locks').run());
    hold('*', { id: 'x4', mode: 'incremental', trigger: 'schedule', startedAt: now, by: 'the schedule' });
    const all = await jalaExit(['ingest', '--library', 'EG', '--data-dir', target.dataDir, input]);
    expect(all.code, all.stderr).toBe(2);
    expect(all.stderr).toMatch(/^jala ingest: A reindex is already running \(incremental, all libraries, started .* by the schedule\)/m);
  });

  it('steps aside for the record-by-record path while another process has the catalog open', async () => {
    const target = sampleDataDirOf(['UI']);
    await jala(['reindex', '--full', '--no-bulk', '--data-dir', target.dataDir]);
    const before = inDatabase(target.dataDir, (db) => sqliteCatalogDigest(db).digest);
    fs.copyFileSync(sampleDataDirOf().configPath, target.configPath);
    // another process holds the database open (as a running bot would) while the full reindex runs
    const holder = spawn(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path.join(target.dataDir, 'jala.db'))});d.pragma('journal_mode=WAL');d.prepare('select count(*) from records').get();console.log('open');setInterval(()=>{},1000)`], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
      const out = await jala(['reindex', '--full', '--data-dir', target.dataDir]);
      // the bulk path steps aside for the record-by-record one, which works beside the other process
      expect(out.stderr).not.toMatch(/bulk load: swapped/);
      expect(inDatabase(target.dataDir, (db) => sqliteCatalogDigest(db).digest)).not.toBe(before);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

/** Runs the bulk full reindex in a child that SIGKILLs itself at `stage`; resolves with the signal it ended by. */
async function killedAt(dataDir: string, stage: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_CHILD, '--data-dir', dataDir, '--kill-at', stage], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (_code, signal) => (signal ? resolve(signal) : reject(new Error(`the bulk load was not killed at ${stage}: ${out}`))));
  });
}
