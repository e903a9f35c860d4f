import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import { TransportError, type BotReply, type PostedMessage, type SendKey, type Transport, type TransportErrorCode } from '../../src/index.ts';
import type { ButtonMemory } from './button-memory.ts';
import { describeError, type DiscordLog } from './discord-log.ts';
import { clip, renderCardOnly, renderReply, toMessageBody, type DiscordMessage } from './render-embeds.ts';

/**
 * The nonce of one send: the same for every attempt of the same send key, so Discord (enforce_nonce)
 * returns the message an earlier attempt created instead of creating a second. At most 25 characters.
 */
export function deliveryNonce(key: string): string {
  return createHash('sha256').update(`jala-outbox|${key}`).digest('base64url').slice(0, 25);
}

/**
 * The Discord side of the core's delivery loop, over discord.js's REST client (which queues per
 * route and waits out 429s itself): a channel post (a request card starts its thread at once), an
 * edit, a post in the card's thread (started now when the card has none), a DM, a file. Every post
 * carries a nonce Discord enforces, and a thread that already exists is the card's own, so a retry
 * after a lost answer posts nothing twice. Failures become TransportErrors by Discord's codes.
 */
export function createDiscordTransport(rest: REST, buttons: ButtonMemory, log: DiscordLog): Transport {
  const dmChannels = new Map<string, string>();

  const send = async (channelId: string, m: DiscordMessage, key: SendKey, actions: BotReply['actions'], file?: BotReply['file']): Promise<APIMessage> => {
    buttons.remember(actions);
    const files = file ? [{ name: file.name, data: Buffer.from(file.base64, 'base64'), contentType: file.mediaType }] : undefined;
    const body = { ...toMessageBody(m), nonce: deliveryNonce(key.key), enforce_nonce: true };
    return (await rest.post(Routes.channelMessages(channelId), { body, ...(files ? { files } : {}) })) as APIMessage;
  };

  /**
   * Starts the thread under a card. A refusal (no permission to create threads there) is logged and
   * the card goes on without one: the event goes to the channel and the thread is tried again with the
   * next. Anything passing (a timeout, a cut connection, a 5xx) fails the send, which is retried.
   */
  const startThread = async (card: PostedMessage, reply: BotReply): Promise<string | undefined> => {
    const name = clip(`${reply.request?.id ?? ''} · ${reply.request?.title ?? ''}`.trim(), 100);
    try {
      const thread = (await rest.post(Routes.threads(card.channel, card.messageId), { body: { name, auto_archive_duration: 10080 } })) as APIChannel;
      return thread.id;
    } catch (err) {
      // an earlier attempt started it (its answer was lost): a thread started from a message has the message's id
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return card.messageId;
      if (!(err instanceof DiscordAPIError)) throw err;
      log('warn', 'discord/thread-failed', describeError(err));
      return undefined;
    }
  };

  return {
    platform: 'discord',
    post: (channel, reply, key) =>
      translated(async () => {
        const posted = await send(channel, renderReply(reply), key, reply.actions);
        const card: PostedMessage = { channel, messageId: posted.id };
        if (!reply.blocks.some((b) => b.type === 'request-card')) return card;
        const threadId = await startThread(card, reply);
        return threadId ? { ...card, threadId } : card;
      }),
    update: (message, reply) =>
      translated(async () => {
        buttons.remember(reply.actions);
        await rest.patch(Routes.channelMessage(message.channel, message.messageId), { body: toMessageBody(renderCardOnly(reply) ?? renderReply(reply)) });
      }),
    threadReply: (card, reply, key) =>
      translated(async () => {
        const threadId = card.threadId ?? (await startThread(card, reply));
        // the event as it happened, without buttons: the card above carries the live ones
        await send(threadId ?? card.channel, { ...renderReply(reply), components: [] }, key, []);
        return threadId ? { ...card, threadId } : card;
      }),
    directMessage: (userId, reply, key) =>
      translated(async () => {
        let channelId = dmChannels.get(userId);
        if (!channelId) {
          const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
          channelId = dm.id;
          dmChannels.set(userId, channelId);
        }
        const posted = await send(channelId, renderReply(reply), key, reply.actions);
        return { channel: channelId, messageId: posted.id };
      }),
    upload: (to, file) =>
      translated(async () => {
        let channelId = 'channel' in to ? to.channel : dmChannels.get(to.userId);
        if (!channelId && 'userId' in to) {
          const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: to.userId } })) as APIChannel;
          channelId = dm.id;
          dmChannels.set(to.userId, channelId);
        }
        await rest.post(Routes.channelMessages(channelId as string), {
          body: { content: '', allowed_mentions: { parse: [] }, attachments: [{ id: 0, filename: file.name }] },
          files: [{ name: file.name, data: Buffer.from(file.base64, 'base64'), contentType: file.mediaType }],
        });
      }),
  };
}

async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toTransportError(err);
  }
}

/** Discord's failures as transport codes: by HTTP status and Discord's JSON error codes, never by text. */
export function toTransportError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const d = describeError(err);
  let code: TransportErrorCode = 'transport/unavailable';
  let retryAfterMs: number | undefined;
  if (err instanceof RateLimitError) {
    code = 'transport/rate-limited';
    retryAfterMs = err.retryAfter;
  } else if (err instanceof DiscordAPIError) {
    if (err.status === 401) code = 'transport/unauthorized';
    else if (err.status === 403) code = 'transport/forbidden';
    else if (err.status === 404) code = 'transport/not-found';
    else if (err.status === 429) code = 'transport/rate-limited';
    else if (err.status >= 500) code = 'transport/unavailable';
    else code = 'transport/rejected';
  } else if (err instanceof HTTPError) {
    code = err.status === 429 ? 'transport/rate-limited' : err.status === 401 ? 'transport/unauthorized' : 'transport/unavailable';
  }
  return new TransportError(code, d.code, retryAfterMs, { cause: err });
}
