import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REQUESTER_STATES, SUPPLIER_STATES, TRANSITIONS, reachableTargets, rowsFor, type RequesterState, type SupplierState, type TransitionRow,
} from '../src/ill/ill-states.ts';
import { ALL_ACTIONS, ALL_STATUSES, REASONS_FOR_MESSAGE, REASON_RETRY, REASON_UNFILLED, type IsoVersion } from '../src/iso18626/iso18626-codes.ts';
import type { RequestingAgencyMessage, SupplyingAgencyMessage } from '../src/iso18626/iso18626-model.ts';
import { writeIso18626 } from '../src/iso18626/iso18626-writer.ts';
import type { InboundPlan, PlannedStep, RequestSnapshot } from '../src/iso18626/inbound-plan.ts';
import { buildMessage, type OutgoingIntent } from '../src/iso18626/outgoing-intent.ts';
import { outgoingForStep } from '../src/iso18626/outgoing-messages.ts';
import { planRequesterMessage } from '../src/iso18626/requester-message-plan.ts';
import { planSupplierMessage } from '../src/iso18626/supplier-message-plan.ts';
import type { VendorProfile } from '../src/config/partner-config.ts';
import type { ConditionOffer } from '../src/iso18626/loan-conditions.ts';
import { T } from './support/iso18626-examples.ts';

/**
 * The property: random sequences of partner messages (any status, reason, answer, reason code and
 * vendor note; any action), interleaved with Jala's own librarians' and timers' steps, mapped
 * through the planners and applied with the rows of src/ill/ill-states.ts, never take a step the
 * table does not have and never leave the table's states. Every message Jala would send on the way
 * is written (the writer refuses anything the schema would).
 */

interface Model extends RequestSnapshot {
  /** is the partner still this request's lender / still the borrower with this member */
  partnerActive: boolean;
  pending: ConditionOffer | null;
}

const SEED = Number(process.env.JALA_ISO_SEED ?? 20250304);

function start(): Model {
  return { state: 'SENT', supplierState: 'NEW', priorState: null, priorSupplierState: null, dueDate: null, conditionVia: null, partnerActive: true, pending: null };
}

/** The row the ILL service would take for this step — the table is the only authority. */
function rowFor(m: Model, step: Pick<PlannedStep, 'action' | 'side'>): TransitionRow | undefined {
  return TRANSITIONS.find((t) => t.action === step.action && t.side === step.side && t.from.includes(m.state));
}

/** Applies a row as the service does: destinations, the lender's side, saved prior states. */
function apply(m: Model, row: TransitionRow, details: string | undefined, moreLenders: boolean): Model {
  let to: RequesterState;
  let supplierTo: SupplierState | null = row.supplierTo === 'PRIOR' ? m.priorSupplierState : (row.supplierTo ?? m.supplierState);
  let partnerActive = m.partnerActive;
  switch (row.to) {
    case 'SAME':
      to = m.state;
      supplierTo = m.supplierState;
      break;
    case 'PRIOR':
      to = m.priorState ?? m.state;
      break;
    case 'ROUTE':
      to = 'SENT';
      break;
    case 'NEXT_LENDER': {
      const duplicate = /^duplicate/i.test(details ?? '');
      to = moreLenders && !duplicate ? 'SENT' : 'UNFILLED';
      if (to === 'SENT') {
        partnerActive = false;
        supplierTo = 'NEW';
      }
      break;
    }
    default:
      to = row.to;
  }
  const next: Model = { ...m, state: to, supplierState: supplierTo, partnerActive };
  if (row.savePrior) {
    next.priorState = m.state;
    next.priorSupplierState = m.supplierState;
  } else if (row.to === 'PRIOR') {
    next.priorState = null;
    next.priorSupplierState = null;
  }
  if (to !== 'CONDITION_PENDING') {
    next.conditionVia = null;
    next.pending = null;
  }
  if (row.needs === 'date' && details && /^\d{4}-\d{2}-\d{2}/.test(details)) next.dueDate = details.slice(0, 10);
  if (row.action === 'ship' && next.dueDate === null) next.dueDate = '2025-06-01';
  expect(reachableTargets(row)).toContain(to);
  return next;
}

