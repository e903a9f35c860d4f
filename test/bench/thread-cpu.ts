/**
 * CPU time per thread of this process, for the benchmark's per-stage split: on a machine shared with
 * other work, wall-clock seconds say how long a stage waited for a core as much as how much it used.
 * Linux only (it reads /proc/self/task); elsewhere the snapshot is empty and the figures are absent.
 */
import fs from 'node:fs';

export interface CpuSnapshot {
  /** milliseconds of CPU of the whole process, exited threads included */
  total: number;
  /** milliseconds of CPU of each live thread, by thread id; the main thread's id is the process id */
  threads: Map<number, number>;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function cpuSnapshot(): CpuSnapshot {
  const usage = process.cpuUsage();
  const threads = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    // not Linux
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // the thread ended meanwhile
    }
  }
  return { total: (usage.user + usage.system) / 1000, threads };
}

/** CPU seconds between two snapshots: the main thread, the busiest other thread, and the rest (GC helpers, exited threads…). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): { total: number; main: number; busiest: number; other: number } | undefined {
  if (after.threads.size === 0) return undefined;
  const delta = (tid: number): number => (after.threads.get(tid) ?? 0) - (before.threads.get(tid) ?? 0);
  const main = delta(process.pid);
  let busiest = 0;
  for (const tid of after.threads.keys()) if (tid !== process.pid) busiest = Math.max(busiest, delta(tid));
  const total = after.total - before.total;
  return { total: total / 1000, main: main / 1000, busiest: busiest / 1000, other: Math.max(0, total - main - busiest) / 1000 };
}
