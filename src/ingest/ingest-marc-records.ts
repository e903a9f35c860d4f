/**
 * Ingest from a stream of read results instead of files: what a harvester (OAI-PMH) feeds in. Records
 * may carry the source's own identifier (`key`, an OAI identifier), which keeps a record's identity across
 * harvests (even when its 001 changes or two records share a 001) and lets a deletion name the record.
 *
 * The store steps (map, deduplicate into a work, store, merge the changed works) are the same as
 * ingestMarcFiles', with the same content hash, so a record ingested from a file and then harvested
 * unchanged stays unchanged.
 */
import { createHash } from 'node:crypto';
import type { HoldingsProfile } from '../config/consortium-config.ts';
import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import type { SqliteHarvestStore } from '../store/sqlite-harvest-store.ts';
import { MAPPING_VERSION, type IngestProblem } from './ingest-marc-files.ts';
import { mapRecord } from '../mapping/map-record.ts';
import type { MarcReadResult } from '../marc/marc-record.ts';
import { placeRecord, rebuildWorks, recordWarnings } from './place-record.ts';

/** One thing a source says: here is a record (under its key), or the record with this key is gone. */
export type IngestItem = { type: 'record'; result: MarcReadResult; key?: string } | { type: 'delete'; key: string };

export interface RecordIngestSummary {
  library: string;
  /** records read (good or bad) */
  read: number;
  ingested: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** records removed because the source deleted them (or a full harvest no longer had them) */
  deleted: number;
  /** deletions of keys Jala never stored: nothing to do */
  deletedUnknown: number;
  /** records stored with a repaired problem */
  warnings: number;
  repaired: IngestProblem[];
  problems: IngestProblem[];
}

export interface SourceKeys {
  /** the source the keys belong to, e.g. "oai:https://opac.example/oai#marc21" */
  source: string;
  harvest: SqliteHarvestStore;
  /** the full harvest in progress: keys seen are marked with it, so that the rest can be removed at the end */
  fullRun?: number;
}

export interface RecordIngesterOptions {
  store: SqliteCatalogStore;
  library: string;
  name?: string;
  holdingsProfile?: HoldingsProfile;
  /** needed when items carry keys or deletions */
  keys?: SourceKeys;
  now?: () => Date;
}

export interface RecordIngester {
  /**
   * Stores a batch in one transaction; `alongside` runs in the same transaction (a harvester saves its
   * resumption point there, so a crash never separates the two). Returns the works changed and removed.
   */
  ingestBatch(items: readonly IngestItem[], alongside?: () => void): { changed: number[]; deleted: number[] };
  /** Removes records by id (a full harvest's leftovers), in batches. */
  deleteRecords(ids: readonly string[]): { changed: number[]; deleted: number[] };
  readonly summary: RecordIngestSummary;
  /** Records the ingest run (for `jala stats`) and returns the summary. */
  finish(): RecordIngestSummary;
}

const MAX_LISTED = 1000;

