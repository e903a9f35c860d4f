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

let credits = BATCHES_IN_FLIGHT;
let wake: (() => void) | undefined;
const jobs: PrepareJob[] = [];
let running = false;

port.on('message', (m: ToWorker) => {
  if (m.type === 'credit') {
    credits++;
    wake?.();
    wake = undefined;
  } else {
    jobs.push(m.job);
    if (!running) void runJobs();
  }
});

async function send(items: PreparedItem[]): Promise<void> {
  while (credits === 0) {
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  credits--;
  port?.postMessage({ type: 'items', items } satisfies FromWorker);
}

async function runJobs(): Promise<void> {
  running = true;
  for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
    credits = BATCHES_IN_FLIGHT;
    const timings: PrepareTimings = { parse: 0, map: 0 };
    try {
      let batch: PreparedItem[] = [];
      for await (const item of prepareFiles(job, timings)) {
        if (item.type === 'record' && item.mapped.ok && 'doc' in item.mapped) {
          const started = performance.now();
          batch.push({ ...item, mapped: { ok: true, docJson: JSON.stringify(item.mapped.doc), warnings: item.mapped.warnings } });
          timings.map += performance.now() - started;
        } else {
          batch.push(item);
        }
        if (batch.length >= ITEMS_PER_BATCH || item.type === 'file-end') {
          await send(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await send(batch);
      port?.postMessage({ type: 'done', timings } satisfies FromWorker);
    } catch (err) {
      port?.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
    }
  }
  running = false;
}
