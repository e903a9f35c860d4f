/**
 * The first half of an ingest, which needs no database: read the files, serialise and hash each
 * MARC record, map it to its record document. It can run in this thread or in a worker thread,
 * so that on a machine with two cores parsing and mapping overlap with deduplication and storing
 * (the other half, in ingest-marc-files.ts). Either way the items come out in file order, the
 * same items.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HoldingsProfile } from '../config/consortium-config.ts';
import { mapRecord } from './map-record.ts';
import type { MarcSource } from './marc-record.ts';
import type { RecordDocument } from './record-document.ts';
import { readMarcFile } from './read-marc-files.ts';

/** Bump when mapping changes so that re-ingesting the same files refreshes every stored document. */
export const MAPPING_VERSION = 1;

export type PreparedMapping =
  | { ok: true; doc: RecordDocument; warnings: string[] }
  /** from a worker: the document as JSON (parsed by the consumer), which is also how it is stored */
  | { ok: true; docJson: string; warnings: string[] }
  | { ok: false; reason: string };

export type PreparedItem =
  | { type: 'record'; source: MarcSource; marcJson: string; hash: string; mapped: PreparedMapping }
  | { type: 'problem'; problem: { file: string; position: string; reason: string; scope?: 'file' } }
  | { type: 'file-end'; file: string; fileIndex: number };

export interface PrepareJob {
  files: string[];
  library: string;
  profile: HoldingsProfile;
}

/** Milliseconds spent reading/parsing and mapping (in whichever thread did it). */
export interface PrepareTimings {
  parse: number;
  map: number;
}

/** Reads, hashes and maps the records of one library's files. */
export interface RecordPreparer {
  /** true when preparing runs in the caller's thread */
  readonly inThread: boolean;
  prepare(job: PrepareJob, timings?: PrepareTimings): AsyncIterable<PreparedItem>;
  close(): Promise<void>;
}

/** Serialises, hashes and maps one record read from MARC. */
export function prepareRecord(
  result: { record: import('./marc-record.ts').MarcRecord; source: MarcSource },
  job: Pick<PrepareJob, 'library' | 'profile'>,
): Extract<PreparedItem, { type: 'record' }> {
  const marcJson = JSON.stringify(result.record);
  const hash = createHash('sha1').update(`${MAPPING_VERSION}\n${job.profile}\n${marcJson}`).digest('hex');
  const mapped = mapRecord(result.record, { library: job.library, holdingsProfile: job.profile, fallbackId: hash.slice(0, 12) });
  return { type: 'record', source: result.source, marcJson, hash, mapped };
}

/** The items of a job, prepared in this thread. */
export async function* prepareFiles(job: PrepareJob, timings?: PrepareTimings): AsyncGenerator<PreparedItem> {
  for (const [fileIndex, file] of job.files.entries()) {
    let parsedAt = timings ? performance.now() : 0;
    for await (const result of readMarcFile(file)) {
      if (timings) timings.parse += performance.now() - parsedAt;
      if (!result.ok) yield { type: 'problem', problem: result.problem };
      else {
        const mapStarted = timings ? performance.now() : 0;
        const item = prepareRecord(result, job);
        if (timings) timings.map += performance.now() - mapStarted;
        yield item;
      }
      if (timings) parsedAt = performance.now();
    }
    yield { type: 'file-end', file, fileIndex };
  }
}

export function inThreadPreparer(): RecordPreparer {
  return { inThread: true, prepare: (job, timings) => prepareFiles(job, timings), close: async () => undefined };
}

// ---------------------------------------------------------------- the worker thread

/** Messages from the worker. */
export type FromWorker =
  | { type: 'items'; items: PreparedItem[] }
  | { type: 'done'; timings: PrepareTimings }
  | { type: 'failed'; message: string };

/** Messages to the worker. */
export type ToWorker = { type: 'job'; job: PrepareJob } | { type: 'credit' };

/** Batches the worker may send ahead of the consumer: bounds the memory of a fast reader. */
export const BATCHES_IN_FLIGHT = 8;
export const ITEMS_PER_BATCH = 256;

/**
 * A preparer with one worker thread, reused for every job given to it (a job at a time), so that a
 * consortium of many libraries starts one thread, not one per library. Close it when done.
 */
export function createWorkerPreparer(): RecordPreparer {
  const require = createRequire(import.meta.url);
  // the worker runs TypeScript like the rest of Jala: register tsx in it, then load the worker module
  const tsx = pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./prepare-records-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  );
  worker.unref();
  let busy = false;
  let closed = false;
  return {
    inThread: false,
    async *prepare(job, timings) {
      if (busy || closed) throw new Error('the record preparer is busy or closed');
      busy = true;
      const queue: PreparedItem[][] = [];
      let done = false;
      let failure: Error | undefined;
      let wake: (() => void) | undefined;
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'items') queue.push(m.items);
        else if (m.type === 'done') {
          done = true;
          if (timings) {
            timings.parse += m.timings.parse;
            timings.map += m.timings.map;
          }
        } else failure = new Error(`record preparation failed: ${m.message}`);
        wake?.();
      };
      const onError = (err: Error): void => {
        failure = err;
        wake?.();
      };
      const onExit = (code: number): void => {
        if (!done) failure ??= new Error(`the record preparation thread stopped (exit code ${code})`);
        wake?.();
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.ref();
      try {
        worker.postMessage({ type: 'job', job } satisfies ToWorker);
        for (;;) {
          const items = queue.shift();
          if (items) {
            worker.postMessage({ type: 'credit' } satisfies ToWorker);
            yield* items;
            continue;
          }
          if (failure) throw failure;
          if (done) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
        busy = false;
        // a consumer that stopped early leaves the worker mid-job: it cannot be reused
        if (!done && !failure) {
          closed = true;
          await worker.terminate();
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
