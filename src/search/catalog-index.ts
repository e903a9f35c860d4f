import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { CatalogSource, CatalogStore } from '../catalog/catalog-store.ts';
import { startTypeScriptWorker } from '../common/typescript-worker.ts';
import type { AnalyzedBatch } from './analyze-works.ts';
import { BATCHES_AHEAD, INDEX_BATCH, type FromIndexWorker, type IndexWorkerData, type ToIndexWorker } from './build-index-protocol.ts';
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
  store: CatalogStore,
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
    return { index: compact(saved.index, dataDir), how: 'caught-up', seq };
  }
  buildAndSave(store, dataDir, { catalogId, seq: seqNow }, opts.onProgress);
  // read back in the compact form only once the built index is gone: both at once were the peak of a bulk load
  const loaded = MiniSearchIndex.load(dataDir);
  if (loaded) return { index: loaded.index, how: 'built', seq: seqNow };
  // the file just saved cannot be read back (the disk failing): built again, served as built
  return { index: buildIndex(store, opts.onProgress), how: 'built', seq: seqNow };
}

/**
 * A fresh index of the catalog, saved and let go: a built index holds its terms and documents in
 * MiniSearch's maps, several times the memory of the compact form a load gives.
 */
function buildAndSave(store: CatalogStore, dataDir: string, meta: { catalogId: string; seq: number }, onProgress?: (p: IndexProgress) => void): void {
  buildIndex(store, onProgress).save(dataDir, meta);
}

/**
 * The index just saved, in the compact form a load gives (a built or changed index holds its
 * terms and documents in MiniSearch's maps, several times the memory), and answering as the next
 * start will; `index` itself when the saved file cannot be read back.
 */
function compact(index: MiniSearchIndex, dataDir: string): MiniSearchIndex {
  return index.frozen ? index : (MiniSearchIndex.load(dataDir)?.index ?? index);
}

/** From this many works on, the works are analysed by a worker thread while this one posts (read by the worker from a SQLite file, else read here and handed to it). */
const WORKER_BUILD_WORKS = 50_000;

/** How buildIndex built: a worker reading the catalog itself, a worker fed by this thread, or this thread alone. */
export type IndexBuildWay = 'worker' | 'fed-worker' | 'this-thread';

