import { describe, expect, it } from 'vitest';
import { DECLINE_REASONS, ILL_ACTION_NAMES, REQUESTER_STATES, SUPPLIER_STATES } from '../ill/ill-states.ts';
import { illPhrases } from './ill-messages.ts';
import { buttonLabel, declineInWords, doneWords, illWording } from './ill-wording.ts';
import { phrases } from './messages.ts';

const keysOf = (o: object): string[] => Object.keys(o).sort();

/** Nested keys of a table of sentences: { a: { b: … } } → ['a.b']. */
function deepKeys(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [prefix];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => deepKeys(v, prefix ? `${prefix}.${k}` : k)).sort();
}

describe('wording tables', () => {
  it('say the same things in English and Indonesian', () => {
    expect(deepKeys(illWording('id'))).toEqual(deepKeys(illWording('en')));
    expect(deepKeys(illPhrases('id'))).toEqual(deepKeys(illPhrases('en')));
    expect(deepKeys(phrases('id'))).toEqual(deepKeys(phrases('en')));
  });

  it('word every state, every lender state, every action and every decline reason, in both languages', () => {
    for (const lang of ['en', 'id'] as const) {
      const w = illWording(lang);
      expect(keysOf(w.state)).toEqual([...REQUESTER_STATES].sort());
      expect(keysOf(w.supplierState)).toEqual([...SUPPLIER_STATES].sort());
      expect(keysOf(w.declineReason)).toEqual(DECLINE_REASONS.map((d) => d.code).sort());
      for (const a of ILL_ACTION_NAMES) expect(w.done[a], `${lang} ${a}`).toBeDefined();
    }
  });

  it('says what a button does on a cancellation', () => {
    expect(buttonLabel('id', 'approve', 'CANCEL_PENDING')).toBe('Setujui pembatalan');
    expect(buttonLabel('en', 'reject', 'CANCEL_PENDING')).toBe('Refuse cancellation');
    expect(buttonLabel('en', 'approve', 'NEW')).toBe('Approve');
  });

  it('tells an event as something done, not an order', () => {
    expect(doneWords('id', 'approve', 'NEW', 'R6')).toBe('menyetujui permintaan R6');
    expect(doneWords('en', 'approve', 'CANCEL_PENDING', 'R6')).toBe('agreed to cancel request R6');
  });

  it('turns a stored decline into the reason and the librarian\'s words', () => {
    expect(declineInWords('en', 'NotAvailableForILL: copy is damaged')).toEqual({ reason: 'not available for interlibrary loan', words: 'copy is damaged' });
    expect(declineInWords('id', 'NotOnShelf')).toEqual({ reason: 'tidak ada di rak' });
  });
});
