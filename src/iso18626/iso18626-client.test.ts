import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendIso18626 } from './iso18626-client.ts';
import { handleIso18626 } from './iso18626-handler.ts';
import { writeIso18626 } from './iso18626-writer.ts';
import { buildConfirmation } from './outgoing-intent.ts';
import { PartnerConfig } from '../config/partner-config.ts';

/** A partner on 127.0.0.1 whose behaviour each test picks by path. */
let server: http.Server;
let base = '';
const received: string[] = [];
const dir = {
  partners: [PartnerConfig.parse({ code: 'JALA2', name: 'Jala 2', agencyId: { type: 'ISIL', value: 'ID-UGM' }, endpoint: 'http://127.0.0.1:9/', auth: { ipAllow: ['127.0.0.1'] } })],
  members: [{ library: 'P', agencyId: { type: 'ISIL', value: 'US-NJP' } }],
};

function ram(id = 'JALA-R1'): string {
  return writeIso18626(
    {
      kind: 'requestingAgencyMessage',
      header: { supplyingAgencyId: { type: { value: 'ISIL' }, value: 'US-NJP' }, requestingAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' }, timestamp: '2025-01-01T00:00:00.000Z', requestingAgencyRequestId: id },
      action: 'Received',
    },
    '1.2',
  );
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push(`${req.url} ${req.headers['content-type']}`);
      switch (req.url) {
        case '/ok': {
          const r = handleIso18626(body, req.socket.remoteAddress, dir);
          res.writeHead(r.status, { 'content-type': r.contentType }).end(r.xml);
          return;
        }
        case '/error': {
          const r = handleIso18626(body, req.socket.remoteAddress, dir, { apply: () => ({ ok: false, errorType: 'UnrecognisedDataValue', errorValue: 'requestingAgencyRequestId: request with a given ID not found' }) });
          res.writeHead(200, { 'content-type': r.contentType }).end(r.xml);
          return;
        }
        case '/hang':
          return; // never answers
        case '/500':
          res.writeHead(503).end('down for maintenance');
          return;
        case '/400':
          res.writeHead(400, { 'content-type': 'application/xml' }).end(writeIso18626(buildConfirmation('requestingAgencyMessage', {}, new Date(), { errorType: 'BadlyFormedMessage', errorValue: 'cannot parse' }), '1.2'));
          return;
        case '/garbage':
          res.writeHead(200).end('<html>oops</html');
          return;
        case '/other-request': {
          const r = handleIso18626(ram('SOMEONE-ELSE'), req.socket.remoteAddress, dir);
          res.writeHead(200).end(r.xml);
          return;
        }
        default:
          res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('sending a message to a partner', () => {
  const opts = { timeoutMs: 10_000, kind: 'requestingAgencyMessage' as const, requestingAgencyRequestId: 'JALA-R1' };

  it('POSTs application/xml and reads the OK confirmation', async () => {
    const r = await sendIso18626(`${base}/ok`, ram(), opts);
    expect(r).toMatchObject({ ok: true, confirmation: { kind: 'requestingAgencyMessageConfirmation', header: { messageStatus: 'OK' } } });
    expect(received).toContain('/ok application/xml; charset=utf-8');
  });

  it('tells an ERROR confirmation (shown, not retried) apart from network failures (retried)', async () => {
    expect(await sendIso18626(`${base}/error`, ram(), opts)).toMatchObject({ ok: false, failure: 'refused', retry: false, errorType: 'UnrecognisedDataValue' });
    expect(await sendIso18626(`${base}/400`, ram(), opts)).toMatchObject({ ok: false, failure: 'refused', retry: false, status: 400, errorType: 'BadlyFormedMessage' });
    expect(await sendIso18626(`${base}/500`, ram(), opts)).toMatchObject({ ok: false, failure: 'network', retry: true, code: 'iso18626/server-error' });
    // a port nobody listens on
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await sendIso18626(`http://127.0.0.1:${port}/`, ram(), opts)).toMatchObject({ ok: false, failure: 'network', retry: true, code: 'iso18626/connection' });
  });

  it('gives up on a partner that does not answer within the timeout, as a retryable failure', async () => {
    expect(await sendIso18626(`${base}/hang`, ram(), { ...opts, timeoutMs: 300 })).toMatchObject({ ok: false, failure: 'network', retry: true, code: 'iso18626/timeout' });
  });

  it('does not take a garbled answer or a confirmation of another request for an OK', async () => {
    expect(await sendIso18626(`${base}/garbage`, ram(), opts)).toMatchObject({ ok: false, failure: 'bad-answer', code: 'iso18626/unreadable-answer' });
    expect(await sendIso18626(`${base}/other-request`, ram(), opts)).toMatchObject({ ok: false, failure: 'bad-answer', code: 'iso18626/wrong-answer' });
  });
});
