/**
 * One measured step of a benchmark run, in a process of its own so that its peak memory and its
 * cold start are its own: `ingest` loads every library's files into a fresh data directory, builds
 * and saves the works index; `serve` starts Jala on that directory and asks the questions.
 * Started by run-bench.ts with the job as JSON in argv[2]; the result goes back over IPC.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createJala, type Jala } from '../../src/app/create-jala.ts';
import { bulkLoadCatalog } from '../../src/app/bulk-load-catalog.ts';
import { emptyIngestTimings, ingestMarcFiles } from '../../src/ingest/ingest-marc-files.ts';
import { createWorkerPreparer, inThreadPreparer } from '../../src/ingest/prepare-records.ts';
import { buildIndex } from '../../src/search/catalog-index.ts';
import { MiniSearchIndex } from '../../src/search/minisearch-index.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';
import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import { openPgDatabase } from '../../src/store-postgres/pg-database.ts';
import { PgCatalogStore } from '../../src/store-postgres/pg-catalog-store.ts';
import type { BenchQuestion, GeneratedLibrary } from './generate-marc.ts';
import { cpuBetween, cpuSnapshot } from './thread-cpu.ts';

export type ChildJob =
  /** with databaseUrl: the catalog goes into that (empty) PostgreSQL database (by the bulk path unless `bulk` is false) */
  | { step: 'ingest'; dataDir: string; libraries: GeneratedLibrary[]; inThread: boolean; bulk: boolean; databaseUrl?: string }
  | { step: 'serve'; dataDir: string; questions: BenchQuestion[]; warmup: BenchQuestion[]; /** also through the PostgreSQL full-text index (JALA_SEARCH_INDEX=postgres) */ fullText?: boolean };

export interface IngestStepResult {
  step: 'ingest';
  records: number;
  works: number;
  sharedWorks: number;
  skipped: number;
  /** seconds */
  ingest: number;
  /** parse and map run in a worker thread (overlapping the rest) unless `inThread`; wait = the main thread waiting for it */
  phases: { parse: number; map: number; wait: number; dedup: number; store: number; other: number };
  inThread: boolean;
  /** loaded by the bulk path (a file built aside and swapped in) rather than record by record */
  bulk: boolean;
  /** seconds of the bulk path after the last record: secondary indexes, carry-over, checks, swap */
  bulkFinish?: number;
  /** the same, stage by stage: seconds from 'loaded' to 'indexed', to 'carried', to 'checked', to 'swapped' */
  bulkStages?: { indexes: number; carry: number; checks: number; swap: number };
  indexBuild: number;
  indexSave: number;
  indexLoad: number;
  indexBytes: number;
  databaseBytes: number;
  peakRssMb: number;
  heapMb: number;
  /**
   * CPU seconds (Linux; absent elsewhere): the ingest's main thread (dedup, store), its busiest other
   * thread (the preparing worker: parse, map) and the rest (GC helpers, checkpoints); the index build's.
   */
  cpu?: { ingestMain: number; ingestPreparer: number; ingestOther: number; indexMain: number; indexOther: number };
}

export interface ServeStepResult {
  step: 'serve';
  coldStart: number;
  how: string;
  /** milliseconds, one per question, in question order */
  latencies: number[];
  /** what each question found: step, total and the first work ids (answers must not change between versions) */
  answers: string[];
  peakRssMb: number;
  heapMb: number;
  /** the same questions through the PostgreSQL full-text SearchIndex (--store postgres) */
  fullText?: FullTextServeResult;
}

export interface FullTextServeResult {
  /** seconds to open a Jala with JALA_SEARCH_INDEX=postgres: the index built in PostgreSQL (how says) and warmed up */
  coldStart: number;
  how: string;
  latencies: number[];
  answers: string[];
}

