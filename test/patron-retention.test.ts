import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService, type IllService } from '../src/bot/ill-commands.ts';
import { sampleJala } from './support/sample-jala.ts';
import { illCommand } from './support/ill-request.ts';

/**
 * Issue 18's retention rule end to end: when the ILL timers forget a patron's identity on requests
 * closed longer ago than ill.retentionDays, the language Jala remembered for them and their
 * conversation contexts go too — unless a request still keeps their identity. Nobody else's.
 */

let jala: Jala;
let bot: Bot;
let ill: IllService;
let t = Date.parse('2026-01-05T09:00:00Z');
const now = () => new Date(t);

const patron = (userId: string): BotActor => ({ platform: 'slack', userId, role: 'patron', library: 'UGM', displayName: userId });
const librarian: BotActor = { platform: 'slack', userId: 'L-ugm', role: 'librarian', library: 'UGM' };

beforeAll(async () => {
  jala = await sampleJala();
  ill = createIllService(jala, { now });
  bot = createBot(jala, { ill, now, contextTtlMs: 3650 * 86_400_000 });
});
afterAll(() => jala.close());

const language = (userId: string) => jala.stores.conversations.personLanguage('slack', userId, now().toISOString());
const context = (userId: string) => jala.stores.conversations.context(JSON.stringify(['slack', userId, 'D1']), now().toISOString());

/** A patron writes in English, has a request placed for them and (when `close`) cancelled. */
function patronWithRequest(userId: string, close: boolean): number {
  bot.handle({ actor: patron(userId), conversationId: 'D1', text: 'who has the rainbow troops?' });
  expect(language(userId)).toBe('en');
  const placed = ill.handleCommand({ actor: patron(userId), conversationId: 'D1', text: '' }, illCommand('request the rainbow troops'), 'en');
  const id = Number(placed.replies[0]?.request?.id.slice(1));
  expect(id).toBeGreaterThan(0);
  if (close) expect(ill.act(librarian, id, 'reject', 'no longer needed', undefined, 'en').ok).toBe(true);
  return id;
}

describe('patron retention forgets the conversation too', () => {
  it('forgets the language and contexts of a patron whose last request passes retention, keeps them for one with an open request and for people without requests', () => {
    const gone = 'U-gone';
    const kept = 'U-open';
    const chatter = 'U-chat';
    patronWithRequest(gone, true);
    patronWithRequest(kept, true);
    patronWithRequest(kept, false);
    bot.handle({ actor: patron(chatter), conversationId: 'D1', text: 'who has the rainbow troops?' });
    expect(context(gone)).toBeDefined();

    // a day later nothing is forgotten; past the retention time the closed request's patron is
    t += 86_400_000;
    bot.runTimers();
    expect(language(gone)).toBe('en');
    t += (jala.config.ill.retentionDays + 1) * 86_400_000;
    bot.runTimers();
    expect(language(gone)).toBeUndefined();
    expect(context(gone)).toBeUndefined();
    expect(ill.handleCommand({ actor: patron(gone), conversationId: 'D1', text: '' }, illCommand('mine'), 'en').replies[0]?.blocks[0]).toMatchObject({ type: 'text' });
    // still keeps an open request: its notices need the patron's language
    expect(language(kept)).toBe('en');
    expect(context(kept)).toBeDefined();
    // never placed a request: the retention rule of ILL is not theirs
    expect(language(chatter)).toBe('en');
  });
});
