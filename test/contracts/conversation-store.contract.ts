import { contextKey } from '../../src/answer/conversation-store.ts';
import { describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../src/answer/conversation-store.ts';
import type { FaqStore } from '../../src/answer/faq-store.ts';

/** What every ConversationStore does. */
export function conversationStoreContract(name: string, open: () => Promise<{ store: ConversationStore; close: () => void }>): void {
  describe(`ConversationStore contract: ${name}`, () => {
    it('keeps a context under its key until it expires, the latest save winning', async () => {
      const { store, close } = await open();
      try {
        store.saveContext('k1', '{"q":"laskar"}', '2026-02-02T10:00:00.000Z');
        store.saveContext('k1', '{"q":"pelangi"}', '2026-02-02T10:30:00.000Z');
        store.saveContext('k2', '{"q":"other"}', '2026-02-02T09:00:00.000Z');
        expect(store.context('k1', '2026-02-02T10:10:00.000Z')).toBe('{"q":"pelangi"}');
        expect(store.context('k2', '2026-02-02T10:10:00.000Z')).toBeUndefined();
        expect(store.context('nobody', '2026-02-02T08:00:00.000Z')).toBeUndefined();
        store.dropExpired('2026-02-02T10:10:00.000Z');
        expect(store.context('k2', '2026-02-02T08:00:00.000Z')).toBeUndefined();
        expect(store.context('k1', '2026-02-02T10:10:00.000Z')).toBe('{"q":"pelangi"}');
      } finally {
        close();
      }
    });

    it('keeps the language a person last wrote in, per platform and user, until it expires', async () => {
      const { store, close } = await open();
      try {
        expect(store.personLanguage('slack', 'U1', '2026-02-02T10:00:00.000Z')).toBeUndefined();
        store.savePersonLanguage('slack', 'U1', 'id', '2026-08-01T00:00:00.000Z');
        store.savePersonLanguage('slack', 'U1', 'en', '2026-08-02T00:00:00.000Z');
        store.savePersonLanguage('discord', 'U1', 'id', '2026-08-02T00:00:00.000Z');
        expect(store.personLanguage('slack', 'U1', '2026-02-02T10:00:00.000Z')).toBe('en');
        expect(store.personLanguage('discord', 'U1', '2026-02-02T10:00:00.000Z')).toBe('id');
        expect(store.personLanguage('slack', 'U2', '2026-02-02T10:00:00.000Z')).toBeUndefined();
        expect(store.personLanguage('slack', 'U1', '2026-09-01T00:00:00.000Z')).toBeUndefined();
      } finally {
        close();
      }
    });

    it('forgets a person: their language and every conversation context of theirs, nobody else’s', async () => {
      const { store, close } = await open();
      try {
        const later = '2026-08-01T00:00:00.000Z';
        const now = '2026-02-02T10:00:00.000Z';
        store.savePersonLanguage('slack', 'U1', 'en', later);
        store.savePersonLanguage('slack', 'U10', 'id', later);
        store.saveContext(contextKey('slack', 'U1', 'D1'), '{"a":1}', later);
        store.saveContext(contextKey('slack', 'U1', 'C2'), '{"a":2}', later);
        store.saveContext(contextKey('slack', 'U10', 'D1'), '{"a":3}', later);
        store.saveContext(contextKey('discord', 'U1', 'D1'), '{"a":4}', later);
        store.forgetPerson('slack', 'U1');
        expect(store.personLanguage('slack', 'U1', now)).toBeUndefined();
        expect(store.context(contextKey('slack', 'U1', 'D1'), now)).toBeUndefined();
        expect(store.context(contextKey('slack', 'U1', 'C2'), now)).toBeUndefined();
        expect(store.personLanguage('slack', 'U10', now)).toBe('id');
        expect(store.context(contextKey('slack', 'U10', 'D1'), now)).toBe('{"a":3}');
        expect(store.context(contextKey('discord', 'U1', 'D1'), now)).toBe('{"a":4}');
      } finally {
        close();
      }
    });
  });
}

/** What every FaqStore does. */
export function faqStoreContract(name: string, open: () => Promise<{ store: FaqStore; close: () => void }>): void {
  describe(`FaqStore contract: ${name}`, () => {
    it('adds, edits and removes entries, listing them oldest first', async () => {
      const { store, close } = await open();
      try {
        const a = store.addFaq({ library: null, question: 'opening hours?', answer: '8–16', createdBy: 'lib-1', now: '2026-02-01T00:00:00.000Z' });
        const b = store.addFaq({ library: 'UGM', question: 'wifi?', answer: 'ask the desk', createdBy: 'lib-2', now: '2026-02-02T00:00:00.000Z' });
        expect(store.faq().map((e) => e.id)).toEqual([a, b]);
        expect(store.editFaq(b, undefined, 'password at the desk', '2026-02-03T00:00:00.000Z')).toBe(true);
        expect(store.faqEntry(b)).toMatchObject({ library: 'UGM', question: 'wifi?', answer: 'password at the desk', updatedAt: '2026-02-03T00:00:00.000Z' });
        expect(store.editFaq(b + 100, 'x', 'y', '2026-02-03T00:00:00.000Z')).toBe(false);
        expect(store.removeFaq(a)).toBe(true);
        expect(store.removeFaq(a)).toBe(false);
        expect(store.faq().map((e) => e.id)).toEqual([b]);
      } finally {
        close();
      }
    });
  });
}
