import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, createIllService, createJala, ILL_ACTIONS, type Jala } from '../src/index.ts';
import { startDiscord, type RunningDiscord } from '../adapters/discord/start-discord.ts';
import { DiscordFake, type FakeUser, type Who } from './support/discord-fake.ts';
import { discordConsortium, type DiscordLib } from './support/discord-consortium.ts';
import { sqliteOf } from './support/sqlite-of.ts';

// The real discord.js Client against a local fake of Discord's REST API and gateway (127.0.0.1 only).

const consortium = discordConsortium(1);
const { APP, GUILD, REF, LIBS, channelOf, botUser, asLibrarian } = consortium;
const patron: FakeUser = { id: '1400000000000000001', username: 'pat', global_name: 'Pat' };
const stranger: FakeUser = { id: '1400000000000000002', username: 'sam' };
const otherBot: FakeUser = { id: '1400000000000000003', username: 'echo-bot', bot: true };
const asPatron: Who = consortium.inReferenceDesk(patron);

let fake: DiscordFake;
let jala: Jala;
let discord: RunningDiscord;
let clock = 0;
const logs: Array<{ level: string; event: string; detail?: Record<string, unknown> }> = [];

beforeAll(async () => {
  const { dataDir, configPath } = consortium.dataDir('jala-discord-', { messageQuestions: true });
  jala = await createJala({ dataDir, configPath, ingestMissing: true });
  // the ILL clock can be moved on, so failed deliveries come due again without waiting
  const bot = createBot(jala, { ill: createIllService(jala, { now: () => new Date(Date.now() + clock) }) });

  fake = await consortium.startFake();
  discord = await startDiscord({
    bot,
    jala,
    env: { DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP, DISCORD_API_URL: fake.restUrl, DISCORD_GUILD_ID: GUILD },
    log: (level, event, detail) => logs.push({ level, event, ...(detail ? { detail } : {}) }),
    outboxIntervalMs: 100,
  });
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  jala?.close();
});

const callback = (id: string) => fake.waitFor(() => fake.callbacks(id)[0], 5_000, `the callback of interaction ${id}`);
const messagesIn = (channelId: string): any[] => fake.channels.get(channelId) ?? [];
const customIds = (message: any): string[] => (message.components ?? []).flatMap((row: any) => row.components.map((c: any) => c.custom_id));
const buttonFor = (message: any, actionId: string): string => {
  const id = customIds(message).find((c) => c.split('|')[1] === actionId);
  if (!id) throw new Error(`no ${actionId} button on the card (has ${customIds(message).join(', ')})`);
  return id;
};
const cardIn = (channelId: string, requestId: string): any => messagesIn(channelId).find((m) => m.embeds?.[0]?.title?.startsWith(`${requestId} ·`));

