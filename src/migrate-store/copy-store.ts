/**
 * `jala migrate-store`: every table of one store copied into another (SQLite → PostgreSQL, and back),
 * and proved equal. The two schemas are compared first: a table or column the source has and the
 * target lacks would be lost, so the copy is refused and the difference named; a table only the
 * target has is reported (it stays empty). A target that already holds rows is refused unless the
 * operator said to overwrite it. Then each table is streamed across in an order that satisfies the
 * foreign keys, its digest taken on the way; afterwards each table is read back from the target and
 * digested again, and the catalog digest (`jala stats --digest`) taken on both sides. Only when every
 * count and digest is equal is the target committed — before that nobody sees it, so a failure at any
 * point leaves the target as it was.
 */
import type { CatalogDigest } from '../catalog/catalog-store.ts';
import type { TableReference, TableShape, TableSource, TableTarget } from './table-copy.ts';
import { TableDigester, digestRows, digestingRows, type TableDigest } from './table-digest.ts';

export interface TableComparison {
  table: string;
  columns: string[];
  source: TableDigest;
  target: TableDigest;
  equal: boolean;
}

export interface MigrateStoreReport {
  from: string;
  to: string;
  /** every table copied, in the order loaded */
  tables: TableComparison[];
  /** tables only the target's schema has: left empty */
  onlyInTarget: string[];
  /** columns only the target has, per table: left to their defaults */
  columnsOnlyInTarget: Array<{ table: string; columns: string[] }>;
  /** the target held rows and was emptied first (--overwrite) */
  overwritten: Array<{ table: string; rows: number }>;
  catalog: { source: CatalogDigest; target: CatalogDigest; equal: boolean };
  rows: number;
  seconds: { copy: number; verify: number };
}

export type MigrateStoreError =
  | { code: 'migrate-store/target-not-empty'; to: string; tables: Array<{ table: string; rows: number }> }
  | { code: 'migrate-store/schema-mismatch'; from: string; to: string; missingTables: string[]; missingColumns: Array<{ table: string; columns: string[] }> }
  | { code: 'migrate-store/digest-mismatch'; to: string; tables: TableComparison[]; catalog: { source: CatalogDigest; target: CatalogDigest; equal: boolean } }
  | { code: 'migrate-store/rejected'; to: string; table: string; why: string };

export type MigrateStoreResult = { ok: true; value: MigrateStoreReport } | { ok: false; error: MigrateStoreError };

/** A table the target store refused rows of (a constraint, an encoding): the copy is rolled back. */
export class RowsRejected extends Error {
  constructor(
    readonly table: string,
    readonly why: string,
  ) {
    super(`${table}: ${why}`);
    this.name = 'RowsRejected';
  }
}

export interface MigrateStoreOptions {
  /** empty a target that holds rows instead of refusing it */
  overwrite?: boolean;
  /** told as each table starts and ends */
  onTable?: (event: { table: string; phase: 'copy' | 'verify'; rows?: number }) => void;
  now?: () => number;
}

/**
 * Copies `source` into `target` and verifies it; commits the target only when everything is equal.
 * Does not close either store.
 */
