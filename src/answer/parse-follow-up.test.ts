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

describe('whole words only', () => {
  it('does not read "punya" as a pronoun: a named title is a new question', () => {
    expect(parseFollowUp('siapa yang punya Negeri 5 Menara?')).toBeUndefined();
    expect(parseFollowUp('siapa yang punya Pulang?')).toBeUndefined();
    expect(parseFollowUp('hanya ada Saman?')).toBeUndefined();
  });

  it('still reads "bukunya" and a bare "siapa yang punya?" as pointing back', () => {
    expect(parseFollowUp('siapa yang punya bukunya?')).toMatchObject({ intent: 'holders', pick: { by: 'focus' } });
    expect(parseFollowUp('pinjam bukunya dong')).toMatchObject({ intent: 'request', pick: { by: 'focus' } });
  });

  it('leaves a request that names its own book to the caller', () => {
    expect(parseFollowUp('pinjam buku saman')).toBeUndefined();
    expect(parseFollowUp('request Pulang please')).toBeUndefined();
    expect(parseFollowUp('request please')).toMatchObject({ intent: 'request', pick: { by: 'focus' } });
  });
});
