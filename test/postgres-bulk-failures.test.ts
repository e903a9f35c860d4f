/**
 * The bulk path into PostgreSQL when it cannot simply go ahead (src/store-postgres/pg-bulk-catalog.ts,
 * src/app/bulk-load-catalog.ts), through real `jala` processes on a real PostgreSQL:
 * - a second full load while one runs is refused (store/bulk-running) and the first one completes;
 * - a role without CREATE on the database (no staging schema) loads record by record instead; such a
 *   role, creating nothing at all, opens an up-to-date database, and is told to have the owner migrate
 *   one that is not (store/cannot-migrate);
 * - a reader holding the live catalog tables makes the swap wait (lock timeout, retried), and the load
 *   completes once the reader's transaction ends; the reader saw the old catalog meanwhile; a reader that
 *   stays makes it give up (store/catalog-in-use) with nothing changed (shortened lock timeout and
 *   attempts, PgBulkCatalog.create's `swapLock`);
 * - a key or index of the live tables that the new data breaks fails the load with the server's reason
 *   (store/bulk-check-failed), nothing changed.
 * Without PostgreSQL: skipped, one line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../src/config/data-dir.ts';
import { BulkFileError } from '../src/store/bulk-catalog-file.ts';
import { PgBulkCatalog } from '../src/store-postgres/pg-bulk-catalog.ts';
import { PgCatalogStore } from '../src/store-postgres/pg-catalog-store.ts';
import { PgDatabase } from '../src/store-postgres/pg-database.ts';
import { marcFixtures, tempDir } from './support/paths.ts';
import { pausedBulkLoad } from './support/paused-bulk-load.ts';
import { PG_BIN, POSTGRES_TOOL } from './support/postgres-server.ts';
import { inPg, usePostgresServer } from './support/postgres-suite.ts';
import { runJala, type JalaRun } from './support/run-jala.ts';
import { sampleDataDirOf } from './support/sample-jala.ts';
import { describeWithTools } from './support/system-tools.ts';
import { waitFor } from './support/wait-for.ts';

function envWith(url: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.JALA_DATABASE_URL;
  if (url !== undefined) env.JALA_DATABASE_URL = url;
  return env;
}

type Ran = JalaRun;

/** `jala …` with JALA_DATABASE_URL = `url`, whatever its exit code; `child` to watch or stop it. */
function jala(args: string[], url: string | undefined): { child: ChildProcess; done: Promise<Ran> } {
  return runJala(args, { env: envWith(url) });
}

