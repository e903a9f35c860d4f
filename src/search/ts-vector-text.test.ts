import { describe, expect, it } from 'vitest';
import { lexeme, scopedForm, tsVectorText } from './ts-vector-text.ts';
import type { IndexedWork } from './index-options.ts';

const doc = (over: Partial<IndexedWork>): IndexedWork => ({
  id: 1, titleShort: '', title: '', subjects: '', authors: '', titleAlt: '', series: '', other: '', title_s: '', subjects_s: '', other_s: '',
  libs: [], avail: [], year: undefined, lang: [], format: 'Book', tk: 0, tx: 0, tq: 0,
  ...over,
});

/** lexeme → the weights it carries, from the tsvector text */
function weights(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/'((?:[^']|'')*)':([\dA-D,]+)/g)) out.set((m[1] as string).replace(/''/g, "'"), [...new Set((m[2] as string).replace(/\d|,/g, ''))].sort().join(''));
  return out;
}

describe('tsVectorText', () => {
  it('weights each field group (titles A, subjects B, authors C, the rest D) with words folded as the in-memory index folds them', () => {
    const w = weights(tsVectorText(doc({ titleShort: 'Laskar Pélangi', title: 'Laskar Pélangi', subjects: 'Sejarah', authors: 'Hirata, Andrea', other: 'Bentang Pustaka', series: 'Tetralogi' })));
    expect(w.get('laskar')).toBe('A');
    expect(w.get('pelangi')).toBe('A');
    expect(w.get('tetralogi')).toBe('A');
    expect(w.get('sejarah')).toBe('B');
    expect(w.get('hirata')).toBe('C');
    expect(w.get('bentang')).toBe('D');
    expect(w.has('Laskar')).toBe(false);
  });

  it('adds stems as marked lexemes of the stemmed fields only (never passing for words), English and Indonesian', () => {
    const w = weights(tsVectorText(doc({ title_s: 'histories', subjects_s: 'pendidikan', authors: 'programming' })));
    expect(w.get('~histori')).toBe('A');
    expect(w.get('~didik')).toBe('B');
    expect(w.has('histori')).toBe(false);
    expect([...w.keys()].some((k) => k.startsWith('~program'))).toBe(false);
  });

  it('copies each word and stem of titles, subjects and authors marked with its group, without positions (what scoped questions match)', () => {
    const text = tsVectorText(doc({ title: 'Laskar', title_s: 'histories', subjects: 'Sejarah', subjects_s: 'pendidikan', authors: 'Hirata', other: 'Bentang' }));
    const bare = new Set([...text.matchAll(/(?:^| )'((?:[^']|'')*)'(?= |$)/g)].map((m) => m[1] as string));
    for (const form of ['^alaskar', '^a~histori', '^bsejarah', '^b~didik', '^chirata']) expect(bare).toContain(form);
    expect([...bare].every((f) => f.startsWith('^'))).toBe(true);
    expect([...bare].some((f) => f.includes('bentang') || f.startsWith('^d'))).toBe(false);
    expect(scopedForm('B', '~didik')).toBe('^b~didik');
    // the marked copies carry no weight: the words' own positions rank
    expect(weights(text).get('sejarah')).toBe('B');
    expect(weights(text).has('^bsejarah')).toBe(false);
  });

  it('quotes lexemes for tsvector and tsquery text', () => {
    expect(lexeme("o'brien")).toBe("'o''brien'");
    expect(lexeme('a\\b')).toBe("'a\\\\b'");
  });
});
