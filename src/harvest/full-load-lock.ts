/**
 * A full load (the bulk path: `jala reindex --full`, the first load of an empty consortium) holds the
 * reindex lock of every library for as long as it runs, as a reindex of every library does
 * (reindex-runner.ts): a library's reindex or harvest (another process's, another replica's, the
 * schedule's) is refused meanwhile with what is running, and a full load does not start while one
 * runs. Before, the two ran side by side and the full load's swap then failed as
 * store/catalog-changed, the whole build wasted.
 *
 * The store is opened only for each step (take, beat, let go) and closed again: on SQLite the swap
 * needs the live file to itself, so no connection of the load may stay open on it.
 */
import os from 'node:os';
import { ALL_LIBRARIES, type HarvestStore } from './harvest-store.ts';
import { describeLock, REINDEX_HEARTBEAT_MS, reindexLockAlive, type RunningReindex } from './reindex-runner.ts';

export interface OpenedHarvestStore {
  harvest: HarvestStore;
  close(): void;
}

/** Who a full load says holds the lock (RunningReindex.by): how another full load knows it. */
export const FULL_LOAD_BY = 'a full load (bulk path)';

export type FullLoadLock = { ok: true; release(): void } | { ok: false; running: RunningReindex };

function using<T>(open: () => OpenedHarvestStore, fn: (harvest: HarvestStore) => T): T {
  const opened = open();
  try {
    return fn(opened.harvest);
  } finally {
    opened.close();
  }
}

/** Takes the lock of every library for a full load, or says who holds a lock in its way. */
export function takeFullLoadLock(open: () => OpenedHarvestStore, now: () => Date = () => new Date()): FullLoadLock {
  const startedAt = now().toISOString();
  const id = `bulk-${Date.parse(startedAt).toString(36)}`;
  const holder = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}:${id}`;
  const running: RunningReindex = { id, mode: 'full', trigger: 'cli', startedAt, by: FULL_LOAD_BY };
  const description = JSON.stringify(running);
  const taken = using(open, (harvest) =>
    harvest.tryLock({ holder, pid: process.pid, description, scope: ALL_LIBRARIES }, startedAt, (lock) => reindexLockAlive(lock, now())),
  );
  if (!taken.ok) return { ok: false, running: describeLock(taken.lock) };
  const beat = setInterval(() => {
    try {
      using(open, (harvest) => harvest.heartbeat(holder, now().toISOString(), description));
    } catch {
      // the next beat tries again; a lock left without beats is judged by its process (same host) or its age
    }
  }, REINDEX_HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return {
    ok: true,
    release: () => {
      if (released) return;
      released = true;
      clearInterval(beat);
      using(open, (harvest) => harvest.unlock(holder));
    },
  };
}
