import type { RequesterState, SupplierState } from './ill-states.ts';
import type { ChosenReason, SkipReason } from './lender-selection.ts';

/** One interlibrary-loan request as the ILL rules see it (and as a store keeps it). */
export interface IllRequest {
  id: number;
  workId: number | null;
  title: string;
  requester: string;
  supplier: string | null;
  state: RequesterState;
  supplierState: SupplierState | null;
  priorState: RequesterState | null;
  priorSupplierState: SupplierState | null;
  version: number;
  placedBy: 'patron' | 'librarian';
  patronPlatform: string | null;
  patronUserId: string | null;
  patronName: string | null;
  needBy: string | null;
  note: string | null;
  serviceLevel: 'normal' | 'rush';
  condition: string | null;
  dueDate: string | null;
  renewals: number;
  responseDeadline: string | null;
  reminderSent: number;
  dueReminderSent: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  outcome: string | null;
  purgedAt: string | null;
}

export type IllRequestChanges = Partial<Omit<IllRequest, 'id' | 'version'>>;

export type RotaStatus = 'pending' | 'selected' | 'skipped' | 'declined' | 'timeout' | 'cancelled' | 'supplied';

/**
 * Why a library stands where it stands in the rota: chosen (with the load figures that ranked it),
 * skipped, or — once its turn ended — the code it ended with (an ISO 18626 reasonUnfilled, or the
 * action: timeout, reject).
 */
export type RotaReason =
  | { kind: 'chosen'; code: ChosenReason; lent: number; borrowed: number; openQueue: number }
  | { kind: 'skipped'; code: SkipReason }
  | { kind: 'ended'; code: string };

export interface RotaEntry {
  position: number;
  library: string;
  status: RotaStatus;
  reason: RotaReason;
}

export interface IllEvent {
  at: string;
  actorRole: string;
  actorLibrary: string | null;
  action: string;
  fromState: string | null;
  toState: string;
  supplier: string | null;
  supplierFrom: string | null;
  supplierTo: string | null;
  note: string | null;
}
