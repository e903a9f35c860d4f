import { createRequire } from 'node:module';
import type Client from 'pg-native';
import { hidePasswordIn, hideUrlPassword } from '../common/url-password.ts';
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
  private cursors = 0;
  private closed = false;
  /** the statement of a COPY sent ahead (copyAhead) whose end the server has not yet been asked for */
  private ahead: string | undefined;

  constructor(readonly url: string) {
    this.client = new (loadPgNative())({ types: TYPES });
    try {
      this.client.connectSync(url);
    } catch (cause) {
      // libpq's message may quote the connection string it could not parse: never its password
      const why = redactIn(firstLine(cause), url);
      throw new StoreError('store/unreachable-database', `cannot connect to PostgreSQL at ${redact(url)}: ${why}`, { cause: new Error(why) });
    }
    // times in UTC, and no NOTICE lines on stderr
    this.client.querySync("SET TIME ZONE 'UTC'; SET client_min_messages TO warning");
    // the server's messages in English whatever its locale, where the role may choose (lc_messages is a
    // superuser's setting: an ordinary role that owns the database keeps the server's language)
    try {
      this.client.querySync("SET lc_messages TO 'C'");
    } catch {
      // permission denied to set parameter "lc_messages": nothing depends on the wording
    }
  }

  /** Every row of a query. */
  all<T>(sql: string, params: readonly unknown[] = []): T[] {
    this.settle();
    return this.client.querySync(sql, params.map(toParam)) as T[];
  }

  /** The first row of a query, or undefined. */
  get<T>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params: readonly unknown[] = []): number {
    this.settle();
    this.client.querySync(sql, params.map(toParam));
    const n = Number.parseInt(this.client.pq.cmdTuples(), 10);
    return Number.isNaN(n) ? 0 : n;
  }

  /**
   * The rows of a query read a page at a time through a cursor, so a table of any size streams in
   * bounded memory. Inside a transaction the cursor lives in it (and sees its writes); outside one, the
   * walk gets its own transaction, ended when the walk ends or is abandoned.
   */
  *iterate<T>(sql: string, params: readonly unknown[] = [], pageSize = 5000): IterableIterator<T> {
    const own = this.depth === 0;
    const cursor = `jala_cursor_${++this.cursors}`;
    if (own) {
      this.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      this.depth++;
    }
    let open = false;
    try {
      this.run(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, params);
      open = true;
      for (;;) {
        const page = this.all<T>(`FETCH ${pageSize} FROM ${cursor}`);
        yield* page;
        if (page.length < pageSize) break;
      }
    } finally {
      try {
        if (own) this.exec('COMMIT');
        else if (open) this.exec(`CLOSE ${cursor}`);
      } catch {
        // the connection is gone, or the caller's transaction failed: the server ends the cursor with it
      }
      if (own) this.depth--;
    }
  }

  /**
   * COPY … FROM STDIN: sends `chunks` (COPY text format, one line per row; or the bytes of the binary format) as they come and returns
   * how many rows the server took. A row the server refuses (a constraint, an encoding) fails the whole
   * COPY, thrown with the server's message; a chunk source that throws cancels it.
   */
  copyIn(sql: string, chunks: Iterable<string | Uint8Array>): number {
    const pq = this.startCopy(sql);
    try {
      for (const chunk of chunks) this.putCopy(chunk);
    } catch (e) {
      this.cancelCopy();
      throw e;
    }
    if (pq.putCopyEnd() !== 1) throw new Error(pq.errorMessage() || 'COPY end not sent');
    let error = '';
    let rows = 0;
    while (pq.getResult()) {
      if (pq.resultStatus() === 'PGRES_COMMAND_OK') rows = Number.parseInt(pq.cmdTuples(), 10) || 0;
      else error ||= pq.resultErrorMessage() || pq.resultStatus();
    }
    if (error) throw new Error(error);
    return rows;
  }

  /**
   * COPY … FROM STDIN sent ahead: the rows are handed to libpq without waiting for the socket
   * (non-blocking mode), and the server's outcome is not waited for. What libpq holds goes out at each
   * `pump` and at the next statement on this connection, which first waits for the COPY to end
   * (`settle`) and throws the server's refusal, if any, there. So the caller goes on preparing the next
   * rows while the server stores these: a bulk load's main thread otherwise waited for every COPY.
   */
  copyAhead(sql: string, chunks: Iterable<string | Uint8Array>): void {
    const pq = this.startCopy(sql);
    try {
      if (!pq.setNonBlocking(true)) throw new Error(pq.errorMessage() || 'the connection cannot be made non-blocking');
      this.ahead = sql;
      for (const chunk of chunks) {
        this.putCopy(chunk);
        pq.flush();
      }
      if (pq.putCopyEnd() !== 1) throw new Error(pq.errorMessage() || 'COPY end not sent');
      pq.flush();
    } catch (e) {
      this.ahead = undefined;
      this.cancelCopy();
      pq.setNonBlocking(false);
      throw e;
    }
  }

  /** Starts `sql`, a COPY … FROM STDIN, once any COPY sent ahead has ended; the connection's libpq handle. */
  private startCopy(sql: string): Client['pq'] {
    this.settle();
    const pq = this.client.pq;
    pq.exec(sql);
    if (pq.resultStatus() !== 'PGRES_COPY_IN') throw new Error(pq.resultErrorMessage() || pq.errorMessage() || `${sql}: not a COPY FROM STDIN`);
    return pq;
  }

  /** One chunk of COPY data (text, or bytes of the binary format) to the open COPY. */
  private putCopy(chunk: string | Uint8Array): void {
    const pq = this.client.pq;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (pq.putCopyData(bytes) !== 1) throw new Error(pq.errorMessage() || 'COPY data not sent');
  }

  /** Cancels the open COPY and drains its results, so that the connection is ready for the next command. */
  private cancelCopy(): void {
    const pq = this.client.pq;
    pq.putCopyEnd('cancelled by the client');
    while (pq.getResult()) {
      // the cancelled COPY's results
    }
  }

  /** Sends what libpq still holds of a COPY sent ahead, as much as the socket takes now (never waits). */
  pump(): void {
    if (this.ahead !== undefined) this.client.pq.flush();
  }

  /**
   * Waits for a COPY sent ahead to end and throws the server's refusal of it, if any (`quiet`: given up
   * without a word, for a rollback). Every statement on this connection settles first.
   */
  settle(quiet = false): void {
    const sql = this.ahead;
    if (sql === undefined) return;
    this.ahead = undefined;
    const pq = this.client.pq;
    let error = '';
    // getResult sends what is left, then waits for the server's answer
    while (pq.getResult()) {
      if (pq.resultStatus() !== 'PGRES_COMMAND_OK') error ||= pq.resultErrorMessage() || pq.resultStatus();
    }
    pq.setNonBlocking(false);
    if (error && !quiet) throw new Error(error);
  }

  /** Runs SQL text without parameters (migrations: several statements at once). */
  exec(sql: string): void {
    this.settle();
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
        // a COPY sent ahead is given up with the rest (its own failure may be what is being rolled back)
        this.settle(true);
        this.exec(outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
      } catch {
        // the connection is gone: the server rolled back with it
      }
      throw e;
    } finally {
      this.depth--;
    }
  }

  /**
   * Begins a transaction that stays open across calls until `end`, for work that spans many calls
   * (jala migrate-store's read snapshot and its one-transaction load). Store methods called meanwhile
   * nest in it as savepoints, and cursors (`iterate`) live in it.
   */
  begin(mode = ''): void {
    if (this.depth > 0) throw new Error('begin: a transaction is already open');
    this.exec(`BEGIN ${mode}`);
    this.depth++;
  }

  /** Ends the transaction `begin` opened: committed, or rolled back. */
  end(commit: boolean): void {
    if (this.depth !== 1) throw new Error('end: no transaction of begin() is open');
    // a refused COPY sent ahead fails the commit here, the transaction still open for end(false)
    this.settle(!commit);
    this.depth--;
    this.exec(commit ? 'COMMIT' : 'ROLLBACK');
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /**
   * LISTEN on `channel`: `onNotify` is called (from the event loop) for each notification, `onLost` once
   * if the connection fails. Only for a connection of its own: reading notifications puts the
   * connection in libpq's asynchronous mode, where the synchronous queries above must not run.
   */
  listen(channel: string, onNotify: () => void, onLost: (why: string) => void): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    this.settle();
    this.client.querySync(`LISTEN ${channel}`);
    let lost = false;
    this.client.on('notification', (n) => {
      // libpq's PQnotifies names the channel relname (there is no 'channel' field)
      if (n.relname === channel) onNotify();
    });
    this.client.on('error', (e) => {
      if (lost || this.closed) return;
      lost = true;
      onLost(redactIn(firstLine(e), this.url));
    });
  }

  close(): void {
    if (this.closed) return;
    try {
      this.settle(true);
    } catch {
      // the connection is gone
    }
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
  /** the OAI-PMH provider's sync of its items with the catalog: one replica at a time */
  oaiSync: 0x4a_41_4c_04,
  /** the PostgreSQL full-text index's catch-up with the catalog: one replica at a time */
  searchIndex: 0x4a_41_4c_05,
  /**
   * catalog write transactions (an ingest or harvest batch: records placed into works, works merged):
   * one at a time across replicas, as SQLite's one writer, so that a record's work is found among every
   * record committed before, never beside a twin another replica is placing at the same moment
   */
  catalog: 0x4a_41_4c_06,
  /** a bulk load of the catalog (pg-bulk-catalog.ts): one at a time per database */
  bulkLoad: 0x4a_41_4c_07,
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
    throw new StoreError('store/corrupt', `PostgreSQL database ${redact(url)} cannot be used: ${redactIn(firstLine(cause), url)}`, { cause });
  }
  return db;
}

