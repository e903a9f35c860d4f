import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { MiniSearchIndex } from './minisearch-index.ts';
import type { IndexedWork } from './index-options.ts';
import { workToIndexed } from './work-to-indexed.ts';

export interface IndexProgress {
  phase: 'build';
  done: number;
  total: number;
}

export interface OpenedIndex {
  index: MiniSearchIndex;
  /** how the index was made ready: loaded as saved, loaded and caught up, or rebuilt */
  how: 'loaded' | 'caught-up' | 'built';
  seq: number;
}

/**
 * Loads the persisted works index of a data directory and brings it up to date with the catalog:
 * a saved index of this catalog is caught up with the works changed since it was saved (no full
 * rebuild); a missing, other-version or other-catalog index is rebuilt (with progress) and saved.
 */
export function openCatalogIndex(
  store: SqliteCatalogStore,
  dataDir: string,
  opts: { onProgress?: (p: IndexProgress) => void; rebuild?: boolean } = {},
): OpenedIndex {
  const catalogId = store.catalogId();
  const seqNow = store.currentSeq();
  const saved = opts.rebuild ? undefined : MiniSearchIndex.load(dataDir);
  if (saved && saved.meta.catalogId === catalogId && saved.meta.seq <= seqNow) {
    if (saved.meta.seq === seqNow) return { index: saved.index, how: 'loaded', seq: seqNow };
    const seq = catchUp(store, saved.index, saved.meta.seq);
    saved.index.save(dataDir, { catalogId, seq });
    return { index: saved.index, how: 'caught-up', seq };
  }
  const index = buildIndex(store, opts.onProgress);
  index.save(dataDir, { catalogId, seq: seqNow });
  return { index, how: 'built', seq: seqNow };
}

/** A fresh index of every work in the catalog. */
export function buildIndex(store: SqliteCatalogStore, onProgress?: (p: IndexProgress) => void): MiniSearchIndex {
  const total = store.workCount();
  const available = store.availableLibrariesByWork();
  function* batches(): Generator<IndexedWork[]> {
    let batch: IndexedWork[] = [];
    let done = 0;
    for (const work of store.allWorks()) {
      batch.push(workToIndexed(work, available.get(work.id) ?? []));
      if (batch.length >= 2000) {
        yield batch;
        done += batch.length;
        batch = [];
        onProgress?.({ phase: 'build', done, total });
      }
    }
    yield batch;
    done += batch.length;
    onProgress?.({ phase: 'build', done, total });
  }
  return MiniSearchIndex.build(batches());
}

/** Applies the works changed and removed since `seq`; returns the catalog's current seq. */
export function catchUp(store: SqliteCatalogStore, index: MiniSearchIndex, seq: number): number {
  const now = store.currentSeq();
  for (const id of store.worksDeletedSince(seq)) index.remove(id);
  for (const work of store.worksChangedSince(seq)) index.upsert(workToIndexed(work, store.availableLibrariesOfWork(work.id)));
  return now;
}

/**
 * After an ingest: bring a persisted index of this catalog up to date (add/replace/discard) so the
 * next start loads it as is. Without a persisted index nothing is done; the next start builds one.
 */
export function updatePersistedIndex(store: SqliteCatalogStore, dataDir: string): 'updated' | 'absent' {
  const saved = MiniSearchIndex.load(dataDir);
  const catalogId = store.catalogId();
  if (!saved || saved.meta.catalogId !== catalogId || saved.meta.seq > store.currentSeq()) return 'absent';
  const seq = catchUp(store, saved.index, saved.meta.seq);
  saved.index.save(dataDir, { catalogId, seq });
  return 'updated';
}
