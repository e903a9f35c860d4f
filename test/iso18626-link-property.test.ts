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
import { DEFAULT_DATA_DIR } from '../src/config/data-dir.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { createIllService, type IllService } from '../src/bot/ill-commands.ts';
import { ILL_ACTION_NAMES, REQUESTER_STATES, TRANSITIONS, reachableTargets, type IllAction } from '../src/ill/ill-states.ts';
import { ACTIONS, REASONS_FOR_MESSAGE, REASON_RETRY, REASON_UNFILLED, STATUSES } from '../src/iso18626/iso18626-codes.ts';
import { writeIso18626 } from '../src/iso18626/iso18626-writer.ts';
import { buildMessage } from '../src/iso18626/outgoing-intent.ts';
import { buildRequestMessage } from '../src/iso18626/partner-request.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { manualClock } from './support/iso18626-pair.ts';
import { tempDir } from './support/paths.ts';
import { illCommand } from './support/ill-request.ts';
import { sqliteOf } from './support/sqlite-of.ts';

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
  store = new SqliteIllStore(sqliteOf(jala.store));
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

/** A member borrowing: random supplyingAgencyMessages from the lending partner, and the member's librarian. */
type LenderStep =
  | { who: 'partner'; reason: (typeof REASONS_FOR_MESSAGE)[number]; status: (typeof STATUSES)['1.2'][number]; answer: 'Y' | 'N' | undefined; code: string | undefined; note: string | undefined; due: boolean }
  | { who: 'librarian'; action: IllAction; details: string | undefined };

const lenderStep: fc.Arbitrary<LenderStep> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      who: fc.constant('partner' as const),
      reason: fc.constantFrom(...REASONS_FOR_MESSAGE),
      status: fc.constantFrom(...STATUSES['1.2']),
      answer: fc.constantFrom(undefined, 'Y' as const, 'N' as const),
      code: fc.constantFrom(undefined, ...REASON_UNFILLED, ...REASON_RETRY),
      note: fc.constantFrom(undefined, '#ReShareAddLoanCondition# library use only', 'Condition: LibraryUseOnly, Conditions pending approval, please respond `ACCEPT` or `REJECT`', 'on its way'),
      due: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      who: fc.constant('librarian' as const),
      action: fc.constantFrom(...ILL_ACTION_NAMES.filter((a) => a !== 'timeout' && a !== 'overdue')),
      details: fc.constantFrom(undefined, '2027-03-01', 'too expensive', 'a note'),
    }),
  },
);

it(`random lending-partner messages and a borrowing member's steps never leave the state table (seed ${SEED})`, async () => {
  const dataDir = tempDir('jala-iso-property-b-');
  fs.writeFileSync(path.join(dataDir, 'consortium.json'), JSON.stringify({
    libraries: [
      { code: 'MEMBER', name: 'Borrowing member', agencyId: { type: 'ISIL', value: 'ID-M' } },
      { code: 'OTHER', name: 'Holding member', files: [path.join(DEFAULT_DATA_DIR, 'records', 'UI')], holdingsProfile: 'marc852' },
    ],
    ill: { maxRenewals: 2 },
    iso18626: { partners: [{ code: 'PX', name: 'Partner X', agencyId: { type: 'ISIL', value: 'US-PX' }, endpoint: 'http://127.0.0.1:9/iso18626', auth: { ipAllow: ['127.0.0.1'] }, rotaPosition: 'before-members' }] },
  }));
  const j = await createJala({ dataDir, configPath: path.join(dataDir, 'consortium.json'), ingestMissing: true });
  try {
    const service = createIllService(j, { now: clock.now });
    const link = service.partners;
    if (!link) throw new Error('no link');
    const s2 = new SqliteIllStore(sqliteOf(j.store));
    const work = j.ask('The rainbow troops').results[0]?.workId;
    if (!work) throw new Error('no work');
    const member: BotActor = { platform: 'cli', userId: 'lib-b', role: 'librarian', library: 'MEMBER' };
    fc.assert(
      fc.property(fc.array(lenderStep, { minLength: 1, maxLength: 14 }), (steps) => {
        const placed = service.handleCommand({ actor: member, conversationId: 'p', text: '' }, illCommand(`request ${work}`), 'en');
        const id = Number(placed.replies[0]?.request?.id.slice(1));
        expect(s2.request(id)).toMatchObject({ state: 'SENT', supplier: 'PX' });
        const exchange = link.store.exchanges().find((e) => e.requestId === id && e.partnerRole === 'supplier');
        if (!exchange) throw new Error('no exchange');
        const ex = { version: '1.2' as const, requestingAgencyId: MEMBER, supplyingAgencyId: PARTNER, requestingAgencyRequestId: exchange.requestingAgencyRequestId };
        for (const st of steps) {
          if (st.who === 'librarian') {
            service.act(member, id, st.action, st.details, undefined, 'en');
            continue;
          }
          const unfilled = st.status === 'Unfilled' && st.code && (REASON_UNFILLED as readonly string[]).includes(st.code) ? { reasonUnfilled: st.code } : {};
          const retry = st.status === 'RetryPossible' && st.code && (REASON_RETRY as readonly string[]).includes(st.code) ? { reasonRetry: st.code } : {};
          const xml = writeIso18626(buildMessage({
            kind: 'supplyingAgencyMessage', reasonForMessage: st.reason, status: st.status,
            ...(st.answer ? { answerYesNo: st.answer } : {}), ...unfilled, ...retry, ...(st.note ? { note: st.note } : {}), ...(st.due ? { dueDate: '2027-03-15' } : {}),
          }, ex, clock.now()), '1.2');
          const r = link.receive(xml, '127.0.0.1');
          expect(r.status).toBe(200);
          expect(r.xml, `${st.status} (${st.reason} ${st.answer ?? ''}) in ${s2.request(id)?.state}`).not.toMatch(/cannot apply/);
        }
        expect(REQUESTER_STATES).toContain(s2.request(id)?.state);
      }),
      { seed: SEED, numRuns: 60 },
    );
  } finally {
    j.close();
  }
}, 180_000);
