import { describe, expect, it } from 'vitest';
import { COMMANDS, type Answer, type BotReply, type ConsortiumConfig, type WorkAnswer } from '../src/index.ts';
import { ConsortiumConfig as ConfigSchema } from '../src/config/consortium-config.ts';
import { decodeAction, encodeActionValue } from '../adapters/slack/action-value.ts';
import { escapeMrkdwn, renderReply } from '../adapters/slack/render-blocks.ts';
import { inputModal, submittedInput } from '../adapters/slack/render-modal.ts';
import { readSlackEnv, slackRequested } from '../adapters/slack/slack-env.ts';
import { printSlackManifest, slackManifest } from '../adapters/slack/slack-manifest.ts';
import { actionToBotRequest, plainMessageText, slackActor, type SlackDirectory } from '../adapters/slack/to-bot-request.ts';

const work = (over: Partial<WorkAnswer> = {}): WorkAnswer => ({
  workId: 'w1',
  title: 'Laskar pelangi',
  authors: ['Andrea Hirata'],
  year: 2005,
  format: 'Book',
  languages: ['ind'],
  isbns: ['9789793062792'],
  holdings: [
    { library: 'UGM', libraryName: 'Perpustakaan UGM', status: 'available', callNumber: '899.2 HIR l', branch: 'PUSAT' },
    { library: 'UGM', libraryName: 'Perpustakaan UGM', status: 'on-loan', dueDate: '2026-12-15' },
  ],
  libraries: ['UGM'],
  links: [],
  requestable: true,
  records: ['UGM.1'],
  ...over,
});

const answer = (results: WorkAnswer[], over: Partial<Answer> = {}): Answer => ({
  kind: 'search',
  language: 'en',
  searched: 'laskar',
  step: 'exact',
  filters: {},
  total: results.length,
  offset: 0,
  results,
  hasMore: false,
  ...over,
});

const reply = (over: Partial<BotReply>): BotReply => ({ language: 'en', blocks: [], actions: [], private: true, ...over });

