/**
 * ISO 18626 at POST /iso18626 on the HTTP listener: the body and the sender's address go to the
 * partner link, its confirmation comes back in the same response (200 OK/ERROR, 400 unreadable,
 * 413 too large). After a message is applied, the partner outbox is kicked so that the answers it
 * queued (ExpectToSupply, a refused cancel…) go out without waiting for the next poll.
 */
import type { PartnerLink } from '../../src/index.ts';
import type { HttpRoute } from './http-app.ts';

export interface Iso18626RouteOptions {
  /**
   * send queued answers right after a message (default true); a function is asked each time (replicas:
   * only the leader sends the partner outbox, so two replicas never send the same message)
   */
  deliverAfterReceive?: boolean | (() => boolean);
  log?: (line: string) => void;
}

export function iso18626Route(link: PartnerLink, opts: Iso18626RouteOptions = {}): HttpRoute {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    path: '/iso18626',
    methods: ['POST'],
    // partners are few and known; their traffic is not a client's to ration
    limited: false,
    // one byte over the message limit still reaches the reader, which answers 413 itself
    maxBodyBytes: link.settings.maxMessageBytes + 1,
    handle: async (request, client) => {
      const body = new Uint8Array(await request.arrayBuffer());
      const result = link.receive(body, client.address);
      // why a message was refused, by code, without its content (it may name a patron)
      if (result.refused) log(`jala iso18626: refused (${result.refused.code}) from ${client.address ?? 'unknown'}`);
      const deliverNow = typeof opts.deliverAfterReceive === 'function' ? opts.deliverAfterReceive() : opts.deliverAfterReceive !== false;
      if (deliverNow && result.event) {
        link.deliver().catch((err: unknown) => log(`jala iso18626: delivery failed (${(err as { code?: string }).code ?? (err as Error).name}): ${(err as Error).message}`));
      }
      return { status: result.status, headers: { 'content-type': result.contentType }, body: result.xml };
    },
  };
}

/** Sends the partner outbox every `intervalMs` (default 1 s) until stopped; a pass never overlaps another. */
export function schedulePartnerDelivery(link: PartnerLink, opts: { intervalMs?: number; log?: (line: string) => void } = {}): { stop(): Promise<void> } {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = link.deliver().then(
      (r) => {
        if (r.refused > 0) log(`jala iso18626: ${r.refused} message(s) refused by partners (shown in the requests' threads)`);
      },
      (err: unknown) => log(`jala iso18626: delivery failed (${(err as { code?: string }).code ?? (err as Error).name}): ${(err as Error).message}`),
    );
  }, opts.intervalMs ?? 1_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await last;
    },
  };
}
