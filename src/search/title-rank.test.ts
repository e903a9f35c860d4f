import { describe, expect, it } from 'vitest';
import type { IndexedWork } from './index-options.ts';
import { MiniSearchIndex } from './minisearch-index.ts';
import { rankByTitle } from './title-rank.ts';
import { titleHash, titleKeyOf, titleTier } from './title-key.ts';
import { foldedTokens } from './analyze-text.ts';

function work(id: number, title: string, year: number, subtitle?: string, subjects: string[] = []): IndexedWork {
  const full = subtitle ? `${title} : ${subtitle}` : title;
  const tq = titleTier(full, subtitle, subjects);
  const tk = titleHash(title);
  return {
    id, titleShort: title, title: full, subjects: subjects.join(' ; '), authors: 'Austen, Jane', titleAlt: '', series: '', other: '',
    title_s: full, subjects_s: subjects.join(' '), other_s: '', libs: ['A'], avail: [], year, lang: ['eng'], format: 'Book',
    tk, tx: tq === 0 ? tk : titleHash(full), tq,
  };
}

describe('title keys', () => {
  it('fold case, accents, punctuation, leading articles and every "and"', () => {
    expect(titleKeyOf('Pride & Prejudice')).toBe(titleKeyOf('pride and prejudice'));
    expect(titleKeyOf('The Hobbit')).toBe('hobbit');
    expect(titleKeyOf('Fêtes jubilaires')).toBe('fetes jubilaires');
    expect(titleKeyOf('Bumi dan manusia')).toBe(titleKeyOf('bumi & manusia'));
  });

  it('tell commentaries and study aids from the work itself', () => {
    expect(titleTier('Readings on Pride and prejudice', undefined, [])).toBe(2);
    expect(titleTier('Pride and prejudice : notes', 'notes', [])).toBe(2);
    expect(titleTier('Pride and prejudice', undefined, ['Austen, Jane -- Criticism and interpretation'])).toBe(2);
    expect(titleTier('Pride and prejudice : a novel', 'a novel', [])).toBe(0);
    expect(titleTier('Pride and prejudice : an annotated edition', 'an annotated edition', [])).toBe(1);
  });
});

describe('ranking by the asked title', () => {
  const docs = [
    work(1, 'Readings on Pride and prejudice', 1999),
    work(2, 'Pride and prejudice', 2003, 'notes'),
    work(3, 'Pride and prejudice', 1967),
    work(4, 'Pride and prejudice', 2010, 'a novel'),
    work(5, 'Pride and prejudice and zombies', 2009),
  ];
  const index = MiniSearchIndex.build([docs]);
  const hits = index.search({ terms: foldedTokens('pride prejudice'), scope: 'all', mode: 'all', fuzzy: false, filters: {} }, 50);

  it('puts the work whose title equals the asked one first, commentaries after it, "&" as "and"', () => {
    const ranked = rankByTitle(index, hits, { words: foldedTokens('Pride & Prejudice') }).hits.map((h) => h.id);
    expect(ranked.slice(0, 2).sort()).toEqual([3, 4]);
    expect(ranked.indexOf(2)).toBeGreaterThan(ranked.indexOf(4));
    expect(ranked.indexOf(1)).toBeGreaterThan(ranked.indexOf(2));
  });

  it('puts the edition of the asked year first, and says when there is none', () => {
    const asked = rankByTitle(index, hits, { words: foldedTokens('pride and prejudice'), year: 1967 });
    expect(asked.hits[0]?.id).toBe(3);
    expect(asked.yearFound).toBe(true);
    const missing = rankByTitle(index, hits, { words: foldedTokens('pride and prejudice'), year: 1813 });
    expect([3, 4]).toContain(missing.hits[0]?.id);
    expect(missing.yearFound).toBe(false);
    // a commentary of the asked year does not come before the work itself
    expect(rankByTitle(index, hits, { words: foldedTokens('pride and prejudice'), year: 2003 }).hits[0]?.id).not.toBe(2);
  });
});
