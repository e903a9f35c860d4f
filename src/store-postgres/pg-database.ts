import { createRequire } from 'node:module';
import type Client from 'pg-native';
import { StoreError } from '../store/open-database.ts';
import { PG_MIGRATIONS } from './migrations.ts';

/**
 * One PostgreSQL connection, used synchronously. The ports are synchronous (the ILL rules run inside
 * one write transaction per action), so the stores call libpq's blocking API through pg-native, the
 * libpq binding of node-postgres: no worker thread, no event-loop hop. A synchronous caller can only
 * ever use one connection at a time, so each process holds one connection (a pool would sit idle);
 * concurrency comes from processes (replicas), which PostgreSQL serves side by side.
 *
 * Values are parameterised ($1, $2, …) everywhere; nothing is spliced into SQL text.
 */
export class PgDatabase {
  private readonly client: Client;
  private depth = 0;
  private closed = false;

  constructor(readonly url: string) {
    this.client = new (loadPgNative())({ types: TYPES });
    try {
      this.client.connectSync(url);
    } catch (cause) {
      throw new StoreError('store/unreachable-database', `cannot connect to PostgreSQL at ${redact(url)}: ${firstLine(cause)}`, { cause });
    }
    // the server's messages in English whatever its locale, times in UTC, and no NOTICE lines on stderr
    this.client.querySync("SET lc_messages TO 'C'; SET TIME ZONE 'UTC'; SET client_min_messages TO warning");
  }

  /** Every row of a query. */
  all<T>(sql: string, params: readonly unknown[] = []): T[] {
    return this.client.querySync(sql, params.map(toParam)) as T[];
  }

  /** The first row of a query, or undefined. */
  get<T>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params: readonly unknown[] = []): number {
    this.client.querySync(sql, params.map(toParam));
    const n = Number.parseInt(this.client.pq.cmdTuples(), 10);
    return Number.isNaN(n) ? 0 : n;
  }

  /** Runs SQL text without parameters (migrations: several statements at once). */
  exec(sql: string): void {
    this.client.querySync(sql);
  }

  /**
   * Runs `fn` in a transaction: committed when it returns, rolled back when it throws. Nested calls
   * become savepoints, as better-sqlite3 does, so a store method that opens a transaction can be
   * called inside a caller's. `lockKey`, when given, takes a transaction-scoped advisory lock first:
   * the writers that share the key run one at a time across every process on the database.
   */
  transaction<T>(fn: () => T, lockKey?: number): T {
    const outer = this.depth === 0;
    const savepoint = `jala_sp_${this.depth}`;
    this.exec(outer ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    this.depth++;
    try {
      if (lockKey !== undefined) this.run('SELECT pg_advisory_xact_lock($1)', [lockKey]);
      const result = fn();
      this.exec(outer ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (e) {
      try {
        this.exec(outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
      } catch {
        // the connection is gone: the server rolled back with it
      }
      throw e;
    } finally {
      this.depth--;
    }
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
    // libpq's binding closes its socket watcher asynchronously (uv_close) but lets the connection object
    // be collected at once; collected before the close completes, the watcher's memory is gone and libuv
    // aborts the process. Keep the object reachable until the event loop has run its close callbacks.
    const client = this.client;
    closing.add(client);
    setTimeout(() => closing.delete(client), 1000).unref();
  }
}

/**
 * pg-native, loaded when a PostgreSQL store is opened: it is an optional dependency (its libpq binding
 * builds against libpq-dev), so a machine with only Node still installs and runs Jala on SQLite.
 */
function loadPgNative(): typeof Client {
  try {
    return createRequire(import.meta.url)('pg-native') as typeof Client;
  } catch (cause) {
    throw new StoreError('store/unreachable-database', `PostgreSQL needs the pg-native package (apt-get install libpq-dev, then npm install): ${firstLine(cause)}`, { cause });
  }
}

/** Connections just closed, kept reachable for a moment (see PgDatabase.close). */
const closing = new Set<Client>();

/** Advisory lock keys (one number space per database): who serialises with whom. */
export const LOCK_KEYS = {
  /** schema migrations at open */
  migrate: 0x4a_41_4c_00,
  /** ILL write transactions: one at a time across replicas, as SQLite's BEGIN IMMEDIATE */
  ill: 0x4a_41_4c_01,
  /** the reindex lock's take-over check */
  reindex: 0x4a_41_4c_02,
  /** the replica that leads (timers, scheduled harvests, gateway connections): a session lock, see PgLeadership */
  leader: 0x4a_41_4c_03,
} as const;

/**
 * Opens a PostgreSQL database by URL and brings its schema up to date: one migration per
 * transaction, under an advisory lock, so replicas starting together migrate once.
 */
export function openPgDatabase(url: string): PgDatabase {
  const db = new PgDatabase(url);
  try {
    migrate(db);
  } catch (cause) {
    db.close();
    if (cause instanceof StoreError) throw cause;
    throw new StoreError('store/corrupt', `PostgreSQL database ${redact(url)} cannot be used: ${firstLine(cause)}`, { cause });
  }
  return db;
}

function migrate(db: PgDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS jala_schema (version integer NOT NULL, applied_at text NOT NULL)');
  db.run('SELECT pg_advisory_lock($1)', [LOCK_KEYS.migrate]);
  try {
    const version = db.get<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM jala_schema')!.v;
    if (version > PG_MIGRATIONS.length) {
      throw new StoreError('store/newer-schema', `database schema version ${version} is newer than this Jala (${PG_MIGRATIONS.length}); upgrade Jala`);
    }
    for (let v = version; v < PG_MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(PG_MIGRATIONS[v] as string);
        db.run('INSERT INTO jala_schema (version, applied_at) VALUES ($1, $2)', [v + 1, new Date().toISOString()]);
      });
    }
  } finally {
    db.run('SELECT pg_advisory_unlock($1)', [LOCK_KEYS.migrate]);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.trim();
}

/** Parameters as libpq takes them: text, or null. */
function toParam(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/**
 * Column values as the SQLite stores return them: integers as numbers (bigint ids and counts stay
 * far below 2^53), text as text; times are kept as ISO text in both stores so that they compare,
 * sort and copy (jala migrate-store) the same.
 */
const INTEGER_OIDS = new Set([20, 21, 23, 26]);
const FLOAT_OIDS = new Set([700, 701]);
const TYPES = {
  getTypeParser(oid: number): (text: string) => unknown {
    if (INTEGER_OIDS.has(oid) || FLOAT_OIDS.has(oid)) return Number;
    if (oid === 16) return (t: string) => t === 't';
    return (t: string) => t;
  },
};

/** A text[] parameter in PostgreSQL's array literal syntax, every element quoted. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
