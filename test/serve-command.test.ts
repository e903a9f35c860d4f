/**
 * `jala serve` as a server deployment runs it: the HTTP listener on JALA_HTTP_PORT / JALA_HTTP_HOST
 * with /sru, /oai and /health, Z39.50 with --z3950, a clean stop on SIGTERM; `npm start` (jala
 * start) runs the listener beside the terminal chat when JALA_HTTP_PORT is set; bad settings stop
 * it with one readable line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import { freePort } from './support/oai-peer.ts';
import { JALA_BIN } from './support/paths.ts';
import { runTool } from './support/run-tool.ts';
import { sampleDataDir } from './support/sample-jala.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { MIN_WAIT_MS, waitFor } from './support/wait-for.ts';

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function startJala(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [JALA_BIN, ...args], { env: { ...process.env, ...env, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdin.on('error', () => {});
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function healthy(base: string, started: Started, timeoutMs = MIN_WAIT_MS): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (started.child.exitCode !== null) throw new Error(`jala exited with ${started.child.exitCode}: ${started.output()}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return (await res.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`no /health within ${timeoutMs} ms: ${started.output()}`);
    await sleep(100);
  }
}

describe('jala serve', () => {
  let dataDir: string;

  beforeAll(async () => {
    // a data directory with the sample consortium ingested, as an operator's would be
    ({ dataDir } = sampleDataDir(() => {}, { prefix: 'jala-serve-' }));
    const jala = await createJala({ dataDir, ingestMissing: true });
    jala.close();
  });

  let running: Started | undefined;
  afterAll(async () => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  });

  it('serves /sru, /oai and /health on JALA_HTTP_PORT and JALA_HTTP_HOST, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    running = startJala(['serve', '--data-dir', dataDir], { JALA_HTTP_PORT: String(port), JALA_HTTP_HOST: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    const health = await healthy(base, running);
    expect(health).toMatchObject({ status: 'ok', consortium: 'Jala demo consortium (sample data)' });
    expect(health.works).toBeGreaterThan(1000);
    expect(running.output()).toContain(`HTTP listening on 127.0.0.1:${port}`);
    const sru = await (await fetch(`${base}/sru?query=bath.isbn%3D9789793062792`)).text();
    expect(sru).toContain('<zs:numberOfRecords>1</zs:numberOfRecords>');
    const oai = await (await fetch(`${base}/oai?verb=Identify`)).text();
    expect(oai).toContain('<repositoryName>Jala demo consortium (sample data)</repositoryName>');
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it.each([
    [['serve'], { JALA_HTTP_PORT: 'eighty' }, 'JALA_HTTP_PORT must be a port number'],
    [['serve', '--z3950', 'x'], {}, '--z3950 takes a port number'],
  ])('stops with one readable line on bad settings: %j %j', async (args, env, message) => {
    const r = startJala([...args, '--data-dir', dataDir], env as Record<string, string>);
    expect(await r.exited).toBe(2);
    expect(r.output()).toContain(message);
    expect(r.output()).not.toMatch(/\n\s+at /);
  });

  it('says which port it cannot listen on', async () => {
    const port = await freePort();
    const first = startJala(['serve', '--data-dir', dataDir], { JALA_HTTP_PORT: String(port), JALA_HTTP_HOST: '127.0.0.1' });
    await healthy(`http://127.0.0.1:${port}`, first);
    const second = startJala(['serve', '--data-dir', dataDir], { JALA_HTTP_PORT: String(port), JALA_HTTP_HOST: '127.0.0.1' });
    expect(await second.exited).toBe(2);
    expect(second.output()).toContain(`cannot listen on 127.0.0.1:${port}`);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('stops with a readable error at start-up when Discord rejects the token (the one process leads and starts the gateway)', async () => {
    const { DiscordFake } = await import('./support/discord-fake.ts');
    const fake = await new DiscordFake('1100000000000000031', { id: '1100000000000000031', username: 'Jala', bot: true }, []).start();
    try {
      fake.fail('PUT', /commands$/, 401);
      const port = await freePort();
      const child = spawn(process.execPath, [JALA_BIN, 'serve', '--data-dir', dataDir], {
        env: { ...process.env, JALA_HTTP_PORT: String(port), JALA_HTTP_HOST: '127.0.0.1', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: 'bad', DISCORD_APPLICATION_ID: '1100000000000000031', DISCORD_API_URL: fake.restUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(code, out).not.toBe(0);
      expect(out).toContain('Discord rejected the command registration');
      expect(out).not.toMatch(/\n\s+at /);
      expect(fake.requests.some((r) => r.path === '/gateway/bot')).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('npm start runs the HTTP listener beside the terminal chat when JALA_HTTP_PORT is set', async () => {
    const port = await freePort();
    const chat = startJala(['start', '--data-dir', dataDir], { JALA_HTTP_PORT: String(port), JALA_HTTP_HOST: '127.0.0.1' });
    const health = await healthy(`http://127.0.0.1:${port}`, chat);
    expect(health.status).toBe('ok');
    chat.child.stdin.write('laskar pelangi\n');
    chat.child.stdin.end('quit\n');
    expect(await chat.exited).toBe(0);
    expect(chat.output()).toMatch(/Laskar pelangi/i);
    // the listener stopped with the chat
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});

describeWithTools([TOOLS.simple2zoom, TOOLS.yazClient], 'jala serve --z3950', () => {
  it('starts simple2zoom next to Jala: a Z39.50 search by ISBN in USMARC, and stops it with Jala', async () => {
    const { dataDir } = sampleDataDir(() => {}, { prefix: 'jala-serve-z-' });
    const jala = await createJala({ dataDir, ingestMissing: true });
    jala.close();
    const [port, z3950] = [await freePort(), await freePort()];
    const served = startJala(['serve', '--data-dir', dataDir, '--z3950', String(z3950)], { JALA_HTTP_PORT: String(port), JALA_HTTP_HOST: '127.0.0.1' });
    try {
      await healthy(`http://127.0.0.1:${port}`, served);
      // simple2zoom starts once the HTTP listener is up
      await waitFor(() => served.output().includes(`Z39.50 (simple2zoom) on port ${z3950}`), 60_000, 'simple2zoom to start', 100);
      const out = await runTool('yaz-client', [], { input: `open tcp:127.0.0.1:${z3950}/jala\nformat usmarc\nfind @attr 1=7 @attr 5=1 9789793062792\nshow 1\nquit\n` });
      expect(out.stdout).toContain('Number of hits: 1');
      expect(out.stdout).toMatch(/^852 {4}\$a UGM /m);
    } finally {
      served.child.kill('SIGTERM');
    }
    expect(await served.exited).toBe(0);
    const after = await runTool('yaz-client', [], { input: `open tcp:127.0.0.1:${z3950}/jala\nquit\n` });
    expect(after.stdout).not.toContain('Connection accepted');
  });

  it('stopped while still starting, it stops what it started: no simple2zoom left behind', async () => {
    const { dataDir } = sampleDataDir(() => {}, { prefix: 'jala-serve-z-' });
    const jala = await createJala({ dataDir, ingestMissing: true });
    jala.close();
    const [port, z3950] = [await freePort(), await freePort()];
    const served = startJala(['serve', '--data-dir', dataDir, '--z3950', String(z3950)], { JALA_HTTP_PORT: String(port), JALA_HTTP_HOST: '127.0.0.1' });
    // HTTP answers before simple2zoom is up: stop it right then
    await healthy(`http://127.0.0.1:${port}`, served);
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    const after = await runTool('yaz-client', [], { input: `open tcp:127.0.0.1:${z3950}/jala\nquit\n` });
    expect(after.stdout).not.toContain('Connection accepted');
  });
});
