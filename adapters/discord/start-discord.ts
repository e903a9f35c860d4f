import { once } from 'node:events';
import { Client, DiscordAPIError, Events, GatewayIntentBits, Partials, REST, RESTEvents, Routes } from 'discord.js';
import { createOutboxDelivery, createPinoLogger, type Bot, type ConsortiumConfig, type DeliveryPolicy, type Jala, type Logger } from '../../src/index.ts';
import { createButtonMemory } from './button-memory.ts';
import { createDiscordHttpAgent } from './discord-http-agent.ts';
import { commandDefinitions } from './command-definitions.ts';
import { DiscordSetupError, parseDiscordEnv, type DiscordEnv } from './discord-env.ts';
import { describeError, discordLogOf, type DiscordLog } from './discord-log.ts';
import { createDiscordTransport } from './discord-transport.ts';
import { handleInteraction } from './handle-interaction.ts';
import { createSeenInteractions } from './seen-interactions.ts';
import { handleMessage } from './handle-message.ts';
import { NO_MENTIONS } from './render-embeds.ts';

export interface StartDiscordOptions {
  bot: Bot;
  jala: Jala;
  /** DISCORD_TOKEN, DISCORD_APPLICATION_ID, optional DISCORD_API_URL and DISCORD_GUILD_ID */
  env: NodeJS.ProcessEnv;
  log?: DiscordLog;
  /** the one logger (redacts patron identities); a pino logger on stderr by default */
  logger?: Logger;
  /** outbox polling (ms, default 1 s) and ILL timers (ms, default 1 min; 0 = the caller runs them) */
  outboxIntervalMs?: number;
  timerIntervalMs?: number;
  /** how long to wait for the gateway's READY (ms, default 30 s) */
  readyTimeoutMs?: number;
  /** one REST request's time limit (ms; discord.js's default 15 s) and how often a timed-out, reset or 5xx request is retried at once (default 3) */
  restTimeoutMs?: number;
  restRetries?: number;
  /** the core delivery loop's retry policy (tests shorten it; default DEFAULT_DELIVERY_POLICY) */
  deliveryPolicy?: Partial<DeliveryPolicy>;
}

