import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SlackLog } from '../../adapters/slack/slack-log.ts';
import { MIN_WAIT_MS } from './wait-for.ts';
export { waitFor } from './wait-for.ts';

/**
 * A local fake of the Slack Web API (what `slackApiUrl` points at), of response_url endpoints and
 * of the Socket Mode WebSocket — on 127.0.0.1, port 0. It records every call so tests can assert
 * on what the real Bolt App sent, and can be told to fail a method (429 with Retry-After, or a
 * platform error).
 */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  token?: string;
  at: number;
  /** what the fake answered (chat.postMessage's ts, views.open's view id …) */
  response?: Record<string, unknown>;
  /** the outage fault this call ran into, if any */
  fault?: ApiFault;
  /** Slack did what was asked (the message exists), whether or not the answer reached the caller */
  processed?: boolean;
}

/**
 * How the Web API misbehaves during an outage. The first three fail *before* Slack does anything:
 * - `hang`: the request is read and never answered (the caller times out);
 * - `drop`: the connection is destroyed as soon as the request has arrived;
 * - `http-500`: an HTTP 500 answer.
 * The last two fail *after* Slack did the work — the message is posted or updated — so a blind
 * retry would repeat it:
 * - `hang-after-processing`: done, and the answer never comes;
 * - `drop-mid-response`: done, and the connection is cut halfway through the answer.
 * Refused connections are not a fault of this server: put a TcpGate in front of it and close that.
 */
export type ApiFault = 'hang' | 'drop' | 'http-500' | 'hang-after-processing' | 'drop-mid-response';