/** A fresh index of every work in the catalog. */
export function buildIndex(
  store: CatalogStore,
  onProgress?: (p: IndexProgress) => void,
  opts: {
    workerFrom?: number;
    /** told why the worker thread failed, when the build falls back to this thread */
    onWorkerFailed?: (why: string) => void;
    /** told how the index was built */
    onBuilt?: (way: IndexBuildWay) => void;
  } = {},
): MiniSearchIndex {
  const total = store.workCount();
  if (total >= (opts.workerFrom ?? WORKER_BUILD_WORKS) && availableParallelism() > 1) {
    // the worker reads through a connection of its own (it would not see this one's uncommitted
    // writes); a catalog it cannot open (PostgreSQL: see CatalogSource) is read here and the works
    // are handed to it, so that the text analysis still runs on the other core
    const source = store.sharedSource();
    const built = buildWithWorker(store, source, total, onProgress);
    if (built instanceof MiniSearchIndex) {
      opts.onBuilt?.(source ? 'worker' : 'fed-worker');
      return built;
    }
    opts.onWorkerFailed?.(built.failed);
  }
  opts.onBuilt?.('this-thread');
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

/** How long the builder waits for the worker's next batch before giving up on it. */
const WORKER_SILENCE_MS = 60_000;

/**
 * buildIndex with the text analysis in a worker thread (build-index-worker.ts) and the posting here.
 * With a `source` the worker reads the works itself; without one (a catalog it cannot open) this
 * thread reads them and hands them over, a few batches ahead. Synchronous like the in-thread build:
 * this thread sleeps on a shared counter the worker bumps after each message. Why it failed when the
 * worker fails or falls silent (the caller then builds in this thread: the same index, slower).
 */
function buildWithWorker(store: CatalogStore, source: CatalogSource | undefined, total: number, onProgress?: (p: IndexProgress) => void): MiniSearchIndex | { failed: string } {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = startTypeScriptWorker(new URL('../app/build-index-worker.ts', import.meta.url), {
    workerData: { source: source ?? { kind: 'fed' }, port: port2, signal } satisfies IndexWorkerData,
    transferList: [port2],
  });
  try {
    // availability is read here while the worker starts on the works: the ones it reads itself, or,
    // fed, the first FIRST_FEED batches, posted before (the read takes 1.7 s at 1M on PostgreSQL)
    const feed = source === undefined ? feedWorks(store, port1) : undefined;
    feed?.fill(FIRST_FEED);
    const available = store.availableLibrariesByWork();
    let failed: string | undefined;
    let done = 0;
    function* batches(): Generator<AnalyzedBatch> {
      for (;;) {
        feed?.fill();
        const seen = Atomics.load(signal, 0);
        const received = receiveMessageOnPort(port1);
        if (!received) {
          if (Atomics.wait(signal, 0, seen, WORKER_SILENCE_MS) === 'timed-out') {
            failed = `no batch for ${WORKER_SILENCE_MS / 1000} s`;
            return;
          }
          continue;
        }
        const message = received.message as FromIndexWorker;
        if (message.type === 'done') return;
        if (message.type === 'failed') {
          failed = message.message;
          return;
        }
        if (feed) feed.received();
        else port1.postMessage('credit');
        const { batch } = message;
        batch.stored.forEach((stored, i) => {
          if (stored) stored.avail = available.get(batch.ids[i] as number) ?? [];
        });
        yield batch;
        done += batch.ids.length;
        onProgress?.({ phase: 'build', done, total });
      }
    }
    const index = MiniSearchIndex.buildAnalyzed(batches());
    return failed !== undefined ? { failed } : index;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/**
 * Batches posted to a fed worker before availability is read: about the works it analyses while this
 * thread waits for that read at 1M (0.1 s a batch).
 */
const FIRST_FEED = 16;

/**
 * The works of a catalog the worker cannot open, read here and posted to it in batches, at most
 * BATCHES_AHEAD unanswered (`upTo` more once): `fill` tops the batches in flight up (and says 'end' after the last),
 * `received` is called for each analysed batch that comes back.
 */
function feedWorks(store: CatalogStore, port: MessagePort): { fill(upTo?: number): void; received(): void } {
  const works = store.allWorkTexts();
  let inFlight = 0;
  let ended = false;
  return {
    fill: (upTo = BATCHES_AHEAD) => {
      while (!ended && inFlight < upTo) {
        const batch: string[] = [];
        for (let next = works.next(); !next.done; next = works.next()) {
          batch.push(next.value);
          if (batch.length >= INDEX_BATCH) break;
        }
        if (batch.length > 0) {
          port.postMessage({ type: 'works', works: batch } satisfies ToIndexWorker);
          inFlight++;
        }
        if (batch.length < INDEX_BATCH) {
          port.postMessage({ type: 'end' } satisfies ToIndexWorker);
          ended = true;
        }
      }
    },
    received: () => {
      inFlight--;
    },
  };
}

/** Applies the works changed and removed since `seq`; returns the catalog's current seq. */
export function catchUp(store: CatalogStore, index: MiniSearchIndex, seq: number): number {
  const now = store.currentSeq();
  for (const id of store.worksDeletedSince(seq)) index.remove(id);
  for (const work of store.worksChangedSince(seq)) index.upsert(workToIndexed(work, store.availableLibrariesOfWork(work.id)));
  return now;
}

/**
 * After an ingest: bring a persisted index of this catalog up to date (add/replace/discard) so the
 * next start loads it as is. Without a persisted index nothing is done; the next start builds one.
 */
export function updatePersistedIndex(store: CatalogStore, dataDir: string): 'updated' | 'absent' {
  const saved = MiniSearchIndex.load(dataDir);
  const catalogId = store.catalogId();
  if (!saved || saved.meta.catalogId !== catalogId || saved.meta.seq > store.currentSeq()) return 'absent';
  const seq = catchUp(store, saved.index, saved.meta.seq);
  saved.index.save(dataDir, { catalogId, seq });
  return 'updated';
}
