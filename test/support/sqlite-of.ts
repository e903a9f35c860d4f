import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import type { SqliteDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';

/**
 * The SQLite database under a catalog store, for tests that read its tables directly. A catalog on
 * PostgreSQL (JALA_DATABASE_URL) has none: the test that asks is a SQLite test, and says so.
 */
export function sqliteOf(store: CatalogStore): SqliteDatabase {
  if (!(store instanceof SqliteCatalogStore)) throw new Error('sqliteOf: this catalog is not in SQLite');
  return store.db;
}
