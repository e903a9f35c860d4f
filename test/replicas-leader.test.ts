/**
 * Three `jala serve` replicas, as separate processes, against one PostgreSQL database
 * (JALA_DATABASE_URL), one Discord and one Slack in Socket Mode (local fakes of their APIs, gateway and socket): every replica
 * answers HTTP; exactly one leads — it runs the ILL timers, keeps the harvest schedule and holds the
 * Discord gateway and the Slack socket — and when the leader is killed with kill -9, another takes the
 * lead, the schedule, the gateway, the socket and the timers.
 * Waits are bounded generously and never measure speed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import { openStores } from '../src/app/open-stores.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { DiscordFake } from './support/discord-fake.ts';
import { startSlackFake, type SlackFake } from './support/slack-fake.ts';
import { illCommand } from './support/ill-request.ts';
import { freePort } from './support/oai-peer.ts';
import { JALA_BIN, tempDir } from './support/paths.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { sampleDataDir } from './support/sample-jala.ts';
import { describeWithTools } from './support/system-tools.ts';
import { MIN_WAIT_MS, waitFor } from './support/wait-for.ts';

interface Replica {
  name: string;
  port: number;
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<void>;
}

const APP_ID = '1100000000000000777';
const appToken = (replica: string): string => `xapp-1-${replica}`;
const discordToken = (replica: string): string => `discord-${replica}`;
const LEADS = 'this replica leads';
const FOLLOWS = 'another replica leads';

describeWithTools([POSTGRES_TOOL], 'replicas sharing one PostgreSQL', () => {
  const postgres = usePostgresServer();
  let discord: DiscordFake | undefined;
  let slack: SlackFake | undefined;
  let url = '';
  let dataDir = '';
  const replicas: Replica[] = [];

  beforeAll(async () => {
    url = postgres().createDatabase();
    discord = await new DiscordFake(APP_ID, { id: APP_ID, username: 'Jala', bot: true }, []).start();
    slack = await startSlackFake();
    // the sample consortium, ingested once into the data directory the replicas share (the catalog);
    // the ILL requests and the lead live in PostgreSQL (usePostgresServer puts the variable back after the file)
    process.env.JALA_DATABASE_URL = url;
    // a harvest schedule (hourly: it does not come round during the test), to see which replica keeps it
    ({ dataDir } = sampleDataDir((c) => void (c.harvest = { ...(c.harvest as object | undefined), intervalMinutes: 60 }), { prefix: 'jala-replicas-' }));
    const jala = await createJala({ dataDir, ingestMissing: true });
    jala.close();
  }, 600_000);

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await discord?.close();
    await slack?.close();
  });

  /**
   * A librarian of UGM asks for a work other libraries hold, as if 30 days ago: the lender's time to
   * answer ran out long since, so the ILL timers (of whichever replica leads) pass it over.
   */
  const placeOverdueRequest = async (): Promise<number> => {
    const jala = await createJala({ dataDir });
    try {
      const past = new Date(Date.now() - 30 * 86_400_000);
      const ill = createIllService(jala, { now: () => past });
      const actor: BotActor = { platform: 'cli', userId: 'placer-ugm', role: 'librarian', library: 'UGM' };
      const work = ['laskar pelangi', 'indonesia', 'jazz']
        .flatMap((q) => jala.ask(q).results)
        .find((w) => w.libraries.length > 0 && !w.libraries.includes('UGM'));
      if (!work) throw new Error('no work held beyond UGM in the sample');
      const r = ill.handleCommand({ actor, conversationId: 'setup', text: '' }, illCommand(`request ${work.workId}`), 'en');
      const summary = r.replies[0]?.request;
      if (!summary || r.replies[0]?.error) throw new Error(`not placed: ${JSON.stringify(r.replies[0])}`);
      const id = Number(summary.id.slice(1));
      expect(jala.stores.ill.request(id)?.state).toBe('SENT');
      return id;
    } finally {
      jala.close();
    }
  };

  /** Whether the timers passed a request's lender over (a 'timeout' by the system in its event log). */
  const timedOut = (id: number): boolean => {
    const { stores, close } = openStores(tempDir('jala-replicas-check-'), { databaseUrl: url });
    try {
      return stores.ill.events(id).some((e) => e.action === 'timeout' && e.actorRole === 'system');
    } finally {
      close();
    }
  };

  const startReplica = async (name: string): Promise<Replica> => {
    const port = await freePort();
    const env = {
      ...process.env,
      JALA_DATABASE_URL: url,
      JALA_HTTP_PORT: String(port),
      JALA_HTTP_HOST: '127.0.0.1',
      // Slack in Socket Mode: one connection per app, from the leader. Each replica has its own app
      // token and Discord token only so that the fakes can tell whose connection is whose.
      SLACK_BOT_TOKEN: 'xoxb-replica-test',
      SLACK_APP_TOKEN: appToken(name),
      SLACK_API_URL: slack!.apiUrl,
      SLACK_SIGNING_SECRET: '',
      DISCORD_TOKEN: discordToken(name),
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord!.restUrl,
    };
    const child = spawn(process.execPath, [JALA_BIN, 'serve', '--data-dir', dataDir], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdin.on('error', () => {});
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const r: Replica = { name, port, child, output: () => out, exited };
    replicas.push(r);
    return r;
  };

  const healthy = async (r: Replica): Promise<boolean> => {
    try {
      return (await fetch(`http://127.0.0.1:${r.port}/health`)).ok;
    } catch {
      return false;
    }
  };
  const alive = (r: Replica): boolean => r.child.exitCode === null && r.child.signalCode === null;
  /** the token of every IDENTIFY the Discord gateway received, oldest first */
  const identified = (): string[] => discord!.identifies.map((d: { token?: string }) => String(d.token));
  const sameList = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  /** a replica's state: running, or how it ended (a replica the test did not kill must not end) */
  const state = (r: Replica): string => (alive(r) ? 'running' : r.child.exitCode !== null ? `exit ${r.child.exitCode}` : `killed by ${r.child.signalCode}`);
  const describeAll = (): string => replicas.map((r) => `--- ${r.name} (${state(r)}):\n${r.output()}`).join('\n');

  /** what the fakes saw and every replica printed, for a failure's message */
  const situation = (): string =>
    `Slack sockets open: ${JSON.stringify(slack?.openSocketTokens())}, ever: ${JSON.stringify(slack?.socketTokens())}; ` +
    `Discord gateway connections open: ${discord?.openGatewayConnections}, IDENTIFY by: ${JSON.stringify(discord ? identified() : [])}\n${describeAll()}`;

  it('runs the ILL timers, keeps the harvest schedule and holds the Discord gateway and Slack Socket Mode on exactly one of three replicas, and on another one after kill -9 of the leader', async () => {
    try {
      await leadAndTakeOver();
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${situation()}`, { cause: err });
    }
  }, 900_000);

  const leadAndTakeOver = async (): Promise<void> => {
    const first = await placeOverdueRequest();
    for (const name of ['replica-1', 'replica-2', 'replica-3']) await startReplica(name);

    // every replica serves HTTP and has settled whether it leads
    const end = Date.now() + MIN_WAIT_MS;
    while (!(await Promise.all(replicas.map(healthy))).every(Boolean)) {
      const dead = replicas.find((r) => !alive(r));
      if (dead) throw new Error(`${dead.name} exited: ${dead.output()}`);
      if (Date.now() > end) throw new Error(`three healthy replicas: timed out\n${describeAll()}`);
      await sleep(200);
    }
    for (const r of replicas) {
      await waitFor(() => {
        if (!alive(r)) throw new Error(`${r.name} exited: ${r.output()}`);
        return r.output().includes(LEADS) || r.output().includes(FOLLOWS);
      }, undefined, `${r.name} to settle who leads`);
    }
    const leaders = replicas.filter((r) => r.output().includes(LEADS));
    expect(leaders.map((r) => r.name), describeAll()).toHaveLength(1);
    const leader = leaders[0]!;
    expect(replicas.filter((r) => r.output().includes(FOLLOWS)), describeAll()).toHaveLength(2);
    expect(leader.output()).toMatch(/leads — it runs the ILL timers, .*the scheduled harvests \(every 60 minutes\), Slack Socket Mode, the Discord gateway/);
    // the harvest schedule is kept by the leader alone
    expect(replicas.filter((r) => r.output().includes('harvesting every 60 minutes')).map((r) => r.name)).toEqual([leader.name]);

    // the leader's timers pass the silent lender over; the leader alone holds the gateway
    await waitFor(() => timedOut(first), undefined, 'the leader to run the ILL timers', 500);
    await waitFor(() => discord!.openGatewayConnections === 1 && identified().length > 0, undefined, 'the leader on the Discord gateway');
    await waitFor(() => sameList(slack!.openSocketTokens(), [appToken(leader.name)]), undefined, 'the leader on Slack Socket Mode');
    // the followers stay off the gateway and the socket while the leader lives (a connection dropped
    // and made again by the leader itself is allowed: a loaded machine can be slow to answer a ping)
    await sleep(2_000);
    expect(discord!.openGatewayConnections).toBe(1);
    expect(new Set(identified())).toEqual(new Set([discordToken(leader.name)]));
    expect(slack!.openSocketTokens()).toEqual([appToken(leader.name)]);
    expect(new Set(slack!.socketTokens())).toEqual(new Set([appToken(leader.name)]));

    // kill -9: no clean shutdown, no release — the database ends its session and the lock with it
    leader.child.kill('SIGKILL');
    await leader.exited;
    const survivors = replicas.filter((r) => r !== leader);
    const second = await placeOverdueRequest();
    const next = await waitFor(() => survivors.find((r) => r.output().includes(LEADS)), undefined, 'a surviving replica to take the lead');
    // the only processes left that could have run the timers are the survivors, and only the leader runs them
    await waitFor(() => timedOut(second), undefined, 'the new leader to run the ILL timers', 500);
    await waitFor(() => discord!.openGatewayConnections === 1 && identified().includes(discordToken(next.name)), undefined, 'the new leader on the Discord gateway');
    await waitFor(() => sameList(slack!.openSocketTokens(), [appToken(next.name)]), undefined, 'the new leader on Slack Socket Mode');
    // the third replica, which never led, never connected
    expect(new Set(identified())).toEqual(new Set([discordToken(leader.name), discordToken(next.name)]));
    expect(new Set(slack!.socketTokens())).toEqual(new Set([appToken(leader.name), appToken(next.name)]));
    expect(survivors.filter((r) => r.output().includes(LEADS)).map((r) => r.name), describeAll()).toEqual([next.name]);
    expect(survivors.filter((r) => r.output().includes('harvesting every 60 minutes')).map((r) => r.name)).toEqual([next.name]);
    expect(survivors.every(alive)).toBe(true);
    expect(await healthy(survivors.find((r) => r !== next)!)).toBe(true);
  };
});
