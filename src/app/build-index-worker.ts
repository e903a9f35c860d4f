/**
 * The worker thread of buildIndex (catalog-index.ts) for large catalogs: reads every work from
 * its own read-only connection to the data directory's SQLite and analyses the documents (analyze-works.ts), sending batches to
 * the builder, never more than BATCHES_AHEAD ahead. Fed (a catalog it cannot open: PostgreSQL), it
 * parses, checks and analyses the works the builder posts as their stored JSON texts, in their order. Availability is the builder's to fill in.
 */
import { workerData } from 'node:worker_threads';
import { openDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { analyzeDocuments, TermDictionary } from '../search/analyze-works.ts';
import type { IndexedWork } from '../search/index-options.ts';
import { MiniSearchIndex } from '../search/minisearch-index.ts';
import { workToIndexed } from '../search/work-to-indexed.ts';
import { WorkDocument } from '../catalog/work-document.ts';
import { BATCHES_AHEAD, INDEX_BATCH, type FromIndexWorker, type IndexWorkerData, type ToIndexWorker } from '../search/build-index-protocol.ts';

const { source, port, signal } = workerData as IndexWorkerData;

let credits = BATCHES_AHEAD;
let wake: (() => void) | undefined;
let fed: { options: ReturnType<typeof MiniSearchIndex.analysisOptions>; dictionary: TermDictionary } | undefined;
port.on('message', (message: ToIndexWorker) => {
  if (message === 'credit') {
    credits++;
    wake?.();
    wake = undefined;
    return;
  }
  try {
    if (message.type === 'works') {
      fed ??= { options: MiniSearchIndex.analysisOptions(), dictionary: new TermDictionary() };
      post({ type: 'batch', batch: analyzeDocuments(message.works.map((text) => workToIndexed(WorkDocument.parse(JSON.parse(text)), [])), fed.options, fed.dictionary) });
    } else {
      post({ type: 'done' });
    }
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
});

function post(message: FromIndexWorker): void {
  port.postMessage(message, message.type === 'batch' ? [message.batch.terms.buffer as ArrayBuffer] : []);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

async function run(dataDir: string): Promise<void> {
  const db = openDatabase(dataDir, { readonly: true });
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

// fed: the port's messages drive it (above)
if (source.kind === 'sqlite') run(source.dataDir).catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
