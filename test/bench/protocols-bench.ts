/**
 * The catalog server's part of `npm run bench`: on a run's data directory, the server in a process
 * of its own (adapters/http/bench-server.ts, the HTTP listener's side), and from here, as a client
 * over HTTP on 127.0.0.1:
 *
 * - SRU searchRetrieve latency, p50/p95/p99, for the bench's questions as library systems would
 *   send them (sru-bench-queries.ts), 10 MARCXML records per response;
 * - OAI-PMH ListRecords (marc21) harvested in full through the resumption tokens: records per
 *   second, and the server's memory before and during the list (a streamed list must not grow it);
 * - the same records served by the Catmandu OAI peer the tests run (test/oai-peer, Debian
 *   packages), harvested the same way, side by side — the first `peerRecords` works of the catalog.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../src/config/data-dir.ts';
import type { BenchQuestion, BenchQuestionKind } from './generate-marc.ts';
import { SRU_KINDS, sruQueryFor } from './sru-bench-queries.ts';
import { freePort } from './free-port.ts';
import { percentile } from './percentile.ts';

export interface HarvestFigures {
  records: number;
  pages: number;
  seconds: number;
  recordsPerSecond: number;
  megabytes: number;
}

export interface ProtocolBenchReport {
  server: { startSeconds: number; oaiSyncSeconds: number; works: number };
  sru: {
    queries: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    maxMs: number;
    byKind: Partial<Record<BenchQuestionKind, { p50Ms: number; p99Ms: number }>>;
    /** share of queries with at least one record */
    found: number;
  };
  oai: HarvestFigures & {
    pageSize: number;
    /** Jala's rate over the records the peer serves too (the same first works) */
    firstRecordsPerSecond: number | null;
    memory: { beforeMb: number; peakMb: number; growthMb: number; heapAfterMb: number };
  };
  peer: (HarvestFigures & { pageSize: number; exportSeconds: number; software: string }) | { skipped: string };
  targets: { sruP99: boolean };
}

export interface ProtocolBenchOptions {
  dataDir: string;
  /** where the peer's copy and store go */
  workDir: string;
  questions: readonly BenchQuestion[];
  warmup: readonly BenchQuestion[];
  /** works the Catmandu peer serves (0: no peer) */
  peerRecords: number;
  log: (line: string) => void;
}

/** The server process: the HTTP listener is an adapter, so the bench starts it by path and talks to it over IPC. */
const CHILD = path.join(PACKAGE_ROOT, 'adapters', 'http', 'bench-server.ts');

export type ToBenchServer = { type: 'mark' } | { type: 'memory' } | { type: 'export-peer'; dbPath: string; limit: number } | { type: 'stop' };

export type FromBenchServer =
  | { type: 'ready'; port: number; syncSeconds: number; startSeconds: number; works: number; repository: string; pageSize: number }
  | { type: 'memory'; rssMb: number; peakRssMb: number; heapMb: number }
  | { type: 'exported'; records: number; seconds: number }
  | { type: 'failed'; message: string };
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PEER_APP = path.join(PACKAGE_ROOT, 'test', 'oai-peer', 'app');


class ServerChild {
  private waiting: Array<(m: FromBenchServer) => void> = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m) => this.waiting.shift()?.(m as FromBenchServer));
  }

  static async start(dataDir: string): Promise<{ server: ServerChild; ready: Extract<FromBenchServer, { type: 'ready' }> }> {
    const child = fork(CHILD, [dataDir], { execArgv: ['--import', TSX_LOADER, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const server = new ServerChild(child);
    const ready = await server.next();
    if (ready.type !== 'ready') throw new Error(`the bench's server did not start: ${ready.type === 'failed' ? ready.message : ready.type}`);
    return { server, ready };
  }

  private next(): Promise<FromBenchServer> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the bench's server exited with code ${code}`));
      this.child.once('exit', onExit);
      this.waiting.push((m) => {
        this.child.off('exit', onExit);
        resolve(m);
      });
    });
  }

  async ask(m: ToBenchServer): Promise<FromBenchServer> {
    const answer = this.next();
    this.child.send(m);
    return answer;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies ToBenchServer);
    await exited;
  }
}

