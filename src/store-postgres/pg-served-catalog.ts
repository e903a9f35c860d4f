/**
 * The catalog queries of the catalog server (SRU and OAI-PMH) over the PostgreSQL catalog: the same
 * reads as src/store/sqlite-served-catalog.ts, in batches (ids passed as one array parameter), with
 * documents read back as the ingest stored them (validated when they were mapped).
 */
import type { MarcRecord } from '../marc/marc-record.ts';
import { storedMarcRecord } from '../marc/stored-marc.ts';
import type { WorkDocument } from '../catalog/work-document.ts';
import type { IdentifierKind, ServedCatalog, ServedItem, ServedRecordRef, WorkHead } from '../union-record/served-catalog.ts';
import { servedItemsByWork, type ServedItemRow as ItemRow } from '../union-record/served-item-rows.ts';
import { textArray, type PgDatabase } from './pg-database.ts';


/** A bigint[] parameter in PostgreSQL's array literal syntax. */
function idArray(ids: readonly number[]): string {
  return `{${ids.map((n) => String(Math.trunc(Number(n)))).join(',')}}`;
}

export class PgServedCatalog implements ServedCatalog {
  constructor(private readonly db: PgDatabase) {}

  works(ids: readonly number[]): Map<number, WorkDocument> {
    const out = new Map<number, WorkDocument>();
    if (ids.length === 0) return out;
    for (const row of this.db.all<{ id: number; doc: string }>("SELECT id, doc FROM works WHERE id = ANY($1::bigint[]) AND doc <> '{}'", [idArray(ids)])) {
      out.set(row.id, JSON.parse(row.doc) as WorkDocument);
    }
    return out;
  }

  workHeads(ids: readonly number[]): Map<number, WorkHead> {
    const out = new Map<number, WorkHead>();
    if (ids.length === 0) return out;
    const rows = this.db.all<{ id: number; records: string; libraries: string }>(
      `SELECT id, (doc::jsonb -> 'records')::text AS records, (doc::jsonb -> 'libraries')::text AS libraries FROM works
        WHERE id = ANY($1::bigint[]) AND doc <> '{}'`,
      [idArray(ids)],
    );
    for (const row of rows) {
      out.set(row.id, { id: row.id, records: JSON.parse(row.records) as string[], libraries: JSON.parse(row.libraries) as string[] });
    }
    return out;
  }

  recordMarcs(ids: readonly string[]): Map<string, MarcRecord> {
    const out = new Map<string, MarcRecord>();
    if (ids.length === 0) return out;
    const rows = this.db.all<{ id: string; marc: string | null; marc_iso2709: Uint8Array | null }>('SELECT id, marc, marc_iso2709 FROM records WHERE id = ANY($1::text[])', [textArray(ids)]);
    for (const row of rows) {
      const marc = storedMarcRecord(row.marc_iso2709 ?? row.marc ?? '');
      if (marc) out.set(row.id, marc);
    }
    return out;
  }

  itemsOfWorks(ids: readonly number[]): Map<number, ServedItem[]> {
    if (ids.length === 0) return new Map();
    const rows = this.db.all<ItemRow>(
      `SELECT r.work_id AS "workId", i.record_id AS "recordId", i.library, i.branch, i.location, i.call_number AS "callNumber", i.barcode,
          i.item_type AS "itemType", i.status, i.due_date AS "dueDate", i.note
        FROM records r JOIN items i ON i.record_id = r.id WHERE r.work_id = ANY($1::bigint[]) ORDER BY r.work_id, i.library, i.id`,
      [idArray(ids)],
    );
    return servedItemsByWork(rows);
  }

  /** A record by its id without regard to case (as SQLite's COLLATE NOCASE; the index records_id_lower). */
  record(id: string): ServedRecordRef | undefined {
    return this.db.get<ServedRecordRef>('SELECT id, library, work_id AS "workId" FROM records WHERE lower(id) = lower($1) ORDER BY id LIMIT 1', [id]);
  }

  worksByKey(kind: IdentifierKind, key: string): number[] {
    return this.db
      .all<{ workId: number }>('SELECT DISTINCT r.work_id AS "workId" FROM record_keys k JOIN records r ON r.id = k.record_id WHERE k.kind = $1 AND k.key = $2 ORDER BY 1', [kind, key])
      .map((r) => r.workId);
  }

  worksByKeyPrefix(kind: IdentifierKind, prefix: string, limit: number): number[] {
    // keys are ASCII (digits, X, hyphen) in COLLATE "C": the prefix's range ends before the prefix with its last character bumped
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return this.db
      .all<{ workId: number }>(
        `SELECT DISTINCT r.work_id AS "workId" FROM record_keys k JOIN records r ON r.id = k.record_id
          WHERE k.kind = $1 AND k.key >= $2 AND k.key < $3 ORDER BY 1 LIMIT $4`,
        [kind, prefix, end, limit],
      )
      .map((r) => r.workId);
  }

  countWorksOfLibraries(codes: readonly string[]): number {
    return this.db.get<{ n: number }>('SELECT count(DISTINCT work_id) AS n FROM records WHERE library = ANY($1::text[])', [textArray(codes)])!.n;
  }

  worksOfLibraries(codes: readonly string[], offset: number, limit: number): number[] {
    return this.db
      .all<{ workId: number }>('SELECT DISTINCT work_id AS "workId" FROM records WHERE library = ANY($1::text[]) ORDER BY 1 LIMIT $2 OFFSET $3', [textArray(codes), limit, offset])
      .map((r) => r.workId);
  }

  libraryHolds(workId: number, codes: readonly string[]): boolean {
    return this.db.get('SELECT 1 AS one FROM records WHERE work_id = $1 AND library = ANY($2::text[]) LIMIT 1', [workId, textArray(codes)]) !== undefined;
  }

  workCount(): number {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM works')!.n;
  }

  allWorkIds(offset: number, limit: number): number[] {
    return this.db.all<{ id: number }>('SELECT id FROM works WHERE record_count > 0 ORDER BY id LIMIT $1 OFFSET $2', [limit, offset]).map((r) => r.id);
  }

  libraries(): Array<{ code: string; name: string }> {
    return this.db.all<{ code: string; name: string }>('SELECT code, name FROM libraries ORDER BY code');
  }
}
