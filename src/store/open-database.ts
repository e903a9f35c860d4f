import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type SqliteDatabase = Database.Database;

/** Thrown once, with a stable code, when the data directory or database cannot be used. */
export class StoreError extends Error {
  constructor(
    readonly code: 'store/unusable-data-dir' | 'store/newer-schema' | 'store/corrupt' | 'store/unreachable-database' | 'store/bad-database-url',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export const DATABASE_FILE = 'jala.db';

/** Opens (creating when needed) the database in a data directory: WAL, foreign keys, migrations. */
export function openDatabase(dataDir: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (cause) {
    throw new StoreError('store/unusable-data-dir', `cannot use data directory ${dataDir}: ${(cause as Error).message}`, { cause });
  }
  let db: SqliteDatabase;
  try {
    db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: options.readonly ?? false });
  } catch (cause) {
    throw new StoreError('store/unusable-data-dir', `cannot open ${path.join(dataDir, DATABASE_FILE)}: ${(cause as Error).message}`, { cause });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (cause) {
    db.close();
    if (cause instanceof StoreError) throw cause;
    throw new StoreError('store/corrupt', `database ${path.join(dataDir, DATABASE_FILE)} cannot be used: ${(cause as Error).message}`, { cause });
  }
  return db;
}

/** An in-memory database with the full schema (tests). */
export function openMemoryDatabase(): SqliteDatabase {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: SqliteDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new StoreError('store/newer-schema', `database schema version ${version} is newer than this Jala (${MIGRATIONS.length}); upgrade Jala`);
  }
  // nothing due: no write lock at all, so a read-only command opens while another process writes
  if (version === MIGRATIONS.length) return;
  // one migration per write-locked transaction, re-reading the version under the lock: another
  // process (an ingest, a second bot) may be migrating the same file at the same moment
  for (;;) {
    const done = db
      .transaction((): boolean => {
        const v = db.pragma('user_version', { simple: true }) as number;
        if (v >= MIGRATIONS.length) return true;
        db.exec(MIGRATIONS[v] as string);
        db.pragma(`user_version = ${v + 1}`);
        return false;
      })
      .immediate();
    if (done) return;
  }
}