/** `jala …` that must exit 0. */
async function jalaOk(args: string[], url: string | undefined): Promise<Ran> {
  const r = await jala(args, url).done;
  if (r.code !== 0) throw new Error(`jala ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}


/**
 * The URL with a lock timeout for its sessions: a load that should have been refused but went on
 * instead would wait for the running load's transaction (its staging schema) forever; this way the
 * test fails instead of hanging. The refusal itself never waits on a lock.
 */
const impatient = (url: string): string => `${url}?options=-c%20lock_timeout%3D10s`;

const recordCount = (url: string): number => inPg(url, (db) => db.get<{ n: number }>('SELECT count(*)::int AS n FROM records')!.n);
const librariesOf = (url: string): string[] => inPg(url, (db) => db.all<{ l: string }>('SELECT DISTINCT library AS l FROM records ORDER BY l').map((r) => r.l));
const stagingLeft = (url: string): number => inPg(url, (db) => db.get<{ n: number }>("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'jala_bulk_load'")!.n);

/** A `psql` session on `url` fed statement by statement (psql runs each as its line arrives); its output at the end. */
function psqlSession(url: string): { send(sql: string): void; end(sql: string): Promise<{ code: number | null; out: string }>; kill(): void } {
  const child = spawn(path.join(PG_BIN, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    send: (sql) => void child.stdin.write(sql),
    end: async (sql) => {
      child.stdin.end(sql);
      return { code: await closed, out };
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

/** Does another session hold a lock on the live records table (a reader in an open transaction)? */
const recordsLockedByAnother = (observer: PgDatabase): boolean =>
  observer.get<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'records' AND c.relnamespace = 'public'::regnamespace AND l.granted AND l.pid <> pg_backend_pid()",
  )!.n > 0;

describeWithTools([POSTGRES_TOOL], 'the bulk path into PostgreSQL when it cannot simply go ahead', () => {
  const postgres = usePostgresServer();

  it('one full load at a time per database: a second one is refused (store/bulk-running) while the first is open, and may start once it is completed or discarded', () => {
    const url = postgres().createDatabase();
    const refused = (): unknown => {
      try {
        PgBulkCatalog.create(impatient(url)).discard();
        return 'created';
      } catch (e) {
        return e instanceof BulkFileError ? { code: e.code, message: e.message } : e;
      }
    };
    const first = PgBulkCatalog.create(url);
    expect(refused()).toEqual({ code: 'store/bulk-running', message: 'another full load of this catalog is running' });
    first.discard();
    const second = PgBulkCatalog.create(url);
    expect(refused()).toMatchObject({ code: 'store/bulk-running' });
    expect(second.complete({ records: 0 })).toEqual({ records: 0, works: 0, items: 0 });
    expect(refused()).toBe('created');
    expect(stagingLeft(url)).toBe(0);
  });

  it('refuses a second `jala reindex --full` or first `jala ingest` while a full load runs, saying why, and the first one still completes', async () => {
    const target = sampleDataDirOf(['UI', 'DISPUSIP']);
    const url = postgres().createDatabase();
    // the first full load, paused in the middle of its build (its transaction open, the bulk-load lock held)
    const first = await pausedBulkLoad(target.dataDir, 'loading', envWith(url));
    try {
      const again = await jala(['reindex', '--full', '--data-dir', target.dataDir], impatient(url)).done;
      // a full reindex is refused by the lock of every library the running load holds, which says what runs
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/^jala reindex: A reindex is already running \(full, all libraries, started .* by a full load \(bulk path\)\)/m);
      expect(again.stderr).not.toMatch(/bulk load: created/);
      const ingest = await jala(['ingest', '--library', 'EG', '--data-dir', target.dataDir, path.join(marcFixtures(), 'evergreen')], impatient(url)).done;
      expect(ingest.code).toBe(1);
      expect(ingest.stderr).toMatch(/^jala ingest: another full load of this catalog is running \[store\/bulk-running\]$/m);
      expect(recordCount(url)).toBe(0);
      // the refusals did not disturb the first load: it goes on to the swap
      const done = await first.resume();
      expect(done).toMatchObject({ used: true, ok: true });
      expect(done.stages).toEqual(expect.arrayContaining(['loaded', 'swapped']));
      expect(librariesOf(url)).toEqual(['DISPUSIP', 'UI']);
      expect(stagingLeft(url)).toBe(0);
    } finally {
      first.kill();
    }
  });

  it('a role without CREATE on the database (no staging schema) loads the first `jala ingest` record by record instead', async () => {
    const url = postgres().createDatabase();
    const name = new URL(url).pathname.slice(1);
    const role = `${name}_app`;
    // the owner migrates the database; the application's role may read and write the tables, and create
    // nothing: no schema, no table (an up-to-date database opens without CREATE, pg-database.ts migrate)
    inPg(url, (db) => {
      db.exec(`CREATE ROLE ${role} LOGIN`);
      db.exec(`REVOKE CREATE ON DATABASE ${name} FROM PUBLIC, ${role}`);
      db.exec(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
      db.exec(`GRANT CONNECT, TEMPORARY ON DATABASE ${name} TO ${role}`);
      db.exec(`GRANT USAGE ON SCHEMA public TO ${role}`);
      db.exec(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      db.exec(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    });
    const appUrl = new URL(url);
    appUrl.username = role;
    const app = appUrl.toString();
    expect(inPg(app, (db) => db.get<{ c: boolean; s: boolean }>("SELECT has_database_privilege(current_database(), 'CREATE') AS c, has_schema_privilege('public', 'CREATE') AS s"))).toEqual({ c: false, s: false });

    const dir = tempDir('jala-pgnocreate-');
    const out = await jala(['ingest', '--library', 'DISPUSIP', '--json', '--data-dir', dir, path.join(DEFAULT_DATA_DIR, 'records', 'DISPUSIP')], app).done;
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toMatch(/bulk load/);
    const summary = JSON.parse(out.stdout) as { library: string; ingested: number; fatal: unknown[] };
    expect(summary).toMatchObject({ library: 'DISPUSIP', fatal: [] });
    expect(summary.ingested).toBeGreaterThan(0);
    expect(recordCount(url)).toBe(summary.ingested);
    expect(librariesOf(url)).toEqual(['DISPUSIP']);
    expect(stagingLeft(url)).toBe(0);
    // and the catalog answers from them
    const ask = await jalaOk(['stats', '--json', '--data-dir', dir], app);
    expect(JSON.parse(ask.stdout)).toMatchObject({ libraries: 1 });
  });

  it('a role that may not create tables, on a database whose schema is not up to date, is told to migrate it as the owner (store/cannot-migrate), and nothing changes', async () => {
    const url = postgres().createDatabase();
    const name = new URL(url).pathname.slice(1);
    const role = `${name}_late`;
    // an older Jala's database: the owner's schema one migration short of this Jala's
    inPg(url, (db) => {
      db.exec('DELETE FROM jala_schema WHERE version = (SELECT max(version) FROM jala_schema)');
      db.exec(`CREATE ROLE ${role} LOGIN`);
      db.exec(`REVOKE CREATE ON DATABASE ${name} FROM PUBLIC, ${role}`);
      db.exec('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      db.exec(`GRANT USAGE ON SCHEMA public TO ${role}`);
      db.exec(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    });
    // read without opening as Jala does (which, as the owner, would migrate)
    const versions = (): number => {
      const db = new PgDatabase(url);
      try {
        return db.get<{ n: number }>('SELECT count(*) AS n FROM jala_schema')!.n;
      } finally {
        db.close();
      }
    };
    const before = versions();
    const appUrl = new URL(url);
    appUrl.username = role;
    const out = await jala(['stats', '--json', '--data-dir', tempDir('jala-pglate-')], appUrl.toString()).done;
    // an operator's error (exit 2, one line), not an internal one
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`the role ${role} may not change it`);
    expect(out.stderr).toContain("run any jala command once as the database's owner");
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(versions()).toBe(before);
  });

  it('a reader holding the live catalog makes the swap wait and retry its lock; once the reader is done the load completes, and the reader saw the old catalog meanwhile', async () => {
    const target = sampleDataDirOf(['DISPUSIP']);
    const url = postgres().createDatabase();
    await jalaOk(['reindex', '--full', '--data-dir', target.dataDir], url);
    const oldCount = recordCount(url);
    expect(oldCount).toBeGreaterThan(0);
    fs.copyFileSync(sampleDataDirOf(['UI', 'DISPUSIP']).configPath, target.configPath);

    // another session reads the catalog in an open transaction (ACCESS SHARE on records until it ends)
    const reader = psqlSession(url);
    const observer = new PgDatabase(url);
    let load: ReturnType<typeof jala> | undefined;
    try {
      reader.send("BEGIN;\nSELECT 'before ' || count(*) FROM records;\n");
      await waitFor(() => recordsLockedByAnother(observer), undefined, "the reader's lock on records");

      load = jala(['reindex', '--full', '--data-dir', target.dataDir], url);
      let ended: Ran | undefined;
      void load.done.then((r) => (ended = r));
      // the swap's LOCK TABLE waits on the reader; each attempt gives up after its lock timeout and starts again
      const attempts = new Set<string>();
      await waitFor(
        () => {
          if (ended) throw new Error(`the full load ended while the reader held the catalog: ${ended.code} ${ended.stderr}`);
          for (const r of observer.all<{ t: string }>(
            "SELECT query_start::text AS t FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE %ACCESS EXCLUSIVE MODE'",
          )) {
            attempts.add(r.t);
          }
          return attempts.size >= 2;
        },
        undefined,
        'two attempts of the swap to lock the live catalog',
        100,
      );
      // meanwhile a new session reads the old catalog too (queued behind one attempt of the lock at most)
      expect(recordCount(url)).toBe(oldCount);
      const read = await reader.end("SELECT 'during ' || count(*) FROM records;\nCOMMIT;\n");
      expect(read.code, read.out).toBe(0);
      expect(read.out.trim().split('\n')).toEqual([`before ${oldCount}`, `during ${oldCount}`]);

      const out = await load.done;
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toMatch(/bulk load: indexed[\s\S]*bulk load: swapped/);
      expect(librariesOf(url)).toEqual(['DISPUSIP', 'UI']);
      expect(recordCount(url)).toBeGreaterThan(oldCount);
      expect(stagingLeft(url)).toBe(0);
    } finally {
      observer.close();
      reader.kill();
      load?.child.kill('SIGKILL');
    }
  });

  it('a key or index of the live tables that the new catalog breaks (one an administrator added): the load fails saying which and why (store/bulk-check-failed), the catalog unchanged, and goes through once it is gone', async () => {
    const target = sampleDataDirOf(['UI', 'DISPUSIP']);
    const url = postgres().createDatabase();
    await jalaOk(['stats', '--data-dir', target.dataDir], url);
    // the tables are migrated and empty: an index the sample's records cannot all satisfy
    inPg(url, (db) => db.exec('CREATE UNIQUE INDEX one_record_per_library ON records (library)'));
    const failed = await jala(['reindex', '--full', '--data-dir', target.dataDir], url).done;
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/the new catalog's records cannot get one_record_per_library \(could not create unique index "one_record_per_library"\): the catalog is left as it was \[store\/bulk-check-failed\]/);
    // the server's reason, not the aborted transaction's next refusal, and no stack trace
    expect(failed.stderr).not.toMatch(/current transaction is aborted|\n\s+at /);
    expect(recordCount(url)).toBe(0);
    expect(stagingLeft(url)).toBe(0);
    inPg(url, (db) => db.exec('DROP INDEX one_record_per_library'));
    await jalaOk(['reindex', '--full', '--data-dir', target.dataDir], url);
    expect(librariesOf(url)).toEqual(['DISPUSIP', 'UI']);
  });

  it('gives the swap up when the live catalog stays in use (store/catalog-in-use, run it again): the catalog unchanged, nothing left of the build, and a later load goes through', async () => {
    const url = postgres().createDatabase();
    const seq = (): number => inPg(url, (db) => new PgCatalogStore(db).currentSeq());
    expect(seq()).toBe(0);
    const reader = psqlSession(url);
    const observer = new PgDatabase(url);
    try {
      reader.send('BEGIN;\nSELECT count(*) FROM records;\n');
      await waitFor(() => recordsLockedByAnother(observer), undefined, "the reader's lock on records");
      // the production swap tries 30 times 2 s; here 3 times 100 ms
      const load = PgBulkCatalog.create(url, () => {}, { timeoutMs: 100, attempts: 3 });
      let failure: unknown;
      try {
        load.complete({ records: 0 });
      } catch (e) {
        failure = e;
      }
      expect(failure).toBeInstanceOf(BulkFileError);
      expect(failure).toMatchObject({ code: 'store/catalog-in-use', message: expect.stringMatching(/^the live catalog stayed in use \(.*lock timeout.*\): run the full load again$/) });
      // rolled back: no swap (the change sequence did not move), the staging schema gone
      expect(seq()).toBe(0);
      expect(stagingLeft(url)).toBe(0);
      expect((await reader.end('COMMIT;\n')).code).toBe(0);
      // run again once the reader is done: it goes through
      expect(PgBulkCatalog.create(url).complete({ records: 0 })).toEqual({ records: 0, works: 0, items: 0 });
      expect(seq()).toBe(1);
    } finally {
      observer.close();
      reader.kill();
    }
  });
});
