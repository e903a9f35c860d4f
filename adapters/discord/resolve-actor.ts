import { resolveRole, type BotActor, type ConsortiumConfig } from '../../src/index.ts';

/** Who pressed or typed something, as Discord tells it. */
export interface DiscordWho {
  userId: string;
  displayName?: string;
  /** absent in DMs */
  guildId?: string;
  channelId?: string;
  /** the channel a thread belongs to */
  parentChannelId?: string;
  /** the member's role ids in that guild (none in DMs) */
  roleIds: readonly string[];
}

/**
 * The actor from the config: a configured role id makes the member a librarian or admin of that
 * library; everyone else is a patron of the channel's, else the guild's, else the default library.
 */
export function resolveActor(config: ConsortiumConfig, who: DiscordWho): BotActor {
  const channelLibrary = config.libraries.find((l) =>
    l.channels.discord.some((c) => c === who.channelId || (who.parentChannelId !== undefined && c === who.parentChannelId)),
  )?.code;
  const guildLibrary = who.guildId ? config.discord.guilds.find((g) => g.guildId === who.guildId)?.library : undefined;
  const placeLibrary = channelLibrary ?? guildLibrary;
  const grants = who.guildId ? config.discord.roles.filter((r) => who.roleIds.includes(r.roleId)) : [];
  const { role, library } = resolveRole(grants.map((g) => ({ role: g.role, library: g.library })), placeLibrary, placeLibrary ?? config.discord.defaultLibrary);
  return {
    platform: 'discord',
    userId: who.userId,
    ...(who.displayName ? { displayName: who.displayName } : {}),
    role,
    ...(library ? { library } : {}),
  };
}
