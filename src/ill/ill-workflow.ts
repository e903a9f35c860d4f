import type { ConsortiumConfig } from '../config/consortium-config.ts';
import type { ItemStatus } from '../catalog/record-document.ts';
import type { Actor } from '../shared/actor.ts';
import { applyAction, sideOf, transitionNotices, type ActionInput, type IllError, type IllParty, type NoticeTarget, type TransitionNotice } from './apply-action.ts';
import type { IllRequest } from './ill-request.ts';
import { TERMINAL_STATES } from './ill-states.ts';
import type { IllStore } from './ill-store.ts';
import { lenderCandidates, planRota } from './lender-selection.ts';

/** A reminder to the lender that a request waits for its answer. */
export interface LenderReminderNotice {
  kind: 'lender-reminder';
  target: NoticeTarget;
}

/** A reminder that a loan is due back soon (to the patron who placed it, else the requesting library). */
export interface DueReminderNotice {
  kind: 'due-reminder';
  target: NoticeTarget;
  patron: boolean;
}

export type IllNotice = TransitionNotice | LenderReminderNotice | DueReminderNotice;

/**
 * Where notices go: called inside the transaction that made them, with the request as it stands,
 * so a notice is kept exactly when its transition is. Returns what the caller hands back (an outbox message).
 */
export interface IllNotifier<N> {
  notify(notice: IllNotice, request: IllRequest): N;
}

/** What the ILL rules need from the union catalog. */
export interface IllCatalog {
  itemsOfWork(workId: number): ReadonlyArray<{ library: string; status: ItemStatus }>;
  recordIdsOfWork(workId: number): ReadonlyArray<{ library: string }>;
}

export interface IllDeps<N> {
  store: IllStore;
  catalog: IllCatalog;
  config: Pick<ConsortiumConfig, 'ill' | 'libraries'>;
  notifier: IllNotifier<N>;
  now: () => Date;
}

export type ActOutcome<N> = { ok: true; request: IllRequest; notifications: N[] } | { ok: false; error: IllError; request?: IllRequest };

/** Interlibrary loan as use cases over a store: act, and the reads the conversation layer shows. */
export interface Ill<N> {
  /** drive one action: the same path for commands, buttons and timers */
  act(actor: IllParty, requestId: number, input: ActionInput): ActOutcome<N>;
  request(id: number): IllRequest | undefined;
  sideOf: typeof sideOf;
  /** involved in the request, or on its rota */
  canView(actor: Actor, r: IllRequest): boolean;
  store: IllStore;
  deps: IllDeps<N>;
}

export function createIll<N>(deps: IllDeps<N>): Ill<N> {
  const { store, config, notifier } = deps;
  const libraryConfig = (code: string) => config.libraries.find((l) => l.code === code);

  const act: Ill<N>['act'] = (actor, requestId, input) =>
    store.transaction((): ActOutcome<N> => {
      const r = store.request(requestId);
      if (!r) return { ok: false, error: { code: 'ill/not-found', requestId } };
      const now = deps.now();
      const result = applyAction(r, input, actor, {
        now,
        policy: config.ill,
        loanPeriodDays: (library) => libraryConfig(library)?.loanPeriodDays,
        rota: store.rota(r.id),
        planRota: () => {
          const workId = r.workId as number;
          const holders = new Set(deps.catalog.recordIdsOfWork(workId).map((x) => x.library));
          return planRota(r.requester, lenderCandidates(holders, deps.catalog.itemsOfWork(workId), libraryConfig, store.lendingLoad(), now.toISOString().slice(0, 10)));
        },
      });
      if (!result.ok) return { ok: false, error: result.error, request: r };
      const notices: TransitionNotice[] = [];
      for (const c of result.value) {
        switch (c.type) {
          case 'insert-rota':
            store.insertRota(r.id, c.entries);
            break;
          case 'set-rota-status':
            store.setRotaStatus(r.id, c.position, c.status, c.reason);
            break;
          case 'update-request':
            if (!store.updateRequest(r.id, c.version, c.changes)) return { ok: false, error: { code: 'ill/stale', requestId: r.id }, request: r };
            break;
          case 'append-event':
            store.appendEvent(r.id, c.event);
            break;
          case 'notify':
            notices.push(c.notice);
            break;
          default: {
            const _: never = c;
            throw new Error(`unknown change ${JSON.stringify(_)}`);
          }
        }
      }
      const updated = store.request(r.id) as IllRequest;
      return { ok: true, request: updated, notifications: notices.map((n) => notifier.notify(n, updated)) };
    });

  const canView = (actor: Actor, r: IllRequest): boolean =>
    sideOf(actor, r) !== undefined || ((actor.role === 'librarian' || actor.role === 'admin') && store.rota(r.id).some((e) => e.library === actor.library));

  return { act, request: (id) => store.request(id), sideOf, canView, store, deps };
}

/** The notices of a request just placed by a patron: its library's channel hears of it. */
export function placedNotices(r: IllRequest): TransitionNotice[] {
  return transitionNotices(r, { actor: 'patron', action: 'place', requestId: r.id, to: r.state }, false);
}

export const TERMINAL = [...TERMINAL_STATES];
