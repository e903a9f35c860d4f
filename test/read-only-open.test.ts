/**
 * Issue 17: a read-only command (`jala ask`, `jala stats`…) opens the catalog and answers while another
 * process holds the write lock in a long transaction; before, even `jala ask` took the write lock at open.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import { sampleDataDir } from './support/sample-jala.ts';

describe('read-only commands and the write lock', () => {
  it('answers a question while another process holds the write lock', async () => {
    const { dataDir, configPath } = sampleDataDir(undefined, { prefix: 'jala-readonly-' });
    (await createJala({ dataDir, configPath, ingestMissing: true })).close();
    const writer = new Database(path.join(dataDir, 'jala.db'));
    writer.pragma('busy_timeout = 0');
    writer.exec('BEGIN IMMEDIATE');
    try {
      const jala = await createJala({ dataDir, configPath });
      try {
        expect(jala.ask('laskar pelangi').results[0]?.title.toLowerCase()).toContain('laskar pelangi');
      } finally {
        jala.close();
      }
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  }, 120_000);
});
