import type { IllStore } from './ill-store.ts';

/** One library's interlibrary-loan figures. */
export interface IllLibraryStats {
  library: string;
  placed: number;
  /** placed requests a lender shipped */
  filled: number;
  /** median days from placing to receiving, over the received ones (undefined: none received) */
  medianDaysToReceive?: number;
  lent: number;
  borrowed: number;
  /** requests waiting on it as a lender now */
  open: number;
}

/** Per library (the members, and any library that placed a request), sorted by code. */
export function illStats(store: IllStore, members: readonly string[]): IllLibraryStats[] {
  const requests = store.allRequestsForStats();
  const events = store.eventsForStats();
  const load = store.lendingLoad();
  const libs = new Set([...members, ...requests.map((r) => r.requester)]);
  return [...libs].sort().map((lib) => {
    const placed = requests.filter((r) => r.requester === lib);
    const filledIds = new Set(events.filter((e) => e.action === 'ship').map((e) => e.requestId));
    const filled = placed.filter((r) => filledIds.has(r.id));
    const turnaround = placed
      .map((r) => {
        const rec = events.find((e) => e.requestId === r.id && e.action === 'receive');
        return rec ? (Date.parse(rec.at) - Date.parse(r.createdAt)) / 86_400_000 : undefined;
      })
      .filter((d): d is number => d !== undefined)
      .sort((a, b) => a - b);
    const l = load.get(lib) ?? { lent: 0, borrowed: 0, openQueue: 0 };
    return {
      library: lib,
      placed: placed.length,
      filled: filled.length,
      ...(turnaround.length === 0 ? {} : { medianDaysToReceive: turnaround[Math.floor((turnaround.length - 1) / 2)] ?? 0 }),
      lent: l.lent,
      borrowed: l.borrowed,
      open: l.openQueue,
    };
  });
}
