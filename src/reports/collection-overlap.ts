/**
 * Coordinated acquisition: how many works two libraries share and which each holds without the other
 * (`overlapReport`), and which works only one library holds in the whole consortium — the last copies
 * (`uniqueReport`); both per format and per subject (a work's first subject heading, top level).
 */
import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { SqliteReportStore, type ReportWorkRow } from '../store/sqlite-report-store.ts';
import { workLabel } from '../catalog/work-document.ts';

export interface ReportWork {
  workId: string;
  title: string;
  author?: string;
  year?: number;
  format: string;
  subject?: string;
  holders: string[];
}

export interface OverlapRow extends ReportWork {
  side: 'both' | 'first' | 'second';
}

export interface OverlapGroup {
  key: string;
  shared: number;
  onlyFirst: number;
  onlySecond: number;
}

export interface OverlapReport {
  libraries: [string, string];
  /** works each library holds */
  held: [number, number];
  shared: number;
  onlyFirst: number;
  onlySecond: number;
  byFormat: OverlapGroup[];
  /** the subjects with the most works, at most 15 */
  bySubject: OverlapGroup[];
  /** every work either holds, shared first */
  rows: OverlapRow[];
}

export interface UniqueRow extends ReportWork {
  items: number;
  available: number;
}

export interface UniqueGroup {
  key: string;
  held: number;
  unique: number;
}

export interface UniqueReport {
  library: string;
  held: number;
  /** works no other member library holds */
  unique: number;
  byFormat: UniqueGroup[];
  /** the subjects with the most unique works, at most 15 */
  bySubject: UniqueGroup[];
  /** the unique works */
  rows: UniqueRow[];
}

export type ReportError = { ok: false; error: 'report/unknown-library'; library: string; known: string[] } | { ok: false; error: 'report/same-library'; library: string };

export const NO_SUBJECT = '(no subject)';
const TOP_SUBJECTS = 15;

export function overlapReport(store: SqliteCatalogStore, first: string, second: string): { ok: true; report: OverlapReport } | ReportError {
  const a = resolveLibrary(store, first);
  if (!a.ok) return a;
  const b = resolveLibrary(store, second);
  if (!b.ok) return b;
  if (a.code === b.code) return { ok: false, error: 'report/same-library', library: a.code };
  const works = new SqliteReportStore(store.db).worksOfLibraries([a.code, b.code]).map(toReportWork);
  const rows: OverlapRow[] = [];
  for (const w of works) {
    const inA = w.holders.includes(a.code);
    const inB = w.holders.includes(b.code);
    rows.push({ ...w, side: inA && inB ? 'both' : inA ? 'first' : 'second' });
  }
  const order = { both: 0, first: 1, second: 2 };
  rows.sort((x, y) => order[x.side] - order[y.side] || x.title.localeCompare(y.title));
  const group = (keyOf: (r: OverlapRow) => string): OverlapGroup[] => {
    const m = new Map<string, OverlapGroup>();
    for (const r of rows) {
      const key = keyOf(r);
      const g = m.get(key) ?? { key, shared: 0, onlyFirst: 0, onlySecond: 0 };
      if (r.side === 'both') g.shared++;
      else if (r.side === 'first') g.onlyFirst++;
      else g.onlySecond++;
      m.set(key, g);
    }
    const size = (g: OverlapGroup): number => g.shared + g.onlyFirst + g.onlySecond;
    return [...m.values()].sort((x, y) => size(y) - size(x) || x.key.localeCompare(y.key));
  };
  const count = (side: OverlapRow['side']): number => rows.filter((r) => r.side === side).length;
  return {
    ok: true,
    report: {
      libraries: [a.code, b.code],
      held: [count('both') + count('first'), count('both') + count('second')],
      shared: count('both'),
      onlyFirst: count('first'),
      onlySecond: count('second'),
      byFormat: group((r) => r.format),
      bySubject: group((r) => r.subject ?? NO_SUBJECT).slice(0, TOP_SUBJECTS),
      rows,
    },
  };
}

export function uniqueReport(store: SqliteCatalogStore, library: string): { ok: true; report: UniqueReport } | ReportError {
  const lib = resolveLibrary(store, library);
  if (!lib.ok) return lib;
  const q = new SqliteReportStore(store.db);
  const works = q.worksOfLibraries([lib.code]).map(toReportWork);
  const counts = q.itemCountsOfLibrary(lib.code);
  const unique = works.filter((w) => w.holders.length === 1);
  const group = (keyOf: (w: ReportWork) => string): UniqueGroup[] => {
    const m = new Map<string, UniqueGroup>();
    for (const w of works) {
      const key = keyOf(w);
      const g = m.get(key) ?? { key, held: 0, unique: 0 };
      g.held++;
      if (w.holders.length === 1) g.unique++;
      m.set(key, g);
    }
    return [...m.values()].sort((x, y) => y.unique - x.unique || y.held - x.held || x.key.localeCompare(y.key));
  };
  const rows: UniqueRow[] = unique
    .map((w) => {
      const c = counts.get(Number(w.workId.slice(1))) ?? { items: 0, available: 0 };
      return { ...w, items: c.items, available: c.available };
    })
    .sort((x, y) => x.title.localeCompare(y.title));
  return {
    ok: true,
    report: {
      library: lib.code,
      held: works.length,
      unique: unique.length,
      byFormat: group((w) => w.format),
      bySubject: group((w) => w.subject ?? NO_SUBJECT).slice(0, TOP_SUBJECTS),
      rows,
    },
  };
}

/** The top-level heading of a subject: "Jazz -- History and criticism" → "Jazz". */
export function mainHeading(subject: string): string {
  return subject.split(/\s*--\s*/)[0]?.replace(/[.,;:\s]+$/, '').trim() || subject.trim();
}

function toReportWork(w: ReportWorkRow): ReportWork {
  const subject = w.subject ? mainHeading(w.subject) : '';
  return {
    workId: workLabel(w.workId),
    title: w.title,
    ...(w.author ? { author: w.author } : {}),
    ...(typeof w.year === 'number' ? { year: w.year } : {}),
    format: w.format,
    ...(subject !== '' ? { subject } : {}),
    holders: [...new Set((w.libs ?? '').split(',').filter((l) => l !== ''))].sort(),
  };
}

function resolveLibrary(store: SqliteCatalogStore, code: string): { ok: true; code: string } | Extract<ReportError, { error: 'report/unknown-library' }> {
  const known = store.libraries().map((l) => l.code);
  const found = known.find((k) => k.toLowerCase() === code.toLowerCase());
  return found !== undefined ? { ok: true, code: found } : { ok: false, error: 'report/unknown-library', library: code, known };
}
