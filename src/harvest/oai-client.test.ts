import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWithRetries, retryAfter } from './oai-client.ts';

/** A local server whose n-th answer is scripted. */
let server: http.Server;
let base = '';
let script: Array<(res: http.ServerResponse) => void> = [];
let hits = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    const step = script[hits++] ?? ((r) => r.end('<ok/>'));
    step(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oai`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const setup = (steps: typeof script): void => {
  script = steps;
  hits = 0;
};

describe('getWithRetries', () => {
  it('retries a busy server, waiting as long as Retry-After says, then returns the body', async () => {
    setup([(r) => r.writeHead(503, { 'retry-after': '2' }).end('busy'), (r) => r.writeHead(500).end(), (r) => r.end('<fine/>')]);
    const waits: number[] = [];
    const out = await getWithRetries(new URL(base), { timeoutMs: 2000, retries: 3, retryDelayMs: 10, sleep: async (ms) => void waits.push(ms) });
    expect(out).toMatchObject({ ok: true, status: 200, text: '<fine/>', attempts: 3 });
    expect(waits).toEqual([2000, 20]);
  });

  it('gives up after the retries with the last failure', async () => {
    setup([(r) => r.writeHead(502).end(), (r) => r.writeHead(502).end()]);
    const out = await getWithRetries(new URL(base), { timeoutMs: 2000, retries: 1, retryDelayMs: 1 });
    expect(out).toMatchObject({ ok: false, error: { code: 'harvest/http-status', attempts: 2 } });
  });

  it('times out a request that never answers, and tries again', async () => {
    setup([() => {}, (r) => r.end('<late/>')]);
    const out = await getWithRetries(new URL(base), { timeoutMs: 200, retries: 1, retryDelayMs: 1 });
    expect(out).toMatchObject({ ok: true, text: '<late/>', attempts: 2 });
  });

  it('retries a body the check refuses, but not a client error', async () => {
    setup([(r) => r.end('<truncated'), (r) => r.end('<whole/>')]);
    const check = (_s: number, t: string): string | undefined => (t.endsWith('/>') ? undefined : 'cut short');
    expect(await getWithRetries(new URL(base), { timeoutMs: 2000, retries: 2, retryDelayMs: 1 }, check)).toMatchObject({ ok: true, attempts: 2 });
    setup([(r) => r.writeHead(404).end('not here'), (r) => r.end('<whole/>')]);
    expect(await getWithRetries(new URL(base), { timeoutMs: 2000, retries: 2, retryDelayMs: 1 }, check)).toMatchObject({ ok: false, error: { code: 'harvest/http-status', attempts: 1 } });
  });

  it('reports a refused connection as unreachable', async () => {
    const out = await getWithRetries(new URL('http://127.0.0.1:9/oai'), { timeoutMs: 1000, retries: 1, retryDelayMs: 1 });
    expect(out).toMatchObject({ ok: false, error: { code: 'harvest/unreachable', attempts: 2 } });
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfter('120')).toBe(120_000);
    expect(retryAfter('Tue, 24 Nov 2026 00:01:00 GMT', Date.parse('2026-11-24T00:00:00Z'))).toBe(60_000);
    expect(retryAfter(null)).toBeUndefined();
    expect(retryAfter('soon')).toBeUndefined();
  });
});
