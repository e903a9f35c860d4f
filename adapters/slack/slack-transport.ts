import { webApi } from '@slack/bolt';
import { TransportError, type PostedMessage, type SendKey, type Transport, type TransportErrorCode } from '../../src/index.ts';
import { renderReply, threadMessage, type SlackMessage } from './render-blocks.ts';
import { slackFailure } from './slack-errors.ts';
import type { SlackLog } from './slack-log.ts';
import { uploadReplyFile } from './upload-file.ts';

/** The message-metadata event type that marks Jala's outbox posts (and which send of which outbox message each one is). */
export const OUTBOX_EVENT_TYPE = 'jala_outbox';

/** How far back (s) an earlier post of a send is looked for. */
const LOOKBACK_S = 60 * 60;

/**
 * The Slack side of the core's delivery loop: chat.postMessage, chat.update, a reply in the card's
 * thread (thread_ts = the card), a DM (posting to a user id opens the app's conversation), and
 * files.uploadV2. Each post carries message metadata with its send key; when an earlier attempt may
 * have reached Slack (`mayExist`), the conversation or thread is searched for that key first and a
 * post found there counts as done, so a retry never posts twice. Slack's failures become
 * TransportErrors by Slack's error codes (never by message text).
 */
export function createSlackTransport(client: webApi.WebClient, log: SlackLog): Transport {
  const findEarlier = async (channel: string, key: string, threadTs?: string): Promise<PostedMessage | undefined> => {
    // a DM was addressed to the user id: its history lives in the app's conversation with them
    const conversation = /^[UW]/.test(channel) ? ((await client.conversations.open({ users: channel })).channel?.id ?? channel) : channel;
    const window = { channel: conversation, limit: 200, include_all_metadata: true, oldest: String(Math.floor(Date.now() / 1000) - LOOKBACK_S) };
    const res = threadTs ? await client.conversations.replies({ ...window, ts: threadTs }) : await client.conversations.history(window);
    const hit = (res.messages ?? []).find((x) => {
      const meta = x.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
      return meta?.event_type === OUTBOX_EVENT_TYPE && meta.event_payload?.key === key;
    });
    return hit?.ts ? { channel: conversation, messageId: hit.ts } : undefined;
  };

  const post = async (args: { channel: string; thread_ts?: string } & SlackMessage, send: SendKey): Promise<PostedMessage> => {
    if (send.mayExist) {
      try {
        const earlier = await findEarlier(args.channel, send.key, args.thread_ts);
        if (earlier) return earlier;
      } catch (err) {
        // Slack refusing the look (missing_scope, not_in_channel): post, at the risk of a repeat; anything else: retry later
        if ((err as { code?: unknown }).code !== webApi.ErrorCode.PlatformError) throw err;
        log.warn(`slack: cannot look for an earlier post (${slackFailure(err).code}); posting it`);
      }
    }
    const res = await client.chat.postMessage({ ...args, unfurl_links: false, metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key: send.key } } });
    return { channel: res.channel ?? args.channel, messageId: res.ts ?? '' };
  };

  return {
    platform: 'slack',
    post: (channel, reply, send) => translated(() => post({ channel, ...renderReply(reply) }, send)),
    update: (message, reply) =>
      translated(async () => {
        const msg = renderReply(reply);
        await client.chat.update({ channel: message.channel, ts: message.messageId, text: msg.text, blocks: msg.blocks });
      }),
    threadReply: (card, reply, send) =>
      translated(async () => {
        const line = threadMessage(reply) ?? renderReply({ ...reply, actions: [] });
        await post({ channel: card.channel, thread_ts: card.messageId, ...line }, send);
        return card;
      }),
    directMessage: (userId, reply, send) => translated(() => post({ channel: userId, ...renderReply(reply) }, send)),
    upload: (to, file) =>
      translated(() => ('channel' in to ? uploadReplyFile(client, file, { user: '', channel: to.channel, private: false }) : uploadReplyFile(client, file, { user: to.userId, private: true }))),
  };
}

/** Slack platform errors that mean a place or message is not there, or may not be written to. */
const NOT_FOUND = new Set(['channel_not_found', 'message_not_found', 'user_not_found', 'thread_not_found']);
const FORBIDDEN = new Set(['not_in_channel', 'is_archived', 'restricted_action', 'missing_scope', 'cant_update_message', 'not_allowed_token_type', 'ekm_access_denied']);
const UNAUTHORIZED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** Runs a Web API call and turns its failure into a TransportError. */
async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toTransportError(err);
  }
}

export function toTransportError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const f = slackFailure(err);
  const kind = (err as { code?: unknown } | undefined)?.code;
  let code: TransportErrorCode;
  if (kind === webApi.ErrorCode.RateLimitedError) code = 'transport/rate-limited';
  else if (kind === webApi.ErrorCode.PlatformError) code = UNAUTHORIZED.has(f.code) ? 'transport/unauthorized' : NOT_FOUND.has(f.code) ? 'transport/not-found' : FORBIDDEN.has(f.code) ? 'transport/forbidden' : 'transport/rejected';
  else code = 'transport/unavailable';
  return new TransportError(code, `slack/${f.code}`, f.retryAfterMs, { cause: err });
}

