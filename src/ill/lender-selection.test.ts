import { describe, expect, it } from 'vitest';
import { addBusinessDays, planRota, type LenderCandidate } from './lender-selection.ts';

const c = (library: string, over: Partial<LenderCandidate> = {}): LenderCandidate => ({
  library, lends: true, lastResort: false, closedToday: false, items: ['available'], lent: 0, borrowed: 0, openQueue: 0, ...over,
});

describe('planRota', () => {
  it('excludes the requester, non-lenders, closed libraries and library-use-only or missing copies, saying why', () => {
    const plan = planRota('A', [
      c('A'), c('B', { lends: false }), c('C', { closedToday: true }), c('D', { items: ['library-use-only'] }), c('E', { items: ['lost', 'withdrawn'] }), c('F'),
    ]);
    expect(plan.chosen.map((x) => x.library)).toEqual(['F']);
    expect(plan.skipped).toEqual([
      { library: 'A', reason: 'requester' },
      { library: 'B', reason: 'does-not-lend' },
      { library: 'C', reason: 'closed-today' },
      { library: 'D', reason: 'library-use-only' },
      { library: 'E', reason: 'missing' },
    ]);
    expect(plan.localAvailable).toBe(true);
  });

  it('asks libraries with a copy on the shelf before on-loan or unknown ones, and lenders of last resort last', () => {
    const plan = planRota('A', [c('Z', { lastResort: true }), c('Y', { items: ['on-loan'] }), c('X', { items: ['unknown'] }), c('W', { items: [] }), c('V')]);
    expect(plan.chosen.map((x) => [x.library, x.reason])).toEqual([
      ['V', 'available'], ['W', 'no-item-information'], ['X', 'status-unknown'], ['Y', 'on-loan'], ['Z', 'last-resort'],
    ]);
  });

  it('balances load: the library that lent least for what it borrowed goes first, then the shorter queue', () => {
    const plan = planRota('A', [c('B', { lent: 10, borrowed: 1 }), c('C', { lent: 1, borrowed: 10 }), c('D', { lent: 1, borrowed: 10, openQueue: 5 })]);
    expect(plan.chosen.map((x) => x.library)).toEqual(['C', 'D', 'B']);
  });
});

describe('addBusinessDays', () => {
  it('skips weekends', () => {
    // Friday 2026-11-27 + 1 business day = Monday 2026-11-30
    expect(addBusinessDays(new Date('2026-11-27T10:00:00Z'), 1).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(addBusinessDays(new Date('2026-11-23T10:00:00Z'), 4).toISOString()).toBe('2026-11-27T10:00:00.000Z');
  });
});
