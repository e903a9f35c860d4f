/**
 * A record-by-record `jala ingest` of one library holds that library's reindex lock while it stores,
 * as a reindex of the library does (reindex-runner.ts). So it does not run beside a full load (whose
 * swap would then fail as store/catalog-changed, the whole build wasted), a reindex of every library,
 * or a reindex or ingest of the same library; other libraries' reindexes and ingests go on beside it.
 * Refused, it says what holds the lock; a full load or reindex asked meanwhile is told it is running.
 *
 * Unlike the full-load lock (full-load-lock.ts) it uses the ingest's own connection: the ingest keeps
 * its store open throughout, and a second connection of the same process to a SQLite file would wait
 * on the ingest's own write lock.
 */
import os from 'node:os';
import type { HarvestStore } from './harvest-store.ts';
import { describeLock, REINDEX_HEARTBEAT_MS, reindexLockAlive, type RunningReindex } from './reindex-runner.ts';

export type LibraryLoadLock =
  | {
      ok: true;
      /** refreshes the lock when a heartbeat is due (call it as the load goes) */
      beat(): void;
      release(): void;
    }
  | { ok: false; running: RunningReindex };

/** Takes `library`'s reindex lock for a load by `by`, or says who holds a lock in its way. */
export function takeLibraryLoadLock(harvest: HarvestStore, library: string, by: string, opts: { replace?: boolean; now?: () => Date } = {}): LibraryLoadLock {
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const id = `ingest-${Date.parse(startedAt).toString(36)}`;
  const holder = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}:${id}`;
  // --replace makes the library's records those of the files: a full load of that library
  const running: RunningReindex = { id, mode: opts.replace ? 'full' : 'incremental', trigger: 'cli', library, startedAt, by };
  const description = JSON.stringify(running);
  const taken = harvest.tryLock({ holder, pid: process.pid, description, scope: library }, startedAt, (lock) => reindexLockAlive(lock, now()));
  if (!taken.ok) return { ok: false, running: describeLock(taken.lock) };
  let lastBeat = Date.parse(startedAt);
  let released = false;
  return {
    ok: true,
    beat: () => {
      const at = now();
      if (released || at.getTime() - lastBeat < REINDEX_HEARTBEAT_MS) return;
      lastBeat = at.getTime();
      try {
        harvest.heartbeat(holder, at.toISOString(), description);
      } catch {
        // the next beat tries again; a lock left without beats is judged by its process (same host) or its age
      }
    },
    release: () => {
      if (released) return;
      released = true;
      try {
        harvest.unlock(holder);
      } catch {
        // the connection failed under the load: the lock is dead once this process is gone (same host) or stale
      }
    },
  };
}
