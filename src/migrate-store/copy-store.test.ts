import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabaseFile } from '../store/open-database.ts';
import { SqliteTableSource, SqliteTableTarget } from '../store/sqlite-table-copy.ts';
import { loadOrder, migrateStore, planCopy } from './copy-store.ts';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'jala-copy-'));
const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A small consortium in a SQLite file: two libraries, a work with a record and an item, an ILL request with its rota. */
function smallStore(file: string, extra: (db: ReturnType<typeof openDatabaseFile>) => void = () => {}): void {
  const db = openDatabaseFile(file);
  db.exec(`
    INSERT INTO libraries VALUES ('UGM', 'Universitas Gadjah Mada', '2026-01-01T00:00:00Z'), ('UI', 'Universitas Indonesia', '2026-01-01T00:00:00Z');
    INSERT INTO works (id, doc, record_count, library_count, seq) VALUES (7, '{"id":"w7","title":"Laskar Pelangi","records":["UGM.1"],"libraries":["UGM"]}', 1, 1, 1);
    INSERT INTO records VALUES ('UGM.1', 'UGM', '1', 7, 'h', '{"id":"UGM.1","library":"UGM","title":"Laskar Pelangi"}', X'3031323334', 'iso2709', 'utf8', 0, NULL, NULL, '2026-01-01', '2026-01-01');
    INSERT INTO items (record_id, library, status, note) VALUES ('UGM.1', 'UGM', 'available', 'tab	and
newline');
    INSERT INTO ill_requests (id, work_id, title, requester, supplier, state, placed_by, created_at, updated_at) VALUES (3, 7, 'Laskar Pelangi', 'UI', 'UGM', 'SENT', 'lib-ui', '2026-01-02', '2026-01-02');
    INSERT INTO ill_rota VALUES (3, 0, 'UGM', 'current', 'holds it');
    INSERT INTO meta VALUES ('seq', '1');
  `);
  extra(db);
  db.close();
}

describe('the copy plan', () => {
  it('names the tables and columns the target lacks, and what only the target has', () => {
    const plan = planCopy(
      [{ name: 'records', columns: ['id', 'marc'] }, { name: 'faq_entries', columns: ['id'] }, { name: 'works', columns: ['id'] }],
      [{ name: 'records', columns: ['id', 'doc'] }, { name: 'works', columns: ['id'] }, { name: 'leader_lease', columns: ['id'] }],
    );
    expect(plan.missingTables).toEqual(['faq_entries']);
    expect(plan.missingColumns).toEqual([{ table: 'records', columns: ['marc'] }]);
    expect(plan.onlyInTarget).toEqual(['leader_lease']);
    expect(plan.columnsOnlyInTarget).toEqual([{ table: 'records', columns: ['doc'] }]);
  });

  it('loads a table after the tables it references', () => {
    const order = loadOrder(['items', 'records', 'works', 'libraries', 'meta'], [
      { table: 'items', references: 'records' },
      { table: 'records', references: 'works' },
      { table: 'records', references: 'libraries' },
    ]);
    expect(order.indexOf('records')).toBeGreaterThan(order.indexOf('works'));
    expect(order.indexOf('records')).toBeGreaterThan(order.indexOf('libraries'));
    expect(order.indexOf('items')).toBeGreaterThan(order.indexOf('records'));
    expect([...order].sort()).toEqual(['items', 'libraries', 'meta', 'records', 'works']);
  });
});

describe('migrateStore between two SQLite files', () => {
  it('copies every row, bytes and tabs included, and proves it with equal counts and digests', () => {
    const dir = tmp();
    smallStore(path.join(dir, 'a.db'));
    const source = new SqliteTableSource(path.join(dir, 'a.db'));
    const target = new SqliteTableTarget(path.join(dir, 'b', 'jala.db'));
    const r = migrateStore(source, target);
    target.close();
    source.close();
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.tables.every((t) => t.equal)).toBe(true);
    expect(r.value.tables.find((t) => t.table === 'ill_rota')?.target.rows).toBe(1);
    expect(r.value.catalog.equal).toBe(true);
    const b = openDatabaseFile(path.join(dir, 'b', 'jala.db'));
    expect(b.prepare("SELECT marc FROM records WHERE id = 'UGM.1'").pluck().get()).toEqual(Buffer.from('01234'));
    expect(b.prepare('SELECT note FROM items').pluck().get()).toBe('tab\tand\nnewline');
    b.close();
    expect(fs.readdirSync(path.join(dir, 'b')).filter((f) => f.includes('migrating'))).toEqual([]);
  });

  it('refuses a target that holds rows and leaves it byte for byte as it was; --overwrite replaces it', () => {
    const dir = tmp();
    smallStore(path.join(dir, 'a.db'));
    smallStore(path.join(dir, 'b.db'), (db) => db.exec("INSERT INTO faq_entries (library, question, answer, created_by, created_at, updated_at) VALUES (NULL, 'q', 'a', 'x', 'now', 'now')"));
    const before = sha(path.join(dir, 'b.db'));
    const refused = (() => {
      const source = new SqliteTableSource(path.join(dir, 'a.db'));
      const target = new SqliteTableTarget(path.join(dir, 'b.db'));
      try {
        return migrateStore(source, target);
      } finally {
        target.close();
        source.close();
      }
    })();
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'migrate-store/target-not-empty', tables: expect.arrayContaining([{ table: 'faq_entries', rows: 1 }]) });
    expect(sha(path.join(dir, 'b.db'))).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('migrating'))).toEqual([]);

    const source = new SqliteTableSource(path.join(dir, 'a.db'));
    const target = new SqliteTableTarget(path.join(dir, 'b.db'));
    const r = migrateStore(source, target, { overwrite: true });
    target.close();
    source.close();
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.overwritten).toEqual(expect.arrayContaining([{ table: 'faq_entries', rows: 1 }]));
    const b = openDatabaseFile(path.join(dir, 'b.db'));
    expect(b.prepare('SELECT count(*) FROM faq_entries').pluck().get()).toBe(0);
    expect(b.prepare('SELECT count(*) FROM ill_rota').pluck().get()).toBe(1);
    b.close();
  });

  it('refuses a source table the target has no place for, naming it, and writes nothing', () => {
    const dir = tmp();
    smallStore(path.join(dir, 'a.db'), (db) => db.exec("CREATE TABLE later_feature (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO later_feature VALUES (1, 'x')"));
    const source = new SqliteTableSource(path.join(dir, 'a.db'));
    const target = new SqliteTableTarget(path.join(dir, 'b', 'jala.db'));
    const r = migrateStore(source, target);
    target.close();
    source.close();
    expect(r).toMatchObject({ ok: false, error: { code: 'migrate-store/schema-mismatch', missingTables: ['later_feature'] } });
    expect(fs.readdirSync(path.join(dir, 'b'))).toEqual([]);
  });

  it('rolls back a copy the target cannot take (a rota row naming a request that is not there) and leaves no file', () => {
    const dir = tmp();
    smallStore(path.join(dir, 'a.db'), (db) => {
      db.pragma('foreign_keys = OFF');
      db.exec("INSERT INTO ill_rota VALUES (99, 0, 'UI', 'current', 'orphan')");
    });
    const source = new SqliteTableSource(path.join(dir, 'a.db'));
    const target = new SqliteTableTarget(path.join(dir, 'b', 'jala.db'));
    const r = migrateStore(source, target);
    target.close();
    source.close();
    expect(r).toMatchObject({ ok: false, error: { code: 'migrate-store/rejected', table: 'ill_rota' } });
    expect(fs.readdirSync(path.join(dir, 'b'))).toEqual([]);
  });
});
