/**
 * What a PostgreSQL test file sets up around its tests: one server started for the file (with
 * JALA_DATABASE_URL cleared meanwhile, so that nothing reaches another database, and put back after),
 * and a connection opened for one look at a database.
 */
import { afterAll, beforeAll } from 'vitest';
import { openPgDatabase, type PgDatabase } from '../../src/store-postgres/pg-database.ts';
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

/** `fn` on a connection to `url` (opened as Jala opens it), closed after. */
export function inPg<T>(url: string, fn: (db: PgDatabase) => T): T {
  const db = openPgDatabase(url);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
