/** What the index-building worker (build-index-worker.ts) sends to buildIndex, and how far ahead. */
import type { MessagePort } from 'node:worker_threads';
import type { CatalogSource } from '../catalog/catalog-store.ts';
import type { AnalyzedBatch } from './analyze-works.ts';

/**
 * What the worker is started with: the catalog to read, or 'fed' when buildIndex reads it and posts
 * the works (ToIndexWorker); the port it answers on; the counter it bumps after each answer.
 */
export interface IndexWorkerData {
  source: CatalogSource | { kind: 'fed' };
  port: MessagePort;
  signal: Int32Array;
}

/**
 * What buildIndex sends: a credit for one more batch ahead (the worker reads), or works to analyse
 * and their end (fed). The works go as their stored JSON texts, which the worker parses and checks:
 * a string crosses threads as one copy, a parsed document as a graph serialized here and rebuilt there.
 */
export type ToIndexWorker = 'credit' | { type: 'works'; works: string[] } | { type: 'end' };

export type FromIndexWorker = { type: 'batch'; batch: AnalyzedBatch } | { type: 'done' } | { type: 'failed'; message: string };

/** documents per batch */
export const INDEX_BATCH = 2000;
/** batches analysed ahead of the builder */
export const BATCHES_AHEAD = 4;
