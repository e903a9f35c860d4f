/** The catalog digest (src/catalog/catalog-digest.ts) over the SQLite store's rows, streamed. */
import type { CatalogDigest } from '../catalog/catalog-store.ts';
import { catalogDigest } from '../catalog/catalog-digest.ts';
import type { SqliteDatabase } from './open-database.ts';

export const DIGEST_QUERIES = {
  firstMembers: 'SELECT work_id AS workId, min(id) AS first FROM records GROUP BY work_id',
  works: "SELECT id, doc FROM works WHERE doc <> '{}'",
  records: 'SELECT id, library, work_id AS workId, doc, warnings FROM records ORDER BY id',
  items: 'SELECT record_id, library, branch, location, call_number, barcode, item_type, status, due_date, note FROM items ORDER BY record_id, id',
} as const;

export function sqliteCatalogDigest(db: SqliteDatabase): CatalogDigest {
  return catalogDigest({
    firstMembers: db.prepare(DIGEST_QUERIES.firstMembers).iterate() as IterableIterator<{ workId: number; first: string }>,
    works: db.prepare(DIGEST_QUERIES.works).iterate() as IterableIterator<{ id: number; doc: string }>,
    records: db.prepare(DIGEST_QUERIES.records).iterate() as IterableIterator<{ id: string; library: string; workId: number; doc: string; warnings: string | null }>,
    items: db.prepare(DIGEST_QUERIES.items).raw().iterate() as IterableIterator<Array<string | null>>,
  });
}