export function migrateStore(source: TableSource, target: TableTarget, options: MigrateStoreOptions = {}): MigrateStoreResult {
  const now = options.now ?? (() => performance.now());
  const from = source.label;
  const to = target.label;
  let committed = false;
  try {
    const plan = planCopy(source.tables(), target.tables());
    if (plan.missingTables.length > 0 || plan.missingColumns.length > 0) {
      return { ok: false, error: { code: 'migrate-store/schema-mismatch', from, to, missingTables: plan.missingTables, missingColumns: plan.missingColumns } };
    }
    const held = target.nonEmptyTables();
    if (held.length > 0 && !options.overwrite) return { ok: false, error: { code: 'migrate-store/target-not-empty', to, tables: held } };
    if (held.length > 0) target.clear();

    const order = loadOrder(plan.copy.map((t) => t.name), target.references());
    const shapes = new Map(plan.copy.map((t) => [t.name, t]));
    const started = now();
    const copied = new Map<string, { source: TableDigest; loaded: number }>();
    for (const name of order) {
      const { columns } = shapes.get(name)!;
      options.onTable?.({ table: name, phase: 'copy' });
      const digester = new TableDigester(name, columns);
      let loaded: number;
      try {
        loaded = target.load(name, columns, digestingRows(source.rows(name, columns), digester));
      } catch (e) {
        if (e instanceof RowsRejected) return { ok: false, error: { code: 'migrate-store/rejected', to, table: e.table, why: e.why } };
        throw e;
      }
      const digest = digester.result();
      copied.set(name, { source: digest, loaded });
      options.onTable?.({ table: name, phase: 'copy', rows: digest.rows });
    }
    try {
      target.finishLoad();
    } catch (e) {
      if (e instanceof RowsRejected) return { ok: false, error: { code: 'migrate-store/rejected', to, table: e.table, why: e.why } };
      throw e;
    }
    const copySeconds = (now() - started) / 1000;

    const verifyStarted = now();
    const tables: TableComparison[] = order.map((name) => {
      const { columns } = shapes.get(name)!;
      options.onTable?.({ table: name, phase: 'verify' });
      const c = copied.get(name)!;
      const readBack = digestRows(name, columns, target.rows(name, columns));
      return { table: name, columns, source: c.source, target: readBack, equal: readBack.digest === c.source.digest && readBack.rows === c.source.rows && c.loaded === c.source.rows };
    });
    const sourceCatalog = source.catalogDigest();
    const targetCatalog = target.catalogDigest();
    const catalog = { source: sourceCatalog, target: targetCatalog, equal: sourceCatalog.digest === targetCatalog.digest };
    const verifySeconds = (now() - verifyStarted) / 1000;
    if (!catalog.equal || tables.some((t) => !t.equal)) {
      return { ok: false, error: { code: 'migrate-store/digest-mismatch', to, tables, catalog } };
    }
    target.commit();
    committed = true;
    return {
      ok: true,
      value: {
        from,
        to,
        tables,
        onlyInTarget: plan.onlyInTarget,
        columnsOnlyInTarget: plan.columnsOnlyInTarget,
        overwritten: held,
        catalog,
        rows: tables.reduce((n, t) => n + t.target.rows, 0),
        seconds: { copy: round(copySeconds), verify: round(verifySeconds) },
      },
    };
  } finally {
    if (!committed) target.abort();
  }
}

export interface CopyPlan {
  /** the source's tables, each with the source's columns (all of which the target has) */
  copy: TableShape[];
  missingTables: string[];
  missingColumns: Array<{ table: string; columns: string[] }>;
  onlyInTarget: string[];
  columnsOnlyInTarget: Array<{ table: string; columns: string[] }>;
}

/** What can be copied, and what would be lost: the two schemas side by side. */
export function planCopy(source: readonly TableShape[], target: readonly TableShape[]): CopyPlan {
  const targetByName = new Map(target.map((t) => [t.name, t]));
  const sourceNames = new Set(source.map((t) => t.name));
  const plan: CopyPlan = { copy: [], missingTables: [], missingColumns: [], onlyInTarget: [], columnsOnlyInTarget: [] };
  for (const t of [...source].sort((a, b) => cmp(a.name, b.name))) {
    const there = targetByName.get(t.name);
    if (!there) {
      plan.missingTables.push(t.name);
      continue;
    }
    const theirs = new Set(there.columns);
    const ours = new Set(t.columns);
    const missing = t.columns.filter((c) => !theirs.has(c));
    if (missing.length > 0) plan.missingColumns.push({ table: t.name, columns: missing });
    const extra = there.columns.filter((c) => !ours.has(c));
    if (extra.length > 0) plan.columnsOnlyInTarget.push({ table: t.name, columns: extra });
    plan.copy.push({ name: t.name, columns: [...t.columns] });
  }
  plan.onlyInTarget = target.map((t) => t.name).filter((n) => !sourceNames.has(n)).sort(cmp);
  return plan;
}

/**
 * The tables in an order where every table comes after the tables it references (by name within
 * a level, so the order is the same on every run); a reference cycle is broken at its first table by name.
 */
export function loadOrder(tables: readonly string[], references: readonly TableReference[]): string[] {
  const names = new Set(tables);
  const needs = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const r of references) if (names.has(r.table) && names.has(r.references) && r.table !== r.references) needs.get(r.table)!.add(r.references);
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < tables.length) {
    const ready = [...needs.keys()].filter((t) => !done.has(t) && [...needs.get(t)!].every((n) => done.has(n))).sort(cmp);
    const next = ready.length > 0 ? ready : [[...needs.keys()].filter((t) => !done.has(t)).sort(cmp)[0]!];
    for (const t of next) {
      done.add(t);
      out.push(t);
    }
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const round = (s: number): number => Math.round(s * 100) / 100;
