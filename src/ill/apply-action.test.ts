import { describe, expect, it } from 'vitest';
import type { Actor } from '../common/actor.ts';
import { applyAction, type Change, type TransitionContext } from './apply-action.ts';
import type { IllRequest, RotaEntry } from './ill-request.ts';
import type { RotaPlan } from './lender-selection.ts';

const NOW = new Date('2026-03-02T08:00:00Z'); // a Monday

function request(over: Partial<IllRequest> = {}): IllRequest {
  return {
    id: 7, workId: 3, title: 'Laskar Pelangi', requester: 'UGM', supplier: null, state: 'NEW', supplierState: null,
    priorState: null, priorSupplierState: null, version: 1, placedBy: 'patron', patronPlatform: 'slack', patronUserId: 'U1',
    patronName: null, needBy: null, note: null, serviceLevel: 'normal', condition: null, dueDate: null, renewals: 0,
    responseDeadline: null, reminderSent: 0, dueReminderSent: 0, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(),
    closedAt: null, outcome: null, purgedAt: null, ...over,
  };
}

const librarian = (library: string): Actor => ({ platform: 'slack', userId: `L-${library}`, role: 'librarian', library });

function ctx(rota: RotaEntry[] = [], plan?: RotaPlan): TransitionContext {
  return {
    now: NOW,
    policy: { maxRenewals: 1, rushHours: 24, responseDays: 4 },
    loanPeriodDays: () => 14,
    rota,
    planRota: () => {
      if (!plan) throw new Error('the rota was planned although the request has one');
      return plan;
    },
  };
}

const of = <T extends Change['type']>(changes: Change[], type: T): Array<Extract<Change, { type: T }>> => changes.filter((c): c is Extract<Change, { type: T }> => c.type === type);

const selected = (library: string, position = 0): RotaEntry => ({ position, library, status: 'selected', reason: { kind: 'chosen', code: 'available', lent: 0, borrowed: 0, openQueue: 0 } });
const pending = (library: string, position: number): RotaEntry => ({ position, library, status: 'pending', reason: { kind: 'chosen', code: 'on-loan', lent: 1, borrowed: 0, openQueue: 2 } });

