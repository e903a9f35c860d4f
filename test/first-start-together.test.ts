/**
 * Replicas started together on an empty consortium (issue 20): the first start loads the sample
 * consortium by the bulk path; a second process starting while that load runs waits for it, then
 * serves the catalog it built. Before, the second one stored the same records one by one beside the
 * build, so the build's swap failed (the catalog had changed under it) and was wasted. Real processes
 * (test/support/first-start-child.ts), on SQLite and on a real PostgreSQL (skipped with one line
 * without it). The first process's build is held at one point of its load (it holds what a running
 * full load holds) until the second says it waits: no reliance on timing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { sampleDataDir } from './support/sample-jala.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { describeWithTools } from './support/system-tools.ts';

const CHILD = path.join(PACKAGE_ROOT, 'test', 'support', 'first-start-child.ts');
const WAITING = 'another process is loading the union catalog: waiting for it to finish';

interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** set once it has exited */
  ended: () => boolean;
}

function child(args: string[], url: string | undefined): Child {
  const env = { ...process.env };
  delete env.JALA_DATABASE_URL;
  if (url !== undefined) env.JALA_DATABASE_URL = url;
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    p.once('close', (code) => {
      ended = true;
      resolve(code);
    }),
  );
  return { process: p, stdout: () => out, stderr: () => err, exited, ended: () => ended };
}

async function until(what: string, ok: () => boolean, who: Child[], ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    const gone = who.some((c) => c.ended());
    if (gone || Date.now() > deadline) throw new Error(`${gone ? 'a process ended' : 'timed out'} waiting for ${what}\n${who.map((c) => `--- stdout\n${c.stdout()}\n--- stderr\n${c.stderr()}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lastJson = (text: string): Record<string, unknown> => JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;

async function startTogether(url: string | undefined): Promise<void> {
  const { dataDir, configPath } = sampleDataDir(undefined, { prefix: 'jala-first-start-' });
  const go = path.join(dataDir, 'go');
  const holder = child(['--role', 'hold', '--data-dir', dataDir, '--config', configPath, '--go', go], url);
  const starters: Child[] = [];
  try {
    await until('the first process to hold its full load', () => holder.stdout().includes('paused'), [holder]);
    const starter = child(['--role', 'start', '--data-dir', dataDir, '--config', configPath], url);
    starters.push(starter);
    // the second process says it waits for the first one's load, and does not start without it
    await until('the second process to wait', () => starter.stderr().includes(WAITING), [holder, starter]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(starter.stdout()).toBe('');
    fs.writeFileSync(go, '');
    expect(await holder.exited).toBe(0);
    // the first process's build was swapped in: nobody changed the catalog under it
    expect(lastJson(holder.stdout())).toEqual({ used: true, ok: true });
    expect(await starter.exited).toBe(0);
    const ready = lastJson(starter.stdout());
    expect(ready.answered).toBe(true);
    expect(Number(ready.records)).toBeGreaterThan(1000);
    // a third start, on the loaded catalog, sees the same catalog and waits for nothing
    const third = child(['--role', 'start', '--data-dir', dataDir, '--config', configPath], url);
    starters.push(third);
    expect(await third.exited).toBe(0);
    expect(third.stderr()).not.toContain(WAITING);
    expect(lastJson(third.stdout())).toEqual(ready);
  } finally {
    fs.writeFileSync(go, '');
    for (const c of [holder, ...starters]) c.process.kill('SIGKILL');
  }
}

describe('replicas starting together on an empty consortium (SQLite)', () => {
  it('the second waits for the first one\'s full load, then serves the catalog it built', async () => {
    await startTogether(undefined);
  }, 180_000);
});

describeWithTools([POSTGRES_TOOL], 'replicas starting together on an empty consortium (PostgreSQL)', () => {
  const postgres = usePostgresServer();

  it('the second waits for the first one\'s full load, then serves the catalog it built', async () => {
    await startTogether(postgres().createDatabase());
  }, 180_000);
});
