import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { HoldingsProfile } from '../config/consortium-config.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { placeRecord, rebuildWorks, recordWarnings } from './place-record.ts';
import type { BulkWorkPlacer } from './bulk-work-placer.ts';
import { createWorkerPreparer, inThreadPreparer, type PreparedItem, type RecordPreparer } from './prepare-records.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import { expandPaths } from '../marc/read-marc-files.ts';
import { recordWarning, type RecordWarningCode } from '../catalog/record-warning.ts';
import type { MapProblemCode } from '../mapping/map-record.ts';
import type { ReadProblemCode } from '../marc/marc-record.ts';

export { MAPPING_VERSION } from './prepare-records.ts';

/** A record or path that could not be ingested: where, a stable code, and the reason in words. */
export interface IngestProblem {
  file: string;
  position: string;
  code: IngestProblemCode;
  reason: string;
}

export type IngestProblemCode = ReadProblemCode | MapProblemCode | 'files/no-match';

/** A record stored with what ingest repaired in it: the codes of its warnings, and their sentences. */
export interface IngestRepair {
  file: string;
  position: string;
  codes: RecordWarningCode[];
  reason: string;
}

export interface IngestSummary {
  library: string;
  files: number;
  /** records read from the input, good or bad */
  read: number;
  /** new records stored */
  ingested: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** records of this library removed because --replace did not see them again */
  deleted: number;
  /** works in the union catalog after the ingest */
  works: number;
  /** works that now hold this library's records together with another library's */
  sharedWorks: number;
  /** records stored with a repaired problem (bad ISBN, recovered directory, MARC-8 declared as UTF-8…) */
  warnings: number;
  /** what was repaired in stored records (first 1,000): file, position and what was wrong */
  repaired: IngestRepair[];
  problems: IngestProblem[];
  /** a path that could not be read at all: the command exits non-zero */
  fatal: IngestProblem[];
}

export interface IngestProgress {
  file: string;
  fileIndex: number;
  files: number;
  read: number;
}

/** Milliseconds spent in each stage of an ingest, accumulated over calls (benchmarks pass one in). */
export interface IngestTimings {
  /** reading files and parsing ISO 2709 / MARCXML (in the preparing thread) */
  parse: number;
  /** MARC → record document, content hash (in the preparing thread) */
  map: number;
  /** waiting for the preparing worker thread (0 when preparing in this thread) */
  wait: number;
  /** finding and confirming the work of each record, merging works */
  dedup: number;
  /** SQLite writes and commits */
  store: number;
}

export function emptyIngestTimings(): IngestTimings {
  return { parse: 0, map: 0, wait: 0, dedup: 0, store: 0 };
}

export interface IngestOptions {
  store: CatalogStore;
  library: string;
  name?: string;
  paths: string[];
  replace?: boolean;
  holdingsProfile?: HoldingsProfile;
  /** records per transaction (default 2,000: larger transactions write each hot index page once for many records) */
  batchSize?: number;
  onProgress?: (p: IngestProgress) => void;
  /** told which works changed so that a live search index can follow */
  onWorksChanged?: (changed: number[], deleted: number[]) => void;
  now?: () => Date;
  /** when given, the time spent in each stage is added to it */
  timings?: IngestTimings;
  /**
   * Who reads and maps the records. Default: this thread, or for inputs of 64 MB and more on a
   * machine with several cores, a worker thread for this call. Ingesting many libraries in a row,
   * pass one createWorkerPreparer() to all of them (and close it).
   */
  preparer?: RecordPreparer;
  /**
   * The library the caller ingests next with the same preparer: a worker preparer starts reading its
   * files as soon as this library's are read, instead of idling while this one is stored.
   */
  next?: { library: string; paths: string[]; holdingsProfile?: HoldingsProfile };
  /**
   * The bulk path's placement (deduplication in memory, works merged once; src/ingest/bulk-work-placer.ts):
   * only into a new catalog file, where every record is new. The caller calls its `finish` after the
   * last library.
   */
  placer?: BulkWorkPlacer;
}

/** The smallest batch stored early, when the preparer has nothing ready: storing beats idling. */
const MIN_EARLY_BATCH = 200;

/** Input size from which an ingest prepares records in a worker thread of its own. */
const WORKER_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Reads MARC files for one library into the union catalog: map, deduplicate into works, store.
 * Batches are transactions, so an interrupted run leaves a consistent store and a re-run completes it.
 * Broken records are skipped and reported; they never stop the run.
 */
