/**
 * A digest of what the union catalog holds, for comparing two catalogs built from the same input by
 * different paths (the bulk load and the per-record ingest, SQLite and PostgreSQL): every work with
 * its member records, every record's document, every holding. It leaves out what may differ without
 * a reader noticing: work numbers (a work is named by its first member record id), change sequence
 * numbers, timestamps, content hashes and the stored form of the MARC. Each store feeds it its rows.
 */
import { createHash, type Hash } from 'node:crypto';
import type { CatalogDigest } from './catalog-store.ts';

export interface CatalogDigestRows {
  /** each work's smallest member record id */
  firstMembers: Iterable<{ workId: number; first: string }>;
  /** works with a document */
  works: Iterable<{ id: number; doc: string }>;
  /** every record, ordered by id (byte order) */
  records: Iterable<{ id: string; library: string; workId: number; doc: string; warnings: string | null }>;
  /** every item as [record_id, library, branch, location, call_number, barcode, item_type, status, due_date, note], ordered by record id then item id */
  items: Iterable<ReadonlyArray<string | null>>;
}

export function catalogDigest(rows: CatalogDigestRows): CatalogDigest {
  const nameOf = new Map<number, string>();
  for (const row of rows.firstMembers) nameOf.set(Number(row.workId), row.first);
  const line = (h: Hash, ...parts: Array<string | number | null>): void => {
    h.update(`${parts.map((p) => (p === null ? '' : String(p))).join('\t')}\n`);
  };

  const works = createHash('sha256');
  const workRows: Array<[string, string]> = [];
  for (const row of rows.works) {
    const doc = JSON.parse(row.doc) as Record<string, unknown>;
    delete doc.id;
    workRows.push([nameOf.get(Number(row.id)) ?? `(no member) ${row.id}`, JSON.stringify(doc)]);
  }
  workRows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, doc] of workRows) line(works, name, doc);

  const records = createHash('sha256');
  let recordCount = 0;
  for (const row of rows.records) {
    line(records, row.id, row.library, nameOf.get(Number(row.workId)) ?? '', row.doc, row.warnings);
    recordCount++;
  }

  const holdings = createHash('sha256');
  let itemCount = 0;
  for (const row of rows.items) {
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
