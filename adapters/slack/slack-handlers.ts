import { randomBytes } from 'node:crypto';
import type { App, webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { COMMANDS, phrases, type Bot, type BotReply, type BotRequest, type Language } from '../../src/index.ts';
import { decodeAction } from './action-value.ts';
import { homeView } from './render-home.ts';
import { renderReply, SHARE_ACTION_ID, type SlackMessage } from './render-blocks.ts';
import { uploadReplyFile } from './upload-file.ts';
import { INPUT_CALLBACK_ID, inputModal, modalMetadata, placeOfModal, readModalMetadata, submittedInput } from './render-modal.ts';
import type { SlackLog } from './slack-log.ts';
import { commandSurface, interactionSurface, messageSurface, type Surface } from './slack-surface.ts';
import {
  actionToBotRequest, BlockActionsPayload, commandToBotRequest, conversationOf, HomeOpenedPayload, homeRequests, mentions,
  MessageEventPayload, messageToBotRequest, placeOfAction, SlashCommandPayload, slackActor, type InteractionPlace, type SlackDirectory,
} from './to-bot-request.ts';

/**
 * The Slack listeners. Each does four things — acknowledge, translate to a BotRequest, call the
 * core, render the reply — and has exactly one catch-all that logs the code and answers with the
 * core's apology.
 */
export interface HandlerDeps {
  bot: Bot;
  directory: SlackDirectory;
  log: SlackLog;
  /** after each handled event: deliver what the core queued in its outbox */
  afterEvent(): Promise<void>;
  /** the ts of the request's card in a channel, when the outbox keeps that card up to date */
  cardTs(requestId: string, channel: string): string | undefined;
  /**
   * true the first time an event_id is seen by any replica (the core's SeenEvents, in the database),
   * false for Slack's retries of it, wherever they arrive
   */
  firstSighting(eventId: string): boolean;
}

const MINUTE = 60_000;
/** How far a signed request's timestamp may be from now, either way. */
export const REPLAY_WINDOW_MS = 5 * MINUTE;

interface PendingShare {
  reply: BotReply;
  user: string;
  channel?: string;
  threadTs?: string;
}

/** Lets the event loop flush the acknowledgement before the (synchronous) core runs. */
const yieldToAck = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const hasAnswer = (reply: BotReply): boolean => reply.blocks.some((b) => b.type === 'answer');

export function registerSlackHandlers(app: App, deps: HandlerDeps): void {
  const { bot, directory, log } = deps;
  // bounded, expiring memories: threads the bot is talking in, answers waiting to be shared
  const threads = new LRUCache<string, true>({ max: 20_000, ttl: 30 * MINUTE });
  const shares = new LRUCache<string, PendingShare>({ max: 2_000, ttl: 30 * MINUTE });
  // longer than the ±5 minutes a signed request's timestamp may be off (start-slack.ts)
  const seenTriggers = new LRUCache<string, true>({ max: 100_000, ttl: REPLAY_WINDOW_MS * 2 + MINUTE });

  const apology = (lang: Language): SlackMessage => ({ text: phrases(lang).apology, blocks: [] });

  const handleSafely = async (what: string, surface: Surface | undefined, lang: Language, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (err) {
      log.error(`slack: ${what} failed`, err);
      if (surface) await surface.private(apology(lang)).catch((e: unknown) => log.error('slack: could not send the apology', e));
    }
    await deps.afterEvent().catch((e: unknown) => log.error('slack: outbox delivery failed', e));
  };

  /** Render one reply for a surface, with "Share to channel" on a private answer in a channel. */
  const render = (reply: BotReply, surface: Surface, user: string, conversationId: string): SlackMessage => {
    let shareToken: string | undefined;
    if (surface.shareable && reply.private && hasAnswer(reply)) {
      shareToken = randomBytes(9).toString('base64url');
      shares.set(shareToken, { reply, user, ...(surface.channel ? { channel: surface.channel } : {}), ...(surface.threadTs ? { threadTs: surface.threadTs } : {}) });
    }
    return renderReply(reply, { conversationId, ...(shareToken ? { shareToken } : {}) });
  };

  /** A reply's file, uploaded after its message (through the Bolt client of the event that asked). */
  const sendFile = async (client: webApi.WebClient, reply: BotReply, surface: Surface, user: string): Promise<void> => {
    if (!reply.file) return;
    await uploadReplyFile(client, reply.file, { user, private: reply.private, ...(surface.channel ? { channel: surface.channel } : {}), ...(surface.threadTs ? { threadTs: surface.threadTs } : {}) });
  };

  /** A command or a message: private replies to the asker, public ones to the conversation. */
  const answer = async (client: webApi.WebClient, req: BotRequest, surface: Surface, user: string): Promise<void> => {
    const result = bot.handle(req);
    for (const reply of result.replies) {
      const msg = render(reply, surface, user, req.conversationId);
      await (reply.private ? surface.private(msg) : surface.public(msg));
      await sendFile(client, reply, surface, user);
    }
  };

  // ——— de-duplication: Slack retries events it thinks we missed, and a retry may reach another replica ———
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && eventId !== '') {
      let first = true;
      try {
        first = deps.firstSighting(eventId);
      } catch (err) {
        // the database cannot say: handle the event (an ILL action is version-checked, so a repeat cannot apply twice)
        log.error('slack: cannot record the event as seen', err);
      }
      if (!first) return;
    }
    await next();
  });

  // ——— and a signed slash command or interaction replayed inside the timestamp window runs once ———
  // Slack gives every command invocation, button press and modal submission its own trigger_id
  app.use(async (args) => {
    const trigger = (args.body as { trigger_id?: unknown }).trigger_id;
    const type = (args.body as { type?: unknown; command?: unknown }).command !== undefined ? 'command' : String((args.body as { type?: unknown }).type ?? '');
    if (typeof trigger === 'string' && trigger !== '') {
      const key = `${type}\u0000${trigger}`;
      if (seenTriggers.has(key)) {
        log.warn(`slack: a replayed ${type} was ignored`);
        const ack = (args as { ack?: () => Promise<void> }).ack;
        if (ack) await ack();
        return;
      }
      seenTriggers.set(key, true);
    }
    await args.next();
  });

  // ——— slash commands, one per entry of the core's command table ———
  for (const spec of COMMANDS) {
    app.command(`/${spec.name}`, async ({ ack, body, client }) => {
      await ack();
      await yieldToAck();
      const parsed = SlashCommandPayload.safeParse(body);
      if (!parsed.success) return log.warn(`slack: unreadable /${spec.name} payload`);
      const p = parsed.data;
      const surface = commandSurface(client, { channel: p.channel_id, user: p.user_id, ...(p.response_url ? { responseUrl: p.response_url } : {}) });
      await handleSafely(`/${spec.name}`, surface, 'en', () => answer(client, commandToBotRequest(p, directory), surface, p.user_id));
    });
  }

  // ——— mentions in channels: a question; the answer starts (or continues) a thread ———
  app.event('app_mention', async ({ event, client }) => {
    const parsed = MessageEventPayload.safeParse(event);
    if (!parsed.success) return log.warn('slack: unreadable app_mention event');
    const e = parsed.data;
    if (e.bot_id || e.subtype || !e.user) return;
    const user = e.user;
    const threadTs = e.thread_ts ?? e.ts;
    threads.set(conversationOf(e.channel, threadTs), true);
    const direct = e.channel_type === 'im';
    const surface = messageSurface(client, { channel: e.channel, user, threadTs, direct });
    await handleSafely('app_mention', surface, 'en', () => answer(client, messageToBotRequest({ ...e, user }, directory, threadTs), surface, user));
  });

  // ——— direct messages, and replies in threads the bot is talking in ———
  app.event('message', async ({ event, client }) => {
    const parsed = MessageEventPayload.safeParse(event);
    if (!parsed.success) return;
    const e = parsed.data;
    if (e.subtype || e.bot_id || !e.user) return; // edits, joins, bots (ourselves included)
    const user = e.user;
    const direct = e.channel_type === 'im';
    if (!direct) {
      if (!e.thread_ts || mentions(e.text, directory.botUserId)) return; // app_mention answers mentions
      if (!threads.has(conversationOf(e.channel, e.thread_ts))) return;
      threads.set(conversationOf(e.channel, e.thread_ts), true);
    }
    const surface = messageSurface(client, { channel: e.channel, user, direct, ...(e.thread_ts ? { threadTs: e.thread_ts } : {}) });
    await handleSafely('message', surface, 'en', () => answer(client, messageToBotRequest({ ...e, user }, directory, e.thread_ts), surface, user));
  });

  // ——— App Home: the person's requests; a librarian's queue ———
  const publishHome = async (client: webApi.WebClient, user: string): Promise<void> => {
    const replies = homeRequests(user, directory).flatMap((r) => bot.handle(r).replies);
    await client.views.publish({ user_id: user, view: homeView(replies) });
  };

  app.event('app_home_opened', async ({ event, client }) => {
    const parsed = HomeOpenedPayload.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    await handleSafely('app_home_opened', undefined, 'en', () => publishHome(client, parsed.data.user));
  });

  // ——— buttons ———

  /** Where each reply to a click goes: a new page or an updated card replaces the clicked message; refusals stay private. */
  const answerClick = async (req: BotRequest, place: InteractionPlace, surface: Surface, user: string, client: webApi.WebClient): Promise<void> => {
    const result = bot.handle(req);
    const actionId = req.action?.id ?? '';
    for (const reply of result.replies) {
      const msg = render(reply, surface, user, req.conversationId);
      const replaceable = !reply.error && (hasAnswer(reply) ? place.ephemeral : reply.request !== undefined && actionId !== 'ill:request' && !place.home);
      // a library channel's card is the outbox's to update (with the event in its thread): no second writer
      const outboxCard = reply.request !== undefined && place.channel !== undefined && place.messageTs !== undefined && deps.cardTs(reply.request.id, place.channel) === place.messageTs;
      if (replaceable && outboxCard) continue;
      if (replaceable && surface.replace) await surface.replace(msg);
      else if (hasAnswer(reply) && !reply.private && !reply.error) await surface.public(msg);
      else await surface.private(msg);
      await sendFile(client, reply, surface, user);
    }
    if (place.home) await publishHome(client, user);
  };

  // every core action id ("catalog:more", "ill:accept" …); "slack:" ids are this adapter's own
  app.action(/^(?!slack:)[a-z][a-z-]*:/, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockActionsPayload.safeParse(body);
    if (!parsed.success) return log.warn('slack: unreadable block_actions payload');
    const p = parsed.data;
    const place = placeOfAction(p);
    const surface = interactionSurface(client, p.user.id, place);
    const action = p.actions[0];
    if (!action) return;
    const decoded = decodeAction(action.action_id, action.value);
    await handleSafely(`action ${decoded?.id ?? 'unknown'}`, surface, decoded?.language ?? 'en', async () => {
      const userName = p.user.username ?? p.user.name;
      const req = actionToBotRequest({ userId: p.user.id, ...(userName ? { userName } : {}) }, place, { actionId: action.action_id, ...(action.value !== undefined ? { value: action.value } : {}) }, directory);
      if (!decoded || !req) {
        const lang = decoded?.language ?? 'en';
        return surface.private({ text: phrases(lang).unknownAction, blocks: [] });
      }
      if (decoded.input && p.trigger_id) {
        // details first: the modal must open within 3 s of the click, before the core runs
        const title = action.text?.text ?? decoded.id;
        const input = decoded.input;
        await client.views.open({ trigger_id: p.trigger_id, view: inputModal({ ...decoded, input }, title, modalMetadata(decoded, place, req.conversationId)) });
        return;
      }
      await yieldToAck();
      await answerClick(req, place, surface, p.user.id, client);
    });
  });

  app.action(SHARE_ACTION_ID, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockActionsPayload.safeParse(body);
    if (!parsed.success) return log.warn('slack: unreadable share payload');
    const p = parsed.data;
    const place = placeOfAction(p);
    const token = p.actions[0]?.value ?? '';
    const share = shares.get(token);
    const lang = share?.reply.language ?? 'en';
    const surface = interactionSurface(client, p.user.id, { ...place, ...(share?.channel ? { channel: share.channel } : {}), ...(share?.threadTs ? { threadTs: share.threadTs } : {}) });
    await handleSafely('share', surface, lang, async () => {
      if (!share || share.user !== p.user.id) return surface.private({ text: phrases(lang).unknownAction, blocks: [] });
      await surface.public(renderReply(share.reply, { withoutActions: true, sharedBy: p.user.id }));
      shares.delete(token);
      if (surface.remove) await surface.remove();
    });
  });

  // ——— modal submissions: the details an action asked for ———
  app.view(INPUT_CALLBACK_ID, async ({ ack, body, view, client }) => {
    await ack();
    const meta = readModalMetadata(view.private_metadata);
    if (!meta) return log.warn('slack: unreadable modal metadata');
    const place = placeOfModal(meta);
    const user = body.user.id;
    const surface = interactionSurface(client, user, place);
    await handleSafely(`modal ${meta.a}`, surface, meta.l ?? 'en', async () => {
      const input = submittedInput(view.state);
      const req: BotRequest = {
        actor: slackActor(directory, user, place.channel, body.user.name),
        conversationId: meta.c ?? (place.channel ? conversationOf(place.channel, place.threadTs) : 'home'),
        action: { id: meta.a, target: meta.t, version: meta.v, ...(input !== undefined ? { input } : {}) },
        ...(meta.l ? { language: meta.l } : {}),
      };
      await answerClick(req, place, surface, user, client);
    });
  });
}
