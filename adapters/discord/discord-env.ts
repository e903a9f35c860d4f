import { z } from 'zod';

/** A setup problem found before connecting: bad or missing settings. Thrown once, at start-up. */
export class DiscordSetupError extends Error {
  constructor(
    readonly code: 'discord/bad-settings' | 'discord/login-failed' | 'discord/register-failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DiscordSetupError';
  }
}

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const snowflakeText = (name: string) =>
  z.string({ error: `${name} is not set` }).trim().regex(/^\d{5,21}$/, `${name} must be a Discord id (a snowflake: 5-21 digits)`);

/** The environment the Discord adapter reads. */
export const DiscordEnv = z.object({
  /** the bot token from the Developer Portal */
  DISCORD_TOKEN: z.preprocess(blankToUndefined, z.string({ error: 'DISCORD_TOKEN is not set (the bot token from the Discord Developer Portal)' }).trim()),
  /** the application (client) id: commands are registered under it, interactions answered with it */
  DISCORD_APPLICATION_ID: z.preprocess(blankToUndefined, snowflakeText('DISCORD_APPLICATION_ID')),
  /** another REST base than https://discord.com/api (tests, proxies): passed to discord.js as `rest.api` */
  DISCORD_API_URL: z.preprocess(
    blankToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'DISCORD_API_URL must be an http(s) URL such as http://127.0.0.1:8080/api' })
      .transform((u) => u.replace(/\/+$/, '').replace(/\/v\d+$/, ''))
      .optional(),
  ),
  /** register the commands to this one guild (instant) instead of globally */
  DISCORD_GUILD_ID: z.preprocess(blankToUndefined, snowflakeText('DISCORD_GUILD_ID').optional()),
});
export type DiscordEnv = z.infer<typeof DiscordEnv>;

/** Discord is wanted when either credential is set; both must then be valid. */
export function discordRequested(env: NodeJS.ProcessEnv): boolean {
  return blankToUndefined(env.DISCORD_TOKEN) !== undefined || blankToUndefined(env.DISCORD_APPLICATION_ID) !== undefined;
}

/** The Discord settings from the environment, or a DiscordSetupError naming every problem. */
export function parseDiscordEnv(env: NodeJS.ProcessEnv): DiscordEnv {
  const parsed = DiscordEnv.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  • ${i.message}`).join('\n');
  throw new DiscordSetupError('discord/bad-settings', `Discord cannot start; fix these settings:\n${problems}`);
}
