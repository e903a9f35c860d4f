import { createHash } from 'node:crypto';
import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import { backoffDelayMs, type Bot, type BotReply, type ConsortiumConfig, type OutboxMessage } from '../../src/index.ts';
import type { ButtonMemory } from './button-memory.ts';
import type { CardDirectory } from './card-directory.ts';
import { describeError, type DiscordLog } from './discord-log.ts';
import { clip, renderCardOnly, renderReply, toMessageBody, type DiscordMessage } from './render-embeds.ts';

export interface OutboxDeliveryDeps {
  bot: Bot;
  config: ConsortiumConfig;
  /** discord.js's REST client: it queues per route and waits out 429s itself */
  rest: REST;
  cards: CardDirectory;
  buttons: ButtonMemory;
  log: DiscordLog;
  /** how often to look for due messages when nothing kicks the loop (ms) */
  intervalMs?: number;
  /** the wait after a failed delivery: doubling from `firstMs` up to `maxMs` (default 5 s … 60 s, see RETRY_MAX_MS) */
  backoff?: { firstMs: number; maxMs: number };
}

export interface OutboxDelivery {
  /** deliver what is due now (after an event that may have queued something) */
  kick(): void;
  /** resolves once the current round (and any round kicked meanwhile) is done */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Problems that need someone to fix a permission or a channel id: retried, but not every 5 s. */
const CONFIG_PROBLEM_RETRY_MS = 5 * 60_000;
/**
 * Other failures are retried after 5 s, doubling up to a minute. Not longer: a post that Discord made
 * although the answer was lost (a timeout, a cut connection) is recognised by its nonce only for
 * "a few minutes", so the retry has to come soon.
 */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

/**
 * The nonce of one post: the same for every attempt of the same outbox message in the same place, so
 * Discord (enforce_nonce) returns the message an earlier attempt created instead of creating a second.
 * At most 25 characters.
 */
export function deliveryNonce(outboxId: number, channelId: string, part: 'card' | 'event' | 'dm' | 'post'): string {
  return createHash('sha256').update(`jala-outbox|${outboxId}|${channelId}|${part}`).digest('base64url').slice(0, 25);
}

const BATCH = 25;
/** Rounds per kick, so a stream of newly due messages cannot keep one round running forever. */
const MAX_ROUNDS = 20;

/**
 * Delivers the core's outbox on Discord: a library's messages go to each of its channels — the first
 * message about a request posts the card and starts a thread from it, later ones edit the card in
 * place and post the event into the thread; a person's messages go by DM. Success and failure are
 * reported back to the outbox, which retries failures later: nothing is dropped. A request's
 * messages to one target go out in order. Every post carries a nonce Discord enforces, and a thread
 * that already exists is the card's own, so a retry after a lost answer posts nothing twice.
 */
export function createOutboxDelivery(deps: OutboxDeliveryDeps): OutboxDelivery {
  const { bot, rest, cards, log } = deps;
  /** channels already served for a message whose delivery failed elsewhere, so a retry does not post twice */
  const done = new Map<number, Set<string>>();
  const dmChannels = new Map<string, string>();
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  /** A post for an outbox message, with its nonce: a retry of a post Discord already made returns that message. */
  const post = async (outboxId: number, part: Parameters<typeof deliveryNonce>[2], channelId: string, m: DiscordMessage, actions: BotReply['actions'], file?: BotReply['file']): Promise<APIMessage> => {
    deps.buttons.remember(actions);
    const files = file ? [{ name: file.name, data: Buffer.from(file.base64, 'base64'), contentType: file.mediaType }] : undefined;
    const body = { ...toMessageBody(m), nonce: deliveryNonce(outboxId, channelId, part), enforce_nonce: true };
    return (await rest.post(Routes.channelMessages(channelId), { body, ...(files ? { files } : {}) })) as APIMessage;
  };
  /** one message per progress key (reindex progress), edited as the work goes on */
  const progressMessages = new Map<string, { channelId: string; messageId: string }>();

  /**
   * Starts the thread under a card. A refusal (no permission to create threads there) is logged and
   * the card goes on without one: events go to the channel and the thread is tried again with the
   * next. Anything passing (a timeout, a cut connection, a 5xx) fails the delivery, which is retried.
   */
  const startThread = async (channelId: string, messageId: string, msg: OutboxMessage): Promise<string | undefined> => {
    const request = msg.reply.request;
    const name = clip(`${msg.requestId ?? ''} · ${request?.title ?? ''}`.trim(), 100);
    try {
      const thread = (await rest.post(Routes.threads(channelId, messageId), { body: { name, auto_archive_duration: 10080 } })) as APIChannel;
      return thread.id;
    } catch (err) {
      // an earlier attempt started it (its answer was lost): a thread started from a message has the message's id
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return messageId;
      if (!(err instanceof DiscordAPIError)) throw err;
      log('warn', 'discord/thread-failed', describeError(err));
      return undefined;
    }
  };

  /** request|channel → the outbox message that posted the card there (its retry only needs the thread) */
  const postedBy = new Map<string, number>();

  const deliverRequestEvent = async (channelId: string, requestId: string, msg: OutboxMessage): Promise<void> => {
    const place = `${requestId}|${channelId}`;
    let known = cards.get(requestId, channelId);
    if (!known || postedBy.get(place) === msg.id) {
      // the card (kept at once, so a retry does not post it again), then its thread
      if (!known) {
        const posted = await post(msg.id, 'card', channelId, renderReply(msg.reply), msg.reply.actions);
        known = { channelId, messageId: posted.id };
        cards.set(requestId, known);
        postedBy.set(place, msg.id);
      }
      if (!known.threadId) {
        const threadId = await startThread(channelId, known.messageId, msg);
        if (threadId) cards.set(requestId, { ...known, threadId });
      }
      postedBy.delete(place);
      return;
    }
    const card = renderCardOnly(msg.reply);
    if (card) {
      try {
        deps.buttons.remember(msg.reply.actions);
        await rest.patch(Routes.channelMessage(channelId, known.messageId), { body: toMessageBody(card) });
      } catch (err) {
        if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage) {
          // someone deleted the card: post a fresh one (with a new thread)
          cards.forget(requestId, channelId);
          return deliverRequestEvent(channelId, requestId, msg);
        }
        throw err;
      }
    }
    let threadId = known.threadId;
    if (!threadId) {
      threadId = await startThread(channelId, known.messageId, msg);
      if (threadId) cards.set(requestId, { ...known, threadId });
    }
    // the event as it happened, without buttons: the card above carries the live ones
    await post(msg.id, 'event', threadId ?? channelId, { ...renderReply(msg.reply), components: [] }, []);
  };

