import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, createIllService, createJala, type Jala } from '../src/index.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { startDiscord, type RunningDiscord } from '../adapters/discord/start-discord.ts';
import { DiscordFake, type FakeUser, type Who } from './support/discord-fake.ts';
import { discordConsortium, type DiscordLib } from './support/discord-consortium.ts';
import { sqliteOf } from './support/sqlite-of.ts';

/**
 * Privacy: a whole interlibrary loan on Discord — the patron finds a title and requests it through
 * the button and its modal, the home library approves, the lender accepts and ships, the borrower
 * receives and returns, the lender checks it in — with some failures on the way (the patron's DM and
 * an answer to the patron fail for a while), and the patron asking about it. Everything written to
 * the process's stdout and stderr meanwhile (the adapter's default log, discord.js, the core) is
 * captured: the patron's Discord id, user name and display name are never in it.
 */
const consortium = discordConsortium(7);
const { APP, GUILD, REF, LIBS, channelOf, botUser, asLibrarian } = consortium;
type Lib = DiscordLib;
const patron: FakeUser = { id: '1400000000000000777', username: 'sekar.ayu.w', global_name: 'Sekar Ayu Wulandari' };
const asPatron: Who = consortium.inReferenceDesk(patron);

let fake: DiscordFake;
let jala: Jala;
let discord: RunningDiscord;
/** everything written to stdout and stderr (and through console) while the scenario ran */
const written: string[] = [];
const restore: Array<() => void> = [];

function capture(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => void written.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
    restore.push(() => {
      console[level] = original;
    });
  }
}

beforeAll(async () => {
  const { dataDir, configPath } = consortium.dataDir('jala-discord-privacy-', { messageQuestions: true });
  jala = await createJala({ dataDir, configPath, ingestMissing: true });
  const bot = createBot(jala, { ill: createIllService(jala) });
  fake = await consortium.startFake();
  capture();
  // no `log` option: the adapter's default log (stderr), as `npm start` runs it
  discord = await startDiscord({
    bot,
    jala,
    env: { DISCORD_TOKEN: 'privacy-token', DISCORD_APPLICATION_ID: APP, DISCORD_API_URL: fake.restUrl, DISCORD_GUILD_ID: GUILD },
    outboxIntervalMs: 100,
    deliveryPolicy: { backoff: { firstMs: 200, maxMs: 1_000 } },
  });
});

afterAll(async () => {
  for (const undo of restore.splice(0)) undo();
  await discord?.stop();
  await fake?.close();
  jala?.close();
});

const callback = (id: string): Promise<any> => fake.waitFor(() => fake.callbacks(id)[0], 10_000, `the callback of interaction ${id}`);
const messagesIn = (channelId: string): any[] => fake.channels.get(channelId) ?? [];
const customIds = (message: any): string[] => (message.components ?? []).flatMap((row: any) => row.components.map((c: any) => c.custom_id));
const buttonFor = (message: any, actionId: string): string => {
  const id = customIds(message).find((c) => c.split('|')[1] === actionId);
  if (!id) throw new Error(`no ${actionId} button (has ${customIds(message).join(', ')})`);
  return id;
};
const cardIn = (channelId: string, requestId: string): any => messagesIn(channelId).find((m) => m.embeds?.[0]?.title?.startsWith(`${requestId} ·`));
const store = (): SqliteIllStore => new SqliteIllStore(sqliteOf(jala.store));
/** The card once the outbox has brought it up to the request's current version (a click carries the version it saw). */
const withButton = (channelId: string, requestId: string, actionId: string): Promise<any> =>
  fake.waitFor(() => {
    const card = cardIn(channelId, requestId);
    const version = store().request(Number(requestId.slice(1)))?.version;
    const current = card?.embeds?.[0]?.footer?.text?.endsWith(`· v${version}`);
    return current && customIds(card).some((c) => c.split('|')[1] === actionId) ? card : undefined;
  }, 30_000, `the ${actionId} button on ${requestId}'s current card`);

