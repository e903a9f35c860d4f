import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.ts';
import { openDatabase, StoreError } from './open-database.ts';

describe('openDatabase', () => {
  it('opens a migrated database without the write lock while another process holds it in a long transaction', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-db-'));
    openDatabase(dir).close();
    const writer = new Database(path.join(dir, 'jala.db'));
    writer.pragma('busy_timeout = 0');
    writer.exec('BEGIN IMMEDIATE');
    try {
      const reader = openDatabase(dir);
      reader.pragma('busy_timeout = 0'); // a read must not wait either
      expect(reader.prepare('SELECT count(*) AS n FROM sqlite_master').get()).toMatchObject({ n: expect.any(Number) });
      reader.close();
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  }, 30_000);

  it('migrates a new database once, even when several processes open it at the same moment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-db-'));
    const script = `import { openDatabase } from ${JSON.stringify(path.resolve(import.meta.dirname, 'open-database.ts'))}; openDatabase(${JSON.stringify(dir)}).close();`;
    const runs = Array.from({ length: 4 }, () =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
        child.once('exit', (code) => resolve(code ?? 1));
      }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses a database made by a newer Jala, with a clear error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-db-'));
    const db = openDatabase(dir);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(dir)).toThrow(StoreError);
    expect(() => openDatabase(dir)).toThrow(/newer than this Jala/);
  });
});
