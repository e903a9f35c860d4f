import { parseStoredWarnings, type RecordWarningCode } from '../catalog/record-warning.ts';
import type { SqliteDatabase } from './open-database.ts';
import { storedMarcRecord } from '../marc/stored-marc.ts';
import type { ReportRecordRow, ReportWorkRow, ReportStore } from '../reports/report-store.ts';
export type { ReportRecordRow, ReportWorkRow } from '../reports/report-store.ts';

const RECORD_COLUMNS = "r.id, r.library, json_extract(r.doc, '$.title') AS title, r.work_id AS workId, r.warnings, r.encoding, r.matched_by AS matchedBy";
const BY_LIBRARY = '(@library IS NULL OR r.library = @library)';

/** Read-only queries behind `jala quality`, `jala overlap` and `jala unique`. */
export class SqliteReportStore implements ReportStore {
  constructor(readonly db: SqliteDatabase) {}

  recordCount(library: string | null): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM records r WHERE ${BY_LIBRARY}`).get({ library }) as { n: number }).n;
  }

  /** Records with a warning of this code (what ingest noted and worked around). */
  recordsWarnedAbout(code: RecordWarningCode, library: string | null): ReportRecordRow[] {
    const rows = this.db
      .prepare(`SELECT ${RECORD_COLUMNS} FROM records r WHERE ${BY_LIBRARY} AND r.warnings IS NOT NULL ORDER BY r.library, r.id`)
      .all({ library }) as ReportRecordRow[];
    return rows.filter((r) => parseStoredWarnings(r.warnings).some((w) => w.code === code));
  }

  /** Records whose original MARC has no field with this tag. */
  recordsWithoutField(tag: string, library: string | null): ReportRecordRow[] {
    // MARC stored as JSON is searched by SQLite; MARC stored as the ISO 2709 bytes it was read from is parsed here
    const rows = this.db
      .prepare(`SELECT ${RECORD_COLUMNS}, CASE WHEN typeof(r.marc) = 'blob' THEN r.marc END AS marcBytes FROM records r WHERE ${BY_LIBRARY}
          AND (typeof(r.marc) = 'blob' OR NOT EXISTS (SELECT 1 FROM json_each(r.marc, '$.fields') f WHERE json_extract(f.value, '$.tag') = @tag))
        ORDER BY r.library, r.id`)
      .all({ library, tag }) as Array<ReportRecordRow & { marcBytes: Uint8Array | null }>;
    return rows
      .filter((r) => r.marcBytes === null || !(storedMarcRecord(r.marcBytes)?.fields.some((f) => f.tag === tag) ?? false))
      .map(({ marcBytes: _, ...row }) => row);
  }

  /** Records whose leader/09 disagreed with their bytes (read by the bytes). */
  recordsWithEncodingMismatch(library: string | null): ReportRecordRow[] {
    return this.db
      .prepare(`SELECT ${RECORD_COLUMNS} FROM records r WHERE ${BY_LIBRARY} AND r.encoding_mismatch = 1 ORDER BY r.library, r.id`)
      .all({ library }) as ReportRecordRow[];
  }

  recordsMatchedBy(rule: string, library: string | null): ReportRecordRow[] {
    return this.db
      .prepare(`SELECT ${RECORD_COLUMNS} FROM records r WHERE ${BY_LIBRARY} AND r.matched_by = @rule ORDER BY r.library, r.id`)
      .all({ library, rule }) as ReportRecordRow[];
  }

  otherRecordsOfWork(workId: number, exceptRecord: string): Array<{ id: string; title: string }> {
    return this.db
      .prepare("SELECT id, json_extract(doc, '$.title') AS title FROM records WHERE work_id = ? AND id <> ? ORDER BY id")
      .all(workId, exceptRecord) as Array<{ id: string; title: string }>;
  }

  /** Works holding a record of any of these libraries, with every library that holds them. */
  worksOfLibraries(libraries: readonly string[]): ReportWorkRow[] {
    return this.db
      .prepare(`SELECT w.id AS workId, json_extract(w.doc, '$.title') AS title, json_extract(w.doc, '$.authors[0].name') AS author,
          json_extract(w.doc, '$.year') AS year, json_extract(w.doc, '$.format') AS format, json_extract(w.doc, '$.subjects[0]') AS subject,
          (SELECT group_concat(DISTINCT h.library) FROM records h WHERE h.work_id = w.id) AS libs
        FROM works w
        WHERE w.record_count > 0 AND w.id IN (SELECT r.work_id FROM records r WHERE r.library IN (SELECT value FROM json_each(?)))
        ORDER BY w.id`)
      .all(JSON.stringify(libraries)) as ReportWorkRow[];
  }

  /** Items and available items of a library, per work. */
  itemCountsOfLibrary(library: string): Map<number, { items: number; available: number }> {
    const rows = this.db
      .prepare(`SELECT r.work_id AS workId, count(i.id) AS items, coalesce(sum(i.status = 'available'), 0) AS available
        FROM records r LEFT JOIN items i ON i.record_id = r.id WHERE r.library = ? GROUP BY r.work_id`)
      .all(library) as Array<{ workId: number; items: number; available: number }>;
    return new Map(rows.map((r) => [r.workId, { items: r.items, available: r.available }]));
  }
}
