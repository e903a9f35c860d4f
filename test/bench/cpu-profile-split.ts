/**
 * Where the CPU of a profiled benchmark step went, by stage: each sample of a V8 .cpuprofile (node
 * --cpu-prof) is charged to the deepest frame on its stack that lies in a stage's sources (so that
 * SQLite's native calls count as store, and JSON.parse counts for whoever called it), or to GC, or
 * to "other". Usage: node --import tsx test/bench/cpu-profile-split.ts [--top N] <dir or .cpuprofile files…>
 * (--top N: also the N functions with the most samples of their own, and their time with callees;
 * --by-total: the N with the most time with callees)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
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
  ['store', /\/src\/store(-postgres)?\/|better-sqlite3|\/node_modules\/(pg-native|libpq)\//],
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

/**
 * Milliseconds of samples per function: in its own code (`self`, not its callees) and with its callees
 * (`total`, each sample counted once per function however deep the recursion), most `self` first.
 */
export function functionTimes(profile: CpuProfile): Array<{ name: string; where: string; self: number; total: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (frame: ProfileNode['callFrame']): string => `${frame.functionName}@${frame.url}:${frame.lineNumber ?? 0}`;
  const out = new Map<string, { name: string; where: string; self: number; total: number }>();
  const entry = (frame: ProfileNode['callFrame']): { name: string; where: string; self: number; total: number } => {
    const key = keyOf(frame);
    let e = out.get(key);
    if (!e) {
      const where = `${frame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${(frame.lineNumber ?? 0) + 1}`;
      e = { name: frame.functionName || '(anonymous)', where, self: 0, total: 0 };
      out.set(key, e);
    }
    return e;
  };
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (!leaf) return;
    entry(leaf.callFrame).self += ms;
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = byId.get(parent.get(n.id) ?? -1)) {
      const key = keyOf(n.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      entry(n.callFrame).total += ms;
    }
  });
  return [...out.values()].sort((a, b) => b.self - a.self);
}

function main(): void {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 0;
  const byTotalAt = args.indexOf('--by-total');
  const byTotal = byTotalAt >= 0 && args.splice(byTotalAt, 1).length > 0;
  const files = args.flatMap((a) => (fs.statSync(a).isDirectory() ? fs.readdirSync(a).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(a, f)) : [a]));
  for (const file of files.sort()) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    const split = splitProfile(profile);
    const busy = [...split].filter(([s]) => s !== 'idle').reduce((n, [, ms]) => n + ms, 0);
    const parts = [...split].sort((a, b) => b[1] - a[1]).map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)}`);
    process.stdout.write(`${path.basename(file)}: busy ${(busy / 1000).toFixed(1)} s — ${parts.join(', ')}\n`);
    if (top > 0) process.stdout.write('  self s  self %  total s  function\n');
    const functions = functionTimes(profile);
    if (byTotal) functions.sort((a, b) => b.total - a.total);
    for (const f of functions.slice(0, top)) {
      process.stdout.write(`  ${(f.self / 1000).toFixed(2).padStart(6)} ${((100 * f.self) / busy).toFixed(1).padStart(6)} ${(f.total / 1000).toFixed(2).padStart(8)}  ${f.name}  ${f.where}\n`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
