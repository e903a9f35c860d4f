/**
 * Two Jala instances on 127.0.0.1, each with its own data directory and HTTP listener, configured
 * as each other's ISO 18626 partner:
 *
 * - A: the sample consortium (UGM, UI, USU, DISPUSIP, agency ids ISIL ID-UGM…), partner UNAIR;
 * - B: UNAIR (the sample UI's records) and ITB (the sample USU's), partner UGM.
 *
 * Each listener sits behind a TcpGate, so a test can take a partner off the network and bring it
 * back on the same address. The partner outboxes are sent only when the test says (`settle`), and
 * every confirmation an instance answers with is kept for the schema check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { iso18626Route } from '../../adapters/http/iso18626-route.ts';
import { startCatalogListener, type CatalogListener } from '../../adapters/http/catalog-listener.ts';
import type { HttpRoute } from '../../adapters/http/http-app.ts';
import { createJala, type Jala } from '../../src/app/create-jala.ts';
import type { BotActor, BotResult } from '../../src/bot/bot-types.ts';
import { DEFAULT_DATA_DIR } from '../../src/config/data-dir.ts';
import { createIllService, type IllService } from '../../src/bot/ill-commands.ts';
import type { PartnerLink } from '../../src/iso18626/partner-link.ts';
import { SqliteIllStore, type IllRequestRow } from '../../src/store/sqlite-ill-store.ts';
import { freePort } from './oai-peer.ts';
import { sampleDataDir } from './sample-jala.ts';
import { TcpGate } from './tcp-gate.ts';
import { illCommand } from './ill-request.ts';
import { sqliteOf } from './sqlite-of.ts';

export const SECRET = 'shared-secret-A-B-2027';

export interface JalaNode {
  name: string;
  jala: Jala;
  ill: IllService;
  link: PartnerLink;
  store: SqliteIllStore;
  gate: TcpGate;
  /** every confirmation this instance answered with */
  confirmations: string[];
  /** a librarian's command, e.g. `accept R3`; throws on an error reply */
  cmd(library: string, text: string): BotResult;
  request(id: number): IllRequestRow;
  stop(): Promise<void>;
}

export interface Clock {
  now: () => Date;
  advanceMinutes(m: number): void;
}

export function manualClock(start: string): Clock {
  let t = Date.parse(start);
  return { now: () => new Date(t), advanceMinutes: (m) => (t += m * 60_000) };
}

const librarian = (library: string): BotActor => ({ platform: 'cli', userId: `lib-${library}`, role: 'librarian', library });

async function startNode(name: string, configure: (config: Record<string, unknown>) => void, listenPort: number, gate: TcpGate, clock: Clock): Promise<JalaNode> {
  const { dataDir, configPath } = sampleDataDir(configure, { prefix: `jala-iso-${name}-` });
  const jala = await createJala({ dataDir, configPath, ingestMissing: true });
  const ill = createIllService(jala, { now: clock.now });
  const link = ill.partners;
  if (!link) throw new Error(`${name}: no partners configured`);
  const confirmations: string[] = [];
  const route = iso18626Route(link, { deliverAfterReceive: false, log: () => {} });
  const recording: HttpRoute = {
    ...route,
    handle: async (request, client) => {
      const res = await route.handle(request, client);
      if (typeof res.body === 'string') confirmations.push(res.body);
      return res;
    },
  };
  const listener: CatalogListener = await startCatalogListener(jala, { port: listenPort, host: '127.0.0.1', routes: [recording], log: () => {} });
  const store = new SqliteIllStore(sqliteOf(jala.store));
  return {
    name,
    jala,
    ill,
    link,
    store,
    gate,
    confirmations,
    cmd: (library, text) => {
      const r = ill.handleCommand({ actor: librarian(library), conversationId: `t-${name}`, text: '' }, illCommand(text), 'en');
      const first = r.replies[0];
      if (first?.error) throw new Error(`${name} ${library} "${text}": ${first.error} ${JSON.stringify(first.blocks)}`);
      return r;
    },
    request: (id) => {
      const r = store.request(id);
      if (!r) throw new Error(`${name}: no request R${id}`);
      return r;
    },
    stop: async () => {
      await listener.stop();
      await gate.close();
      jala.close();
    },
  };
}