const arbDate = fc.constantFrom(undefined, '2025-06-01T12:00:00.000Z', '2025-07-15T00:00:00+0000');
const arbNote = fc.constantFrom(
  undefined, undefined, undefined, undefined, 'please handle with care', '#ReShareAddLoanCondition# library use only', '#ReShareSupplierConditionsAssumedAgreed#',
  'Condition: LibraryUseOnly, Conditions pending approval, please respond `ACCEPT` or `REJECT`', 'DUPLICATE request', '#seq:3#',
);
const arbSam: fc.Arbitrary<SupplyingAgencyMessage> = fc
  .record({
    reason: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<(typeof REASONS_FOR_MESSAGE)[number]>('StatusChange', 'RequestResponse') }, { weight: 4, arbitrary: fc.constantFrom(...REASONS_FOR_MESSAGE) }),
    // the statuses of a loan's life come more often than the rest, so that sequences get far
    status: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom<(typeof ALL_STATUSES)[number]>('WillSupply', 'Loaned', 'Overdue', 'Recalled', 'LoanCompleted') },
      { weight: 4, arbitrary: fc.constantFrom(undefined, ...ALL_STATUSES) },
    ),
    answer: fc.constantFrom(undefined, 'Y' as const, 'N' as const),
    unfilled: fc.constantFrom(undefined, ...REASON_UNFILLED, 'transfer'),
    retry: fc.constantFrom(undefined, ...REASON_RETRY),
    costs: fc.constantFrom(undefined, undefined, undefined, { currencyCode: { value: 'USD' }, monetaryValue: '12.50' }),
    conditions: fc.constantFrom(false, false, false, true),
    due: arbDate,
    note: arbNote,
  })
  .map((r) => ({
    kind: 'supplyingAgencyMessage' as const,
    header: { supplyingAgencyId: { type: { value: 'ISIL' }, value: 'US-NJP' }, requestingAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' }, timestamp: T, requestingAgencyRequestId: 'R1' },
    messageInfo: {
      reasonForMessage: r.reason,
      ...(r.answer ? { answerYesNo: r.answer } : {}),
      ...(r.note ? { note: r.note } : {}),
      ...(r.unfilled ? { reasonUnfilled: { value: r.unfilled } } : {}),
      ...(r.retry ? { reasonRetry: { value: r.retry } } : {}),
      ...(r.costs ? { offeredCosts: r.costs } : {}),
    },
    statusInfo: { ...(r.status ? { status: r.status } : {}), ...(r.due ? { dueDate: r.due } : {}) },
    ...(r.conditions ? { deliveryInfo: { loanConditions: [{ value: 'LibraryUseOnly' }] } } : {}),
  }));
const arbRam: fc.Arbitrary<RequestingAgencyMessage> = fc
  .record({ action: fc.constantFrom(...ALL_ACTIONS), note: fc.constantFrom(undefined, 'thanks', 'ACCEPT', 'REJECT', '#ReShareLoanConditionAgreeResponse#', '#ReShareLoanConditionRejectResponse# no') })
  .map((r) => ({
    kind: 'requestingAgencyMessage' as const,
    header: { supplyingAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' }, requestingAgencyId: { type: { value: 'ISIL' }, value: 'US-NJP' }, timestamp: T, requestingAgencyRequestId: 'PR-1' },
    action: r.action,
    ...(r.note ? { note: r.note } : {}),
  }));

/** A turn: the partner's message, or one of Jala's own steps (chosen among the rows the table offers now). */
type Turn = { partner: true; pick: number } | { partner: false; pick: number; details: number; moreLenders: boolean };
const arbTurn = (message: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.record({ partner: fc.constant(true as const), pick: fc.nat(), message }),
    fc.record({ partner: fc.constant(false as const), pick: fc.nat(), details: fc.nat(), moreLenders: fc.boolean() }),
  );
const DETAILS = [undefined, '2025-08-01', 'not-held', 'library use only, cost 10 USD', 'duplicate', 'a note'];

function checkPlan(m: Model, plan: InboundPlan, moreLenders: boolean, version: IsoVersion, vendor: VendorProfile, role: 'supplier' | 'requester'): Model {
  let next = m;
  for (const step of plan.steps) {
    const row = rowFor(next, step);
    if (!row) throw new Error(`the plan takes ${step.action}/${step.side} in ${next.state}, which the table does not allow (${plan.summary})`);
    next = apply(next, row, step.details, moreLenders);
    if (step.action === 'condition' && plan.outcome === 'apply' && plan.condition) {
      next.conditionVia = plan.condition.via;
      next.pending = plan.condition;
    }
  }
  if (plan.outcome !== 'error' && plan.reply) writeIntent(plan.reply, version, role);
  void vendor;
  expect(REQUESTER_STATES).toContain(next.state);
  if (next.supplierState !== null) expect(SUPPLIER_STATES).toContain(next.supplierState);
  return next;
}

function writeIntent(intent: OutgoingIntent, version: IsoVersion, role: 'supplier' | 'requester'): void {
  if (intent.kind === 'retryRequest') return;
  // the partner borrows: Jala sends supplyingAgencyMessages; the partner lends: requestingAgencyMessages
  expect(intent.kind).toBe(role === 'requester' ? 'supplyingAgencyMessage' : 'requestingAgencyMessage');
  writeIso18626(
    buildMessage(intent, { version, requestingAgencyId: { type: { value: 'ISIL' }, value: 'A' }, supplyingAgencyId: { type: { value: 'ISIL' }, value: 'B' }, requestingAgencyRequestId: 'R1' }, new Date(T)),
    version,
  );
}

function jalaStep(m: Model, turn: Extract<Turn, { partner: false }>, jalaSides: readonly ('requester' | 'supplier' | 'system')[], version: IsoVersion, vendor: VendorProfile, role: 'supplier' | 'requester'): Model {
  const all = jalaSides.flatMap((side) => rowsFor(m.state, side));
  // an admin closing the request ends every sequence at once: only now and then
  const rows = turn.pick % 20 === 0 ? all : all.filter((r) => r.action !== 'close');
  const row = rows[Math.floor(turn.pick / 20) % Math.max(rows.length, 1)];
  if (!row) return m;
  const details = DETAILS[turn.details % DETAILS.length];
  const next = apply(m, row, details, turn.moreLenders);
  // what Jala says to the partner about its own step is always a message the writer accepts
  if (m.partnerActive) {
    const intent = outgoingForStep(
      { action: row.action, side: row.side, from: m.state, to: next.state, supplierFrom: m.supplierState, supplierTo: next.supplierState, priorSupplierState: next.priorSupplierState, ...(details ? { details } : {}), dueDate: next.dueDate },
      { role, vendor, version, requestingAgencyRequestId: 'R1', pendingCondition: m.pending },
    );
    if (intent) writeIntent(intent, version, role);
  }
  return next;
}

const ENDS = new Set<RequesterState>(['COMPLETED', 'COMPLETED_WITHOUT_RETURN', 'CANCELLED', 'UNFILLED', 'FILLED_LOCALLY', 'CLOSED_MANUALLY']);

describe('ISO 18626 partner messages through the state table (property)', () => {
  const visitedLending = new Set<RequesterState>();
  const visitedBorrowing = new Set<RequesterState>();
  const LOAN_STATES: RequesterState[] = ['SENT', 'WILL_SUPPLY', 'CONDITION_PENDING', 'CANCEL_PENDING', 'SHIPPED', 'RECEIVED', 'RENEW_PENDING', 'OVERDUE', 'RECALLED', 'RETURN_SHIPPED'];

  it(`random lending-partner messages and Jala's requester steps never leave the table (seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.constantFrom<VendorProfile>('reshare', 'alma', 'illiad', 'generic'), fc.constantFrom<IsoVersion>('1.2', '2021'), fc.array(arbTurn(arbSam), { minLength: 1, maxLength: 60 }), (vendor, version, turns) => {
        let m = start();
        for (const turn of turns) {
          // a request that ended makes room for the next one
          if (ENDS.has(m.state)) m = start();
          visitedLending.add(m.state);
          if (turn.partner) {
            const plan = planSupplierMessage((turn as unknown as { message: SupplyingAgencyMessage }).message, { request: m, partnerIsCurrentLender: m.partnerActive, partnerName: 'Princeton' });
            expect(plan.outcome).not.toBe('error');
            m = checkPlan(m, plan, false, version, vendor, 'supplier');
          } else {
            m = jalaStep(m, turn as Extract<Turn, { partner: false }>, ['requester', 'system', 'admin'] as never, version, vendor, 'supplier');
          }
        }
      }),
      { seed: SEED, numRuns: 800 },
    );
    // the sequences went through every state of a loan, so the property was tried everywhere
    expect([...visitedLending].sort()).toEqual(expect.arrayContaining(LOAN_STATES));
  });

  it(`random borrowing-partner messages and a member's supplier steps never leave the table (seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.constantFrom<VendorProfile>('reshare', 'alma', 'illiad', 'generic'), fc.constantFrom<IsoVersion>('1.2', '2021'), fc.array(arbTurn(arbRam), { minLength: 1, maxLength: 60 }), (vendor, version, turns) => {
        let m = start();
        for (const turn of turns) {
          if (ENDS.has(m.state)) m = start();
          visitedBorrowing.add(m.state);
          if (turn.partner) {
            const ram = (turn as unknown as { message: RequestingAgencyMessage }).message;
            if (version === '1.2' && (ram.action === 'Lost' || ram.action === 'HoldReturn')) continue;
            const plan = planRequesterMessage(ram, { request: m, partnerName: 'Princeton', vendor });
            if (plan.outcome === 'error') {
              expect(['ShippedForward', 'HoldReturn']).toContain(ram.action);
              continue;
            }
            // a borrowing partner's request has no rota here: the member was its only lender
            m = checkPlan(m, plan, false, version, vendor, 'requester');
          } else {
            m = jalaStep(m, { ...(turn as Extract<Turn, { partner: false }>), moreLenders: false }, ['supplier', 'system', 'admin'] as never, version, vendor, 'requester');
          }
        }
      }),
      { seed: SEED, numRuns: 800 },
    );
    expect([...visitedBorrowing].sort()).toEqual(expect.arrayContaining(LOAN_STATES));
  });
});
