import { describe, expect, it } from 'vitest';
import type { CardRefStore } from '../../src/ill/card-ref-store.ts';

/** What every CardRefStore keeps: where a platform showed a card, the version it shows (never going back), until forgotten. */
export function cardRefStoreContract(name: string, open: () => Promise<{ cards: CardRefStore; close: () => void }>): void {
  describe(`CardRefStore contract: ${name}`, () => {
    it('saves, replaces and forgets a card; the version shown only moves forward', async () => {
      const { cards, close } = await open();
      try {
        expect(cards.card('slack', 'R7', 'C-UI')).toBeUndefined();
        cards.saveCard('slack', 'R7', 'C-UI', { channel: 'C-UI', messageId: '1.1', threadId: '1.1', shownVersion: 2 });
        cards.saveCard('discord', 'R7', 'C-UI', { channel: 'C-UI', messageId: 'm9' });
        expect(cards.card('slack', 'R7', 'C-UI')).toEqual({ channel: 'C-UI', messageId: '1.1', threadId: '1.1', shownVersion: 2 });
        expect(cards.card('discord', 'R7', 'C-UI')).toEqual({ channel: 'C-UI', messageId: 'm9' });
        cards.cardShown('slack', 'R7', 'C-UI', 4);
        cards.cardShown('slack', 'R7', 'C-UI', 3);
        expect(cards.card('slack', 'R7', 'C-UI')?.shownVersion).toBe(4);
        cards.cardShown('discord', 'R7', 'C-UI', 1);
        expect(cards.card('discord', 'R7', 'C-UI')?.shownVersion).toBe(1);
        cards.saveCard('slack', 'R7', 'C-UI', { channel: 'C-UI', messageId: '2.2' });
        expect(cards.card('slack', 'R7', 'C-UI')).toEqual({ channel: 'C-UI', messageId: '2.2' });
        cards.forgetCard('slack', 'R7', 'C-UI');
        expect(cards.card('slack', 'R7', 'C-UI')).toBeUndefined();
        expect(cards.card('discord', 'R7', 'C-UI')).toEqual({ channel: 'C-UI', messageId: 'm9', shownVersion: 1 });
      } finally {
        close();
      }
    });
  });
}
