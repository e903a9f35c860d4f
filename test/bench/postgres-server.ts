/**
 * A throwaway PostgreSQL server for the tests and for `jala bench --store postgres`, started from the Debian package's binaries: `initdb` in a
 * temporary directory, a free port on 127.0.0.1, the unix socket in the same directory, `pg_ctl stop`
 * at the end (and when the test process exits). initdb refuses to run as root, and CI runs as root:
 * then the server runs as the `postgres` system user, which owns the temporary directory.
 *
 * Durability is off (fsync, full-page writes): a test database is thrown away, and the behaviour the
 * tests check and the bench measures do not depend on it (the bench says so in its report).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PgDatabase } from '../../src/store-postgres/pg-database.ts';
import { freePort } from './free-port.ts';

/** Where the Debian package puts the server programs (PG_BIN overrides). */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

export interface PostgresServer {
  port: number;
  /** a URL for the `postgres` maintenance database */
  adminUrl: string;
  /** creates a new, empty database and returns its URL */
  createDatabase(): string;
  stop(): void;
}

/** Runs a server program, as the postgres user when we are root. */
function runPg(program: string, args: string[], owner: boolean): void {
  const cmd = path.join(PG_BIN, program);
  const r = owner && isRoot() ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`${program} failed (${r.status}): ${r.error?.message ?? ''}${r.stderr}${r.stdout}`.slice(0, 2000));
  }
}

/** Starts a fresh server; `stop()` (or the end of the process) stops it and removes its directory. */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-pg-'));
  if (isRoot()) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  runPg('initdb', ['-D', data, '-A', 'trust', '-U', 'jala', '-E', 'UTF8', '--no-sync'], true);
  // a port found free may be taken before the server binds it: try a few
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      runPg('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '180', '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200`, 'start'], true);
      break;
    } catch (e) {
      if (attempt >= 4) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      runPg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  const adminUrl = `postgres://jala@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    port,
    adminUrl,
    createDatabase: () => {
      const name = `jala_${process.pid}_${++n}`;
      const admin = new PgDatabase(adminUrl);
      try {
        // a name we made from digits and letters: CREATE DATABASE takes no parameters
        admin.exec(`CREATE DATABASE ${name}`);
      } finally {
        admin.close();
      }
      return `postgres://jala@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
