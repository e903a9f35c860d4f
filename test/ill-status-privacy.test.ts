import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply } from '../adapters/cli/render-reply.ts';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor, BotReply } from '../src/bot/bot-types.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { REQUESTER_STATES, TERMINAL_STATES, rowsFor, type RequesterState } from '../src/ill/ill-states.ts';
import { STATUS_VIEWERS, type StatusViewer } from '../src/ill/status-view.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { sampleJala } from './support/sample-jala.ts';
import { sqliteOf } from './support/sqlite-of.ts';

/**
 * "/ill status" and "/ill why" for every state a request can be in, as seen by every kind of viewer:
 * the patron who asked, their library's staff, the lender asked now, a lender whose turn ended, an
 * admin elsewhere, a library not asked, and another patron. The state list comes from the state
 * table, so a new state cannot be left out.
 */

const PATRON_NAME = 'Siti Rahayu Wulandari';
const PATRON_ID = 'U-siti-7731';
const PATRON_NOTE = 'for my thesis on Sumatran poetry';
const FORMER_LENDER_WORDS = 'copy is damaged at the spine';
const LENDER_OWN_WORDS = 'packed in the blue box';

const HOME = 'UGM';
const LENDER = 'UI';
const FORMER = 'USU';
const NOT_ASKED = 'DISPUSIP';

const actors: Record<StatusViewer, BotActor> = {
  patron: { platform: 'slack', userId: PATRON_ID, role: 'patron', library: HOME, displayName: PATRON_NAME },
  'home-staff': { platform: 'slack', userId: 'L-ugm', role: 'librarian', library: HOME },
  'current-lender': { platform: 'slack', userId: 'L-ui', role: 'librarian', library: LENDER },
  'former-lender': { platform: 'slack', userId: 'L-usu', role: 'librarian', library: FORMER },
  admin: { platform: 'slack', userId: 'A-dispusip', role: 'admin', library: NOT_ASKED },
  'other-library': { platform: 'slack', userId: 'L-dispusip', role: 'librarian', library: NOT_ASKED },
  'other-patron': { platform: 'slack', userId: 'U-other', role: 'patron', library: HOME, displayName: 'Budi' },
};

/** States reached before any lender is asked: no lender and no ended turn exist yet. */
const BEFORE_ANY_LENDER: ReadonlySet<RequesterState> = new Set(['NEW', 'DUPLICATE_REVIEW', 'LOCAL_REVIEW', 'SOURCING', 'FILLED_LOCALLY']);

let jala: Jala;
let bot: Bot;
let store: SqliteIllStore;
let workId: number;

beforeAll(async () => {
  jala = await sampleJala();
  // each message a few seconds after the one before, so the flood control never speaks
  let t = Date.parse('2026-11-24T09:00:00Z');
  const now = () => new Date((t += 5_000));
  bot = createBot(jala, { ill: createIllService(jala, { now }), now });
  store = new SqliteIllStore(sqliteOf(jala.store));
  const hit = jala.ask('Laskar pelangi').results[0];
  if (!hit) throw new Error('no sample work');
  workId = Number(hit.workId.slice(1));
});
afterAll(() => jala.close());

/** A patron's request in `state`, with a lender that declined before (when the state has lenders) and one asked now. */
function requestIn(state: RequesterState): number {
  const early = BEFORE_ANY_LENDER.has(state);
  const stamp = '2026-11-20T09:00:00.000Z';
  const id = store.insertRequest({
    workId, title: 'Laskar pelangi', requester: HOME, supplier: early ? null : LENDER, state,
    supplierState: early ? null : state === 'SHIPPED' ? 'SHIPPED' : 'WILL_SUPPLY', priorState: 'RECEIVED', priorSupplierState: 'ON_LOAN',
    placedBy: 'patron', patronPlatform: 'slack', patronUserId: PATRON_ID, patronName: PATRON_NAME,
    needBy: '2026-12-20', note: PATRON_NOTE, serviceLevel: 'normal', condition: null, dueDate: early ? null : '2027-01-15', renewals: 0,
    responseDeadline: null, reminderSent: 0, dueReminderSent: 0, createdAt: stamp, updatedAt: stamp, closedAt: TERMINAL_STATES.has(state) ? stamp : null, outcome: null, purgedAt: null,
  });
  store.appendEvent(id, { at: stamp, actorRole: 'patron', actorLibrary: HOME, action: 'place', fromState: null, toState: 'NEW', supplier: null, supplierFrom: null, supplierTo: null, note: PATRON_NOTE });
  if (early) {
    store.insertRota(id, [{ library: NOT_ASKED, status: 'pending', reason: { kind: 'chosen', code: 'available', lent: 0, borrowed: 0, openQueue: 0 } }]);
    return id;
  }
  store.insertRota(id, [
    { library: FORMER, status: 'declined', reason: { kind: 'ended', code: 'PoorCondition' } },
    { library: LENDER, status: 'selected', reason: { kind: 'chosen', code: 'available', lent: 0, borrowed: 0, openQueue: 0 } },
    { library: NOT_ASKED, status: 'pending', reason: { kind: 'chosen', code: 'on-loan', lent: 0, borrowed: 0, openQueue: 0 } },
  ]);
  store.appendEvent(id, { at: stamp, actorRole: 'librarian', actorLibrary: HOME, action: 'approve', fromState: 'NEW', toState: 'SENT', supplier: FORMER, supplierFrom: null, supplierTo: 'NEW', note: null });
  store.appendEvent(id, { at: stamp, actorRole: 'librarian', actorLibrary: FORMER, action: 'decline', fromState: 'SENT', toState: 'SENT', supplier: FORMER, supplierFrom: 'NEW', supplierTo: 'UNFILLED', note: `PoorCondition ${FORMER_LENDER_WORDS}` });
  store.appendEvent(id, { at: stamp, actorRole: 'librarian', actorLibrary: LENDER, action: 'note', fromState: 'SENT', toState: 'SENT', supplier: LENDER, supplierFrom: 'NEW', supplierTo: 'NEW', note: LENDER_OWN_WORDS });
  return id;
}

