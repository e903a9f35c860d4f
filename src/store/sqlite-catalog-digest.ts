/**
 * A digest of what the union catalog holds, for comparing two catalogs built from the same input by
 * different paths (the bulk load and the per-record ingest, SQLite and another store): every work with
 * its member records, every record's document, every holding. It leaves out what may differ without
 * a reader noticing: work numbers (a work is named by its first member record id), change sequence
 * numbers, timestamps, content hashes and the stored form of the MARC.
 */
import { createHash, type Hash } from 'node:crypto';
import type { CatalogDigest } from '../catalog/catalog-store.ts';
import type { SqliteDatabase } from './open-database.ts';

export function sqliteCatalogDigest(db: SqliteDatabase): CatalogDigest {
  // a work's name: its smallest member record id (ids are unique, so the name is too)
  const nameOf = new Map<number, string>();
  for (const row of db.prepare('SELECT work_id AS workId, min(id) AS first FROM records GROUP BY work_id').iterate() as IterableIterator<{ workId: number; first: string }>) {
    nameOf.set(row.workId, row.first);
  }
  const line = (h: Hash, ...parts: Array<string | number | null>): void => {
    h.update(`${parts.map((p) => (p === null ? '' : String(p))).join('\t')}\n`);
  };

  const works = createHash('sha256');
  const workRows: Array<[string, string]> = [];
  for (const row of db.prepare("SELECT id, doc FROM works WHERE doc <> '{}'").iterate() as IterableIterator<{ id: number; doc: string }>) {
    const doc = JSON.parse(row.doc) as Record<string, unknown>;
    delete doc.id;
    workRows.push([nameOf.get(row.id) ?? `(no member) ${row.id}`, JSON.stringify(doc)]);
  }
  workRows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, doc] of workRows) line(works, name, doc);

  const records = createHash('sha256');
  let recordCount = 0;
  for (const row of db.prepare('SELECT id, library, work_id AS workId, doc, warnings FROM records ORDER BY id').iterate() as IterableIterator<{
    id: string; library: string; workId: number; doc: string; warnings: string | null;
  }>) {
    line(records, row.id, row.library, nameOf.get(row.workId) ?? '', row.doc, row.warnings);
    recordCount++;
  }

  const holdings = createHash('sha256');
  let itemCount = 0;
  for (const row of db
    .prepare('SELECT record_id, library, branch, location, call_number, barcode, item_type, status, due_date, note FROM items ORDER BY record_id, id')
    .raw()
    .iterate() as IterableIterator<Array<string | null>>) {
    line(holdings, ...row);
    itemCount++;
  }

  const parts = { works: works.digest('hex'), records: records.digest('hex'), holdings: holdings.digest('hex') };
  return {
    works: workRows.length,
    records: recordCount,
    items: itemCount,
    digest: createHash('sha256').update(`${parts.works}\n${parts.records}\n${parts.holdings}\n`).digest('hex'),
    parts,
  };
}
