/**
 * The PostgreSQL database a `jala bench --store postgres` run measures: a fresh one per run. With
 * JALA_DATABASE_URL set, on that server (CREATE DATABASE beside the URL's database when its user may;
 * else the URL's own database, which must be empty, for one run only). Without it, on a throwaway
 * server of the bench's own (postgres-server.ts: durability off, stopped at the end).
 */
import { PgDatabase, redact } from '../../src/store-postgres/pg-database.ts';
import { databaseUrlOf } from '../../src/app/open-stores.ts';
import { startPostgres } from './postgres-server.ts';

export interface BenchDatabase {
  /** a URL for run `run`'s own empty database */
  fresh(run: number): string;
  /** what the report says of the server */
  describe: { kind: 'postgres'; server: string; fsyncOff: boolean };
  /** drops the databases made (unless `keep`), stops a server of our own */
  close(keep: boolean): void;
}

/** Tables in the database's own schemas: 0 for an empty database. */
function tableCount(url: string): number {
  const db = new PgDatabase(url);
  try {
    const row = db.get<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
    return Number(row?.n ?? 0);
  } finally {
    db.close();
  }
}

/** Runs one statement on `url`'s server; false when refused (the user may not create databases). */
function tryExec(url: string, sql: string): boolean {
  let db: PgDatabase | undefined;
  try {
    db = new PgDatabase(url);
    db.exec(sql);
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

export async function openBenchDatabase(opts: { runs: number; log: (line: string) => void }): Promise<BenchDatabase> {
  const url = databaseUrlOf();
  if (url === undefined) {
    opts.log('starting a throwaway PostgreSQL server (initdb in a temporary directory; fsync off)…');
    const server = await startPostgres();
    return {
      fresh: () => server.createDatabase(),
      describe: { kind: 'postgres', server: 'a throwaway local server of the bench (initdb, 127.0.0.1, fsync off)', fsyncOff: true },
      close: () => server.stop(),
    };
  }
  const made: string[] = [];
  const nameOf = (run: number): string => `jala_bench_${process.pid}_${run}`;
  const urlOf = (name: string): string => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  // a name of digits, letters and underscores: CREATE DATABASE takes no parameters
  const mayCreate = tryExec(url, `CREATE DATABASE ${nameOf(1)}`);
  if (mayCreate) made.push(nameOf(1));
  else {
    if (opts.runs > 1) throw new Error(`jala bench --store postgres: the user of JALA_DATABASE_URL (${redact(url)}) may not create databases, so only one run fits in its database: use --runs 1`);
    if (tableCount(url) > 0) throw new Error(`jala bench --store postgres: JALA_DATABASE_URL (${redact(url)}) names a database that is not empty, and its user may not create a fresh one: give the URL of an empty database (the bench fills it with a catalog)`);
  }
  opts.log(mayCreate ? `PostgreSQL: a fresh database per run on JALA_DATABASE_URL's server (${redact(url)})` : `PostgreSQL: the empty database of JALA_DATABASE_URL (${redact(url)})`);
  return {
    fresh: (run) => {
      if (!mayCreate) return url;
      if (!made.includes(nameOf(run))) {
        if (!tryExec(url, `CREATE DATABASE ${nameOf(run)}`)) throw new Error(`jala bench --store postgres: could not create database ${nameOf(run)}`);
        made.push(nameOf(run));
      }
      return urlOf(nameOf(run));
    },
    describe: { kind: 'postgres', server: `JALA_DATABASE_URL's server (${redact(url)}), as configured`, fsyncOff: false },
    close: (keep) => {
      if (!keep) for (const name of made) tryExec(url, `DROP DATABASE IF EXISTS ${name}`);
    },
  };
}