const MB = 1024 * 1024;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? directoryBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/** The catalog store the ingest step writes: the data directory's SQLite, or the PostgreSQL database of the job. */
function openCatalog(job: Extract<ChildJob, { step: 'ingest' }>): { store: CatalogStore; databaseBytes: () => number; close: () => void } {
  if (job.databaseUrl !== undefined) {
    const pg = openPgDatabase(job.databaseUrl);
    return {
      store: new PgCatalogStore(pg),
      databaseBytes: () => Number(pg.get<{ size: string }>('SELECT pg_database_size(current_database()) AS size')?.size ?? 0),
      close: () => pg.close(),
    };
  }
  const db = openDatabase(job.dataDir);
  return {
    store: new SqliteCatalogStore(db),
    databaseBytes: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      return ['jala.db', 'jala.db-wal'].reduce((n, f) => {
        const p = path.join(job.dataDir, f);
        return n + (fs.existsSync(p) ? fs.statSync(p).size : 0);
      }, 0);
    },
    close: () => db.close(),
  };
}

async function ingestStep(job: Extract<ChildJob, { step: 'ingest' }>): Promise<IngestStepResult> {
  fs.rmSync(job.dataDir, { recursive: true, force: true });
  fs.mkdirSync(job.dataDir, { recursive: true });
  let catalog = openCatalog(job);
  let store = catalog.store;
  let bulkFinish: number | undefined;
  let bulkStages: IngestStepResult['bulkStages'];
  const timings = emptyIngestTimings();
  let skipped = 0;
  const cpuStarted = cpuSnapshot();
  let cpuIngested = cpuStarted;
  const started = performance.now();
  const preparer = job.inThread ? inThreadPreparer() : createWorkerPreparer();
  try {
    const libraries = job.libraries.filter((lib) => lib.files.length > 0);
    if (job.bulk) {
      // the first load of an empty consortium: the bulk path, as `jala ingest` takes it (SQLite: a file
      // built aside; PostgreSQL, JALA_DATABASE_URL in this step's environment: tables filled by COPY and swapped in)
      catalog.close();
      let loadedAt = 0;
      const at = new Map<string, number>();
      const result = await bulkLoadCatalog({
        dataDir: job.dataDir,
        libraries: libraries.map((lib) => ({ code: lib.code, name: lib.name, paths: lib.files })),
        timings,
        preparer,
        index: false,
        onStage: (stage) => {
          at.set(stage, performance.now());
          if (stage === 'loaded') loadedAt = performance.now();
          if (stage === 'swapped') bulkFinish = (performance.now() - loadedAt) / 1000;
        },
      });
      if (!result.ok) throw new Error(`bulk load failed: ${result.code} ${result.message}`);
      const span = (from: string, to: string): number => ((at.get(to) ?? 0) - (at.get(from) ?? 0)) / 1000;
      bulkStages = { indexes: span('loaded', 'indexed'), carry: span('indexed', 'carried'), checks: span('carried', 'checked'), swap: span('checked', 'swapped') };
      skipped = result.summaries.reduce((n, s) => n + s.skipped, 0);
      catalog = openCatalog(job);
      store = catalog.store;
    }
    for (const [i, lib] of (job.bulk ? [] : libraries).entries()) {
      const after = libraries[i + 1];
      const next = after ? { library: after.code, paths: after.files } : undefined;
      const summary = await ingestMarcFiles({ store, library: lib.code, name: lib.name, paths: lib.files, timings, preparer, ...(next ? { next } : {}) });
      skipped += summary.skipped;
    }
    // before the preparing thread ends: its CPU is counted as its own only while it lives
    cpuIngested = cpuSnapshot();
  } finally {
    await preparer.close();
  }
  const ingest = (performance.now() - started) / 1000;
  const cpuBuildStarted = cpuSnapshot();
  const buildStarted = performance.now();
  let index: MiniSearchIndex | undefined = buildIndex(store);
  const indexBuild = (performance.now() - buildStarted) / 1000;
  const ingestCpu = cpuBetween(cpuStarted, cpuIngested);
  const indexCpu = cpuBetween(cpuBuildStarted, cpuSnapshot());
  const cpu = ingestCpu && indexCpu
    ? { ingestMain: ingestCpu.main, ingestPreparer: ingestCpu.busiest, ingestOther: ingestCpu.other, indexMain: indexCpu.main, indexOther: indexCpu.busiest + indexCpu.other }
    : undefined;
  const saveStarted = performance.now();
  index.save(job.dataDir, { catalogId: store.catalogId(), seq: store.currentSeq() });
  const indexSave = (performance.now() - saveStarted) / 1000;
  const stats = store.stats();
  gc();
  const heapMb = process.memoryUsage().heapUsed / MB;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const databaseBytes = catalog.databaseBytes();
  if (job.databaseUrl !== undefined) catalog.close();
  const indexBytes = directoryBytes(path.join(job.dataDir, 'index'));
  // the load is timed as a start would see it: without the built index's heap to collect first
  // (a large allocation in a full heap sets off a full collection of it: seconds at a million works)
  index = undefined;
  gc();
  const loadStarted = performance.now();
  const loaded = MiniSearchIndex.load(job.dataDir);
  const indexLoad = (performance.now() - loadStarted) / 1000;
  if (!loaded) throw new Error('the saved index could not be loaded');
  const ms = (n: number): number => n / 1000;
  const known = timings.wait + timings.dedup + timings.store + (job.inThread ? timings.parse + timings.map : 0);
  return {
    step: 'ingest',
    records: stats.records,
    works: stats.works,
    sharedWorks: stats.sharedWorks,
    skipped,
    ingest,
    phases: {
      parse: ms(timings.parse),
      map: ms(timings.map),
      wait: ms(timings.wait),
      dedup: ms(timings.dedup),
      store: ms(timings.store),
      other: Math.max(0, ingest - ms(known)),
    },
    inThread: job.inThread,
    bulk: job.bulk,
    ...(bulkFinish !== undefined ? { bulkFinish } : {}),
    ...(bulkStages ? { bulkStages } : {}),
    indexBuild,
    indexSave,
    indexLoad,
    indexBytes,
    databaseBytes,
    peakRssMb,
    heapMb,
    ...(cpu ? { cpu } : {}),
  };
}

