import { describe, expect, it } from 'vitest';
import { storesOf } from '../../src/app/open-stores.ts';
import type { BotReply } from '../../src/bot/bot-types.ts';
import { createIllCards } from '../../src/bot/ill-cards.ts';
import { createOutboxPort } from '../../src/bot/outbox-port.ts';
import { silentLogger } from '../../src/common/logger.ts';
import { createOutboxDelivery, type DeliveryPolicy } from '../../src/delivery/deliver-outbox.ts';
import { TransportError, type PostedMessage, type Transport } from '../../src/delivery/transport.ts';
import { openMemoryDatabase } from '../../src/store/open-database.ts';

/** What a contract run needs from one platform: its transport against the platform's fake, and what the fake saw. */
export interface TransportHarness {
  transport: Transport;
  /** a library channel the bot may post in */
  channel: string;
  /** a person the bot may write to */
  userId: string;
  /** every top-level message in a channel, as one string each (text, blocks, embeds) */
  channelTexts(channel: string): string[];
  /** the messages in a card's thread */
  threadTexts(card: PostedMessage): string[];
  /** the messages in the bot's DM with a person */
  dmTexts(userId: string): string[];
  /** how many times a message was edited */
  edits(message: PostedMessage): number;
  /** names of the files uploaded */
  uploads(): string[];
  /** the platform refuses the next `times` posts: the token is refused, or it rate-limits (Retry-After in seconds) */
  failNextPost(kind: 'unauthorized' | 'forbidden' | 'rate-limited', times?: number): void;
  /** does a 429 reach the transport ('surfaces', as a coded failure) or does the platform's client wait it out itself? */
  rateLimit: 'surfaces' | 'waited-out';
  close(): Promise<void>;
}

const text = (t: string): BotReply => ({ language: 'en', blocks: [{ type: 'text', text: t }], actions: [], private: false });
const cardReply = (version: number, line: string): BotReply => {
  const request = { id: 'R9', state: 'SENT', requester: 'UI', supplier: 'UGM', version, title: 'Cantik itu luka' };
  return {
    language: 'en',
    blocks: [{ type: 'request-card', request, lines: [`state v${version}`, line], event: line }],
    actions: [{ id: 'ill:accept', label: 'Accept', target: 'R9', version }],
    private: false,
    request,
  };
};

