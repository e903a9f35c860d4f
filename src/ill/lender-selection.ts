import type { ItemStatus } from '../catalog/record-document.ts';

/** What the union catalog and the consortium config say about one holder of the requested work. */
export interface LenderCandidate {
  library: string;
  lends: boolean;
  lastResort: boolean;
  closedToday: boolean;
  /** statuses of the library's items of this work (empty: the record carries no item information) */
  items: readonly ItemStatus[];
  /** loans this library has supplied and received through ILL, and requests waiting on it now */
  lent: number;
  borrowed: number;
  openQueue: number;
}

/** Why a library was chosen (and in which tier) or skipped: a stable code, rendered in the reader's language. */
export type ChosenReason = 'available' | 'on-loan' | 'status-unknown' | 'no-item-information' | 'last-resort';
export type SkipReason = 'requester' | 'does-not-lend' | 'closed-today' | 'library-use-only' | 'missing';

export interface RotaPlan {
  /** lenders to ask, in order */
  chosen: Array<{ library: string; reason: ChosenReason; lent: number; borrowed: number; openQueue: number }>;
  skipped: Array<{ library: string; reason: SkipReason }>;
  /** the requester's own library has a copy on the shelf */
  localAvailable: boolean;
}

/**
 * Builds the rota from the union catalog's holders (the rules in ill-iso18626.md): the requester's
 * own library and non-lenders are excluded, libraries closed today are skipped, so are holders
 * with only library-use-only or missing copies; available loanable copies come before on-loan or
 * unknown ones, lenders of last resort go last; within a tier the library that has lent least for
 * what it borrowed, then the one with the shortest open queue, is asked first.
 */
export function planRota(requester: string, candidates: readonly LenderCandidate[]): RotaPlan {
  const plan: RotaPlan = { chosen: [], skipped: [], localAvailable: false };
  const ranked: Array<{ c: LenderCandidate; tier: number; reason: ChosenReason }> = [];
  for (const c of candidates) {
    if (c.library === requester) {
      plan.localAvailable = c.items.includes('available');
      plan.skipped.push({ library: c.library, reason: 'requester' });
      continue;
    }
    if (!c.lends) {
      plan.skipped.push({ library: c.library, reason: 'does-not-lend' });
      continue;
    }
    if (c.closedToday) {
      plan.skipped.push({ library: c.library, reason: 'closed-today' });
      continue;
    }
    const lendable = c.items.filter((s) => s !== 'library-use-only' && s !== 'lost' && s !== 'withdrawn');
    if (c.items.length > 0 && lendable.length === 0) {
      plan.skipped.push({ library: c.library, reason: c.items.includes('library-use-only') ? 'library-use-only' : 'missing' });
      continue;
    }
    let reason: ChosenReason;
    let tier: number;
    if (c.lastResort) [tier, reason] = [3, 'last-resort'];
    else if (lendable.includes('available')) [tier, reason] = [0, 'available'];
    else if (lendable.includes('unknown') || c.items.length === 0) [tier, reason] = [1, c.items.length === 0 ? 'no-item-information' : 'status-unknown'];
    else [tier, reason] = [2, 'on-loan'];
    ranked.push({ c, tier, reason });
  }
  const balance = (c: LenderCandidate): number => (c.lent + 1) / (c.borrowed + 1);
  ranked.sort((a, b) => a.tier - b.tier || balance(a.c) - balance(b.c) || a.c.openQueue - b.c.openQueue || a.c.library.localeCompare(b.c.library));
  plan.chosen = ranked.map(({ c, reason }) => ({ library: c.library, reason, lent: c.lent, borrowed: c.borrowed, openQueue: c.openQueue }));
  return plan;
}

/** Adds business days (Monday–Friday) to a time. */
export function addBusinessDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

/** What lender selection needs to know about a holder library from the consortium config. */
export interface LenderPolicy {
  lends?: boolean;
  lastResort?: boolean;
  closedDates?: readonly string[];
}

/**
 * The candidates for a work: every library holding a record of it, with its items' statuses, its
 * lending policy (closed on `day`?) and its ILL load.
 */
export function lenderCandidates(
  holders: Iterable<string>,
  items: ReadonlyArray<{ library: string; status: ItemStatus }>,
  policyOf: (library: string) => LenderPolicy | undefined,
  load: ReadonlyMap<string, { lent: number; borrowed: number; openQueue: number }>,
  day: string,
): LenderCandidate[] {
  return [...holders].map((library) => {
    const lc = policyOf(library);
    const l = load.get(library) ?? { lent: 0, borrowed: 0, openQueue: 0 };
    return {
      library,
      lends: lc?.lends ?? true,
      lastResort: lc?.lastResort ?? false,
      closedToday: lc?.closedDates?.includes(day) ?? false,
      items: items.filter((i) => i.library === library).map((i) => i.status),
      ...l,
    };
  });
}