export function createRecordIngester(opts: RecordIngesterOptions): RecordIngester {
  const { store, library, keys } = opts;
  const now = opts.now ?? (() => new Date());
  const profile = opts.holdingsProfile ?? 'auto';
  const summary: RecordIngestSummary = {
    library, read: 0, ingested: 0, updated: 0, unchanged: 0, skipped: 0, deleted: 0, deletedUnknown: 0, warnings: 0, repaired: [], problems: [],
  };
  store.ensureLibrary(library, opts.name, now().toISOString());
  const runId = store.startIngestRun(library, now().toISOString());
  /** record id → the key that took it in this run ('' without keys) */
  const seen = new Map<string, string>();

  const problem = (p: IngestProblem): void => {
    if (summary.problems.length < MAX_LISTED) summary.problems.push(p);
  };

  /** Is this record id free for the record under `key`? */
  const freeFor = (id: string, key: string | undefined): boolean => {
    const taken = seen.get(id);
    if (taken !== undefined) return key !== undefined && taken === key;
    if (key === undefined || keys === undefined) return true;
    const owner = keys.harvest.keyOfRecord(keys.source, id);
    return owner === undefined || owner === key; // a record stored without a key (from a file) is adopted
  };

  const storeRecord = (result: Extract<MarcReadResult, { ok: true }>, key: string | undefined, dirty: Set<number>, stamp: string): void => {
    const { record, source } = result;
    const marcJson = JSON.stringify(record);
    const hash = createHash('sha1').update(`${MAPPING_VERSION}\n${profile}\n${marcJson}`).digest('hex');
    const mapped = mapRecord(record, { library, holdingsProfile: profile, fallbackId: hash.slice(0, 12) });
    if (!mapped.ok) {
      summary.skipped++;
      problem({ file: source.file, position: source.position, reason: mapped.reason });
      return;
    }
    const doc = mapped.doc;
    const known = key !== undefined && keys !== undefined ? keys.harvest.recordIdForKey(keys.source, key) : undefined;
    let id = known ?? doc.id;
    if (known === undefined && !freeFor(id, key)) {
      let n = 2;
      while (!freeFor(`${doc.id}~${n}`, key)) n++;
      id = `${doc.id}~${n}`;
      mapped.warnings.push(`duplicate local id, stored as ${id}`);
    }
    if (id !== doc.id) {
      doc.id = id;
      doc.localId = id.slice(library.length + 1);
    }
    seen.set(id, key ?? '');
    const warnings = recordWarnings(source, mapped.warnings);
    if (warnings.length > 0) {
      summary.warnings++;
      if (summary.repaired.length < MAX_LISTED) summary.repaired.push({ file: source.file, position: source.position, reason: `${doc.id}: ${warnings.join('; ')}` });
    }
    summary[placeRecord(store, { doc, marc: record, hash, source, warnings, now: stamp }, dirty)]++;
    if (key !== undefined && keys !== undefined) keys.harvest.putKey(keys.source, key, doc.id, keys.fullRun ?? null);
  };

  const removeRecord = (id: string, dirty: Set<number>): boolean => {
    const meta = store.recordMeta(id);
    if (!meta) return false;
    store.deleteRecord(id); // its source keys go with it (ON DELETE CASCADE)
    dirty.add(meta.workId);
    summary.deleted++;
    return true;
  };

  const ingestBatch = (items: readonly IngestItem[], alongside?: () => void): { changed: number[]; deleted: number[] } =>
    store.transaction(() => {
      const dirty = new Set<number>();
      const stamp = now().toISOString();
      for (const item of items) {
        if (item.type === 'delete') {
          if (keys === undefined) throw new Error('ingest-marc-records: a deletion needs source keys');
          const id = keys.harvest.recordIdForKey(keys.source, item.key);
          if (id === undefined || !removeRecord(id, dirty)) {
            keys.harvest.deleteKey(keys.source, item.key);
            summary.deletedUnknown++;
          }
          continue;
        }
        const { result } = item;
        if (!result.ok) {
          const { scope, ...p } = result.problem;
          if (scope !== 'file') {
            summary.read++;
            summary.skipped++;
          }
          problem(p);
          continue;
        }
        summary.read++;
        storeRecord(result, item.key, dirty, stamp);
      }
      const changed = rebuildWorks(store, dirty);
      alongside?.();
      return changed;
    });

  const deleteRecords = (ids: readonly string[]): { changed: number[]; deleted: number[] } => {
    const out = { changed: [] as number[], deleted: [] as number[] };
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      const r = store.transaction(() => {
        const dirty = new Set<number>();
        for (const id of slice) removeRecord(id, dirty);
        return rebuildWorks(store, dirty);
      });
      out.changed.push(...r.changed);
      out.deleted.push(...r.deleted);
    }
    return out;
  };

  return {
    ingestBatch,
    deleteRecords,
    summary,
    finish: () => {
      store.finishIngestRun(runId, now().toISOString(), { ...summary, problems: summary.problems.length, repaired: summary.repaired.length });
      return summary;
    },
  };
}

/** Ingests a stream of records (and deletions) for one library, `batchSize` per transaction. */
export async function ingestMarcRecords(
  opts: RecordIngesterOptions & { items: AsyncIterable<IngestItem>; batchSize?: number; onBatch?: (s: RecordIngestSummary) => void },
): Promise<RecordIngestSummary> {
  const ingester = createRecordIngester(opts);
  const batchSize = opts.batchSize ?? 500;
  let batch: IngestItem[] = [];
  for await (const item of opts.items) {
    batch.push(item);
    if (batch.length >= batchSize) {
      ingester.ingestBatch(batch);
      batch = [];
      opts.onBatch?.(ingester.summary);
    }
  }
  if (batch.length > 0) {
    ingester.ingestBatch(batch);
    opts.onBatch?.(ingester.summary);
  }
  return ingester.finish();
}