function migrate(db: PgDatabase): void {
  // the lock first: CREATE TABLE IF NOT EXISTS is not safe against itself in another session (two
  // processes opening a new database at once: "duplicate key value violates unique constraint
  // pg_type_typname_nsp_index", seen with two jala reindex processes started together)
  db.run('SELECT pg_advisory_lock($1)', [LOCK_KEYS.migrate]);
  try {
    // created only when missing: an application role that may read and write the tables but not create
    // any (the owner migrates, the replicas run as a role without CREATE) opens an up-to-date database
    if (db.get<{ ok: boolean }>("SELECT to_regclass('jala_schema') IS NOT NULL AS ok")?.ok !== true) {
      migrating(db, 0, () => db.exec('CREATE TABLE IF NOT EXISTS jala_schema (version integer NOT NULL, applied_at text NOT NULL)'));
    }
    const version = db.get<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM jala_schema')!.v;
    if (version > PG_MIGRATIONS.length) {
      throw new StoreError('store/newer-schema', `database schema version ${version} is newer than this Jala (${PG_MIGRATIONS.length}); upgrade Jala`);
    }
    for (let v = version; v < PG_MIGRATIONS.length; v++) {
      migrating(db, v, () =>
        db.transaction(() => {
          db.exec(PG_MIGRATIONS[v] as string);
          db.run('INSERT INTO jala_schema (version, applied_at) VALUES ($1, $2)', [v + 1, new Date().toISOString()]);
        }),
      );
    }
  } finally {
    db.run('SELECT pg_advisory_unlock($1)', [LOCK_KEYS.migrate]);
  }
}

