/**
 * The catalog server of a benchmark run (test/bench/protocols-bench.ts), in a process of its own so that its memory is its own:
 * Jala on the run's data directory, its OAI-PMH items brought up to date, the HTTP listener on
 * 127.0.0.1. It answers the bench over IPC: where it listens, its memory (peak since a mark), and
 * the export of union records into the Catmandu OAI peer's store, so that the peer serves the same
 * records. Started by the bench with the data directory in argv[2]; the messages are the bench's
 * (ToBenchServer, FromBenchServer).
 */
import { createCatmanduPeerDb } from '../../test/bench/catmandu-peer-db.ts';
import type { FromBenchServer, ToBenchServer } from '../../test/bench/protocols-bench.ts';
import { createJala } from '../../src/app/create-jala.ts';
import { isControlField, type MarcRecord } from '../../src/marc/marc-record.ts';
import { unionMarc } from '../../src/union-record/union-marc.ts';
import { startCatalogListener } from './catalog-listener.ts';

const MB = 1024 * 1024;

/** A MARC record as Catmandu::MARC keeps it: [tag, ind1, ind2, code, value, …], LDR and control fields with code _. */
function catmanduRecord(r: MarcRecord): string[][] {
  const out: string[][] = [['LDR', ' ', ' ', '_', r.leader]];
  for (const f of r.fields) {
    if (isControlField(f)) out.push([f.tag, ' ', ' ', '_', f.value]);
    else out.push([f.tag, f.ind1, f.ind2, ...f.subfields.flatMap((s) => [s.code, s.value])]);
  }
  return out;
}

async function main(): Promise<void> {
  const dataDir = process.argv[2] as string;
  const send = (m: FromBenchServer): void => void process.send?.(m);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  sampler.unref();
  const started = performance.now();
  const jala = await createJala({ dataDir, warmUp: true });
  const startSeconds = (performance.now() - started) / 1000;
  const items = jala.stores.oaiItems;
  const syncStarted = performance.now();
  items.sync(new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  // the bench is one client making requests as fast as it can: no per-client limit
  Object.assign(jala.config.server, { rateLimitPerMinute: 1_000_000_000 });
  const listener = await startCatalogListener(jala, { port: 0, host: '127.0.0.1', log: () => {} });
  send({ type: 'ready', port: listener.port, syncSeconds, startSeconds, works: jala.store.workCount(), repository: listener.server.repositoryIdentifier, pageSize: jala.config.server.oai.pageSize });
  process.on('message', (raw) => {
    const m = raw as ToBenchServer;
    if (m.type === 'mark') {
      global.gc?.();
      peak = process.memoryUsage().rss;
      send({ type: 'memory', rssMb: peak / MB, peakRssMb: peak / MB, heapMb: process.memoryUsage().heapUsed / MB });
    } else if (m.type === 'memory') {
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      send({ type: 'memory', rssMb: rss / MB, peakRssMb: peak / MB, heapMb: process.memoryUsage().heapUsed / MB });
    } else if (m.type === 'export-peer') {
      try {
        send(exportPeer(m.dbPath, m.limit));
      } catch (err) {
        send({ type: 'failed', message: (err as Error).message });
      }
    } else if (m.type === 'stop') {
      void listener.stop().then(() => {
        jala.close();
        process.exit(0);
      });
    }
  });

  /** The first `limit` works' union records, as the Catmandu OAI peer's SQLite store holds them. */
  function exportPeer(dbPath: string, limit: number): FromBenchServer {
    const t0 = performance.now();
    const peer = createCatmanduPeerDb(dbPath);
    const catalog = jala.stores.servedCatalog;
    let done = 0;
    for (let offset = 0; done < limit; offset += 500) {
      const ids = catalog.allWorkIds(offset, Math.min(500, limit - done));
      if (ids.length === 0) break;
      const works = catalog.works(ids);
      const holdings = catalog.itemsOfWorks(ids);
      const bases = catalog.recordMarcs([...works.values()].map((w) => w.records[0] ?? ''));
      const rows: Array<{ id: string; data: string; datestamp: string }> = [];
      for (const id of ids) {
        const work = works.get(id);
        const base = work ? bases.get(work.records[0] ?? '') : undefined;
        const item = items.item(id);
        if (!work || !base || !item) continue;
        const record = unionMarc({ work, base, items: holdings.get(id) ?? [], repository: listener.server.repositoryIdentifier, datestamp: item.datestamp });
        // Catmandu writes its JSON UTF-8 encoded twice (see test/support/oai-peer.ts): so does this
        const json = Buffer.from(JSON.stringify({ record: catmanduRecord(record) }), 'utf8').toString('latin1');
        rows.push({ id: `w${id}`, data: json, datestamp: item.datestamp });
        done++;
      }
      peer.insertAll(rows);
    }
    peer.close();
    return { type: 'exported', records: done, seconds: (performance.now() - t0) / 1000 };
  }
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies FromBenchServer);
  process.exit(1);
});