/** A message as Slack keeps it: what channel history and thread replies return. */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** how many times chat.update changed it */
  edits: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FileUpload {
  id: string;
  body: string;
  at: number;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

const JSON_PARAMS = new Set(['blocks', 'view', 'attachments', 'metadata']);

export interface SlackFake {
  apiUrl: string;
  port: number;
  calls: FakeCall[];
  responses: ResponseUrlPost[];
  /** file bytes posted to upload URLs (files.getUploadURLExternal) */
  uploads: FileUpload[];
  callsOf(method: string): FakeCall[];
  responsesOf(id: string): ResponseUrlPost[];
  responseUrl(id: string): string;
  /** every message posted, in order (edits applied in place) */
  messages: StoredMessage[];
  /** top-level messages of a channel (a user id means the DM with that user), oldest first */
  channelMessages(channel: string): StoredMessage[];
  /** the replies in the thread under a message, oldest first */
  threadReplies(channel: string, ts: string): StoredMessage[];
  /** from now on every Web API call that matches `when` (default: all but auth.test) runs into `fault`; undefined ends the outage */
  setOutage(fault: ApiFault | undefined, when?: (method: string) => boolean): void;
  /** fail the next `times` calls of a method that match `when` */
  failNext(method: string, failure: Failure, times?: number, when?: (params: Record<string, unknown>) => boolean): void;
  /** members returned by usergroups.users.list */
  usergroups: Map<string, string[]>;
  /** Socket Mode: resolves when a client has connected (after hello) */
  socketConnected(): Promise<void>;
  /** Socket Mode: connections open now, and connections ever made */
  openSockets(): number;
  socketConnections(): number;
  /**
   * Socket Mode: the app-level token (the one `apps.connections.open` was called with) behind each
   * connection open now, and behind every connection ever made, oldest first
   */
  openSocketTokens(): string[];
  socketTokens(): string[];
  /** Socket Mode: push an envelope and resolve with the app's ack payload */
  sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export async function startSlackFake(): Promise<SlackFake> {
  const calls: FakeCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const failures: Array<{ method: string; failure: Failure; times: number; when?: (p: Record<string, unknown>) => boolean }> = [];
  const usergroups = new Map<string, string[]>();
  let tsCounter = 0;
  let viewCounter = 0;
  let fileCounter = 0;
  let ticketCounter = 0;
  const tickets = new Map<string, string>();
  const uploads: FileUpload[] = [];
  // real Unix seconds (history's `oldest` compares with them), made unique by the counter
  const nextTs = (): string => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
  const messages: StoredMessage[] = [];
  const dmChannel = (channel: string): string => (/^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel);
  const topLevel = (channel: string): StoredMessage[] => messages.filter((m) => m.channel === dmChannel(channel) && (!m.thread_ts || m.thread_ts === m.ts));
  const repliesOf = (channel: string, ts: string): StoredMessage[] => messages.filter((m) => m.channel === dmChannel(channel) && m.thread_ts === ts && m.ts !== ts);
  let outage: { fault: ApiFault; when: (method: string) => boolean } | undefined;
  const withMetadata = (m: StoredMessage, include: boolean): Record<string, unknown> => {
    const { metadata, edits: _edits, channel: _channel, ...rest } = m;
    return { type: 'message', user: 'UBOT', bot_id: 'BBOT', ...rest, ...(include && metadata ? { metadata } : {}) };
  };

  const readBody = (req: http.IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const parseParams = (raw: string, contentType: string | undefined): Record<string, unknown> => {
    if (contentType?.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      if (JSON_PARAMS.has(k)) {
        try {
          out[k] = JSON.parse(v);
          continue;
        } catch {
          // keep the string
        }
      }
      out[k] = v;
    }
    return out;
  };

  let port = 0;
  const answer = (method: string, params: Record<string, unknown>, token?: string): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', url: 'https://fake.slack.test/' };
      case 'chat.postMessage': {
        const channel = dmChannel(String(params.channel ?? ''));
        const ts = nextTs();
        const meta = params.metadata as StoredMessage['metadata'] | undefined;
        messages.push({
          channel, ts, text: String(params.text ?? ''), edits: 0,
          ...(params.blocks !== undefined ? { blocks: params.blocks } : {}),
          ...(typeof params.thread_ts === 'string' ? { thread_ts: params.thread_ts } : {}),
          ...(meta && typeof meta === 'object' ? { metadata: meta } : {}),
        });
        return { ok: true, channel, ts, message: { text: params.text } };
      }
      case 'conversations.history': {
        const oldest = Number(params.oldest ?? 0);
        const limit = Number(params.limit ?? 100);
        const list = topLevel(String(params.channel ?? '')).filter((m) => Number(m.ts) > oldest).reverse().slice(0, limit);
        return { ok: true, messages: list.map((m) => withMetadata(m, String(params.include_all_metadata) === 'true')), has_more: false };
      }
      case 'conversations.replies': {
        const channel = String(params.channel ?? '');
        const ts = String(params.ts ?? '');
        const parent = topLevel(channel).find((m) => m.ts === ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const include = String(params.include_all_metadata) === 'true';
        return { ok: true, messages: [parent, ...repliesOf(channel, ts)].map((m) => withMetadata(m, include)), has_more: false };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.update': {
        const stored = messages.find((m) => m.channel === dmChannel(String(params.channel ?? '')) && m.ts === params.ts);
        if (stored) {
          stored.text = String(params.text ?? '');
          if (params.blocks !== undefined) stored.blocks = params.blocks;
          stored.edits += 1;
        }
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      }
      case 'views.open':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { id: `V${++viewCounter}`, ...(params.view as object) } };
      case 'usergroups.users.list':
        return { ok: true, users: usergroups.get(String(params.usergroup)) ?? [] };
      case 'users.info':
        return { ok: true, user: { id: params.user, name: 'someone', real_name: 'Someone' } };
      case 'conversations.open': {
        const user = String(params.users ?? '').split(',')[0] ?? '';
        return { ok: true, channel: { id: `D${user.slice(1)}` } };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${++fileCounter}`;
        return { ok: true, upload_url: `http://127.0.0.1:${port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (JSON.parse(String(params.files ?? '[]')) as Array<{ id: string }>).map((f) => ({ id: f.id })) };
      case 'apps.connections.open': {
        // like Slack's wss://…/link/?ticket=…: one ticket per call, tied to the app token that asked
        const ticket = `T${++ticketCounter}`;
        tickets.set(ticket, token ?? '');
        return { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${ticket}` };
      }
      default:
        return { ok: true };
    }
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
        const method = url.pathname.slice('/api/'.length);
        const params = parseParams(raw, req.headers['content-type']);
        const auth = req.headers.authorization;
        const call: FakeCall = { method, params, ...(auth ? { token: auth.replace(/^Bearer /, '') } : {}), at: Date.now() };
        calls.push(call);
        if (outage && outage.when(method)) {
          const fault = outage.fault;
          call.fault = fault;
          if (fault === 'hang') return; // never answered; the caller gives up
          if (fault === 'drop') return void req.socket.destroy();
          if (fault === 'http-500') return send(500, { ok: false, error: 'internal_error' });
          call.response = answer(method, params, call.token);
          call.processed = call.response.ok === true;
          if (fault === 'hang-after-processing') return;
          const text = JSON.stringify(call.response);
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
          res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
          return;
        }
        const f = failures.find((x) => x.method === method && x.times > 0 && (!x.when || x.when(params)));
        if (f) {
          f.times -= 1;
          if ('status' in f.failure) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(f.failure.retryAfter) });
          return send(200, { ok: false, error: f.failure.error });
        }
        call.response = answer(method, params, call.token);
        call.processed = call.response.ok === true;
        return send(200, call.response);
      }
      if (req.method === 'POST' && url.pathname.startsWith('/upload/')) {
        uploads.push({ id: url.pathname.slice('/upload/'.length), body: raw, at: Date.now() });
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(`OK - ${raw.length}`);
      }
      if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
        responses.push({ id: url.pathname.slice('/response/'.length), body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, at: Date.now() });
        return send(200, { ok: true });
      }
      send(404, { ok: false, error: 'unknown_path' });
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });

  // Socket Mode
  const wss = new WebSocketServer({ noServer: true });
  let socket: WebSocket | undefined;
  let connected: () => void = () => {};
  let connectedPromise = new Promise<void>((r) => (connected = r));
  const acks = new Map<string, (payload: unknown) => void>();
  let envelopeCounter = 0;
  let socketCount = 0;
  const socketToken = new Map<WebSocket, string>();
  const everToken: string[] = [];
  // Slack pings every connection (its client gives up on a server silent for 30 s and reconnects)
  const pinger = setInterval(() => {
    for (const c of wss.clients) if (c.readyState === c.OPEN) c.ping();
  }, 5_000);
  pinger.unref();
  server.on('upgrade', (req, sock, head) => {
    if (!req.url?.startsWith('/link')) return sock.destroy();
    const ticket = new URL(req.url, 'http://127.0.0.1').searchParams.get('ticket') ?? '';
    wss.handleUpgrade(req, sock, head, (ws) => {
      socket = ws;
      socketCount++;
      const token = tickets.get(ticket) ?? '';
      socketToken.set(ws, token);
      everToken.push(token);
      ws.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString('utf8')) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) acks.get(msg.envelope_id)?.(msg.payload ?? null);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'fake', approximate_connection_time: 3600 } }));
      connected();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    port,
    calls,
    responses,
    uploads,
    usergroups,
    messages,
    channelMessages: topLevel,
    threadReplies: repliesOf,
    setOutage: (fault, when = (method) => method !== 'auth.test') => {
      outage = fault ? { fault, when } : undefined;
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    responsesOf: (id) => responses.filter((r) => r.id === id),
    responseUrl: (id) => `http://127.0.0.1:${port}/response/${id}`,
    failNext: (method, failure, times = 1, when) => {
      failures.push({ method, failure, times, ...(when ? { when } : {}) });
    },
    socketConnected: () => connectedPromise,
    openSockets: () => [...wss.clients].filter((c) => c.readyState === c.OPEN).length,
    socketConnections: () => socketCount,
    openSocketTokens: () => [...wss.clients].filter((c) => c.readyState === c.OPEN).map((c) => socketToken.get(c) ?? ''),
    socketTokens: () => [...everToken],
    sendEnvelope: (type, payload) =>
      new Promise((resolve, reject) => {
        if (!socket) return reject(new Error('no Socket Mode client connected'));
        const id = `env-${++envelopeCounter}`;
        const timer = setTimeout(() => reject(new Error(`no ack for ${id}`)), MIN_WAIT_MS);
        acks.set(id, (p) => {
          clearTimeout(timer);
          resolve(p);
        });
        socket.send(JSON.stringify({ envelope_id: id, type, accepts_response_payload: type !== 'events_api', payload }));
      }),
    close: async () => {
      clearInterval(pinger);
      await Promise.all(
        [...wss.clients].map(
          (c) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => (c.terminate(), resolve()), 500);
              c.once('close', () => (clearTimeout(timer), resolve()));
              c.close(1000);
            }),
        ),
      );
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      connectedPromise = new Promise<void>((r) => (connected = r));
    },
  };
}

// ——— signed requests, as Slack sends them ———

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Unix seconds; default now */
  timestamp?: number;
  /** override the computed signature (forgeries) */
  signature?: string;
  headers?: Record<string, string>;
}

/** POST a body to the app the way Slack does: form-encoded for commands and interactions, JSON for events. */
export async function signedPost(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  opts: SignedPostOptions = {},
): Promise<{ status: number; text: string }> {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': opts.signature ?? slackSignature(secret, ts, body),
      ...opts.headers,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

let triggers = 0;

/** A slash command's form body; each gets its own trigger_id, as Slack gives every invocation one. */
export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams({ token: 'x', team_id: 'T1', team_domain: 'lib', api_app_id: 'A1', trigger_id: `${Date.now()}.${++triggers}.cmd`, ...fields }).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventBody(eventId: string, event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'x',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event,
  });
}

/** Polls until `probe` returns something (or the time is up). */
/** The adapter's log, kept as lines ("warn …") for a test to read. */
export function recordingSlackLog(): { logs: string[]; log: SlackLog } {
  const logs: string[] = [];
  return { logs, log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m, c) => logs.push(`error ${m} ${String(c)}`) } };
}