export interface RunningDiscord {
  /** the logged-in client (tests, diagnostics) */
  client: Client;
  /** resolves when the outbox has nothing in flight */
  outboxIdle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs Jala on Discord: checks the settings, registers the commands (bulk overwrite, guild or
 * global), logs in to the gateway, answers interactions and mentions/DMs through the core, and
 * delivers the core's outbox. Throws DiscordSetupError when it cannot start.
 */
export async function startDiscord(opts: StartDiscordOptions): Promise<RunningDiscord> {
  const env = parseDiscordEnv(opts.env);
  const logger = (opts.logger ?? createPinoLogger()).child({ component: 'discord' });
  const log = opts.log ?? discordLogOf(logger);
  const { bot, jala } = opts;
  const config = jala.config;
  const messageQuestions = config.discord.messageQuestions;

  const httpAgent = createDiscordHttpAgent();
  const client = new Client({
    // only what is used: guilds (channels, threads, roles); messages only when mentions and DMs are questions
    intents: [
      GatewayIntentBits.Guilds,
      ...(messageQuestions ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent] : []),
    ],
    // DM channels and threads Jala started over REST may not be cached: still take their messages and interactions
    partials: [Partials.Channel],
    rest: {
      // a dispatcher of discord.js's own undici, whatever else the process loaded (see discord-http-agent.ts)
      agent: httpAgent,
      ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}),
      ...(opts.restTimeoutMs !== undefined ? { timeout: opts.restTimeoutMs } : {}),
      ...(opts.restRetries !== undefined ? { retries: opts.restRetries } : {}),
    },
    allowedMentions: NO_MENTIONS,
  });
  client.on(Events.Error, (err) => log('error', 'discord/client-error', describeError(err)));
  client.on(Events.ShardResume, (shard, replayed) => log('info', 'discord/resumed', { shard, replayed }));
  client.rest.on(RESTEvents.RateLimited, (info) => log('warn', 'discord/rate-limited', { route: info.route, retryAfterMs: info.retryAfter, global: info.global }));
  client.rest.setToken(env.DISCORD_TOKEN);

  try {
    log('info', 'discord/commands-registered', await putCommands(client.rest, env, config));
  } catch (err) {
    // a wrong token cannot log in either: stop here; anything else leaves last registration's commands working
    const cause = err instanceof DiscordSetupError ? err.cause : err;
    if (cause instanceof DiscordAPIError && cause.status === 401) throw err;
    log('error', 'discord/register-failed', describeError(cause));
  }

  const buttons = createButtonMemory();
  const delivery = createOutboxDelivery({
    outbox: bot.outbox,
    transport: createDiscordTransport(client.rest, buttons, log),
    libraries: config.libraries,
    log: opts.log ? logOfDiscordLog(opts.log) : logger,
    intervalMs: opts.outboxIntervalMs ?? 1_000,
    ...(opts.deliveryPolicy ? { policy: opts.deliveryPolicy } : {}),
  });
  const deps = {
    bot,
    config,
    buttons,
    log,
    afterEvent: delivery.kick,
    seen: createSeenInteractions(jala.stores.seenEvents, (err) => log('error', 'discord/seen-failed', describeError(err))),
    cardShown: (requestId: string, channelId: string, messageId: string, version: number) => {
      if (bot.outbox.cards.card('discord', requestId, channelId)?.messageId === messageId) bot.outbox.cards.cardShown('discord', requestId, channelId, version);
    },
  };
  client.on(Events.InteractionCreate, (i) => void handleInteraction(i, deps));
  client.on(Events.MessageCreate, (m) => {
    if (client.user) void handleMessage(m, client.user.id, deps);
  });

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(env.DISCORD_TOKEN);
    await withTimeout(ready, opts.readyTimeoutMs ?? 30_000, 'the gateway did not become ready');
  } catch (cause) {
    await delivery.stop();
    await client.destroy();
    await httpAgent.close();
    throw new DiscordSetupError('discord/login-failed', `Discord login failed: ${describeError(cause).message}`, { cause });
  }
  log('info', 'discord/ready', { guilds: client.guilds.cache.size, intents: client.options.intents.bitfield });
  delivery.kick();

  const timerMs = opts.timerIntervalMs ?? 60_000;
  const timers =
    timerMs > 0
      ? setInterval(() => {
          try {
            if (bot.runTimers().length > 0) delivery.kick();
          } catch (err) {
            log('error', 'discord/timers-failed', describeError(err));
          }
        }, timerMs)
      : undefined;
  timers?.unref();

  return {
    client,
    outboxIdle: () => delivery.idle(),
    async stop() {
      if (timers) clearInterval(timers);
      await delivery.stop();
      await client.destroy();
      await httpAgent.close();
    },
  };
}

/** The core loop's log lines through a caller's DiscordLog (tests collect them). */
function logOfDiscordLog(log: DiscordLog): Logger {
  const l: Logger = {
    info: (event, fields) => log('info', event, fields ? { ...fields } : undefined),
    warn: (event, fields) => log('warn', event, fields ? { ...fields } : undefined),
    error: (event, fields) => log('error', event, fields ? { ...fields } : undefined),
    child: () => l,
  };
  return l;
}

/**
 * `jala discord-register`: the application commands, bulk-overwritten (idempotent) — to
 * DISCORD_GUILD_ID when set (instant), else globally.
 */
export async function registerDiscordCommands(
  envVars: NodeJS.ProcessEnv,
  opts: { config?: ConsortiumConfig } = {},
): Promise<{ scope: 'guild' | 'global'; commands: number }> {
  const env = parseDiscordEnv(envVars);
  const agent = createDiscordHttpAgent();
  const rest = new REST({ agent, ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}) }).setToken(env.DISCORD_TOKEN);
  try {
    return await putCommands(rest, env, opts.config);
  } finally {
    await agent.close();
  }
}

async function putCommands(rest: REST, env: DiscordEnv, config: ConsortiumConfig | undefined): Promise<{ scope: 'guild' | 'global'; commands: number }> {
  const body = commandDefinitions({ libraries: config?.libraries ?? [] });
  const route = env.DISCORD_GUILD_ID ? Routes.applicationGuildCommands(env.DISCORD_APPLICATION_ID, env.DISCORD_GUILD_ID) : Routes.applicationCommands(env.DISCORD_APPLICATION_ID);
  try {
    await rest.put(route, { body });
  } catch (cause) {
    throw new DiscordSetupError('discord/register-failed', `Discord rejected the command registration: ${describeError(cause).message}`, { cause });
  }
  return { scope: env.DISCORD_GUILD_ID ? 'guild' : 'global', commands: body.length };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
