import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BulkCatalogFile, BulkFileError, discardHalfBuiltCatalog, inspectLiveCatalog } from './bulk-catalog-file.ts';
import { openDatabase } from './open-database.ts';
import { parseMrk } from '../../test/fixtures/mrk.ts';
import { mapRecord } from '../mapping/map-record.ts';
import { mergeWork } from '../dedup/merge-work.ts';

const dataDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'jala-bulk-file-'));

const schema = (db: Database.Database): Array<{ type: string; name: string; sql: string | null }> =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name").all() as Array<{ type: string; name: string; sql: string | null }>;

/** One record in one new work, mapped from MARC and stored as the ingest's steps store it. */
function loadOne(file: BulkCatalogFile, id = '1'): void {
  const store = file.store;
  const record = parseMrk(`
=LDR  00000nam a2200000 a 4500
=001  ${id}
=245  10$aA title
=952  \\\\$aA$bA$pB${id}
`);
  const mapped = mapRecord(record, { library: 'A', holdingsProfile: 'koha952' });
  if (!mapped.ok) throw new Error(mapped.reason);
  store.ensureLibrary('A', 'Library A', '2026-01-01T00:00:00Z');
  store.transaction(() => {
    const workId = store.createWork();
    store.putRecord(
      { doc: mapped.doc, marc: record, hash: 'h', workId, sourceFormat: 'iso2709', encoding: 'utf8', encodingMismatch: false, matchedBy: null, warnings: [], now: '2026-01-01T00:00:00Z' },
      false,
    );
    store.saveWork(mergeWork(workId, [mapped.doc]), store.nextSeq());
  });
}

describe('the bulk catalog file', () => {
  it('ends with the same schema as a migrated database: the secondary indexes left out while loading are built at the end', () => {
    const dir = dataDir();
    const file = BulkCatalogFile.create(dir, inspectLiveCatalog(dir));
    loadOne(file);
    file.complete({ records: 1 });
    const built = new Database(path.join(dir, 'jala.db'), { readonly: true });
    const reference = openDatabase(dataDir());
    expect(schema(built)).toEqual(schema(reference));
    expect(built.pragma('journal_mode', { simple: true })).toBe('wal');
    built.close();
    reference.close();
  });

  it('carries the tables that are not the catalog over from the live file, and swaps', () => {
    const dir = dataDir();
    const live = openDatabase(dir);
    live.exec(`INSERT INTO faq_entries (library, question, answer, created_by, created_at, updated_at) VALUES (NULL, 'q?', 'a.', 'x', 't', 't');
      INSERT INTO ill_requests (title, requester, state, placed_by, created_at, updated_at) VALUES ('T', 'B', 'SENT', 'lib', 't', 't');
      INSERT INTO meta (key, value) VALUES ('catalog_id', 'old'), ('something', 'kept')`);
    live.close();
    const file = BulkCatalogFile.create(dir, inspectLiveCatalog(dir));
    loadOne(file);
    expect(file.complete({ records: 1 })).toEqual({ records: 1, works: 1, items: 1 });
    const db = openDatabase(dir);
    expect(db.prepare('SELECT question FROM faq_entries').pluck().all()).toEqual(['q?']);
    expect(db.prepare('SELECT title FROM ill_requests').pluck().all()).toEqual(['T']);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'something'").pluck().get()).toBe('kept');
    // a new catalog: another id, so that an index saved for the old one is rebuilt
    expect(db.prepare("SELECT value FROM meta WHERE key = 'catalog_id'").pluck().get()).not.toBe('old');
    expect(db.prepare('SELECT id FROM records').pluck().all()).toEqual(['A.1']);
    db.close();
    expect(fs.existsSync(path.join(dir, 'jala.db.building'))).toBe(false);
  });

  it('does not swap while another connection has the live file open, and discards what it built', () => {
    const dir = dataDir();
    const other = openDatabase(dir);
    other.prepare('SELECT count(*) FROM records').get();
    expect(inspectLiveCatalog(dir).exclusive).toBe(false);
    const file = BulkCatalogFile.create(dir, { records: 0, works: 0, seq: 0, exclusive: true });
    loadOne(file);
    expect(() => file.complete({ records: 1 })).toThrow(BulkFileError);
    expect(other.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
    expect(fs.existsSync(path.join(dir, 'jala.db.building'))).toBe(false);
    other.close();
  });

  it('refuses a file whose record count is not what the load stored', () => {
    const dir = dataDir();
    const file = BulkCatalogFile.create(dir, inspectLiveCatalog(dir));
    loadOne(file);
    expect(() => file.complete({ records: 2 })).toThrow(/holds 1 records, the load stored 2/);
    const db = openDatabase(dir);
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
    db.close();
  });

  it('discards a half-built file left by a crash, but not one a live builder holds', () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, 'jala.db.building'), 'half a file');
    expect(discardHalfBuiltCatalog(dir)).toBe('discarded');
    const file = BulkCatalogFile.create(dir, inspectLiveCatalog(dir));
    expect(discardHalfBuiltCatalog(dir)).toBe('running');
    expect(() => BulkCatalogFile.create(dir, inspectLiveCatalog(dir))).toThrow(/another full load/);
    file.discard();
    expect(discardHalfBuiltCatalog(dir)).toBe('none');
  });
});
