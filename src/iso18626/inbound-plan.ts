/**
 * What an incoming partner message means for a Jala request, as rows of the existing ILL state table
 * (src/ill/ill-states.ts). The planners never invent states: every step they return is an
 * (action, side) pair the table has a row for in the state the step starts from, and the property
 * test walks random message sequences through them to prove it.
 */
import type { IllAction, RequesterState, Side, SupplierState } from '../ill/ill-states.ts';
import type { ErrorType } from './iso18626-codes.ts';
import type { OutgoingIntent } from './outgoing-intent.ts';
import type { ConditionOffer } from './loan-conditions.ts';

/** One row of the state table to take. */
export interface PlannedStep {
  action: IllAction;
  side: Side;
  /** what the row's `needs` asks for: a reason, a note, a due date (YYYY-MM-DD first, as chat takes it) */
  details?: string;
  /**
   * the partner's message reports a step of Jala's own side that Jala had not recorded (the lender
   * completed a loan whose return nobody marked): the wiring records it as done by that message
   */
  implied?: true;
}

/** The part of a Jala request the planners look at. */
export interface RequestSnapshot {
  state: RequesterState;
  supplierState: SupplierState | null;
  priorState: RequesterState | null;
  priorSupplierState: SupplierState | null;
  /** YYYY-MM-DD */
  dueDate: string | null;
  /** how the pending condition came (decides how Jala answers it); null when none is pending */
  conditionVia: ConditionOffer['via'] | null;
}

export type InboundPlan =
  /** take these rows, in order (a note row for plain notes), and send `reply` if given */
  | { outcome: 'apply'; steps: PlannedStep[]; condition?: ConditionOffer; reply?: OutgoingIntent; summary: string }
  /** the request already shows what the message says (a late repeat): nothing to do, confirm OK */
  | { outcome: 'already'; steps: []; reply?: OutgoingIntent; summary: string }
  /**
   * understood, but it does not fit the request's state (or this partner's turn is over): nothing
   * changes; the note step tells staff in the request's thread, and the message is confirmed OK
   */
  | { outcome: 'ignored'; steps: PlannedStep[]; reply?: OutgoingIntent; summary: string }
  /** Jala cannot act on it: the confirmation says ERROR with this errorType */
  | { outcome: 'error'; steps: []; errorType: ErrorType; errorValue: string; summary: string };

export function ignored(side: Side, summary: string, reply?: OutgoingIntent): InboundPlan {
  return { outcome: 'ignored', steps: [{ action: 'note', side, details: summary }], ...(reply ? { reply } : {}), summary };
}

export function already(summary: string, reply?: OutgoingIntent): InboundPlan {
  return { outcome: 'already', steps: [], ...(reply ? { reply } : {}), summary };
}

export function error(errorType: ErrorType, errorValue: string): InboundPlan {
  return { outcome: 'error', steps: [], errorType, errorValue, summary: errorValue };
}

export const PRE_SHIP: readonly RequesterState[] = ['SENT', 'WILL_SUPPLY', 'CONDITION_PENDING'];
export const ON_LOAN: readonly RequesterState[] = ['RECEIVED', 'OVERDUE', 'RECALLED', 'RENEW_PENDING'];
export const POST_SHIP: readonly RequesterState[] = ['SHIPPED', ...ON_LOAN, 'RETURN_SHIPPED'];
export const ENDED: readonly RequesterState[] = ['COMPLETED', 'COMPLETED_WITHOUT_RETURN', 'CANCELLED', 'UNFILLED', 'FILLED_LOCALLY', 'CLOSED_MANUALLY'];
