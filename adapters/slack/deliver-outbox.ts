import { webApi } from '@slack/bolt';
import { backoffDelayMs, type BackoffPolicy, type Bot, type ConsortiumConfig, type OutboxMessage } from '../../src/index.ts';
import type { CardRefs } from './card-refs.ts';
import { renderReply, threadMessage, type SlackMessage } from './render-blocks.ts';
import { slackFailure } from './slack-errors.ts';
import { uploadReplyFile } from './upload-file.ts';
import type { SlackLog } from './slack-log.ts';

/**
 * Delivers the core's outbox on Slack. A library's message goes to each of its channels: the
 * first message about a request posts its card; later ones update that card in place and post the
 * event into its thread. A user's message is a direct message (a progress report edits its one DM).
 * A reply's file is uploaded beside the message. A failure goes back to the outbox
 * with Slack's Retry-After (429) or a growing back-off, so nothing is lost; later messages about
 * the same request wait, so a card never goes back in time. Every post carries message metadata
 * naming its outbox message, so a retry after a failure that may have reached Slack (a timeout, a
 * cut connection, a 5xx) finds the earlier post instead of repeating it: nothing is posted twice.
 * (A file upload is not covered: after such a failure it may be uploaded twice.)
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
  /** the wait after a failure without Retry-After: doubling from `firstMs` up to `maxMs` (default 5 s … 15 min) */
  backoff?: DeliveryBackoff;
}

export type DeliveryBackoff = BackoffPolicy;

export const DEFAULT_BACKOFF: DeliveryBackoff = { firstMs: 5_000, maxMs: 15 * 60_000 };

/** The message-metadata event type that marks Jala's outbox posts (and which outbox message each one delivers). */
export const OUTBOX_EVENT_TYPE = 'jala_outbox';

/** What one outbox post is: a request's card, an event in its thread, a direct message, or any other channel post. */
type PostPart = 'card' | 'event' | 'dm' | 'post';

/** How far back (s) before a message was queued its earlier post is looked for: room for clock skew. */
const LOOKBACK_S = 10 * 60;

export function createOutboxDelivery(deps: OutboxDeliveryDeps): OutboxDelivery {
  const { outbox, client, cards, log } = deps;
  /** channels already served for a message whose delivery is partly done */
  const served = new Map<number, Set<string>>();
  /**
   * Per message that failed here: may an earlier attempt have posted after all? A timeout, a cut
   * connection or a 5xx leave that open; a platform error or a 429 mean Slack did nothing. A message
   * that failed before this process started is treated as "may have".
   */
  const mayHavePosted = new Map<number, boolean>();

  /** The post an earlier attempt of this message made here, found by its metadata mark. */
  const findEarlierPost = async (m: OutboxMessage, part: PostPart, channel: string, threadTs?: string): Promise<{ channel: string; ts: string } | undefined> => {
    // a DM was addressed to the user id: its history lives in the app's conversation with them
    const conversation = /^[UW]/.test(channel) ? ((await client.conversations.open({ users: channel })).channel?.id ?? channel) : channel;
    const queuedAt = Date.parse(m.createdAt);
    const oldest = Number.isFinite(queuedAt) ? String(Math.floor(queuedAt / 1000) - LOOKBACK_S) : undefined;
    const window = { channel: conversation, limit: 200, include_all_metadata: true, ...(oldest ? { oldest } : {}) };
    const res = threadTs ? await client.conversations.replies({ ...window, ts: threadTs }) : await client.conversations.history(window);
    const hit = (res.messages ?? []).find((x) => {
      const meta = x.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
      return meta?.event_type === OUTBOX_EVENT_TYPE && Number(meta.event_payload?.outbox) === m.id && meta.event_payload?.part === part;
    });
    return hit?.ts ? { channel: conversation, ts: hit.ts } : undefined;
  };

  /**
   * chat.postMessage marked with the outbox message it delivers (message metadata). When an earlier
   * attempt may have reached Slack, the conversation (or thread) is searched for that mark first and
   * a post found there counts as done: a retry never posts twice.
   */
  const post = async (m: OutboxMessage, part: PostPart, args: { channel: string; thread_ts?: string; text: string; blocks: SlackMessage['blocks'] }): Promise<{ channel: string; ts?: string }> => {
    if (m.attempts > 0 && (mayHavePosted.get(m.id) ?? true)) {
      try {
        const earlier = await findEarlierPost(m, part, args.channel, args.thread_ts);
        if (earlier) return earlier;
      } catch (err) {
        // Slack down again: retry later. Slack refusing the look (missing_scope, not_in_channel): post, at the risk of a repeat
        if ((err as { code?: unknown }).code !== webApi.ErrorCode.PlatformError) throw err;
        log.warn(`slack: cannot look for an earlier post of outbox message ${m.id} (${slackFailure(err).code}); posting it`);
      }
    }
    const res = await client.chat.postMessage({ ...args, unfurl_links: false, metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox: m.id, part } } });
    return { channel: res.channel ?? args.channel, ...(res.ts ? { ts: res.ts } : {}) };
  };

  const postCard = async (requestId: string, channel: string, m: OutboxMessage): Promise<void> => {
    const msg = renderReply(m.reply);
    const res = await post(m, 'card', { channel, text: msg.text, blocks: msg.blocks });
    if (res.ts) cards.set(requestId, channel, { channel: res.channel, ts: res.ts });
  };

  const toChannel = async (m: OutboxMessage, channel: string): Promise<void> => {
    if (!m.requestId) {
      const msg = renderReply(m.reply);
      await post(m, 'post', { channel, text: msg.text, blocks: msg.blocks });
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
    if (line) await post(m, 'event', { channel: ref.channel, thread_ts: ref.ts, text: line.text, blocks: line.blocks });
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
      const res = await post(m, 'dm', { channel: userId, text: msg.text, blocks: msg.blocks });
      if (progress && res.ts && !progress.done) cards.set(`progress:${progress.key}`, place, { channel: res.channel, ts: res.ts });
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
        mayHavePosted.delete(m.id);
        outbox.delivered(m.id, 'slack');
      } catch (err) {
        const f = slackFailure(err);
        const nothingDone = (err as { code?: unknown }).code === webApi.ErrorCode.PlatformError || (err as { code?: unknown }).code === webApi.ErrorCode.RateLimitedError;
        mayHavePosted.set(m.id, (mayHavePosted.get(m.id) ?? m.attempts > 0) || !nothingDone);
        const retryAfterMs = f.retryAfterMs ?? backoffDelayMs(m.attempts, deps.backoff ?? DEFAULT_BACKOFF);
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
