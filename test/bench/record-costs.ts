/**
 * What each step of preparing a record costs, in CPU microseconds per record, one step at a time over
 * the same records (process.cpuUsage, this thread only does the work): reading ISO 2709 / MARCXML,
 * the MARC as JSON and its hash (today's form between the stages and in the database) against the
 * input's ISO 2709 bytes, mapping, the document as JSON, the structured clone a worker's postMessage
 * makes of a batch, and the consumer's JSON.parse. Run on a generated catalog:
 *   node --import tsx test/bench/record-costs.ts <dir of .mrc / .xml files> [max records]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readMarcFile } from '../../src/marc/read-marc-files.ts';
import { writeIso2709 } from '../../src/marc/iso2709-writer.ts';
import { mapRecord } from '../../src/mapping/map-record.ts';
import type { MarcRecord } from '../../src/marc/marc-record.ts';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : /\.(mrc|xml)$/.test(e.name) ? [p] : [];
  });
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '';
  const max = Number(process.argv[3] ?? '20000');
  // steps run a batch of records at a time and the batch is dropped, so that each step pays for its
  // own garbage as it would in the pipeline (holding every record would bill the old generation's GC to whoever runs last)
  const spent = new Map<string, number>();
  const sizes = new Map<string, number>();
  const step = <T>(name: string, fn: () => T): T => {
    const started = cpuMs();
    const out = fn();
    spent.set(name, (spent.get(name) ?? 0) + cpuMs() - started);
    return out;
  };
  const size = (name: string, xs: Array<{ length: number }>): void => {
    sizes.set(name, (sizes.get(name) ?? 0) + xs.reduce((s, x) => s + x.length, 0));
  };
  const batches = <T>(xs: T[]): T[][] => {
    const out: T[][] = [];
    for (let i = 0; i < xs.length; i += 256) out.push(xs.slice(i, i + 256));
    return out;
  };
  const run = (records: MarcRecord[]): void => {
    const marcJson = step('MARC → JSON (JSON.stringify)', () => records.map((r) => JSON.stringify(r)));
    size('MARC → JSON (JSON.stringify)', marcJson);
    step('sha1 of the MARC JSON', () => marcJson.map((j) => createHash('sha1').update(j).digest('hex')));
    const iso = step('MARC → ISO 2709 (writer)', () => records.map((r) => writeIso2709(r)));
    size('MARC → ISO 2709 (writer)', iso);
    step('sha1 of the ISO 2709 bytes', () => iso.map((b) => createHash('sha1').update(b).digest('hex')));
    const mapped = step('map (mapRecord, zod-checked)', () => records.map((r) => mapRecord(r, { library: 'X', holdingsProfile: 'auto', fallbackId: 'x' })));
    const docs = mapped.flatMap((m) => (m.ok ? [m.doc] : []));
    const docJson = step('document → JSON', () => docs.map((d) => JSON.stringify(d)));
    size('document → JSON', docJson);
    const asToday = batches(docJson.map((d, i) => ({ type: 'record', marcJson: marcJson[i], hash: 'h', mapped: { ok: true, docJson: d, warnings: [] } })));
    step('postMessage clone, MARC JSON + doc JSON', () => asToday.map((b) => structuredClone(b)));
    const asBytes = batches(docJson.map((d, i) => ({ type: 'record', marc: iso[i], hash: 'h', mapped: { ok: true, docJson: d, warnings: [] } })));
    step('postMessage clone, ISO 2709 bytes + doc JSON', () => asBytes.map((b) => structuredClone(b)));
    const asObjects = batches(docs.map((d, i) => ({ type: 'record', marc: iso[i], hash: 'h', mapped: { ok: true, doc: d, warnings: [] } })));
    step('postMessage clone, ISO 2709 bytes + doc object', () => asObjects.map((b) => structuredClone(b)));
    step('consumer: JSON.parse(doc JSON)', () => docJson.map((d) => JSON.parse(d) as unknown));
  };

  let n = 0;
  let batch: MarcRecord[] = [];
  let readStarted = cpuMs();
  outer: for (const file of filesUnder(dir)) {
    for await (const r of readMarcFile(file)) {
      if (!r.ok) continue;
      batch.push(r.record);
      n++;
      if (batch.length === 1000 || n >= max) {
        spent.set('read + parse (ISO 2709 / MARCXML)', (spent.get('read + parse (ISO 2709 / MARCXML)') ?? 0) + cpuMs() - readStarted);
        run(batch);
        batch = [];
        readStarted = cpuMs();
        if (n >= max) break outer;
      }
    }
  }
  if (batch.length > 0) run(batch);

  process.stdout.write(`${n} records from ${dir}, CPU µs per record:\n`);
  for (const [name, ms] of spent) {
    const bytes = sizes.get(name);
    process.stdout.write(`  ${name.padEnd(48)} ${((ms * 1000) / n).toFixed(1).padStart(8)}  ${bytes ? `${Math.round(bytes / n)} bytes/record` : ''}\n`);
  }
}

await main();
