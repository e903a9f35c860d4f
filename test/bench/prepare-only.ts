/**
 * The preparation stage alone, as the worker thread runs it (prepareFiles: read, hash, map; then the
 * document as JSON), over every MARC file under the given paths, one library per file, in this
 * thread: for a --cpu-prof profile of it, or its CPU time.
 *   node --cpu-prof --import tsx test/bench/prepare-only.ts PATH...
 */
import { expandPaths } from '../../src/marc/read-marc-files.ts';
import { prepareFiles } from '../../src/ingest/prepare-records.ts';

const { files } = await expandPaths(process.argv.slice(2));
const started = process.cpuUsage();
let records = 0;
for (const file of files) {
  for await (const item of prepareFiles({ files: [file], library: 'LIB', profile: 'auto' })) {
    if (item.type !== 'record') continue;
    records++;
    if (item.mapped.ok && 'doc' in item.mapped) JSON.stringify(item.mapped.doc);
  }
}
const cpu = process.cpuUsage(started);
process.stdout.write(`${records} records, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${((cpu.user + cpu.system) / records).toFixed(1)} µs per record\n`);
