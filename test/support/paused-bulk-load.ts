/**
 * A full reindex by the bulk path (test/support/bulk-load-crash.ts, as `jala reindex --full` runs it)
 * in a child process that pauses itself (SIGSTOP) at one point of its build, holding what the build
 * holds there (SQLite: the file being built, locked; PostgreSQL: its session, transaction and advisory
 * lock), until `resume()` sends it SIGCONT.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/config/data-dir.ts';

const CRASH_CHILD = path.join(PACKAGE_ROOT, 'test', 'support', 'bulk-load-crash.ts');

export interface PausedBulkLoad {
  /** lets the build go on; resolves with what it printed at its end (stages passed, ok, code) */
  resume(): Promise<{ stages: string[]; used: boolean; ok?: boolean; code?: string }>;
  /** SIGKILLs it if it is still there (for a test that failed half-way) */
  kill(): void;
}

/** Starts the child and resolves once it has stopped at `stage`. */
export async function pausedBulkLoad(dataDir: string, stage: string, env: NodeJS.ProcessEnv = process.env): Promise<PausedBulkLoad> {
  const child = spawn(process.execPath, ['--import', 'tsx', CRASH_CHILD, '--data-dir', dataDir, '--stop-at', stage], { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let exited = false;
  const ended = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      exited = true;
      resolve(code);
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`stopped at ${stage}\n`)) resolve();
    });
    void ended.then((code) => reject(new Error(`the bulk load ended (${code}) before it reached ${stage}: ${out}`)), reject);
  });
  return {
    resume: async () => {
      child.kill('SIGCONT');
      const code = await ended;
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) throw new Error(`the bulk load exited ${code}: ${out}`);
      return JSON.parse(last) as { stages: string[]; used: boolean; ok?: boolean; code?: string };
    },
    kill: () => {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
