import { randomUUID } from 'node:crypto';
import type { OutboxMessage, OutboxPort } from '../bot/bot-types.ts';
import { backoffDelayMs, type BackoffPolicy } from '../common/backoff.ts';
import type { Logger } from '../common/logger.ts';
import type { LibraryConfig } from '../config/consortium-config.ts';
import { transportFailure, TransportError, type SendKey, type Transport } from './transport.ts';

/**
 * The one delivery loop: it takes the outbox's messages for one platform and sends them through that
 * platform's Transport. It alone decides
 * - order: a request's messages to one target go out in order; after a failure the later ones wait
 *   (the store holds them back while the earlier one waits for its retry or is being sent);
 * - retries: a failure is retried after `backoffDelayMs` (the platform's Retry-After wins when longer);
 *   after `maxAttempts` failed attempts the message is given up — logged as `delivery/gave-up` with
 *   its code, and kept visible in `OutboxPort.givenUp` — and the messages behind it go on;
 * - de-duplication, by CLAIM/LEASE plus per-step marks: a sender claims a message for `leaseMs`
 *   before sending (one sender at a time, across processes); each place served (a channel, a DM) is
 *   marked done in the database as soon as the platform accepted it; the message is marked delivered
 *   when all places are done. A loop that stops mid-send (a crash, a restart) leaves the lease to run
 *   out; the next sender skips the places marked done and repeats the one in flight with the same send
 *   key and `mayExist`, so the transport finds the earlier post (Slack metadata, Discord nonce)
 *   instead of posting it twice;
 * - cards: a request's first message to a channel posts its card; later ones redraw the card (only
 *   when it does not already show that version — a click may have redrawn it) and tell the event in
 *   the card's thread. Card and thread positions live in the card store (the database).
 */
