import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, createIllService, createJala, type Bot, type Jala } from '../src/index.ts';
import { renderReply, threadMessage } from '../adapters/slack/render-blocks.ts';
import { startSlack, type RunningSlack } from '../adapters/slack/start-slack.ts';
import { sampleDataDir } from './support/sample-jala.ts';
import { commandBody, interactionBody, signedPost, startSlackFake, recordingSlackLog, waitFor, type ApiFault, type SlackFake } from './support/slack-fake.ts';
import { TcpGate } from './support/tcp-gate.ts';
import { illRequest } from './support/ill-request.ts';
import { outboxRows, undeliveredIds } from './support/outbox-rows.ts';
import { expectOneCardPerLibrary, throughOutage as throughOutageOn, type OutagePlatform } from './support/outage-driver.ts';
import { sqliteOf } from './support/sqlite-of.ts';

/**
 * Slack goes away and comes back while two interlibrary loans run: the Web API hangs, drops the
 * connection, refuses it, answers 500, or does the work and loses the answer. The real Bolt App
 * (HTTP mode, production acknowledgement) and the real outbox in a SQLite file; only Slack is fake,
 * on 127.0.0.1. Afterwards every outbox notification is on Slack exactly once, in order.
 */
const SECRET = 'outage-signing-secret';
const LIBS = ['UGM', 'UI', 'USU', 'DISPUSIP'] as const;
type Lib = (typeof LIBS)[number];
const CHANNEL: Record<Lib, string> = { UGM: 'CUGM', UI: 'CUI', USU: 'CUSU', DISPUSIP: 'CDKI' };
const LIBRARIAN: Record<Lib, string> = { UGM: 'ULIBUGM', UI: 'ULIBUI', USU: 'ULIBUSU', DISPUSIP: 'ULIBDKI' };
const GENERAL = 'CGENERAL';
const PATRON = 'UPATRONX7'; // nobody configured: a patron of the default library, UI


