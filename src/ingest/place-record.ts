import type { CatalogStore, NewRecordRow } from '../catalog/catalog-store.ts';
import { findWorkFor } from '../dedup/assign-work.ts';
import type { MarcRecord, MarcSource } from '../marc/marc-record.ts';
import { mergeWork } from '../dedup/merge-work.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import { recordWarning, type RecordWarning } from '../catalog/record-warning.ts';

/**
 * The step every ingest shares (files, OAI-PMH harvests): a mapped record goes into the store and
 * into its work, then the touched works are merged again. Callers run it inside their transaction.
 */

/** The reader's repairs and the mapping's warnings, with a note when leader/09 lied about the encoding. */
export function recordWarnings(source: MarcSource, mappedWarnings: readonly RecordWarning[]): RecordWarning[] {
  const warnings = [...source.warnings.map((w) => recordWarning('marc/repaired', w)), ...mappedWarnings];
  if (source.encodingMismatch) warnings.push(recordWarning('marc/encoding-mismatch', `leader/09 does not match the bytes (read as ${source.encoding === 'utf8' ? 'UTF-8' : 'MARC-8'})`));
  return warnings;
}

export interface PlaceRecordInput {
  doc: RecordDocument;
  /** `doc` already serialised, when the caller has it */
  docJson?: string | undefined;
  /** the MARC record, or the form it is stored in (its JSON, or the ISO 2709 bytes it was read from) */
  marc?: MarcRecord;
  storedMarc?: string | Uint8Array;
  /** content hash: an unchanged record is left alone */
  hash: string;
  source: MarcSource;
  warnings: RecordWarning[];
  now: string;
}

export type PlaceOutcome = 'ingested' | 'updated' | 'unchanged';

/** The store's row for a placed record: in `workId`, matched there by `matchedBy` (null: it opened the work). */
export function recordRow(input: PlaceRecordInput, workId: number, matchedBy: string | null): NewRecordRow {
  const { source } = input;
  return {
    doc: input.doc,
    ...(input.docJson !== undefined ? { docJson: input.docJson } : {}),
    ...(input.marc !== undefined ? { marc: input.marc } : {}),
    ...(input.storedMarc !== undefined ? { storedMarc: input.storedMarc } : {}),
    hash: input.hash, workId, sourceFormat: source.format, encoding: source.encoding,
    encodingMismatch: source.encodingMismatch, matchedBy, warnings: input.warnings, now: input.now,
  };
}

/**
 * Stores one record unless it is unchanged: finds its work (RecordManager's candidate order and
 * vetoes), keeps a record that was alone in its work there, else opens a new work. Adds every work
 * it touched to `dirty`; `onDedup` is told how long finding the work took.
 */
export function placeRecord(store: CatalogStore, input: PlaceRecordInput, dirty: Set<number>, onDedup?: (ms: number) => void): PlaceOutcome {
  const { doc } = input;
  const meta = store.recordMeta(doc.id);
  if (meta && meta.hash === input.hash) return 'unchanged';
  const started = onDedup ? performance.now() : 0;
  const match = findWorkFor(store, doc);
  onDedup?.(performance.now() - started);
  let workId: number;
  if (match) workId = match.workId;
  else if (meta && store.recordIdsOfWork(meta.workId).length === 1) workId = meta.workId; // alone before, alone now
  else workId = store.createWork();
  store.putRecord(recordRow(input, workId, match?.rule ?? null), meta !== undefined);
  dirty.add(workId);
  if (!meta) return 'ingested';
  dirty.add(meta.workId);
  return 'updated';
}

/**
 * Recomputes the merged documents of the given works and deletes the ones left empty, under one new
 * change sequence. `stored` holds documents written in this batch, so they need no read-back.
 */
export function rebuildWorks(
  store: CatalogStore,
  dirty: ReadonlySet<number>,
  opts: { stored?: ReadonlyMap<string, RecordDocument>; onMerge?: (ms: number) => void } = {},
): { changed: number[]; deleted: number[] } {
  const changed: number[] = [];
  const deleted: number[] = [];
  if (dirty.size === 0) return { changed, deleted };
  const seq = store.nextSeq();
  for (const workId of dirty) {
    const started = opts.onMerge ? performance.now() : 0;
    const docs = opts.stored ? membersOf(store, workId, opts.stored) : store.recordDocsOfWork(workId);
    if (docs.length === 0) {
      store.deleteWork(workId, seq);
      deleted.push(workId);
    } else {
      const merged = mergeWork(workId, docs);
      opts.onMerge?.(performance.now() - started);
      store.saveWork(merged, seq);
      changed.push(workId);
    }
  }
  return { changed, deleted };
}

/** The documents of a work's records, in id order, taking the ones stored in this batch from memory. */
function membersOf(store: CatalogStore, workId: number, stored: ReadonlyMap<string, RecordDocument>): RecordDocument[] {
  const docs: RecordDocument[] = [];
  for (const { id } of store.recordIdsOfWork(workId)) {
    const doc = stored.get(id) ?? store.storedRecordDoc(id);
    if (doc) docs.push(doc);
  }
  return docs;
}
