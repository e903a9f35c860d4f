import type { Actor } from '../common/actor.ts';
import type { IllRequest } from './ill-request.ts';
import { placedNotices, type ActOutcome, type Ill } from './ill-workflow.ts';

export interface PlaceDetails {
  needBy: string | null;
  note: string | null;
  rush: boolean;
}

export interface Placed<N> {
  request: IllRequest;
  /** a patron asked for this work recently: the request goes to review as a possible duplicate */
  duplicate: boolean;
  /** the same placing came twice (a double click): this is the request the first one placed, nothing new was done */
  repeated?: boolean;
  /** a librarian's request is routed at once: the outcome of that routing */
  routed?: ActOutcome<N>;
  notifications: N[];
}

export interface PlaceOptions {
  /**
   * Claims the right to place, inside the placing's transaction (a confirmation taken from the
   * conversation, so that two presses of Confirm — in any process — place once). False: nothing is placed.
   */
  claim?: () => boolean;
  /** a placing by the same person (a patron) or library (a librarian) for the same work with the same details this recently is the same placing again */
  repeatWithinMs?: number;
}

/**
 * Places a request for a work on behalf of the actor's library: the request, its event, the routing
 * of a librarian's request to its first lender and every notice to the outbox are written in ONE
 * transaction, so a crash leaves either all of it or none of it. A patron's request waits for their
 * library's review (DUPLICATE_REVIEW when they asked for the same work lately); a librarian's is
 * routed at once. Undefined when `claim` refused.
 */
export function placeIllRequest<N>(
  ill: Ill<N>, actor: Actor & { library: string }, work: { id: number; title: string }, details: PlaceDetails, opts: PlaceOptions = {},
): Placed<N> | undefined {
  const { store, config, now, notifier } = ill.deps;
  const isPatron = actor.role === 'patron';
  return store.transaction((): Placed<N> | undefined => {
    if (opts.claim && !opts.claim()) return undefined;
    const t = now();
    const stamp = t.toISOString();
    if (opts.repeatWithinMs !== undefined) {
      const since = new Date(t.getTime() - opts.repeatWithinMs).toISOString();
      const recent = isPatron ? store.recentRequestsOfPatronForWork(actor.platform, actor.userId, work.id, since) : store.recentRequestsOfLibraryForWork(actor.library, work.id, since);
      const same = recent.find((r) => r.note === details.note && r.needBy === details.needBy && r.serviceLevel === (details.rush ? 'rush' : 'normal'));
      if (same) return { request: same, duplicate: false, repeated: true, notifications: [] };
    }
    const duplicate =
      isPatron &&
      store.recentRequestsOfPatronForWork(actor.platform, actor.userId, work.id, new Date(t.getTime() - config.ill.duplicateDays * 86_400_000).toISOString()).length > 0;
    const id = store.insertRequest({
      workId: work.id, title: work.title, requester: actor.library, supplier: null,
      state: duplicate ? 'DUPLICATE_REVIEW' : 'NEW', supplierState: null, priorState: null, priorSupplierState: null,
      placedBy: isPatron ? 'patron' : 'librarian',
      patronPlatform: isPatron ? actor.platform : null, patronUserId: isPatron ? actor.userId : null,
      patronName: isPatron ? (actor.displayName ?? null) : null,
      needBy: details.needBy, note: details.note, serviceLevel: details.rush ? 'rush' : 'normal', condition: null, dueDate: null, renewals: 0,
      responseDeadline: null, reminderSent: 0, dueReminderSent: 0, createdAt: stamp, updatedAt: stamp, closedAt: null, outcome: null, purgedAt: null,
    });
    store.appendEvent(id, {
      at: stamp, actorRole: actor.role, actorLibrary: actor.library ?? null, action: 'place', fromState: null,
      toState: duplicate ? 'DUPLICATE_REVIEW' : 'NEW', supplier: null, supplierFrom: null, supplierTo: null, note: details.note,
    });
    if (isPatron) {
      const r = store.request(id) as IllRequest;
      return { request: r, duplicate, notifications: placedNotices(r).map((n) => notifier.notify(n, r)) };
    }
    // a librarian's request needs no review: route it now, in the same transaction (a savepoint inside it)
    const routed = ill.act(actor, id, { action: 'approve' });
    if (!routed.ok) throw new Error(`placing R${id}: the routing of a request just placed was refused (${routed.error.code})`);
    return { request: routed.request, duplicate, routed, notifications: routed.notifications };
  });
}
