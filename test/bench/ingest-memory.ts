/**
 * Where the ingest step's peak RSS is: the bulk load, then the index build and save, as the bench's
 * ingest step runs them, with a line at each step (time, RSS, V8 heap). Sample the RSS from outside
 * too (the main thread blocks in the build and the save), e.g. /proc/<pid>/status every 100 ms:
 *   node --import tsx --expose-gc test/bench/ingest-memory.ts <kept catalog dir> <fresh data dir>
 */
import fs from 'node:fs';
import path from 'node:path';
import { bulkLoadCatalog } from '../../src/app/bulk-load-catalog.ts';
import { buildIndex } from '../../src/search/catalog-index.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';

interface Manifest {
  libraries: Array<{ code: string; name: string; holdings: 'koha952' | 'auto'; files: string[] }>;
}

const mb = (n: number): string => `${Math.round(n / 2 ** 20)} MB`;
const started = performance.now();
function step(what: string): void {
  const m = process.memoryUsage();
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s ${what}: rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} (peak so far ${mb(process.resourceUsage().maxRSS * 1024)})`);
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const [catalogDir = '', dataDir = ''] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(path.join(catalogDir, 'manifest.json'), 'utf8')) as Manifest;
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
console.log(`pid ${process.pid}`);
const libraries = manifest.libraries.map((l) => ({ code: l.code, name: l.name, paths: l.files, holdingsProfile: l.holdings }));
const r = await bulkLoadCatalog({ dataDir, libraries, index: false, onStage: (s) => step(`stage ${s}`) });
if (!r.ok) throw new Error(r.message);
step('loaded');
gc();
step('loaded, after gc');
const db = openDatabase(dataDir);
const store = new SqliteCatalogStore(db);
const index = buildIndex(store);
step('index built');
index.save(dataDir, { catalogId: store.catalogId(), seq: store.currentSeq() });
step('index saved');
db.close();
