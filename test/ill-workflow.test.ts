import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { createIllService, type IllService } from '../src/bot/ill-commands.ts';
import { ILL_ACTION_NAMES, REQUESTER_STATES, TRANSITIONS, reachableTargets, type IllAction, type RequesterState, type TransitionRow } from '../src/ill/ill-states.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { JALA_BIN } from './support/paths.ts';
import { sampleJala } from './support/sample-jala.ts';
import { illCommand } from './support/ill-request.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const run = promisify(execFile);

const librarian = (library: string): BotActor => ({ platform: 'cli', userId: `lib-${library}`, role: 'librarian', library });
const patron = (userId: string, library: string): BotActor => ({ platform: 'cli', userId, role: 'patron', library, displayName: `Patron ${userId}` });
const admin: BotActor = { platform: 'cli', userId: 'root', role: 'admin', library: 'DISPUSIP' };

/** A clock the tests move by hand. */
function manualClock(start: string): { now: () => Date; set: (iso: string) => void; advanceHours: (h: number) => void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), set: (iso) => (t = Date.parse(iso)), advanceHours: (h) => (t += h * 3600_000) };
}

let jala: Jala;
let workOf: (title: string) => string;

beforeAll(async () => {
  jala = await sampleJala();
  workOf = (title) => {
    const hit = jala.ask(title).results.find((r) => r.title.toLowerCase().startsWith(title.toLowerCase()));
    if (!hit) throw new Error(`no work ${title}`);
    return hit.workId;
  };
});
afterAll(() => jala.close());

function placeAsLibrarian(ill: IllService, library: string, item: string): number {
  const r = ill.handleCommand({ actor: librarian(library), conversationId: 't', text: '' }, illCommand(`request ${item}`), 'en');
  const id = r.replies[0]?.request?.id;
  if (!id) throw new Error(`not placed: ${JSON.stringify(r.replies[0])}`);
  return Number(id.slice(1));
}

describe('the state table, row by row', () => {
  const detailsFor = (row: TransitionRow): string | undefined =>
    row.needs === 'date' ? '2027-01-15' : row.needs === 'reason' ? (row.action === 'decline' ? 'not-on-shelf' : 'a reason') : row.needs === 'text' ? 'some details' : undefined;

  it('every row takes a request from each of its states to where the table says, with an event', () => {
    const ill = createIllService(jala);
    const store = new SqliteIllStore(sqliteOf(jala.store));
    const rainbow = workOf('The rainbow troops'); // held only by UI
    let walked = 0;
    for (const row of TRANSITIONS) {
      for (const from of row.from) {
        const id = placeAsLibrarian(ill, 'UGM', rainbow);
        // put the request in the row's state (the supplier side as it would be there)
        const before = store.request(id);
        if (!before) throw new Error('missing');
        store.db.prepare("UPDATE ill_requests SET state = ?, prior_state = 'RECEIVED', prior_supplier_state = 'ON_LOAN', closed_at = NULL WHERE id = ?").run(from, id);
        const events = store.events(id).length;
        const actor = row.side === 'requester' ? librarian('UGM') : row.side === 'supplier' ? librarian('UI') : row.side === 'admin' ? admin : ('system' as const);
        const outcome = ill.act(actor, id, row.action, detailsFor(row), undefined, 'en');
        expect(outcome.ok, `${row.action} by ${row.side} from ${from}: ${outcome.ok ? '' : outcome.message}`).toBe(true);
        if (!outcome.ok) continue;
        const expected = row.to === 'PRIOR' ? ['RECEIVED'] : reachableTargets(row);
        expect(expected, `${row.action} from ${from}`).toContain(outcome.request.state);
        expect(store.events(id).length).toBeGreaterThan(events);
        expect(store.events(id).some((e) => e.action === row.action && e.fromState === from)).toBe(true);
        walked++;
      }
    }
    expect(walked).toBe(TRANSITIONS.reduce((n, r) => n + r.from.length, 0));
  });

  it('refuses wrong-library and wrong-role actions with a clear message and changes nothing', () => {
    const ill = createIllService(jala);
    const store = new SqliteIllStore(sqliteOf(jala.store));
    const id = placeAsLibrarian(ill, 'UGM', workOf('The rainbow troops'));
    const before = store.request(id);
    const events = store.events(id).length;
    for (const [actor, action] of [
      [librarian('UGM'), 'accept'], // the borrower cannot accept for the lender
      [librarian('USU'), 'accept'], // another library
      [patron('stranger', 'UGM'), 'cancel'], // a patron who did not place it
      [{ ...librarian('UI'), role: 'patron' as const }, 'accept'], // right library, wrong role
    ] as Array<[BotActor, IllAction]>) {
      const o = ill.act(actor, id, action, undefined, undefined, 'en');
      expect(o.ok).toBe(false);
      if (!o.ok) {
        expect(o.error).toBe('ill/forbidden');
        expect(o.message).toMatch(/only librarians of the library concerned/);
      }
    }
    expect(store.request(id)).toEqual(before);
    expect(store.events(id).length).toBe(events);
  });

  it('a double click (two identical actions on the same card version) makes exactly one transition', () => {
    const ill = createIllService(jala);
    const store = new SqliteIllStore(sqliteOf(jala.store));
    const id = placeAsLibrarian(ill, 'UGM', workOf('The rainbow troops'));
    const version = store.request(id)?.version as number;
    const first = ill.act(librarian('UI'), id, 'accept', undefined, version, 'en');
    const second = ill.act(librarian('UI'), id, 'accept', undefined, version, 'en');
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error).toBe('ill/stale');
    expect(store.events(id).filter((e) => e.action === 'accept')).toHaveLength(1);
  });
});

