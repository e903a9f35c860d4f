/**
 * The first half of an ingest, which needs no database: read the files, serialise and hash each
 * MARC record, map it to its record document. It can run in this thread or in a worker thread,
 * so that on a machine with two cores parsing and mapping overlap with deduplication and storing
 * (the other half, in ingest-marc-files.ts). Either way the items come out in file order, the
 * same items.
 */
import { createHash, hash as oneShotHash } from 'node:crypto';
import { startTypeScriptWorker } from '../common/typescript-worker.ts';
import type { HoldingsProfile } from '../config/consortium-config.ts';
import { mapRecord } from '../mapping/map-record.ts';
import type { MarcSource } from '../marc/marc-record.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import { readMarcFile } from '../marc/read-marc-files.ts';
import type { RecordWarning } from '../catalog/record-warning.ts';
import type { MapProblemCode } from '../mapping/map-record.ts';
import type { ReadProblem } from '../marc/marc-record.ts';

/** Bump when mapping changes so that re-ingesting the same files refreshes every stored document. */
export const MAPPING_VERSION = 1;

export type PreparedMapping =
  | { ok: true; doc: RecordDocument; warnings: RecordWarning[] }
  /** from a worker: the document as JSON (parsed by the consumer), which is also how it is stored */
  | { ok: true; docJson: string; warnings: RecordWarning[] }
  | { ok: false; code: MapProblemCode; reason: string };

export type PreparedItem =
  /**
   * `marc`: the record as stored, the ISO 2709 bytes it was read from (a copy of its own) or, from
   * MARCXML, its JSON; `hash` is of that form
   */
  | { type: 'record'; source: MarcSource; marc: string | Uint8Array; hash: string; mapped: PreparedMapping }
  | { type: 'problem'; problem: ReadProblem }
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

/**
 * What a preparer hands its consumer: the prepared items, and from a worker a `waiting` mark when
 * the next item is not ready yet, so that a consumer holding work can do it instead of idling.
 */
export type PreparerOutput = PreparedItem | { type: 'waiting' };

/** Reads, hashes and maps the records of one library's files. */
export interface RecordPreparer {
  /** true when preparing runs in the caller's thread */
  readonly inThread: boolean;
  /** The items of a job, in file order; a worker preparer starts on the job at this call. */
  prepare(job: PrepareJob, timings?: PrepareTimings): AsyncIterable<PreparerOutput>;
  /**
   * A hint that `job` is the one prepare() will be asked for next: a worker starts reading it as
   * soon as the current job is read, so that it does not idle while the consumer stores the end
   * of the current one. A prepare() for some other job drops it.
   */
  prefetch?(job: PrepareJob): void;
  close(): Promise<void>;
}

/**
 * Hashes and maps one record read from MARC. A record read from ISO 2709 keeps its input bytes, which
 * are hashed and stored as they are (parsed again when read back): no JSON of the MARC, and a third of
 * its size. A record from MARCXML is serialised to JSON, as before.
 */
export function prepareRecord(
  result: { record: import('../marc/marc-record.ts').MarcRecord; source: MarcSource; bytes?: Uint8Array },
  job: Pick<PrepareJob, 'library' | 'profile'>,
): Extract<PreparedItem, { type: 'record' }> {
  let marc: string | Uint8Array;
  let hash: string;
  let fallbackId: string | (() => string);
  if (result.bytes) {
    // a copy: the reader's view shares its buffer with the neighbouring records (and a worker's
    // message would carry all of it)
    marc = result.bytes.slice();
    hash = createHash('sha1').update(`${MAPPING_VERSION}\n${job.profile}\niso2709\n`).update(marc).digest('hex');
    fallbackId = jsonFallbackId(result.record, job.profile);
  } else {
    marc = JSON.stringify(result.record);
    hash = jsonHash(marc, job.profile);
    fallbackId = hash.slice(0, 12);
  }
  const mapped = mapRecord(result.record, { library: job.library, holdingsProfile: job.profile, fallbackId });
  return { type: 'record', source: result.source, marc, hash, mapped };
}

/** The hash of a record's JSON (for the mapping version and holdings profile). */
function jsonHash(json: string, profile: HoldingsProfile): string {
  return oneShotHash('sha1', `${MAPPING_VERSION}\n${profile}\n${json}`, 'hex');
}

/**
 * A record without any id keeps the one it always had: from the hash of its JSON, made only for it.
 * (A module function returning the closure: tsx names a closure assigned to a variable, per record.)
 */
