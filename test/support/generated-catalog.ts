import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateMarc, type GeneratedCatalog } from '../bench/generate-marc.ts';
import { ingestMarcFiles } from '../../src/ingest/ingest-marc-files.ts';
import { openDatabase, openMemoryDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';

/**
 * A consortium from the bench generator (realistic MARC, Zipf vocabulary, works shared between
 * libraries), written to a temporary folder and ingested library by library: into memory, or with
 * `inFile` into a data directory (`<dir>/data`).
 */
export async function generatedCatalog(opts: {
  prefix: string;
  records: number;
  libraries: number;
  questions?: number;
  inFile?: boolean;
}): Promise<{ dir: string; catalog: GeneratedCatalog; store: SqliteCatalogStore }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix));
  const catalog = generateMarc({ outDir: path.join(dir, 'marc'), records: opts.records, libraries: opts.libraries, questions: opts.questions ?? 5 });
  const store = new SqliteCatalogStore(opts.inFile ? openDatabase(path.join(dir, 'data')) : openMemoryDatabase());
  for (const lib of catalog.libraries) await ingestMarcFiles({ store, library: lib.code, paths: lib.files });
  return { dir, catalog, store };
}
