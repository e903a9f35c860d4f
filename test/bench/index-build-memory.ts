/**
 * The search index build alone over a loaded data directory (openCatalogIndex with rebuild), as the
 * bulk load ends: wall time and memory at each step. Sample the RSS from outside (this thread sleeps
 * while the worker reads), e.g. with /proc/<pid>/status:
 *   node --import tsx test/bench/index-build-memory.ts <data dir>
 */
import { getHeapStatistics } from 'node:v8';
import { openCatalogIndex } from '../../src/search/catalog-index.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';

const mb = (n: number): string => `${(n / 1048576).toFixed(0)} MB`;
function report(step: string, started: number): void {
  const m = process.memoryUsage();
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s ${step}: rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} (heap limit ${mb(getHeapStatistics().heap_size_limit)})`);
}

const dataDir = process.argv[2] ?? '';
const started = performance.now();
console.log(`pid ${process.pid}`);
const db = openDatabase(dataDir);
report('opened', started);
const opened = openCatalogIndex(new SqliteCatalogStore(db), dataDir, { rebuild: true });
report(`index ${opened.how}, ${opened.index.size} works`, started);
db.close();