describe('Discord adapter (real discord.js Client against a local fake)', () => {
  it('logs in with only the intents it uses and registers the commands from the command table to the guild', async () => {
    const identify = fake.identifies[0];
    expect(identify.token).toBe('test-token');
    // Guilds, GuildMessages, DirectMessages and MessageContent (mentions and DMs are questions)
    expect(identify.intents).toBe(1 | (1 << 9) | (1 << 12) | (1 << 15));
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([`/applications/${APP}/guilds/${GUILD}/commands`]);
    expect(puts[0]!.auth).toBe('Bot test-token');
    const body = puts[0]!.body as any[];
    expect(body.map((c) => c.name)).toEqual(['catalog', 'ill', 'reindex', 'jala']);
    const catalog = body.find((c) => c.name === 'catalog');
    expect(catalog.options).toEqual([expect.objectContaining({ name: 'question', type: 3, required: true, autocomplete: true })]);
    const ill = body.find((c) => c.name === 'ill');
    expect(ill.options.map((o: any) => o.name)).toEqual(['request', 'status', 'mine', 'queue', 'why', 'stats', ...ILL_ACTIONS.map((a) => a.name)]);
    expect(ill.options.every((o: any) => o.type === 1 && o.description.length <= 100)).toBe(true);
    const reindex = body.find((c) => c.name === 'reindex');
    expect(reindex.default_member_permissions).toBe('32');
    expect(reindex.contexts).toEqual([0]);
    expect(body.find((c) => c.name === 'jala').options.map((o: any) => o.name)).toContain('help');
  });

  it('answers /catalog with embeds naming the title, privately for a patron, with Request via ILL buttons and no pings', async () => {
    const { id } = fake.slash(asPatron, 'catalog', { question: 'laskar pelangi' });
    const cb = await callback(id);
    expect(cb.type).toBe(4);
    expect(cb.data.flags).toBe(64);
    expect(cb.data.allowed_mentions).toEqual({ parse: [] });
    expect(cb.data.embeds[0].title).toMatch(/^1\. Laskar pelangi/);
    expect(cb.data.content.length).toBeLessThanOrEqual(2000);
    expect(cb.data.embeds.length).toBeLessThanOrEqual(10);
    const ids = customIds(cb.data);
    expect(ids.some((c) => c.startsWith('b|ill:request|0|i|w'))).toBe(true);
    expect(ids.every((c) => c.length <= 100)).toBe(true);
  });

  it('pages through a search in place with the More button', async () => {
    const { id } = fake.slash(asPatron, 'catalog', { question: 'jazz' });
    const first = (await callback(id)).data;
    expect(first.embeds.length).toBe(5);
    const more = fake.click(asPatron, { ...first, flags: 64 }, buttonFor(first, 'catalog:more'));
    const next = await callback(more.id);
    expect(next.type).toBe(7);
    expect(next.data.embeds[0].title).toMatch(/^6\. /);
  });

  it('defers /reindex and answers it after the core has re-checked the caller', async () => {
    const { id, token } = fake.slash(asPatron, 'reindex', {});
    const cb = await callback(id);
    expect(cb).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitFor(() => fake.webhookCalls(token).find((r) => r.method === 'PATCH'), 5_000, 'the edited reply');
    expect(edit.path).toBe(`/webhooks/${APP}/${token}/messages/@original`);
    expect(edit.body.content.length).toBeGreaterThan(0);
  });

  it('answers /jala help privately', async () => {
    const { id } = fake.slash(asPatron, 'jala', {}, 'help');
    const cb = await callback(id);
    expect(cb.data.flags).toBe(64);
    expect(JSON.stringify(cb.data)).toContain('/catalog'); // the help is long: it may go into an embed
  });

  it('autocompletes titles from the local index with at most 25 choices', async () => {
    const { id } = fake.autocomplete(asPatron, 'catalog', 'question', 'laskar');
    const cb = await callback(id);
    expect(cb.type).toBe(8);
    expect(cb.data.choices.length).toBeGreaterThan(0);
    expect(cb.data.choices.length).toBeLessThanOrEqual(25);
    expect(cb.data.choices.map((c: any) => c.name)).toContain('Laskar pelangi');
  });

  it('runs an ILL request by button clicks between the two libraries’ channels, with a thread per request', async () => {
    // the patron searches and presses "Request via ILL": a modal asks for a note first
    const search = fake.slash(asPatron, 'catalog', { question: 'negeri 5 menara' });
    const answer = (await callback(search.id)).data;
    const requestButton = buttonFor(answer, 'ill:request');
    const press = fake.click(asPatron, { ...answer, flags: 64 }, requestButton);
    const modal = await callback(press.id);
    expect(modal.type).toBe(9);
    expect(modal.data.components[0].type).toBe(18);
    const submit = fake.submitModal(asPatron, modal.data.custom_id, { input: 'for my thesis' }, { ...answer, flags: 64 });
    // shown first with Confirm and Cancel; placed on Confirm
    const shown = await callback(submit.id);
    expect(shown.data.flags).toBe(64);
    buttonFor(shown.data, 'ill:dismiss');
    const placed = await callback(fake.click(asPatron, { ...shown.data, flags: 64 }, buttonFor(shown.data, 'ill:confirm')).id);
    const requestId = /^(R\d+) ·/.exec(placed.data.embeds[0].title)?.[1] as string;
    expect(requestId).toMatch(/^R\d+$/);

    // the requesting library (UI) gets the card with its buttons, and a thread is started from it
    const uiCard = await fake.waitFor(() => cardIn(channelOf.UI, requestId), 5_000, 'the card in the UI channel');
    const uiThread = await fake.waitFor(() => [...fake.threads.values()].find((t) => t.parent_id === channelOf.UI), 5_000, 'a thread on the UI card');
    expect(uiThread.name).toContain(requestId);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/channels/${channelOf.UI}/messages/${uiCard.id}/threads`)).toBe(true);

    // a UI librarian approves: the card is redrawn in place and the request goes to a lender
    const approve = fake.click(asLibrarian('UI'), uiCard, buttonFor(uiCard, 'ill:approve'));
    const approved = await callback(approve.id);
    expect(approved.type).toBe(7);
    const supplier = /→ (\w+)/.exec(approved.data.embeds[0].footer.text)?.[1] as DiscordLib;
    expect(LIBS).toContain(supplier);
    expect(supplier).not.toBe('UI');

    // the lender's channel gets its own card (Accept, Decline, …) and thread
    const supCard = await fake.waitFor(() => cardIn(channelOf[supplier], requestId), 5_000, 'the card in the lender channel');
    await fake.waitFor(() => [...fake.threads.values()].find((t) => t.parent_id === channelOf[supplier]), 5_000, 'a thread on the lender card');
    const accept = fake.click(asLibrarian(supplier), supCard, buttonFor(supCard, 'ill:accept'));
    const accepted = await callback(accept.id);
    expect(accepted.type).toBe(7);
    // the card as redrawn by the click carries the request's new version; the fake's copy of the card
    // shows it once the message is edited (a Ship button of the version before would be refused as stale)
    const shipAfterAccept = buttonFor(accepted.data, 'ill:ship');

    // ship asks for an optional due date in a modal; empty is fine
    await fake.waitFor(() => customIds(cardIn(channelOf[supplier], requestId)).includes(shipAfterAccept), 5_000, 'the Ship button of the accepted request');
    const shipPress = fake.click(asLibrarian(supplier), cardIn(channelOf[supplier], requestId), buttonFor(cardIn(channelOf[supplier], requestId), 'ill:ship'));
    const shipModal = await callback(shipPress.id);
    expect(shipModal.type).toBe(9);
    const ship = fake.submitModal(asLibrarian(supplier), shipModal.data.custom_id, { input: '' }, cardIn(channelOf[supplier], requestId));
    expect((await callback(ship.id)).type).toBe(7);

    // the borrower receives it from its card
    await fake.waitFor(() => customIds(cardIn(channelOf.UI, requestId)).some((c) => c.includes('|ill:receive|')), 5_000, 'the Receive button on the UI card');
    const receive = fake.click(asLibrarian('UI'), cardIn(channelOf.UI, requestId), buttonFor(cardIn(channelOf.UI, requestId), 'ill:receive'));
    const received = await callback(receive.id);
    expect(received.type).toBe(7);
    expect(received.data.embeds[0].footer.text).toMatch(/^(?:received by the borrowing library|sudah diterima perpustakaan peminjam)/); // the state in words, never its code

    // every later event went into both threads; the cards were edited in place; the patron heard privately
    await discord.outboxIdle();
    await fake.waitFor(() => messagesIn(uiThread.id).length >= 3, 5_000, 'events in the UI thread');
    const supThread = [...fake.threads.values()].find((t) => t.parent_id === channelOf[supplier])!;
    await fake.waitFor(() => messagesIn(supThread.id).length >= 2, 5_000, 'events in the lender thread');
    expect(messagesIn(uiThread.id).every((m) => m.components.length === 0)).toBe(true);
    expect(fake.requests.some((r) => r.method === 'PATCH' && r.path === `/channels/${channelOf.UI}/messages/${uiCard.id}`)).toBe(true);
    expect(messagesIn(channelOf.UI).filter((m) => m.embeds?.[0]?.title?.startsWith(`${requestId} ·`))).toHaveLength(1);
    // one redraw per transition: each event in the thread matches exactly one edit of the card (a click's redraw is not repeated by the outbox)
    expect(cardIn(channelOf.UI, requestId).edits).toBe(messagesIn(uiThread.id).length);
    const dm = fake.dmChannels.get(patron.id);
    expect(dm).toBeDefined();
    await fake.waitFor(() => messagesIn(dm!).some((m) => m.embeds?.[0]?.title?.startsWith(`${requestId} ·`)), 5_000, 'a DM to the patron');
  });

  it('refuses a card button pressed by someone who is not a librarian of that library, and leaves the card alone', async () => {
    const { id: searchId } = fake.slash(asLibrarian('UI'), 'ill', { item: 'ronggeng dukuh paruk' }, 'request');
    const placed = await callback(searchId);
    const requestId = /^(R\d+) ·/.exec(placed.data.embeds[0].title)?.[1] as string;
    const supplier = /→ (\w+)/.exec(placed.data.embeds[0].footer.text)?.[1] as DiscordLib;
    const card = await fake.waitFor(() => cardIn(channelOf[supplier], requestId), 5_000, 'the lender card');
    const patchesBefore = fake.requests.filter((r) => r.method === 'PATCH').length;

    const click = fake.click({ user: stranger, guildId: GUILD, channelId: channelOf[supplier], roles: [] }, card, buttonFor(card, 'ill:accept'));
    const refused = await callback(click.id);
    expect(refused.type).toBe(4);
    expect(refused.data.flags).toBe(64);
    expect(refused.data.embeds ?? []).toHaveLength(0);
    // the requesting library's librarian is no lender either
    const wrongLibrary = fake.click({ ...asLibrarian('UI'), channelId: channelOf[supplier] }, card, buttonFor(card, 'ill:accept'));
    expect((await callback(wrongLibrary.id)).data.flags).toBe(64);
    await discord.outboxIdle();
    expect(fake.requests.filter((r) => r.method === 'PATCH').length).toBe(patchesBefore);
  });

  it('answers mentions and DMs but never another bot’s message', async () => {
    const fromBot = fake.say({ user: otherBot, guildId: GUILD, channelId: REF }, `<@${APP}> laskar pelangi`, [botUser]);
    const fromHuman = fake.say(asPatron, `<@${APP}> laskar pelangi`, [botUser]);
    const reply = await fake.waitFor(() => messagesIn(REF).find((m) => m.message_reference?.message_id === fromHuman), 5_000, 'the reply to the mention');
    expect(reply.embeds[0].title).toMatch(/Laskar pelangi/);
    expect(reply.allowed_mentions.parse).toEqual([]);
    expect(messagesIn(REF).some((m) => m.message_reference?.message_id === fromBot)).toBe(false);
    // a message without a mention is not a question
    const chatter = fake.say(asPatron, 'laskar pelangi is great');
    const dmChannel = '1500000000000000001';
    fake.channels.set(dmChannel, []);
    fake.say({ user: patron, channelId: dmChannel }, 'bumi manusia');
    const dmReply = await fake.waitFor(() => messagesIn(dmChannel)[0], 5_000, 'the DM reply');
    expect(dmReply.embeds[0].title).toMatch(/Bumi manusia/i);
    expect(messagesIn(REF).some((m) => m.message_reference?.message_id === chatter)).toBe(false);
  });

  it('waits out a 429 on a message post and retries it', async () => {
    fake.fail('POST', new RegExp(`^/channels/${REF}/messages$`), 429, { retryAfter: 0.3 });
    const before = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${REF}/messages`).length;
    const asked = fake.say(asPatron, `<@${APP}> saman`, [botUser]);
    await fake.waitFor(() => messagesIn(REF).find((m) => m.message_reference?.message_id === asked), 5_000, 'the reply after the 429');
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${REF}/messages`).length - before).toBe(2);
    expect(logs.some((l) => l.event === 'discord/rate-limited')).toBe(true);
  });

  it('keeps a failed outbox delivery and delivers it on a later attempt', async () => {
    const target = channelOf.UI;
    // the card post fails until discord.js gives up (5xx are retried three times), then the outbox retries later
    fake.fail('POST', new RegExp(`^/channels/${target}/messages$`), 500, { times: 4 });
    // a librarian's request is placed at once (a patron's is shown for confirmation first)
    const placed = await callback(fake.slash(asLibrarian('UI'), 'ill', { item: 'negeri 5 menara' }, 'request').id);
    const requestId = /^(R\d+) ·/.exec(placed.data.embeds[0].title)?.[1] as string;
    await fake.waitFor(() => logs.some((l) => l.event === 'delivery/failed'), 10_000, 'a failed delivery');
    expect(cardIn(target, requestId)).toBeUndefined();
    clock += 10_000; // the outbox's retry delay has passed
    await fake.waitFor(() => cardIn(target, requestId), 5_000, 'the card after the retry');
  });

  it('runs a repeated interaction (same id) once: one request, one callback', async () => {
    const count = (): number => (sqliteOf(jala.store).prepare('SELECT count(*) AS n FROM ill_requests').get() as { n: number }).n;
    const before = count();
    // a librarian's /ill request places at once (a patron's is shown for confirmation first)
    const { id } = fake.slash(asLibrarian('UI'), 'ill', { item: 'laskar pelangi' }, 'request');
    await callback(id);
    fake.replayInteraction(id);
    // a later interaction is answered after the replay was read: the replay has been seen by then
    await callback(fake.slash(asPatron, 'jala', {}, 'help').id);
    expect(fake.callbacks(id)).toHaveLength(1);
    expect(count()).toBe(before + 1);
  });

  it('keeps the gateway alive: heartbeats are sent and acknowledged', async () => {
    await fake.waitFor(() => fake.gatewayLog.some((m) => m.op === 1), 5_000, 'a heartbeat');
    // the client measures its ping from the acknowledgement
    await fake.waitFor(() => discord.client.ws.ping >= 0, 5_000, 'a heartbeat acknowledgement');
  });

  it('resumes the session after a gateway RECONNECT and keeps answering', async () => {
    fake.reconnect();
    const resume = await fake.waitFor(() => fake.resumes[0], 10_000, 'RESUME');
    expect(resume.session_id).toMatch(/^sess-/);
    expect(resume.token).toBe('test-token');
    expect(fake.identifies).toHaveLength(1);
    await fake.waitFor(() => logs.some((l) => l.event === 'discord/resumed'), 5_000, 'the resumed event');
    const { id } = fake.slash(asPatron, 'catalog', { question: 'bumi manusia' });
    expect((await callback(id)).data.embeds[0].title).toMatch(/Bumi manusia/i);
  });

  it('logged no failed interaction or message along the way', () => {
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
