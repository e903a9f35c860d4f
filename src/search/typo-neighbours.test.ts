import { describe, expect, it } from 'vitest';
import { typoBudget, typoNeighbours, type Vocabulary } from './typo-neighbours.ts';

/** A plain word list with a brute-force Levenshtein, as the radix tree's fuzzyGet answers. */
function vocabulary(words: string[]): Vocabulary {
  const lev = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        (d[i] as number[])[j] = Math.min((d[i - 1] as number[])[j]! + 1, (d[i] as number[])[j - 1]! + 1, (d[i - 1] as number[])[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return (d[a.length] as number[])[b.length] as number;
  };
  return { has: (t) => words.includes(t), within: (t, n) => words.filter((w) => lev(t, w) <= n) };
}

describe('typo neighbours', () => {
  const words = vocabulary(['prejudice', 'pride', 'laskar', 'pelangi', 'austen', 'listen', 'menara', 'negeri', 'bumi', 'manusia']);

  it('counts a swap of two adjacent letters as one edit', () => {
    expect(typoNeighbours('prejduice', typoBudget('prejduice'), words)).toEqual([['prejudice', 1]]);
    expect(typoNeighbours('laksar', typoBudget('laksar'), words)).toEqual([['laskar', 1]]);
    expect(typoNeighbours('pirde', typoBudget('pirde'), words)).toEqual([['pride', 1]]);
  });

  it('gives short words no edits, words up to seven letters one and longer words two', () => {
    expect(typoBudget('bmui')).toBe(1);
    expect(typoBudget('bum')).toBe(0);
    expect(typoBudget('menara')).toBe(1);
    expect(typoBudget('manusiaa')).toBe(2);
    expect(typoBudget('1984')).toBe(0);
    expect(typoNeighbours('austen', 1, words)).toEqual([]);
    expect(typoNeighbours('negri', typoBudget('negri'), words)).toEqual([['negeri', 1]]);
  });
});