/** Every mrkdwn / plain text string in the blocks (what Slack would parse for markup). */
function markupTexts(blocks: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

describe('Slack rendering', () => {
  it('shows catalog text literally, so a title cannot mention @channel, link or format', () => {
    const evil = '<!channel> *Bold* _it_ ~s~ `code` & <https://evil.example|click> &lt;';
    const msg = renderReply(reply({ blocks: [{ type: 'answer', answer: answer([work({ title: evil, authors: ['<@U123>'] })]) }] }));
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain(JSON.stringify(`1. ${evil}`).slice(1, -1)); // verbatim, in a rich_text element
    for (const t of [...markupTexts(msg.blocks), msg.text]) {
      expect(t).not.toMatch(/<[!@#]|<https?:/);
    }
    expect(msg.text).toContain('&lt;!channel&gt;');
    expect(msg.text).toContain('&amp;lt;');
  });

  it('escapes user words echoed in core sentences', () => {
    const msg = renderReply(reply({ blocks: [{ type: 'text', text: 'Sorry, nothing matches “<!here> <@U1>”.' }] }));
    expect(markupTexts(msg.blocks).join()).toContain('&lt;!here&gt; &lt;@U1&gt;');
    expect(escapeMrkdwn('a & b < c > d')).toBe('a & b &lt; c &gt; d');
  });

  it('stays within 50 blocks and 3,000 characters a section, keeping the buttons', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const blocks = Array.from({ length: 80 }, () => ({ type: 'text' as const, text: 'hello' }));
    const msg = renderReply(
      reply({
        blocks: [{ type: 'text', text: long }, ...blocks],
        actions: [{ id: 'catalog:more', label: 'M'.repeat(120), target: '5', version: 0 }],
        private: false,
      }),
    );
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(msg.blocks.at(-1)?.type).toBe('actions');
    for (const t of markupTexts(msg.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
    const button = (msg.blocks.at(-1) as { elements: Array<{ text: { text: string } }> }).elements[0];
    expect(button?.text.text.length).toBeLessThanOrEqual(75);
    expect(msg.text.length).toBeLessThanOrEqual(3000);
  });

  it('lays out holders with availability, puts each "Request via ILL" under its work and gives duplicate buttons unique action ids', () => {
    const w2 = work({ workId: 'w2', title: 'Sang pemimpi' });
    const msg = renderReply(
      reply({
        blocks: [{ type: 'answer', answer: answer([work(), w2], { total: 9, hasMore: true }) }],
        actions: [
          { id: 'catalog:more', label: 'More', target: '2', version: 0 },
          { id: 'ill:request', label: 'Request via ILL: Laskar', target: 'w1', version: 0 },
          { id: 'ill:request', label: 'Request via ILL: Sang', target: 'w2', version: 0 },
        ],
      }),
      { shareToken: 'tok' },
    );
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('UGM (Perpustakaan UGM): 1 of 2 copies on the shelf; 1 on loan until 15 Dec 2026 · 899.2 HIR l · PUSAT');
    expect(all).toContain('large_green_circle');
    const ids = msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => (e as { action_id: string }).action_id) : []));
    expect(ids).toEqual(['ill:request', 'ill:request~2', 'catalog:more', 'slack:share']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(msg.text).toContain('9 works found');
  });

  it('round-trips a button: core id, target, version, language and input spec', () => {
    const b = { id: 'ill:decline', label: 'Decline', target: 'R7', version: 3, input: { label: 'Reason', kind: 'reason' as const, required: true, choices: [{ value: 'not-held', label: 'Not held' }] } };
    const decoded = decodeAction('ill:decline~2', encodeActionValue(b, 'id', 'C1/1.2'));
    expect(decoded).toEqual({ id: 'ill:decline', target: 'R7', version: 3, language: 'id', input: b.input, conversationId: 'C1/1.2' });
    expect(decodeAction('ill:accept', 'not json')).toBeUndefined();
    expect(decodeAction('ill:accept', JSON.stringify({ t: 5 }))).toBeUndefined();
  });

  it('builds a modal for each input kind and reads the submitted value back', () => {
    const base = { id: 'ill:ship', target: 'R1', version: 1, language: 'en' as const };
    const date = inputModal({ ...base, input: { label: 'Due', kind: 'date', required: false } }, 'Shipped — a very long button label', '{}');
    expect(date.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.stringify(date.blocks)).toContain('datepicker');
    const select = inputModal({ ...base, input: { label: 'Reason', kind: 'reason', required: true, choices: [{ value: 'policy', label: 'Policy' }] } }, 'Decline', '{}');
    expect(JSON.stringify(select.blocks)).toContain('static_select');
    expect(submittedInput({ values: { details: { value: { type: 'datepicker', selected_date: '2030-01-31' } } } })).toBe('2030-01-31');
    expect(submittedInput({ values: { details: { value: { type: 'static_select', selected_option: { value: 'policy' } } } } })).toBe('policy');
    expect(submittedInput({ values: { details: { value: { type: 'plain_text_input', value: '  ' } } } })).toBeUndefined();
  });
});

describe('Slack payloads to BotRequest', () => {
  const config: ConsortiumConfig = ConfigSchema.parse({
    libraries: [
      { code: 'UGM', name: 'UGM', channels: { slack: ['CUGM'] } },
      { code: 'UI', name: 'UI', channels: { slack: ['CUI'] } },
    ],
    slack: {
      roles: [
        { user: 'UA', role: 'librarian', library: 'UGM' },
        { user: 'UA', role: 'admin', library: 'UI' },
        { usergroup: 'SSTAFF', role: 'librarian', library: 'UI' },
      ],
    },
  });
  const dir: SlackDirectory = { config, groupsOf: (u) => (u === 'UG' ? ['SSTAFF'] : []), botUserId: 'UBOT' };

  it('gives configured users and user-group members their role and library, the channel’s library first', () => {
    expect(slackActor(dir, 'UA', 'CUGM')).toMatchObject({ role: 'librarian', library: 'UGM' });
    expect(slackActor(dir, 'UA', 'CUI')).toMatchObject({ role: 'admin', library: 'UI' });
    expect(slackActor(dir, 'UA')).toMatchObject({ role: 'admin', library: 'UI' });
    expect(slackActor(dir, 'UG', 'CX')).toMatchObject({ role: 'librarian', library: 'UI' });
  });

  it('makes everyone else a patron of the default library (the channel’s library when none is set)', () => {
    expect(slackActor(dir, 'UZ', 'CUI')).toEqual({ platform: 'slack', userId: 'UZ', role: 'patron', library: 'UI' });
    expect(slackActor(dir, 'UZ', 'CX')).toEqual({ platform: 'slack', userId: 'UZ', role: 'patron' });
    const withDefault: SlackDirectory = { ...dir, config: { ...config, slack: { ...config.slack, defaultLibrary: 'UGM' } } };
    expect(slackActor(withDefault, 'UZ', 'CUI')).toMatchObject({ role: 'patron', library: 'UGM' });
  });

  it('undoes Slack markup in a question', () => {
    expect(plainMessageText('<@UBOT> is <https://x.example|Bumi Manusia> at <#C1|ugm> &amp; UI? <!here>', 'UBOT')).toBe('is Bumi Manusia at #ugm & UI?');
  });

  it('re-reads the clicker from the config on every click, whatever the card showed', () => {
    const value = encodeActionValue({ id: 'ill:accept', label: 'Accept', target: 'R2', version: 4 }, 'en');
    const req = actionToBotRequest({ userId: 'UZ' }, { channel: 'CUGM', messageTs: '1.2', ephemeral: false, home: false }, { actionId: 'ill:accept', value }, dir);
    expect(req).toEqual({ actor: { platform: 'slack', userId: 'UZ', role: 'patron', library: 'UGM' }, conversationId: 'CUGM', action: { id: 'ill:accept', target: 'R2', version: 4 }, language: 'en' });
  });
});

describe('Slack settings from the environment', () => {
  const ok = (env: NodeJS.ProcessEnv) => {
    const r = readSlackEnv(env);
    if (!r.ok) throw new Error(r.message);
    return r.settings;
  };
  const message = (env: NodeJS.ProcessEnv): string => {
    const r = readSlackEnv(env);
    if (r.ok) throw new Error('expected a failure');
    return r.message;
  };

  it('chooses HTTP mode with a signing secret (port 3000 by default) and Socket Mode with an app token', () => {
    expect(ok({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).mode).toEqual({ type: 'http', signingSecret: 's', port: 3000 });
    expect(ok({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '0', SLACK_API_URL: 'http://127.0.0.1:9/api' })).toMatchObject({ mode: { port: 0 }, apiUrl: 'http://127.0.0.1:9/api/' });
    expect(ok({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).mode).toEqual({ type: 'socket', appToken: 'xapp-1' });
    expect(ok({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's', SLACK_MODE: 'socket' }).mode.type).toBe('socket');
    expect(slackRequested({})).toBe(false);
    expect(slackRequested({ SLACK_SIGNING_SECRET: 's' })).toBe(true);
  });

  it('explains missing and contradictory settings in one readable message', () => {
    expect(message({ SLACK_SIGNING_SECRET: 's' })).toMatch(/SLACK_BOT_TOKEN is missing/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_SIGNING_SECRET .* or SLACK_APP_TOKEN/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' })).toMatch(/SLACK_MODE=http or SLACK_MODE=socket/);
    expect(message({ SLACK_BOT_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' })).toMatch(/app-level token/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' })).toMatch(/xapp-/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: 'eighty' })).toMatch(/SLACK_PORT/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '70000' })).toMatch(/SLACK_PORT/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'ftp://x' })).toMatch(/SLACK_API_URL/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_MODE: 'socket' })).toMatch(/SLACK_APP_TOKEN/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_PORT: '3000' })).toMatch(/Socket Mode/);
    expect(message({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_BOT_ID: 'B1' })).toMatch(/SLACK_BOT_USER_ID/);
  });
});