describe('Slack outbox through a Slack outage (real Bolt App, fake Web API behind a TCP gate)', () => {
  let fake: SlackFake;
  let gate: TcpGate;
  let jala: Jala;
  let bot: Bot;
  let slack: RunningSlack;
  let eventsUrl: string;
  const { logs, log } = recordingSlackLog();
  let counter = 0;

  beforeAll(async () => {
    fake = await startSlackFake();
    gate = await new TcpGate(fake.port).start();
    const { dataDir, configPath } = sampleDataDir(
      (config) => {
        config.slack = { defaultLibrary: 'UI', roles: LIBS.map((code) => ({ user: LIBRARIAN[code], role: 'librarian', library: code })) };
      },
      { prefix: 'jala-slack-outage-', channels: (code) => ({ slack: [CHANNEL[code as Lib]] }) },
    );
    jala = await createJala({ dataDir, configPath, ingestMissing: true });
    bot = createBot(jala, { ill: createIllService(jala) });
    slack = await startSlack({
      bot,
      jala,
      // the Web API behind the gate; response_url answers go to the fake directly (Slack's hooks host is not down)
      env: {
        SLACK_BOT_TOKEN: 'xoxb-outage', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `http://127.0.0.1:${gate.port}/api/`, SLACK_PORT: '0',
        SLACK_HOST: '127.0.0.1', SLACK_BOT_ID: 'BBOT', SLACK_BOT_USER_ID: 'UBOT',
      },
      log,
      deliveryIntervalMs: 100,
      webApiTimeoutMs: 500,
      deliveryPolicy: { backoff: { firstMs: 200, maxMs: 1_500 } },
    });
    eventsUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  });

  afterAll(async () => {
    await slack?.stop();
    await gate?.close();
    await fake?.close();
    jala?.close();
  });

  /** A slash command as Slack sends it; resolves with the core's answer (through response_url). */
  const command = async (user: string, channel: string, text: string): Promise<string> => {
    const id = `cmd${++counter}`;
    const body = commandBody({ command: '/ill', text, user_id: user, user_name: user.toLowerCase(), channel_id: channel, channel_name: 'x', response_url: fake.responseUrl(id) });
    const res = await signedPost(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    const answer = await waitFor(() => fake.responsesOf(id)[0], 10_000, `the answer to /ill ${text}`);
    return JSON.stringify(answer.body);
  };
  /** the request's state after a command (the answer came, so the core is done with it) */
  const act = async (user: string, channel: string, text: string): Promise<string | undefined> => {
    await command(user, channel, text);
    const rid = /\bR\d+\b/.exec(text)?.[0];
    return rid ? illRequest(sqliteOf(jala.store), rid)?.state : undefined;
  };

  const undelivered = (): number[] => undeliveredIds(sqliteOf(jala.store), 'slack', LIBS);
  const failures = (): number => logs.filter((l) => l.includes('delivery/failed')).length;

  const slackPlatform: OutagePlatform<ApiFault, (method: string) => boolean> = {
    get gate() {
      return gate;
    },
    setOutage: (fault, when) => fake.setOutage(fault, when),
    hits: (fault) => fake.calls.filter((c) => c.fault === fault).length,
    failures: () => failures(),
    undelivered: () => undelivered(),
    settle: () => slack.deliver(),
  };
  const throughOutage = (fault: ApiFault | 'refused', steps: Array<() => Promise<void>>, when?: (method: string) => boolean): Promise<void> =>
    throughOutageOn(slackPlatform, fault, steps, when);
  const postsOnly = (method: string): boolean => method === 'chat.postMessage';

  let r1 = '';
  let r2 = '';
  let r3 = '';
  let lender1: Lib = 'UGM';
  let lender2: Lib = 'UGM';
  let lender3: Lib = 'UGM';
  const supplierOf = (rid: string): Lib => (illRequest(sqliteOf(jala.store), rid)?.supplier ?? 'UGM') as Lib;

  it('places two requests while Slack is healthy', async () => {
    // a patron's request is shown first: Confirm places it
    const shown = JSON.parse(await command(PATRON, GENERAL, 'request ronggeng dukuh paruk note:outage test')) as { blocks: Array<{ elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }> }> };
    const confirm = shown.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith('ill:confirm'));
    const id = `confirm${++counter}`;
    const payload = {
      type: 'block_actions', user: { id: PATRON, username: PATRON.toLowerCase(), team_id: 'T1' }, api_app_id: 'A1', token: 'x', team: { id: 'T1', domain: 'lib' },
      trigger_id: `trig-${id}`, response_url: fake.responseUrl(id), container: { type: 'message', message_ts: '1700000000.000009', channel_id: GENERAL, is_ephemeral: true },
      channel: { id: GENERAL, name: 'x' },
      actions: [{ type: 'button', action_id: confirm?.action_id, block_id: 'b', value: confirm?.value, text: { type: 'plain_text', text: confirm?.text?.text ?? '' }, action_ts: '1700000001.000' }],
    };
    expect((await signedPost(eventsUrl, SECRET, interactionBody(payload), 'application/x-www-form-urlencoded')).status).toBe(200);
    const placed1 = JSON.stringify((await waitFor(() => fake.responsesOf(id)[0], 10_000, 'the answer to Confirm')).body);
    r1 = /R\d+/.exec(placed1)?.[0] ?? '';
    expect(r1).toMatch(/^R\d+$/);
    const placed2 = await command(LIBRARIAN.UI, CHANNEL.UI, 'request w6');
    r2 = /R\d+/.exec(placed2)?.[0] ?? '';
    expect(r2).toMatch(/^R\d+$/);
    lender2 = supplierOf(r2);
    await waitFor(() => undelivered().length === 0, 10_000, 'the first cards');
  });

  it('delivers what was queued while the Web API hung without answering (timed out before Slack acted)', async () => {
    await throughOutage('hang', [
      async () => {
        expect(await act(LIBRARIAN.UI, CHANNEL.UI, `approve ${r1}`)).toBe('SENT');
        lender1 = supplierOf(r1);
      },
      async () => expect(await act(LIBRARIAN[lender1], CHANNEL[lender1], `accept ${r1}`)).toBe('WILL_SUPPLY'),
    ]);
  });

  it('delivers what was queued while Slack dropped every connection as soon as the request arrived', async () => {
    await throughOutage('drop', [
      async () => expect(await act(LIBRARIAN[lender1], CHANNEL[lender1], `ship ${r1} 2031-02-28`)).toBe('SHIPPED'),
      async () => expect(await act(LIBRARIAN.UI, CHANNEL.UI, `receive ${r1}`)).toBe('RECEIVED'),
    ]);
  });

  it('delivers what was queued while Slack refused connections', async () => {
    await throughOutage('refused', [
      async () => expect(await act(LIBRARIAN[lender2], CHANNEL[lender2], `accept ${r2}`)).toBe('WILL_SUPPLY'),
      async () => expect(await act(LIBRARIAN[lender2], CHANNEL[lender2], `ship ${r2} 2031-01-31`)).toBe('SHIPPED'),
    ]);
  });

  it('delivers what was queued while Slack answered HTTP 500', async () => {
    await throughOutage('http-500', [
      async () => expect(await act(LIBRARIAN.UI, CHANNEL.UI, `receive ${r2}`)).toBe('RECEIVED'),
      async () => expect(await act(LIBRARIAN.UI, CHANNEL.UI, `return ${r1}`)).toBe('RETURN_SHIPPED'),
    ]);
  });

  it('posts once when Slack posted the message but the answer never came (timeout after processing)', async () => {
    await throughOutage('hang-after-processing', [
      async () => {
        const placed = await command(LIBRARIAN.UI, CHANNEL.UI, 'request w6 note:third');
        r3 = /R\d+/.exec(placed)?.[0] ?? '';
        lender3 = supplierOf(r3);
      },
      async () => expect(await act(LIBRARIAN[lender1], CHANNEL[lender1], `checkin ${r1}`)).toBe('COMPLETED'),
      async () => expect(await act(LIBRARIAN[lender3], CHANNEL[lender3], `accept ${r3}`)).toBe('WILL_SUPPLY'),
    ], postsOnly);
  });

  it('posts once when Slack posted the message and the connection broke halfway through the answer', async () => {
    await throughOutage('drop-mid-response', [
      async () => expect(await act(LIBRARIAN[lender3], CHANNEL[lender3], `ship ${r3}`)).toBe('SHIPPED'),
      async () => expect(await act(LIBRARIAN.UI, CHANNEL.UI, `return ${r2}`)).toBe('RETURN_SHIPPED'),
      async () => expect(await act(LIBRARIAN.UI, CHANNEL.UI, `receive ${r3}`)).toBe('RECEIVED'),
    ], postsOnly);
  });

  it('has every outbox notification on Slack exactly once and in order: one card per request and library, its thread, the patron’s DMs', () => {
    const rows = outboxRows(sqliteOf(jala.store), bot.outbox);
    expect(undelivered()).toEqual([]);
    let expectedMessages = expectOneCardPerLibrary(
      rows,
      [r1, r2, r3],
      LIBS,
      (rid, lib) => fake.channelMessages(CHANNEL[lib as Lib]).filter((m) => m.text.startsWith(`${rid} · `)),
      (card, mine, label) => {
        // the card shows the newest notification, and its thread holds every later one, once, in order
        const last = renderReply(mine.at(-1)!.reply);
        expect.soft(card.text, `the card of ${label}`).toBe(last.text);
        expect.soft(card.blocks).toEqual(last.blocks);
        const thread = fake.threadReplies(card.channel, card.ts).map((m) => m.text);
        expect.soft(thread, `the thread of ${label}`).toEqual(mine.slice(1).map((r) => threadMessage(r.reply)?.text).filter((t) => t !== undefined));
        return 1 + thread.length;
      },
    );
    // the patron heard privately, each notification once
    const dms = rows.filter((r) => r.targetType === 'user' && r.targetPlatform === 'slack' && r.target === PATRON);
    expect(dms.length).toBeGreaterThanOrEqual(4);
    expect.soft(fake.channelMessages(PATRON).map((m) => m.text)).toEqual(dms.map((r) => renderReply(r.reply).text));
    expectedMessages += dms.length;
    // and nothing else was posted anywhere
    expect(fake.messages).toHaveLength(expectedMessages);
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it('kept running: it answers and delivers after the outages, and logged no error', async () => {
    const placed = await command(LIBRARIAN.UI, CHANNEL.UI, 'request w6');
    const rid = /R\d+/.exec(placed)?.[0] ?? '';
    await waitFor(() => undelivered().length === 0 && fake.channelMessages(CHANNEL.UI).some((m) => m.text.startsWith(`${rid} · `)), 10_000, 'the new card');
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(logs.filter((l) => l.includes(PATRON))).toEqual([]);
  });
});
