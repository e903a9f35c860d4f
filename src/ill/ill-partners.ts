/**
 * Where interlibrary loan reaches beyond the consortium: lenders and borrowers that are not
 * members (ISO 18626 partners, wired in src/iso18626/partner-link.ts). The ILL workflow calls these
 * hooks; what partners hear and how lives there.
 */
import type { Actor } from '../common/actor.ts';
import type { IllRequest } from './ill-request.ts';
import type { IllAction, RequesterState, Side, SupplierState } from './ill-states.ts';
import type { RotaPlan } from './lender-selection.ts';

/** A row of the state table as the workflow took it, for what partners must hear. */
export interface TakenStep {
  action: IllAction;
  side: Side;
  actor: Actor | 'system';
  from: RequesterState;
  to: RequesterState;
  supplierFrom: SupplierState | null;
  /** the lender's state afterwards: for a lender whose turn ended, where its turn ended */
  supplierTo: SupplierState | null;
  priorSupplierState: SupplierState | null;
  details?: string;
  dueDate: string | null;
  before: IllRequest;
  after: IllRequest;
}

export interface IllPartnerHooks {
  /** a partner's code, not a member's: it has no chat channel, so no card goes to it */
  isPartner(code: string): boolean;
  /** the rota plan with the partners that lend put in their places */
  withPartners(requester: string, plan: RotaPlan): RotaPlan;
  /** the loan period when a member lends to a partner (the partner's, from the config) */
  loanPeriodDays(r: IllRequest): number | undefined;
  /** inside the step's transaction: queue what partners must hear about it */
  afterStep(step: TakenStep): void;
}
