import { spawn } from 'node:child_process';
import { MIN_WAIT_MS } from './wait-for.ts';

/**
 * Runs a program to its end, asynchronously — the server it talks to lives in the test's own
 * process, so a blocking spawnSync would keep it from answering. Resolves with the exit code and
 * the output; kills the program after `timeoutMs`.
 */
export function runTool(command: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(opts.timeoutMs ?? 0, MIN_WAIT_MS));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // a program that does not read its input may exit before it is written: that is no failure
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