/**
 * One step of the schema's migration; a role that may not make it (no CREATE, not the tables' owner)
 * is told what to do instead of getting PostgreSQL's bare refusal.
 */
function migrating(db: PgDatabase, version: number, step: () => void): void {
  try {
    step();
  } catch (cause) {
    const message = firstLine(cause);
    if (!/permission denied|must be owner/i.test(message)) throw cause;
    const role = db.get<{ r: string }>('SELECT current_user AS r')?.r ?? 'this role';
    throw new StoreError(
      'store/cannot-migrate',
      `the database schema is at version ${version} and this Jala needs ${PG_MIGRATIONS.length}, but the role ${role} may not change it (${message}): run any jala command once as the database's owner (or a role with CREATE on it), then start again as ${role}`,
      { cause },
    );
  }
}

/** The URL without its password, for messages. */
export const redact = hideUrlPassword;

/** A message with the URL's password hidden wherever it appears. */
export const redactIn = hidePasswordIn;

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
    // bytea (a record's ISO 2709 bytes), in the server's hex output: bytes, as SQLite returns a BLOB
    if (oid === 17) return (t: string) => Buffer.from(t.slice(2), 'hex');
    return (t: string) => t;
  },
};

/** A text[] parameter in PostgreSQL's array literal syntax, every element quoted. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
