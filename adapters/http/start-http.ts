/** Starts the HTTP listener (hono on Node's http server) and stops it, waiting for open responses. */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export interface RunningHttp {
  port: number;
  host: string;
  stop(): Promise<void>;
}

export function startHttp(app: Hono, opts: { port: number; host: string }): Promise<RunningHttp> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({
        port: info.port,
        host: opts.host,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // idle keep-alive connections would hold close() open
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
