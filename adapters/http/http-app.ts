/**
 * The one HTTP listener of Jala, as a route table on hono: /sru, /oai and /health, and room for
 * more (ISO 18626 at /iso18626 is one more entry of `routes`). Each handler only translates: the
 * request's parameters (query string, or a form body for POST) go to the protocol's service, its
 * answer comes back as the HTTP response — a streamed body is written as the client reads it.
 * Limits per client (requests a minute) and per request (body size) are enforced here; anything
 * unexpected is logged by code and answered in the protocol's own form, never with a stack trace.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { paramsOf, type CatalogServer, type ProtocolRequest, type ProtocolResponse } from '../../src/index.ts';
import { createRateLimiter } from './rate-limit.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A route another part of Jala serves on this listener (e.g. ISO 18626 at /iso18626). */
export interface HttpRoute {
  path: string;
  methods: readonly HttpMethod[];
  /** the whole request, for protocols that read a body of their own (XML, JSON), and who sent it */
  handle: (request: Request, client: { address: string | undefined }) => Promise<ProtocolResponse> | ProtocolResponse;
  /** requests to it count against the client's rate limit (default true) */
  limited?: boolean;
  /** bodies larger than this are refused with 413 (default 64 KiB) */
  maxBodyBytes?: number;
}

export interface HttpAppOptions {
  server: CatalogServer;
  routes?: readonly HttpRoute[];
  /** requests per client per minute on /sru, /oai and limited routes; default the config's server.rateLimitPerMinute */
  rateLimitPerMinute?: number;
  /** form bodies larger than this are refused (bytes) */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

const TEXT = { 'content-type': 'text/plain; charset=UTF-8' };
const SRU_SYSTEM_ERROR =
  '<?xml version="1.0" encoding="UTF-8"?>\n<zs:searchRetrieveResponse xmlns:zs="http://www.loc.gov/zing/srw/"><zs:version>1.2</zs:version><zs:numberOfRecords>0</zs:numberOfRecords>' +
  '<zs:diagnostics><diag:diagnostic xmlns:diag="http://www.loc.gov/zing/srw/diagnostic/"><diag:uri>info:srw/diagnostic/1/1</diag:uri><diag:message>General system error</diag:message></diag:diagnostic></zs:diagnostics></zs:searchRetrieveResponse>\n';

interface ProtocolRoute {
  name: string;
  handle: (req: ProtocolRequest) => ProtocolResponse;
  /** the answer when the client is over its limit */
  refuse: (req: ProtocolRequest, retryAfter: number) => Response;
  /** the answer when handling failed unexpectedly */
  failed: () => Response;
  /** takes POST bodies other than forms (SRW's SOAP envelopes) */
  bodies?: boolean;
}

export function createHttpApp(opts: HttpAppOptions): Hono {
  const app = new Hono();
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const limiter = createRateLimiter(opts.rateLimitPerMinute ?? opts.server.settings.rateLimitPerMinute);
  const maxBody = opts.maxBodyBytes ?? 64 * 1024;
  const publicUrl = opts.server.settings.publicUrl;

  const logFailure = (what: string, err: unknown): void => {
    const e = err as { code?: unknown; name?: string; message?: string };
    log(`jala http: ${what} failed (${typeof e.code === 'string' ? e.code : (e.name ?? 'Error')}): ${e.message ?? String(err)}`);
  };

  const clientOf = (c: Context): string => {
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };

  /** the URL as clients see it: under the public URL when one is configured */
  const urlOf = (c: Context): URL => {
    const url = new URL(c.req.url);
    if (!publicUrl) return url;
    const base = new URL(publicUrl);
    return new URL(`${base.pathname.replace(/\/+$/, '')}${url.pathname}${url.search}`, base.origin);
  };

  const bodyLimited = (max: number) =>
    bodyLimit({ maxSize: max, onError: () => new Response(`The request body is larger than ${max} bytes.\n`, { status: 413, headers: TEXT }) });

  const serveProtocol = (path: string, route: ProtocolRoute): void => {
    app.use(path, bodyLimited(maxBody));
    app.on(['GET', 'POST'], path, async (c) => {
      try {
        const url = urlOf(c);
        const params = paramsOf(url.searchParams);
        let body: ProtocolRequest['body'];
        if (c.req.method === 'POST') {
          const type = (c.req.header('content-type') ?? '').toLowerCase();
          if (type.startsWith('application/x-www-form-urlencoded')) {
            for (const [k, v] of paramsOf(new URLSearchParams(await c.req.text()))) params.set(k, [...(params.get(k) ?? []), ...v]);
          } else if (route.bodies) {
            body = { type, text: await c.req.text() };
          } else {
            return new Response('POST bodies must be application/x-www-form-urlencoded.\n', { status: 415, headers: TEXT });
          }
        }
        const req: ProtocolRequest = { params, url, method: c.req.method === 'POST' ? 'POST' : 'GET', ...(body ? { body } : {}) };
        const wait = limiter.take(clientOf(c));
        if (wait > 0) return route.refuse(req, wait);
        return toResponse(route.handle(req));
      } catch (err) {
        logFailure(route.name, err);
        return route.failed();
      }
    });
    app.all(path, () => new Response('Only GET and POST.\n', { status: 405, headers: { ...TEXT, allow: 'GET, POST' } }));
  };

  const { sru, oai } = opts.server;
  serveProtocol('/sru', {
    name: 'sru',
    bodies: true,
    handle: (req) => sru.handle(req),
    refuse: (req, wait) => withHeaders(toResponse(sru.unavailable(req, `too many requests: retry after ${wait} seconds`)), 429, { 'retry-after': String(wait) }),
    failed: () => new Response(SRU_SYSTEM_ERROR, { status: 500, headers: { 'content-type': 'text/xml; charset=UTF-8' } }),
  });
  serveProtocol('/oai', {
    name: 'oai',
    handle: (req) => oai.handle(req),
    // OAI-PMH's flow control: 503 with Retry-After
    refuse: (_req, wait) => new Response(`Too many requests: retry after ${wait} seconds.\n`, { status: 503, headers: { ...TEXT, 'retry-after': String(wait) } }),
    failed: () => new Response('The repository could not answer this request; it has been logged.\n', { status: 500, headers: TEXT }),
  });
  app.get('/health', (c) => {
    try {
      return c.json(opts.server.health());
    } catch (err) {
      logFailure('health', err);
      return c.json({ status: 'unavailable' }, 503);
    }
  });
  for (const route of opts.routes ?? []) {
    app.use(route.path, bodyLimited(route.maxBodyBytes ?? maxBody));
    app.on([...route.methods], route.path, async (c) => {
      if (route.limited !== false) {
        const wait = limiter.take(clientOf(c));
        if (wait > 0) return new Response(`Too many requests: retry after ${wait} seconds.\n`, { status: 429, headers: { ...TEXT, 'retry-after': String(wait) } });
      }
      try {
        const address = clientOf(c);
        return toResponse(await route.handle(c.req.raw, { address: address === 'unknown' ? undefined : address }));
      } catch (err) {
        logFailure(route.path, err);
        return new Response('The request could not be answered; it has been logged.\n', { status: 500, headers: TEXT });
      }
    });
    app.all(route.path, () => new Response(`Only ${route.methods.join(', ')}.\n`, { status: 405, headers: { ...TEXT, allow: route.methods.join(', ') } }));
  }
  app.notFound(() => new Response(`Not found. Jala serves /sru (SRU), /oai (OAI-PMH)${(opts.routes ?? []).map((r) => `, ${r.path}`).join('')} and /health.\n`, { status: 404, headers: TEXT }));
  app.onError((err) => {
    logFailure('request', err);
    return new Response('The request could not be answered; it has been logged.\n', { status: 500, headers: TEXT });
  });
  return app;
}

function withHeaders(res: Response, status: number, headers: Record<string, string>): Response {
  const h = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  return new Response(res.body, { status, headers: h });
}

function toResponse(r: ProtocolResponse): Response {
  if (typeof r.body === 'string') return new Response(r.body, { status: r.status, headers: r.headers });
  return new Response(toStream(r.body), { status: r.status, headers: r.headers });
}

/** A pull stream: the next chunk is made only when the client has taken the last. */
function toStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await it.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          controller.error(err);
        }
      },
      async cancel() {
        await it.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
