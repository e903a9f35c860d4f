import { afterEach, describe, expect, it, vi } from 'vitest';
import { PolledCatalogChanges } from '../catalog/polled-catalog-changes.ts';
import { followCatalog } from './follow-catalog.ts';

/** A catalog whose change sequence a test moves, followed by polling (the SQLite way) on fake timers. */
function setUp(opts: { failRefresh?: () => boolean; busy?: () => boolean } = {}) {
  let seq = 5;
  let indexed = 5;
  const refreshed: number[] = [];
  const lines: string[] = [];
  const stop = followCatalog({
    changes: new PolledCatalogChanges(() => seq, 1000),
    currentSeq: () => seq,
    indexedSeq: () => indexed,
    ...(opts.busy ? { busy: opts.busy } : {}),
    refresh: () => {
      if (opts.failRefresh?.()) throw new Error('store/unreachable-database: cannot connect');
      indexed = seq;
      refreshed.push(seq);
      return { how: 'caught-up', seq };
    },
    minIntervalMs: 10_000,
    say: (l) => lines.push(l),
  });
  return { move: (to: number) => (seq = to), refreshed, lines, stop };
}

describe('followCatalog', () => {
  afterEach(() => vi.useRealTimers());

  it('catches the index up when the change sequence moves, and not while it stays', () => {
    vi.useFakeTimers();
    const f = setUp();
    vi.advanceTimersByTime(5000);
    expect(f.refreshed).toEqual([]);
    f.move(9);
    vi.advanceTimersByTime(1300);
    expect(f.refreshed).toEqual([9]);
    expect(f.lines).toEqual(['jala: the search index followed the catalog from change 5 to 9 (caught-up)']);
    f.stop();
    f.move(12);
    vi.advanceTimersByTime(60_000);
    expect(f.refreshed).toEqual([9]);
  });

  it('catches up at most once per interval however often the catalog changes, and ends at the last change', () => {
    vi.useFakeTimers();
    const f = setUp();
    for (let s = 6; s <= 30; s++) {
      f.move(s);
      vi.advanceTimersByTime(1000);
    }
    // 25 s of changes every second: a catch-up at the first, then one per 10 s
    expect(f.refreshed.length).toBeLessThanOrEqual(4);
    vi.advanceTimersByTime(20_000);
    expect(f.refreshed.at(-1)).toBe(30);
    f.stop();
  });

  it('waits while a transaction of this process is open (its changes are not committed), then catches up', () => {
    vi.useFakeTimers();
    let inTransaction = true;
    const f = setUp({ busy: () => inTransaction });
    f.move(8);
    vi.advanceTimersByTime(30_000);
    expect(f.refreshed).toEqual([]);
    inTransaction = false;
    vi.advanceTimersByTime(300);
    expect(f.refreshed).toEqual([8]);
    f.stop();
  });

  it('logs a catch-up that failed and tries again later, even with no further change', () => {
    vi.useFakeTimers();
    let down = true;
    const f = setUp({ failRefresh: () => down });
    f.move(7);
    vi.advanceTimersByTime(1300);
    expect(f.refreshed).toEqual([]);
    expect(f.lines).toEqual(['jala: the search index could not follow the catalog (store/unreachable-database: cannot connect); trying again in 10 s']);
    down = false;
    vi.advanceTimersByTime(10_000);
    expect(f.refreshed).toEqual([7]);
    f.stop();
  });
});
