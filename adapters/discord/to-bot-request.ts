import type { BaseInteraction, Message } from 'discord.js';
import type { BotActor, BotRequest, CommandInput, ConsortiumConfig, Language } from '../../src/index.ts';
import type { EncodedAction } from './custom-id.ts';
import { resolveActor, type DiscordWho } from './resolve-actor.ts';

/** The option values of a slash command, by name, and its subcommand. */
export interface SlashInput {
  command: string;
  subcommand?: string;
  values: ReadonlyMap<string, string>;
}

/**
 * A slash command as the core's command input: the options stay typed values by name (the core's
 * schema for the command checks them), never a command line to parse again.
 */
export function commandInputOf(input: SlashInput): CommandInput {
  return { command: input.command, ...(input.subcommand ? { subcommand: input.subcommand } : {}), values: Object.fromEntries(input.values) };
}

/** Discord's locale as a language hint: Indonesian or English clients; none for other locales. */
export function languageOfLocale(locale: string | null | undefined): Language | undefined {
  if (!locale) return undefined;
  if (locale === 'id') return 'id';
  if (locale.startsWith('en')) return 'en';
  return undefined;
}

/** A conversation is a channel, thread or DM channel. */
export function conversationIdOf(channelId: string | null | undefined, userId: string): string {
  return channelId ? `discord:${channelId}` : `discord:user:${userId}`;
}

/** A mention's or DM's text without the bot's own mention. */
export function questionText(content: string, botUserId: string): string {
  return content.replace(new RegExp(`<@!?${botUserId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/** Who is behind an interaction: the user, their member roles, the guild and channel (with a thread's parent). */
export function whoOfInteraction(i: BaseInteraction): DiscordWho {
  const member = i.member;
  const roleIds = !member ? [] : Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  const nick = member && 'nick' in member && typeof member.nick === 'string' ? member.nick : undefined;
  const channel = i.channel;
  const parentId = channel?.isThread() ? channel.parentId : undefined;
  return {
    userId: i.user.id,
    displayName: nick ?? i.user.globalName ?? i.user.username,
    ...(i.guildId ? { guildId: i.guildId } : {}),
    ...(i.channelId ? { channelId: i.channelId } : {}),
    ...(parentId ? { parentChannelId: parentId } : {}),
    roleIds,
  };
}

export function whoOfMessage(m: Message): DiscordWho {
  const parentId = m.channel.isThread() ? m.channel.parentId : undefined;
  return {
    userId: m.author.id,
    displayName: m.member?.nickname ?? m.author.globalName ?? m.author.username,
    ...(m.guildId ? { guildId: m.guildId } : {}),
    channelId: m.channelId,
    ...(parentId ? { parentChannelId: parentId } : {}),
    roleIds: m.member ? [...m.member.roles.cache.keys()] : [],
  };
}

export function actorOf(config: ConsortiumConfig, who: DiscordWho): BotActor {
  return resolveActor(config, who);
}

/** A slash command with its options. */
export function commandRequest(actor: BotActor, conversationId: string, command: CommandInput, language: Language | undefined): BotRequest {
  return { actor, conversationId, command, ...(language ? { language } : {}) };
}

/** A typed command or question. */
export function textRequest(actor: BotActor, conversationId: string, text: string, language: Language | undefined): BotRequest {
  return { actor, conversationId, text, ...(language ? { language } : {}) };
}

/** A button press, or a modal's submission with the details typed in it. */
export function actionRequest(actor: BotActor, conversationId: string, action: EncodedAction, input: string | undefined, language: Language | undefined): BotRequest {
  return {
    actor,
    conversationId,
    action: { id: action.id, target: action.target, version: action.version, ...(input !== undefined && input !== '' ? { input } : {}) },
    ...(language ? { language } : {}),
  };
}
