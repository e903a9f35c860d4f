import { describe, expect, it } from 'vitest';
import { languageSignal } from './detect-language.ts';
import { onlyPointsBack, requestIntent } from './request-intent.ts';

describe('requestIntent', () => {
  it.each([
    ['pinjam buku saman', 'saman'],
    ['request Pulang please', 'Pulang'],
    ['saya mau pinjam Laskar Pelangi dong', 'Laskar Pelangi'],
    ["I'd like to borrow Cantik itu luka", 'Cantik itu luka'],
    ['tolong pinjamkan', undefined],
    ['request 9789793062792', '9789793062792'],
    ['request it', 'it'],
    ['pinjam yang kedua', 'yang kedua'],
    ['request please', ''],
  ])('%s → %s', (text, item) => {
    expect(requestIntent(text)?.item).toBe(item);
  });

  it('leaves questions about borrowing to the availability answer', () => {
    expect(requestIntent('can I borrow Saman?')).toBeUndefined();
    expect(requestIntent('bisa pinjam bukunya?')).toBeUndefined();
    expect(requestIntent('laskar pelangi')).toBeUndefined();
  });

  it('knows words that only point back', () => {
    expect(onlyPointsBack('it')).toBe(true);
    expect(onlyPointsBack('yang kedua')).toBe(true);
    expect(onlyPointsBack('the 2005 edition')).toBe(true);
    expect(onlyPointsBack('saman')).toBe(false);
  });
});

describe('languageSignal', () => {
  it('gives no sign for a title, a name or a typo', () => {
    for (const t of ['laskar pelagi', 'ronggeng dukuh paru', 'Cantik itu luka', 'Pramoedya Ananta Toer', 'The rainbow troops']) expect(languageSignal(t), t).toBeUndefined();
  });

  it('reads the words around the title', () => {
    expect(languageSignal('do you have Cantik itu luka?', ['Cantik itu luka'])).toBe('en');
    expect(languageSignal('apakah ada buku The rainbow troops?', ['The rainbow troops'])).toBe('id');
    expect(languageSignal('request Pulang please', ['Pulang'])).toBe('en');
    expect(languageSignal('pinjam buku saman', ['saman'])).toBe('id');
  });
});
