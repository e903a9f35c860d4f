/**
 * What a PostgreSQL test file sets up around its tests: one server started for the file (with
 * JALA_DATABASE_URL cleared meanwhile, so that nothing reaches another database, and put back after),
 * a database with a connection kept open for the file's tests, and a connection opened for one look at
 * a database.
 */
import { afterAll, beforeAll } from 'vitest';
import { openPgDatabase, PgDatabase } from '../../src/store-postgres/pg-database.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';

/** Starts a server before the file's tests and stops it after; call inside the describe. Returns the server once started. */
export function usePostgresServer(): () => PostgresServer {
  let server: PostgresServer | undefined;
  const savedUrl = process.env.JALA_DATABASE_URL;
  beforeAll(async () => {
    delete process.env.JALA_DATABASE_URL;
    server = await startPostgres();
  }, 120_000);
  afterAll(() => {
    server?.stop();
    if (savedUrl === undefined) delete process.env.JALA_DATABASE_URL;
    else process.env.JALA_DATABASE_URL = savedUrl;
  });
  return () => {
    if (server === undefined) throw new Error('the PostgreSQL server is not started yet (use it inside a test)');
    return server;
  };
}

/**
 * A server for the file (usePostgresServer), a new database on it and a connection to it, open from
 * before the file's tests to after them; `setup` runs once on it first (tables the tests share). Call
 * inside the describe. Returns the connection once opened.
 */
export function usePostgresConnection(setup: (db: PgDatabase) => void = () => undefined): () => PgDatabase {
  const server = usePostgresServer();
  let db: PgDatabase | undefined;
  beforeAll(() => {
    db = new PgDatabase(server().createDatabase());
    setup(db);
  });
  // after hooks run in reverse order: this one before the server's stop
  afterAll(() => db?.close());
  return () => {
    if (db === undefined) throw new Error('the PostgreSQL connection is not open yet (use it inside a test)');
    return db;
  };
}

/** `fn` on a connection to `url` (opened as Jala opens it), closed after. */
export function inPg<T>(url: string, fn: (db: PgDatabase) => T): T {
  const db = openPgDatabase(url);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
