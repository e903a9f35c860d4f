/**
 * Placing records into works for the bulk path (issue 22, item 3): the per-record path's placeRecord
 * and rebuildWorks (src/ingest/place-record.ts) with deduplication in memory (src/dedup/in-memory-dedup.ts)
 * and each work merged as few times as possible:
 * - a record's work is found by the same findWorkFor, asking the maps instead of the store;
 * - a work opened by a batch is merged and saved at the end of that batch, from the document in hand;
 * - a work that gains a record later is only marked, and merged once, from its records read back, by
 *   `finish` after the last library (the per-record path merges it again at every batch that touches it).
 *
 * The catalog it leaves is the per-record path's (same works, members, documents: the digest of `jala
 * stats --digest` is equal); work ids too, as works are opened by the store in the same order. Only
 * for a load into a new file (BulkCatalogFile): every record is new, and libraries do not repeat.
 */
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import { findWorkFor } from '../dedup/assign-work.ts';
import { InMemoryDedup } from '../dedup/in-memory-dedup.ts';
import { mergeWork } from '../dedup/merge-work.ts';
import { recordRow, type PlaceRecordInput } from './place-record.ts';

/** Works whose members `finish` reads back in one go. */
const READ_BACK_WORKS = 500;

export class BulkWorkPlacer {
  private readonly dedup = new InMemoryDedup();
  /** works opened in the current batch, with their one record */
  private opened = new Map<number, RecordDocument>();
  /** works that gained a record after the batch that opened them: merged by `finish` */
  private readonly grown = new Set<number>();
  private finished = false;

  /** Stores a new record in its work (found in memory) or in a new one; `onDedup` is told how long finding took. */
  place(store: CatalogStore, input: PlaceRecordInput, onDedup?: (ms: number) => void): void {
    if (this.finished) throw new Error('BulkWorkPlacer: place after finish');
    const { doc } = input;
    const started = onDedup ? performance.now() : 0;
    const match = findWorkFor(this.dedup, doc);
    onDedup?.(performance.now() - started);
    let workId: number;
    if (match) {
      workId = match.workId;
      // a work opened in this batch holds this library's record, so it is never a match: always an older one
      this.grown.add(workId);
    } else {
      workId = store.createWork();
      this.opened.set(workId, doc);
    }
    this.dedup.add(doc, workId);
    store.putRecord(recordRow(input, workId, match?.rule ?? null), false);
  }

  /** Ends a batch (inside its transaction): the works it opened are saved, merged from their one record. */
  endBatch(store: CatalogStore, onMerge?: (ms: number) => void): number[] {
    if (this.opened.size === 0) return [];
    const seq = store.nextSeq();
    const changed: number[] = [];
    for (const [workId, doc] of this.opened) {
      const started = onMerge ? performance.now() : 0;
      const merged = mergeWork(workId, [doc]);
      onMerge?.(performance.now() - started);
      store.saveWork(merged, seq);
      changed.push(workId);
    }
    this.opened = new Map();
    return changed;
  }

  /** Works in the catalog, and works holding this library's records with another library's (the ingest summary's figures). */
  workCount(): number {
    return this.dedup.workCount();
  }

  sharedWorksOfLibrary(library: string): number {
    return this.dedup.sharedWorksOfLibrary(library);
  }

  /**
   * After the last library: every work that grew is merged once from all its records (read back from
   * the store, in one transaction). `onMerge` is told the merging time, without the reads and writes.
   */
  finish(store: CatalogStore, onMerge?: (ms: number) => void): void {
    if (this.opened.size > 0) throw new Error('BulkWorkPlacer: finish inside a batch');
    this.finished = true;
    // nothing more is placed: the keys and matching fields can go before the works are read back
    this.dedup.releaseMatching();
    if (this.grown.size === 0) return;
    const grown = [...this.grown].sort((a, b) => a - b);
    store.transaction(() => {
      const seq = store.nextSeq();
      // the members of a few hundred works read back at a time: one query each where the store is a server
      for (let i = 0; i < grown.length; i += READ_BACK_WORKS) {
        const chunk = grown.slice(i, i + READ_BACK_WORKS);
        const stored = store.storedRecordDocs(chunk.flatMap((workId) => this.dedup.recordIdsOfWork(workId)));
        for (const workId of chunk) {
          const docs: RecordDocument[] = [];
          for (const id of this.dedup.recordIdsOfWork(workId)) {
            const doc = stored.get(id);
            if (!doc) throw new Error(`BulkWorkPlacer: record ${id} of work ${workId} is not in the store`);
            docs.push(doc);
          }
          const started = onMerge ? performance.now() : 0;
          const merged = mergeWork(workId, docs);
          onMerge?.(performance.now() - started);
          store.saveWork(merged, seq);
        }
      }
    });
    this.grown.clear();
  }
}
