/**
 * The worker thread of buildIndex (catalog-index.ts) for large catalogs: reads every work from
 * its own read-only connection to the data directory's SQLite and analyses the documents (analyze-works.ts), sending batches to
 * the builder, never more than BATCHES_AHEAD ahead. Availability is the builder's to fill in.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { CatalogSource } from '../catalog/catalog-store.ts';
import { openDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { analyzeDocuments, TermDictionary } from '../search/analyze-works.ts';
import type { IndexedWork } from '../search/index-options.ts';
import { MiniSearchIndex } from '../search/minisearch-index.ts';
import { workToIndexed } from '../search/work-to-indexed.ts';
import { BATCHES_AHEAD, INDEX_BATCH, type FromIndexWorker } from '../search/build-index-protocol.ts';

const { source, port, signal } = workerData as { source: CatalogSource; port: MessagePort; signal: Int32Array };

let credits = BATCHES_AHEAD;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
  wake = undefined;
});

function post(message: FromIndexWorker): void {
  port.postMessage(message, message.type === 'batch' ? [message.batch.terms.buffer as ArrayBuffer] : []);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

async function run(): Promise<void> {
  const db = openDatabase(source.dataDir, { readonly: true });
  try {
    const store = new SqliteCatalogStore(db);
    const options = MiniSearchIndex.analysisOptions();
    const dictionary = new TermDictionary();
    const send = async (docs: IndexedWork[]): Promise<void> => {
      while (credits === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      credits--;
      post({ type: 'batch', batch: analyzeDocuments(docs, options, dictionary) });
    };
    let docs: IndexedWork[] = [];
    for (const work of store.allWorks()) {
      docs.push(workToIndexed(work, []));
      if (docs.length >= INDEX_BATCH) {
        await send(docs);
        docs = [];
      }
    }
    if (docs.length > 0) await send(docs);
    post({ type: 'done' });
  } finally {
    db.close();
  }
}

run().catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
