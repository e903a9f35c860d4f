import type { BotReply } from '../bot/bot-types.ts';
import type { Platform } from '../common/actor.ts';

/** Where a platform put a message: its channel (or DM channel), its id, and the thread started from it. */
export interface PostedMessage {
  channel: string;
  messageId: string;
  threadId?: string;
}

/**
 * How a send is made safe to repeat. `key` names this send of this outbox message in this place and is
 * the same on every attempt; `mayExist` is true when an earlier attempt may have reached the platform
 * (a failed attempt, or a lease taken over after a restart): the transport then finds the earlier
 * message by its key (Slack message metadata, Discord's enforced nonce) instead of posting again.
 */
export interface SendKey {
  key: string;
  mayExist: boolean;
}

/**
 * What a chat platform offers the core's delivery loop (src/delivery/deliver-outbox.ts); an adapter
 * implements it with its own renderer (Block Kit, embeds) and nothing else: no ordering, retry or
 * card bookkeeping. A failure rejects with a TransportError.
 */
export interface Transport {
  readonly platform: Platform;
  /** a new message in a channel; a request card may start its thread at once (then `threadId` is set) */
  post(channel: string, reply: BotReply, send: SendKey): Promise<PostedMessage>;
  /** redraws a message in place (a request's card, a progress report) */
  update(message: PostedMessage, reply: BotReply): Promise<void>;
  /** a reply in the card's thread; returns the card with the thread it went to (started now if it had none) */
  threadReply(card: PostedMessage, reply: BotReply, send: SendKey): Promise<PostedMessage>;
  /** a direct message to a person */
  directMessage(userId: string, reply: BotReply, send: SendKey): Promise<PostedMessage>;
  /** a file beside a message: in a channel, or to a person */
  upload(to: { channel: string } | { userId: string }, file: NonNullable<BotReply['file']>): Promise<void>;
}

/**
 * Why a platform call failed, as a stable code the delivery loop decides by:
 * - `transport/rate-limited`: the platform asked to wait (`retryAfterMs`); nothing was done;
 * - `transport/unauthorized`: the token is refused (invalid_auth, 401); nothing was done;
 * - `transport/forbidden`: no permission for that place (403, not_in_channel); nothing was done;
 * - `transport/not-found`: the channel, user or message does not exist (a deleted card is posted afresh);
 * - `transport/rejected`: the platform refused the message itself; nothing was done;
 * - `transport/unavailable`: a timeout, a cut connection or a 5xx: the platform may have acted.
 */
export type TransportErrorCode = 'transport/rate-limited' | 'transport/unauthorized' | 'transport/forbidden' | 'transport/not-found' | 'transport/rejected' | 'transport/unavailable';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    /** the platform's own code (`slack/invalid_auth`, `discord/http-429`), for the log */
    readonly detail: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(`${code} (${detail})`, options);
    this.name = 'TransportError';
  }

  /** a failure after which the platform may have done what was asked */
  get mayHaveActed(): boolean {
    return this.code === 'transport/unavailable';
  }
}

/** The code of any failure: a TransportError's own, else `transport/unavailable` (a bug or an unknown failure). */
export function transportFailure(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  return new TransportError('transport/unavailable', err instanceof Error ? err.name : 'unknown', undefined, { cause: err });
}
