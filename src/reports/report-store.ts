import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { HarvestStore } from '../harvest/harvest-store.ts';
/** A stored record as the reports show it. */
export interface ReportRecordRow {
  id: string;
  library: string;
  title: string;
  workId: number;
  warnings: string | null;
  encoding: string;
  matchedBy: string | null;
}

/** A work with what the collection reports group by. */
export interface ReportWorkRow {
  workId: number;
  title: string;
  author: string | null;
  year: number | null;
  format: string;
  subject: string | null;
  /** comma-separated library codes holding it */
  libs: string;
}

/**
 * What the reports read (the port; the SQLite implementation is src/store/sqlite-report-store.ts): records with their warnings and fields, and works per library.
 */
export interface ReportStore {
  recordCount(library: string | null): number;
  /** Records whose repair warnings contain this text (what ingest noted and worked around). */
  recordsWarnedAbout(text: string, library: string | null): ReportRecordRow[];
  /** Records whose original MARC has no field with this tag. */
  recordsWithoutField(tag: string, library: string | null): ReportRecordRow[];
  /** Records whose leader/09 disagreed with their bytes (read by the bytes). */
  recordsWithEncodingMismatch(library: string | null): ReportRecordRow[];
  recordsMatchedBy(rule: string, library: string | null): ReportRecordRow[];
  otherRecordsOfWork(workId: number, exceptRecord: string): Array<{ id: string; title: string }>;
  /** Works holding a record of any of these libraries, with every library that holds them. */
  worksOfLibraries(libraries: readonly string[]): ReportWorkRow[];
  /** Items and available items of a library, per work. */
  itemCountsOfLibrary(library: string): Map<number, { items: number; available: number }>;
}

/** What a report reads: the catalog, the report queries, the harvest runs. */
export interface ReportSources {
  catalog: CatalogStore;
  reports: ReportStore;
  harvest: HarvestStore;
}