/**
 * The job's warm-up questions (the JIT and SQLite's page cache warmed, as a running assistant's are),
 * then its questions, each timed, with what it answered.
 */
function askAll(jala: Jala, job: Extract<ChildJob, { step: 'serve' }>): { latencies: number[]; answers: string[] } {
  for (const q of job.warmup) jala.ask(q.text);
  const latencies: number[] = [];
  const answers: string[] = [];
  for (const q of job.questions) {
    const t0 = performance.now();
    const a = jala.ask(q.text);
    latencies.push(performance.now() - t0);
    answers.push(`${a.step} ${a.total} ${a.results.map((r) => r.workId).join(',')}`);
  }
  return { latencies, answers };
}

async function serveStep(job: Extract<ChildJob, { step: 'serve' }>): Promise<ServeStepResult> {
  const started = performance.now();
  // warmed as a serving process is before it says it is ready (counted in the cold start)
  const jala = await createJala({ dataDir: job.dataDir, warmUp: true });
  const coldStart = (performance.now() - started) / 1000;
  try {
    const { latencies, answers } = askAll(jala, job);
    gc();
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const heapMb = process.memoryUsage().heapUsed / MB;
    return {
      step: 'serve',
      coldStart,
      how: jala.indexInfo.how,
      latencies,
      answers,
      peakRssMb,
      heapMb,
      ...(job.fullText ? { fullText: await serveFullText(job) } : {}),
    };
  } finally {
    jala.close();
  }
}

/** The questions again through a Jala whose SearchIndex is PostgreSQL's full-text search (built there at its first open). */
async function serveFullText(job: Extract<ChildJob, { step: 'serve' }>): Promise<FullTextServeResult> {
  const saved = process.env.JALA_SEARCH_INDEX;
  process.env.JALA_SEARCH_INDEX = 'postgres';
  try {
    const started = performance.now();
    const jala = await createJala({ dataDir: job.dataDir, warmUp: true });
    const coldStart = (performance.now() - started) / 1000;
    try {
      return { coldStart, how: jala.indexInfo.how, ...askAll(jala, job) };
    } finally {
      jala.close();
    }
  } finally {
    if (saved === undefined) delete process.env.JALA_SEARCH_INDEX;
    else process.env.JALA_SEARCH_INDEX = saved;
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as ChildJob;
  const result = job.step === 'ingest' ? await ingestStep(job) : await serveStep(job);
  await new Promise<void>((resolve, reject) => process.send?.(result, (err: Error | null) => (err ? reject(err) : resolve())));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench step failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