export async function startPair(clock: Clock, tweak: { a?: (c: Record<string, unknown>) => void; b?: (c: Record<string, unknown>) => void } = {}): Promise<{ a: JalaNode; b: JalaNode }> {
  const [portA, portB] = [await freePort(), await freePort()];
  const gateA = await new TcpGate(portA).start();
  const gateB = await new TcpGate(portB).start();
  const partner = (code: string, name: string, value: string, gatePort: number) => ({
    code, name, agencyId: { type: 'ISIL', value }, endpoint: `http://127.0.0.1:${gatePort}/iso18626`,
    auth: { sharedSecret: SECRET, ipAllow: ['127.0.0.1'] }, rotaPosition: 'before-members', timeoutSeconds: 10,
  });
  const a = await startNode('A', (c) => {
    const libs = c.libraries as Array<Record<string, unknown>>;
    for (const l of libs) l.agencyId = { type: 'ISIL', value: `ID-${String(l.code)}` };
    c.ill = { maxRenewals: 2 };
    c.iso18626 = { partners: [partner('UNAIR', 'Perpustakaan Universitas Airlangga (partner)', 'ID-UNAIR', gateB.port)] };
    tweak.a?.(c);
  }, portA, gateA, clock);
  const b = await startNode('B', (c) => {
    const sample = JSON.parse(fs.readFileSync(path.join(DEFAULT_DATA_DIR, 'consortium.json'), 'utf8')) as { libraries: Array<Record<string, unknown>> };
    const like = (code: string, name: string, from: string): Record<string, unknown> => {
      const l = sample.libraries.find((x) => x.code === from) as Record<string, unknown>;
      return { ...l, code, name, aliases: [], closedDates: [], files: (l.files as string[]).map((f) => path.resolve(DEFAULT_DATA_DIR, f)), agencyId: { type: 'ISIL', value: `ID-${code}` } };
    };
    c.name = 'Jaringan B';
    c.libraries = [like('UNAIR', 'Perpustakaan Universitas Airlangga', 'UI'), like('ITB', 'Perpustakaan ITB', 'USU')];
    c.ill = { maxRenewals: 2 };
    c.iso18626 = { partners: [partner('UGM', 'Perpustakaan UGM (partner)', 'ID-UGM', gateA.port)] };
    tweak.b?.(c);
  }, portB, gateB, clock);
  return { a, b };
}

/** Sends both outboxes until nothing more goes out (answers queued by a delivery go in the next round). */
export async function settle(...nodes: JalaNode[]): Promise<{ sent: number; refused: number; failed: number }> {
  const total = { sent: 0, refused: 0, failed: 0 };
  for (let round = 0; round < 30; round++) {
    let progressed = 0;
    for (const n of nodes) {
      const r = await n.link.deliver();
      total.sent += r.sent;
      total.refused += r.refused;
      total.failed += r.failed;
      progressed += r.sent + r.refused;
    }
    if (progressed === 0) return total;
  }
  throw new Error('the partner outboxes did not settle in 30 rounds');
}

/** The request id a command's reply names (R12 → 12). */
export function requestIdOf(r: BotResult): number {
  const id = r.replies[0]?.request?.id;
  if (!id) throw new Error(`no request in ${JSON.stringify(r.replies[0])}`);
  return Number(id.slice(1));
}

/** The lending request a partner's request became on this instance. */
export function lendingRequestFor(node: JalaNode, partner: string, requestingAgencyRequestId: string): IllRequestRow {
  const ex = node.link.store.exchanges().find((e) => e.partner === partner && e.partnerRole === 'requester' && e.requestingAgencyRequestId === requestingAgencyRequestId);
  if (!ex || ex.requestId === null) throw new Error(`${node.name}: no lending request for ${partner} ${requestingAgencyRequestId}`);
  return node.request(ex.requestId);
}
