import { z } from 'zod';
import { resolveRole, type BotActor, type BotRequest, type ConsortiumConfig, type Role } from '../../src/index.ts';
import { decodeAction } from './action-value.ts';

/** Who is who on Slack: the consortium config plus the members of the configured user groups. */
export interface SlackDirectory {
  config: ConsortiumConfig;
  /** user groups (S…) the user belongs to, as last fetched with usergroups.users.list */
  groupsOf(userId: string): readonly string[];
  /** the bot's own user id when known (its mention is stripped from questions) */
  botUserId?: string;
}

// ——— inbound payloads, typed where they are translated ———

export const SlashCommandPayload = z.object({
  command: z.string(),
  text: z.string().default(''),
  user_id: z.string(),
  user_name: z.string().optional(),
  channel_id: z.string(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
});
export type SlashCommandPayload = z.infer<typeof SlashCommandPayload>;

export const MessageEventPayload = z.object({
  type: z.string(),
  user: z.string().optional(),
  text: z.string().default(''),
  ts: z.string(),
  channel: z.string(),
  channel_type: z.string().optional(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
});
export type MessageEventPayload = z.infer<typeof MessageEventPayload>;

export const BlockActionsPayload = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string(), username: z.string().optional(), name: z.string().optional() }),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  channel: z.object({ id: z.string() }).optional(),
  container: z
    .object({
      type: z.string(),
      message_ts: z.string().optional(),
      channel_id: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
      thread_ts: z.string().optional(),
      view_id: z.string().optional(),
    })
    .optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  view: z.object({ type: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional(), text: z.object({ text: z.string() }).optional() })).min(1),
});
export type BlockActionsPayload = z.infer<typeof BlockActionsPayload>;

export const HomeOpenedPayload = z.object({ type: z.literal('app_home_opened'), user: z.string(), tab: z.string().optional() });

/** Where an interaction happened, so the answer goes back to the same place. */
export interface InteractionPlace {
  channel?: string;
  threadTs?: string;
  messageTs?: string;
  ephemeral: boolean;
  /** clicked in the App Home tab */
  home: boolean;
  responseUrl?: string;
}

// ——— who acts ———

export function libraryOfChannel(config: ConsortiumConfig, channelId: string | undefined): string | undefined {
  if (!channelId) return undefined;
  return config.libraries.find((l) => l.channels.slack.includes(channelId))?.code;
}

/**
 * The actor of a Slack user: a configured librarian/admin (by user id or user group) of a
 * library — the entry for the channel's library first, admins before librarians — or else a
 * patron of the workspace's default library (the channel's library when no default is set).
 */
export function slackActor(dir: SlackDirectory, userId: string, channelId?: string, displayName?: string): BotActor {
  const { config } = dir;
  const channelLibrary = libraryOfChannel(config, channelId);
  const groups = new Set(dir.groupsOf(userId));
  const grants = config.slack.roles.filter((r) => r.user === userId || (r.usergroup !== undefined && groups.has(r.usergroup)));
  const { role, library } = resolveRole(grants.map((g) => ({ role: g.role as Role, library: g.library })), channelLibrary, config.slack.defaultLibrary ?? channelLibrary);
  return { platform: 'slack', userId, role, ...(library ? { library } : {}), ...(displayName ? { displayName } : {}) };
}

/** One conversation per channel, or per thread when there is one. */
export function conversationOf(channel: string, threadTs?: string): string {
  return threadTs ? `${channel}/${threadTs}` : channel;
}

// ——— text ———

/**
 * A message as the person typed it: Slack's markup undone — the bot's mention dropped, links
 * and channel references shown as their labels, &amp; &lt; &gt; decoded.
 */
export function plainMessageText(text: string, botUserId?: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) => (botUserId === undefined || id === botUserId ? ' ' : `@${id}`))
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<![^>]*>/g, ' ')
    .replace(/<((?:https?|mailto|tel):[^|>]*)\|([^>]*)>/g, '$2')
    .replace(/<((?:https?|mailto|tel):[^>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Does the text mention this user (<@U…>)? */
export function mentions(text: string, userId: string | undefined): boolean {
  return userId !== undefined && new RegExp(`<@${userId}(\\|[^>]*)?>`).test(text);
}

// ——— translators ———

export function commandToBotRequest(p: SlashCommandPayload, dir: SlackDirectory): BotRequest {
  const text = p.text.trim();
  return {
    actor: slackActor(dir, p.user_id, p.channel_id, p.user_name),
    conversationId: conversationOf(p.channel_id),
    text: `${p.command.trim()}${text ? ` ${text}` : ''}`,
  };
}

/** A mention, a direct message or a reply in a conversation thread: a question (or a "/command" line) for the bot. */
export function messageToBotRequest(e: MessageEventPayload & { user: string }, dir: SlackDirectory, threadTs: string | undefined): BotRequest {
  return {
    actor: slackActor(dir, e.user, e.channel),
    conversationId: conversationOf(e.channel, threadTs),
    text: plainMessageText(e.text, dir.botUserId),
  };
}

export function placeOfAction(p: BlockActionsPayload): InteractionPlace {
  const channel = p.container?.channel_id ?? p.channel?.id;
  const threadTs = p.container?.thread_ts ?? p.message?.thread_ts;
  const messageTs = p.container?.message_ts ?? p.message?.ts;
  return {
    ...(channel ? { channel } : {}),
    ...(threadTs ? { threadTs } : {}),
    ...(messageTs ? { messageTs } : {}),
    ephemeral: p.container?.is_ephemeral === true,
    home: p.container?.type === 'view' && p.view?.type === 'home',
    ...(p.response_url ? { responseUrl: p.response_url } : {}),
  };
}

/** A button press: the action and its target as the card showed them, by whoever pressed it now. */
export function actionToBotRequest(
  p: { userId: string; userName?: string },
  place: InteractionPlace,
  action: { actionId: string; value?: string; input?: string },
  dir: SlackDirectory,
): BotRequest | undefined {
  const decoded = decodeAction(action.actionId, action.value);
  if (!decoded) return undefined;
  return {
    actor: slackActor(dir, p.userId, place.channel, p.userName),
    conversationId: decoded.conversationId ?? (place.channel ? conversationOf(place.channel, place.threadTs) : 'home'),
    action: { id: decoded.id, target: decoded.target, version: decoded.version, ...(action.input !== undefined ? { input: action.input } : {}) },
    ...(decoded.language ? { language: decoded.language } : {}),
  };
}

/** App Home asks the core for the person's requests (and a librarian's queue) in plain command lines. */
export function homeRequests(userId: string, dir: SlackDirectory): BotRequest[] {
  const actor = slackActor(dir, userId);
  const base = { actor, conversationId: 'home' };
  const out: BotRequest[] = [{ ...base, text: '/ill mine' }];
  if (actor.role !== 'patron') out.push({ ...base, text: '/ill queue' });
  return out;
}
