/**
 * WAL checkpoints from a thread of their own, for a long run of writes (an ingest).
 *
 * In WAL mode every commit appends the pages it changed to the -wal file, and a checkpoint copies
 * them back into the database. By default the committing connection does that itself once the WAL
 * passes its autocheckpoint size, in the middle of the ingest's main thread: at a million records
 * about a third of that thread's commit time. Here a second connection, in a worker thread, runs
 * PASSIVE checkpoints every few hundred milliseconds: they never block the writer (nor wait for it),
 * and the writer's own autocheckpoint stays as a backstop should they fall behind. Durability is
 * unchanged: the same checkpoints, run by another connection.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
let stopping = false;
let timer;
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // the database is busy with a schema change or being closed: the writer's autocheckpoint still runs
  }
  if (!stopping) timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', () => {
  stopping = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
timer = setTimeout(tick, workerData.intervalMs);
`;

/** Stops the checkpointer; `closed` settles once its thread has closed its connection and exited. */
export type StopCheckpoints = (() => void) & { readonly closed: Promise<void> };

/** Starts checkpointing the database file from a worker thread; the function returned stops it. */
export function startBackgroundCheckpoints(file: string, intervalMs = 250): StopCheckpoints {
  const require = createRequire(import.meta.url);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, sqlite: require.resolve('better-sqlite3') } });
  worker.unref();
  // a checkpointer that cannot open the file or dies leaves the writer's own checkpoints in charge
  worker.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return Object.assign(
    () => {
      worker.postMessage('stop');
    },
    { closed },
  );
}
