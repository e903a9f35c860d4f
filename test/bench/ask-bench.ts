/**
 * The bench's answering step alone, on a data directory a kept bench run left (`jala bench --keep DIR`):
 * the same questions and warm-up, the same answer digest, and per question the CPU time of the
 * process as well as the wall time — on a shared machine the CPU time is the steadier figure. With
 * several passes (each on a freshly started Jala, so the search cache starts empty) a question's
 * figure is its fastest pass. Prints p50/p95/p99 per kind and the slowest 1 % of the questions.
 *
 *   node --import tsx test/bench/ask-bench.ts /work/bench/100k [--passes 3] [--slowest 6] [--json] [--no-warm-up]
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createJala } from '../../src/app/create-jala.ts';
import type { BenchQuestion } from './generate-marc.ts';
import { percentile } from './percentile.ts';
import { readKeptQuestions } from './kept-catalog.ts';



async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keep = args.find((a) => !a.startsWith('--'));
  if (keep === undefined) throw new Error('usage: ask-bench.ts KEEP_DIR [--passes N] [--slowest N] [--json]');
  const option = (name: string, dflt: number): number => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : dflt;
  };
  const passes = Math.max(1, option('--passes', 1));
  const manifest = readKeptQuestions(keep);
  const questions = manifest.questions;
  const cpu = new Array<number>(questions.length).fill(Number.POSITIVE_INFINITY);
  const wall = new Array<number>(questions.length).fill(Number.POSITIVE_INFINITY);
  let answers: string[] = [];
  let coldStart = 0;
  const perPass: string[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    const jala = await createJala({ dataDir: path.join(keep, 'data'), warmUp: !args.includes('--no-warm-up') });
    coldStart = (performance.now() - started) / 1000;
    try {
      for (const q of manifest.warmupQuestions) jala.ask(q.text);
      const found: string[] = [];
      const passWall: number[] = [];
      for (const [i, q] of questions.entries()) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const a = jala.ask(q.text);
        const t = performance.now() - t0;
        const c = process.cpuUsage(c0);
        passWall.push(t);
        wall[i] = Math.min(wall[i] as number, t);
        cpu[i] = Math.min(cpu[i] as number, (c.user + c.system) / 1000);
        found.push(`${a.step} ${a.total} ${a.results.map((r) => r.workId).join(',')}`);
      }
      perPass.push(`pass ${pass + 1}: cold start ${coldStart.toFixed(2)} s, wall p50/p95/p99 ${[50, 95, 99].map((p) => percentile(passWall, p).toFixed(2)).join(' / ')} ms (max ${Math.max(...passWall).toFixed(1)})`);
      if (pass > 0 && found.join('\n') !== answers.join('\n')) throw new Error('the answers differ between passes');
      answers = found;
    } finally {
      jala.close();
    }
  }
  const digest = createHash('sha1').update(answers.join('\n')).digest('hex');
  const kinds = [...new Set(questions.map((q) => q.kind))];
  const row = (xs: number[]): string => [50, 95, 99].map((p) => percentile(xs, p).toFixed(2)).join(' / ');
  const lines: string[] = [];
  lines.push(`questions ${questions.length}, passes ${passes}, cold start ${coldStart.toFixed(2)} s, digest ${digest.slice(0, 12)}`);
  if (passes > 1) lines.push(...perPass);
  lines.push(`all: wall p50/p95/p99 ${row(wall)} ms (max ${Math.max(...wall).toFixed(1)}); cpu ${row(cpu)} ms (max ${Math.max(...cpu).toFixed(1)}, sum ${cpu.reduce((a, b) => a + b, 0).toFixed(0)})`);
  for (const kind of kinds) {
    const at = questions.flatMap((q, i) => (q.kind === kind ? [i] : []));
    lines.push(`  ${kind.padEnd(13)} n=${String(at.length).padStart(3)} wall ${row(at.map((i) => wall[i] as number))}  cpu ${row(at.map((i) => cpu[i] as number))}`);
  }
  const slowest = Math.max(1, option('--slowest', Math.ceil(questions.length / 100)));
  const order = questions.map((_, i) => i).sort((a, b) => (wall[b] as number) - (wall[a] as number));
  lines.push(`slowest ${slowest} (wall / cpu ms):`);
  for (const i of order.slice(0, slowest)) {
    const q = questions[i] as BenchQuestion;
    lines.push(`  #${i} ${(wall[i] as number).toFixed(1)} / ${(cpu[i] as number).toFixed(1)} ${q.kind}: ${JSON.stringify(q.text)} → ${(answers[i] ?? '').split(' ').slice(0, 2).join(' ')}`);
  }
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ digest, wall, cpu, answers })}\n`);
  else process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
