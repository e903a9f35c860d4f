/**
 * The catalog queries of the catalog server (SRU and OAI-PMH): reads only, in batches, through
 * statements of their own. Documents are read back as the ingest stored them (validated when they
 * were mapped), without a second validation per served record.
 */
import type { MarcRecord } from '../marc/marc-record.ts';
import { storedMarcRecord } from '../marc/stored-marc.ts';
import type { WorkDocument } from '../catalog/work-document.ts';
import type { IdentifierKind, ServedCatalog, ServedItem, ServedRecordRef, WorkHead } from '../union-record/served-catalog.ts';
import { servedItemsByWork, type ServedItemRow as ItemRow } from '../union-record/served-item-rows.ts';
import type { SqliteDatabase } from './open-database.ts';


export class SqliteServedCatalog implements ServedCatalog {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      works: db.prepare(`SELECT id, doc FROM works WHERE id IN (SELECT value FROM json_each(?)) AND doc <> '{}'`),
      heads: db.prepare(`SELECT id, doc -> '$.records' AS records, doc -> '$.libraries' AS libraries FROM works
        WHERE id IN (SELECT value FROM json_each(?)) AND doc <> '{}'`),
      marcs: db.prepare('SELECT id, marc FROM records WHERE id IN (SELECT value FROM json_each(?))'),
      items: db.prepare(`SELECT r.work_id AS workId, i.record_id AS recordId, i.library, i.branch, i.location,
          i.call_number AS callNumber, i.barcode, i.item_type AS itemType, i.status, i.due_date AS dueDate, i.note
        FROM records r JOIN items i ON i.record_id = r.id
        WHERE r.work_id IN (SELECT value FROM json_each(?)) ORDER BY r.work_id, i.library, i.id`),
      record: db.prepare('SELECT id, library, work_id AS workId FROM records WHERE id = ? COLLATE NOCASE'),
      byKey: db.prepare(`SELECT DISTINCT r.work_id AS workId FROM record_keys k JOIN records r ON r.id = k.record_id
        WHERE k.kind = ? AND k.key = ? ORDER BY r.work_id`),
      byKeyRange: db.prepare(`SELECT DISTINCT r.work_id AS workId FROM record_keys k JOIN records r ON r.id = k.record_id
        WHERE k.kind = ? AND k.key >= ? AND k.key < ? ORDER BY r.work_id LIMIT ?`),
      countOfLibraries: db.prepare('SELECT count(DISTINCT work_id) AS n FROM records WHERE library IN (SELECT value FROM json_each(?))'),
      worksOfLibraries: db.prepare(`SELECT DISTINCT work_id AS workId FROM records WHERE library IN (SELECT value FROM json_each(?))
        ORDER BY work_id LIMIT ? OFFSET ?`),
      libraryHolds: db.prepare('SELECT 1 FROM records WHERE work_id = ? AND library IN (SELECT value FROM json_each(?)) LIMIT 1'),
      workCount: db.prepare('SELECT count(*) AS n FROM works'),
      allWorks: db.prepare("SELECT id FROM works WHERE record_count > 0 ORDER BY id LIMIT ? OFFSET ?"),
      libraries: db.prepare('SELECT code, name FROM libraries ORDER BY code'),
    };
  }

  works(ids: readonly number[]): Map<number, WorkDocument> {
    const out = new Map<number, WorkDocument>();
    if (ids.length === 0) return out;
    for (const row of this.s.works.all(JSON.stringify(ids)) as Array<{ id: number; doc: string }>) {
      out.set(row.id, JSON.parse(row.doc) as WorkDocument);
    }
    return out;
  }

  workHeads(ids: readonly number[]): Map<number, WorkHead> {
    const out = new Map<number, WorkHead>();
    if (ids.length === 0) return out;
    for (const row of this.s.heads.all(JSON.stringify(ids)) as Array<{ id: number; records: string; libraries: string }>) {
      out.set(row.id, { id: row.id, records: JSON.parse(row.records) as string[], libraries: JSON.parse(row.libraries) as string[] });
    }
    return out;
  }

  recordMarcs(ids: readonly string[]): Map<string, MarcRecord> {
    const out = new Map<string, MarcRecord>();
    if (ids.length === 0) return out;
    for (const row of this.s.marcs.all(JSON.stringify(ids)) as Array<{ id: string; marc: string | Uint8Array }>) {
      const marc = storedMarcRecord(row.marc);
      if (marc) out.set(row.id, marc);
    }
    return out;
  }

  itemsOfWorks(ids: readonly number[]): Map<number, ServedItem[]> {
    if (ids.length === 0) return new Map();
    return servedItemsByWork(this.s.items.all(JSON.stringify(ids)) as ItemRow[]);
  }

  record(id: string): ServedRecordRef | undefined {
    return this.s.record.get(id) as ServedRecordRef | undefined;
  }

  worksByKey(kind: IdentifierKind, key: string): number[] {
    return (this.s.byKey.all(kind, key) as Array<{ workId: number }>).map((r) => r.workId);
  }

  worksByKeyPrefix(kind: IdentifierKind, prefix: string, limit: number): number[] {
    // keys are ASCII (digits, X, hyphen): the prefix's range ends before the prefix with its last character bumped
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return (this.s.byKeyRange.all(kind, prefix, end, limit) as Array<{ workId: number }>).map((r) => r.workId);
  }

  countWorksOfLibraries(codes: readonly string[]): number {
    return (this.s.countOfLibraries.get(JSON.stringify(codes)) as { n: number }).n;
  }

  worksOfLibraries(codes: readonly string[], offset: number, limit: number): number[] {
    return (this.s.worksOfLibraries.all(JSON.stringify(codes), limit, offset) as Array<{ workId: number }>).map((r) => r.workId);
  }

  libraryHolds(workId: number, codes: readonly string[]): boolean {
    return this.s.libraryHolds.get(workId, JSON.stringify(codes)) !== undefined;
  }

  workCount(): number {
    return (this.s.workCount.get() as { n: number }).n;
  }

  allWorkIds(offset: number, limit: number): number[] {
    return (this.s.allWorks.all(limit, offset) as Array<{ id: number }>).map((r) => r.id);
  }

  libraries(): Array<{ code: string; name: string }> {
    return this.s.libraries.all() as Array<{ code: string; name: string }>;
  }
}