export async function ingestMarcFiles(opts: IngestOptions): Promise<IngestSummary> {
  // a long run of writes: a larger SQLite page cache while it lasts, given back afterwards
  const untune = opts.store.tuneForBulkWrites();
  try {
    return await ingestWithTunedStore(opts);
  } finally {
    untune();
  }
}

async function ingestWithTunedStore(opts: IngestOptions): Promise<IngestSummary> {
  const { store, library } = opts;
  const now = opts.now ?? (() => new Date());
  const batchSize = opts.batchSize ?? 2000;
  const profile = opts.holdingsProfile ?? 'auto';
  const timings = opts.timings;
  if (opts.placer && opts.replace) throw new Error('ingestMarcFiles: a bulk placer loads a new catalog, there is nothing to replace');
  const summary: IngestSummary = {
    library, files: 0, read: 0, ingested: 0, updated: 0, unchanged: 0, skipped: 0, deleted: 0,
    works: 0, sharedWorks: 0, warnings: 0, repaired: [], problems: [], fatal: [],
  };

  store.ensureLibrary(library, opts.name, now().toISOString());
  const runId = store.startIngestRun(library, now().toISOString());

  const expanded = await expandPaths(opts.paths);
  for (const p of expanded.problems) {
    const problem: IngestProblem = { file: p.file, position: p.position, code: p.code, reason: p.reason };
    if (p.fatal) summary.fatal.push(problem);
    summary.problems.push(problem);
  }
  summary.files = expanded.files.length;

  const seen = new Set<string>();
  let batch: PreparedRecord[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const started = timings ? performance.now() : 0;
    const inner = timings ? timings.dedup : 0;
    const changed = store.transaction(() => storeBatch(store, current, { library, profile, seen, summary, now, timings, placer: opts.placer }));
    if (timings) timings.store += performance.now() - started - (timings.dedup - inner);
    opts.onWorksChanged?.(changed.changed, changed.deleted);
  };

  const files = expanded.files;
  let preparer = opts.preparer;
  let ownPreparer: RecordPreparer | undefined;
  if (!preparer) {
    preparer = ownPreparer = preparerForFiles(files);
  }
  const prepareTimings = timings ? { parse: 0, map: 0 } : undefined;
  // an ingest large enough for a preparing thread also copies its WAL back from a thread of its own
  const stopCheckpoints = preparer.inThread ? undefined : store.checkpointInBackground();
  try {
    const items = preparer.prepare({ files, library, profile }, prepareTimings)[Symbol.asyncIterator]();
    if (opts.next && preparer.prefetch && !ownPreparer) await prefetchNext(preparer, opts.next);
    let fileIndex = 0;
    for (;;) {
      const waitStarted = timings ? performance.now() : 0;
      const step = await items.next();
      if (timings) timings.wait += performance.now() - waitStarted;
      if (step.done === true) break;
      const item = step.value;
      if (item.type === 'waiting') {
        if (batch.length >= MIN_EARLY_BATCH) flush();
        continue;
      }
      if (item.type === 'file-end') {
        flush();
        fileIndex = item.fileIndex + 1;
        opts.onProgress?.({ file: item.file, fileIndex, files: files.length, read: summary.read });
        continue;
      }
      if (item.type === 'problem') {
        const { scope, ...problem } = item.problem;
        if (scope !== 'file') {
          summary.read++;
          summary.skipped++;
        }
        summary.problems.push(problem);
      } else {
        summary.read++;
        batch.push(item);
        if (batch.length >= batchSize) flush();
      }
      if (summary.read % 250 === 0) opts.onProgress?.({ file: files[fileIndex] ?? '', fileIndex, files: files.length, read: summary.read });
    }
  } finally {
    stopCheckpoints?.();
    await ownPreparer?.close();
  }
  flush();
  if (timings && prepareTimings) {
    timings.parse += prepareTimings.parse;
    timings.map += prepareTimings.map;
    // preparing in this thread happens inside the wait; in a worker it overlaps with storing
    if (preparer.inThread) timings.wait = Math.max(0, timings.wait - prepareTimings.parse - prepareTimings.map);
  }

  if (opts.replace && summary.fatal.length === 0) {
    const gone = store.recordIdsOfLibrary(library).filter((id) => !seen.has(id));
    for (let i = 0; i < gone.length; i += batchSize) {
      const slice = gone.slice(i, i + batchSize);
      const changed = store.transaction(() => {
        const dirty = new Set<number>();
        for (const id of slice) {
          const meta = store.recordMeta(id);
          if (!meta) continue;
          store.deleteRecord(id);
          dirty.add(meta.workId);
          summary.deleted++;
        }
        return rebuildWorks(store, dirty);
      });
      opts.onWorksChanged?.(changed.changed, changed.deleted);
    }
  }

  summary.works = opts.placer ? opts.placer.workCount() : store.workCount();
  summary.sharedWorks = opts.placer ? opts.placer.sharedWorksOfLibrary(library) : store.sharedWorksOfLibrary(library);
  store.finishIngestRun(runId, now().toISOString(), { ...summary, problems: summary.problems.length, repaired: summary.repaired.length });
  return summary;
}

