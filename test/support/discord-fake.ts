import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MIN_WAIT_MS, waitFor } from './wait-for.ts';

/**
 * A local fake of Discord for the real discord.js Client: REST on node:http (gateway/bot, command
 * registration, interaction callbacks, webhooks, channel messages, threads, DMs) and a gateway on ws
 * (HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME, RECONNECT). Every REST call is recorded.
 */

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}
export interface FakeGuild {
  id: string;
  name: string;
  channels: Array<{ id: string; name: string }>;
  roles: Array<{ id: string; name: string }>;
}
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  auth: string | undefined;
  body: any;
  /** the outage fault this request ran into, if any */
  fault?: RestFault;
  /** Discord did what was asked, whether or not the answer reached the caller */
  processed?: boolean;
}

/**
 * How REST misbehaves during an outage. `hang`, `drop` (connection destroyed once the request has
 * arrived) and `http-500` fail before Discord does anything; `hang-after-processing` and
 * `drop-mid-response` fail after it did the work (the message exists), so a blind retry repeats it.
 * Refused connections: put a TcpGate in front of the REST port and close it.
 */
export type RestFault = 'hang' | 'drop' | 'http-500' | 'hang-after-processing' | 'drop-mid-response';
/** The author of an interaction or message: in a guild with roles, or in a DM (no guild). */
export interface Who {
  user: FakeUser;
  roles?: string[];
  guildId?: string;
  channelId: string;
  locale?: string;
}
interface FaultRule {
  method: string;
  path: RegExp;
  status: number;
  retryAfter?: number;
  times: number;
}

const PERMS = '2248473465835073';
const NOW = '2026-11-24T00:00:00.000Z';
let nextId = 1_300_000_000_000_000_000n;
export const snowflake = (): string => String(nextId++);

export class DiscordFake {
  readonly requests: RecordedRequest[] = [];
  readonly gatewayLog: Array<{ op: number; d: any }> = [];
  /** channel id → messages in it (edits applied in place) */
  readonly channels = new Map<string, any[]>();
  readonly threads = new Map<string, { id: string; parent_id: string; name: string }>();
  readonly dmChannels = new Map<string, string>();
  private readonly faults: FaultRule[] = [];
  private outage: { fault: RestFault; when: (method: string, path: string) => boolean } | undefined;
  /** nonce → the message it created (enforce_nonce: "checked for uniqueness in the past few minutes") */
  private readonly nonces = new Map<string, { message: any; at: number }>();
  private server!: http.Server;
  private wss!: WebSocketServer;
  private socket: WebSocket | undefined;
  private seq = 0;
  private readonly sessionId = `sess-${snowflake()}`;
  restUrl = '';
  restPort = 0;
  gatewayUrl = '';