function jsonFallbackId(record: import('../marc/marc-record.ts').MarcRecord, profile: HoldingsProfile): () => string {
  return () => jsonHash(JSON.stringify(record), profile).slice(0, 12);
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

/** Messages from the worker; `job` is the number the job was sent with. */
export type FromWorker =
  | { type: 'items'; job: number; items: PreparedItem[] }
  | { type: 'done'; job: number; timings: PrepareTimings }
  | { type: 'failed'; job: number; message: string };

/** Messages to the worker: a job to queue, a credit for one more batch, a queued job no longer wanted. */
export type ToWorker = { type: 'job'; id: number; job: PrepareJob } | { type: 'credit' } | { type: 'cancel'; id: number };

/**
 * Batches the worker may send ahead of the consumer, over all its jobs: bounds the memory of a fast
 * reader, and lets it run ahead of a consumer that stores in transactions of a few thousand records.
 */
export const BATCHES_IN_FLIGHT = 32;
export const ITEMS_PER_BATCH = 256;

interface JobState {
  id: number;
  key: string;
  queue: PreparedItem[][];
  done: boolean;
  failure?: Error;
  timings?: PrepareTimings;
  /** a prepare() call is reading it (not only prefetched) */
  claimed: boolean;
}

/**
 * A preparer with one worker thread, reused for every job given to it (a job at a time, plus one
 * prefetched), so that a consortium of many libraries starts one thread, not one per library.
 * Close it when done.
 */
export function createWorkerPreparer(): RecordPreparer {
  const worker = startTypeScriptWorker(new URL('./prepare-records-worker.ts', import.meta.url));
  let busy = false;
  let closed = false;
  let nextId = 1;
  // jobs sent to the worker and not finished by their consumer, in the order the worker runs them
  const jobs = new Map<number, JobState>();
  let threadFailure: Error | undefined;
  let wake: (() => void) | undefined;
  const keyOf = (job: PrepareJob): string => JSON.stringify([job.library, job.profile, job.files]);

  worker.on('message', (m: FromWorker) => {
    const state = jobs.get(m.job);
    if (!state) {
      // a dropped job's batch: its credit goes back all the same
      if (m.type === 'items') worker.postMessage({ type: 'credit' } satisfies ToWorker);
      return;
    }
    if (m.type === 'items') state.queue.push(m.items);
    else if (m.type === 'done') {
      state.done = true;
      state.timings = m.timings;
    } else state.failure = new Error(`record preparation failed: ${m.message}`);
    wake?.();
  });
  worker.on('error', (err: Error) => {
    threadFailure = err;
    wake?.();
  });
  worker.on('exit', (code: number) => {
    threadFailure ??= new Error(`the record preparation thread stopped (exit code ${code})`);
    wake?.();
  });
  // an idle preparer, or one holding only a prefetched job, does not keep the process alive
  worker.unref();

  const send = (job: PrepareJob, claimed: boolean): JobState => {
    const state: JobState = { id: nextId++, key: keyOf(job), queue: [], done: false, claimed };
    jobs.set(state.id, state);
    worker.postMessage({ type: 'job', id: state.id, job } satisfies ToWorker);
    return state;
  };
  const drop = (state: JobState): void => {
    jobs.delete(state.id);
    for (let i = 0; i < state.queue.length; i++) worker.postMessage({ type: 'credit' } satisfies ToWorker);
    if (!state.done && !state.failure) worker.postMessage({ type: 'cancel', id: state.id } satisfies ToWorker);
  };

  async function* read(state: JobState, timings: PrepareTimings | undefined): AsyncGenerator<PreparerOutput> {
    let finished = false;
    worker.ref();
    try {
      let waited = false;
      for (;;) {
        const items = state.queue.shift();
        if (items) {
          worker.postMessage({ type: 'credit' } satisfies ToWorker);
          waited = false;
          yield* items;
          continue;
        }
        if (state.failure) throw state.failure;
        if (state.done) break;
        if (threadFailure) throw threadFailure;
        if (!waited) {
          // nothing ready: say so once, then wait
          waited = true;
          yield { type: 'waiting' };
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      finished = true;
      if (timings && state.timings) {
        timings.parse += state.timings.parse;
        timings.map += state.timings.map;
      }
    } finally {
      jobs.delete(state.id);
      worker.unref();
      busy = false;
      // a consumer that stopped early leaves the worker mid-job: it cannot be reused (a job that failed
      // in the worker ended there, and the worker goes on with the next)
      if (!finished && !state.failure && !closed) {
        closed = true;
        await worker.terminate();
      }
    }
  }

  return {
    inThread: false,
    prepare(job, timings) {
      if (busy || closed) throw new Error('the record preparer is busy or closed');
      busy = true;
      const key = keyOf(job);
      let state: JobState | undefined;
      for (const s of jobs.values()) {
        if (!s.claimed && !state && s.key === key) state = s;
        else if (!s.claimed) drop(s);
      }
      if (state) state.claimed = true;
      else state = send(job, true);
      return read(state, timings);
    },
    prefetch(job) {
      if (closed || threadFailure) return;
      const key = keyOf(job);
      for (const s of jobs.values()) if (!s.claimed && s.key === key) return;
      send(job, false);
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
