import type { Ill } from './ill-workflow.ts';
import { TERMINAL } from './ill-workflow.ts';

/**
 * The ILL timers, run now: a lender that did not answer in time is passed over, a lender is
 * reminded before that, a received loan past its due date becomes overdue, the borrower is reminded
 * before the due date, and patron identities of requests closed long enough ago are forgotten (with
 * their remembered language and conversations, once no request keeps them).
 */
export function runIllTimers<N>(ill: Ill<N>): N[] {
  const { store, config, now, notifier } = ill.deps;
  const policy = config.ill;
  const out: N[] = [];
  const t = now();
  const day = t.toISOString().slice(0, 10);
  for (const r of store.openRequests(TERMINAL)) {
    if (r.state === 'SENT' && r.responseDeadline) {
      const deadline = Date.parse(r.responseDeadline);
      if (t.getTime() >= deadline) {
        const o = ill.act('system', r.id, { action: 'timeout', version: r.version });
        if (o.ok) out.push(...o.notifications);
        continue;
      }
      const remindAt = deadline - (r.serviceLevel === 'rush' ? 4 : 24) * 3600_000;
      if (!r.reminderSent && t.getTime() >= remindAt && r.supplier && ill.reaches({ type: 'library', library: r.supplier })) {
        store.transaction(() => {
          store.markReminded(r.id, 'lender');
          out.push(notifier.notify({ kind: 'lender-reminder', target: { type: 'library', library: r.supplier as string } }, r));
        });
      }
    }
    if (r.dueDate && (r.state === 'RECEIVED' || r.state === 'SHIPPED')) {
      if (day > r.dueDate && r.state === 'RECEIVED') {
        const o = ill.act('system', r.id, { action: 'overdue', version: r.version });
        if (o.ok) out.push(...o.notifications);
        continue;
      }
      const remindFrom = new Date(Date.parse(`${r.dueDate}T00:00:00Z`) - policy.dueReminderDays * 86_400_000).toISOString().slice(0, 10);
      if (!r.dueReminderSent && day >= remindFrom && r.state === 'RECEIVED' && (r.patronUserId !== null || ill.reaches({ type: 'library', library: r.requester }))) {
        store.transaction(() => {
          store.markReminded(r.id, 'due');
          if (r.patronPlatform && r.patronUserId) out.push(notifier.notify({ kind: 'due-reminder', target: { type: 'user', platform: r.patronPlatform, userId: r.patronUserId }, patron: true }, r));
          else out.push(notifier.notify({ kind: 'due-reminder', target: { type: 'library', library: r.requester }, patron: false }, r));
        });
      }
    }
  }
  // the retention rule: a patron's identity is forgotten on requests closed long enough ago; once no
  // request keeps it, what the conversation remembers of them (language, contexts) goes too — in the same transaction
  const before = new Date(t.getTime() - policy.retentionDays * 86_400_000).toISOString();
  store.transaction(() => {
    const people = store.patronsClosedBefore(before);
    store.purgePatrons(before);
    for (const p of people) if (store.requestsOfPatron(p.platform, p.userId, 1).length === 0) ill.deps.people?.forget(p.platform, p.userId);
  });
  return out;
}
