import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from './background-checkpoints.ts';

function writer(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // the writer never checkpoints itself: whatever reaches the database file was copied by the thread
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return db;
}

function writeBatches(db: Database.Database, batches: number): void {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let b = 0; b < batches; b++) db.transaction(() => {
    for (let i = 0; i < 100; i++) insert.run('x'.repeat(1000));
  })();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('WAL checkpoints from a thread of their own', () => {
  it('copies committed pages into the database file while the writer goes on, and stops when told', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-ckpt-'));
    const file = path.join(dir, 'a.db');
    const db = writer(file);
    const stop = startBackgroundCheckpoints(file, 20);
    try {
      for (let round = 0; round < 5; round++) {
        writeBatches(db, 4);
        await sleep(60);
      }
      // 2,000 rows of 1 KB: in the database file itself, not only in the WAL
      // waits on the checkpointer (every 20 ms), however busy the machine: the test's timeout is the deadline
      while (fs.statSync(file).size < 2_000_000) await sleep(20);
      expect(fs.statSync(file).size).toBeGreaterThan(2_000_000);
    } finally {
      stop();
    }
    await stop.closed;
    const before = fs.statSync(file).size;
    writeBatches(db, 20);
    await sleep(200);
    // stopped: nothing copies the new pages any more
    expect(fs.statSync(file).size).toBe(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(4000);
    db.close();
  });

  it('without it, the same writes stay in the WAL (what the first test relies on)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-ckpt-'));
    const file = path.join(dir, 'a.db');
    const db = writer(file);
    writeBatches(db, 20);
    await sleep(200);
    expect(fs.statSync(file).size).toBeLessThan(100_000);
    db.close();
  });
});
