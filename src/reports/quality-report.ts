/**
 * The bibliographic-control report: what the union catalog noticed (and worked around) in the member
 * libraries' records, with counts and examples, so that cataloguers can fix it at the source.
 */
import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { SqliteReportStore, type ReportRecordRow } from '../store/sqlite-report-store.ts';

export type QualityCheck = 'invalid-isbn' | 'no-245' | 'no-001' | 'encoding-repaired' | 'language-name' | 'title-key-match';

export const QUALITY_CHECKS: readonly QualityCheck[] = ['invalid-isbn', 'no-245', 'no-001', 'encoding-repaired', 'language-name', 'title-key-match'];

export interface QualityExample {
  recordId: string;
  title: string;
  /** what exactly: the invalid ISBN, how the record was read, the work it joined… */
  detail: string;
}

export interface QualityFinding {
  check: QualityCheck;
  /** records affected */
  count: number;
  examples: QualityExample[];
}

export interface QualityReport {
  /** absent = the whole consortium */
  library?: string;
  records: number;
  findings: QualityFinding[];
}

export type QualityResult = { ok: true; report: QualityReport } | { ok: false; error: 'report/unknown-library'; library: string; known: string[] };

export function qualityReport(store: SqliteCatalogStore, opts: { library?: string; examples?: number } = {}): QualityResult {
  const known = store.libraries().map((l) => l.code);
  let library: string | null = null;
  if (opts.library !== undefined) {
    const code = known.find((k) => k.toLowerCase() === opts.library?.toLowerCase());
    if (code === undefined) return { ok: false, error: 'report/unknown-library', library: opts.library, known };
    library = code;
  }
  const limit = opts.examples ?? 5;
  const q = new SqliteReportStore(store.db);
  const finding = (check: QualityCheck, rows: ReportRecordRow[], detail: (r: ReportRecordRow) => string): QualityFinding => ({
    check,
    count: rows.length,
    examples: rows.slice(0, limit).map((r) => ({ recordId: r.id, title: r.title, detail: detail(r) })),
  });
  const warningsLike = (r: ReportRecordRow, text: string): string[] => parseWarnings(r.warnings).filter((w) => w.includes(text));

  const findings: QualityFinding[] = [
    finding('invalid-isbn', q.recordsWarnedAbout('invalid ISBN in 020$a', library), (r) =>
      warningsLike(r, 'invalid ISBN in 020$a').map((w) => w.replace(/^invalid ISBN in 020\$a: /, '020$a ')).join('; '),
    ),
    finding('no-245', q.recordsWithoutField('245', library), () => 'no 245; the title was taken from another field'),
    finding('no-001', q.recordsWithoutField('001', library), (r) => warningsLike(r, 'no 001').join('; ') || 'no 001'),
    finding('encoding-repaired', q.recordsWithEncodingMismatch(library), (r) =>
      r.encoding === 'marc8' ? 'leader/09 says UTF-8, the bytes are MARC-8: read as MARC-8' : 'leader/09 says MARC-8, the bytes are UTF-8: read as UTF-8',
    ),
    finding('language-name', q.recordsWarnedAbout('instead of a MARC language code', library), (r) =>
      warningsLike(r, 'instead of a MARC language code').join('; '),
    ),
    finding('title-key-match', q.recordsMatchedBy('title', library), (r) => {
      const others = q.otherRecordsOfWork(r.workId, r.id);
      return `joined w${r.workId} on title and author alone, with ${others.map((o) => `${o.id} “${o.title}”`).join(', ') || 'no other record now'}`;
    }),
  ];
  return { ok: true, report: { ...(library !== null ? { library } : {}), records: q.recordCount(library), findings } };
}

function parseWarnings(json: string | null): string[] {
  if (json === null) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
}
