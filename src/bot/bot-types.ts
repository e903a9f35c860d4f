import type { Answer } from '../answer/answer-types.ts';
import type { Language } from '../common/language.ts';
import type { CardRefStore } from '../ill/card-ref-store.ts';
import type { GivenUpRow } from '../ill/outbox.ts';

/** Who speaks to the bot: the core's actor (src/common/actor.ts). */
export type { Role, Platform } from '../common/actor.ts';
import type { Actor, Platform } from '../common/actor.ts';
import type { CommandInput } from './command-input.ts';
export type BotActor = Actor;

/** One thing a person did: a message/command, or a button press on a card. */
export interface BotRequest {
  actor: BotActor;
  /** a thread, channel+user, DM or terminal session: conversation context is kept per actor and conversation */
  conversationId: string;
  /** a plain message or a command line: "/ill accept R7 ok", "/catalog laskar pelangi", "apakah ada …" */
  text?: string;
  /** a command with its options as the platform gave them (Discord's slash-command options): validated by the command's schema, never turned back into text */
  command?: CommandInput;
  /** a button press: the action id and target from an ActionButton, the version the card showed, and any details typed in a modal */
  action?: { id: string; target: string; version: number; input?: string };
  /** the platform's locale hint, used only when the text gives no language */
  language?: Language;
}

/** A button the adapters draw; pressing it comes back as BotRequest.action. */
export interface ActionButton {
  /** stable id: "ill:accept", "ill:ship", "catalog:more", "ill:request" … */
  id: string;
  label: string;
  style?: 'primary' | 'danger';
  /** what it acts on: an ILL request id ("R12"), a work id ("w7") or a page offset ("5"); at most 80 characters */
  target: string;
  /** the request version the card showed (0 where no request is involved): a stale or double click changes nothing */
  version: number;
  /** the action needs details first (a modal on Slack/Discord, a prompt in the terminal) */
  input?: { label: string; kind: 'text' | 'date' | 'reason'; required: boolean; choices?: Array<{ value: string; label: string }> };
}

/** The ILL request fields every reply or notification about a request carries. */
export interface RequestSummary {
  id: string;
  /** requester-side state name (NEW, SOURCING, SENT, WILL_SUPPLY, SHIPPED, RECEIVED, …) */
  state: string;
  /** the state in words, in the reply's language (what people read; `state` is for programs) */
  stateLabel?: string;
  /** supplier-side state of the current lender, when one is contacted */
  supplierState?: string;
  requester: string;
  supplier?: string;
  version: number;
  title: string;
  workId?: string;
  dueDate?: string;
  needBy?: string;
}

export type ReplyBlock =
  | { type: 'text'; text: string }
  | { type: 'answer'; answer: Answer }
  /** a request card: the state, the people/libraries involved, and the buttons this viewer may press */
  | { type: 'request-card'; request: RequestSummary; lines: string[]; /** what just happened, for the request's thread */ event?: string }
  | { type: 'request-list'; title: string; requests: RequestSummary[] };

/**
 * Why a reply refuses or fails, as a stable code: adapters and tests tell outcomes apart by it, never by
 * the wording (which is in the user's language). The ILL codes are the ILL service's outcomes.
 */
export type BotErrorCode =
  | 'bot/usage' | 'bot/unknown-command' | 'bot/unknown-action' | 'bot/rate-limited'
  | 'catalog/invalid-isbn' | 'catalog/not-found'
  | 'faq/forbidden' | 'faq/not-found' | 'faq/too-long'
  | 'admin/forbidden'
  | 'report/unknown-library' | 'report/same-library'
  | 'reindex/unknown-library' | 'reindex/no-sources' | 'reindex/already-running'
  | 'ill/not-found' | 'ill/forbidden' | 'ill/not-allowed-now' | 'ill/stale' | 'ill/needs-details' | 'ill/bad-date'
  | 'ill/no-library' | 'ill/no-work' | 'ill/bad-id' | 'ill/usage' | 'ill/not-requestable' | 'ill/confirmation-gone' | 'ill/confirmation-expired';

/** What the bot says, platform-neutral. */
export interface BotReply {
  language: Language;
  blocks: ReplyBlock[];
  actions: ActionButton[];
  /** only the addressee should see it (Slack ephemeral, Discord ephemeral) */
  private: boolean;
  /** set when the reply is about one ILL request */
  request?: RequestSummary;
  /** the work a request would be for, on a reply that shows it for confirmation or refuses it (`w12`) */
  workId?: string;
  /** set when the reply refuses or fails (e.g. "ill/forbidden", "bot/usage") */
  error?: BotErrorCode;
  /**
   * A report that is updated as work goes on (reindex progress): adapters keep one message per key and
   * edit it with each later reply or outbox message of the same key; `done` marks the last update.
   */
  progress?: { key: string; done: boolean };
  /** a file to attach (a MARC record for copy cataloguing, a CSV report) */
  file?: { name: string; mediaType: string; base64: string };
}

export type NotificationTarget =
  | { type: 'library'; library: string }
  | { type: 'user'; platform: Platform; userId: string };

/** A message for someone other than the sender, persisted in the outbox until delivered. */
export interface OutboxMessage {
  id: number;
  target: NotificationTarget;
  reply: BotReply;
  /** the request this message is about: adapters thread by it and update the card in place */
  requestId?: string;
  createdAt: string;
  attempts: number;
  /** places (channel ids, `user:ID`) already served on the platform that listed it */
  donePlaces: string[];
  /** an earlier send stopped midway (a restart): the platform may have the message already */
  interrupted?: boolean;
  /** the stored row could not be read: it cannot be delivered (it is given up with a code) */
  unreadable?: true;
}

/** The result of handling one BotRequest. */
export interface BotResult {
  replies: BotReply[];
  notifications: OutboxMessage[];
}

/**
 * The outbox as the delivery loop (src/delivery/deliver-outbox.ts) sees it. A library message is due on
 * every platform where that library has channels; each platform marks its own delivery. `pending`
 * lists messages oldest first, each rendered now in its reader's current language; failed deliveries
 * come back after the delay, and meanwhile later messages about the same request to the same target
 * wait behind them (also while one is leased to a sender).
 */
export interface OutboxPort {
  pending(platform: Platform, limit?: number): OutboxMessage[];
  /** takes a message for sending for `leaseMs`; false when it is done or another sender holds it */
  claim(id: number, platform: Platform, owner: string, leaseMs: number): boolean;
  /** one place (a channel, `user:ID`) of a message was served */
  placeDone(id: number, platform: Platform, place: string): void;
  delivered(id: number, platform: Platform): void;
  failed(id: number, platform: Platform, error: string, retryAfterMs?: number): void;
  /** no further attempt after the retry cap; the code stays visible in `givenUp` */
  gaveUp(id: number, platform: Platform, error: string): void;
  givenUp(platform: Platform): GivenUpRow[];
  /** the reply a stored message reads as now (rendered as the delivery loop renders it); undefined for an unknown or unreadable one */
  render(id: number): BotReply | undefined;
  /** where each platform showed a request's card (and its thread) and a progress report's DM */
  cards: CardRefStore;
}
