import { createHash } from 'node:crypto';
import type { HoldingsProfile } from '../config/consortium-config.ts';
import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { findWorkFor } from './assign-work.ts';
import { mapRecord } from './map-record.ts';
import type { MarcReadResult } from './marc-record.ts';
import { mergeWork } from './merge-work.ts';
import { expandPaths, readMarcFile } from './read-marc-files.ts';

/** Bump when mapping changes so that re-ingesting the same files refreshes every stored document. */
export const MAPPING_VERSION = 1;

export interface IngestProblem {
  file: string;
  position: string;
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
  repaired: IngestProblem[];
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

export interface IngestOptions {
  store: SqliteCatalogStore;
  library: string;
  name?: string;
  paths: string[];
  replace?: boolean;
  holdingsProfile?: HoldingsProfile;
  /** records per transaction */
  batchSize?: number;
  onProgress?: (p: IngestProgress) => void;
  /** told which works changed so that a live search index can follow */
  onWorksChanged?: (changed: number[], deleted: number[]) => void;
  now?: () => Date;
}

/**
 * Reads MARC files for one library into the union catalog: map, deduplicate into works, store.
 * Batches are transactions, so an interrupted run leaves a consistent store and a re-run completes it.
 * Broken records are skipped and reported; they never stop the run.
 */
export async function ingestMarcFiles(opts: IngestOptions): Promise<IngestSummary> {
  const { store, library } = opts;
  const now = opts.now ?? (() => new Date());
  const batchSize = opts.batchSize ?? 500;
  const profile = opts.holdingsProfile ?? 'auto';
  const summary: IngestSummary = {
    library, files: 0, read: 0, ingested: 0, updated: 0, unchanged: 0, skipped: 0, deleted: 0,
    works: 0, sharedWorks: 0, warnings: 0, repaired: [], problems: [], fatal: [],
  };

  store.ensureLibrary(library, opts.name, now().toISOString());
  const runId = store.startIngestRun(library, now().toISOString());

  const expanded = await expandPaths(opts.paths);
  for (const p of expanded.problems) {
    const problem = { file: p.file, position: p.position, reason: p.reason };
    if (p.fatal) summary.fatal.push(problem);
    summary.problems.push(problem);
  }
  summary.files = expanded.files.length;

  const seen = new Set<string>();
  let batch: Array<Extract<MarcReadResult, { ok: true }>> = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const changed = store.transaction(() => storeBatch(store, current, { library, profile, seen, summary, now }));
    opts.onWorksChanged?.(changed.changed, changed.deleted);
  };

  for (const [fileIndex, file] of expanded.files.entries()) {
    for await (const result of readMarcFile(file)) {
      if (!result.ok) {
        const { scope, ...problem } = result.problem;
        if (scope !== 'file') {
          summary.read++;
          summary.skipped++;
        }
        summary.problems.push(problem);
      } else {
        summary.read++;
        batch.push(result);
        if (batch.length >= batchSize) flush();
      }
      if (summary.read % 250 === 0) opts.onProgress?.({ file, fileIndex, files: expanded.files.length, read: summary.read });
    }
    flush();
    opts.onProgress?.({ file, fileIndex: fileIndex + 1, files: expanded.files.length, read: summary.read });
  }
  flush();

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

  const stats = store.stats();
  summary.works = stats.works;
  summary.sharedWorks = store.sharedWorksOfLibrary(library);
  store.finishIngestRun(runId, now().toISOString(), { ...summary, problems: summary.problems.length, repaired: summary.repaired.length });
  return summary;
}

interface BatchContext {
  library: string;
  profile: HoldingsProfile;
  seen: Set<string>;
  summary: IngestSummary;
  now: () => Date;
}

function storeBatch(
  store: SqliteCatalogStore,
  batch: ReadonlyArray<Extract<MarcReadResult, { ok: true }>>,
  ctx: BatchContext,
): { changed: number[]; deleted: number[] } {
  const dirty = new Set<number>();
  const stamp = ctx.now().toISOString();
  for (const { record, source } of batch) {
    const marcJson = JSON.stringify(record);
    const hash = createHash('sha1').update(`${MAPPING_VERSION}\n${ctx.profile}\n${marcJson}`).digest('hex');
    const mapped = mapRecord(record, { library: ctx.library, holdingsProfile: ctx.profile, fallbackId: hash.slice(0, 12) });
    if (!mapped.ok) {
      ctx.summary.skipped++;
      ctx.summary.problems.push({ file: source.file, position: source.position, reason: mapped.reason });
      continue;
    }
    const doc = mapped.doc;
    // one library may carry the same 001 twice (Koha copies 001 from the source record): keep both, distinctly
    if (ctx.seen.has(doc.id)) {
      let n = 2;
      while (ctx.seen.has(`${doc.id}~${n}`)) n++;
      doc.localId = `${doc.localId}~${n}`;
      doc.id = `${doc.id}~${n}`;
      mapped.warnings.push(`duplicate local id, stored as ${doc.id}`);
    }
    ctx.seen.add(doc.id);
    const warnings = [...source.warnings, ...mapped.warnings];
    if (source.encodingMismatch) warnings.push(`leader/09 does not match the bytes (read as ${source.encoding === 'utf8' ? 'UTF-8' : 'MARC-8'})`);
    if (warnings.length > 0) {
      ctx.summary.warnings++;
      if (ctx.summary.repaired.length < 1000) {
        ctx.summary.repaired.push({ file: source.file, position: source.position, reason: `${doc.id}: ${warnings.join('; ')}` });
      }
    }

    const meta = store.recordMeta(doc.id);
    if (meta && meta.hash === hash) {
      ctx.summary.unchanged++;
      continue;
    }
    const match = findWorkFor(store, doc);
    let workId: number;
    if (match) workId = match.workId;
    else if (meta && store.recordIdsOfWork(meta.workId).length === 1) workId = meta.workId; // alone before, alone now
    else workId = store.createWork();
    store.putRecord(
      {
        doc, marc: record, hash, workId, sourceFormat: source.format, encoding: source.encoding,
        encodingMismatch: source.encodingMismatch, matchedBy: match?.rule ?? null, warnings, now: stamp,
      },
      meta !== undefined,
    );
    dirty.add(workId);
    if (meta) {
      dirty.add(meta.workId);
      ctx.summary.updated++;
    } else {
      ctx.summary.ingested++;
    }
  }
  return rebuildWorks(store, dirty);
}

/** Recomputes the merged documents of the given works; deletes the ones left empty. */
function rebuildWorks(store: SqliteCatalogStore, dirty: ReadonlySet<number>): { changed: number[]; deleted: number[] } {
  const changed: number[] = [];
  const deleted: number[] = [];
  if (dirty.size === 0) return { changed, deleted };
  const seq = store.nextSeq();
  for (const workId of dirty) {
    const docs = store.recordDocsOfWork(workId);
    if (docs.length === 0) {
      store.deleteWork(workId, seq);
      deleted.push(workId);
    } else {
      store.saveWork(mergeWork(workId, docs), seq);
      changed.push(workId);
    }
  }
  return { changed, deleted };
}
