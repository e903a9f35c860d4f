import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, createIllService, createJala, type Bot, type Jala } from '../src/index.ts';
import { renderCardOnly, renderReply } from '../adapters/discord/render-embeds.ts';
import { startDiscord, type RunningDiscord } from '../adapters/discord/start-discord.ts';
import { DiscordFake, type FakeUser, type RestFault, type Who } from './support/discord-fake.ts';
import { discordConsortium, type DiscordLib } from './support/discord-consortium.ts';
import { TcpGate } from './support/tcp-gate.ts';
import { illRequest } from './support/ill-request.ts';
import { outboxRows, undeliveredIds } from './support/outbox-rows.ts';
import { expectOneCardPerLibrary, throughOutage as throughOutageOn, type OutagePlatform } from './support/outage-driver.ts';
import { sqliteOf } from './support/sqlite-of.ts';

/**
 * Discord goes away and comes back while four interlibrary loans run: REST hangs, drops the
 * connection, refuses it, answers 500, or does the work and loses the answer; the gateway connection
 * breaks without a close frame. The real discord.js Client and the real outbox in a SQLite file; only
 * Discord is fake, on 127.0.0.1. Afterwards every outbox notification is on Discord exactly once, in order.
 */
const consortium = discordConsortium(9);
const { APP, GUILD, LIBS, channelOf, asLibrarian } = consortium;
type Lib = DiscordLib;
const patron: FakeUser = { id: '1400000000000000901', username: 'outage.patron', global_name: 'Outage Patron' };
const asPatron: Who = consortium.inReferenceDesk(patron);

/** The REST routes the outbox uses: channel messages, threads, DMs (interaction callbacks stay up, unless refused). */
const outboxRoutes = (_method: string, p: string): boolean => p.startsWith('/channels/') || p === '/users/@me/channels';
/** Only the calls that create something (a blind retry of these would repeat it). */
const creations = (method: string, p: string): boolean => method === 'POST' && outboxRoutes(method, p);
/** Creating threads, and posts into threads and DMs: a card itself goes out, its thread is started but the answer is cut. */
const threadsAndDms = (method: string, p: string): boolean => {
  if (method !== 'POST') return false;
  if (/^\/channels\/\d+\/messages\/\d+\/threads$/.test(p)) return true;
  const channel = /^\/channels\/(\d+)\/messages$/.exec(p)?.[1];
  return channel !== undefined && (fake.threads.has(channel) || [...fake.dmChannels.values()].includes(channel));
};


let fake: DiscordFake;
let gate: TcpGate;
let jala: Jala;
let bot: Bot;
let discord: RunningDiscord;
const logs: Array<{ level: string; event: string; detail?: Record<string, unknown> }> = [];

beforeAll(async () => {
  const { dataDir, configPath } = consortium.dataDir('jala-discord-outage-');
  jala = await createJala({ dataDir, configPath, ingestMissing: true });
  bot = createBot(jala, { ill: createIllService(jala) });
  fake = await consortium.startFake();
  gate = await new TcpGate(fake.restPort).start();
  discord = await startDiscord({
    bot,
    jala,
    env: { DISCORD_TOKEN: 'outage-token', DISCORD_APPLICATION_ID: APP, DISCORD_API_URL: `http://127.0.0.1:${gate.port}/api`, DISCORD_GUILD_ID: GUILD },
    log: (level, event, detail) => logs.push({ level, event, ...(detail ? { detail } : {}) }),
    outboxIntervalMs: 100,
    restTimeoutMs: 500,
    restRetries: 1,
    deliveryPolicy: { backoff: { firstMs: 200, maxMs: 1_500 } },
  });
});

afterAll(async () => {
  await discord?.stop();
  await gate?.close();
  await fake?.close();
  jala?.close();
});

const undelivered = (): number[] => undeliveredIds(sqliteOf(jala.store), 'discord', LIBS);
const failures = (): number => logs.filter((l) => l.event === 'delivery/failed' || l.event === 'discord/thread-failed').length;
const stateOf = (rid: string): string | undefined => illRequest(sqliteOf(jala.store), rid)?.state;
const supplierOf = (rid: string): Lib => (illRequest(sqliteOf(jala.store), rid)?.supplier ?? 'UGM') as Lib;

