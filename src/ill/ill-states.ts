/**
 * The ILL state model for a returnable loan, after the ISO 18626-aligned model in
 * the developers' notes on ISO 18626 states (notes/ill-iso18626.md), kept as data: which actor may take which action in which
 * state, and where it leads. Cards draw their buttons from it; the service refuses anything
 * it does not list; the tests walk every row.
 */
export const REQUESTER_STATES = [
  'NEW', 'DUPLICATE_REVIEW', 'LOCAL_REVIEW', 'SOURCING', 'SENT', 'CONDITION_PENDING', 'WILL_SUPPLY', 'CANCEL_PENDING',
  'SHIPPED', 'RECEIVED', 'RENEW_PENDING', 'OVERDUE', 'RECALLED', 'RETURN_SHIPPED',
  'COMPLETED', 'COMPLETED_WITHOUT_RETURN', 'CANCELLED', 'UNFILLED', 'FILLED_LOCALLY', 'CLOSED_MANUALLY',
] as const;
export type RequesterState = (typeof REQUESTER_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<RequesterState> = new Set([
  'COMPLETED', 'COMPLETED_WITHOUT_RETURN', 'CANCELLED', 'UNFILLED', 'FILLED_LOCALLY', 'CLOSED_MANUALLY',
]);

export const SUPPLIER_STATES = [
  'NEW', 'WILL_SUPPLY', 'CONDITION_PENDING', 'CANCEL_REQUESTED', 'SHIPPED', 'ON_LOAN', 'OVERDUE', 'RECALLED',
  'RENEW_REQUESTED', 'RETURN_SHIPPED', 'COMPLETED', 'COMPLETED_WITHOUT_RETURN', 'UNFILLED', 'CANCELLED', 'CLOSED_MANUALLY',
] as const;
export type SupplierState = (typeof SUPPLIER_STATES)[number];

export const ILL_ACTION_NAMES = [
  'approve', 'reject', 'fill', 'accept', 'decline', 'condition', 'ship', 'receive', 'return', 'checkin',
  'renew', 'cancel', 'recall', 'lost', 'note', 'close', 'timeout', 'overdue',
] as const;
export type IllAction = (typeof ILL_ACTION_NAMES)[number];

/** Who acts: the requesting library's staff, the supplying library's staff, an admin, or the timers. */
export type Side = 'requester' | 'supplier' | 'admin' | 'system';

/**
 * Where a row leads. Besides a plain state:
 * - ROUTE: build the rota and go to the first lender (or LOCAL_REVIEW / UNFILLED), skipping the local copy when it came from LOCAL_REVIEW;
 * - NEXT_LENDER: this lender's attempt ends; go to the next one, or UNFILLED at the end of the rota;
 * - PRIOR: back to the state saved when the pending state was entered;
 * - SAME: no change (notes).
 */
export type Destination = RequesterState | 'ROUTE' | 'NEXT_LENDER' | 'PRIOR' | 'SAME';

export interface TransitionRow {
  action: IllAction;
  side: Side;
  from: readonly RequesterState[];
  to: Destination;
  /** the current lender's state afterwards ('PRIOR' restores it; absent = unchanged) */
  supplierTo?: SupplierState | 'PRIOR';
  /** the patron who placed the request may take this action too */
  patron?: boolean;
  /** what the action needs from the actor */
  needs?: 'reason' | 'text' | 'date';
  /** the details are optional */
  optional?: boolean;
  /** remember the current state for PRIOR */
  savePrior?: boolean;
}

const PRE_SHIP_CONTACTED: RequesterState[] = ['SENT', 'WILL_SUPPLY', 'CONDITION_PENDING'];
const NOT_YET_CONTACTED: RequesterState[] = ['NEW', 'DUPLICATE_REVIEW', 'LOCAL_REVIEW'];
const NON_TERMINAL = REQUESTER_STATES.filter((s) => !TERMINAL_STATES.has(s));

export const TRANSITIONS: readonly TransitionRow[] = [
  // review by the patron's home library
  { action: 'approve', side: 'requester', from: ['NEW', 'DUPLICATE_REVIEW'], to: 'ROUTE' },
  { action: 'reject', side: 'requester', from: ['NEW', 'DUPLICATE_REVIEW'], to: 'CANCELLED', needs: 'reason' },
  { action: 'approve', side: 'requester', from: ['LOCAL_REVIEW'], to: 'ROUTE' },
  // the borrowing library may serve its patron from its own collection at any point before a lender is asked
  { action: 'fill', side: 'requester', from: NOT_YET_CONTACTED, to: 'FILLED_LOCALLY' },
  // the lender answers
  { action: 'accept', side: 'supplier', from: ['SENT'], to: 'WILL_SUPPLY', supplierTo: 'WILL_SUPPLY' },
  { action: 'condition', side: 'supplier', from: ['SENT', 'WILL_SUPPLY'], to: 'CONDITION_PENDING', supplierTo: 'CONDITION_PENDING', needs: 'text' },
  { action: 'approve', side: 'requester', from: ['CONDITION_PENDING'], to: 'WILL_SUPPLY', supplierTo: 'WILL_SUPPLY' },
  { action: 'reject', side: 'requester', from: ['CONDITION_PENDING'], to: 'NEXT_LENDER', supplierTo: 'CANCELLED', needs: 'reason', optional: true },
  { action: 'decline', side: 'supplier', from: PRE_SHIP_CONTACTED, to: 'NEXT_LENDER', supplierTo: 'UNFILLED', needs: 'reason' },
  { action: 'timeout', side: 'system', from: ['SENT'], to: 'NEXT_LENDER', supplierTo: 'UNFILLED' },
  // the loan
  { action: 'ship', side: 'supplier', from: ['SENT', 'WILL_SUPPLY', 'CANCEL_PENDING'], to: 'SHIPPED', supplierTo: 'SHIPPED', needs: 'date', optional: true },
  { action: 'receive', side: 'requester', from: ['SHIPPED'], to: 'RECEIVED', supplierTo: 'ON_LOAN' },
  { action: 'renew', side: 'requester', from: ['RECEIVED', 'OVERDUE'], to: 'RENEW_PENDING', supplierTo: 'RENEW_REQUESTED', patron: true, savePrior: true },
  { action: 'approve', side: 'supplier', from: ['RENEW_PENDING'], to: 'RECEIVED', supplierTo: 'ON_LOAN', needs: 'date', optional: true },
  { action: 'reject', side: 'supplier', from: ['RENEW_PENDING'], to: 'PRIOR', supplierTo: 'PRIOR', needs: 'reason', optional: true },
  { action: 'recall', side: 'supplier', from: ['SHIPPED', 'RECEIVED', 'OVERDUE', 'RENEW_PENDING'], to: 'RECALLED', supplierTo: 'RECALLED', needs: 'date', optional: true },
  { action: 'overdue', side: 'system', from: ['RECEIVED'], to: 'OVERDUE', supplierTo: 'OVERDUE' },
  { action: 'return', side: 'requester', from: ['RECEIVED', 'OVERDUE', 'RECALLED', 'RENEW_PENDING'], to: 'RETURN_SHIPPED', supplierTo: 'RETURN_SHIPPED' },
  { action: 'checkin', side: 'supplier', from: ['RETURN_SHIPPED'], to: 'COMPLETED', supplierTo: 'COMPLETED' },
  { action: 'lost', side: 'requester', from: ['SHIPPED', 'RECEIVED', 'OVERDUE', 'RECALLED', 'RENEW_PENDING'], to: 'COMPLETED_WITHOUT_RETURN', supplierTo: 'COMPLETED_WITHOUT_RETURN', needs: 'text', optional: true },
  // cancelling: free before any lender is contacted, with the lender's agreement after
  { action: 'cancel', side: 'requester', from: NOT_YET_CONTACTED, to: 'CANCELLED', patron: true, needs: 'reason', optional: true },
  { action: 'cancel', side: 'requester', from: PRE_SHIP_CONTACTED, to: 'CANCEL_PENDING', supplierTo: 'CANCEL_REQUESTED', patron: true, savePrior: true, needs: 'reason', optional: true },
  { action: 'approve', side: 'supplier', from: ['CANCEL_PENDING'], to: 'CANCELLED', supplierTo: 'CANCELLED' },
  { action: 'reject', side: 'supplier', from: ['CANCEL_PENDING'], to: 'PRIOR', supplierTo: 'PRIOR', needs: 'reason', optional: true },
  // anyone involved may add a note; an admin may close any open request
  { action: 'note', side: 'requester', from: REQUESTER_STATES, to: 'SAME', patron: true, needs: 'text' },
  { action: 'note', side: 'supplier', from: REQUESTER_STATES, to: 'SAME', needs: 'text' },
  { action: 'close', side: 'admin', from: NON_TERMINAL, to: 'CLOSED_MANUALLY', supplierTo: 'CLOSED_MANUALLY', needs: 'text' },
];

/** The rows an actor on this side may use in this state. */
export function rowsFor(state: RequesterState, side: Side): TransitionRow[] {
  return TRANSITIONS.filter((r) => r.side === side && r.from.includes(state));
}

/** Every state a row can lead to (for the property test's oracle). */
export function reachableTargets(row: TransitionRow): RequesterState[] {
  switch (row.to) {
    case 'ROUTE':
      return ['SENT', 'LOCAL_REVIEW', 'UNFILLED'];
    case 'NEXT_LENDER':
      return ['SENT', 'UNFILLED'];
    case 'PRIOR':
      return [...REQUESTER_STATES];
    case 'SAME':
      return [...row.from];
    default:
      return [row.to];
  }
}

/** ISO 18626 reasonUnfilled values a lender can give, with the words people type for them. */
export const DECLINE_REASONS: ReadonlyArray<{ code: string; words: RegExp }> = [
  { code: 'NotHeld', words: /^(not[-_ ]?held|tidak[-_ ]?(punya|ada)|notheld)$/i },
  { code: 'NotOnShelf', words: /^(not[-_ ]?on[-_ ]?shelf|missing|tidak[-_ ]?di[-_ ]?rak|notonshelf)$/i },
  { code: 'NonCirculating', words: /^(non[-_ ]?circ(ulating)?|reference|library[-_ ]?use[-_ ]?only|noncirculating)$/i },
  { code: 'PolicyProblem', words: /^(policy|kebijakan|policyproblem)$/i },
  { code: 'PoorCondition', words: /^(poor[-_ ]?condition|damaged|rusak|poorcondition)$/i },
  { code: 'Duplicate', words: /^(duplicate|duplikat)$/i },
  { code: 'NotAvailableForILL', words: /^(not[-_ ]?available|unavailable|notavailableforill)$/i },
];
