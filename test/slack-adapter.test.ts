import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, createIllService, createJala, type Bot, type Jala } from '../src/index.ts';
import { DEFAULT_DATA_DIR } from '../src/config/data-dir.ts';
import { startSlack, SlackStartError, type RunningSlack } from '../adapters/slack/start-slack.ts';
import { tempDir } from './support/paths.ts';
import { sampleDataDir } from './support/sample-jala.ts';
import { sqliteOf } from './support/sqlite-of.ts';
import {
  commandBody, eventBody, interactionBody, signedPost, startSlackFake, recordingSlackLog, waitFor, type FakeCall, type SlackFake,
} from './support/slack-fake.ts';

/**
 * The real Bolt App over HTTP (signed requests) against a local fake of the Slack Web API, on a
 * data directory built from the sample consortium with Slack channels and roles filled in.
 */
const SECRET = 'test-signing-secret';
const CHANNEL = { UGM: 'CUGM', UI: 'CUI', USU: 'CUSU', DISPUSIP: 'CDKI' } as const;
const GENERAL = 'CGENERAL';
const PATRON = 'UPATRON'; // nobody configured: a patron of the default library (UI)
const UGM_LIBRARIAN = 'ULIBUGM'; // by user id
const UI_LIBRARIAN = 'ULIBUI'; // through the user group SUISTAFF

type Json = Record<string, unknown>;
interface ButtonEl {
  action_id: string;
  value: string;
  text: { text: string };
}

/** The sample consortium with a Slack channel per library and Slack roles. */
function slackSample(prefix: string): { dataDir: string; configPath: string } {
  return sampleDataDir(
    (config) => {
      config.slack = {
        defaultLibrary: 'UI',
        roles: [
          { user: UGM_LIBRARIAN, role: 'librarian', library: 'UGM' },
          { usergroup: 'SUISTAFF', role: 'librarian', library: 'UI' },
          { user: 'UADMIN', role: 'admin', library: 'UGM' },
        ],
      };
    },
    { prefix, channels: (code) => ({ slack: [CHANNEL[code as keyof typeof CHANNEL]] }) },
  );
}

function buttonsOf(blocks: unknown): ButtonEl[] {
  const out: ButtonEl[] = [];
  for (const b of (blocks ?? []) as Array<{ type: string; elements?: unknown[] }>) {
    if (b.type === 'actions') out.push(...((b.elements ?? []) as ButtonEl[]));
  }
  return out;
}

function findButton(blocks: unknown, id: string): ButtonEl {
  const b = buttonsOf(blocks).find((x) => x.action_id === id || x.action_id.startsWith(`${id}~`));
  if (!b) throw new Error(`no ${id} button among ${buttonsOf(blocks).map((x) => x.action_id).join(', ') || 'none'}`);
  return b;
}

