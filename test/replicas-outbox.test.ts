/**
 * Three replicas, as separate processes, deliver one outbox in PostgreSQL (issue 20): each runs the
 * real delivery loop with the real Slack transport (test/support/outbox-replica.ts) against the Slack
 * fake. Every outbox message reaches Slack exactly once (counted by the send key each post carries in
 * its metadata) and a request's messages arrive in order; when one replica is killed with kill -9
 * while a post of its own is in flight (Slack did it, the answer never came), another replica takes
 * the message over once the lease runs out, finds the post by its key and does not post it again.
 * Waits are bounded generously and never measure speed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStores } from '../src/app/open-stores.ts';
import type { JalaStores } from '../src/app/open-stores.ts';
import type { BotReply } from '../src/bot/bot-types.ts';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { tempDir } from './support/paths.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { startSlackFake, type FakeCall, type SlackFake, type StoredMessage } from './support/slack-fake.ts';
import { describeWithTools } from './support/system-tools.ts';
import { waitFor } from './support/wait-for.ts';

interface Replica {
  token: string;
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<void>;
}

const WORKER = path.join(PACKAGE_ROOT, 'test', 'support', 'outbox-replica.ts');

describeWithTools([POSTGRES_TOOL], 'three replicas delivering one PostgreSQL outbox', () => {
  const postgres = usePostgresServer();
  let slack: SlackFake | undefined;
  let url = '';
  let stores: JalaStores | undefined;
  let closeStores = (): void => {};
  const replicas: Replica[] = [];
  /** outbox id → request id, for every message queued */
  const requestOf = new Map<number, number>();

  beforeAll(async () => {
    url = postgres().createDatabase();
    slack = await startSlackFake();
    ({ stores, close: closeStores } = openStores(tempDir('jala-replicas-outbox-'), { databaseUrl: url }));
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    closeStores();
    await slack?.close();
  });

  const startReplica = (n: number): Replica => {
    const token = `xoxb-replica-${n}`;
    const env = { ...process.env, JALA_DATABASE_URL: url, SLACK_API_URL: slack!.apiUrl, SLACK_BOT_TOKEN: token, OUTBOX_LEASE_MS: '3000', OUTBOX_TIMEOUT_MS: '1000' };
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdin.on('error', () => {});
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const r: Replica = { token, child, output: () => out, exited };
    replicas.push(r);
    return r;
  };
  const state = (r: { child: { exitCode: number | null; signalCode: NodeJS.Signals | null } }): string =>
    r.child.exitCode !== null ? `exit ${r.child.exitCode}` : r.child.signalCode !== null ? `killed by ${r.child.signalCode}` : 'running';
  const describeAll = (): string => replicas.map((r) => `--- ${r.token} (${state(r)}):\n${r.output()}`).join('\n');

  /** `perRequest` messages for each of `requests` new requests, queued interleaved (as transitions of many requests would be) */
  const queue = (firstRequest: number, requests: number, perRequest: number): void => {
    for (let k = 0; k < perRequest; k++) {
      for (let r = firstRequest; r < firstRequest + requests; r++) {
        const reply: BotReply = { language: 'en', blocks: [{ type: 'text', text: `R${r} step ${k}` }], actions: [], private: false };
        const id = stores!.outbox.enqueue({ targetType: 'library', target: 'UGM', targetPlatform: null, requestId: r, payload: JSON.stringify(reply), createdAt: new Date().toISOString(), format: 'reply' });
        requestOf.set(id, r);
      }
    }
  };

  const pendingCount = (): number => stores!.outbox.pendingFor('slack', ['UGM'], new Date(Date.now() + 3_600_000).toISOString(), 10_000).length;
  /** the outbox id a stored post was sent for (its send key `id|part|place`) */
  const outboxIdOf = (m: StoredMessage): number | undefined => {
    const key = m.metadata?.event_payload.key;
    return typeof key === 'string' ? Number(key.split('|')[0]) : undefined;
  };
  const keyOfCall = (c: FakeCall): string | undefined => {
    const raw = c.params.metadata;
    const meta = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { event_payload?: { key?: unknown } } | undefined;
    return typeof meta?.event_payload?.key === 'string' ? meta.event_payload.key : undefined;
  };

  /** every queued message is in Slack exactly once, and a request's messages in the order queued */
  const expectExactlyOnceInOrder = (): void => {
    const posts = slack!.messages.filter((m) => m.channel === 'CUGM');
    const count = new Map<number, number>();
    for (const m of posts) {
      const id = outboxIdOf(m);
      expect(id, `a post without a send key: ${m.text}`).toBeDefined();
      count.set(id!, (count.get(id!) ?? 0) + 1);
    }
    const duplicates = [...count].filter(([, n]) => n > 1);
    const missing = [...requestOf.keys()].filter((id) => !count.has(id));
    expect(duplicates, describeAll()).toEqual([]);
    expect(missing, describeAll()).toEqual([]);
    expect(posts).toHaveLength(requestOf.size);
    const byRequest = new Map<number, number[]>();
    for (const m of posts) {
      const id = outboxIdOf(m)!;
      const r = requestOf.get(id)!;
      byRequest.set(r, [...(byRequest.get(r) ?? []), id]);
    }
    for (const [r, ids] of byRequest) expect(ids, `R${r} in order`).toEqual([...ids].sort((a, b) => a - b));
    expect(stores!.outbox.givenUp('slack')).toEqual([]);
  };

  it('delivers every message exactly once and in order per request, and after kill -9 of a replica mid-send another takes its message over without posting it twice', async () => {
    for (const n of [1, 2, 3]) startReplica(n);
    for (const r of replicas) await waitFor(() => r.output().includes('delivering') || (r.child.exitCode !== null ? (() => { throw new Error(describeAll()); })() : false), 60_000, `${r.token} to start`);

    // many requests' messages at once, to three replicas
    queue(1, 20, 4);
    await waitFor(() => pendingCount() === 0, 60_000, 'the replicas to deliver the outbox', 100);
    expectExactlyOnceInOrder();
    // the three shared the work
    const senders = new Set(slack!.callsOf('chat.postMessage').map((c) => c.token));
    expect(senders.size, 'replicas that posted').toBeGreaterThanOrEqual(2);

    // Slack now posts and never answers: every replica ends up holding a claim on a message it has posted
    slack!.setOutage('hang-after-processing', (m) => m === 'chat.postMessage');
    queue(101, 10, 3);
    const hung = (token: string): FakeCall | undefined => slack!.callsOf('chat.postMessage').find((c) => c.token === token && c.fault === 'hang-after-processing');
    const victim = replicas[0]!;
    const inFlight = await waitFor(() => hung(victim.token), 60_000, 'a post of replica 1 in flight', 50);
    const key = keyOfCall(inFlight);
    expect(key).toBeDefined();
    const id = Number(key!.split('|')[0]);
    // replica 1 holds the claim on it: not delivered, and not due for anyone else while the lease runs
    expect(stores!.outbox.pendingFor('slack', ['UGM'], new Date().toISOString(), 10_000).map((m) => m.id)).not.toContain(id);
    expect(pendingCount()).toBeGreaterThan(0);
    victim.child.kill('SIGKILL');
    await victim.exited;
    slack!.setOutage(undefined);

    await waitFor(() => pendingCount() === 0, 60_000, 'the surviving replicas to deliver the rest, the killed one\'s message too', 100);
    // the killed replica's message was posted by it (the answer never came) and not again
    expect(slack!.messages.filter((m) => m.metadata?.event_payload.key === key)).toHaveLength(1);
    expect(requestOf.has(id)).toBe(true);
    expectExactlyOnceInOrder();
    expect(replicas.slice(1).every((r) => r.child.exitCode === null), describeAll()).toBe(true);
  }, 120_000);
});