export interface OutboxDelivery {
  /** deliver what is due now (after an event that may have queued something) */
  kick(): void;
  /** one pass; resolves when it (and any pass kicked meanwhile) is done */
  run(): Promise<void>;
  /** resolves when no pass is running */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface DeliveryPolicy {
  backoff: BackoffPolicy;
  /** attempts before a message is given up */
  maxAttempts: number;
  /** the wait after a failure that needs someone to fix a permission or a channel id */
  configProblemMs: number;
  /** how long a claim holds: longer than any one send takes (a send that outlasts it may be repeated, by key) */
  leaseMs: number;
}

/**
 * 5 s doubling up to 2 min; given up after 40 attempts (about an hour and a quarter). Not longer between
 * attempts: Discord recognises a repeated nonce for a few minutes only.
 */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { backoff: { firstMs: 5_000, maxMs: 120_000 }, maxAttempts: 40, configProblemMs: 5 * 60_000, leaseMs: 2 * 60_000 };

export interface OutboxDeliveryDeps {
  outbox: OutboxPort;
  transport: Transport;
  /** the libraries and their channels on this platform */
  libraries: readonly Pick<LibraryConfig, 'code' | 'channels'>[];
  log: Logger;
  policy?: Partial<DeliveryPolicy>;
  /** how often to look for due messages when nothing kicks the loop (ms; 0 = only when kicked) */
  intervalMs?: number;
  batch?: number;
}

/** Rounds per run, so a stream of newly due messages cannot keep one run going forever. */
const MAX_ROUNDS = 20;

export function createOutboxDelivery(deps: OutboxDeliveryDeps): OutboxDelivery {
  const { outbox, transport, log } = deps;
  const platform = transport.platform;
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  const batch = deps.batch ?? 25;
  const owner = randomUUID();
  const cards = outbox.cards;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const channelsOf = (library: string): readonly string[] => {
    const l = deps.libraries.find((x) => x.code === library);
    return (platform === 'slack' ? l?.channels.slack : platform === 'discord' ? l?.channels.discord : undefined) ?? [];
  };

  const sendKey = (m: OutboxMessage, part: string, place: string): SendKey => ({ key: `${m.id}|${part}|${place}`, mayExist: m.attempts > 0 || m.interrupted === true });

  /** A request message in one channel: the card (new, or redrawn), then the event in its thread. */
  const toRequestChannel = async (m: OutboxMessage, requestId: string, channel: string): Promise<void> => {
    const version = m.reply.request?.version;
    const known = cards.card(platform, requestId, channel);
    if (!known) {
      const posted = await transport.post(channel, m.reply, sendKey(m, 'card', channel));
      cards.saveCard(platform, requestId, channel, { ...posted, ...(version !== undefined ? { shownVersion: version } : {}) });
      return;
    }
    const isCard = m.reply.blocks.some((b) => b.type === 'request-card');
    if (isCard && (version === undefined || known.shownVersion === undefined || known.shownVersion < version)) {
      try {
        await transport.update(known, m.reply);
      } catch (err) {
        if (!(err instanceof TransportError && err.code === 'transport/not-found')) throw err;
        // someone deleted the card: post a fresh one (with a new thread)
        cards.forgetCard(platform, requestId, channel);
        return toRequestChannel(m, requestId, channel);
      }
      if (version !== undefined) cards.cardShown(platform, requestId, channel, version);
    }
    // the event as it happened, in the card's thread (the transport words it without buttons)
    const after = await transport.threadReply(known, m.reply, sendKey(m, 'event', channel));
    if (after.threadId !== undefined && after.threadId !== known.threadId) {
      const now = cards.card(platform, requestId, channel) ?? known;
      cards.saveCard(platform, requestId, channel, { ...now, threadId: after.threadId });
    }
  };

  const toLibrary = async (m: OutboxMessage, library: string): Promise<void> => {
    for (const channel of channelsOf(library)) {
      if (m.donePlaces.includes(channel)) continue;
      if (m.requestId) await toRequestChannel(m, m.requestId, channel);
      else await transport.post(channel, m.reply, sendKey(m, 'post', channel));
      if (m.reply.file) await transport.upload({ channel }, m.reply.file);
      outbox.placeDone(m.id, platform, channel);
    }
  };

  /** A DM; a progress report (reindex) redraws its one DM instead of adding another. */
  const toUser = async (m: OutboxMessage, userId: string): Promise<void> => {
    const place = `user:${userId}`;
    if (m.donePlaces.includes(place)) return;
    const progress = m.reply.progress;
    const subject = progress ? `progress:${progress.key}` : undefined;
    const known = subject ? cards.card(platform, subject, place) : undefined;
    if (known) await transport.update(known, m.reply);
    else {
      const posted = await transport.directMessage(userId, m.reply, sendKey(m, 'dm', place));
      if (subject && !progress?.done) cards.saveCard(platform, subject, place, posted);
    }
    if (subject && progress?.done) cards.forgetCard(platform, subject, place);
    if (m.reply.file) await transport.upload({ userId }, m.reply.file);
    outbox.placeDone(m.id, platform, place);
  };

  /** Delivers one message; false when it failed (it is back in the outbox for later, or given up). */
  const deliverOne = async (m: OutboxMessage): Promise<boolean> => {
    if (m.unreadable) {
      outbox.gaveUp(m.id, platform, 'delivery/unreadable');
      log.error('delivery/gave-up', { platform, outbox: m.id, code: 'delivery/unreadable', attempts: m.attempts });
      return false;
    }
    try {
      if (m.target.type === 'library') await toLibrary(m, m.target.library);
      else if (m.target.platform === platform) await toUser(m, m.target.userId);
      outbox.delivered(m.id, platform);
      return true;
    } catch (err) {
      const f = transportFailure(err);
      const attempts = m.attempts + 1;
      if (attempts >= policy.maxAttempts) {
        outbox.gaveUp(m.id, platform, f.code);
        log.error('delivery/gave-up', { platform, outbox: m.id, code: f.code, detail: f.detail, attempts });
        return false;
      }
      const configProblem = f.code === 'transport/forbidden' || f.code === 'transport/not-found' || f.code === 'transport/unauthorized';
      const waitMs = configProblem ? Math.max(policy.configProblemMs, backoffDelayMs(m.attempts, policy.backoff)) : backoffDelayMs(m.attempts, policy.backoff, f.retryAfterMs);
      outbox.failed(m.id, platform, f.code, waitMs);
      log.warn('delivery/failed', { platform, outbox: m.id, code: f.code, detail: f.detail, attempts, retryInMs: waitMs });
      return false;
    }
  };

  /** A request's messages to one target go out in order: after a failure the later ones wait too. */
  const orderKey = (m: OutboxMessage): string | undefined =>
    m.requestId === undefined ? undefined : `${m.requestId}|${m.target.type === 'library' ? m.target.library : `${m.target.platform}:${m.target.userId}`}`;

  const round = async (): Promise<void> => {
    for (let n = 0; n < MAX_ROUNDS && !stopped; n++) {
      again = false;
      const due = outbox.pending(platform, batch);
      const waiting = new Set<string>();
      let rateLimited = false;
      for (const listed of due) {
        if (stopped || rateLimited) return;
        const key = orderKey(listed);
        if (key !== undefined && waiting.has(key)) continue;
        // the claim is the one sender's right to send; a message another sender holds is skipped (and its followers wait)
        if (!outbox.claim(listed.id, platform, owner, policy.leaseMs)) {
          if (key !== undefined) waiting.add(key);
          continue;
        }
        const ok = await deliverOne(listed);
        if (!ok && key !== undefined) waiting.add(key);
      }
      if (due.length < batch && !again) return;
    }
  };

  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch((err: unknown) => log.error('delivery/pass-failed', { platform, cause: err }))
      .finally(() => {
        running = undefined;
        if (again && !stopped) void run();
      });
    return running;
  };

  const timer = deps.intervalMs === 0 ? undefined : setInterval(() => void run(), deps.intervalMs ?? 1_000);
  timer?.unref();

  return {
    kick: () => void run(),
    run,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      while (running) await running;
    },
  };
}