/** `/ill <sub>` through the gateway; resolves with the interaction's answer (which goes over REST). */
const slash = async (who: Who, sub: string, options: Record<string, string>): Promise<any> => {
  const { id } = fake.slash(who, 'ill', options, sub);
  return fake.waitFor(() => fake.callbacks(id)[0], 10_000, `the answer to /ill ${sub}`);
};
const illAction = async (who: Who, action: string, rid: string, details?: string): Promise<string | undefined> => {
  await slash(who, action, { id: rid, ...(details ? { details } : {}) });
  return stateOf(rid);
};
/** The same action from the terminal (jala chat), for when Discord cannot be reached at all. */
const fromTerminal = (library: Lib, text: string): string | undefined => {
  const result = bot.handle({ actor: { platform: 'cli', userId: `cli-${library}`, role: 'librarian', library }, conversationId: `cli:${library}`, text });
  expect(result.replies[0]?.error, text).toBeUndefined();
  return stateOf(/R\d+/.exec(text)?.[0] ?? '');
};

const discordPlatform: OutagePlatform<RestFault, (method: string, p: string) => boolean> = {
  get gate() {
    return gate;
  },
  setOutage: (fault, when = outboxRoutes) => fake.setOutage(fault, when),
  hits: (fault) => fake.requests.filter((r) => r.fault === fault).length,
  failures,
  undelivered,
  settle: () => discord.outboxIdle(),
};
const throughOutage = (fault: RestFault | 'refused', steps: Array<() => Promise<void>>, when?: (method: string, p: string) => boolean): Promise<void> =>
  throughOutageOn(discordPlatform, fault, steps, when);

let r1 = '';
let r2 = '';
let r3 = '';
let r4 = '';
const placedId = (cb: any): string => /^(R\d+) ·/.exec(cb.data.embeds[0].title)?.[1] ?? '';

