/**
 * Delivery in the core, as people notice it: a notice is worded when it is delivered, in its reader's
 * language of that moment; a notice survives a delivery loop that stops mid-send and reaches the
 * platform once; card positions kept in the old JSON files are imported once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackTransport } from '../adapters/slack/slack-transport.ts';
import { openStores, storesOf } from '../src/app/open-stores.ts';
import type { Jala } from '../src/app/create-jala.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllCards } from '../src/bot/ill-cards.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { createOutboxPort } from '../src/bot/outbox-port.ts';
import type { BotActor, BotReply } from '../src/bot/bot-types.ts';
import { silentLogger } from '../src/common/logger.ts';
import { createOutboxDelivery } from '../src/delivery/deliver-outbox.ts';
import { openMemoryDatabase } from '../src/store/open-database.ts';
import { tempDir } from './support/paths.ts';
import { sampleJala } from './support/sample-jala.ts';
import { startSlackFake, waitFor } from './support/slack-fake.ts';

const textOf = (r: BotReply): string => JSON.stringify(r.blocks);

describe('notices in the reader’s language at delivery', () => {
  let jala: Jala;
  let bot: Bot;
  beforeAll(async () => {
    jala = await sampleJala();
    bot = createBot(jala, { ill: createIllService(jala) });
  }, 300_000);
  afterAll(() => jala?.close());

  it('a patron who switches to English gets the waiting notice in English, and in Indonesian after switching back', () => {
    const patron: BotActor = { platform: 'cli', userId: 'patron-lang', role: 'patron', library: 'UI' };
    const librarian: BotActor = { platform: 'cli', userId: 'lib-ui', role: 'librarian', library: 'UI' };
    const say = (actor: BotActor, text: string) => bot.handle({ actor, conversationId: `c-${actor.userId}`, text });
    say(patron, 'saya mau pinjam buku');
    const asked = say(patron, '/ill request negeri 5 menara');
    const confirm = asked.replies.flatMap((r) => r.actions).find((a) => a.id.startsWith('ill:'));
    const placed = asked.replies.some((r) => r.request) && !confirm ? asked : say(patron, 'ya');
    const rid = [...placed.replies, ...asked.replies].map((r) => r.request?.id).find((x) => x !== undefined);
    expect(rid).toMatch(/^R\d+$/);
    say(librarian, `/ill approve ${rid}`);
    const forPatron = (): BotReply[] =>
      bot.outbox.pending('cli', 500).filter((m) => m.target.type === 'user' && m.target.userId === 'patron-lang' && m.requestId === rid).map((m) => m.reply);
    expect(forPatron().length).toBeGreaterThan(0);
    say(patron, 'thank you, what are the opening hours of the library?');
    const english = forPatron();
    expect(english.every((r) => r.language === 'en')).toBe(true);
    say(patron, 'terima kasih, kapan perpustakaan buka?');
    const indonesian = forPatron();
    expect(indonesian.every((r) => r.language === 'id')).toBe(true);
    // the same stored notices, worded twice: the wording differs
    expect(textOf(english.at(-1)!)).not.toBe(textOf(indonesian.at(-1)!));
  });
});

describe('a notice and a delivery loop that stops mid-send', () => {
  it('is delivered exactly once by the next loop', async () => {
    const fake = await startSlackFake();
    const db = openMemoryDatabase();
    try {
      const stores = storesOf(db);
      const port = createOutboxPort({ outbox: stores.outbox, cards: stores.cards, reachable: () => ['UGM'], rendering: { languageOf: () => 'en', cards: createIllCards((c) => c) }, now: () => new Date() });
      const reply: BotReply = { language: 'en', blocks: [{ type: 'text', text: 'Rapat pustakawan jam 10' }], actions: [], private: false };
      stores.outbox.enqueue({ targetType: 'library', target: 'UGM', targetPlatform: null, requestId: null, payload: JSON.stringify(reply), createdAt: new Date().toISOString(), format: 'reply' });
      const libraries = [{ code: 'UGM', channels: { slack: ['CUGM'], discord: [] } }];
      const client = (timeout: number) => new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout });
      const quiet = { info: () => {}, warn: () => {}, error: () => {} };
      // the first loop's post reaches Slack, and the answer never comes back: the loop is gone (a restart)
      fake.setOutage('hang-after-processing', (m) => m === 'chat.postMessage');
      const first = createOutboxDelivery({ outbox: port, transport: createSlackTransport(client(60_000), quiet), libraries, log: silentLogger, intervalMs: 0, policy: { leaseMs: 300 } });
      void first.run();
      await waitFor(() => fake.channelMessages('CUGM').length === 1 || undefined, 180_000, 'the first post');
      fake.setOutage(undefined);
      await new Promise((r) => setTimeout(r, 400)); // the first loop's lease runs out
      const second = createOutboxDelivery({ outbox: port, transport: createSlackTransport(client(15_000), quiet), libraries, log: silentLogger, intervalMs: 0 });
      await second.run();
      expect(port.pending('slack')).toEqual([]);
      expect(fake.channelMessages('CUGM')).toHaveLength(1);
      await second.stop();
    } finally {
      await fake.close();
      db.close();
    }
  });
});

describe('card positions from the old JSON files', () => {
  it('are imported once into the database and the files renamed to *.migrated', () => {
    const dir = tempDir('jala-card-files-');
    fs.writeFileSync(path.join(dir, 'slack-cards.json'), JSON.stringify({ version: 1, cards: { 'R1|CUGM': { channel: 'CUGM', ts: '1.1' } } }));
    fs.writeFileSync(path.join(dir, 'discord-cards.json'), JSON.stringify({ version: 1, cards: { R2: [{ channelId: '111', messageId: '222', threadId: '222' }] } }));
    const { stores, close } = openStores(dir);
    try {
      expect(stores.cards.card('slack', 'R1', 'CUGM')).toEqual({ channel: 'CUGM', messageId: '1.1' });
      expect(stores.cards.card('discord', 'R2', '111')).toEqual({ channel: '111', messageId: '222', threadId: '222' });
      expect(fs.existsSync(path.join(dir, 'slack-cards.json'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'slack-cards.json.migrated'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'discord-cards.json.migrated'))).toBe(true);
    } finally {
      close();
    }
  });

  it('leaves an unreadable file where it is', () => {
    const dir = tempDir('jala-card-files-');
    fs.writeFileSync(path.join(dir, 'slack-cards.json'), '{"version":2}');
    const { close } = openStores(dir);
    close();
    expect(fs.existsSync(path.join(dir, 'slack-cards.json'))).toBe(true);
  });
});
