import type { webApi } from '@slack/bolt';
import type { Bot, ConsortiumConfig, OutboxMessage } from '../../src/index.ts';
import type { CardRefs } from './card-refs.ts';
import { renderReply, threadMessage } from './render-blocks.ts';
import { slackFailure } from './slack-errors.ts';
import { uploadReplyFile } from './upload-file.ts';
import type { SlackLog } from './slack-log.ts';

/**
 * Delivers the core's outbox on Slack. A library's message goes to each of its channels: the
 * first message about a request posts its card; later ones update that card in place and post the
 * event into its thread. A user's message is a direct message (a progress report edits its one DM).
 * A reply's file is uploaded beside the message. A failure goes back to the outbox
 * with Slack's Retry-After (429) or a growing back-off, so nothing is lost; later messages about
 * the same request wait, so a card never goes back in time.
 */
export interface OutboxDelivery {
  /** one delivery pass (queued behind a running one); resolves when it is done */
  run(): Promise<void>;
  /** resolves when no pass is running or queued */
  idle(): Promise<void>;
}

export interface OutboxDeliveryDeps {
  outbox: Bot['outbox'];
  config: ConsortiumConfig;
  /** a client that throws on 429 instead of waiting (rejectRateLimitedCalls) */
  client: webApi.WebClient;
  cards: CardRefs;
  log: SlackLog;
  batch?: number;
}

const MAX_BACKOFF_MS = 15 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** Math.min(attempts, 12));
}

export function createOutboxDelivery(deps: OutboxDeliveryDeps): OutboxDelivery {
  const { outbox, client, cards, log } = deps;
  /** channels already served for a message whose delivery is partly done */
  const served = new Map<number, Set<string>>();

  const postCard = async (requestId: string, channel: string, m: OutboxMessage): Promise<void> => {
    const msg = renderReply(m.reply);
    const res = await client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, unfurl_links: false });
    if (res.ts) cards.set(requestId, channel, { channel: res.channel ?? channel, ts: res.ts });
  };

  const toChannel = async (m: OutboxMessage, channel: string): Promise<void> => {
    if (!m.requestId) {
      const msg = renderReply(m.reply);
      await client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, unfurl_links: false });
      return;
    }
    const ref = cards.get(m.requestId, channel);
    if (!ref) return postCard(m.requestId, channel, m);
    const msg = renderReply(m.reply);
    try {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, text: msg.text, blocks: msg.blocks });
    } catch (err) {
      if (slackFailure(err).code !== 'message_not_found') throw err;
      cards.delete(m.requestId, channel);
      return postCard(m.requestId, channel, m);
    }
    const line = threadMessage(m.reply);
    if (line) await client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: line.text, blocks: line.blocks, unfurl_links: false });
  };

  /** A DM; a progress report (reindex) edits the one DM of its key instead of adding another. */
  const toUser = async (m: OutboxMessage, userId: string): Promise<void> => {
    const msg = renderReply(m.reply);
    const progress = m.reply.progress;
    const place = `user:${userId}`;
    const ref = progress ? cards.get(`progress:${progress.key}`, place) : undefined;
    if (progress && ref) {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, text: msg.text, blocks: msg.blocks });
    } else {
      // chat.postMessage to a user id opens the app's conversation with them
      const res = await client.chat.postMessage({ channel: userId, text: msg.text, blocks: msg.blocks, unfurl_links: false });
      if (progress && res.ts && !progress.done) cards.set(`progress:${progress.key}`, place, { channel: res.channel ?? userId, ts: res.ts });
    }
    if (progress?.done) cards.delete(`progress:${progress.key}`, place);
    if (m.reply.file) await uploadReplyFile(client, m.reply.file, { user: userId, private: true });
  };

  const deliverOne = async (m: OutboxMessage): Promise<void> => {
    if (m.target.type === 'user') {
      if (m.target.platform === 'slack') await toUser(m, m.target.userId);
      return;
    }
    const code = m.target.library;
    const channels = deps.config.libraries.find((l) => l.code === code)?.channels.slack ?? [];
    const done = served.get(m.id) ?? new Set<string>();
    served.set(m.id, done);
    for (const channel of channels) {
      if (done.has(channel)) continue;
      await toChannel(m, channel);
      if (m.reply.file) await uploadReplyFile(client, m.reply.file, { user: '', channel, private: false });
      done.add(channel);
    }
  };

  const pass = async (): Promise<void> => {
    const pending = outbox.pending('slack', deps.batch ?? 50);
    const waiting = new Set<string>();
    for (const m of pending) {
      if (m.requestId && waiting.has(m.requestId)) continue;
      try {
        await deliverOne(m);
        served.delete(m.id);
        outbox.delivered(m.id, 'slack');
      } catch (err) {
        const f = slackFailure(err);
        const retryAfterMs = f.retryAfterMs ?? backoffMs(m.attempts);
        log.warn(`slack: outbox message ${m.id} not delivered (${f.code}); retrying in ${Math.round(retryAfterMs / 1000)} s`);
        outbox.failed(m.id, 'slack', f.code, retryAfterMs);
        if (m.requestId) waiting.add(m.requestId);
        if (f.retryAfterMs !== undefined) break; // rate-limited: the rest waits for the next pass
      }
    }
  };

  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  return {
    run() {
      if (queued) return queued;
      const next = chain.then(() => {
        queued = undefined;
        return pass();
      });
      queued = next;
      chain = next.catch((err: unknown) => log.error('slack: outbox delivery pass failed', err));
      return next;
    },
    idle: () => chain,
  };
}
