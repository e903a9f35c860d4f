import type { Platform } from '../common/actor.ts';
import type { CardRefStore } from '../ill/card-ref-store.ts';
import type { Outbox } from '../ill/outbox.ts';
import type { OutboxPort } from './bot-types.ts';
import { rid } from './ill-cards.ts';
import { renderOutboxRow, type OutboxRendering } from './outbox-events.ts';

export interface OutboxPortDeps {
  outbox: Outbox;
  cards: CardRefStore;
  /** the libraries that have channels on a platform */
  reachable(platform: Platform): string[];
  rendering: OutboxRendering;
  now: () => Date;
}

/**
 * The outbox as the delivery loop sees it: rows rendered when they are listed (that is, at delivery),
 * each in its reader's language of that moment, and the store's delivery bookkeeping with times from
 * the clock.
 */
export function createOutboxPort(deps: OutboxPortDeps): OutboxPort {
  const { outbox: store, now } = deps;
  const at = (ms = 0): string => new Date(now().getTime() + ms).toISOString();
  return {
    pending: (platform, limit = 50) =>
      store.pendingFor(platform, deps.reachable(platform), at(), limit).map((row) => {
        const reply = renderOutboxRow(row, deps.rendering);
        return {
          id: row.id,
          target: row.targetType === 'library' ? { type: 'library', library: row.target } : { type: 'user', platform: (row.targetPlatform ?? platform) as Platform, userId: row.target },
          // an unreadable row reads as an empty reply: the delivery loop gives it up with a code
          reply: reply ?? { language: 'en', blocks: [], actions: [], private: true },
          ...(reply ? {} : { unreadable: true as const }),
          ...(row.requestId !== null ? { requestId: rid(row.requestId) } : {}),
          createdAt: row.createdAt,
          attempts: row.attempts,
          donePlaces: row.donePlaces,
          ...(row.interrupted ? { interrupted: true } : {}),
        };
      }),
    claim: (id, platform, owner, leaseMs) => store.claim(id, platform, owner, at(), at(leaseMs)),
    placeDone: (id, platform, place) => store.markPlaceDone(id, platform, place),
    delivered: (id, platform) => store.markDelivered(id, platform, at()),
    failed: (id, platform, error, retryAfterMs) => store.markFailed(id, platform, error, at(retryAfterMs ?? 5_000)),
    gaveUp: (id, platform, error) => store.markGivenUp(id, platform, error, at()),
    givenUp: (platform) => store.givenUp(platform),
    render: (id) => {
      const row = store.outboxMessage(id);
      return row ? renderOutboxRow(row, deps.rendering) : undefined;
    },
    cards: deps.cards,
  };
}