interface BatchContext {
  library: string;
  profile: HoldingsProfile;
  seen: Set<string>;
  summary: IngestSummary;
  now: () => Date;
  timings: IngestTimings | undefined;
  placer: BulkWorkPlacer | undefined;
}

type PreparedRecord = Extract<PreparedItem, { type: 'record' }>;

/**
 * A preparer for several ingests in a row (pass it to each, with `next`, and close it): a worker
 * thread when the inputs are large enough to gain from one and the machine has a core to spare.
 */
export async function preparerForIngests(paths: readonly string[]): Promise<RecordPreparer> {
  return preparerForFiles((await expandPaths([...paths])).files);
}

function preparerForFiles(files: readonly string[]): RecordPreparer {
  const bytes = files.reduce((n, f) => n + fileSize(f), 0);
  return bytes >= WORKER_INPUT_BYTES && availableParallelism() > 1 ? createWorkerPreparer() : inThreadPreparer();
}

/** Tells the preparer which files come next; a path that cannot be expanded is the next ingest's to report. */
async function prefetchNext(preparer: RecordPreparer, next: NonNullable<IngestOptions['next']>): Promise<void> {
  try {
    const expanded = await expandPaths(next.paths);
    if (expanded.files.length === 0) return;
    preparer.prefetch?.({ files: expanded.files, library: next.library, profile: next.holdingsProfile ?? 'auto' });
  } catch {
    // only a hint: the next ingest reads its paths again and reports what is wrong with them
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function storeBatch(
  store: CatalogStore,
  batch: readonly PreparedRecord[],
  ctx: BatchContext,
): { changed: number[]; deleted: number[] } {
  const dirty = new Set<number>();
  // the documents stored in this batch: merging their works needs no read-back from SQLite
  const stored = new Map<string, RecordDocument>();
  const stamp = ctx.now().toISOString();
  const timings = ctx.timings;
  for (const { source, marc, hash, mapped } of batch) {
    if (!mapped.ok) {
      ctx.summary.skipped++;
      ctx.summary.problems.push({ file: source.file, position: source.position, code: mapped.code, reason: mapped.reason });
      continue;
    }
    // from a worker the document comes as the JSON it is stored as (validated when it was mapped)
    let docJson = 'docJson' in mapped ? mapped.docJson : undefined;
    const doc: RecordDocument = 'doc' in mapped ? mapped.doc : (JSON.parse(mapped.docJson) as RecordDocument);
    const mappedWarnings = [...mapped.warnings];
    // one library may carry the same 001 twice (Koha copies 001 from the source record): keep both, distinctly
    if (ctx.seen.has(doc.id)) {
      let n = 2;
      while (ctx.seen.has(`${doc.id}~${n}`)) n++;
      doc.localId = `${doc.localId}~${n}`;
      doc.id = `${doc.id}~${n}`;
      docJson = undefined;
      mappedWarnings.push(recordWarning('ingest/duplicate-local-id', `duplicate local id, stored as ${doc.id}`));
    }
    ctx.seen.add(doc.id);
    const warnings = recordWarnings(source, mappedWarnings);
    if (warnings.length > 0) {
      ctx.summary.warnings++;
      if (ctx.summary.repaired.length < 1000) {
        ctx.summary.repaired.push({ file: source.file, position: source.position, codes: [...new Set(warnings.map((w) => w.code))], reason: `${doc.id}: ${warnings.map((w) => w.message).join('; ')}` });
      }
    }
    const input = { doc, docJson, storedMarc: marc, hash, source, warnings, now: stamp };
    const onDedup = timings ? (ms: number): void => void (timings.dedup += ms) : undefined;
    if (ctx.placer) {
      ctx.placer.place(store, input, onDedup);
      ctx.summary.ingested++;
      continue;
    }
    const outcome = placeRecord(store, input, dirty, onDedup);
    ctx.summary[outcome]++;
    if (outcome !== 'unchanged') stored.set(doc.id, doc);
  }
  if (ctx.placer) return { changed: ctx.placer.endBatch(store, timings ? (ms) => (timings.dedup += ms) : undefined), deleted: [] };
  return rebuildWorks(store, dirty, { stored, ...(timings ? { onMerge: (ms: number) => (timings.dedup += ms) } : {}) });
}