describe('applyAction', () => {
  it('routes an approved request to the first lender of a new rota, and tells both libraries and the patron', () => {
    const plan: RotaPlan = {
      chosen: [{ library: 'UI', reason: 'available', lent: 0, borrowed: 0, openQueue: 0 }, { library: 'ITB', reason: 'on-loan', lent: 2, borrowed: 1, openQueue: 1 }],
      skipped: [{ library: 'DISPUSIP', reason: 'does-not-lend' }],
      localAvailable: false,
    };
    const r = applyAction(request(), { action: 'approve' }, librarian('UGM'), ctx([], plan));
    if (!r.ok) throw new Error(r.error.code);
    expect(of(r.value, 'insert-rota')[0]?.entries.map((e) => [e.library, e.status, e.reason.kind])).toEqual([['UI', 'pending', 'chosen'], ['ITB', 'pending', 'chosen'], ['DISPUSIP', 'skipped', 'skipped']]);
    expect(of(r.value, 'set-rota-status')).toEqual([{ type: 'set-rota-status', position: 0, status: 'selected' }]);
    const update = of(r.value, 'update-request')[0];
    expect(update?.changes).toMatchObject({ state: 'SENT', supplier: 'UI', supplierState: 'NEW', responseDeadline: '2026-03-06T08:00:00.000Z' });
    expect(of(r.value, 'append-event').map((c) => [c.event.action, c.event.fromState, c.event.toState])).toEqual([['approve', 'NEW', 'SOURCING'], ['route', 'SOURCING', 'SENT']]);
    expect(of(r.value, 'notify').map((c) => c.notice.target)).toEqual([
      { type: 'library', library: 'UGM' }, { type: 'library', library: 'UI' }, { type: 'user', platform: 'slack', userId: 'U1' },
    ]);
  });

  it('holds a request in LOCAL_REVIEW when its own library has a copy on the shelf', () => {
    const r = applyAction(request(), { action: 'approve' }, librarian('UGM'), ctx([], { chosen: [{ library: 'UI', reason: 'available', lent: 0, borrowed: 0, openQueue: 0 }], skipped: [], localAvailable: true }));
    if (!r.ok) throw new Error(r.error.code);
    expect(of(r.value, 'update-request')[0]?.changes.state).toBe('LOCAL_REVIEW');
    expect(of(r.value, 'set-rota-status')).toEqual([]);
  });

  it('ends a declining lender’s turn with the ISO 18626 reason its words name, asks the next one, and tells the lender its turn ended', () => {
    const r = applyAction(
      request({ state: 'SENT', supplier: 'UI', supplierState: 'NEW' }),
      { action: 'decline', details: 'rusak sampulnya' },
      librarian('UI'),
      ctx([selected('UI', 0), pending('ITB', 1)]),
    );
    if (!r.ok) throw new Error(r.error.code);
    expect(of(r.value, 'set-rota-status')).toEqual([
      { type: 'set-rota-status', position: 0, status: 'declined', reason: { kind: 'ended', code: 'PoorCondition' } },
      { type: 'set-rota-status', position: 1, status: 'selected' },
    ]);
    expect(of(r.value, 'update-request')[0]?.changes).toMatchObject({ state: 'SENT', supplier: 'ITB' });
    expect(of(r.value, 'append-event')[0]?.event.note).toBe('PoorCondition: rusak sampulnya');
    expect(of(r.value, 'notify').at(-1)?.notice).toMatchObject({ target: { type: 'library', library: 'UI' }, endedLender: 'UI' });
  });

  it('ends UNFILLED when the rota has nobody left, and the headline offers to ask again', () => {
    const r = applyAction(request({ state: 'SENT', supplier: 'UI', supplierState: 'NEW' }), { action: 'timeout' }, 'system', ctx([selected('UI')]));
    if (!r.ok) throw new Error(r.error.code);
    expect(of(r.value, 'update-request')[0]?.changes).toMatchObject({ state: 'UNFILLED', outcome: 'unfilled', closedAt: NOW.toISOString() });
    expect(of(r.value, 'notify')[0]?.notice.headline).toEqual({ actor: 'system', action: 'timeout', requestId: 7, from: 'SENT', to: 'UNFILLED', unfilled: { workId: 3 } });
  });

  it('refuses a click on a card older than the request, a lender acting on another library’s request, and a second renewal', () => {
    expect(applyAction(request({ state: 'SENT', supplier: 'UI', version: 4 }), { action: 'accept', version: 3 }, librarian('UI'), ctx())).toEqual({ ok: false, error: { code: 'ill/stale', requestId: 7 } });
    expect(applyAction(request({ state: 'SENT', supplier: 'UI' }), { action: 'accept' }, librarian('ITB'), ctx())).toEqual({ ok: false, error: { code: 'ill/forbidden' } });
    expect(applyAction(request({ state: 'RECEIVED', supplier: 'UI', renewals: 1 }), { action: 'renew' }, librarian('UGM'), ctx())).toEqual({
      ok: false, error: { code: 'ill/not-allowed-now', action: 'renew', state: 'RECEIVED', maxRenewals: 1 },
    });
  });

  it('asks for the details an action needs, and for a real date', () => {
    expect(applyAction(request({ state: 'SENT', supplier: 'UI' }), { action: 'decline', details: ' ' }, librarian('UI'), ctx())).toEqual({ ok: false, error: { code: 'ill/needs-details', action: 'decline', needs: 'reason' } });
    expect(applyAction(request({ state: 'WILL_SUPPLY', supplier: 'UI' }), { action: 'ship', details: '2026-02-30 by post' }, librarian('UI'), ctx())).toEqual({ ok: false, error: { code: 'ill/bad-date', text: '2026-02-30' } });
  });

  it('ships with the lender’s loan period when no due date is given', () => {
    const r = applyAction(request({ state: 'WILL_SUPPLY', supplier: 'UI', supplierState: 'WILL_SUPPLY' }), { action: 'ship' }, librarian('UI'), ctx([selected('UI')]));
    if (!r.ok) throw new Error(r.error.code);
    expect(of(r.value, 'update-request')[0]?.changes).toMatchObject({ state: 'SHIPPED', supplierState: 'SHIPPED', dueDate: '2026-03-16' });
    expect(of(r.value, 'set-rota-status')).toEqual([{ type: 'set-rota-status', position: 0, status: 'supplied' }]);
  });
});
