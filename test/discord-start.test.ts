import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/index.ts';
import { ConsortiumConfig } from '../src/config/consortium-config.ts';
import { DiscordSetupError, parseDiscordEnv } from '../adapters/discord/discord-env.ts';
import { registerDiscordCommands, startDiscord } from '../adapters/discord/start-discord.ts';
import { DiscordFake } from './support/discord-fake.ts';
import { tempDir } from './support/paths.ts';

describe('Discord start-up', () => {
  it('fails with a clear message naming each missing or bad setting', () => {
    expect(() => parseDiscordEnv({ DISCORD_TOKEN: 'x' })).toThrow(/DISCORD_APPLICATION_ID is not set/);
    expect(() => parseDiscordEnv({ DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '123456', DISCORD_API_URL: 'not a url' })).toThrow(DiscordSetupError);
    expect(parseDiscordEnv({ DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '123456', DISCORD_API_URL: 'http://127.0.0.1:9/api/', DISCORD_GUILD_ID: '' })).toEqual({
      DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '123456', DISCORD_API_URL: 'http://127.0.0.1:9/api',
    });
  });

  it('refuses to start without settings before touching the network', async () => {
    await expect(startDiscord({ bot: {} as never, jala: { config: {} } as never, env: {} })).rejects.toThrow(/DISCORD_TOKEN is not set/);
  });

  it('stops at start-up when Discord rejects the token', async () => {
    const fake = await new DiscordFake('1100000000000000008', { id: '1100000000000000008', username: 'Jala', bot: true }, []).start();
    try {
      fake.fail('PUT', /commands$/, 401);
      const env = { DISCORD_TOKEN: 'bad', DISCORD_APPLICATION_ID: '1100000000000000008', DISCORD_API_URL: fake.restUrl };
      const jala = { config: ConsortiumConfig.parse({}), dataDir: tempDir() } as never;
      await expect(startDiscord({ bot: {} as never, jala, env, log: () => {} })).rejects.toThrow(/Discord rejected the command registration/);
      expect(fake.requests.some((r) => r.path === '/gateway/bot')).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('registers commands idempotently by bulk overwrite, globally without DISCORD_GUILD_ID', async () => {
    const fake = await new DiscordFake('1100000000000000009', { id: '1100000000000000009', username: 'Jala', bot: true }, []).start();
    try {
      const env = { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1100000000000000009', DISCORD_API_URL: fake.restUrl };
      expect(await registerDiscordCommands(env)).toEqual({ scope: 'global', commands: COMMANDS.length });
      await registerDiscordCommands(env);
      const puts = fake.requests.filter((r) => r.method === 'PUT');
      expect(puts.map((r) => r.path)).toEqual(['/applications/1100000000000000009/commands', '/applications/1100000000000000009/commands']);
      expect(puts[0]!.body).toEqual(puts[1]!.body);
    } finally {
      await fake.close();
    }
  });
});