describe('Discord outbox through a Discord outage (real discord.js Client, fake REST behind a TCP gate and a fake gateway)', () => {
  it('places two requests while Discord is healthy', async () => {
    // a patron's request is shown first: Confirm places it
    const shown = (await slash(asPatron, 'request', { item: 'ronggeng dukuh paruk', note: 'outage test' })).data;
    const confirm = (shown.components ?? []).flatMap((row: any) => row.components.map((c: any) => c.custom_id)).find((c: string) => c.split('|')[1] === 'ill:confirm');
    const { id: pressed } = fake.click(asPatron, { ...shown, flags: 64 }, confirm);
    r1 = placedId(await fake.waitFor(() => fake.callbacks(pressed)[0], 10_000, 'the answer to Confirm'));
    expect(r1).toMatch(/^R\d+$/);
    r2 = placedId(await slash(asLibrarian('UI'), 'request', { item: 'w6' }));
    expect(r2).toMatch(/^R\d+$/);
    await fake.waitFor(() => undelivered().length === 0, 10_000, 'the first cards');
  });

  it('delivers what was queued while message, thread and DM endpoints hung without answering (timed out before Discord acted)', async () => {
    await throughOutage('hang', [
      async () => expect(await illAction(asLibrarian('UI'), 'approve', r1)).toBe('SENT'),
      async () => expect(await illAction(asLibrarian(supplierOf(r1)), 'accept', r1)).toBe('WILL_SUPPLY'),
    ]);
  });

  it('delivers what was queued while those endpoints dropped the connection as soon as a request arrived', async () => {
    await throughOutage('drop', [
      async () => expect(await illAction(asLibrarian(supplierOf(r1)), 'ship', r1, '2031-02-28')).toBe('SHIPPED'),
      async () => expect(await illAction(asLibrarian('UI'), 'receive', r1)).toBe('RECEIVED'),
    ]);
  });

  it('delivers what was queued while Discord refused every REST connection (librarians acting from the terminal)', async () => {
    await throughOutage('refused', [
      async () => expect(fromTerminal(supplierOf(r2), `/ill accept ${r2}`)).toBe('WILL_SUPPLY'),
      async () => expect(fromTerminal(supplierOf(r2), `/ill ship ${r2} 2031-01-31`)).toBe('SHIPPED'),
    ]);
  });

  it('delivers what was queued while those endpoints answered HTTP 500', async () => {
    await throughOutage('http-500', [
      async () => expect(await illAction(asLibrarian('UI'), 'receive', r2)).toBe('RECEIVED'),
      async () => expect(await illAction(asLibrarian('UI'), 'return', r1)).toBe('RETURN_SHIPPED'),
    ]);
  });

  it('resumes after the gateway connection breaks without a close frame, delivering meanwhile, and answers interactions again', async () => {
    const resumesBefore = fake.resumes.length;
    const identifiesBefore = fake.identifies.length;
    fake.dropGateway();
    // while the gateway is away, work goes on from the terminal and the outbox keeps delivering over REST
    expect(fromTerminal('UI', `/ill return ${r2}`)).toBe('RETURN_SHIPPED');
    await fake.waitFor(() => fake.resumes.length > resumesBefore, 20_000, 'a RESUME on a new connection');
    expect(fake.resumes.at(-1).session_id).toMatch(/^sess-/);
    expect(fake.identifies).toHaveLength(identifiesBefore);
    await fake.waitFor(() => logs.some((l) => l.event === 'discord/resumed'), 10_000, 'the resumed event');
    expect(await illAction(asLibrarian(supplierOf(r2)), 'checkin', r2)).toBe('COMPLETED');
    await fake.waitFor(() => undelivered().length === 0, 10_000, 'the outbox to empty');
  });

  it('posts once when Discord created the message (or thread) but the answer never came (timeout after processing)', async () => {
    await throughOutage('hang-after-processing', [
      async () => {
        r3 = placedId(await slash(asLibrarian('UI'), 'request', { item: 'w6', note: 'third' }));
        expect(r3).toMatch(/^R\d+$/);
      },
      async () => expect(await illAction(asLibrarian(supplierOf(r1)), 'checkin', r1)).toBe('COMPLETED'),
      async () => expect(await illAction(asLibrarian(supplierOf(r3)), 'accept', r3)).toBe('WILL_SUPPLY'),
    ], creations);
  });

  it('posts once, and threads once, when Discord created the thread or message and the connection broke halfway through the answer', async () => {
    await throughOutage('drop-mid-response', [
      async () => {
        r4 = placedId(await slash(asLibrarian('UI'), 'request', { item: 'w6', note: 'fourth' }));
        expect(r4).toMatch(/^R\d+$/);
      },
      async () => expect(await illAction(asLibrarian(supplierOf(r4)), 'accept', r4)).toBe('WILL_SUPPLY'),
      async () => expect(await illAction(asLibrarian(supplierOf(r3)), 'ship', r3)).toBe('SHIPPED'),
      async () => expect(await illAction(asLibrarian('UI'), 'receive', r3)).toBe('RECEIVED'),
      async () => expect(await illAction(asLibrarian('UI'), 'note', r2, 'thank you')).toBe('COMPLETED'),
    ], threadsAndDms);
  });

  it('has every outbox notification on Discord exactly once and in order: one card and thread per request and library, the patron’s DMs', () => {
    const rows = outboxRows(sqliteOf(jala.store), bot.outbox);
    expect(undelivered()).toEqual([]);
    const shown = (m: { content: string; embeds: unknown }): unknown => ({ content: m.content, embeds: m.embeds });
    let expected = expectOneCardPerLibrary(
      rows,
      [r1, r2, r3, r4],
      LIBS,
      (rid, lib) => (fake.channels.get(channelOf[lib as Lib]) ?? []).filter((m) => m.embeds?.[0]?.title?.startsWith(`${rid} ·`)),
      (card, mine, label) => {
        // the card shows the newest notification; its thread (same id as the card) every later one, once, in order
        const last = renderCardOnly(mine.at(-1)!.reply)!;
        expect.soft(shown(card), `the card of ${label}`).toEqual(shown(last));
        expect.soft(card.components, `the card's buttons of ${label}`).toEqual(last.components);
        expect.soft(fake.threads.get(card.id)?.parent_id, `the thread of ${label}`).toBe(card.channel_id);
        const thread = (fake.channels.get(card.id) ?? []).map(shown);
        expect.soft(thread, `the thread of ${label}`).toEqual(mine.slice(1).map((r) => shown(renderReply(r.reply))));
        return 1 + thread.length;
      },
    );
    const dms = rows.filter((r) => r.targetType === 'user' && r.targetPlatform === 'discord' && r.target === patron.id);
    expect(dms.length).toBeGreaterThanOrEqual(4);
    const dmChannel = fake.dmChannels.get(patron.id) ?? '';
    expect.soft((fake.channels.get(dmChannel) ?? []).map(shown), 'the patron’s DMs').toEqual(dms.map((r) => shown(renderReply(r.reply))));
    expected += dms.length;
    // and nothing else was posted anywhere
    const everything = [...fake.channels.values()].flat();
    expect(everything).toHaveLength(expected);
    expect(rows.length).toBeGreaterThanOrEqual(25);
  });

  it('kept running through it all: no error logged, no patron identity in the log', async () => {
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    const text = JSON.stringify(logs);
    for (const secret of [patron.id, patron.username, patron.global_name ?? '']) expect(text).not.toContain(secret);
    const { id } = fake.slash(asPatron, 'catalog', { question: 'bumi manusia' });
    const cb = await fake.waitFor(() => fake.callbacks(id)[0], 5_000, 'an answer');
    expect(cb.data.embeds[0].title).toMatch(/Bumi manusia/i);
  });
});
