/** What the index-building worker (build-index-worker.ts) sends to buildIndex, and how far ahead. */
import type { AnalyzedBatch } from './analyze-works.ts';

export type FromIndexWorker = { type: 'batch'; batch: AnalyzedBatch } | { type: 'done' } | { type: 'failed'; message: string };

/** documents per batch */
export const INDEX_BATCH = 2000;
/** batches analysed ahead of the builder */
export const BATCHES_AHEAD = 4;