/** The transport contract: what every platform's Transport does, run against each platform's fake. */
export function transportContract(name: string, open: () => Promise<TransportHarness>): void {
  describe(`Transport contract: ${name}`, () => {
    it('posts to a channel once per send key, even when a retry says the post may exist', async () => {
      const h = await open();
      try {
        const first = await h.transport.post(h.channel, text('Jala contract post one'), { key: 'k1|post|c', mayExist: false });
        const again = await h.transport.post(h.channel, text('Jala contract post one'), { key: 'k1|post|c', mayExist: true });
        expect(again.messageId).toBe(first.messageId);
        expect(h.channelTexts(h.channel).filter((t) => t.includes('Jala contract post one'))).toHaveLength(1);
      } finally {
        await h.close();
      }
    });

    it('updates a posted card in place and tells the event in its thread', async () => {
      const h = await open();
      try {
        const card = await h.transport.post(h.channel, cardReply(1, 'placed by UI'), { key: 'k2|card|c', mayExist: false });
        await h.transport.update(card, cardReply(2, 'accepted by UGM'));
        expect(h.edits(card)).toBe(1);
        expect(h.channelTexts(h.channel).filter((t) => t.includes('state v2'))).toHaveLength(1);
        const after = await h.transport.threadReply(card, cardReply(2, 'accepted by UGM'), { key: 'k3|event|c', mayExist: false });
        expect(h.threadTexts(after).filter((t) => t.includes('accepted by UGM'))).toHaveLength(1);
        // the event is not a second card: the channel still has one message
        expect(h.channelTexts(h.channel)).toHaveLength(1);
      } finally {
        await h.close();
      }
    });

    it('writes a direct message and uploads a file', async () => {
      const h = await open();
      try {
        await h.transport.directMessage(h.userId, text('Your book has arrived'), { key: 'k4|dm|u', mayExist: false });
        expect(h.dmTexts(h.userId).filter((t) => t.includes('Your book has arrived'))).toHaveLength(1);
        await h.transport.upload({ userId: h.userId }, { name: 'record-w7.mrc', mediaType: 'application/marc', base64: Buffer.from('00026nam').toString('base64') });
        expect(h.uploads()).toContain('record-w7.mrc');
      } finally {
        await h.close();
      }
    });

    it('reports a refused token as transport/unauthorized', async () => {
      const h = await open();
      try {
        h.failNextPost('unauthorized');
        const e = await h.transport.post(h.channel, text('refused'), { key: 'k5|post|c', mayExist: false }).catch((err: unknown) => err);
        expect(e).toBeInstanceOf(TransportError);
        expect((e as TransportError).code).toBe('transport/unauthorized');
        expect(h.channelTexts(h.channel)).toHaveLength(0);
      } finally {
        await h.close();
      }
    });

    it('reports a 429 as transport/rate-limited with the wait, or waits it out once, never posting twice', async () => {
      const h = await open();
      try {
        h.failNextPost('rate-limited');
        const got = await h.transport.post(h.channel, text('after the rate limit'), { key: 'k6|post|c', mayExist: false }).catch((err: unknown) => err);
        if (h.rateLimit === 'surfaces') {
          expect(got).toBeInstanceOf(TransportError);
          expect((got as TransportError).code).toBe('transport/rate-limited');
          expect((got as TransportError).retryAfterMs).toBeGreaterThan(0);
          expect(h.channelTexts(h.channel)).toHaveLength(0);
        } else {
          expect(got).not.toBeInstanceOf(Error);
          expect(h.channelTexts(h.channel).filter((t) => t.includes('after the rate limit'))).toHaveLength(1);
        }
      } finally {
        await h.close();
      }
    });

    it('through the core loop: a coded failure is retried per policy, delivered once, and given up visibly after the cap', async () => {
      const h = await open();
      const db = openMemoryDatabase();
      try {
        const stores = storesOf(db);
        const port = createOutboxPort({
          outbox: stores.outbox,
          cards: stores.cards,
          reachable: () => ['UGM'],
          rendering: { languageOf: () => 'en', cards: createIllCards((c) => c) },
          now: () => new Date(),
        });
        const policy: Partial<DeliveryPolicy> = { backoff: { firstMs: 0, maxMs: 0 }, configProblemMs: 0, maxAttempts: 3 };
        const loop = createOutboxDelivery({ outbox: port, transport: h.transport, libraries: [{ code: 'UGM', channels: { slack: [h.channel], discord: [h.channel] } }], log: silentLogger, policy, intervalMs: 0 });
        const queue = (t: string): number =>
          stores.outbox.enqueue({ targetType: 'library', target: 'UGM', targetPlatform: null, requestId: null, payload: JSON.stringify(text(t)), createdAt: new Date().toISOString(), format: 'reply' });
        const lastError = (id: number): unknown => (db.prepare('SELECT last_error FROM outbox_deliveries WHERE outbox_id = ?').get(id) as { last_error: string | null } | undefined)?.last_error;

        const first = queue('retried notice');
        h.failNextPost('forbidden');
        await loop.run();
        expect(lastError(first)).toBe('transport/forbidden');
        expect(h.channelTexts(h.channel)).toHaveLength(0);
        await loop.run();
        expect(h.channelTexts(h.channel).filter((t) => t.includes('retried notice'))).toHaveLength(1);
        expect(port.pending(h.transport.platform)).toEqual([]);

        const doomed = queue('never delivered');
        h.failNextPost('forbidden', 3);
        for (let n = 0; n < 3; n++) await loop.run();
        expect(port.givenUp(h.transport.platform)).toEqual([expect.objectContaining({ id: doomed, code: 'transport/forbidden', attempts: 3 })]);
        expect(port.pending(h.transport.platform)).toEqual([]);
        expect(h.channelTexts(h.channel).filter((t) => t.includes('never delivered'))).toHaveLength(0);
        await loop.stop();
      } finally {
        db.close();
        await h.close();
      }
    });
  });
}
