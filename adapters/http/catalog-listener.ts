/**
 * Jala's HTTP listener with the catalog server on it (/sru, /oai, /health), and optionally
 * simple2zoom for Z39.50 in front of /sru. What `jala serve` runs, and `npm start` when
 * JALA_HTTP_PORT is set. The OAI-PMH items are brought up to date before the first request and
 * every minute after (a request also catches up on what changed since).
 */
import path from 'node:path';
import { createCatalogServer, type CatalogServer, type Jala } from '../../src/index.ts';
import { startSimple2zoom, type RunningZ3950 } from '../z3950/start-simple2zoom.ts';
import { createHttpApp, type HttpRoute } from './http-app.ts';
import { startHttp } from './start-http.ts';

export class HttpStartError extends Error {
  constructor(
    readonly code: 'http/cannot-listen',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpStartError';
  }
}

export interface CatalogListenerOptions {
  port: number;
  host: string;
  /** also start simple2zoom (Z39.50) on this port */
  z3950Port?: number;
  /** more routes on the same listener (ISO 18626 at /iso18626) */
  routes?: readonly HttpRoute[];
  log?: (line: string) => void;
  /** how often the OAI-PMH items catch up with the catalog between requests */
  syncIntervalMs?: number;
}

export interface CatalogListener {
  /** http://host:port */
  url: string;
  port: number;
  z3950Port?: number;
  server: CatalogServer;
  stop(): Promise<void>;
}

export async function startCatalogListener(jala: Jala, opts: CatalogListenerOptions): Promise<CatalogListener> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = createCatalogServer(jala);
  const started = Date.now();
  server.oai.sync();
  const seconds = (Date.now() - started) / 1000;
  if (seconds >= 2) log(`jala: OAI-PMH items brought up to date with the catalog in ${seconds.toFixed(1)} s`);
  if (jala.config.server.adminEmails.length === 0) log('jala: no server.adminEmails in the consortium config: OAI-PMH Identify names a placeholder address');
  const app = createHttpApp({ server, ...(opts.routes ? { routes: opts.routes } : {}), log });
  let http;
  try {
    http = await startHttp(app, { port: opts.port, host: opts.host });
  } catch (cause) {
    throw new HttpStartError('http/cannot-listen', `cannot listen on ${opts.host}:${opts.port} (${(cause as Error).message}); set JALA_HTTP_PORT / JALA_HTTP_HOST`, { cause });
  }
  const timer = setInterval(() => {
    try {
      server.oai.sync();
    } catch (err) {
      log(`jala: OAI-PMH sync failed (${(err as { code?: string }).code ?? (err as Error).name}): ${(err as Error).message}`);
    }
  }, opts.syncIntervalMs ?? 60_000);
  timer.unref();
  const local = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  let z3950: RunningZ3950 | undefined;
  if (opts.z3950Port !== undefined) {
    try {
      z3950 = await startSimple2zoom({ port: opts.z3950Port, host: opts.host, sruUrl: `http://${local}:${http.port}/sru`, workDir: path.join(jala.dataDir, 'z3950') });
    } catch (err) {
      clearInterval(timer);
      await http.stop();
      throw err;
    }
  }
  return {
    url: `http://${local}:${http.port}`,
    port: http.port,
    ...(z3950 ? { z3950Port: z3950.port } : {}),
    server,
    stop: async () => {
      clearInterval(timer);
      await z3950?.stop();
      await http.stop();
    },
  };
}
