import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type SqliteDatabase = Database.Database;

/** Thrown once, with a stable code, when the data directory or database cannot be used. */
export class StoreError extends Error {
  constructor(
    readonly code: 'store/unusable-data-dir' | 'store/newer-schema' | 'store/cannot-migrate' | 'store/corrupt' | 'store/unreachable-database' | 'store/bad-database-url',
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
  return openDatabaseFile(path.join(dataDir, DATABASE_FILE), options);
}

/**
 * Opens (creating when needed) a database file with the full schema. `journal: 'wal'` (the default) is
 * how Jala runs; `'off'` is for a file being built aside that nothing else reads until it is renamed
 * into place (jala migrate-store): no journal and no syncs while it fills.
 */
export function openDatabaseFile(file: string, options: { readonly?: boolean; journal?: 'wal' | 'off' } = {}): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(file, { readonly: options.readonly ?? false });
  } catch (cause) {
    throw new StoreError('store/unusable-data-dir', `cannot open ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    if (options.journal === 'off') {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (cause) {
    db.close();
    if (cause instanceof StoreError) throw cause;
    throw new StoreError('store/corrupt', `database ${file} cannot be used: ${(cause as Error).message}`, { cause });
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
