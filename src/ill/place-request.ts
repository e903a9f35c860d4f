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
  /** a librarian's request is routed at once: the outcome of that routing */
  routed?: ActOutcome<N>;
  notifications: N[];
}

/**
 * Places a request for a work on behalf of the actor's library. A patron's request waits for their
 * library's review (DUPLICATE_REVIEW when they asked for the same work lately); a librarian's is
 * routed at once.
 */
export function placeIllRequest<N>(ill: Ill<N>, actor: Actor & { library: string }, work: { id: number; title: string }, details: PlaceDetails): Placed<N> {
  const { store, config, now, notifier } = ill.deps;
  const isPatron = actor.role === 'patron';
  const result = store.transaction(() => {
    const stamp = now().toISOString();
    const duplicate =
      isPatron &&
      store.recentRequestsOfPatronForWork(actor.platform, actor.userId, work.id, new Date(now().getTime() - config.ill.duplicateDays * 86_400_000).toISOString()).length > 0;
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
    return { id, duplicate };
  });
  if (isPatron) {
    const r = store.request(result.id) as IllRequest;
    return { request: r, duplicate: result.duplicate, notifications: placedNotices(r).map((n) => notifier.notify(n, r)) };
  }
  // a librarian's request needs no review: route it now
  const routed = ill.act(actor, result.id, { action: 'approve' });
  // the request as this placing left it (read in the routing's transaction), not as another process has moved it since
  const r = routed.ok ? routed.request : (store.request(result.id) as IllRequest);
  return { request: r, duplicate: result.duplicate, routed, notifications: routed.ok ? routed.notifications : [] };
}
