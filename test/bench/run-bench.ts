/**
 * The consortium-scale benchmark: generate a catalog (generate-marc.ts), then per run ingest it into
 * a fresh data directory and build the index (one process), start Jala on it and ask a mixed set of
 * questions (a second process), and time yaz-marcdump on the same ISO 2709 input. Every figure is
 * the median over the runs.
 */
import { fork, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildJob, FullTextServeResult, IngestStepResult, ServeStepResult } from './bench-child.ts';
import { generateMarc, type BenchQuestionKind, type GeneratedCatalog } from './generate-marc.ts';
import { splitProfile } from './cpu-profile-split.ts';
import { protocolBenchRows, runProtocolBench, type ProtocolBenchReport } from './protocols-bench.ts';
import { percentile } from './percentile.ts';
import { openBenchDatabase, type BenchDatabase } from './bench-database.ts';

export interface BenchOptions {
  records: number;
  runs?: number;
  libraries?: number;
  /** keep the generated files and the last run's data directory here (and reuse a catalog made with the same options) */
  keepDir?: string;
  seed?: number;
  questions?: number;
  /** read and map records in the ingesting thread instead of a worker thread */
  inThread?: boolean;
  /** load by the bulk path, as the first ingest into an empty consortium does (default true; false: record by record) */
  bulk?: boolean;
  /** measure the catalog server (SRU, OAI-PMH) on the last run's data directory (default true) */
  protocols?: boolean;
  /** works the Catmandu OAI peer serves beside Jala (default 100,000; 0: no peer) */
  oaiPeerRecords?: number;
  onProgress?: (line: string) => void;
  /** write V8 CPU profiles of the ingest step (every thread) here, and add their split by stage to the report */
  cpuProfDir?: string;
  /**
   * where the catalog lives (default sqlite: the data directory's jala.db). postgres: a fresh database
   * per run on JALA_DATABASE_URL's server, or on a throwaway server of the bench's own (bench-database.ts);
   * every step runs with JALA_DATABASE_URL, the ingest by PostgreSQL's bulk path (COPY into staging tables,
   * swapped in; --no-bulk: record by record, to report the two separately), and the protocols are not measured.
   */
  store?: 'sqlite' | 'postgres';
}

export interface BenchReport {
  records: number;
  libraries: number;
  runs: number;
  seed: number;
  machine: { cpus: number; node: string; memoryGb: number };
  /** the catalog store measured; for PostgreSQL, which server (and whether its durability was off) */
  store: { kind: 'sqlite' } | { kind: 'postgres'; server: string; fsyncOff: boolean };
  catalog: { works: number; sharedWorks: number; inputBytes: number; isoRecords: number; generateSeconds: number };
  dedup: { records: number; works: number; sharedWorks: number; skipped: number; sharedFound: number };
  ingest: {
    /** records per second from files to a saved, searchable index */
    recordsPerSecond: number;
    endToEndSeconds: number;
    /** records per second into SQLite, without the index */
    storeRecordsPerSecond: number;
    seconds: number;
    /** seconds; parse and map overlap the rest when `inThread` is false (a worker thread does them) */
    phases: { parse: number; map: number; wait: number; dedup: number; store: number; other: number; index: number };
    inThread: boolean;
    bulk: boolean;
    /** the bulk path's finish after the last record (secondary indexes, carry-over, checks, swap), seconds */
    bulkFinish: number | null;
    /** …split: secondary indexes / carry-over (and work renumbering) / integrity and count checks / swap, seconds */
    bulkStages: { indexes: number; carry: number; checks: number; swap: number } | null;
    /** CPU seconds (Linux): main thread, preparing thread, the rest; index build (all threads) */
    cpu: { main: number; preparer: number; other: number; index: number } | null;
    /** with cpuProfDir: CPU seconds by stage from the profiles of the last run's ingest step, all threads together */
    profile: Record<string, number> | null;
  };
  index: { buildSeconds: number; saveSeconds: number; bytes: number; loadSeconds: number };
  coldStartSeconds: number;
  answers: {
    questions: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    maxMs: number;
    byKind: Partial<Record<BenchQuestionKind, { p50Ms: number; p99Ms: number }>>;
    /** share of questions with at least one result */
    answered: number;
    /** sha1 of every answer's step, total and work ids: the same before and after a speed-up */
    digest: string;
    /**
     * --store postgres: the same questions through the PostgreSQL full-text SearchIndex. The bench knows
     * no right answer per question, so accuracy is per kind: the share answered (for nonsense and bad
     * ISBNs, the share rightly answered with nothing) by each index, and how often the full-text
     * index's first result is the in-memory index's first result.
     */
    fullText: {
      coldStartSeconds: number;
      how: string;
      p50Ms: number;
      p95Ms: number;
      p99Ms: number;
      maxMs: number;
      byKind: Partial<Record<BenchQuestionKind, { p50Ms: number; p99Ms: number; questions: number; answeredMemory: number; answeredFullText: number; sameFirst: number }>>;
      answered: number;
      sameFirst: number;
    } | null;
  };
  memory: { ingestPeakRssMb: number; ingestHeapMb: number; servePeakRssMb: number; serveHeapMb: number };
  databaseBytes: number;
  yaz: { recordsPerSecond: number; records: number; ratio: number } | null;
  /** the catalog server: SRU latency, OAI-PMH throughput beside the Catmandu peer (protocols-bench.ts) */
  protocols: ProtocolBenchReport | null;
  targets: { ingestRate: boolean; p50: boolean; p99: boolean; coldStart: boolean; peakRss: boolean; serveRss: boolean };
}

