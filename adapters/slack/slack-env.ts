import { z } from 'zod';

/** How Jala connects to Slack, read once from the environment at start-up. */
export interface SlackSettings {
  botToken: string;
  /** Web API base URL (enterprise proxies, tests); Bolt's default https://slack.com/api/ when absent */
  apiUrl?: string;
  /** when both are known, Jala does not call auth.test at start-up */
  botUserId?: string;
  botId?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  mode: { type: 'http'; signingSecret: string; port: number; host?: string } | { type: 'socket'; appToken: string };
}

export type SlackEnvResult = { ok: true; settings: SlackSettings } | { ok: false; message: string };

/** An unset variable and an empty one (a blank line in a .env file) mean the same. */
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().optional());

const SlackEnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_MODE: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['http', 'socket'], { error: 'SLACK_MODE must be "http" or "socket"' }).optional()),
  SLACK_PORT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? Number(v.trim()) : v),
    z.number({ error: 'SLACK_PORT must be a port number (0-65535)' }).int('SLACK_PORT must be a whole number').min(0, 'SLACK_PORT must be 0-65535').max(65535, 'SLACK_PORT must be 0-65535').optional(),
  ),
  SLACK_HOST: optionalText,
  SLACK_API_URL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
    z.url({ protocol: /^https?$/, error: 'SLACK_API_URL must be an http(s) URL such as https://slack.com/api/' }).optional(),
  ),
  SLACK_BOT_USER_ID: optionalText,
  SLACK_BOT_ID: optionalText,
  SLACK_LOG_LEVEL: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['debug', 'info', 'warn', 'error'], { error: 'SLACK_LOG_LEVEL must be debug, info, warn or error' }).optional()),
});

export const DEFAULT_SLACK_PORT = 3000;

/** Does the environment ask for Slack at all? Any Slack credential counts, so a half-done setup fails loudly instead of being skipped. */
export function slackRequested(env: NodeJS.ProcessEnv): boolean {
  return [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET, env.SLACK_APP_TOKEN].some((v) => typeof v === 'string' && v.trim() !== '');
}

/** The Slack settings, or one readable message saying what is missing or contradictory. */
export function readSlackEnv(env: NodeJS.ProcessEnv): SlackEnvResult {
  const parsed = SlackEnvSchema.safeParse(env);
  if (!parsed.success) return { ok: false, message: `Slack settings are invalid:\n${z.prettifyError(parsed.error)}` };
  const e = parsed.data;
  const fail = (message: string): SlackEnvResult => ({ ok: false, message });

  if (!e.SLACK_BOT_TOKEN) {
    return fail('SLACK_BOT_TOKEN is missing: set it to the Slack app\'s bot token (xoxb-…), or unset SLACK_SIGNING_SECRET and SLACK_APP_TOKEN to run without Slack.');
  }
  if (e.SLACK_BOT_TOKEN.startsWith('xapp-')) {
    return fail('SLACK_BOT_TOKEN holds an app-level token (xapp-…). The bot token starts with xoxb-; the xapp- token belongs in SLACK_APP_TOKEN (Socket Mode).');
  }
  if (e.SLACK_APP_TOKEN && !e.SLACK_APP_TOKEN.startsWith('xapp-')) {
    return fail('SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write).');
  }
  if ((e.SLACK_BOT_USER_ID === undefined) !== (e.SLACK_BOT_ID === undefined)) {
    return fail('SLACK_BOT_USER_ID and SLACK_BOT_ID go together: set both (to skip auth.test at start-up) or neither.');
  }

  let mode: SlackSettings['mode']['type'];
  if (e.SLACK_MODE) mode = e.SLACK_MODE;
  else if (e.SLACK_SIGNING_SECRET && e.SLACK_APP_TOKEN) {
    return fail('Both SLACK_SIGNING_SECRET (HTTP mode) and SLACK_APP_TOKEN (Socket Mode) are set: choose one with SLACK_MODE=http or SLACK_MODE=socket, or unset the other.');
  } else if (e.SLACK_SIGNING_SECRET) mode = 'http';
  else if (e.SLACK_APP_TOKEN) mode = 'socket';
  else {
    return fail('Slack needs SLACK_SIGNING_SECRET (HTTP mode: events at POST /slack/events on SLACK_PORT, default 3000) or SLACK_APP_TOKEN (Socket Mode) besides SLACK_BOT_TOKEN.');
  }

  const common = {
    botToken: e.SLACK_BOT_TOKEN,
    ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/` } : {}),
    ...(e.SLACK_BOT_USER_ID && e.SLACK_BOT_ID ? { botUserId: e.SLACK_BOT_USER_ID, botId: e.SLACK_BOT_ID } : {}),
    logLevel: e.SLACK_LOG_LEVEL ?? 'warn',
  } as const;

  if (mode === 'http') {
    if (!e.SLACK_SIGNING_SECRET) return fail('SLACK_MODE=http needs SLACK_SIGNING_SECRET (Basic Information → Signing Secret).');
    return {
      ok: true,
      settings: { ...common, mode: { type: 'http', signingSecret: e.SLACK_SIGNING_SECRET, port: e.SLACK_PORT ?? DEFAULT_SLACK_PORT, ...(e.SLACK_HOST ? { host: e.SLACK_HOST } : {}) } },
    };
  }
  if (!e.SLACK_APP_TOKEN) return fail('SLACK_MODE=socket needs SLACK_APP_TOKEN (an xapp- app-level token with connections:write).');
  if (e.SLACK_PORT !== undefined) return fail('SLACK_PORT is set but Socket Mode listens on no port: unset SLACK_PORT, or use HTTP mode (SLACK_SIGNING_SECRET).');
  return { ok: true, settings: { ...common, mode: { type: 'socket', appToken: e.SLACK_APP_TOKEN } } };
}
