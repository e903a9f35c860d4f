/**
 * The worker thread of createWorkerPreparer (prepare-records.ts): for each job, read, hash and map
 * the records and send them back in batches, never more than BATCHES_IN_FLIGHT ahead of the consumer.
 * Documents travel as JSON, the form they are stored in.
 */
import { parentPort } from 'node:worker_threads';
import {
  BATCHES_IN_FLIGHT, ITEMS_PER_BATCH, prepareFiles, type FromWorker, type PrepareJob, type PreparedItem, type PrepareTimings, type ToWorker,
} from './prepare-records.ts';

const port = parentPort;
if (!port) throw new Error('prepare-records-worker.ts runs in a worker thread');

// credits are counted over all jobs: the consumer returns one for every batch, read or dropped
let credits = BATCHES_IN_FLIGHT;
let wake: (() => void) | undefined;
const jobs: Array<{ id: number; job: PrepareJob }> = [];
const cancelled = new Set<number>();
let running = false;

port.on('message', (m: ToWorker) => {
  if (m.type === 'credit') credits++;
  else if (m.type === 'cancel') cancelled.add(m.id);
  else {
    jobs.push({ id: m.id, job: m.job });
    if (!running) void runJobs();
    return;
  }
  wake?.();
  wake = undefined;
});

/** Sends a batch when the consumer has room for it; false when the job was cancelled meanwhile. */
async function send(id: number, items: PreparedItem[]): Promise<boolean> {
  while (credits === 0 && !cancelled.has(id)) {
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  if (cancelled.has(id)) return false;
  credits--;
  port?.postMessage({ type: 'items', job: id, items } satisfies FromWorker);
  return true;
}

async function runJobs(): Promise<void> {
  running = true;
  for (let next = jobs.shift(); next !== undefined; next = jobs.shift()) {
    const { id, job } = next;
    if (cancelled.delete(id)) continue;
    const timings: PrepareTimings = { parse: 0, map: 0 };
    try {
      let batch: PreparedItem[] = [];
      let sent = true;
      for await (const item of prepareFiles(job, timings)) {
        if (item.type === 'record' && item.mapped.ok && 'doc' in item.mapped) {
          const started = performance.now();
          batch.push({ ...item, mapped: { ok: true, docJson: JSON.stringify(item.mapped.doc), warnings: item.mapped.warnings } });
          timings.map += performance.now() - started;
        } else {
          batch.push(item);
        }
        if (batch.length >= ITEMS_PER_BATCH || item.type === 'file-end') {
          sent = await send(id, batch);
          batch = [];
          if (!sent) break;
        }
      }
      if (sent && batch.length > 0) sent = await send(id, batch);
      if (sent) port?.postMessage({ type: 'done', job: id, timings } satisfies FromWorker);
    } catch (err) {
      port?.postMessage({ type: 'failed', job: id, message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
    }
    cancelled.delete(id);
  }
  running = false;
}
