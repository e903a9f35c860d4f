import type { ItemStatus } from '../catalog/record-document.ts';
import { planRota, type LenderCandidate } from './lender-selection.ts';

/** One copy of the work, as the union catalog knows it. */
export interface HoldingItem {
  library: string;
  status: ItemStatus;
  callNumber?: string;
  branch?: string;
  location?: string;
}

/** Why a holder cannot lend this work: a stable code, worded by the bot in the reader's language. */
export type CannotLendReason = 'does-not-lend' | 'library-use-only' | 'missing';

/** What can be said before a request is placed: can it be lent at all, from where, and is it on the requester's own shelf. */
export interface Requestability {
  /** some other member that lends holds a copy that can be lent (on the shelf, on loan, or of unknown status) */
  lendable: boolean;
  /** the lenders that would be asked, in order (today: libraries closed today are left out) */
  lenders: string[];
  /** holders that cannot lend it, with why (the requester itself is not listed) */
  cannotLend: Array<{ library: string; reason: CannotLendReason }>;
  /** the requester's own copies on the shelf: call number and where */
  ownShelf: Array<{ callNumber?: string; branch?: string; location?: string }>;
}

/**
 * Decided from the union catalog's holdings and the libraries' lending policy, with the rota rules
 * of `planRota` (a library closed today still counts as able to lend: it is asked on another day).
 */
export function requestability(requester: string, candidates: readonly LenderCandidate[], items: readonly HoldingItem[]): Requestability {
  const anyDay = planRota(requester, candidates.map((c) => ({ ...c, closedToday: false })));
  const today = planRota(requester, candidates);
  const cannotLend = anyDay.skipped
    .filter((s): s is { library: string; reason: CannotLendReason } => s.reason === 'does-not-lend' || s.reason === 'library-use-only' || s.reason === 'missing');
  const ownShelf = items
    .filter((i) => i.library === requester && i.status === 'available')
    .map((i) => ({ ...(i.callNumber ? { callNumber: i.callNumber } : {}), ...(i.branch ? { branch: i.branch } : {}), ...(i.location ? { location: i.location } : {}) }));
  return {
    lendable: anyDay.chosen.length > 0,
    lenders: (today.chosen.length > 0 ? today : anyDay).chosen.map((c) => c.library),
    cannotLend,
    ownShelf,
  };
}

/** The holders of a work as lender candidates: their items' statuses, lending policy, closing days and ILL load. */
export function lenderCandidates(
  items: readonly HoldingItem[],
  holders: Iterable<string>,
  library: (code: string) => { lends?: boolean; lastResort?: boolean; closedDates?: readonly string[] } | undefined,
  load: ReadonlyMap<string, { lent: number; borrowed: number; openQueue: number }>,
  day: string,
): LenderCandidate[] {
  return [...new Set(holders)].map((code) => {
    const lc = library(code);
    const l = load.get(code) ?? { lent: 0, borrowed: 0, openQueue: 0 };
    return {
      library: code,
      lends: lc?.lends ?? true,
      lastResort: lc?.lastResort ?? false,
      closedToday: lc?.closedDates?.includes(day) ?? false,
      items: items.filter((i) => i.library === code).map((i) => i.status),
      ...l,
    };
  });
}
