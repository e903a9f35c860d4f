/**
 * A digest of everything the preparation stage makes of some MARC files, record by record: the
 * reader's result (the MarcRecord, its source with warnings, or the problem), the stored form and
 * hash of prepareRecord, the mapped document (as the worker sends it: JSON) and its warnings, under
 * each holdings profile asked for. Made to prove that a change to reading or mapping changes no
 * output: run it on the old code, keep the lines, run it on the new code and compare.
 *   node --import tsx test/bench/prepared-digest.ts [--profiles auto,koha952,…] [--out FILE] [--compare FILE] PATH...
 * Prints the number of records and problems and one digest over all; with --compare, the first
 * lines that differ (and exits 1 when any does).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { expandPaths, readMarcFile } from '../../src/marc/read-marc-files.ts';
import { prepareRecord } from '../../src/ingest/prepare-records.ts';
import type { HoldingsProfile } from '../../src/config/consortium-config.ts';

function sha1(text: string | Uint8Array): string {
  return createHash('sha1').update(text).digest('hex');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let profiles: HoldingsProfile[] = ['auto'];
  let out: string | undefined;
  let compare: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--profiles') profiles = (args[++i] ?? '').split(',') as HoldingsProfile[];
    else if (a === '--out') out = args[++i];
    else if (a === '--compare') compare = args[++i];
    else paths.push(a);
  }
  const { files, problems } = await expandPaths(paths);
  const lines: string[] = problems.map((p) => `path\t${p.file}\t${sha1(JSON.stringify(p))}`);
  let records = 0;
  let failed = 0;
  for (const file of files) {
    for await (const r of readMarcFile(file)) {
      if (!r.ok) {
        failed++;
        lines.push(`problem\t${r.problem.file}\t${r.problem.position}\t${sha1(JSON.stringify(r.problem))}`);
        continue;
      }
      records++;
      const parts = [JSON.stringify(r.record), JSON.stringify(r.source)];
      for (const profile of profiles) {
        const item = prepareRecord(r, { library: 'LIB', profile });
        const marc = typeof item.marc === 'string' ? item.marc : sha1(item.marc);
        const mapped = item.mapped.ok && 'doc' in item.mapped ? { ok: true, docJson: JSON.stringify(item.mapped.doc), warnings: item.mapped.warnings } : item.mapped;
        parts.push(profile, marc, item.hash, JSON.stringify(mapped));
      }
      lines.push(`record\t${r.source.file}\t${r.source.position}\t${sha1(parts.join('\n'))}`);
    }
  }
  const all = sha1(lines.join('\n'));
  process.stdout.write(`${files.length} files, ${records} records, ${failed} problems, profiles ${profiles.join(',')}: digest ${all}\n`);
  if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
  if (compare) {
    const old = fs.readFileSync(compare, 'utf8').split('\n').filter((l) => l !== '');
    let differ = 0;
    for (let i = 0; i < Math.max(old.length, lines.length); i++) {
      if (old[i] === lines[i]) continue;
      if (differ++ < 10) process.stdout.write(`differs at line ${i + 1}:\n  old ${old[i] ?? '(none)'}\n  new ${lines[i] ?? '(none)'}\n`);
    }
    process.stdout.write(differ === 0 ? `same as ${compare} (${old.length} lines)\n` : `${differ} lines differ from ${compare}\n`);
    if (differ > 0) process.exitCode = 1;
  }
}

await main();