/** The viewer an actor is expected to be, from how the request was set up (not from the code under test). */
function expectedViewer(viewer: StatusViewer, state: RequesterState): StatusViewer {
  if (BEFORE_ANY_LENDER.has(state) && (viewer === 'current-lender' || viewer === 'former-lender')) return 'other-library';
  return viewer;
}

const ask = (actor: BotActor, text: string): BotReply => {
  const r = bot.handle({ actor, conversationId: `c-${actor.userId}`, text });
  const first = r.replies[0];
  if (!first) throw new Error(`no reply to ${text}`);
  expect(r.notifications).toEqual([]);
  return first;
};

describe('/ill status privacy, every state × every viewer', () => {
  for (const state of REQUESTER_STATES) {
    it(`shows each viewer only what it may see of a request in ${state}`, () => {
      const id = requestIn(state);
      for (const who of STATUS_VIEWERS) {
        const as = expectedViewer(who, state);
        const where = `${state} as ${who} (${as})`;
        const reply = ask(actors[who], `/ill status R${id}`);
        const text = renderReply(reply);
        const everything = JSON.stringify(reply);
        // nobody but the patron's own library ever sees who the patron is; the platform id reaches no one
        expect(everything, where).not.toContain(PATRON_ID);
        if (as === 'home-staff') expect(text, where).toContain(PATRON_NAME);
        else expect(everything, where).not.toContain(PATRON_NAME);
        // the note typed with the request: the patron and their library only
        if (as === 'patron' || as === 'home-staff') expect(text, where).toContain(PATRON_NOTE);
        else expect(everything, where).not.toContain(PATRON_NOTE);

        if (as === 'other-library' || as === 'other-patron') {
          expect(reply.error, where).toBe('ill/forbidden');
          expect(reply.actions, where).toEqual([]);
          expect(everything, where).not.toContain('Laskar');
          expect(reply.request, where).toBeUndefined();
          continue;
        }
        expect(reply.error, where).toBeUndefined();
        expect(text, where).toContain(`R${id}`);
        expect(text, where).toContain('Laskar pelangi');

        // a lender's own words reach its own library (and the borrowing library); a decline's reason also reaches the borrowing side and an admin, never the next lender
        if (!BEFORE_ANY_LENDER.has(state)) {
          if (as === 'current-lender' || as === 'home-staff') expect(text, where).toContain(LENDER_OWN_WORDS);
          else expect(everything, where).not.toContain(LENDER_OWN_WORDS);
          if (as === 'former-lender' || as === 'home-staff' || as === 'patron' || as === 'admin') expect(text, where).toContain(FORMER_LENDER_WORDS);
          else expect(everything, where).not.toContain(FORMER_LENDER_WORDS);
        }

        // buttons: only the viewer's own side's actions possible in this state (a patron only the patron's)
        const ids = reply.actions.map((a) => a.id.replace(/^ill:/, ''));
        const side = as === 'current-lender' ? 'supplier' : as === 'admin' ? 'admin' : as === 'former-lender' ? undefined : 'requester';
        const allowed = new Set(side ? rowsFor(state, side).filter((row) => as !== 'patron' || row.patron).map((row) => row.action) : []);
        for (const a of ids) expect(allowed, `${where}: button ${a}`).toContain(a);
        if (side === undefined) expect(ids, where).toEqual([]);
        if (side && !TERMINAL_STATES.has(state)) {
          const expected = [...allowed].filter((a) => a !== 'note' && a !== 'timeout' && a !== 'overdue');
          expect(new Set(ids), where).toEqual(new Set(expected));
        }

        if (as === 'former-lender') {
          // its own turn, nothing of what came after: not the lender asked now, nor the dates
          expect(text, where).not.toContain(`${LENDER} (`);
          expect(text, where).not.toContain('2027-01-15');
          expect(reply.request, where).toBeUndefined();
        }
      }
    });
  }

  it('"/ill why" shows the whole rota to the borrowing side, a lender only its own line, and nothing to a library not asked', () => {
    const id = requestIn('SENT');
    const why = (who: StatusViewer) => ask(actors[who], `/ill why R${id}`);
    for (const who of ['patron', 'home-staff'] as const) {
      const t = renderReply(why(who));
      expect(t, who).toContain(FORMER);
      expect(t, who).toContain(NOT_ASKED);
      expect(t, who).toContain(FORMER_LENDER_WORDS);
    }
    const lender = renderReply(why('current-lender'));
    expect(lender).toContain(LENDER);
    expect(lender).not.toContain(FORMER);
    expect(lender).not.toContain(FORMER_LENDER_WORDS);
    const former = renderReply(why('former-lender'));
    expect(former).toContain(FORMER_LENDER_WORDS);
    expect(former).not.toContain(`${LENDER} —`);
    for (const who of ['other-library', 'other-patron'] as const) {
      const r = why(who);
      expect(r.error, who).toBe('ill/forbidden');
      expect(renderReply(r), who).not.toContain(NOT_ASKED);
    }
  });
});
