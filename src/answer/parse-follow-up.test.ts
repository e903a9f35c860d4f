import { describe, expect, it } from 'vitest';
import { parseFollowUp } from './parse-follow-up.ts';

describe('parseFollowUp', () => {
  it.each([
    ['the second one', { intent: 'show', pick: { by: 'position', n: 2 } }],
    ['yang kedua', { intent: 'show', pick: { by: 'position', n: 2 } }],
    ['nomor 3', { intent: 'show', pick: { by: 'position', n: 3 } }],
    ['the 2005 edition', { intent: 'show', pick: { by: 'year', year: 2005 } }],
    ['edisi 2010', { intent: 'show', pick: { by: 'year', year: 2010 } }],
    ['who has it?', { intent: 'holders', pick: { by: 'focus' } }],
    ['who has the second one?', { intent: 'holders', pick: { by: 'position', n: 2 } }],
    ['siapa yang punya?', { intent: 'holders', pick: { by: 'focus' } }],
    ['is it available at UGM?', { intent: 'availability', pick: { by: 'focus' } }],
    ['apakah yang kedua tersedia di UI?', { intent: 'availability', pick: { by: 'position', n: 2 } }],
    ['request it', { intent: 'request', pick: { by: 'focus' } }],
    ['pinjam yang kedua', { intent: 'request', pick: { by: 'position', n: 2 } }],
    ['request the 2010 edition', { intent: 'request', pick: { by: 'year', year: 2010 } }],
  ])('%s', (text, expected) => {
    expect(parseFollowUp(text)).toMatchObject(expected);
  });

  it.each(['laskar pelangi', 'who has Laskar Pelangi?', 'books by Pramoedya', 'apakah ada buku Negeri 5 Menara?', 'Dilan 1990', 'The Second Sex'])(
    'leaves a new question alone: %s',
    (text) => {
      expect(parseFollowUp(text)).toBeUndefined();
    },
  );
});

describe('parseFollowUp without a pronoun', () => {
  it('refers back for "available at UGM?" but not for a question about something else', () => {
    expect(parseFollowUp('available at UGM?')).toMatchObject({ intent: 'availability', pick: { by: 'focus' } });
    expect(parseFollowUp('can I borrow a laptop in the library?')).toBeUndefined();
  });
});
