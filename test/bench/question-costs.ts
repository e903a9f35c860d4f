/**
 * What each bench question costs when asked afresh, measured steadily on a shared machine: on a
 * data directory a kept bench run left (`jala bench --keep DIR`), every question is asked `--reps`
 * times with the index's search and typo caches emptied before each ask (as the bench asks it: once,
 * after the warm-up), and its median CPU time is kept. Prints the p50/p95/p99/max per kind and the
 * most costly questions; `--only N,M` asks just those question numbers (for a profile with
 * `node --cpu-prof`); `--answers FILE` writes every answer as JSON, one a line, to compare versions.
 *
 *   node --import tsx test/bench/question-costs.ts /work/bench/100k [--reps 5] [--top 20] [--only 12,40] [--answers FILE]
 */
import fs from 'node:fs';
import path from 'node:path';
import { createJala } from '../../src/app/create-jala.ts';
import { MiniSearchIndex } from '../../src/search/minisearch-index.ts';
import type { BenchQuestion } from './generate-marc.ts';
import { percentile } from './percentile.ts';
import { readKeptQuestions } from './kept-catalog.ts';



/** The index instances that answered, to empty their caches between asks. */
const seen = new Set<MiniSearchIndex>();
const proto = MiniSearchIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['searchCounted', 'listFiltered', 'typoTerms', 'suggest', 'knows']) {
  const original = proto[name] as (...args: unknown[]) => unknown;
  proto[name] = function (this: MiniSearchIndex, ...args: unknown[]): unknown {
    seen.add(this);
    return original.apply(this, args);
  };
}
function emptyCaches(): void {
  for (const index of seen) {
    const inner = index as unknown as { cache: { clear(): void }; typos: Map<string, unknown> };
    inner.cache.clear();
    inner.typos.clear();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keep = args.find((a) => !a.startsWith('--') && !/^[\d,]+$/.test(a));
  if (keep === undefined) throw new Error('usage: question-costs.ts KEEP_DIR [--reps N] [--top N] [--only N,M] [--answers FILE]');
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const reps = Math.max(1, Number(option('--reps') ?? 5));
  const top = Number(option('--top') ?? 20);
  const only = option('--only')?.split(',').map(Number);
  const answersFile = option('--answers');
  const manifest = readKeptQuestions(keep);
  const questions = manifest.questions;
  const jala = await createJala({ dataDir: path.join(keep, 'data'), warmUp: true });
  try {
    for (const q of manifest.warmupQuestions) jala.ask(q.text);
    const at = only ?? questions.map((_, i) => i);
    const cpu = new Map<number, number>();
    const answers: string[] = [];
    for (const i of at) {
      const q = questions[i] as BenchQuestion;
      const times: number[] = [];
      for (let r = 0; r < reps; r++) {
        emptyCaches();
        const c0 = process.cpuUsage();
        const a = jala.ask(q.text);
        const c = process.cpuUsage(c0);
        times.push((c.user + c.system) / 1000);
        if (r === 0 && answersFile) answers.push(JSON.stringify({ i, q: q.text, a }));
      }
      cpu.set(i, percentile(times, 50));
    }
    if (answersFile) fs.writeFileSync(answersFile, `${answers.join('\n')}\n`);
    const all = [...cpu.values()];
    const row = (xs: number[]): string => `${[50, 95, 99].map((p) => percentile(xs, p).toFixed(2)).join(' / ')} max ${Math.max(...xs).toFixed(2)}`;
    const lines = [`questions ${at.length}, reps ${reps}: cpu ms p50/p95/p99 ${row(all)}, sum ${all.reduce((a, b) => a + b, 0).toFixed(0)}`];
    for (const kind of [...new Set(at.map((i) => (questions[i] as BenchQuestion).kind))]) {
      const xs = at.filter((i) => (questions[i] as BenchQuestion).kind === kind).map((i) => cpu.get(i) as number);
      lines.push(`  ${kind.padEnd(13)} n=${String(xs.length).padStart(3)} ${row(xs)}`);
    }
    const order = [...cpu.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
    lines.push(`most costly ${order.length} (median cpu ms):`);
    for (const [i, t] of order) lines.push(`  #${i} ${t.toFixed(2)} ${(questions[i] as BenchQuestion).kind}: ${JSON.stringify((questions[i] as BenchQuestion).text)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    jala.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
