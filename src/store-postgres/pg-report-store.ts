import { storedMarcRecord } from '../marc/stored-marc.ts';
import { parseStoredWarnings, type RecordWarningCode } from '../catalog/record-warning.ts';
import type { ReportRecordRow, ReportStore, ReportWorkRow } from '../reports/report-store.ts';
import { textArray, type PgDatabase } from './pg-database.ts';

const RECORD_COLUMNS = `r.id, r.library, r.doc::jsonb->>'title' AS title, r.work_id AS "workId", r.warnings, r.encoding, r.matched_by AS "matchedBy"`;
/** $1 is the library, or null for every library */
const BY_LIBRARY = '($1::text IS NULL OR r.library = $1)';

/** The read-only queries behind `jala quality`, `jala overlap` and `jala unique`, over the PostgreSQL catalog. */
export class PgReportStore implements ReportStore {
  constructor(readonly db: PgDatabase) {}

  recordCount(library: string | null): number {
    return this.db.get<{ n: number }>(`SELECT count(*) AS n FROM records r WHERE ${BY_LIBRARY}`, [library])!.n;
  }

  recordsWarnedAbout(code: RecordWarningCode, library: string | null): ReportRecordRow[] {
    const rows = this.db.all<ReportRecordRow>(`SELECT ${RECORD_COLUMNS} FROM records r WHERE ${BY_LIBRARY} AND r.warnings IS NOT NULL ORDER BY r.library, r.id`, [library]);
    return rows.filter((r) => parseStoredWarnings(r.warnings).some((w) => w.code === code));
  }

  recordsWithoutField(tag: string, library: string | null): ReportRecordRow[] {
    // MARC kept as JSON is searched by PostgreSQL; MARC kept as the ISO 2709 bytes it was read from is parsed here
    const rows = this.db.all<ReportRecordRow & { marcBytes: Uint8Array | null }>(
      `SELECT ${RECORD_COLUMNS}, r.marc_iso2709 AS "marcBytes" FROM records r WHERE ${BY_LIBRARY}
          AND (r.marc_iso2709 IS NOT NULL OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(r.marc::jsonb->'fields') f WHERE f->>'tag' = $2))
        ORDER BY r.library, r.id`,
      [library, tag],
    );
    return rows
      .filter((r) => r.marcBytes === null || !(storedMarcRecord(r.marcBytes)?.fields.some((f) => f.tag === tag) ?? false))
      .map(({ marcBytes: _, ...row }) => row);
  }

  recordsWithEncodingMismatch(library: string | null): ReportRecordRow[] {
    return this.db.all<ReportRecordRow>(`SELECT ${RECORD_COLUMNS} FROM records r WHERE ${BY_LIBRARY} AND r.encoding_mismatch = 1 ORDER BY r.library, r.id`, [library]);
  }

  recordsMatchedBy(rule: string, library: string | null): ReportRecordRow[] {
    return this.db.all<ReportRecordRow>(`SELECT ${RECORD_COLUMNS} FROM records r WHERE ${BY_LIBRARY} AND r.matched_by = $2 ORDER BY r.library, r.id`, [library, rule]);
  }

  otherRecordsOfWork(workId: number, exceptRecord: string): Array<{ id: string; title: string }> {
    return this.db.all(`SELECT id, doc::jsonb->>'title' AS title FROM records WHERE work_id = $1 AND id <> $2 ORDER BY id`, [workId, exceptRecord]);
  }

  worksOfLibraries(libraries: readonly string[]): ReportWorkRow[] {
    const rows = this.db.all<Omit<ReportWorkRow, 'year'> & { year: string | null }>(
      `SELECT w.id AS "workId", d->>'title' AS title, d->'authors'->0->>'name' AS author, d->>'year' AS year, d->>'format' AS format,
          d->'subjects'->>0 AS subject,
          (SELECT string_agg(DISTINCT h.library, ',') FROM records h WHERE h.work_id = w.id) AS libs
        FROM works w, LATERAL (SELECT w.doc::jsonb AS d) j
        WHERE w.record_count > 0 AND w.id IN (SELECT r.work_id FROM records r WHERE r.library = ANY($1::text[]))
        ORDER BY w.id`,
      [textArray(libraries)],
    );
    // the year as the document has it: a number (or none)
    return rows.map((r) => ({ ...r, year: r.year === null ? null : Number(r.year) }));
  }

  itemCountsOfLibrary(library: string): Map<number, { items: number; available: number }> {
    const rows = this.db.all<{ workId: number; items: number; available: number }>(
      `SELECT r.work_id AS "workId", count(i.id) AS items, count(i.id) FILTER (WHERE i.status = 'available') AS available
        FROM records r LEFT JOIN items i ON i.record_id = r.id WHERE r.library = $1 GROUP BY r.work_id`,
      [library],
    );
    return new Map(rows.map((r) => [r.workId, { items: r.items, available: r.available }]));
  }
}