describe('Slack adapter end to end (real Bolt App over signed HTTP, fake Web API)', () => {
  let fake: SlackFake;
  let jala: Jala;
  let bot: Bot;
  let slack: RunningSlack;
  let eventsUrl: string;
  const { logs, log } = recordingSlackLog();
  let responseCounter = 0;
  let eventCounter = 0;

  beforeAll(async () => {
    fake = await startSlackFake();
    fake.usergroups.set('SUISTAFF', [UI_LIBRARIAN]);
    const { dataDir, configPath } = slackSample('jala-slack-');
    jala = await createJala({ dataDir, configPath, ingestMissing: true });
    bot = createBot(jala, { ill: createIllService(jala) });
    slack = await startSlack({
      bot,
      jala,
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_PORT: '0', SLACK_HOST: '127.0.0.1' },
      log,
      processBeforeResponse: true,
      deliveryIntervalMs: 100,
    });
    eventsUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  });

  afterAll(async () => {
    await slack?.stop();
    await fake?.close();
    jala?.close();
  });

  // ——— drivers: what Slack would send ———

  const command = async (user: string, channel: string, cmd: string, text: string): Promise<{ status: number; responses: Json[]; id: string }> => {
    const id = `cmd${++responseCounter}`;
    const res = await signedPost(eventsUrl, SECRET, commandBody({ command: cmd, text, user_id: user, user_name: user.toLowerCase(), channel_id: channel, channel_name: 'x', response_url: fake.responseUrl(id) }), 'application/x-www-form-urlencoded');
    return { status: res.status, responses: fake.responsesOf(id).map((r) => r.body), id };
  };

  const click = async (
    user: string,
    button: ButtonEl,
    where: { channel: string; messageTs: string; ephemeral?: boolean; threadTs?: string },
  ): Promise<{ status: number; responses: Json[]; id: string }> => {
    const id = `act${++responseCounter}`;
    const payload = {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
      api_app_id: 'A1',
      token: 'x',
      team: { id: 'T1', domain: 'lib' },
      trigger_id: `trig-${id}`,
      response_url: fake.responseUrl(id),
      container: { type: 'message', message_ts: where.messageTs, channel_id: where.channel, is_ephemeral: where.ephemeral === true, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) },
      channel: { id: where.channel, name: 'x' },
      ...(where.ephemeral ? {} : { message: { type: 'message', ts: where.messageTs, text: '', ...(where.threadTs ? { thread_ts: where.threadTs } : {}) } }),
      actions: [{ type: 'button', action_id: button.action_id, block_id: 'b', value: button.value, text: { type: 'plain_text', text: button.text.text }, action_ts: '1700000001.000' }],
    };
    const res = await signedPost(eventsUrl, SECRET, interactionBody(payload), 'application/x-www-form-urlencoded');
    return { status: res.status, responses: fake.responsesOf(id).map((r) => r.body), id };
  };

  /** Submits the modal the last views.open showed, with this value in its one field. */
  const submitModal = async (user: string, value: { text?: string; date?: string; option?: string }): Promise<number> => {
    const opened = fake.callsOf('views.open').at(-1);
    const view = opened?.params.view as { private_metadata: string; callback_id: string; blocks: Array<{ block_id: string; element: { type: string; action_id: string } }> };
    const input = view.blocks[0];
    if (!input) throw new Error('modal without an input');
    const state =
      input.element.type === 'datepicker'
        ? { type: 'datepicker', selected_date: value.date ?? null }
        : input.element.type === 'static_select'
          ? { type: 'static_select', selected_option: value.option ? { value: value.option } : null }
          : { type: 'plain_text_input', value: value.text ?? null };
    const payload = {
      type: 'view_submission',
      team: { id: 'T1', domain: 'lib' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
      api_app_id: 'A1',
      token: 'x',
      trigger_id: `trig-submit-${++responseCounter}`,
      view: { id: 'V1', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: 'h', team_id: 'T1', app_id: 'A1', bot_id: 'BBOT', state: { values: { [input.block_id]: { [input.element.action_id]: state } } } },
      response_urls: [],
    };
    return (await signedPost(eventsUrl, SECRET, interactionBody(payload), 'application/x-www-form-urlencoded')).status;
  };

  const event = async (ev: Json, opts: { eventId?: string; retryNum?: number } = {}): Promise<number> => {
    const id = opts.eventId ?? `Ev${++eventCounter}`;
    const headers: Record<string, string> = opts.retryNum ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    return (await signedPost(eventsUrl, SECRET, eventBody(id, ev), 'application/json', { headers })).status;
  };

  /** The card of a request in a channel as it stands now: its ts and its latest blocks (post, then updates). */
  const cardIn = (channel: string, requestId: string): { ts: string; blocks: unknown; updates: FakeCall[]; thread: FakeCall[] } | undefined => {
    const post = fake.callsOf('chat.postMessage').find((c) => c.params.channel === channel && !c.params.thread_ts && c.response && JSON.stringify(c.params.blocks).includes(`"${requestId} · `));
    if (!post?.response) return undefined;
    const ts = String(post.response.ts);
    const updates = fake.callsOf('chat.update').filter((c) => c.params.channel === channel && c.params.ts === ts);
    const thread = fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel && c.params.thread_ts === ts && c.response);
    return { ts, blocks: (updates.at(-1) ?? post).params.blocks, updates, thread };
  };

  const text = (v: unknown): string => JSON.stringify(v);

  // ——— scenarios ———

  it('answers a signed /catalog privately through response_url, naming the title with its holders, availability and buttons', async () => {
    const { status, responses } = await command(PATRON, GENERAL, '/catalog', 'ronggeng dukuh paruk');
    expect(status).toBe(200);
    expect(responses).toHaveLength(1);
    const r = responses[0] as Json & { blocks: unknown[] };
    expect(r.response_type).toBe('ephemeral');
    expect(String(r.text)).toContain('Ronggeng Dukuh Paruk');
    expect(text(r.blocks)).toContain('Ronggeng Dukuh Paruk');
    expect(text(r.blocks)).toMatch(/UGM \(Perpustakaan Universitas Gadjah Mada \(demo\)\): [^"]*(?:on the shelf|tersedia di rak)/);
    expect(r.blocks.length).toBeLessThanOrEqual(50);
    const request = findButton(r.blocks, 'ill:request');
    expect(request.text.text.length).toBeLessThanOrEqual(75);
    findButton(r.blocks, 'slack:share');
  });

  it('pages with the More button, replacing the private answer, and shares an answer to the channel', async () => {
    const first = await command(PATRON, GENERAL, '/catalog', 'jazz');
    const page1 = first.responses[0] as Json & { blocks: unknown[] };
    expect(text(page1.blocks)).toContain('"1. ');
    const more = findButton(page1.blocks, 'catalog:more');
    const paged = await click(PATRON, more, { channel: GENERAL, messageTs: '1700000000.000001', ephemeral: true });
    expect(paged.status).toBe(200);
    expect(paged.responses).toHaveLength(1);
    const page2 = paged.responses[0] as Json & { blocks: unknown[] };
    expect(page2.replace_original).toBe(true);
    expect(text(page2.blocks)).toContain('"6. ');
    expect(text(page2.blocks)).not.toContain('"1. ');

    const shared = await click(PATRON, findButton(page2.blocks, 'slack:share'), { channel: GENERAL, messageTs: '1700000000.000002', ephemeral: true });
    const [post, remove] = shared.responses;
    expect(post?.response_type).toBe('in_channel');
    expect(text(post?.blocks)).toContain('"6. ');
    expect(buttonsOf(post?.blocks)).toHaveLength(0);
    expect(text(post?.blocks)).toContain(`<@${PATRON}>`);
    expect(remove).toEqual({ delete_original: true });
  });

  it('answers a mention in its thread and takes a thread reply as the next turn of the conversation', async () => {
    const mentionTs = '1700000500.000100';
    expect(await event({ type: 'app_mention', user: UGM_LIBRARIAN, text: '<@UBOT> jazz', ts: mentionTs, channel: GENERAL, event_ts: mentionTs })).toBe(200);
    const first = fake.callsOf('chat.postMessage').filter((c) => c.params.thread_ts === mentionTs);
    expect(first).toHaveLength(1); // a librarian's answer is public, in the thread
    expect(text(first[0]?.params.blocks)).toContain('"1. ');

    expect(await event({ type: 'message', channel_type: 'channel', user: UGM_LIBRARIAN, text: 'more', ts: '1700000501.000100', thread_ts: mentionTs, channel: GENERAL })).toBe(200);
    const second = fake.callsOf('chat.postMessage').filter((c) => c.params.thread_ts === mentionTs);
    expect(second).toHaveLength(2);
    expect(text(second[1]?.params.blocks)).toContain('"6. ');

    // a message in a thread the bot is not part of is none of its business
    const before = fake.calls.length;
    expect(await event({ type: 'message', channel_type: 'channel', user: UGM_LIBRARIAN, text: 'more', ts: '1700000502.000100', thread_ts: '1600000000.000001', channel: GENERAL })).toBe(200);
    expect(fake.calls.length).toBe(before);

    // a patron's mention is answered privately in the thread
    const patronTs = '1700000503.000100';
    await event({ type: 'app_mention', user: PATRON, text: '<@UBOT> negeri 5 menara', ts: patronTs, channel: GENERAL, event_ts: patronTs });
    const eph = fake.callsOf('chat.postEphemeral').filter((c) => c.params.thread_ts === patronTs);
    expect(eph).toHaveLength(1);
    expect(eph[0]?.params.user).toBe(PATRON);
    expect(text(eph[0]?.params.blocks)).toContain('Negeri 5 menara');
  });

  it('answers direct messages, ignores its own messages and answers an event only once when Slack retries it', async () => {
    const dmTs = '1700000600.000100';
    await event({ type: 'message', channel_type: 'im', user: PATRON, text: 'cantik itu luka', ts: dmTs, channel: 'DPATRON' }, { eventId: 'EvDM1' });
    const dm = fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DPATRON');
    expect(dm).toHaveLength(1);
    expect(text(dm[0]?.params.blocks)).toContain('Cantik itu luka');
    expect(buttonsOf(dm[0]?.params.blocks).some((b) => b.action_id === 'slack:share')).toBe(false);

    // the same event again (a Slack retry): no second answer
    expect(await event({ type: 'message', channel_type: 'im', user: PATRON, text: 'cantik itu luka', ts: dmTs, channel: 'DPATRON' }, { eventId: 'EvDM1', retryNum: 1 })).toBe(200);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DPATRON')).toHaveLength(1);

    // the bot's own message (and any bot's) is not a question
    const before = fake.calls.length;
    await event({ type: 'message', channel_type: 'im', user: 'UBOT', bot_id: 'BBOT', text: 'Cantik itu luka', ts: '1700000601.000100', channel: 'DPATRON' });
    await event({ type: 'message', channel_type: 'im', subtype: 'bot_message', bot_id: 'BOTHER', text: 'hello', ts: '1700000602.000100', channel: 'DPATRON' });
    expect(fake.calls.length).toBe(before);
  });

  it('answers an event once when Slack retries it to another replica: the event ids seen are kept in the shared database', async () => {
    // a second replica on the same database (here the data directory's SQLite file; PostgreSQL with JALA_DATABASE_URL)
    // (its config is the data directory's consortium.json, as the first one's)
    const other = await createJala({ dataDir: jala.dataDir });
    const otherSlack = await startSlack({
      bot: createBot(other, { ill: createIllService(other) }),
      jala: other,
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_PORT: '0', SLACK_HOST: '127.0.0.1' },
      log,
      processBeforeResponse: true,
      deliveryIntervalMs: 100,
      timerIntervalMs: 0,
    });
    try {
      const dmTs = '1700000650.000100';
      const ev = { type: 'message', channel_type: 'im', user: PATRON, text: 'laskar pelangi', ts: dmTs, channel: 'DREPLICA' };
      await event(ev, { eventId: 'EvREPLICA1' });
      expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DREPLICA')).toHaveLength(1);
      // Slack's retry lands on the other replica behind the load balancer
      const retried = await signedPost(`http://127.0.0.1:${otherSlack.port}/slack/events`, SECRET, eventBody('EvREPLICA1', ev), 'application/json', {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      });
      expect(retried.status).toBe(200);
      // and a new event on the other replica is answered there
      const fresh = await signedPost(`http://127.0.0.1:${otherSlack.port}/slack/events`, SECRET, eventBody('EvREPLICA2', { ...ev, ts: '1700000651.000100' }), 'application/json');
      expect(fresh.status).toBe(200);
      expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DREPLICA')).toHaveLength(2);
    } finally {
      await otherSlack.stop();
      other.close();
    }
  });

  it('runs an interlibrary loan between two library channels by button clicks, with modals, threads, card updates and private patron updates', async () => {
    // the patron finds the title and asks for it through the "Request via ILL" button and its modal
    const found = await command(PATRON, GENERAL, '/catalog', 'ronggeng dukuh paruk');
    const answer = found.responses[0] as Json & { blocks: unknown[] };
    const requestButton = findButton(answer.blocks, 'ill:request');
    const opened = await click(PATRON, requestButton, { channel: GENERAL, messageTs: '1700001000.000001', ephemeral: true });
    expect(opened.responses).toHaveLength(0);
    expect(fake.callsOf('views.open').at(-1)?.params.trigger_id).toBe(`trig-${opened.id}`);
    expect(await submitModal(PATRON, { text: 'for my thesis' })).toBe(200);
    // shown first, with Confirm and Cancel; placed on Confirm
    const shown = fake.responsesOf(opened.id);
    expect(shown).toHaveLength(1);
    expect(text(shown[0]?.body.blocks)).toContain('Ronggeng Dukuh Paruk');
    expect(/R\d+/.exec(text(shown[0]?.body.blocks))).toBeNull();
    findButton(shown[0]?.body.blocks, 'ill:dismiss');
    const confirmed = await click(PATRON, findButton(shown[0]?.body.blocks, 'ill:confirm'), { channel: GENERAL, messageTs: '1700001000.000002', ephemeral: true });
    const placed = confirmed.responses as Array<Json & { blocks: unknown[] }>;
    expect(placed).toHaveLength(1);
    expect(placed[0]?.response_type ?? 'ephemeral').toBe('ephemeral');
    const rid = /R\d+/.exec(text(placed[0]?.blocks))?.[0];
    expect(rid).toBeDefined();
    const id = rid as string;

    // the requesting library (UI) sees a card with Approve in its channel
    const uiCard = cardIn(CHANNEL.UI, id);
    expect(uiCard).toBeDefined();
    expect(text(uiCard?.blocks)).toContain('for my thesis');

    // UI's librarian (member of the SUISTAFF user group) approves: the request goes to the lender, UGM
    const approved = await click(UI_LIBRARIAN, findButton(uiCard?.blocks, 'ill:approve'), { channel: CHANNEL.UI, messageTs: uiCard?.ts ?? '' });
    expect(approved.status).toBe(200);
    expect(approved.responses).toEqual([]); // the card is updated by the outbox, with the event in its thread
    const ugmCard = cardIn(CHANNEL.UGM, id);
    expect(ugmCard).toBeDefined();
    expect(buttonsOf(ugmCard?.blocks).map((b) => b.action_id)).toEqual(expect.arrayContaining(['ill:accept', 'ill:decline', 'ill:ship']));
    expect(cardIn(CHANNEL.UI, id)?.updates.length).toBeGreaterThan(0);
    expect(cardIn(CHANNEL.UI, id)?.thread.length).toBeGreaterThan(0);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === PATRON).length).toBeGreaterThan(0);

    // UGM's librarian accepts, then ships with a due date picked in the modal
    await click(UGM_LIBRARIAN, findButton(cardIn(CHANNEL.UGM, id)?.blocks, 'ill:accept'), { channel: CHANNEL.UGM, messageTs: ugmCard?.ts ?? '' });
    expect(cardIn(CHANNEL.UGM, id)?.updates).toHaveLength(1);
    expect(buttonsOf(cardIn(CHANNEL.UGM, id)?.blocks).some((b) => b.action_id === 'ill:accept')).toBe(false);
    await click(UGM_LIBRARIAN, findButton(cardIn(CHANNEL.UGM, id)?.blocks, 'ill:ship'), { channel: CHANNEL.UGM, messageTs: ugmCard?.ts ?? '' });
    const shipModal = fake.callsOf('views.open').at(-1)?.params.view as { blocks: Array<{ element: { type: string } }> };
    expect(shipModal.blocks[0]?.element.type).toBe('datepicker');
    expect(await submitModal(UGM_LIBRARIAN, { date: '2030-01-31' })).toBe(200);
    expect(text(cardIn(CHANNEL.UI, id)?.blocks)).toMatch(/31 Jan 2030/) // the due date written in the channel's language (en-GB and id-ID both read "31 Jan 2030");

    // UI receives and returns it; UGM checks it in
    await click(UI_LIBRARIAN, findButton(cardIn(CHANNEL.UI, id)?.blocks, 'ill:receive'), { channel: CHANNEL.UI, messageTs: uiCard?.ts ?? '' });
    await click(UI_LIBRARIAN, findButton(cardIn(CHANNEL.UI, id)?.blocks, 'ill:return'), { channel: CHANNEL.UI, messageTs: uiCard?.ts ?? '' });
    await click(UGM_LIBRARIAN, findButton(cardIn(CHANNEL.UGM, id)?.blocks, 'ill:checkin'), { channel: CHANNEL.UGM, messageTs: ugmCard?.ts ?? '' });

    // one card per channel, updated in place to the final state with no buttons left; every event in its thread
    const finalUgm = cardIn(CHANNEL.UGM, id);
    const finalUi = cardIn(CHANNEL.UI, id);
    expect(buttonsOf(finalUgm?.blocks)).toHaveLength(0);
    expect(buttonsOf(finalUi?.blocks)).toHaveLength(0);
    expect(text(finalUgm?.blocks)).toMatch(/selesai|completed/i);
    expect(finalUgm?.thread.length).toBeGreaterThanOrEqual(4);
    expect(finalUi?.thread.length).toBeGreaterThanOrEqual(5);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === CHANNEL.UGM && !c.params.thread_ts && text(c.params.blocks).includes(`"${id} · `))).toHaveLength(1);
    // the patron heard about it privately, by DM
    expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === PATRON && text(c.params.blocks).includes(`"${id} · `)).length).toBeGreaterThanOrEqual(3);
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('refuses Accept from someone who is not a librarian of the lending library, and leaves the card alone', async () => {
    const placed = await command(UI_LIBRARIAN, CHANNEL.UI, '/ill', 'request w6');
    expect(placed.status).toBe(200);
    const id = /R\d+/.exec(text(placed.responses[0]?.blocks))?.[0] as string;
    const card = cardIn(CHANNEL.UGM, id);
    expect(card).toBeDefined();
    const accept = findButton(card?.blocks, 'ill:accept');
    const updatesBefore = fake.callsOf('chat.update').length;
    for (const intruder of [PATRON, UI_LIBRARIAN]) {
      const res = await click(intruder, accept, { channel: CHANNEL.UGM, messageTs: card?.ts ?? '' });
      expect(res.status).toBe(200);
      expect(res.responses).toHaveLength(1);
      expect(res.responses[0]?.response_type).toBe('ephemeral');
      expect(res.responses[0]?.replace_original).toBe(false);
    }
    expect(fake.callsOf('chat.update').length).toBe(updatesBefore);
    expect(buttonsOf(cardIn(CHANNEL.UGM, id)?.blocks).some((b) => b.action_id === 'ill:accept')).toBe(true);
  });

  it('rejects a forged signature and a ten-minute-old timestamp with 401 and changes nothing', async () => {
    const callsBefore = fake.calls.length;
    const responsesBefore = fake.responses.length;
    const body = commandBody({ command: '/ill', text: 'request w6', user_id: UI_LIBRARIAN, channel_id: CHANNEL.UI, response_url: fake.responseUrl('forged') });
    const forged = await signedPost(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded', { signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const wrongSecret = await signedPost(eventsUrl, 'not-the-secret', body, 'application/x-www-form-urlencoded');
    expect(wrongSecret.status).toBe(401);
    const stale = await signedPost(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    await slack.deliver();
    expect(fake.calls.length).toBe(callsBefore);
    expect(fake.responses.length).toBe(responsesBefore);
    expect(bot.outbox.pending('slack')).toEqual([]);
  });

  it('refuses a timestamp ten minutes in the future with 401, and runs a replayed signed slash command once', async () => {
    const before = sqliteOf(jala.store).prepare('SELECT count(*) AS n FROM ill_requests').get() as { n: number };
    const body = commandBody({ command: '/ill', text: 'request w6', user_id: UI_LIBRARIAN, channel_id: CHANNEL.UI, response_url: fake.responseUrl('replay') });
    const future = await signedPost(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) + 600 });
    expect(future.status).toBe(401);
    expect(sqliteOf(jala.store).prepare('SELECT count(*) AS n FROM ill_requests').get()).toEqual(before);

    // the same signed request sent twice (same body, same timestamp, same signature)
    const timestamp = Math.floor(Date.now() / 1000) + 60;
    expect((await signedPost(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded', { timestamp })).status).toBe(200);
    expect((await signedPost(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded', { timestamp })).status).toBe(200);
    await waitFor(() => fake.responsesOf('replay').length >= 1, 5_000, 'the reply to the first');
    await slack.deliver();
    expect(sqliteOf(jala.store).prepare('SELECT count(*) AS n FROM ill_requests').get()).toEqual({ n: before.n + 1 });
    expect(fake.responsesOf('replay')).toHaveLength(1);
  });

  it('retries a 429 from Slack: outbox deliveries after Retry-After, direct replies through the Web API client', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 1, (p) => p.channel === CHANNEL.UGM && !p.thread_ts);
    const placed = await command(UI_LIBRARIAN, CHANNEL.UI, '/ill', 'request w6');
    const id = /R\d+/.exec(text(placed.responses[0]?.blocks))?.[0] as string;
    const attempts = (): FakeCall[] => fake.callsOf('chat.postMessage').filter((c) => c.params.channel === CHANNEL.UGM && !c.params.thread_ts && text(c.params.blocks).includes(`"${id} · `));
    await waitFor(() => attempts().length === 2, 5_000, 'the retried card');
    const [failed, retried] = attempts();
    expect(failed?.response).toBeUndefined();
    expect(retried?.response?.ok).toBe(true);
    expect((retried?.at ?? 0) - (failed?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(cardIn(CHANNEL.UGM, id)).toBeDefined();

    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 1, (p) => p.thread_ts === '1700000700.000100');
    await event({ type: 'app_mention', user: UGM_LIBRARIAN, text: '<@UBOT> saman', ts: '1700000700.000100', channel: GENERAL, event_ts: '1700000700.000100' });
    const replies = fake.callsOf('chat.postMessage').filter((c) => c.params.thread_ts === '1700000700.000100');
    expect(replies).toHaveLength(2);
    expect(replies[1]?.response?.ok).toBe(true);
  });

  it('falls back to the Web API when the response_url cannot be reached', async () => {
    const body = commandBody({ command: '/catalog', text: 'negeri 5 menara', user_id: PATRON, channel_id: GENERAL, response_url: 'http://127.0.0.1:9/dead' });
    expect((await signedPost(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded')).status).toBe(200);
    const eph = fake.callsOf('chat.postEphemeral').at(-1);
    expect(eph?.params.user).toBe(PATRON);
    expect(text(eph?.params.blocks)).toContain('Negeri 5 menara');
  });

  it('publishes App Home with the patron’s requests, and the queue for a librarian', async () => {
    await event({ type: 'app_home_opened', user: PATRON, channel: 'DPATRON', tab: 'home', event_ts: '1700000800.000100' });
    const patronHome = fake.callsOf('views.publish').at(-1);
    expect(patronHome?.params.user_id).toBe(PATRON);
    const view = patronHome?.params.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(text(view.blocks)).toContain('Ronggeng Dukuh Paruk');

    await event({ type: 'app_home_opened', user: UGM_LIBRARIAN, channel: 'DLIB', tab: 'home', event_ts: '1700000801.000100' });
    const libHome = fake.callsOf('views.publish').at(-1)?.params.view as { blocks: unknown[] };
    expect(text(libHome.blocks)).toMatch(/UGM/);
    expect(text(libHome.blocks)).toMatch(/R\d+ · /);
  });

  it('passes /reindex and /jala through to the core, uploading a reply’s file to the asker’s DM', async () => {
    // a patron may not reindex, and an unknown library starts nothing: either way the core's answer reaches the asker
    const refused = await command(PATRON, GENERAL, '/reindex', '');
    expect(refused.responses).toHaveLength(1);
    expect(refused.responses[0]?.response_type).toBe('ephemeral');
    const unknown = await command('UADMIN', GENERAL, '/reindex', 'NOSUCHLIB');
    expect(text(unknown.responses[0])).toContain('NOSUCHLIB');

    const help = await command(PATRON, GENERAL, '/jala', 'help');
    expect(text(help.responses[0])).toContain('/catalog');
    const settings = await command(UGM_LIBRARIAN, GENERAL, '/jala', 'settings');
    expect(text(settings.responses[0])).toMatch(/librarian.*UGM|pustakawan.*UGM/);

    const exported = await command(UGM_LIBRARIAN, GENERAL, '/jala', 'export UGM.IDN0001');
    expect(exported.responses).toHaveLength(1);
    expect(fake.callsOf('conversations.open').at(-1)?.params.users).toBe(UGM_LIBRARIAN);
    expect(fake.callsOf('files.getUploadURLExternal').at(-1)?.params.filename).toBe('UGM.IDN0001.xml');
    expect(fake.uploads.at(-1)?.body).toMatch(/<record[\s>]/);
    expect(fake.callsOf('files.completeUploadExternal').at(-1)?.params.channel_id).toBe(`D${UGM_LIBRARIAN.slice(1)}`);
  });

  it('never writes a patron\'s identity to the logs, after a whole interlibrary loan and everything above', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.includes(PATRON))).toEqual([]);
  });

  it('runs in Socket Mode: connects over a local WebSocket and answers a /catalog envelope', async () => {
    const socket = await startSlack({ bot, jala, env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: fake.apiUrl }, log });
    try {
      expect(socket.mode).toBe('socket');
      expect(socket.port).toBeUndefined();
      await fake.socketConnected();
      expect(fake.callsOf('apps.connections.open')[0]?.token).toBe('xapp-1-test');
      const ack = await fake.sendEnvelope('slash_commands', {
        token: 'x', team_id: 'T1', team_domain: 'lib', channel_id: GENERAL, channel_name: 'general', user_id: PATRON, user_name: 'patron',
        command: '/catalog', text: 'ronggeng dukuh paruk', api_app_id: 'A1', response_url: fake.responseUrl('sock1'), trigger_id: '1.2.3',
      });
      expect(ack).toBeDefined();
      const answer = await waitFor(() => fake.responsesOf('sock1')[0], 5_000, 'the answer');
      expect(JSON.stringify(answer.body.blocks)).toContain('Ronggeng Dukuh Paruk');
    } finally {
      await socket.stop();
    }
  });
});

describe('Slack adapter start-up', () => {
  it('acknowledges first and answers through response_url in production mode, on a data directory with no Slack settings', async () => {
    const fake = await startSlackFake();
    const dataDir = tempDir('jala-slack-plain-');
    const configPath = path.join(dataDir, 'plain.json');
    fs.writeFileSync(configPath, JSON.stringify({ libraries: [{ code: 'DISPUSIP', name: 'Dispusip', files: [path.join(DEFAULT_DATA_DIR, 'records', 'DISPUSIP')] }] }));
    const jala = await createJala({ dataDir, configPath, ingestMissing: true });
    const bot = createBot(jala, { ill: createIllService(jala) });
    const slack = await startSlack({ bot, jala, env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_PORT: '0', SLACK_HOST: '127.0.0.1' }, log: { info: () => {}, warn: () => {}, error: () => {} } });
    try {
      const url = `http://127.0.0.1:${slack.port}/slack/events`;
      const body = commandBody({ command: '/catalog', text: 'perahu kertas', user_id: PATRON, channel_id: GENERAL, response_url: fake.responseUrl('plain') });
      // a client that adds a charset to the form content type (fetch with URLSearchParams does) is understood too
      const res = await signedPost(url, SECRET, body, 'application/x-www-form-urlencoded;charset=UTF-8');
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      const answer = await waitFor(() => fake.responsesOf('plain')[0], 5_000, 'the answer');
      expect(answer.body.response_type).toBe('ephemeral');
      expect(JSON.stringify(answer.body.blocks)).toContain('Perahu kertas');
      expect(buttonsOf(answer.body.blocks).some((b) => b.action_id.startsWith('ill:request'))).toBe(false); // a patron with no library cannot request
      expect((await signedPost(url, SECRET, body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    } finally {
      await slack.stop();
      await fake.close();
      jala.close();
    }
  });

  it('fails at start-up with a clear message when Slack rejects the token', async () => {
    const fake = await startSlackFake();
    const { dataDir, configPath } = slackSample('jala-slack-auth-');
    const jala = await createJala({ dataDir, configPath });
    try {
      fake.failNext('auth.test', { error: 'invalid_auth' });
      const bot = createBot(jala, { ill: createIllService(jala) });
      const start = startSlack({ bot, jala, env: { SLACK_BOT_TOKEN: 'xoxb-bad', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_PORT: '0' } });
      await expect(start).rejects.toBeInstanceOf(SlackStartError);
      await expect(start).rejects.toMatchObject({ code: 'slack/auth-failed', message: expect.stringContaining('invalid_auth') });
      await expect(startSlack({ bot, jala, env: { SLACK_BOT_TOKEN: 'xoxb-x' } })).rejects.toMatchObject({ code: 'slack/bad-env' });
    } finally {
      await fake.close();
      jala.close();
    }
  });
});
