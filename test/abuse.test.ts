import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { renderReply as renderSlack } from '../adapters/slack/render-blocks.ts';
import { renderReply as renderDiscord, toInteractionOptions, toMessageBody } from '../adapters/discord/render-embeds.ts';
import { MAX_STEP_RATIO, hostile, measureGrowth } from './support/linear-growth.ts';
import { sampleJala } from './support/sample-jala.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const patron = (userId: string): BotActor => ({ platform: 'slack', userId, role: 'patron', library: 'UGM' });
const librarian = (library: string): BotActor => ({ platform: 'slack', userId: `L-${library}`, role: 'librarian', library });

let jala: Jala;
let bot: Bot;
let clock = Date.parse('2026-11-24T09:00:00Z');

beforeAll(async () => {
  jala = await sampleJala();
  bot = createBot(jala, { ill: createIllService(jala), now: () => new Date(clock) });
});
afterAll(() => jala.close());

describe('abuse', () => {
  it('answers very long messages and control characters without failing', () => {
    for (const text of ['laskar '.repeat(20_000), 'bumi\u0000manusia\u0007\u001b[31m', '\u202e\u200bnegeri 5 menara\ufeff', '💥'.repeat(5000)]) {
      const result = bot.handle({ actor: patron(`long-${text.length}`), conversationId: 'c', text });
      expect(result.replies.length).toBeGreaterThan(0);
      expect(result.replies[0]?.error).toBeUndefined();
    }
  });

  it('treats SQL-looking input as words and loses nothing', () => {
    const before = jala.store.stats();
    for (const text of ["'; DROP TABLE records; --", 'laskar" OR 1=1 --', '/ill status 1; DELETE FROM ill_requests', 'title:%_% lib:UGM\' --']) {
      bot.handle({ actor: patron('sql'), conversationId: 'sql', text });
    }
    expect(jala.store.stats()).toEqual(before);
    expect(sqliteOf(jala.store).pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('never lets titles or notes ping @channel / @everyone or break the layout', () => {
    const placed = bot.handle({ actor: librarian('UGM'), conversationId: 'x', text: '/ill request the rainbow troops note:<!channel> @everyone <@U123> *bold* `code` ```block``` <https://evil.example|click>' });
    const card = placed.replies[0];
    expect(card?.request?.state).toBe('SENT');
    const slack = renderSlack(card as NonNullable<typeof card>);
    // mrkdwn is escaped; rich-text 'text' elements are literal; no mention or broadcast elements are made
    const risky: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string' && /<[!@#]|<https?:/.test(o.text)) risky.push(o.text);
        if (o.type === 'broadcast' || o.type === 'user' || o.type === 'usergroup' || o.type === 'link') risky.push(JSON.stringify(o));
        Object.values(o).forEach(walk);
      }
    };
    walk(slack.blocks);
    expect(risky).toEqual([]);
    expect(slack.text).not.toMatch(/<!channel>|<@U123>|<https:/);
    // Discord: every message and interaction reply is sent with no mentions allowed
    const discord = renderDiscord(card as NonNullable<typeof card>);
    expect(toMessageBody(discord).allowed_mentions).toEqual({ parse: [] });
    expect(toInteractionOptions(discord).allowedMentions).toEqual({ parse: [] });
  });

  it('refuses commands from people without the role', () => {
    expect(bot.handle({ actor: patron('nosy'), conversationId: 'r', text: '/ill queue' }).replies[0]?.error).toBe('ill/forbidden');
    expect(bot.handle({ actor: patron('nosy'), conversationId: 'r', text: '/jala faq add Is it free? | Yes' }).replies[0]?.error).toBe('faq/forbidden');
    expect(bot.handle({ actor: patron('nosy'), conversationId: 'r', text: '/ill close R1 done' }).replies[0]?.error).toBe('ill/forbidden');
  });

  it('slows down one person flooding questions with a friendly message, without affecting others', () => {
    const replies = Array.from({ length: 25 }, (_, i) => bot.handle({ actor: patron('flood'), conversationId: 'f', text: `laskar pelangi ${i}` }).replies[0]);
    const limited = replies.filter((r) => r?.error === 'bot/rate-limited');
    expect(limited.length).toBe(5);
    expect(limited[0]?.blocks[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/wait a minute|tunggu sebentar/) });
    expect(bot.handle({ actor: patron('calm'), conversationId: 'f', text: 'laskar pelangi' }).replies[0]?.error).toBeUndefined();
    clock += 61_000;
    expect(bot.handle({ actor: patron('flood'), conversationId: 'f', text: 'laskar pelangi' }).replies[0]?.error).toBeUndefined();
  });
});

describe('no message can stall the bot (issue 17)', () => {
  const textOf = (result: ReturnType<Bot['handle']>): string =>
    result.replies.flatMap((r) => r.blocks.map((b) => (b.type === 'text' ? b.text : ''))).join('\n');
  let user = 0;
  const say = (text: string, actor: BotActor = patron(`hostile-${++user}`)): ReturnType<Bot['handle']> => bot.handle({ actor, conversationId: `h${user}`, text });

  it('cuts a 1 MB message to its first 4,000 characters before reading it, and says so', () => {
    for (const text of ['/ill request ' + '7'.repeat(1_000_000), 'when is the library '.repeat(50_000), 'as a '.repeat(200_000), ' '.repeat(1_000_000) + 'x']) {
      const result = say(text);
      expect(textOf(result)).toContain('read only its first 4,000 characters');
    }
    expect(textOf(say('laskar pelangi'))).not.toContain('characters');
  });

  it('handles a 1 MB message in time that grows no faster than its length (ratios, not a clock)', () => {
    const handle = (text: string): unknown => say(text);
    for (const make of [hostile('/ill request ', '7'), hostile('when is the library ', 'x '), hostile('/jala faq add UGM: q', ' ', 'x'), hostile('', 'how many ')]) {
      const g = measureGrowth(handle, make);
      expect(g.ratios.every((r) => r <= MAX_STEP_RATIO), `${g.ms.map((m) => m.toFixed(1)).join(' → ')} ms`).toBe(true);
    }
  });

  it('refuses a 2 MB FAQ entry with the limits, stores nothing, and caps what /jala faq echoes', () => {
    const added = say('/jala faq add Is there wifi? | Yes.', librarian('UGM'));
    const id = /#(\d+)/.exec(textOf(added))?.[1] as string;
    const big = `/jala faq edit ${id} Is there wifi? | ${'y'.repeat(2_000_000)}`;
    const refused = say(big, librarian('UGM'));
    expect(refused.replies[0]?.error).toBe('faq/too-long');
    expect(textOf(refused)).toContain('at most 2000');
    expect(say(`/jala faq add ${'q'.repeat(301)} | ${'a'.repeat(10)}`, librarian('UGM')).replies[0]?.error).toBe('faq/too-long');
    const listed = textOf(say('/jala faq'));
    expect(listed).toContain('Is there wifi? — Yes.');
    expect(listed.length).toBeLessThan(10_000);
    say(`/jala faq remove ${id}`, librarian('UGM'));
  });

  it('reads a long reading list by its own limits and says what was cut', () => {
    const list = Array.from({ length: 60 }, (_, i) => (i === 0 ? `Laskar pelangi ${'x'.repeat(800)}` : `The history of the book ${i}`)).join('\n');
    const reply = textOf(say(list));
    expect(reply).toContain('One line was longer than 500 characters');
    expect(reply).toContain('10 more were left out');
    expect(reply).not.toContain('read only its first');
    expect(reply.length).toBeLessThan(50 * 400);
  });
});
