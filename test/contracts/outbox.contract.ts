import { describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/ill/outbox.ts';

const msg = (over: Partial<Parameters<Outbox['enqueue']>[0]> = {}): Parameters<Outbox['enqueue']>[0] => ({
  targetType: 'library', target: 'UGM', targetPlatform: null, requestId: 1, payload: '{"n":1}', createdAt: '2026-02-02T08:00:00.000Z', ...over,
});

/** What every Outbox does. `open` gives a fresh, empty outbox. */
export function outboxContract(name: string, open: () => Promise<{ outbox: Outbox; close: () => void }>): void {
  describe(`Outbox contract: ${name}`, () => {
    it('gives each platform the messages for the libraries it reaches and its own users, oldest first, until that platform delivered them', async () => {
      const { outbox, close } = await open();
      try {
        const a = outbox.enqueue(msg());
        const b = outbox.enqueue(msg({ target: 'UI', requestId: 2 }));
        const c = outbox.enqueue(msg({ targetType: 'user', target: 'U1', targetPlatform: 'discord', requestId: 3 }));
        const now = '2026-02-02T09:00:00.000Z';
        expect(outbox.pendingFor('slack', ['UGM', 'UI'], now, 50).map((r) => r.id)).toEqual([a, b]);
        expect(outbox.pendingFor('discord', ['UGM'], now, 50).map((r) => r.id)).toEqual([a, c]);
        outbox.markDelivered(a, 'slack', now);
        expect(outbox.pendingFor('slack', ['UGM', 'UI'], now, 50).map((r) => r.id)).toEqual([b]);
        expect(outbox.pendingFor('discord', ['UGM'], now, 50).map((r) => r.id)).toEqual([a, c]);
        expect(outbox.outboxMessage(b)).toMatchObject({ id: b, target: 'UI', payload: '{"n":1}', requestId: 2 });
      } finally {
        close();
      }
    });

    it('holds a failed message until its retry time, and later messages of the same request and target behind it', async () => {
      const { outbox, close } = await open();
      try {
        const first = outbox.enqueue(msg());
        const second = outbox.enqueue(msg({ payload: '{"n":2}' }));
        const other = outbox.enqueue(msg({ requestId: 9 }));
        outbox.markFailed(first, 'slack', 'rate limited', '2026-02-02T10:00:00.000Z');
        expect(outbox.pendingFor('slack', ['UGM'], '2026-02-02T09:00:00.000Z', 50).map((r) => r.id)).toEqual([other]);
        const retried = outbox.pendingFor('slack', ['UGM'], '2026-02-02T10:00:00.000Z', 50);
        expect(retried.map((r) => r.id)).toEqual([first, second, other]);
        expect(retried[0]?.attempts).toBe(1);
      } finally {
        close();
      }
    });
    it('lets one sender at a time claim a message: not while another holds a live lease, nor before its retry time, nor once delivered', async () => {
      const { outbox, close } = await open();
      try {
        const m = outbox.enqueue(msg());
        const t = (minute: number): string => `2026-02-02T09:${String(minute).padStart(2, '0')}:00.000Z`;
        expect(outbox.claim(m, 'slack', 'a', t(0), t(2))).toBe(true);
        expect(outbox.claim(m, 'slack', 'b', t(1), t(3))).toBe(false);
        // a sender that died: its lease runs out and another takes the message over
        expect(outbox.claim(m, 'slack', 'b', t(2), t(4))).toBe(true);
        expect(outbox.claim(m, 'slack', 'a', t(3), t(5))).toBe(false);
        // a failure releases the lease, but the message waits for its retry time, for every sender
        outbox.markFailed(m, 'slack', 'transport/timeout', t(10));
        expect(outbox.claim(m, 'slack', 'a', t(5), t(7))).toBe(false);
        expect(outbox.claim(m, 'slack', 'a', t(10), t(12))).toBe(true);
        outbox.markDelivered(m, 'slack', t(11));
        expect(outbox.claim(m, 'slack', 'b', t(20), t(22))).toBe(false);
      } finally {
        close();
      }
    });
  });
}
