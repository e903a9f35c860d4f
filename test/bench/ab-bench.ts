/**
 * Two builds of Jala compared question by question in one process, for a shared, noisy machine:
 * the answering code of two checkouts (say a worktree at main's commit and a branch) is loaded side
 * by side on a data directory a kept bench run left (`jala bench --keep DIR`), both warmed up, and
 * every question is asked of both in turn (which one first alternates), each ask with the index's
 * search and typo caches emptied, as question-costs.ts asks. Each question's figure is its median
 * CPU time over the rounds. Separate runs of ask-bench.ts on a loaded machine differed by ±20 %;
 * here both builds see the same load within milliseconds of each other, and an A/A run (the same
 * build twice) shows the floor: a geometric mean ratio within ~2 % of 1. Every answer is compared
 * too (the whole answer as JSON): the run fails when a question is answered differently.
 *
 *   node --import tsx test/bench/ab-bench.ts KEEP_DIR --old /work/wt/main-copy [--new .] [--reps 3] [--only 12,40]
 */
import path from 'node:path';
import { readKeptQuestions } from './kept-catalog.ts';
import { percentile } from './percentile.ts';

interface Side {
  name: string;
  ask: (text: string) => unknown;
  emptyCaches: () => void;
  close: () => void;
}

/** One checkout's Jala on the data directory, with its index's caches reachable (question-costs.ts' way). */
async function loadSide(name: string, root: string, dataDir: string): Promise<Side> {
  const { createJala } = (await import(path.join(root, 'src/app/create-jala.ts'))) as typeof import('../../src/app/create-jala.ts');
  const { MiniSearchIndex } = (await import(path.join(root, 'src/search/minisearch-index.ts'))) as typeof import('../../src/search/minisearch-index.ts');
  const seen = new Set<unknown>();
  const proto = MiniSearchIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['searchCounted', 'listFiltered', 'typoTerms', 'suggest', 'knows']) {
    const original = proto[method];
    if (original === undefined) continue;
    proto[method] = function (this: unknown, ...args: unknown[]): unknown {
      seen.add(this);
      return original.apply(this, args);
    };
  }
  const jala = await createJala({ dataDir, warmUp: true });
  return {
    name,
    ask: (text) => jala.ask(text),
    emptyCaches: () => {
      for (const index of seen) {
        const inner = index as { cache?: { clear(): void }; typos?: Map<string, unknown> };
        inner.cache?.clear();
        inner.typos?.clear();
      }
    },
    close: () => jala.close(),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const keep = args.find((a, i) => !a.startsWith('--') && (i === 0 || !(args[i - 1] as string).startsWith('--')));
  const oldRoot = option('--old');
  if (keep === undefined || oldRoot === undefined) throw new Error('usage: ab-bench.ts KEEP_DIR --old CHECKOUT [--new CHECKOUT] [--reps N] [--only N,M]');
  const newRoot = path.resolve(option('--new') ?? '.');
  const reps = Math.max(1, Number(option('--reps') ?? 3));
  const manifest = readKeptQuestions(keep);
  const dataDir = path.join(keep, 'data');
  const sides = [await loadSide('old', path.resolve(oldRoot), dataDir), await loadSide('new', newRoot, dataDir)];
  for (const side of sides) for (const q of manifest.warmupQuestions) side.ask(q.text);
  const only = option('--only')?.split(',').map(Number) ?? manifest.questions.map((_, i) => i);
  const times = sides.map(() => only.map((): number[] => []));
  const differ: number[] = [];
  for (let round = 0; round < reps; round++) {
    only.forEach((qi, k) => {
      const text = manifest.questions[qi]?.text ?? '';
      const order = (round + k) % 2 === 0 ? [0, 1] : [1, 0];
      const answers: string[] = [];
      for (const s of order) {
        const side = sides[s] as Side;
        side.emptyCaches();
        const c0 = process.cpuUsage();
        const answer = side.ask(text);
        const c = process.cpuUsage(c0);
        (times[s]?.[k] as number[]).push((c.user + c.system) / 1000);
        answers.push(JSON.stringify(answer));
      }
      if (answers[0] !== answers[1] && !differ.includes(qi)) differ.push(qi);
    });
  }
  const median = (xs: number[]): number => percentile(xs, 50);
  const medians = times.map((perQuestion) => perQuestion.map(median));
  const lines = [`questions ${only.length}, rounds ${reps}, cpu ms (each question's median)`];
  sides.forEach((side, s) => {
    const m = medians[s] as number[];
    lines.push(`  ${side.name}: p50/p95/p99 ${[50, 95, 99].map((p) => percentile(m, p).toFixed(2)).join(' / ')}, sum ${m.reduce((a, b) => a + b, 0).toFixed(0)}`);
  });
  const [a, b] = medians as [number[], number[]];
  const logRatio = a.reduce((sum, x, k) => sum + Math.log((b[k] as number) / x), 0) / a.length;
  lines.push(`  new/old, geometric mean of the questions' ratios: ${Math.exp(logRatio).toFixed(3)}`);
  const heavy = a.flatMap((x, k) => (x > 5 ? [k] : []));
  lines.push(`  the ${heavy.length} questions over 5 ms (old): sum old ${heavy.reduce((s, k) => s + (a[k] as number), 0).toFixed(0)}, new ${heavy.reduce((s, k) => s + (b[k] as number), 0).toFixed(0)}`);
  lines.push(differ.length === 0 ? '  answers: identical' : `  answers DIFFER for questions ${differ.join(',')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const side of sides) side.close();
  if (differ.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
