import type { CatalogChanges } from '../catalog/catalog-changes.ts';

export interface FollowCatalogDeps {
  changes: CatalogChanges;
  /** the catalog's change sequence now */
  currentSeq: () => number;
  /** the change sequence the index in use reflects */
  indexedSeq: () => number;
  /** a transaction of this process is open on the catalog: what it wrote is not committed yet, so not indexed yet */
  busy?: () => boolean;
  /** catch the index up (off to the side, then swapped in) */
  refresh: () => { how: string; seq: number };
  /** no two catch-ups closer than this (a catch-up at 1M works blocks answering for about a second) */
  minIntervalMs?: number;
  /** changes are gathered this long before a catch-up */
  settleMs?: number;
  /** a line for the log: caught up, or why it could not */
  say?: (line: string) => void;
}

/**
 * Keeps a running Jala's search index in step with changes made elsewhere (another replica's harvest, a
 * `jala ingest` beside the bot): when the catalog says it changed and its change sequence is not the
 * one the index reflects, the index is caught up and swapped in, at most once per `minIntervalMs`.
 * A catch-up that fails (the database unreachable) is logged and tried again `minIntervalMs` later.
 * Returns the stop.
 */
export function followCatalog(deps: FollowCatalogDeps): () => void {
  const minInterval = deps.minIntervalMs ?? 10_000;
  const settle = deps.settleMs ?? 250;
  let timer: NodeJS.Timeout | undefined;
  let lastRun = -Infinity;
  let stopped = false;
  const run = (): void => {
    timer = undefined;
    if (stopped) return;
    if (deps.busy?.()) {
      // an ingest of this process between two batches: come back when it has committed
      timer = setTimeout(run, settle);
      timer.unref();
      return;
    }
    lastRun = Date.now();
    try {
      const before = deps.indexedSeq();
      if (deps.currentSeq() === before) return;
      const r = deps.refresh();
      deps.say?.(`jala: the search index followed the catalog from change ${before} to ${r.seq} (${r.how})`);
    } catch (e) {
      deps.say?.(`jala: the search index could not follow the catalog (${e instanceof Error ? e.message : String(e)}); trying again in ${Math.round(minInterval / 1000)} s`);
      if (!stopped) {
        timer = setTimeout(run, minInterval);
        timer.unref();
      }
    }
  };
  const stopWatching = deps.changes.watch(() => {
    if (stopped || timer) return;
    const wait = Math.max(settle, lastRun + minInterval - Date.now());
    timer = setTimeout(run, wait);
    timer.unref();
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    stopWatching();
  };
}
