import type { IncomingMessage, Server } from 'node:http';
import { App, LogLevel, webApi } from '@slack/bolt';
import { createOutboxDelivery, createPinoLogger, SEEN_EVENT_TTL_MS, type Bot, type DeliveryPolicy, type Jala, type Logger } from '../../src/index.ts';
import { slackFailure } from './slack-errors.ts';
import { readSlackEnv, type SlackSettings } from './slack-env.ts';
import { REPLAY_WINDOW_MS, registerSlackHandlers } from './slack-handlers.ts';
import { describeCause, slackLogOf, type SlackLog } from './slack-log.ts';
import { createSlackTransport } from './slack-transport.ts';
import type { SlackDirectory } from './to-bot-request.ts';

export interface StartSlackOptions {
  bot: Bot;
  jala: Jala;
  /** SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET | SLACK_APP_TOKEN, SLACK_MODE, SLACK_PORT, SLACK_HOST, SLACK_API_URL, … (see slack-env.ts) */
  env: NodeJS.ProcessEnv;
  log?: SlackLog;
  /** the one logger (redacts patron identities); a pino logger on stderr by default */
  logger?: Logger;
  /** tests: hold each HTTP response until the listeners are done (production acknowledges first) */
  processBeforeResponse?: boolean;
  /** how often the outbox is polled (default 1 s) and the ILL timers run (default 1 min; 0 = not here, another adapter runs them) */
  deliveryIntervalMs?: number;
  timerIntervalMs?: number;
  /** how often configured user groups are re-read (default 10 min) */
  usergroupRefreshMs?: number;
  /** how long one Web API call of the outbox may take before it counts as failed and is retried later (default 15 s) */
  webApiTimeoutMs?: number;
  /** the core delivery loop's retry policy (tests shorten it; default DEFAULT_DELIVERY_POLICY) */
  deliveryPolicy?: Partial<DeliveryPolicy>;
}

export interface RunningSlack {
  mode: 'http' | 'socket';
  /** the HTTP port actually listened on (HTTP mode; SLACK_PORT=0 picks a free one) */
  port?: number;
  /** deliver the outbox now (also runs every second and after each event) */
  deliver(): Promise<void>;
  stop(): Promise<void>;
}

export type SlackStartErrorCode = 'slack/bad-env' | 'slack/auth-failed' | 'slack/listen-failed' | 'slack/connect-failed';

/** Start-up failed for a reason the operator can fix; `message` says which (no stack trace needed). */
export class SlackStartError extends Error {
  constructor(
    readonly code: SlackStartErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlackStartError';
  }
}

const LOG_LEVELS: Record<SlackSettings['logLevel'], LogLevel> = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

/**
 * Runs Jala on Slack: Bolt over HTTP (signed requests at POST /slack/events) or Socket Mode, the
 * outbox delivery loop, the ILL timers and the user-group refresh. Throws SlackStartError when the
 * settings are missing or contradictory, the token is rejected, or the port cannot be opened.
 */