  constructor(
    readonly appId: string,
    readonly botUser: FakeUser,
    readonly guilds: FakeGuild[],
    private readonly heartbeatMs = 2_000,
  ) {
    for (const g of guilds) for (const c of g.channels) this.channels.set(c.id, []);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.onRest(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.restPort = (this.server.address() as AddressInfo).port;
    this.restUrl = `http://127.0.0.1:${this.restPort}/api`;
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.wss.once('listening', resolve));
    this.gatewayUrl = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
    this.wss.on('connection', (ws) => this.onConnection(ws));
    return this;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** From now on every REST call that matches `when` runs into `fault`; undefined ends the outage. */
  setOutage(fault: RestFault | undefined, when: (method: string, path: string) => boolean = () => true): void {
    this.outage = fault ? { fault, when } : undefined;
  }

  /** The gateway connection breaks: the socket is destroyed without a close frame (code 1006 on the client's side). */
  dropGateway(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  /** The next `times` matching REST calls get this status (429 with Retry-After seconds). */
  fail(method: string, path: RegExp, status: number, opts: { retryAfter?: number; times?: number } = {}): void {
    this.faults.push({ method, path, status, times: opts.times ?? 1, ...(opts.retryAfter !== undefined ? { retryAfter: opts.retryAfter } : {}) });
  }

  // ─── gateway ────────────────────────────────────────────────────────────────────────────────
  private send(ws: WebSocket, payload: { op: number; d: unknown; s?: number | null; t?: string | null }): void {
    ws.send(JSON.stringify({ s: null, t: null, ...payload }));
  }

  private readonly dispatchedInteractions = new Map<string, unknown>();

  /** The same INTERACTION_CREATE again, same id and all (a replayed dispatch). */
  replayInteraction(id: string): void {
    const d = this.dispatchedInteractions.get(id);
    if (d === undefined) throw new Error(`no interaction ${id} was dispatched`);
    this.dispatch('INTERACTION_CREATE', d);
  }

  dispatch(t: string, d: unknown): void {
    if (!this.socket) throw new Error('no gateway connection');
    if (t === 'INTERACTION_CREATE') this.dispatchedInteractions.set((d as { id: string }).id, d);
    this.send(this.socket, { op: 0, t, s: ++this.seq, d });
  }

  /** op 7: the client must reconnect and RESUME. */
  reconnect(): void {
    this.socket?.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
  }

  private onConnection(ws: WebSocket): void {
    this.socket = ws;
    this.send(ws, { op: 10, d: { heartbeat_interval: this.heartbeatMs } });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: any };
      this.gatewayLog.push(msg);
      if (msg.op === 1) this.send(ws, { op: 11, d: null });
      if (msg.op === 2) {
        this.dispatch('READY', {
          v: 10,
          user: { ...this.userObject(this.botUser), bot: true },
          guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: this.sessionId,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: this.appId, flags: 0 },
        });
        for (const g of this.guilds) this.dispatch('GUILD_CREATE', this.guildObject(g));
      }
      if (msg.op === 6) this.dispatch('RESUMED', null);
    });
  }

  /** Gateway connections open now (one per running client; replicas other than the leader hold none). */
  get openGatewayConnections(): number {
    return [...this.wss.clients].filter((c) => c.readyState === c.OPEN).length;
  }

  /** The IDENTIFY and RESUME payloads the client sent. */
  get identifies(): any[] {
    return this.gatewayLog.filter((m) => m.op === 2).map((m) => m.d);
  }
  get resumes(): any[] {
    return this.gatewayLog.filter((m) => m.op === 6).map((m) => m.d);
  }

  private userObject(u: FakeUser): object {
    return { id: u.id, username: u.username, discriminator: '0', global_name: u.global_name ?? null, avatar: null, ...(u.bot ? { bot: true } : {}) };
  }

  private channelObject(id: string, guildId: string | undefined): object {
    const thread = this.threads.get(id);
    if (thread) return this.threadObject(thread, guildId ?? this.guilds[0]!.id);
    const ch = this.guilds.flatMap((g) => g.channels.map((c) => ({ ...c, guild_id: g.id }))).find((c) => c.id === id);
    if (!ch) return { id, type: 1, recipients: [] };
    return { id, type: 0, guild_id: ch.guild_id, name: ch.name, position: 0, permission_overwrites: [], parent_id: null, nsfw: false, permissions: PERMS, flags: 0, last_message_id: null, rate_limit_per_user: 0, topic: null };
  }

  private threadObject(t: { id: string; parent_id: string; name: string }, guildId: string): object {
    return {
      id: t.id, type: 11, guild_id: guildId, parent_id: t.parent_id, name: t.name, owner_id: this.botUser.id, flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, locked: false, archive_timestamp: NOW }, message_count: 0, member_count: 1,
    };
  }

  private guildObject(g: FakeGuild): object {
    const role = (id: string, name: string, permissions: string) => ({ id, name, permissions, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 });
    return {
      id: g.id, name: g.name, icon: null, owner_id: '1', unavailable: false, member_count: 2, large: false, joined_at: NOW, features: [], emojis: [], stickers: [],
      roles: [role(g.id, '@everyone', '0'), ...g.roles.map((r) => role(r.id, r.name, '0'))],
      channels: g.channels.map((c) => this.channelObject(c.id, g.id)),
      threads: [], members: [{ user: this.userObject(this.botUser), roles: [], joined_at: NOW, deaf: false, mute: false, flags: 0 }],
      presences: [], voice_states: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
    };
  }

  // ─── inbound events the tests drive ────────────────────────────────────────────────────────
  private interactionBase(who: Who): { id: string; token: string } & Record<string, unknown> {
    const base: { id: string; token: string } & Record<string, unknown> = {
      id: snowflake(), application_id: this.appId, token: `itok-${snowflake()}`, version: 1,
      channel_id: who.channelId, channel: this.channelObject(who.channelId, who.guildId),
      app_permissions: PERMS, locale: who.locale ?? 'en-US', entitlements: [], attachment_size_limit: 26214400,
    };
    if (who.guildId) {
      Object.assign(base, {
        guild_id: who.guildId, guild_locale: 'en-US', context: 0, authorizing_integration_owners: { 0: who.guildId },
        member: { user: this.userObject(who.user), roles: who.roles ?? [], permissions: PERMS, joined_at: NOW, deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null },
      });
    } else {
      Object.assign(base, { user: this.userObject(who.user), context: 1, authorizing_integration_owners: { 0: '1' } });
    }
    return base;
  }

  /** A slash command; options are the values by name, `sub` its subcommand. */
  slash(who: Who, name: string, options: Record<string, string>, sub?: string): { id: string; token: string } {
    const opts = Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value }));
    const d = { ...this.interactionBase(who), type: 2, data: { id: snowflake(), name, type: 1, ...(who.guildId ? { guild_id: who.guildId } : {}), options: sub ? [{ name: sub, type: 1, options: opts }] : opts } };
    this.dispatch('INTERACTION_CREATE', d);
    return { id: d.id, token: d.token };
  }

  autocomplete(who: Who, name: string, option: string, value: string): { id: string; token: string } {
    const d = { ...this.interactionBase(who), type: 4, data: { id: snowflake(), name, type: 1, options: [{ name: option, type: 3, value, focused: true }] } };
    this.dispatch('INTERACTION_CREATE', d);
    return { id: d.id, token: d.token };
  }

  /** A button press on a message the fake has seen (a channel message or an interaction response). */
  click(who: Who, message: any, customId: string): { id: string; token: string } {
    const d = { ...this.interactionBase(who), type: 3, message: this.fullMessage(message, who.channelId), data: { custom_id: customId, component_type: 2 } };
    this.dispatch('INTERACTION_CREATE', d);
    return { id: d.id, token: d.token };
  }

  /** A modal submitted; each field is a text input (string) or a select (string[]), wrapped in labels. */
  submitModal(who: Who, customId: string, fields: Record<string, string | string[]>, message?: any): { id: string; token: string } {
    const components = Object.entries(fields).map(([cid, v]) => ({
      type: 18, id: 1, component: Array.isArray(v) ? { type: 3, id: 2, custom_id: cid, values: v } : { type: 4, id: 2, custom_id: cid, value: v },
    }));
    const d = { ...this.interactionBase(who), type: 5, ...(message ? { message: this.fullMessage(message, who.channelId) } : {}), data: { custom_id: customId, components } };
    this.dispatch('INTERACTION_CREATE', d);
    return { id: d.id, token: d.token };
  }

  /** A message typed by someone (MESSAGE_CREATE); content is blanked without the MessageContent intent, as Discord does. */
  say(who: Who, content: string, mentions: FakeUser[] = []): string {
    const intents = (this.identifies.at(-1)?.intents as number | undefined) ?? 0;
    const id = snowflake();
    const d: Record<string, unknown> = {
      ...this.messageObject(id, who.channelId, who.user, { content: intents & (1 << 15) ? content : '' }),
      mentions: mentions.map((u) => this.userObject(u)),
      channel_type: this.threads.has(who.channelId) ? 11 : who.guildId ? 0 : 1,
    };
    if (who.guildId) Object.assign(d, { guild_id: who.guildId, member: { roles: who.roles ?? [], joined_at: NOW, deaf: false, mute: false, flags: 0, pending: false } });
    this.dispatch('MESSAGE_CREATE', d);
    return id;
  }

  // ─── REST ───────────────────────────────────────────────────────────────────────────────────
  private messageObject(id: string, channelId: string, author: FakeUser, body: any): any {
    return {
      id, channel_id: channelId, author: this.userObject(author), content: body.content ?? '', timestamp: NOW, edited_timestamp: null, tts: false,
      mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: body.embeds ?? [], pinned: false, type: 0,
      flags: body.flags ?? 0, components: body.components ?? [],
    };
  }

  private fullMessage(m: any, channelId: string): any {
    return { ...this.messageObject(m.id ?? snowflake(), m.channel_id ?? channelId, this.botUser, m), ...m };
  }

  private async onRest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    const method = req.method ?? 'GET';
    const body = text && (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text || undefined;
    const recorded: RecordedRequest = { method, path, query: url.search, auth: req.headers.authorization, body };
    this.requests.push(recorded);
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };
    const outage = this.outage;
    if (outage && outage.when(method, path)) {
      recorded.fault = outage.fault;
      if (outage.fault === 'hang') return; // never answered; the caller gives up
      if (outage.fault === 'drop') return void req.socket.destroy();
      if (outage.fault === 'http-500') return reply(500, { message: '500: Internal Server Error', code: 0 });
      const done = this.route(method, path, url, body);
      recorded.processed = done.status < 300;
      if (outage.fault === 'hang-after-processing') return;
      const text = JSON.stringify(done.json ?? {});
      res.writeHead(done.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      return;
    }
    const fault = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (fault) {
      fault.times--;
      if (fault.status === 429) {
        const after = fault.retryAfter ?? 0.2;
        return reply(429, { message: 'You are being rate limited.', retry_after: after, global: false }, {
          'retry-after': String(after), 'x-ratelimit-scope': 'user', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(after), 'x-ratelimit-bucket': 'fake-bucket',
        });
      }
      return reply(fault.status, { message: 'Injected failure', code: 0 });
    }
    const done = this.route(method, path, url, body);
    recorded.processed = done.status < 300;
    reply(done.status, done.json);
  }

  /** What Discord does with a request: its effect on the fake's state, and the answer. */
  private route(method: string, path: string, url: URL, body: any): { status: number; json?: unknown } {
    const reply = (status: number, json?: unknown): { status: number; json?: unknown } => ({ status, ...(json === undefined ? {} : { json }) });
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return reply(200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return reply(200, (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.appId, version: snowflake() })));
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      // UPDATE_MESSAGE (7) edits the message the component was on, as Discord does
      const d = this.dispatchedInteractions.get(path.split('/')[2]!) as { message?: { id: string; channel_id: string } } | undefined;
      if (body?.type === 7 && d?.message) {
        const msg = this.channels.get(d.message.channel_id)?.find((x) => x.id === d.message!.id);
        if (msg) {
          Object.assign(msg, body.data, { edited_timestamp: NOW });
          msg.edits = (msg.edits ?? 0) + 1;
        }
      }
      return url.searchParams.get('with_response') === 'true' ? reply(200, { interaction: { id: path.split('/')[2], type: 2 }, resource: { type: body.type } }) : reply(204);
    }
    if ((m = /^\/webhooks\/\d+\/([^/]+)(\/messages\/(@original|\d+))?$/.exec(path))) {
      if (method === 'DELETE') return reply(204);
      return reply(200, this.messageObject(snowflake(), '0', this.botUser, body));
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const user = body.recipient_id as string;
      const id = this.dmChannels.get(user) ?? snowflake();
      this.dmChannels.set(user, id);
      if (!this.channels.has(id)) this.channels.set(id, []);
      return reply(200, { id, type: 1, recipients: [{ id: user, username: `u${user}`, discriminator: '0', global_name: null, avatar: null }] });
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && method === 'POST') {
      // "The created thread and the message it was started from will share the same id"; one thread per message
      if (this.threads.has(m[2]!)) return reply(400, { message: 'A thread has already been created for this message', code: 160004 });
      const thread = { id: m[2]!, parent_id: m[1]!, name: body.name as string };
      this.threads.set(thread.id, thread);
      this.channels.set(thread.id, []);
      return reply(201, this.threadObject(thread, this.guilds[0]!.id));
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      const list = this.channels.get(m[1]!);
      if (!list) return reply(404, { message: 'Unknown Channel', code: 10003 });
      // enforce_nonce: the same author's message with the same nonce in the last few minutes is returned, not created again
      const nonce = body.enforce_nonce && body.nonce !== undefined ? String(body.nonce) : undefined;
      const earlier = nonce ? this.nonces.get(nonce) : undefined;
      if (earlier && Date.now() - earlier.at < 5 * 60_000) return reply(200, earlier.message);
      const msg = this.messageObject(snowflake(), m[1]!, this.botUser, body);
      // kept for assertions: what the message answered and which pings it allowed
      Object.assign(msg, { message_reference: body.message_reference, allowed_mentions: body.allowed_mentions, ...(nonce ? { nonce } : {}) });
      list.push(msg);
      if (nonce) this.nonces.set(nonce, { message: msg, at: Date.now() });
      return reply(200, msg);
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const msg = this.channels.get(m[1]!)?.find((x) => x.id === m![2]);
      if (!msg) return reply(404, { message: 'Unknown Message', code: 10008 });
      Object.assign(msg, body, { edited_timestamp: NOW });
      msg.edits = (msg.edits ?? 0) + 1;
      return reply(200, msg);
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') return reply(200, this.channelObject(m[1]!, undefined));
    return reply(404, { message: 'Unknown', code: 0 });
  }

  // ─── assertions ────────────────────────────────────────────────────────────────────────────
  /** The interaction callback(s) for one interaction id. */
  callbacks(interactionId: string): any[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${interactionId}/`)).map((r) => r.body);
  }

  /** Webhook calls (editReply, followUp) for one interaction token. */
  webhookCalls(token: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(`/webhooks/${this.appId}/${token}`));
  }

  waitFor<T>(probe: () => T | undefined | false, ms = MIN_WAIT_MS, what = 'condition'): Promise<T> {
    // any falsy value means not yet (0, '' and null too)
    return waitFor(() => probe() || undefined, ms, what, 25);
  }
}