  const deliverToLibrary = async (msg: OutboxMessage, library: string): Promise<void> => {
    const channels = deps.config.libraries.find((l) => l.code === library)?.channels.discord ?? [];
    const served = done.get(msg.id) ?? new Set<string>();
    done.set(msg.id, served);
    for (const channelId of channels) {
      if (served.has(channelId)) continue;
      if (msg.requestId) await deliverRequestEvent(channelId, msg.requestId, msg);
      else await post(msg.id, 'post', channelId, renderReply(msg.reply), msg.reply.actions, msg.reply.file);
      served.add(channelId);
    }
  };

  const deliverToUser = async (msg: OutboxMessage, userId: string): Promise<void> => {
    let channelId = dmChannels.get(userId);
    if (!channelId) {
      const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      channelId = dm.id;
      dmChannels.set(userId, channelId);
    }
    const progress = msg.reply.progress;
    const known = progress ? progressMessages.get(progress.key) : undefined;
    if (progress && known) {
      await rest.patch(Routes.channelMessage(known.channelId, known.messageId), { body: toMessageBody(renderReply(msg.reply)) });
      if (progress.done) progressMessages.delete(progress.key);
      return;
    }
    const posted = await post(msg.id, 'dm', channelId, renderReply(msg.reply), msg.reply.actions, msg.reply.file);
    if (progress && !progress.done) progressMessages.set(progress.key, { channelId, messageId: posted.id });
  };

  /** Delivers one message; false when it failed (it is back in the outbox for a later attempt). */
  const deliverOne = async (msg: OutboxMessage): Promise<boolean> => {
    try {
      if (msg.target.type === 'library') await deliverToLibrary(msg, msg.target.library);
      else if (msg.target.platform === 'discord') await deliverToUser(msg, msg.target.userId);
      bot.outbox.delivered(msg.id, 'discord');
      done.delete(msg.id);
      return true;
    } catch (err) {
      const d = describeError(err);
      log('warn', 'discord/delivery-failed', { outbox: msg.id, attempts: msg.attempts, ...d });
      const configProblem = err instanceof DiscordAPIError && (err.status === 403 || err.status === 404);
      const backoff = deps.backoff ?? { firstMs: RETRY_FIRST_MS, maxMs: RETRY_MAX_MS };
      const retryMs = configProblem ? CONFIG_PROBLEM_RETRY_MS : backoffDelayMs(msg.attempts, backoff);
      bot.outbox.failed(msg.id, 'discord', d.code, retryMs);
      return false;
    }
  };

  /** A request's messages to one target go out in order: after a failure the later ones wait too. */
  const orderKey = (msg: OutboxMessage): string | undefined =>
    msg.requestId === undefined ? undefined : `${msg.requestId}|${msg.target.type === 'library' ? msg.target.library : `${msg.target.platform}:${msg.target.userId}`}`;

  const round = async (): Promise<void> => {
    for (let n = 0; n < MAX_ROUNDS && !stopped; n++) {
      again = false;
      const due = bot.outbox.pending('discord', BATCH);
      const waiting = new Set<string>();
      for (const msg of due) {
        if (stopped) return;
        const key = orderKey(msg);
        if (key !== undefined && waiting.has(key)) continue;
        if (!(await deliverOne(msg)) && key !== undefined) waiting.add(key);
      }
      if (due.length < BATCH && !again) return;
    }
  };

  const kick = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch((err) => log('error', 'discord/outbox-failed', describeError(err)))
      .finally(() => {
        running = undefined;
        if (again && !stopped) kick();
      });
  };

  const timer = setInterval(kick, deps.intervalMs ?? 1_000);
  timer.unref();

  return {
    kick,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}