export async function startSlack(opts: StartSlackOptions): Promise<RunningSlack> {
  const log = opts.log ?? slackLogOf((opts.logger ?? createPinoLogger()).child({ component: 'slack' }));
  const read = readSlackEnv(opts.env);
  if (!read.ok) throw new SlackStartError('slack/bad-env', read.message);
  const s = read.settings;
  const logLevel = LOG_LEVELS[s.logLevel];
  const clientOptions: webApi.WebClientOptions = { ...(s.apiUrl ? { slackApiUrl: s.apiUrl } : {}), logLevel };

  const identity = s.botUserId && s.botId ? { botUserId: s.botUserId, botId: s.botId } : await whoAmI(s, clientOptions, log);

  // who is who: config roles, plus the members of configured user groups
  const groups = new Map<string, Set<string>>();
  const directory: SlackDirectory = {
    config: opts.jala.config,
    groupsOf: (user) => [...groups].filter(([, members]) => members.has(user)).map(([group]) => group),
    ...(identity.botUserId ? { botUserId: identity.botUserId } : {}),
  };

  // the outbox goes through a client that reports 429s instead of waiting, so the outbox can reschedule
  const deliveryClient = new webApi.WebClient(s.botToken, { ...clientOptions, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: opts.webApiTimeoutMs ?? 15_000 });
  const logger = (opts.logger ?? createPinoLogger()).child({ component: 'slack' });
  const delivery = createOutboxDelivery({
    outbox: opts.bot.outbox,
    transport: createSlackTransport(deliveryClient, log),
    libraries: opts.jala.config.libraries,
    log: opts.log ? logOfSlackLog(opts.log) : logger,
    intervalMs: opts.deliveryIntervalMs ?? 1_000,
    ...(opts.deliveryPolicy ? { policy: opts.deliveryPolicy } : {}),
  });

  const app = new App({
    authorize: async () => ({ botToken: s.botToken, ...identity }),
    ...(s.mode.type === 'http'
      ? { signingSecret: s.mode.signingSecret, processBeforeResponse: opts.processBeforeResponse ?? false }
      : { socketMode: true, appToken: s.mode.appToken }),
    clientOptions,
    logLevel,
    ignoreSelf: true,
    convoStore: false,
  });
  app.error(async (err) => log.error('slack: unhandled error', err));
  const seenEvents = opts.jala.stores.seenEvents;
  registerSlackHandlers(app, {
    bot: opts.bot,
    directory,
    log,
    afterEvent: () => delivery.run(),
    cardTs: (requestId, channel) => opts.bot.outbox.cards.card('slack', requestId, channel)?.messageId,
    firstSighting: (eventId) => {
      const now = new Date();
      return seenEvents.firstSighting('slack', eventId, now, new Date(now.getTime() + SEEN_EVENT_TTL_MS));
    },
  });

  let port: number | undefined;
  if (s.mode.type === 'http') {
    const listen = s.mode.host ? { port: s.mode.port, host: s.mode.host } : s.mode.port;
    try {
      const server = (await app.start(listen)) as Server;
      server.prependListener('request', normalizeFormContentType);
      server.prependListener('request', refuseFutureTimestamp);
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : s.mode.port;
    } catch (cause) {
      throw new SlackStartError('slack/listen-failed', `Slack: cannot listen on ${s.mode.host ?? '*'}:${s.mode.port} (${describeCause(cause)}); set SLACK_PORT to a free port.`, { cause });
    }
    log.info(`slack: listening for Slack events at http://${s.mode.host ?? 'localhost'}:${port}/slack/events`);
  } else {
    try {
      await app.start();
    } catch (cause) {
      throw new SlackStartError('slack/connect-failed', `Slack: Socket Mode could not connect (${slackFailure(cause).code}); check SLACK_APP_TOKEN (xapp-…, scope connections:write).`, { cause });
    }
    log.info('slack: connected in Socket Mode');
  }

  // user groups named in the roles config
  const usergroups = [...new Set(opts.jala.config.slack.roles.map((r) => r.usergroup).filter((g): g is string => g !== undefined))];
  const refreshGroups = async (): Promise<void> => {
    for (const usergroup of usergroups) {
      try {
        const res = await deliveryClient.usergroups.users.list({ usergroup });
        groups.set(usergroup, new Set(res.users ?? []));
      } catch (err) {
        log.warn(`slack: cannot read user group ${usergroup} (${slackFailure(err).code}); its members count as patrons until it can be read`);
      }
    }
  };
  if (usergroups.length > 0) await refreshGroups();

  const runTimers = async (): Promise<void> => {
    try {
      opts.bot.runTimers();
    } catch (err) {
      log.error('slack: ILL timers failed', err);
    }
    await delivery.run();
  };
  const intervals = [
    ...(opts.timerIntervalMs === 0 ? [] : [setInterval(() => void runTimers(), opts.timerIntervalMs ?? 60_000)]),
    ...(usergroups.length > 0 ? [setInterval(() => void refreshGroups(), opts.usergroupRefreshMs ?? 10 * 60_000)] : []),
  ];
  for (const i of intervals) i.unref();
  void delivery.run();

  return {
    mode: s.mode.type,
    ...(port !== undefined ? { port } : {}),
    deliver: () => delivery.run(),
    stop: async () => {
      for (const i of intervals) clearInterval(i);
      await app.stop();
      await delivery.stop();
    },
  };
}

/** The core loop's log lines through a caller's SlackLog (tests collect them): the event name and its fields. */
function logOfSlackLog(log: SlackLog): Logger {
  const line = (event: string, fields?: Record<string, unknown>): string => (fields ? `${event} ${JSON.stringify(fields)}` : event);
  const l: Logger = {
    info: (event, fields) => log.info(line(event, fields)),
    warn: (event, fields) => log.warn(line(event, fields)),
    error: (event, fields) => log.error(line(event, fields)),
    child: () => l,
  };
  return l;
}

/**
 * Bolt parses a form body only when Content-Type is exactly application/x-www-form-urlencoded; a
 * client that adds "; charset=UTF-8" (fetch with URLSearchParams does) would get a 400. The
 * signature covers the body alone, so normalising the header changes nothing that is verified.
 */
function normalizeFormContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type && type !== 'application/x-www-form-urlencoded' && type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded') {
    req.headers['content-type'] = 'application/x-www-form-urlencoded';
  }
}

/**
 * Bolt refuses a timestamp more than five minutes old but takes one from the future, so a captured
 * request signed with a future time could be replayed for as long. A timestamp more than five minutes
 * ahead is replaced by one Bolt refuses as stale (401), before Bolt reads it; nothing else is touched.
 */
function refuseFutureTimestamp(req: IncomingMessage): void {
  const header = req.headers['x-slack-request-timestamp'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (Number.isFinite(seconds) && seconds * 1000 > Date.now() + REPLAY_WINDOW_MS) req.headers['x-slack-request-timestamp'] = '0';
}

/** The bot's own user and bot ids (auth.test). A rejected token stops start-up; an unreachable API only warns. */
async function whoAmI(s: SlackSettings, clientOptions: webApi.WebClientOptions, log: SlackLog): Promise<{ botUserId?: string; botId?: string }> {
  const client = new webApi.WebClient(s.botToken, { ...clientOptions, retryConfig: { retries: 0 }, timeout: 10_000, rejectRateLimitedCalls: true });
  try {
    const res = await client.auth.test();
    return { ...(res.user_id ? { botUserId: res.user_id } : {}), ...(res.bot_id ? { botId: res.bot_id } : {}) };
  } catch (err) {
    const f = slackFailure(err);
    if ((err as { code?: unknown }).code === webApi.ErrorCode.PlatformError) {
      throw new SlackStartError('slack/auth-failed', `Slack rejected SLACK_BOT_TOKEN (auth.test: ${f.code}); check the bot token${s.apiUrl ? ` and SLACK_API_URL (${s.apiUrl})` : ''}.`, { cause: err });
    }
    log.warn(`slack: auth.test failed (${f.code}); starting without the bot's own ids`);
    return {};
  }
}
