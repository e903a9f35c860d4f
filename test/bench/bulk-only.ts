/**
 * The bulk load alone (no search index), on a generated catalog kept by `jala bench --keep`: wall
 * time, the per-stage split, peak RSS and the catalog digest. For profiling the bulk path:
 *   node --import tsx [--cpu-prof] test/bench/bulk-only.ts <kept catalog dir> <fresh data dir> [--no-bulk|--bulk] [first N libraries]
 */
import fs from 'node:fs';
import path from 'node:path';
import { bulkLoadCatalog } from '../../src/app/bulk-load-catalog.ts';
import { emptyIngestTimings, ingestMarcFiles } from '../../src/ingest/ingest-marc-files.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';
import { sqliteCatalogDigest } from '../../src/store/sqlite-catalog-digest.ts';
import { cpuBetween, cpuSnapshot } from './thread-cpu.ts';

interface Manifest {
  libraries: Array<{ code: string; name: string; holdings: 'koha952' | 'auto'; files: string[] }>;
}

async function main(): Promise<void> {
  const [catalogDir = '', dataDir = '', flag, first] = process.argv.slice(2);
  const manifest = JSON.parse(fs.readFileSync(path.join(catalogDir, 'manifest.json'), 'utf8')) as Manifest;
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const timings = emptyIngestTimings();
  const started = performance.now();
  const cpuBefore = cpuSnapshot();
  let peak = 0;
  let peakHeap = 0;
  let peakAt = 0;
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) (peak = rss), (peakAt = performance.now() - started);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 200);
  const libraries = manifest.libraries.slice(0, first ? Number(first) : undefined).map((l) => ({ code: l.code, name: l.name, paths: l.files, holdingsProfile: l.holdings }));
  let records = 0;
  if (flag === '--no-bulk') {
    const db = openDatabase(dataDir);
    const store = new SqliteCatalogStore(db);
    for (const lib of libraries) records += (await ingestMarcFiles({ store, library: lib.code, name: lib.name, paths: lib.paths, holdingsProfile: lib.holdingsProfile, timings })).ingested;
    db.close();
  } else {
    const r = await bulkLoadCatalog({ dataDir, libraries, timings, index: false });
    if (!r.ok) throw new Error(r.message);
    records = r.records;
  }
  clearInterval(timer);
  const cpu = cpuBetween(cpuBefore, cpuSnapshot());
  peak = Math.max(peak, process.memoryUsage.rss());
  const secs = (performance.now() - started) / 1000;
  const db = openDatabase(dataDir);
  const digest = sqliteCatalogDigest(db);
  db.close();
  const f = (ms: number): string => (ms / 1000).toFixed(1);
  console.log(`${records} records in ${secs.toFixed(1)} s = ${Math.round(records / secs)} rec/s; peak RSS ${Math.round(peak / 2 ** 20)} MB at ${(peakAt / 1000).toFixed(1)} s, peak heap used ${Math.round(peakHeap / 2 ** 20)} MB`);
  if (cpu) console.log(`CPU s: main ${cpu.main.toFixed(1)} / busiest other ${cpu.busiest.toFixed(1)} / other ${cpu.other.toFixed(1)}`);
  console.log(`split [worker parse / map] wait / dedup / store: [${f(timings.parse)} / ${f(timings.map)}] ${f(timings.wait)} / ${f(timings.dedup)} / ${f(timings.store)} s`);
  console.log(`digest ${JSON.stringify(digest)}`);
}

await main();
