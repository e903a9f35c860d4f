import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor, BotReply } from '../src/bot/bot-types.ts';
import { CONFIRM_TTL_MS, createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { sampleJala } from './support/sample-jala.ts';

/**
 * Issue 18: a patron's request is shown (title, author, year, where it would come from) and placed
 * only when confirmed — by button or "yes"/"ya" — once, however often Confirm is pressed, and not after
 * the confirmation expired (on the bot's clock, not the wall clock). Staff place at once: a librarian
 * asking on a patron's behalf names the work, and a double click on "Request via ILL" places once.
 */

let jala: Jala;
let bot: Bot;
let t = Date.parse('2026-11-24T09:00:00Z');
const now = () => new Date(t);

const patron = (userId: string): BotActor => ({ platform: 'discord', userId, role: 'patron', library: 'UGM', displayName: userId });
const librarian: BotActor = { platform: 'slack', userId: 'L-ugm', role: 'librarian', library: 'UGM' };
let rainbow: string;

beforeAll(async () => {
  jala = await sampleJala();
  bot = createBot(jala, { ill: createIllService(jala, { now }), now });
  rainbow = (jala.ask('The rainbow troops').results.find((r) => r.title.toLowerCase().startsWith('the rainbow troops')) as { workId: string }).workId;
});
afterAll(() => jala.close());

const say = (actor: BotActor, text: string): BotReply => {
  t += 1000;
  return bot.handle({ actor, conversationId: `dm-${actor.userId}`, text }).replies[0] as BotReply;
};
const press = (actor: BotActor, b: { id: string; target: string; version: number }, input?: string) => {
  t += 1000;
  return bot.handle({ actor, conversationId: `dm-${actor.userId}`, action: { id: b.id, target: b.target, version: b.version, ...(input ? { input } : {}) } });
};
const button = (r: BotReply | undefined, id: string) => {
  const b = r?.actions.find((a) => a.id === id);
  if (!b) throw new Error(`no ${id} in ${JSON.stringify(r)}`);
  return b;
};
const requestsOf = (userId: string) => jala.stores.ill.requestsOfPatron('discord', userId);

describe('a patron confirms a request before it is placed', () => {
  it('shows the work, the lender and the buttons in the person\'s language; Confirm twice places once', () => {
    const shown = say(patron('p1'), `/ill request ${rainbow}`);
    expect(shown.workId).toBe(rainbow);
    expect(shown.language).toBe('en');
    const text = shown.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
    expect(text).toMatch(/rainbow troops/i);
    expect(text).toMatch(/UI/);
    expect(requestsOf('p1')).toHaveLength(0);
    const confirm = button(shown, 'ill:confirm');
    const first = press(patron('p1'), confirm);
    expect(first.replies[0]?.request).toMatchObject({ state: 'NEW', workId: rainbow });
    expect(first.notifications.length).toBeGreaterThan(0);
    const again = press(patron('p1'), confirm);
    expect(again.replies[0]?.error).toBe('ill/confirmation-gone');
    expect(again.notifications).toEqual([]);
    expect(say(patron('p1'), 'yes').request).toBeUndefined();
    expect(requestsOf('p1')).toHaveLength(1);
  });

  it('asks in Bahasa Indonesia and takes "ya"', () => {
    const shown = say(patron('p2'), 'pinjam buku the rainbow troops dong');
    expect(shown.language).toBe('id');
    expect(button(shown, 'ill:confirm').label).toMatch(/^Ya, ajukan/);
    expect(button(shown, 'ill:dismiss').label).toBe('Tidak, batalkan');
    expect(requestsOf('p2')).toHaveLength(0);
    expect(say(patron('p2'), 'ya').request).toMatchObject({ workId: rainbow });
    expect(requestsOf('p2')).toHaveLength(1);
  });

  it(`expires after ${CONFIRM_TTL_MS / 60_000} minutes on the bot's clock: nothing placed`, () => {
    const shown = say(patron('p3'), `/ill request ${rainbow}`);
    t += CONFIRM_TTL_MS;
    const late = press(patron('p3'), button(shown, 'ill:confirm'));
    expect(late.replies[0]?.error).toBe('ill/confirmation-expired');
    expect(requestsOf('p3')).toHaveLength(0);
    // just inside the time it still works
    const again = say(patron('p3'), `/ill request ${rainbow}`);
    t += CONFIRM_TTL_MS - 5_000;
    expect(press(patron('p3'), button(again, 'ill:confirm')).replies[0]?.request).toMatchObject({ workId: rainbow });
    expect(requestsOf('p3')).toHaveLength(1);
  });

  it('"Request via ILL" on a search result shows the request with the note typed into its form, placed on Confirm', () => {
    const answer = say(patron('p4'), 'the rainbow troops');
    const via = answer.actions.find((a) => a.id === 'ill:request' && a.target === rainbow);
    expect(via).toBeDefined();
    const shown = press(patron('p4'), via as NonNullable<typeof via>, 'for my thesis 2026-12-30').replies[0];
    expect(shown?.request).toBeUndefined();
    expect(requestsOf('p4')).toHaveLength(0);
    press(patron('p4'), button(shown, 'ill:confirm'));
    expect(requestsOf('p4')).toEqual([expect.objectContaining({ workId: Number(rainbow.slice(1)), note: 'for my thesis', needBy: '2026-12-30' })]);
  });
});

describe('staff place at once', () => {
  it('a librarian\'s /ill request places directly; a double click on "Request via ILL" places once', () => {
    const before = jala.stores.ill.openRequestsOfLibrary('UGM', [], 1000).length;
    const typed = say(librarian, `/ill request ${rainbow}`);
    expect(typed.request).toMatchObject({ state: 'SENT', workId: rainbow });
    const b = { id: 'ill:request', target: rainbow, version: 0 };
    const once = press(librarian, b, 'for patron 7781');
    expect(once.replies[0]?.request).toMatchObject({ state: 'SENT' });
    const twice = press(librarian, b, 'for patron 7781');
    expect(twice.replies[0]?.request?.id).toBe(once.replies[0]?.request?.id);
    expect(twice.notifications).toEqual([]);
    expect(jala.stores.ill.openRequestsOfLibrary('UGM', [], 1000).length).toBe(before + 2);
  });
});
