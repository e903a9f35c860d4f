/**
 * How many pages one more library's records write to the WAL (and so, later, to the database) in an
 * existing catalog: run it on copies of catalogs of several sizes to see whether a record's write
 * cost grows with the catalog. Checkpoints are off for the run, so the WAL holds every page written.
 *   node --import tsx test/bench/wal-per-record.ts <copy of a data dir> <MARC file> <records per transaction>
 * The data directory is written to: never point it at a catalog you keep.
 */
import fs from 'node:fs';
import { ingestMarcFiles } from '../../src/ingest/ingest-marc-files.ts';
import { inThreadPreparer } from '../../src/ingest/prepare-records.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';
const [dir, file, batch] = process.argv.slice(2);
const db = openDatabase(dir!);
db.pragma('wal_checkpoint(TRUNCATE)');
const store = new SqliteCatalogStore(db);
const untune = store.tuneForBulkWrites();
db.pragma('wal_autocheckpoint = 0');
const before = process.cpuUsage();
const s = await ingestMarcFiles({ store, library: 'XTRA', paths: [file!], preparer: inThreadPreparer(), batchSize: Number(batch) });
const cpu = process.cpuUsage(before);
const wal = fs.statSync(`${dir}/jala.db-wal`).size; const ps = db.pragma('page_size', { simple: true }) as number;
console.log(JSON.stringify({ records: s.read, batch: Number(batch), walBytesPerRecord: Math.round(wal / s.read), walPagesPerRecord: +((wal - 32) / (ps + 24) / s.read).toFixed(2), pageSize: ps, cpuUsPerRecord: Math.round((cpu.user + cpu.system) / s.read) }));
untune();
db.close();
