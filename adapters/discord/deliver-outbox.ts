import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import type { Bot, BotReply, ConsortiumConfig, OutboxMessage } from '../../src/index.ts';
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
const BATCH = 25;
/** Rounds per kick, so a stream of newly due messages cannot keep one round running forever. */
const MAX_ROUNDS = 20;

/**
 * Delivers the core's outbox on Discord: a library's messages go to each of its channels — the first
 * message about a request posts the card and starts a thread from it, later ones edit the card in
 * place and post the event into the thread; a person's messages go by DM. Success and failure are
 * reported back to the outbox, which retries failures later: nothing is dropped.
 */
export function createOutboxDelivery(deps: OutboxDeliveryDeps): OutboxDelivery {
  const { bot, rest, cards, log } = deps;
  /** channels already served for a message whose delivery failed elsewhere, so a retry does not post twice */
  const done = new Map<number, Set<string>>();
  const dmChannels = new Map<string, string>();
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const post = async (channelId: string, m: DiscordMessage, actions: BotReply['actions'], file?: BotReply['file']): Promise<APIMessage> => {
    deps.buttons.remember(actions);
    const files = file ? [{ name: file.name, data: Buffer.from(file.base64, 'base64'), contentType: file.mediaType }] : undefined;
    return (await rest.post(Routes.channelMessages(channelId), { body: toMessageBody(m), ...(files ? { files } : {}) })) as APIMessage;
  };
  /** one message per progress key (reindex progress), edited as the work goes on */
  const progressMessages = new Map<string, { channelId: string; messageId: string }>();

  const startThread = async (channelId: string, messageId: string, msg: OutboxMessage): Promise<string | undefined> => {
    const request = msg.reply.request;
    const name = clip(`${msg.requestId ?? ''} · ${request?.title ?? ''}`.trim(), 100);
    try {
      const thread = (await rest.post(Routes.threads(channelId, messageId), { body: { name, auto_archive_duration: 10080 } })) as APIChannel;
      return thread.id;
    } catch (err) {
      // the card is out; without a thread later events go to the channel, and the thread is tried again then
      log('warn', 'discord/thread-failed', describeError(err));
      return undefined;
    }
  };

  const deliverRequestEvent = async (channelId: string, requestId: string, msg: OutboxMessage): Promise<void> => {
    const known = cards.get(requestId, channelId);
    if (!known) {
      const posted = await post(channelId, renderReply(msg.reply), msg.reply.actions);
      const threadId = await startThread(channelId, posted.id, msg);
      cards.set(requestId, { channelId, messageId: posted.id, ...(threadId ? { threadId } : {}) });
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
    await post(threadId ?? channelId, { ...renderReply(msg.reply), components: [] }, []);
  };

  const deliverToLibrary = async (msg: OutboxMessage, library: string): Promise<void> => {
    const channels = deps.config.libraries.find((l) => l.code === library)?.channels.discord ?? [];
    const served = done.get(msg.id) ?? new Set<string>();
    done.set(msg.id, served);
    for (const channelId of channels) {
      if (served.has(channelId)) continue;
      if (msg.requestId) await deliverRequestEvent(channelId, msg.requestId, msg);
      else await post(channelId, renderReply(msg.reply), msg.reply.actions, msg.reply.file);
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
    const posted = await post(channelId, renderReply(msg.reply), msg.reply.actions, msg.reply.file);
    if (progress && !progress.done) progressMessages.set(progress.key, { channelId, messageId: posted.id });
  };

  const deliverOne = async (msg: OutboxMessage): Promise<void> => {
    try {
      if (msg.target.type === 'library') await deliverToLibrary(msg, msg.target.library);
      else if (msg.target.platform === 'discord') await deliverToUser(msg, msg.target.userId);
      bot.outbox.delivered(msg.id, 'discord');
      done.delete(msg.id);
    } catch (err) {
      const d = describeError(err);
      log('warn', 'discord/delivery-failed', { outbox: msg.id, attempts: msg.attempts, ...d });
      const configProblem = err instanceof DiscordAPIError && (err.status === 403 || err.status === 404);
      bot.outbox.failed(msg.id, 'discord', d.code, configProblem ? CONFIG_PROBLEM_RETRY_MS : undefined);
    }
  };

  const round = async (): Promise<void> => {
    for (let n = 0; n < MAX_ROUNDS && !stopped; n++) {
      again = false;
      const due = bot.outbox.pending('discord', BATCH);
      for (const msg of due) {
        if (stopped) return;
        await deliverOne(msg);
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