describe('Slack app manifest', () => {
  it('declares one slash command per entry of the command table, with request URLs', () => {
    const m = slackManifest({ publicUrl: 'https://jala.example.org/' }) as {
      features: { slash_commands: Array<{ command: string; url: string; description: string; usage_hint: string }> };
      settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { request_url: string }; socket_mode_enabled: boolean };
      oauth_config: { scopes: { bot: string[] } };
    };
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(COMMANDS.map((c) => `/${c.name}`));
    for (const c of m.features.slash_commands) {
      expect(c.url).toBe('https://jala.example.org/slack/events');
      expect(c.description.length).toBeGreaterThan(0);
    }
    const jala = COMMANDS.find((c) => c.name === 'jala');
    const hint = m.features.slash_commands.find((c) => c.command === '/jala')?.usage_hint ?? '';
    expect(hint.split(' | ').map((h) => h.split(' ')[0])).toEqual(jala?.subcommands.map((s) => s.name));
    expect(m.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_mention', 'message.im', 'app_home_opened']));
    expect(m.settings.interactivity.request_url).toBe('https://jala.example.org/slack/events');
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'usergroups:read']));
    expect(m.settings.socket_mode_enabled).toBe(false);
  });

  it('prints a Socket Mode manifest without URLs when only an app token is set', () => {
    let out = '';
    expect(printSlackManifest({ SLACK_APP_TOKEN: 'xapp-1' }, (t) => (out += t))).toBe(0);
    const m = JSON.parse(out) as { settings: { socket_mode_enabled: boolean }; features: { slash_commands: Array<{ url?: string }> } };
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
  });
});