/** Harvests ListRecords to the end, reading each response as a stream; `first` records are timed apart too. */
async function harvest(baseUrl: string, prefix: string, first?: number, onFirstPage?: () => Promise<void>): Promise<HarvestFigures & { firstSeconds: number | null }> {
  const started = performance.now();
  let records = 0;
  let pages = 0;
  let bytes = 0;
  let firstSeconds: number | null = null;
  let query = `verb=ListRecords&metadataPrefix=${prefix}`;
  for (;;) {
    const res = await fetch(`${baseUrl}?${query}`);
    if (!res.ok || !res.body) throw new Error(`${baseUrl}: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let tail = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      const text = tail + decoder.decode(chunk, { stream: true });
      // count whole "<record>" tags; keep the end, which may hold a split tag or the token
      const counted = text.split('<record>').length - 1;
      records += counted - (tail.split('<record>').length - 1);
      tail = text.slice(-4096);
    }
    pages++;
    if (pages === 1 && onFirstPage) await onFirstPage();
    if (first !== undefined && firstSeconds === null && records >= first) firstSeconds = (performance.now() - started) / 1000;
    const error = /<error code="([^"]+)"/.exec(tail);
    if (error) throw new Error(`${baseUrl}: OAI-PMH error ${error[1]}`);
    const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(tail);
    if (!token) break;
    query = `verb=ListRecords&resumptionToken=${encodeURIComponent(token[1] as string)}`;
  }
  const seconds = (performance.now() - started) / 1000;
  return { records, pages, seconds, recordsPerSecond: records / seconds, megabytes: bytes / 2 ** 20, firstSeconds };
}


async function waitForOai(url: string, peer: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (peer.exitCode !== null) throw new Error(`the OAI peer exited with code ${peer.exitCode}`);
    try {
      const res = await fetch(`${url}?verb=Identify`);
      if (res.ok && (await res.text()).includes('<Identify>')) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the OAI peer did not answer within 60 s');
}

function peerInstalled(): string | undefined {
  const perl = spawnSync('perl', ['-MDancer::Plugin::Catmandu::OAI', '-MCatmandu::Store::DBI', '-MCQL::Parser', '-e1'], { stdio: 'ignore' });
  if (perl.error || perl.status !== 0) return 'the Catmandu OAI peer is not installed (apt-get install libdancer-plugin-catmandu-oai-perl libcatmandu-marc-perl libcatmandu-dbi-perl libdbd-sqlite3-perl libcql-parser-perl)';
  if (!fs.existsSync(path.join(PEER_APP, 'app.pl'))) return `no OAI peer app at ${PEER_APP}`;
  return undefined;
}

export async function runProtocolBench(opts: ProtocolBenchOptions): Promise<ProtocolBenchReport> {
  const { log } = opts;
  log('catalog server: starting (OAI-PMH items brought up to date)…');
  const { server, ready } = await ServerChild.start(opts.dataDir);
  try {
    const base = `http://127.0.0.1:${ready.port}`;
    // SRU: warm up, then every question once, timed from request to the last byte
    const sruGet = async (query: string): Promise<{ ms: number; found: boolean }> => {
      const t0 = performance.now();
      const res = await fetch(`${base}/sru?${new URLSearchParams({ version: '1.2', operation: 'searchRetrieve', query, maximumRecords: '10', recordSchema: 'marcxml' })}`);
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200 || /diagnostic\/1\/\d+/.test(text)) throw new Error(`SRU ${query}: ${text.slice(0, 300)}`);
      return { ms, found: !/<zs:numberOfRecords>0</.test(text) };
    };
    const questions = opts.questions.filter((q) => SRU_KINDS.has(q.kind));
    log(`SRU: ${questions.length} searchRetrieve requests…`);
    for (const q of opts.warmup.filter((w) => SRU_KINDS.has(w.kind))) await sruGet(sruQueryFor(q));
    const latencies: number[] = [];
    let found = 0;
    for (const q of questions) {
      const r = await sruGet(sruQueryFor(q));
      latencies.push(r.ms);
      if (r.found) found++;
    }
    const byKind: ProtocolBenchReport['sru']['byKind'] = {};
    for (const kind of new Set(questions.map((q) => q.kind))) {
      const at = questions.flatMap((q, i) => (q.kind === kind ? [latencies[i] as number] : []));
      byKind[kind] = { p50Ms: percentile(at, 50), p99Ms: percentile(at, 99) };
    }

    // OAI-PMH: the whole list, the server's memory marked after the first page
    log(`OAI-PMH: harvesting ListRecords (marc21) of ${ready.works.toLocaleString('en-US')} works…`);
    let before = { rssMb: 0, heapMb: 0 };
    const peerRecords = Math.min(opts.peerRecords, ready.works);
    const oai = await harvest(`${base}/oai`, 'marc21', peerRecords > 0 ? peerRecords : undefined, async () => {
      const m = await server.ask({ type: 'mark' });
      if (m.type === 'memory') before = m;
    });
    const after = await server.ask({ type: 'memory' });
    const peakMb = after.type === 'memory' ? after.peakRssMb : Number.NaN;
    const pageSize = ready.pageSize;

    // the Catmandu peer, serving the same union records
    let peer: ProtocolBenchReport['peer'];
    const missing = peerRecords === 0 ? 'no peer records asked for (--oai-peer-records 0)' : peerInstalled();
    if (missing) peer = { skipped: missing };
    else {
      const appDir = path.join(opts.workDir, 'oai-peer', 'app');
      fs.rmSync(path.dirname(appDir), { recursive: true, force: true });
      fs.cpSync(PEER_APP, appDir, { recursive: true });
      const config = path.join(appDir, 'config.yml');
      fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^(\s*)limit: \d+$/m, `$1limit: ${pageSize}`));
      log(`OAI peer: exporting ${peerRecords.toLocaleString('en-US')} union records into its store…`);
      const exported = await server.ask({ type: 'export-peer', dbPath: path.join(appDir, 'oai.sqlite'), limit: peerRecords });
      if (exported.type !== 'exported') throw new Error(`export to the OAI peer failed: ${exported.type === 'failed' ? exported.message : exported.type}`);
      const port = await freePort();
      const child = spawn('perl', [path.join(appDir, 'app.pl')], { env: { ...process.env, OAI_PEER_HOST: '127.0.0.1', OAI_PEER_PORT: String(port) }, stdio: ['ignore', 'ignore', 'ignore'] });
      try {
        const url = `http://127.0.0.1:${port}/oai`;
        await waitForOai(url, child);
        log(`OAI peer: harvesting ListRecords (marc21) of ${exported.records.toLocaleString('en-US')} records…`);
        const figures = await harvest(url, 'marc21');
        peer = { ...figures, pageSize, exportSeconds: exported.seconds, software: 'Dancer::Plugin::Catmandu::OAI (Debian), SQLite store' };
      } finally {
        child.kill('SIGTERM');
      }
    }
    const p99 = percentile(latencies, 99);
    return {
      server: { startSeconds: ready.startSeconds, oaiSyncSeconds: ready.syncSeconds, works: ready.works },
      sru: {
        queries: latencies.length,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        p99Ms: p99,
        maxMs: Math.max(...latencies),
        byKind,
        found: found / Math.max(1, latencies.length),
      },
      oai: {
        records: oai.records,
        pages: oai.pages,
        seconds: oai.seconds,
        recordsPerSecond: oai.recordsPerSecond,
        megabytes: oai.megabytes,
        pageSize,
        firstRecordsPerSecond: oai.firstSeconds === null || peerRecords === 0 ? null : peerRecords / oai.firstSeconds,
        memory: { beforeMb: before.rssMb, peakMb, growthMb: peakMb - before.rssMb, heapAfterMb: after.type === 'memory' ? after.heapMb : Number.NaN },
      },
      peer,
      targets: { sruP99: p99 <= 50 },
    };
  } finally {
    await server.stop();
  }
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');

