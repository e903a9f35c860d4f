/** The `jala` command run by the end-to-end tests, as a process of its own. */
import { execFile, type ChildProcess } from 'node:child_process';
import { JALA_BIN } from './paths.ts';

export interface JalaRun {
  code: number | null;
  /** the signal that ended it, when one did (code is then null) */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How a run ended, for a failed assertion's message: 'exit 1', or 'killed by SIGSEGV'. */
export function howEnded(r: Pick<JalaRun, 'code' | 'signal'>): string {
  return r.code !== null ? `exit ${r.code}` : `killed by ${r.signal ?? 'an unknown signal'}`;
}

/** `jala …` whatever its exit code, with `env` (default: this process's) and `input` on stdin; `child` to watch or stop it. */
export function runJala(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): { child: ChildProcess; done: Promise<JalaRun> } {
  const child = execFile(process.execPath, [JALA_BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...(opts.env ? { env: opts.env } : {}) }, () => {});
  const done = new Promise<JalaRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: string) => (stdout += d));
    child.stderr?.on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  child.stdin?.end(opts.input ?? '');
  return { child, done };
}