describe('Discord log privacy', () => {
  let requestId = '';

  it('runs a whole loan from the patron’s request to check-in, through a failing DM and a failing answer', async () => {
    // the patron finds the title and presses "Request via ILL"; a modal asks for a note
    const answer = (await callback(fake.slash(asPatron, 'catalog', { question: 'negeri 5 menara' }).id)).data;
    const modal = await callback(fake.click(asPatron, { ...answer, flags: 64 }, buttonFor(answer, 'ill:request')).id);
    expect(modal.type).toBe(9);
    const shown = (await callback(fake.submitModal(asPatron, modal.data.custom_id, { input: 'for my thesis' }, { ...answer, flags: 64 }).id)).data;
    const placed = await callback(fake.click(asPatron, { ...shown, flags: 64 }, buttonFor(shown, 'ill:confirm')).id);
    requestId = /^(R\d+) ·/.exec(placed.data.embeds[0].title)?.[1] ?? '';
    expect(requestId).toMatch(/^R\d+$/);

    // the patron's DMs fail for a while (Discord answers 500 to opening the DM, four times: one delivery attempt)
    fake.fail('POST', /^\/users\/@me\/channels$/, 500, { times: 4 });
    const uiCard = await withButton(channelOf.UI, requestId, 'ill:approve');
    expect((await callback(fake.click(asLibrarian('UI'), uiCard, buttonFor(uiCard, 'ill:approve')).id)).type).toBe(7);
    const lender = (store().request(Number(requestId.slice(1)))?.supplier ?? '') as Lib;
    expect(LIBS).toContain(lender);

    const lenderCard = await withButton(channelOf[lender], requestId, 'ill:accept');
    expect((await callback(fake.click(asLibrarian(lender), lenderCard, buttonFor(lenderCard, 'ill:accept')).id)).type).toBe(7);
    const toShip = await withButton(channelOf[lender], requestId, 'ill:ship');
    const shipModal = await callback(fake.click(asLibrarian(lender), toShip, buttonFor(toShip, 'ill:ship')).id);
    expect(shipModal.type).toBe(9);
    expect((await callback(fake.submitModal(asLibrarian(lender), shipModal.data.custom_id, { input: '2031-03-31' }, toShip).id)).type).toBe(7);

    for (const [who, channel, action] of [
      ['UI', channelOf.UI, 'ill:receive'],
      ['UI', channelOf.UI, 'ill:return'],
      [lender, channelOf[lender], 'ill:checkin'],
    ] as Array<[Lib, string, string]>) {
      const card = await withButton(channel, requestId, action);
      expect((await callback(fake.click(asLibrarian(who), card, buttonFor(card, action)).id)).type, action).toBe(7);
    }
    const r = store().request(Number(requestId.slice(1)));
    expect(r?.state).toBe('COMPLETED');
    expect(store().events(Number(requestId.slice(1))).map((e) => e.action)).toEqual(['place', 'approve', 'route', 'accept', 'ship', 'receive', 'return', 'checkin']);
    // the core knew who the patron was: the name is stored, and shown to the home library on its card
    expect(r?.patronUserId).toBe(patron.id);
    expect(r?.patronName).toBe(patron.global_name);
    // the home library's card once the outbox has brought it to the check-in (it is updated after the
    // click's own answer: on a loaded machine it can still show the return a moment longer)
    const finalCard = await fake.waitFor(() => {
      const card = cardIn(channelOf.UI, requestId);
      return card?.embeds?.[0]?.footer?.text?.endsWith(`· v${r?.version}`) ? card : undefined;
    }, 30_000, `${requestId}'s card at the check-in in UI's channel`);
    expect(JSON.stringify(finalCard.embeds)).toContain(patron.global_name);
  });

  it('the patron asks about the request (one answer fails to reach Discord) and hears about every step by DM', async () => {
    expect((await callback(fake.slash(asPatron, 'ill', { id: requestId }, 'status').id)).data.embeds[0].title).toContain(requestId);
    // the answer to /ill mine cannot be sent: every attempt, the apology's too, gets a 500
    fake.fail('POST', /^\/interactions\/\d+\/[^/]+\/callback$/, 500, { times: 8 });
    fake.slash(asPatron, 'ill', {}, 'mine');
    await fake.waitFor(() => written.some((l) => l.includes('discord/apology-failed')), 15_000, 'the failed apology in the log');
    // a mention and a DM are questions too
    const asked = fake.say(asPatron, `<@${APP}> laskar pelangi`, [botUser]);
    await fake.waitFor(() => messagesIn(REF).find((m) => m.message_reference?.message_id === asked), 10_000, 'the answer to the mention');
    await discord.outboxIdle();
    const dm = await fake.waitFor(() => fake.dmChannels.get(patron.id), 10_000, 'the patron’s DM channel');
    await fake.waitFor(() => messagesIn(dm).filter((m) => m.embeds?.[0]?.title?.startsWith(`${requestId} ·`)).length >= 5, 15_000, 'the patron’s DMs');
  });

  it('never wrote the patron’s Discord id, user name or display name to stdout or stderr', () => {
    const text = written.join('\n');
    // the log is there, with the failures in it
    expect(text).toContain('discord/ready');
    expect(text).toContain('delivery/failed');
    expect(text).toContain('discord/interaction-failed');
    for (const secret of [patron.id, patron.username, patron.global_name ?? '', 'Sekar']) {
      expect(written.filter((l) => l.includes(secret)), secret).toEqual([]);
    }
    // nor the DM channel, which leads to the patron
    const dm = fake.dmChannels.get(patron.id) ?? 'no-dm';
    expect(written.filter((l) => l.includes(dm))).toEqual([]);
  });
});
