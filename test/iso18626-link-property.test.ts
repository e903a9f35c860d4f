/**
 * The property, through the real wiring: random sequences of a borrowing partner's messages (any
 * action, with notes that accept or reject terms, repeats), posted to /iso18626's handler,
 * interleaved with the lending member's librarian pressing any button, never take a request
 * outside the state table: no plan asks for a row the service refuses, every event in the log is a row of src/ill/ill-states.ts from its
 * state to a state the row can reach, every message gets a confirmation, and every message Jala
 * queues for the partner is one the writer accepted (it refuses anything the schema would).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJala, type Jala } from '../src/app/create-jala.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { createIllService, type IllService } from '../src/ill/ill-service.ts';
import { ILL_ACTION_NAMES, REQUESTER_STATES, TRANSITIONS, reachableTargets, type IllAction } from '../src/ill/ill-states.ts';
import { ACTIONS } from '../src/iso18626/iso18626-codes.ts';
import { writeIso18626 } from '../src/iso18626/iso18626-writer.ts';
import { buildMessage } from '../src/iso18626/outgoing-intent.ts';
import { buildRequestMessage } from '../src/iso18626/partner-request.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { manualClock } from './support/iso18626-pair.ts';
import { tempDir } from './support/paths.ts';

const SEED = Number(process.env.JALA_ISO_SEED ?? 20270201);
const clock = manualClock('2027-02-01T08:00:00.000Z');
const librarian: BotActor = { platform: 'cli', userId: 'lib-m', role: 'librarian', library: 'MEMBER' };
const PARTNER = { type: { value: 'ISIL' }, value: 'US-PX' };
const MEMBER = { type: { value: 'ISIL' }, value: 'ID-M' };
let jala: Jala;
let ill: IllService;
let store: SqliteIllStore;

beforeAll(async () => {
  const dataDir = tempDir('jala-iso-property-');
  fs.writeFileSync(path.join(dataDir, 'consortium.json'), JSON.stringify({
    libraries: [{ code: 'MEMBER', name: 'Member library', agencyId: { type: 'ISIL', value: 'ID-M' } }],
    ill: { maxRenewals: 2 },
    iso18626: { partners: [{ code: 'PX', name: 'Partner X', agencyId: { type: 'ISIL', value: 'US-PX' }, endpoint: 'http://127.0.0.1:9/iso18626', auth: { ipAllow: ['127.0.0.1'] } }] },
  }));
  jala = await createJala({ dataDir, configPath: path.join(dataDir, 'consortium.json') });
  ill = createIllService(jala, { now: clock.now });
  store = new SqliteIllStore(jala.store.db);
});
afterAll(() => jala?.close());

type Step =
  | { who: 'partner'; action: (typeof ACTIONS)['1.2'][number]; note: string | undefined }
  | { who: 'partner-retry' }
  | { who: 'librarian'; action: IllAction; details: string | undefined };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ who: fc.constant('partner' as const), action: fc.constantFrom(...ACTIONS['1.2']), note: fc.constantFrom(undefined, 'ACCEPT', 'REJECT', '#ReShareLoanConditionAgreeResponse#', 'thank you') }) },
  { weight: 1, arbitrary: fc.constant({ who: 'partner-retry' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      who: fc.constant('librarian' as const),
      action: fc.constantFrom(...ILL_ACTION_NAMES.filter((a) => a !== 'timeout' && a !== 'overdue')),
      details: fc.constantFrom(undefined, '2027-03-01', 'not-held', 'library use only', 'a note'),
    }),
  },
);

it(`random partner messages and librarian steps never leave the state table (seed ${SEED})`, () => {
  let n = 0;
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
      const link = ill.partners;
      if (!link) throw new Error('no link');
      const rid = `PX-${++n}`;
      const ex = { version: '1.2' as const, requestingAgencyId: PARTNER, supplyingAgencyId: MEMBER, requestingAgencyRequestId: rid };
      const first = link.receive(writeIso18626(buildRequestMessage({ title: `Buku ${n}` }, ex, clock.now()), '1.2'), '127.0.0.1');
      expect(first.xml).toMatch(/messageStatus>OK</);
      const exchange = link.store.exchanges().find((e) => e.requestingAgencyRequestId === rid);
      const id = exchange?.requestId as number;
      for (const s of steps) {
        if (s.who === 'librarian') {
          ill.act(librarian, id, s.action, s.details, undefined, 'en');
          continue;
        }
        const xml = s.who === 'partner-retry'
          ? writeIso18626(buildRequestMessage({ title: `Buku ${n}` }, ex, clock.now(), { kind: 'retryRequest', previousRequestId: rid }), '1.2')
          : writeIso18626(buildMessage({ kind: 'requestingAgencyMessage', action: s.action, ...(s.note ? { note: s.note } : {}) }, ex, clock.now()), '1.2');
        const r = link.receive(xml, '127.0.0.1');
        expect(r.status).toBe(200);
        expect(r.xml).toMatch(/messageStatus>(OK|ERROR)</);
        // a plan never asks for a row the table refuses in the request's state
        expect(r.xml, `${s.who === 'partner' ? s.action : 'Retry'} in ${store.request(id)?.state}`).not.toMatch(/cannot apply/);
      }
      const request = store.request(id);
      expect(REQUESTER_STATES).toContain(request?.state);
      for (const e of store.events(id)) {
        if (e.action === 'place' || e.action === 'route') continue;
        const from = e.fromState as (typeof REQUESTER_STATES)[number];
        const rows = TRANSITIONS.filter((t) => t.action === e.action && t.from.includes(from));
        expect(rows.length, `${e.action} from ${e.fromState}`).toBeGreaterThan(0);
        expect(rows.some((t) => reachableTargets(t).includes(e.toState as (typeof REQUESTER_STATES)[number]) || e.toState === 'SOURCING'), `${e.action} ${e.fromState} → ${e.toState}`).toBe(true);
      }
    }),
    { seed: SEED, numRuns: 60 },
  );
  // and Jala had things to say: every answer was written (the writer validates as it writes)
  expect(ill.partners?.store.outbox().length).toBeGreaterThan(60);
}, 120_000);
