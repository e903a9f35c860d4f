/**
 * `jala serve --z3950 PORT`: simple2zoom started next to Jala's HTTP listener, with a generated
 * configuration, stopped with it. Its log goes to <data dir>/simple2zoom.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { simple2zoomConfig } from './simple2zoom-config.ts';

export interface RunningZ3950 {
  port: number;
  configPath: string;
  stop(): Promise<void>;
}

export class Z3950StartError extends Error {
  constructor(readonly code: 'z3950/not-installed' | 'z3950/exited' | 'z3950/not-listening', message: string) {
    super(message);
    this.name = 'Z3950StartError';
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startSimple2zoom(opts: { port: number; host: string; sruUrl: string; workDir: string }): Promise<RunningZ3950> {
  fs.mkdirSync(opts.workDir, { recursive: true });
  const configPath = path.join(opts.workDir, 'simple2zoom.xml');
  fs.writeFileSync(configPath, simple2zoomConfig(opts.sruUrl));
  const log = fs.openSync(path.join(opts.workDir, 'simple2zoom.log'), 'a');
  let child: ChildProcess;
  try {
    child = spawn('simple2zoom', ['-c', configPath, `tcp:${opts.host}:${opts.port}`], { stdio: ['ignore', log, log] });
  } finally {
    fs.closeSync(log);
  }
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (err) => resolve(err));
  });
  if (spawned) {
    throw new Z3950StartError('z3950/not-installed', `simple2zoom could not be started (${spawned.message}): apt-get install libnet-z3950-simple2zoom-perl`);
  }
  const probeHost = opts.host === '0.0.0.0' || opts.host === '@' ? '127.0.0.1' : opts.host;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Z3950StartError('z3950/exited', `simple2zoom exited with code ${child.exitCode} (see ${path.join(opts.workDir, 'simple2zoom.log')})`);
    if (await listening(probeHost, opts.port)) {
      return {
        port: opts.port,
        configPath,
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await Promise.race([exited, sleep(3000)]);
          if (child.exitCode === null) child.kill('SIGKILL');
        },
      };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Z3950StartError('z3950/not-listening', `simple2zoom did not listen on port ${opts.port} within 10 s`);
}
