import { DiscordFake, type FakeUser, type Who } from './discord-fake.ts';
import { sampleDataDir } from './sample-jala.ts';

export const DISCORD_LIBS = ['UGM', 'UI', 'USU', 'DISPUSIP'] as const;
export type DiscordLib = (typeof DISCORD_LIBS)[number];

/**
 * The sample consortium on a fake Discord, for one test file: a guild with a reference desk, an ILL
 * channel and a librarian role per library. `digit` keeps each file's snowflakes apart.
 */
export function discordConsortium(digit: number) {
  const d = String(digit);
  const APP = `110000000000000000${d}`;
  const GUILD = `120000000000000000${d}`;
  const REF = `121000000000000000${d}`;
  const channelOf = Object.fromEntries(DISCORD_LIBS.map((code, n) => [code, `1210000000000000${d}${10 + n}`])) as Record<DiscordLib, string>;
  const roleOf = Object.fromEntries(DISCORD_LIBS.map((code, n) => [code, `1300000000000000${d}${10 + n}`])) as Record<DiscordLib, string>;
  const botUser: FakeUser = { id: APP, username: 'Jala', bot: true };
  const librarian = (code: DiscordLib): FakeUser => ({ id: `1400000000000000${d}${10 + DISCORD_LIBS.indexOf(code)}`, username: `lib-${code.toLowerCase()}` });
  return {
    APP, GUILD, REF, LIBS: DISCORD_LIBS, channelOf, roleOf, botUser, librarian,
    /** someone writing in the reference desk with no role */
    inReferenceDesk: (user: FakeUser): Who => ({ user, guildId: GUILD, channelId: REF, roles: [] }),
    asLibrarian: (code: DiscordLib): Who => ({ user: librarian(code), guildId: GUILD, channelId: channelOf[code], roles: [roleOf[code]] }),
    /** the sample consortium's data directory and config, with this guild, its roles and channels */
    dataDir: (prefix: string, discord: Record<string, unknown> = {}) =>
      sampleDataDir(
        (config) => {
          config.discord = {
            defaultLibrary: 'UI',
            guilds: [{ guildId: GUILD, library: 'UI' }],
            roles: DISCORD_LIBS.map((code) => ({ roleId: roleOf[code], role: 'librarian', library: code })),
            ...discord,
          };
        },
        { prefix, channels: (code) => ({ discord: [channelOf[code as DiscordLib]] }) },
      ),
    /** the fake Discord with this guild, started */
    startFake: () =>
      new DiscordFake(APP, botUser, [
        {
          id: GUILD,
          name: 'Consortium',
          channels: [{ id: REF, name: 'reference-desk' }, ...DISCORD_LIBS.map((c) => ({ id: channelOf[c], name: `ill-${c.toLowerCase()}` }))],
          roles: DISCORD_LIBS.map((c) => ({ id: roleOf[c], name: `${c} librarian` })),
        },
      ]).start(),
  };
}
