/**
 * `jala migrate-store`, composed: the two locations parsed, the stores opened (SQLite or PostgreSQL
 * on either side), copied and verified by migrateStore (src/migrate-store/copy-store.ts), closed.
 */
import { DATABASE_FILE } from '../store/open-database.ts';
import { migrateStore, type MigrateStoreError, type MigrateStoreOptions, type MigrateStoreReport } from '../migrate-store/copy-store.ts';
import { describeLocation, parseStoreLocation, sameStore, type LocationError, type StoreLocation } from '../migrate-store/store-location.ts';
import { NoStoreThere, type TableSource, type TableTarget } from '../migrate-store/table-copy.ts';
import { resolveDataDir } from '../config/data-dir.ts';
import { SqliteTableSource, SqliteTableTarget } from '../store/sqlite-table-copy.ts';
import { PgTableSource, PgTableTarget } from '../store-postgres/pg-table-copy.ts';
import path from 'node:path';

export interface MigrateStoreRequest {
  /** where to copy to: postgres://…, sqlite:PATH, a data directory or a .db file */
  to: string;
  /** where to copy from, in the same forms; default: the data directory's SQLite database */
  from?: string | undefined;
  /** the data directory whose database is the default source (--data-dir, $JALA_DATA_DIR, index-data/) */
  dataDir?: string | undefined;
  overwrite?: boolean | undefined;
  onTable?: MigrateStoreOptions['onTable'];
}

export type MigrateStoreFailure = MigrateStoreError | LocationError | { code: 'migrate-store/same-store'; store: string } | { code: 'migrate-store/no-source'; from: string };

export type MigrateStoreOutcome = { ok: true; value: MigrateStoreReport } | { ok: false; error: MigrateStoreFailure };

/**
 * Copies one store into another and proves it. Expected refusals come back as values with codes;
 * a store that cannot be reached or opened is thrown (StoreError, its URL's password hidden).
 */
export function runMigrateStore(req: MigrateStoreRequest): MigrateStoreOutcome {
  const from = req.from !== undefined ? parseStoreLocation(req.from) : { ok: true as const, value: { kind: 'sqlite' as const, file: path.join(resolveDataDir(req.dataDir), DATABASE_FILE) } };
  if (!from.ok) return from;
  const to = parseStoreLocation(req.to);
  if (!to.ok) return to;
  if (sameStore(from.value, to.value)) return { ok: false, error: { code: 'migrate-store/same-store', store: describeLocation(to.value) } };
  let source: TableSource;
  try {
    source = openSource(from.value);
  } catch (e) {
    if (e instanceof NoStoreThere) return { ok: false, error: { code: 'migrate-store/no-source', from: e.store } };
    throw e;
  }
  let target: TableTarget;
  try {
    target = openTarget(to.value);
  } catch (e) {
    source.close();
    throw e;
  }
  try {
    return migrateStore(source, target, { overwrite: req.overwrite ?? false, ...(req.onTable ? { onTable: req.onTable } : {}) });
  } finally {
    try {
      target.close();
    } finally {
      source.close();
    }
  }
}

function openSource(loc: StoreLocation): TableSource {
  return loc.kind === 'postgres' ? new PgTableSource(loc.url) : new SqliteTableSource(loc.file);
}

function openTarget(loc: StoreLocation): TableTarget {
  return loc.kind === 'postgres' ? new PgTableTarget(loc.url) : new SqliteTableTarget(loc.file);
}
