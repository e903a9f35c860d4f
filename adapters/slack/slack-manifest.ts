import { COMMANDS, type CommandSpec } from '../../src/index.ts';

/**
 * The Slack app manifest (https://docs.slack.dev/reference/app-manifest), generated from the
 * core's command table so slash commands, help and Discord commands never drift apart.
 */
export interface SlackManifestOptions {
  /** the public base URL of Jala's HTTP endpoint, e.g. https://jala.example.org (HTTP mode) */
  publicUrl?: string;
  /** Socket Mode: no request URLs */
  socketMode?: boolean;
  /** the app's display name */
  name?: string;
}

export const SLACK_EVENTS_PATH = '/slack/events';

/** Events the adapter listens to; each needs the scopes below. */
const BOT_EVENTS = ['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im'];

const BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'chat:write',
  'commands',
  'files:write',
  'groups:history',
  'im:history',
  'im:read',
  'im:write',
  'usergroups:read',
  'users:read',
];

/** "request <item> | status <id> | mine | …" for commands with subcommands, "<question>" otherwise. */
function usageHint(c: CommandSpec): string {
  const arg = (a: CommandSpec['args'][number]): string => (a.required ? `<${a.name}>` : `[${a.name}]`);
  const hint =
    c.subcommands.length > 0
      ? c.subcommands.map((s) => [s.name, ...s.args.filter((a) => a.required).map(arg)].join(' ')).join(' | ')
      : c.args.map(arg).join(' ');
  return hint.length > 1000 ? `${hint.slice(0, 999)}…` : hint;
}

export function slackManifest(opts: SlackManifestOptions = {}): Record<string, unknown> {
  const base = (opts.publicUrl ?? 'https://YOUR-JALA-HOST').replace(/\/+$/, '');
  const url = `${base}${SLACK_EVENTS_PATH}`;
  const withUrl = (o: Record<string, unknown>): Record<string, unknown> => (opts.socketMode ? o : { ...o, url });
  return {
    display_information: {
      name: opts.name ?? 'Jala',
      description: 'Union catalog and interlibrary loan for the consortium',
      long_description:
        'Jala answers questions about the consortium\'s union catalog in English and Bahasa Indonesia — who holds a title, whether a copy is on the shelf — and runs interlibrary loan between member libraries: requests, lender answers, shipping and returns, each as a card in the libraries\' channels.',
      background_color: '#1d4e5f',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: opts.name ?? 'Jala', always_online: true },
      slash_commands: COMMANDS.map((c) =>
        withUrl({
          command: `/${c.name}`,
          description: c.description.en,
          usage_hint: usageHint(c),
          should_escape: false,
        }),
      ),
    },
    oauth_config: { scopes: { bot: BOT_SCOPES } },
    settings: {
      event_subscriptions: opts.socketMode ? { bot_events: BOT_EVENTS } : { request_url: url, bot_events: BOT_EVENTS },
      interactivity: opts.socketMode ? { is_enabled: true } : { is_enabled: true, request_url: url },
      org_deploy_enabled: false,
      socket_mode_enabled: opts.socketMode === true,
      token_rotation_enabled: false,
    },
  };
}

/**
 * `jala slack-manifest`: prints the manifest as JSON. SLACK_PUBLIC_URL gives the request URLs;
 * an app token without a signing secret (or SLACK_MODE=socket) gives a Socket Mode manifest.
 */
export function printSlackManifest(env: NodeJS.ProcessEnv = process.env, out: (text: string) => void = (t) => process.stdout.write(t)): number {
  const socketMode = env.SLACK_MODE?.trim().toLowerCase() === 'socket' || (!!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim() && env.SLACK_MODE?.trim().toLowerCase() !== 'http');
  const publicUrl = env.SLACK_PUBLIC_URL?.trim();
  out(`${JSON.stringify(slackManifest({ socketMode, ...(publicUrl ? { publicUrl } : {}) }), null, 2)}\n`);
  return 0;
}
