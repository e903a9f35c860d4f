import { resolveDataDir } from '../config/data-dir.ts';
import { openDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';

export function openCatalog(dataDirFlag: string | undefined): { store: SqliteCatalogStore; dataDir: string; close: () => void } {
  const dataDir = resolveDataDir(dataDirFlag);
  const db = openDatabase(dataDir);
  return { store: new SqliteCatalogStore(db), dataDir, close: () => db.close() };
}
