/**
 * The Catmandu OAI peer's SQLite store (the table Catmandu::Store::DBI keeps, see
 * test/support/oai-peer.ts), written by the benchmark so that the peer serves the same union records as
 * Jala. A third party's database, not Jala's: it lives with the benchmark, not in src/store.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';

export interface CatmanduPeerDb {
  /** inserts rows in one transaction: `data` is the record as Catmandu stores it */
  insertAll(rows: ReadonlyArray<{ id: string; data: string; datestamp: string }>): void;
  close(): void;
}

/** A fresh peer store at `dbPath` (an existing file is replaced). */
export function createCatmanduPeerDb(dbPath: string): CatmanduPeerDb {
  fs.rmSync(dbPath, { force: true });
  const db = new Database(dbPath);
  db.exec(`CREATE TABLE IF NOT EXISTS "data"("setspec" TEXT,"deleted" INTEGER,"data" BLOB,"id" TEXT UNIQUE NOT NULL,"datestamp" TEXT);
    CREATE INDEX "data_setspec_idx" ON "data"("setspec"); CREATE INDEX "data_datestamp_idx" ON "data"("datestamp");`);
  const insert = db.prepare('INSERT INTO data (setspec, deleted, data, id, datestamp) VALUES (?, NULL, ?, ?, ?)');
  const insertAll = db.transaction((rows: ReadonlyArray<{ id: string; data: string; datestamp: string }>) => {
    for (const r of rows) insert.run('jala', r.data, r.id, r.datestamp);
  });
  return { insertAll: (rows) => void insertAll(rows), close: () => db.close() };
}
