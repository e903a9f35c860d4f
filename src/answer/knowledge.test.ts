import { describe, expect, it } from 'vitest';
import { answerFromKnowledge, type LibraryFacts } from './knowledge.ts';

const libs: LibraryFacts[] = [
  { code: 'UGM', name: 'Perpustakaan UGM', aliases: ['Gadjah Mada'], info: { hours: { en: 'Mon-Fri 8-20', id: 'Senin-Jumat 08.00-20.00' }, visiting: 'Students of members may read on site.' } },
  { code: 'USU', name: 'Perpustakaan USU', aliases: ['Sumatera Utara'], info: { hours: 'Mon-Sat 8-16' } },
  { code: 'UINSU', name: 'Perpustakaan UIN Sumatera Utara', aliases: ['UIN Sumatera Utara'], info: { visiting: 'USU students are welcome with their student card.' } },
];

describe('answerFromKnowledge', () => {
  it('answers opening hours in the asker\'s language from the library facts', () => {
    expect(answerFromKnowledge('jam buka perpustakaan UGM?', libs, [])).toMatchObject({ kind: 'fact', library: 'UGM', topic: 'hours', text: 'Senin-Jumat 08.00-20.00', language: 'id' });
    expect(answerFromKnowledge('what are the opening hours at Gadjah Mada?', libs, [])).toMatchObject({ kind: 'fact', library: 'UGM', text: 'Mon-Fri 8-20', language: 'en' });
  });

  it('answers visiting rights for the library named, not the one the asker studies at', () => {
    expect(answerFromKnowledge('can I visit the UINSU library as a USU student?', libs, [])).toMatchObject({ kind: 'fact', library: 'UINSU', topic: 'visiting' });
  });

  it('falls back to the asker\'s own library and to the FAQ, and leaves catalog questions alone', () => {
    expect(answerFromKnowledge('what are the opening hours?', libs, [], 'USU')).toMatchObject({ kind: 'fact', library: 'USU' });
    const faq = [{ id: 1, library: null, question: 'How do I get a consortium reader card?', answer: 'Ask at any member desk.' }];
    expect(answerFromKnowledge('how can I get a reader card for the consortium', libs, faq)).toMatchObject({ kind: 'faq', entry: { id: 1 } });
    expect(answerFromKnowledge('laskar pelangi', libs, faq)).toBeUndefined();
    expect(answerFromKnowledge('books by Pramoedya', libs, faq)).toBeUndefined();
  });
});
