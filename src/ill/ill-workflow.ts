import type { ConsortiumConfig } from '../config/consortium-config.ts';
import type { ItemStatus } from '../catalog/record-document.ts';
import type { Actor } from '../common/actor.ts';
import { applyAction, sideOf, transitionNotices, type ActionInput, type Headline, type IllError, type IllParty, type NoticeTarget, type TransitionNotice } from './apply-action.ts';
import type { IllPartnerHooks } from './ill-partners.ts';
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
  /** ISO 18626 partners, when the config has any */
  partners?: IllPartnerHooks | undefined;
  /** what else is kept about a person (their language, their conversations), forgotten with their last request's identity */
  people?: { forget(platform: string, userId: string): void };
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
  /** the cards of a request to its libraries' channels (a partner's request arriving in a member's queue) */
  announce(requestId: number, headline: Headline): N[];
  /** does a notice reach someone in chat (not a partner outside it) */
  reaches(target: NoticeTarget): boolean;
}

export function createIll<N>(deps: IllDeps<N>): Ill<N> {
  const { store, config, notifier, partners } = deps;
  const libraryConfig = (code: string) => config.libraries.find((l) => l.code === code);
  const reaches = (target: NoticeTarget): boolean => !(target.type === 'library' && partners?.isPartner(target.library));

  const act: Ill<N>['act'] = (actor, requestId, input) =>
    store.transaction((): ActOutcome<N> => {
      const r = store.request(requestId);
      if (!r) return { ok: false, error: { code: 'ill/not-found', requestId } };
      const now = deps.now();
      const result = applyAction(r, input, actor, {
        now,
        policy: config.ill,
        loanPeriodDays: (library) => partners?.loanPeriodDays(r) ?? libraryConfig(library)?.loanPeriodDays,
        rota: store.rota(r.id),
        planRota: () => {
          const workId = r.workId as number;
          const holders = new Set(deps.catalog.recordIdsOfWork(workId).map((x) => x.library));
          const plan = planRota(r.requester, lenderCandidates(holders, deps.catalog.itemsOfWork(workId), libraryConfig, store.lendingLoad(), now.toISOString().slice(0, 10)));
          return partners ? partners.withPartners(r.requester, plan) : plan;
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
      if (partners) {
        const logged = result.value.find((c): c is Extract<typeof c, { type: 'append-event' }> => c.type === 'append-event' && c.event.action === input.action);
        const side = actor === 'system' ? 'system' : input.action === 'close' && actor.role === 'admin' ? 'admin' : (sideOf(actor, r)?.side ?? 'admin');
        const details = input.details?.trim();
        partners.afterStep({
          action: input.action, side, actor, from: r.state, to: updated.state, supplierFrom: r.supplierState,
          supplierTo: (logged?.event.supplierTo ?? updated.supplierState) as IllRequest['supplierState'],
          priorSupplierState: updated.priorSupplierState ?? r.priorSupplierState,
          ...(details ? { details } : {}), dueDate: updated.dueDate, before: r, after: updated,
        });
      }
      return { ok: true, request: updated, notifications: notices.filter((n) => reaches(n.target)).map((n) => notifier.notify(n, updated)) };
    });

  const canView = (actor: Actor, r: IllRequest): boolean =>
    sideOf(actor, r) !== undefined || ((actor.role === 'librarian' || actor.role === 'admin') && store.rota(r.id).some((e) => e.library === actor.library));

  const announce = (requestId: number, headline: Headline): N[] => {
    const r = store.request(requestId);
    return r ? transitionNotices(r, headline, false).filter((n) => reaches(n.target)).map((n) => notifier.notify(n, r)) : [];
  };

  return { act, request: (id) => store.request(id), sideOf, canView, store, deps, announce, reaches };
}

/** The notices of a request just placed by a patron: its library's channel hears of it. */
export function placedNotices(r: IllRequest): TransitionNotice[] {
  return transitionNotices(r, { actor: 'patron', action: 'place', requestId: r.id, to: r.state }, false);
}

export const TERMINAL = [...TERMINAL_STATES];