/** Question kinds that must find nothing (an honest "nothing found"): left out of `answered`. */
const NOTHING_TO_FIND: ReadonlySet<BenchQuestionKind> = new Set(['nonsense', 'bad-isbn']);

/** Parses 10k, 100k, 1M, 2.5m or 12345. */
export function parseRecordCount(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(text.replace(/[_,]/g, ''));
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === 'k' || m[2] === 'K' ? 1_000 : m[2] === 'm' || m[2] === 'M' ? 1_000_000 : 1);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const runs = Math.max(1, opts.runs ?? 3);
  const log = opts.onProgress ?? ((): void => undefined);
  const base = opts.keepDir ? path.resolve(opts.keepDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'jala-bench-'));
  fs.mkdirSync(base, { recursive: true });
  try {
    const libraries = Math.max(5, Math.min(50, opts.libraries ?? 20));
    const seed = opts.seed ?? 1;
    log(`generating ${opts.records} records for ${libraries} libraries…`);
    const generateStarted = performance.now();
    const catalog = generateMarc({
      outDir: path.join(base, `catalog-${opts.records}-${libraries}-${seed}`),
      records: opts.records,
      libraries,
      seed,
      ...(opts.questions !== undefined ? { questions: opts.questions } : {}),
    });
    const generateSeconds = (performance.now() - generateStarted) / 1000;
    const dataDir = path.join(base, 'data');
    const ingests: IngestStepResult[] = [];
    const serves: ServeStepResult[] = [];
    const yazRates: number[] = [];
    const store = opts.store ?? 'sqlite';
    const database: BenchDatabase | undefined = store === 'postgres' ? await openBenchDatabase({ runs, log }) : undefined;
    try {
      for (let run = 1; run <= runs; run++) {
        // SQLite: no JALA_DATABASE_URL in the steps' environment, whatever ours says
        const databaseUrl = database?.fresh(run);
        const env: NodeJS.ProcessEnv = { ...process.env, JALA_DATABASE_URL: databaseUrl ?? '' };
        log(`run ${run}/${runs}: yaz-marcdump…`);
        const yaz = timeYaz(catalog);
        if (yaz !== undefined) yazRates.push(yaz);
        log(`run ${run}/${runs}: ingest and index…`);
        if (opts.cpuProfDir) fs.rmSync(opts.cpuProfDir, { recursive: true, force: true });
        ingests.push(await runChild<IngestStepResult>(base, {
          step: 'ingest',
          dataDir,
          libraries: catalog.libraries,
          inThread: opts.inThread ?? false,
          // the bulk path on either store, as `jala ingest` into an empty consortium takes it (--no-bulk: record by record)
          bulk: opts.bulk ?? true,
          ...(databaseUrl !== undefined ? { databaseUrl } : {}),
        }, env, opts.cpuProfDir));
        const last = ingests[ingests.length - 1] as IngestStepResult;
        log(`run ${run}/${runs}: ingest ${last.ingest.toFixed(1)} s, index ${last.indexBuild.toFixed(1)} s; answering…`);
        serves.push(await runChild<ServeStepResult>(base, { step: 'serve', dataDir, questions: catalog.questions, warmup: catalog.warmupQuestions, ...(database ? { fullText: true } : {}) }, env));
      }
    } finally {
      database?.close(opts.keepDir !== undefined);
    }
    let protocols: ProtocolBenchReport | null = null;
    if ((opts.protocols ?? true) && database) log('the catalog server (SRU, OAI-PMH) is measured on SQLite only: skipped with --store postgres');
    if ((opts.protocols ?? true) && !database) {
      protocols = await runProtocolBench({
        dataDir,
        workDir: base,
        questions: catalog.questions,
        warmup: catalog.warmupQuestions,
        peerRecords: opts.oaiPeerRecords ?? 100_000,
        log,
      });
    }
    if (!opts.keepDir) fs.rmSync(dataDir, { recursive: true, force: true });
    const report = { ...summarize(catalog, generateSeconds, runs, ingests, serves, yazRates, database?.describe ?? { kind: 'sqlite' }), protocols };
    if (opts.cpuProfDir) report.ingest.profile = profileSplit(opts.cpuProfDir);
    return report;
  } finally {
    if (!opts.keepDir) fs.rmSync(base, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}


/** An answer line (bench-child: step, total, first work ids) found something. */
const foundSomething = (a: string): boolean => !/^\S+ 0 /.test(a);
const firstResult = (a: string): string => a.split(' ')[2]?.split(',')[0] ?? '';

/** The full-text index's latencies (median over runs) and its answers beside the in-memory index's (first run), per kind. */
function fullTextSummary(catalog: GeneratedCatalog, serves: readonly ServeStepResult[]): BenchReport['answers']['fullText'] {
  const runs = serves.flatMap((r) => (r.fullText ? [r.fullText] : []));
  const first = serves[0];
  if (runs.length === 0 || !first?.fullText) return null;
  const s = (f: (r: FullTextServeResult) => number): number => median(runs.map(f));
  const memory = first.answers;
  const full = first.fullText.answers;
  // answered: something found, or rightly nothing for the kinds meant to find nothing
  const right = (a: string, i: number): boolean => (NOTHING_TO_FIND.has(catalog.questions[i]?.kind ?? 'title') ? !foundSomething(a) : foundSomething(a));
  const share = (at: readonly number[], ok: (i: number) => boolean): number => at.filter(ok).length / Math.max(1, at.length);
  const byKind: NonNullable<BenchReport['answers']['fullText']>['byKind'] = {};
  for (const kind of new Set(catalog.questions.map((q) => q.kind))) {
    const at = catalog.questions.flatMap((q, i) => (q.kind === kind ? [i] : []));
    byKind[kind] = {
      p50Ms: s((r) => percentile(at.map((i) => r.latencies[i] as number), 50)),
      p99Ms: s((r) => percentile(at.map((i) => r.latencies[i] as number), 99)),
      questions: at.length,
      answeredMemory: share(at, (i) => right(memory[i] as string, i)),
      answeredFullText: share(at, (i) => right(full[i] as string, i)),
      sameFirst: share(at, (i) => firstResult(memory[i] as string) === firstResult(full[i] as string)),
    };
  }
  const all = catalog.questions.map((_, i) => i);
  return {
    coldStartSeconds: s((r) => r.coldStart),
    how: first.fullText.how,
    p50Ms: s((r) => percentile(r.latencies, 50)),
    p95Ms: s((r) => percentile(r.latencies, 95)),
    p99Ms: s((r) => percentile(r.latencies, 99)),
    maxMs: s((r) => Math.max(...r.latencies)),
    byKind,
    answered: share(all, (i) => right(full[i] as string, i)),
    sameFirst: share(all, (i) => firstResult(memory[i] as string) === firstResult(full[i] as string)),
  };
}

function summarize(
  catalog: GeneratedCatalog,
  generateSeconds: number,
  runs: number,
  ingests: readonly IngestStepResult[],
  serves: readonly ServeStepResult[],
  yazRates: readonly number[],
  store: BenchReport['store'],
): Omit<BenchReport, 'protocols'> {
  const m = (f: (r: IngestStepResult) => number): number => median(ingests.map(f));
  const s = (f: (r: ServeStepResult) => number): number => median(serves.map(f));
  const first = ingests[0] as IngestStepResult;
  const endToEnd = m((r) => r.ingest + r.indexBuild + r.indexSave);
  const byKind: BenchReport['answers']['byKind'] = {};
  for (const kind of new Set(catalog.questions.map((q) => q.kind))) {
    const at = catalog.questions.flatMap((q, i) => (q.kind === kind ? [i] : []));
    byKind[kind] = {
      p50Ms: s((r) => percentile(at.map((i) => r.latencies[i] as number), 50)),
      p99Ms: s((r) => percentile(at.map((i) => r.latencies[i] as number), 99)),
    };
  }
  const answers = (serves[0] as ServeStepResult).answers;
  const p50Ms = s((r) => percentile(r.latencies, 50));
  const p99Ms = s((r) => percentile(r.latencies, 99));
  const coldStartSeconds = s((r) => r.coldStart);
  const recordsPerSecond = catalog.records / endToEnd;
  const yaz = yazRates.length > 0 ? median(yazRates) : undefined;
  const ingestPeakRssMb = m((r) => r.peakRssMb);
  const servePeakRssMb = s((r) => r.peakRssMb);
  return {
    records: catalog.records,
    libraries: catalog.params.libraries,
    runs,
    seed: catalog.params.seed,
    machine: { cpus: os.cpus().length, node: process.version, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    store,
    catalog: {
      works: catalog.works,
      sharedWorks: catalog.sharedWorks,
      inputBytes: catalog.bytes,
      isoRecords: catalog.isoRecords,
      generateSeconds,
    },
    dedup: {
      records: first.records,
      works: first.works,
      sharedWorks: first.sharedWorks,
      skipped: first.skipped,
      sharedFound: catalog.sharedWorks === 0 ? 1 : first.sharedWorks / catalog.sharedWorks,
    },
    ingest: {
      recordsPerSecond,
      endToEndSeconds: endToEnd,
      storeRecordsPerSecond: catalog.records / m((r) => r.ingest),
      seconds: m((r) => r.ingest),
      phases: {
        parse: m((r) => r.phases.parse),
        map: m((r) => r.phases.map),
        wait: m((r) => r.phases.wait),
        dedup: m((r) => r.phases.dedup),
        store: m((r) => r.phases.store),
        other: m((r) => r.phases.other),
        index: m((r) => r.indexBuild + r.indexSave),
      },
      inThread: first.inThread,
      bulk: first.bulk,
      bulkFinish: first.bulkFinish === undefined ? null : m((r) => r.bulkFinish ?? 0),
      bulkStages: first.bulkStages
        ? {
            indexes: m((r) => r.bulkStages?.indexes ?? 0),
            carry: m((r) => r.bulkStages?.carry ?? 0),
            checks: m((r) => r.bulkStages?.checks ?? 0),
            swap: m((r) => r.bulkStages?.swap ?? 0),
          }
        : null,
      cpu: first.cpu
        ? {
            main: m((r) => r.cpu?.ingestMain ?? 0),
            preparer: m((r) => r.cpu?.ingestPreparer ?? 0),
            other: m((r) => r.cpu?.ingestOther ?? 0),
            index: m((r) => (r.cpu?.indexMain ?? 0) + (r.cpu?.indexOther ?? 0)),
          }
        : null,
      profile: null,
    },
    index: { buildSeconds: m((r) => r.indexBuild), saveSeconds: m((r) => r.indexSave), bytes: first.indexBytes, loadSeconds: m((r) => r.indexLoad) },
    coldStartSeconds,
    answers: {
      questions: catalog.questions.length,
      p50Ms,
      p95Ms: s((r) => percentile(r.latencies, 95)),
      p99Ms,
      maxMs: s((r) => Math.max(...r.latencies)),
      byKind,
      // nonsense and ISBNs with a wrong check digit are meant to find nothing
      answered: (() => {
        const meant = answers.filter((_, i) => !NOTHING_TO_FIND.has(catalog.questions[i]?.kind ?? 'title'));
        return meant.filter((a) => !/^\S+ 0 /.test(a)).length / Math.max(1, meant.length);
      })(),
      digest: createHash('sha1').update(answers.join('\n')).digest('hex'),
      fullText: fullTextSummary(catalog, serves),
    },
    memory: { ingestPeakRssMb, ingestHeapMb: m((r) => r.heapMb), servePeakRssMb, serveHeapMb: s((r) => r.heapMb) },
    databaseBytes: first.databaseBytes,
    yaz: yaz === undefined ? null : { recordsPerSecond: yaz, records: catalog.isoRecords, ratio: recordsPerSecond / yaz },
    targets: {
      ingestRate: recordsPerSecond >= 20_000,
      // issue 23: serving at 1 M answers p50 ≤ 1 ms, p99 ≤ 20 ms; issue 20 on PostgreSQL: p50 ≤ 5 ms, p99 ≤ 50 ms
      p50: p50Ms <= (store.kind === 'postgres' ? 5 : 1),
      p99: p99Ms <= (store.kind === 'postgres' ? 50 : 20),
      coldStart: coldStartSeconds <= 2,
      peakRss: Math.max(ingestPeakRssMb, servePeakRssMb) <= 2048,
      serveRss: servePeakRssMb <= 1024,
    },
  };
}

/** yaz-marcdump ISO 2709 → MARCXML over the ISO 2709 files, records per second; undefined when yaz is missing. */
function timeYaz(catalog: GeneratedCatalog): number | undefined {
  if (catalog.isoFiles.length === 0) return undefined;
  const started = performance.now();
  const result = spawnSync('yaz-marcdump', ['-i', 'marc', '-o', 'marcxml', ...catalog.isoFiles], { stdio: ['ignore', 'ignore', 'ignore'] });
  const seconds = (performance.now() - started) / 1000;
  if (result.error || result.status !== 0) return undefined;
  return catalog.isoRecords / seconds;
}

const CHILD = fileURLToPath(new URL('./bench-child.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** CPU seconds by stage over every profile in `dir` (all threads of the ingest step). */
function profileSplit(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    for (const [stage, ms] of splitProfile(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))) {
      if (stage !== 'idle') out[stage] = (out[stage] ?? 0) + ms / 1000;
    }
  }
  return out;
}

function runChild<T>(base: string, job: ChildJob, env: NodeJS.ProcessEnv, cpuProfDir?: string): Promise<T> {
  const jobFile = path.join(base, `job-${job.step}.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job));
  return new Promise<T>((resolve, reject) => {
    let result: T | undefined;
    const child = fork(CHILD, [jobFile], {
      execArgv: ['--import', TSX_LOADER, '--expose-gc', ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env,
    });
    child.on('message', (m) => {
      result = m as T;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.rmSync(jobFile, { force: true });
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`bench ${job.step} step exited with code ${code}`));
    });
  });
}

// ---------------------------------------------------------------- rendering

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
const mb = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MB`;
const ok = (met: boolean): string => (met ? 'met' : 'MISSED');

/** The PostgreSQL full-text SearchIndex's rows (--store postgres): latency, then accuracy per kind beside the in-memory index. */
function fullTextRows(r: BenchReport): Array<[string, string, string]> {
  if (r.store.kind !== 'postgres') return [];
  const f = r.answers.fullText;
  if (!f) return [['answers through the PostgreSQL full-text SearchIndex', 'not measured', '']];
  const pct = (x: number): string => `${fmt(x * 100, 0)} %`;
  return [
    [
      `answers p50 / p95 / p99 through the PostgreSQL full-text SearchIndex (JALA_SEARCH_INDEX=postgres)`,
      `${fmt(f.p50Ms, 2)} / ${fmt(f.p95Ms, 2)} / ${fmt(f.p99Ms, 2)} ms (max ${fmt(f.maxMs, 1)}); open ${fmt(f.coldStartSeconds, 1)} s (${f.how})`,
      `p99 ≤ 150 ms: ${f.p99Ms <= 150 ? 'yes' : 'NO'}`,
    ],
    [
      '  full-text: answered (memory → full-text), same first result, p50/p99 by kind',
      Object.entries(f.byKind)
        .map(([k, v]) => `${k} ${pct(v.answeredMemory)}→${pct(v.answeredFullText)}, same ${pct(v.sameFirst)}, ${fmt(v.p50Ms, 1)}/${fmt(v.p99Ms, 1)} ms`)
        .join('; '),
      `all: answered ${pct(f.answered)} (in-memory ${pct(r.answers.answered)} of those meant to find something), same first ${pct(f.sameFirst)}`,
    ],
  ];
}

/** The report as a Markdown table, with the reference figures beside Jala's. */
export function renderBenchTable(r: BenchReport): string {
  const p = r.ingest.phases;
  const pg = r.store.kind === 'postgres';
  const storeName = pg ? 'PostgreSQL' : 'SQLite';
  const rows: Array<[string, string, string]> = [
    ['catalog store', pg && r.store.kind === 'postgres' ? `PostgreSQL: ${r.store.server}` : 'SQLite (the data directory\'s jala.db)', pg ? 'every step ran with JALA_DATABASE_URL' : ''],
    [
      'ingest, end to end (files → saved index)',
      `${fmt(r.ingest.recordsPerSecond)} records/s (${fmt(r.ingest.endToEndSeconds, 1)} s)`,
      pg ? `≥ 20,000/s at 1 M: ${ok(r.targets.ingestRate)}; issue 20: at least SQLite's rate (compare a --store sqlite run)` : `≥ 20,000/s at 1 M: ${ok(r.targets.ingestRate)}`,
    ],
    [
      r.ingest.bulk
        ? `  into ${storeName} only (bulk path: ${pg ? 'COPY into staging tables, swapped in' : 'built aside, swapped in'})`
        : `  into ${storeName} only (record by record)`,
      `${fmt(r.ingest.storeRecordsPerSecond)} records/s (${fmt(r.ingest.seconds, 1)} s)`,
      r.ingest.bulkFinish !== null
        ? `of which indexes / carry-over / checks / swap ${r.ingest.bulkStages ? [r.ingest.bulkStages.indexes, r.ingest.bulkStages.carry, r.ingest.bulkStages.checks, r.ingest.bulkStages.swap].map((x) => fmt(x, 1)).join(' / ') : ''} = ${fmt(r.ingest.bulkFinish, 1)} s`
        : '',
    ],
    [
      r.ingest.inThread ? '  split parse / map / dedup / store / other / index' : '  split [worker: parse / map] main: wait / dedup / store / other; index',
      r.ingest.inThread
        ? [p.parse, p.map, p.dedup, p.store, p.other, p.index].map((x) => fmt(x, 1)).join(' / ') + ' s'
        : `[${fmt(p.parse, 1)} / ${fmt(p.map, 1)}] ${[p.wait, p.dedup, p.store, p.other].map((x) => fmt(x, 1)).join(' / ')}; ${fmt(p.index, 1)} s`,
      '',
    ],
    ...(r.ingest.cpu
      ? [[
          '  CPU: ingest main / preparer / other; index',
          `${[r.ingest.cpu.main, r.ingest.cpu.preparer, r.ingest.cpu.other].map((x) => fmt(x, 1)).join(' / ')}; ${fmt(r.ingest.cpu.index, 1)} s (${fmt((r.records / (r.ingest.cpu.main + r.ingest.cpu.preparer + r.ingest.cpu.other + r.ingest.cpu.index)) * 2)} records/s on 2 idle cores)`,
          'CPU seconds, not wall clock',
        ] as [string, string, string]]
      : []),
    ...(r.ingest.profile
      ? [[
          '  CPU profile of the ingest step by stage',
          Object.entries(r.ingest.profile).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ') + ' s',
          'all threads; samples charged to the deepest stage frame',
        ] as [string, string, string]]
      : []),
    [
      'yaz-marcdump ISO 2709 → MARCXML, same input',
      r.yaz ? `${fmt(r.yaz.recordsPerSecond)} records/s; Jala end to end = ${fmt(r.yaz.ratio, 3)}×` : 'yaz-marcdump not found',
      'reference ~70,000/s; marcjs parse ~29,000/s',
    ],
    ['index build', `${fmt(r.index.buildSeconds, 2)} s (save ${fmt(r.index.saveSeconds, 2)} s)`, 'plain MiniSearch 100 k: ~2 s'],
    ['persisted index', `${mb(r.index.bytes)}, load ${fmt(r.index.loadSeconds, 2)} s`, ''],
    [pg ? 'cold start of a replica (open, load index, catch up, warm up)' : 'cold start (open, load index, warm up)', `${fmt(r.coldStartSeconds, 2)} s`, `≤ 2 s: ${ok(r.targets.coldStart)}`],
    [
      `answers p50 / p95 / p99 (${r.answers.questions} questions${pg ? ', in-memory index' : ''})`,
      `${fmt(r.answers.p50Ms, 2)} / ${fmt(r.answers.p95Ms, 2)} / ${fmt(r.answers.p99Ms, 2)} ms (max ${fmt(r.answers.maxMs, 1)})`,
      pg ? `p50 ≤ 5 ms: ${ok(r.targets.p50)}; p99 ≤ 50 ms: ${ok(r.targets.p99)}` : `p50 ≤ 1 ms: ${ok(r.targets.p50)}; p99 ≤ 20 ms: ${ok(r.targets.p99)}`,
    ],
    [
      '  p50 / p99 by kind',
      Object.entries(r.answers.byKind).map(([k, v]) => `${k} ${fmt(v.p50Ms, 1)}/${fmt(v.p99Ms, 1)}`).join(', '),
      'plain MiniSearch 100 k: p50 1.1, p99 13 ms',
    ],
    ...fullTextRows(r),
    ['peak RSS ingest / serve', `${fmt(r.memory.ingestPeakRssMb)} / ${fmt(r.memory.servePeakRssMb)} MB`, `≤ 2 GB: ${ok(r.targets.peakRss)}; serve ≤ 1 GB: ${ok(r.targets.serveRss)}`],
    ['heap after build / serving', `${fmt(r.memory.ingestHeapMb)} / ${fmt(r.memory.serveHeapMb)} MB`, 'plain MiniSearch: ~1 KB per document'],
    ['database', mb(r.databaseBytes), pg ? 'pg_database_size(current_database())' : 'jala.db after a checkpoint'],
    [
      'dedup',
      `${fmt(r.dedup.records)} records → ${fmt(r.dedup.works)} works; ${fmt(r.dedup.sharedWorks)} held by several libraries (${fmt(r.dedup.sharedFound * 100, 1)} % of the ${fmt(r.catalog.sharedWorks)} generated)`,
      `generated works: ${fmt(r.catalog.works)}`,
    ],
    ['answered', `${fmt(r.answers.answered * 100, 1)} % of questions meant to find something did (nonsense and bad ISBNs left out); digest ${r.answers.digest.slice(0, 12)}`, ''],
  ];
  if (r.protocols) rows.push(...protocolBenchRows(r.protocols));
  const head = `Jala bench — ${storeName}, ${fmt(r.records)} records, ${r.libraries} libraries, ${mb(r.catalog.inputBytes)} of MARC; median of ${r.runs} run(s); Node ${r.machine.node}, ${r.machine.cpus} cores, ${r.machine.memoryGb} GB${r.store.kind === 'postgres' && r.store.fsyncOff ? '; PostgreSQL with fsync, full_page_writes and synchronous_commit off' : ''}`;
  const lines = ['| figure | Jala | target / reference |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)];
  return `${head}\n\n${lines.join('\n')}\n`;
}
