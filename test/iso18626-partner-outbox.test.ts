/**
 * The partner outbox against a partner system on 127.0.0.1 that answers as told: OK, ERROR, HTTP
 * 500, or not at all. A member lends to a 2021 partner: what goes out validates against the 2021
 * schema, a refusal reaches the librarian and is not retried, an outage is retried with the same
 * bytes, in order.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJala, type Jala } from '../src/app/create-jala.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { createIllService, type IllService } from '../src/bot/ill-commands.ts';
import { readIso18626 } from '../src/iso18626/iso18626-reader.ts';
import { writeIso18626 } from '../src/iso18626/iso18626-writer.ts';
import { buildConfirmation } from '../src/iso18626/outgoing-intent.ts';
import { buildRequestMessage } from '../src/iso18626/partner-request.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { manualClock } from './support/iso18626-pair.ts';
import { tempDir } from './support/paths.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { invalidOnes, validateWithXmllint } from './support/xmllint-validate.ts';
import { sqliteOf } from './support/sqlite-of.ts';

type Mode = 'ok' | 'error' | 'http-500';
let mode: Mode = 'ok';
const received: string[] = [];
let server: http.Server;
let jala: Jala;
let ill: IllService;
let store: SqliteIllStore;
const clock = manualClock('2027-02-01T08:00:00.000Z');
const librarian: BotActor = { platform: 'cli', userId: 'lib-m', role: 'librarian', library: 'MEMBER' };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push(body);
      if (mode === 'http-500') {
        res.writeHead(500).end('down for maintenance');
        return;
      }
      const read = readIso18626(body);
      const of = read.ok && read.kind === 'supplyingAgencyMessage' ? 'supplyingAgencyMessage' : 'request';
      const echo = read.ok ? read.echo : {};
      const xml = writeIso18626(buildConfirmation(of, echo, new Date(), mode === 'error' ? { errorType: 'UnrecognisedDataValue', errorValue: 'statusInfo/status: not expected now' } : undefined), '2021');
      res.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dataDir = tempDir('jala-iso-outbox-');
  fs.writeFileSync(path.join(dataDir, 'consortium.json'), JSON.stringify({
    libraries: [{ code: 'MEMBER', name: 'Member library', agencyId: { type: 'ISIL', value: 'ID-M' }, loanPeriodDays: 14 }],
    iso18626: { partners: [{ code: 'P21', name: 'A 2021 partner', agencyId: { type: 'ISIL', value: 'US-P21' }, isoVersion: '2021', endpoint: `http://127.0.0.1:${port}/iso18626`, auth: { ipAllow: ['127.0.0.1'] }, lends: false, loanPeriodDays: 42 }] },
  }));
  jala = await createJala({ dataDir, configPath: path.join(dataDir, 'consortium.json') });
  ill = createIllService(jala, { now: clock.now });
  store = new SqliteIllStore(sqliteOf(jala.store));
});
afterAll(async () => {
  jala?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function incomingRequest(id: string): string {
  return writeIso18626(
    buildRequestMessage({ title: 'Cantik itu luka', author: 'Eka Kurniawan', isbns: ['9789792276337'] }, {
      version: '2021', requestingAgencyId: { type: { value: 'ISIL' }, value: 'US-P21' }, supplyingAgencyId: { type: { value: 'ISIL' }, value: 'ID-M' }, requestingAgencyRequestId: id,
    }, clock.now()),
    '2021',
  );
}

function act(id: number, action: Parameters<IllService['act']>[2], details?: string): void {
  const o = ill.act(librarian, id, action, details, undefined, 'en');
  if (!o.ok) throw new Error(`${action}: ${o.message}`);
}

describe('the partner outbox', () => {
  let id: number;

  it('a 2021 partner’s request lands in the member’s queue and hears ExpectToSupply', async () => {
    const link = ill.partners;
    if (!link) throw new Error('no link');
    const r = link.receive(incomingRequest('P21-REQ-1'), '127.0.0.1');
    expect(r.status).toBe(200);
    expect(r.xml).toMatch(/messageStatus>OK</);
    // from an address not on the list: refused, nothing created
    expect(link.receive(incomingRequest('P21-REQ-2'), '198.51.100.7').xml).toMatch(/messageStatus>ERROR</);
    const rows = store.openRequestsOfLibrary('MEMBER', []);
    expect(rows).toHaveLength(1);
    id = rows[0]?.id as number;
    expect(await link.deliver()).toEqual({ sent: 1, refused: 0, failed: 0 });
    expect(received.at(-1)).toMatch(/ExpectToSupply/);
  });

  it('an ERROR confirmation is shown in the request’s thread and not sent again', async () => {
    const link = ill.partners;
    if (!link) throw new Error('no link');
    mode = 'error';
    act(id, 'accept');
    const before = received.length;
    expect(await link.deliver()).toEqual({ sent: 0, refused: 1, failed: 0 });
    expect(received.length).toBe(before + 1);
    const note = store.events(id).find((e) => e.action === 'note');
    expect(note?.note).toMatch(/A 2021 partner's system refused Jala's message “WillSupply \(RequestResponse\)”: UnrecognisedDataValue \(statusInfo\/status: not expected now\)/);
    clock.advanceMinutes(60);
    expect(await link.deliver()).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(received.length).toBe(before + 1);
    expect(link.store.outbox().find((m) => m.label.startsWith('WillSupply'))).toMatchObject({ status: 'refused', attempts: 1 });
    mode = 'ok';
  });

  it('an outage is retried later with the same bytes, in order, and each message goes once', async () => {
    const link = ill.partners;
    if (!link) throw new Error('no link');
    mode = 'http-500';
    act(id, 'ship');
    act(id, 'note', 'packed with care');
    const start = received.length;
    expect(await link.deliver()).toMatchObject({ sent: 0, failed: 1 });
    // the note waits behind the shipment: only the first was tried
    expect(received.length).toBe(start + 1);
    // not yet time to retry
    expect(await link.deliver()).toMatchObject({ sent: 0, failed: 0 });
    mode = 'ok';
    clock.advanceMinutes(1);
    expect(await link.deliver()).toMatchObject({ sent: 2, failed: 0 });
    const tries = received.slice(start);
    expect(tries).toHaveLength(3);
    expect(tries[1]).toBe(tries[0]);
    expect(tries[1]).toMatch(/Loaned/);
    expect(tries[2]).toMatch(/packed with care/);
    // the partner's loan period sets the due date (42 days)
    expect(store.request(id)?.dueDate).toBe('2027-03-15');
  });
});

describeWithTools([TOOLS.xmllint], 'what the 2021 partner received', () => {
  it('validates against the 2021 schema', () => {
    const docs = new Map(received.map((xml, i) => [`message ${i}`, xml] as const));
    expect(docs.size).toBeGreaterThan(4);
    expect(invalidOnes(validateWithXmllint(path.join(PACKAGE_ROOT, 'test', 'fixtures', 'iso18626', 'ISO-18626-2021-2.xsd'), docs))).toEqual([]);
  });
});