describe('random action sequences (property)', () => {
  it('never reach a state the table does not allow and never lose an event', () => {
    const ill = createIllService(jala);
    const store = new SqliteIllStore(sqliteOf(jala.store));
    const work = workOf('Negeri 5 menara'); // UGM, USU, DISPUSIP hold it
    const actors: Array<BotActor | 'system'> = [librarian('UI'), librarian('UGM'), librarian('USU'), librarian('DISPUSIP'), patron('p1', 'UI'), patron('p2', 'UI'), admin, 'system'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(actors.length - 1), fc.constantFrom(...ILL_ACTION_NAMES), fc.constantFrom(undefined, 'not-held', '2027-02-01', 'ok')), { minLength: 1, maxLength: 25 }),
        (steps) => {
          const placed = ill.handleCommand({ actor: patron('p1', 'UI'), conversationId: 'x', text: '' }, illCommand(`request ${work}`), 'en');
          const id = Number(placed.replies[0]?.request?.id.slice(1));
          for (const [who, action, details] of steps) {
            const before = store.request(id);
            const eventsBefore = store.events(id).length;
            if (!before) return false;
            const o = ill.act(actors[who] as BotActor | 'system', id, action, details, undefined, 'en');
            const after = store.request(id);
            if (!after || !REQUESTER_STATES.includes(after.state)) return false;
            if (o.ok) {
              const allowed = TRANSITIONS.some((r) => r.action === action && r.from.includes(before.state as RequesterState) && reachableTargets(r).concat(before.priorState ? [before.priorState] : []).includes(after.state));
              if (!allowed) return false;
              if (store.events(id).length <= eventsBefore) return false;
            } else {
              if (after.state !== before.state || after.version !== before.version) return false;
              if (store.events(id).length !== eventsBefore) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('timers with a fake clock', () => {
  it('reminds the lender, then times out to the next lender, and ends UNFILLED at the end of the rota', () => {
    const clock = manualClock('2026-11-23T09:00:00Z'); // a Monday
    const ill = createIllService(jala, { now: clock.now });
    const store = new SqliteIllStore(sqliteOf(jala.store));
    const id = placeAsLibrarian(ill, 'UI', workOf('Laskar pelangi'));
    const first = store.request(id);
    expect(first?.state).toBe('SENT');
    const rota = store.rota(id).filter((e) => e.status !== 'skipped').map((e) => e.library);
    expect(rota[0]).toBe(first?.supplier);
    expect(rota.length).toBeGreaterThanOrEqual(2);
    expect(store.rota(id).find((e) => e.library === 'DISPUSIP')?.reason).toEqual({ kind: 'skipped', code: 'does-not-lend' });

    clock.set('2026-11-26T10:00:00Z'); // a day before the 4-business-day deadline
    const reminders = ill.runTimers();
    expect(reminders.some((n) => n.target.type === 'library' && n.target.library === first?.supplier)).toBe(true);
    expect(store.request(id)?.state).toBe('SENT');

    let supplier = first?.supplier;
    for (let i = 1; i < rota.length; i++) {
      clock.advanceHours(24 * 7);
      ill.runTimers();
      const now = store.request(id);
      expect(now?.state).toBe('SENT');
      expect(now?.supplier).toBe(rota[i]);
      expect(store.rota(id).find((e) => e.library === supplier)?.status).toBe('timeout');
      supplier = now?.supplier;
    }
    clock.advanceHours(24 * 7);
    const last = ill.runTimers();
    expect(store.request(id)?.state).toBe('UNFILLED');
    expect(last.some((n) => JSON.stringify(n.reply).includes('/ill request w'))).toBe(true); // the re-request offer
  });

  it('reminds the patron before the due date and marks the loan overdue after it', () => {
    const clock = manualClock('2026-11-23T09:00:00Z');
    const ill = createIllService(jala, { now: clock.now });
    const store = new SqliteIllStore(sqliteOf(jala.store));
    const placed = ill.handleCommand({ actor: patron('reader', 'UGM'), conversationId: 'c', text: '' }, illCommand(`request ${workOf('The rainbow troops')}`), 'en');
    const id = Number(placed.replies[0]?.request?.id.slice(1));
    expect(store.request(id)?.state).toBe('NEW');
    expect(ill.act(librarian('UGM'), id, 'approve', undefined, undefined, 'en').ok).toBe(true);
    expect(ill.act(librarian('UI'), id, 'ship', '2026-12-10', undefined, 'en').ok).toBe(true);
    expect(ill.act(librarian('UGM'), id, 'receive', undefined, undefined, 'en').ok).toBe(true);
    clock.set('2026-12-08T08:00:00Z');
    const reminders = ill.runTimers();
    expect(reminders.some((n) => n.target.type === 'user' && n.target.userId === 'reader')).toBe(true);
    clock.set('2026-12-11T08:00:00Z');
    ill.runTimers();
    expect(store.request(id)?.state).toBe('OVERDUE');
  });

  it('erases the patron from a closed request after the retention period', () => {
    const clock = manualClock('2026-11-23T09:00:00Z');
    const ill = createIllService(jala, { now: clock.now });
    const store = new SqliteIllStore(sqliteOf(jala.store));
    const placed = ill.handleCommand({ actor: patron('private-person', 'UGM'), conversationId: 'c', text: '' }, illCommand(`request ${workOf('The rainbow troops')}`), 'en');
    const id = Number(placed.replies[0]?.request?.id.slice(1));
    expect(ill.act(patron('private-person', 'UGM'), id, 'cancel', undefined, undefined, 'en').ok).toBe(true);
    clock.set('2026-12-01T00:00:00Z');
    ill.runTimers();
    expect(store.request(id)?.patronUserId).toBe('private-person');
    clock.set('2027-03-01T00:00:00Z'); // past the 90-day retention
    ill.runTimers();
    expect(store.request(id)?.patronUserId).toBeNull();
    expect(store.request(id)?.patronName).toBeNull();
  });
});

describe('the outbox', () => {
  it('keeps each event\'s messages until every platform that reaches the target has delivered them', async () => {
    const j = await sampleJala((c) => {
      const libs = c.libraries as Array<{ code: string; channels: { slack: string[]; discord: string[] } }>;
      for (const l of libs) l.channels = { slack: [`C-${l.code}`], discord: l.code === 'UGM' ? [`D-${l.code}`] : [] };
    });
    try {
      const ill = createIllService(j);
      const id = placeAsLibrarian(ill, 'UGM', workOf('The rainbow troops'));
      const slack = ill.outbox.pending('slack').filter((m) => m.requestId === `R${id}`);
      const discord = ill.outbox.pending('discord').filter((m) => m.requestId === `R${id}`);
      expect(slack.map((m) => (m.target.type === 'library' ? m.target.library : '')).sort()).toEqual(['UGM', 'UI']);
      expect(discord.map((m) => (m.target.type === 'library' ? m.target.library : ''))).toEqual(['UGM']);
      ill.outbox.failed(slack[0]?.id as number, 'slack', 'HTTP 500', 0);
      ill.outbox.delivered(slack[1]?.id as number, 'slack');
      expect(ill.outbox.pending('slack').filter((m) => m.requestId === `R${id}`).map((m) => m.id)).toEqual([slack[0]?.id]);
      expect(ill.outbox.pending('discord').filter((m) => m.requestId === `R${id}`)).toHaveLength(1);
    } finally {
      j.close();
    }
  });

  it('holds a later message about a request back while an earlier one to the same target waits for its retry', async () => {
    const j = await sampleJala((c) => {
      const libs = c.libraries as Array<{ code: string; channels: { slack: string[]; discord: string[] } }>;
      for (const l of libs) l.channels = { slack: [`C-${l.code}`], discord: [] };
    });
    try {
      const clock = manualClock('2026-06-01T08:00:00Z');
      const ill = createIllService(j, { now: clock.now });
      const id = placeAsLibrarian(ill, 'UGM', workOf('The rainbow troops'));
      const other = placeAsLibrarian(ill, 'UGM', workOf('The rainbow troops'));
      const toUgm = (rid: number) => ill.outbox.pending('slack').filter((m) => m.requestId === `R${rid}` && m.target.type === 'library' && m.target.library === 'UGM');
      const first = toUgm(id)[0];
      expect(first).toBeDefined();
      ill.outbox.failed(first?.id as number, 'slack', 'request_failed', 60_000);
      // the lender accepts: a second message to UGM about the same request, and one to UI
      expect(ill.act(librarian('UI'), id, 'accept', undefined, undefined, 'en').ok).toBe(true);
      const pending = ill.outbox.pending('slack');
      expect(pending.filter((m) => m.requestId === `R${id}` && m.target.type === 'library' && m.target.library === 'UGM')).toEqual([]);
      expect(pending.filter((m) => m.requestId === `R${id}` && m.target.type === 'library' && m.target.library === 'UI').length).toBeGreaterThan(1);
      expect(toUgm(other)).toHaveLength(1); // another request is not held up
      clock.advanceHours(1); // the retry is due: both come, oldest first
      expect(toUgm(id).map((m) => m.id)).toEqual([first?.id, expect.any(Number)]);
    } finally {
      j.close();
    }
  });
});

describe('jala say, end to end', () => {
  it('walks a loan from request to COMPLETED between two libraries, refusing wrong roles and libraries', async () => {
    const j = await sampleJala();
    const dataDir = j.dataDir;
    j.close();
    const say = async (user: string, role: string, library: string, message: string): Promise<{ replies: Array<{ error?: string; request?: { id: string; state: string; requester: string; supplier?: string } }>; notifications: Array<{ target: { type: string; library?: string }; request?: { id: string; state: string; requester: string; supplier?: string } }> }> => {
      const { stdout } = await run(process.execPath, [JALA_BIN, 'say', '--json', '--user', user, '--role', role, '--library', library, '--data-dir', dataDir, message]);
      return JSON.parse(stdout);
    };
    const placed = await say('ugm-lib', 'librarian', 'UGM', '/ill request the rainbow troops note:for a thesis');
    const req = placed.replies[0]?.request;
    expect(req).toMatchObject({ state: 'SENT', requester: 'UGM', supplier: 'UI' });
    expect(placed.notifications.some((n) => n.target.library === 'UI' && n.request?.state === 'SENT')).toBe(true);
    const id = req?.id as string;

    const wrongLibrary = await say('usu-lib', 'librarian', 'USU', `/ill accept ${id}`);
    expect(wrongLibrary.replies[0]?.error).toBe('ill/forbidden');
    const wrongRole = await say('ui-patron', 'patron', 'UI', `/ill accept ${id}`);
    expect(wrongRole.replies[0]?.error).toBe('ill/forbidden');
    expect(wrongRole.notifications).toEqual([]);

    const steps: Array<[string, string, string]> = [
      ['UI', `/ill accept ${id}`, 'WILL_SUPPLY'],
      ['UI', `/ill ship ${id} 2027-01-10`, 'SHIPPED'],
      ['UGM', `/ill receive ${id}`, 'RECEIVED'],
      ['UGM', `/ill return ${id}`, 'RETURN_SHIPPED'],
      ['UI', `/ill checkin ${id}`, 'COMPLETED'],
    ];
    for (const [library, message, state] of steps) {
      const out = await say(`${library.toLowerCase()}-lib`, 'librarian', library, message);
      expect(out.replies[0]?.request?.state, message).toBe(state);
      expect(out.notifications.map((n) => n.target.library).sort()).toEqual(['UGM', 'UI']);
      expect(out.notifications.every((n) => n.request?.state === state && n.request.requester === 'UGM' && n.request.supplier === 'UI')).toBe(true);
    }
  });

  it('two processes pressing the same action at once make one transition', async () => {
    const j = await sampleJala();
    const ill = createIllService(j);
    const id = placeAsLibrarian(ill, 'UGM', workOf('The rainbow troops'));
    const dataDir = j.dataDir;
    j.close();
    const args = ['say', '--json', '--user', 'ui-lib', '--role', 'librarian', '--library', 'UI', '--data-dir', dataDir, `/ill accept R${id}`];
    const outs = await Promise.all([run(process.execPath, [JALA_BIN, ...args]), run(process.execPath, [JALA_BIN, ...args])]);
    const states = outs.map((o) => JSON.parse(o.stdout) as { replies: Array<{ error?: string }> });
    expect(states.filter((s) => !s.replies[0]?.error)).toHaveLength(1);
    const j2 = await sampleJalaReopen(dataDir);
    expect(new SqliteIllStore(sqliteOf(j2.store)).events(id).filter((e) => e.action === 'accept')).toHaveLength(1);
    j2.close();
  });
});

async function sampleJalaReopen(dataDir: string): Promise<Jala> {
  const { createJala } = await import('../src/app/create-jala.ts');
  return createJala({ dataDir });
}