/** Rows for the bench's table: [figure, Jala, target / reference]. */
export function protocolBenchRows(r: ProtocolBenchReport): Array<[string, string, string]> {
  const peer = 'skipped' in r.peer ? `peer skipped: ${r.peer.skipped}` : `Catmandu OAI peer: ${fmt(r.peer.recordsPerSecond)} records/s (${fmt(r.peer.records)} records, ${fmt(r.peer.seconds, 1)} s, pages of ${r.peer.pageSize})`;
  return [
    ['catalog server start (open + OAI items sync)', `${fmt(r.server.startSeconds, 2)} s + ${fmt(r.server.oaiSyncSeconds, 2)} s`, ''],
    [
      `SRU searchRetrieve p50 / p95 / p99 (${r.sru.queries} queries, 10 MARCXML records)`,
      `${fmt(r.sru.p50Ms, 2)} / ${fmt(r.sru.p95Ms, 2)} / ${fmt(r.sru.p99Ms, 2)} ms (max ${fmt(r.sru.maxMs, 1)}); ${fmt(r.sru.found * 100, 1)} % found records`,
      `p99 ≤ 50 ms at 1 M: ${r.targets.sruP99 ? 'met' : 'MISSED'}`,
    ],
    ['  SRU p50 / p99 by kind', Object.entries(r.sru.byKind).map(([k, v]) => `${k} ${fmt(v.p50Ms, 1)}/${fmt(v.p99Ms, 1)}`).join(', '), ''],
    [
      `OAI-PMH ListRecords marc21, in full (pages of ${r.oai.pageSize})`,
      `${fmt(r.oai.recordsPerSecond)} records/s (${fmt(r.oai.records)} records, ${fmt(r.oai.pages)} pages, ${fmt(r.oai.megabytes)} MB, ${fmt(r.oai.seconds, 1)} s)${r.oai.firstRecordsPerSecond !== null ? `; first ${'skipped' in r.peer ? '' : fmt(r.peer.records)} records ${fmt(r.oai.firstRecordsPerSecond)}/s` : ''}`,
      peer,
    ],
    [
      '  server memory during the list',
      `RSS ${fmt(r.oai.memory.beforeMb)} MB after the first page, peak ${fmt(r.oai.memory.peakMb)} MB (+${fmt(r.oai.memory.growthMb)} MB); heap after ${fmt(r.oai.memory.heapAfterMb)} MB`,
      'must not grow with the list',
    ],
  ];
}
