/**
 * Where the CPU of a profiled benchmark step went, by stage: each sample of a V8 .cpuprofile (node
 * --cpu-prof) is charged to the deepest frame on its stack that lies in a stage's sources (so that
 * SQLite's native calls count as store, and JSON.parse counts for whoever called it), or to GC, or
 * to "other". Usage: node --import tsx bench/cpu-profile-split.ts <dir or .cpuprofile files…>
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Stages by source path, first match wins. */
const STAGES: ReadonlyArray<[string, RegExp]> = [
  ['parse', /\/src\/marc\//],
  ['map', /\/src\/mapping\/|\/src\/ingest\/prepare-records/],
  ['dedup', /\/src\/dedup\//],
  ['store', /\/src\/store\/|better-sqlite3/],
  ['index', /\/src\/search\//],
  ['ingest', /\/src\/ingest\//],
  ['zod', /\/node_modules\/zod\//],
];

function stageOf(url: string): string | undefined {
  for (const [stage, re] of STAGES) if (re.test(url)) return stage;
  return undefined;
}

/** Milliseconds of samples per stage in one profile. */
export function splitProfile(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const stage = new Map<number, string>();
  const visit = (id: number, inherited: string): void => {
    const node = byId.get(id);
    if (!node) return;
    const name = node.callFrame.functionName;
    const own = name === '(garbage collector)' ? 'gc' : name === '(idle)' ? 'idle' : name === '(program)' ? 'program' : stageOf(node.callFrame.url);
    const s = own ?? inherited;
    stage.set(id, s);
    for (const c of node.children ?? []) visit(c, s);
  };
  const root = profile.nodes[0];
  if (root) visit(root.id, 'other');
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const s = stage.get(id) ?? 'other';
    out.set(s, (out.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const files = args.flatMap((a) => (fs.statSync(a).isDirectory() ? fs.readdirSync(a).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(a, f)) : [a]));
  for (const file of files.sort()) {
    const split = splitProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
    const busy = [...split].filter(([s]) => s !== 'idle').reduce((n, [, ms]) => n + ms, 0);
    const parts = [...split].sort((a, b) => b[1] - a[1]).map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)}`);
    process.stdout.write(`${path.basename(file)}: busy ${(busy / 1000).toFixed(1)} s — ${parts.join(', ')}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
