/**
 * Ranking that matches what was asked, on top of the search's scores:
 *  1. a work whose title equals the asked title (title-key.ts: case, diacritics, punctuation,
 *     leading articles and "&"/"and"/"dan"/"et"/"und" folded) comes first — the longer the asked
 *     words its title covers, the earlier ("laskar pelangi hirata": the title is "laskar pelangi");
 *  2. among those, commentaries and study aids ("Readings on X", "X : notes") last;
 *  3. then the edition of the year asked for ("Pride and prejudice 1967");
 *  4. then the work itself before one with a telling subtitle, then the search's own order.
 * Only the index's stored facts are read: no database round trip per hit.
 */
import type { SearchHit } from './minisearch-index.ts';
import type { SearchIndex } from './search-index.ts';
import { keyHash, titleKeyWords } from './title-key.ts';

export interface TitleWish {
  /** folded words of the asked text (title words first when the question named a title) */
  words: readonly string[];
  /** the year of the edition asked for */
  year?: number;
}

export interface TitleRanked {
  hits: SearchHit[];
  /** some work's title equals the asked one (or a run of its words at either end) */
  titleFound: boolean;
  /** some work's title equals every asked word */
  wholeTitleFound: boolean;
  /** undefined when no year was asked; else whether a hit of that year was found where it counts */
  yearFound?: boolean;
}

/** Hashes of the asked words' spans that may be a title (prefixes and suffixes of two words or more), with their length. */
export function titleSpans(words: readonly string[]): Map<number, number> {
  const spans = new Map<number, number>();
  const n = words.length;
  const min = Math.min(2, n);
  const add = (from: number, to: number): void => {
    const key = titleKeyWords(words.slice(from, to)).join(' ');
    const h = keyHash(key);
    if (h !== 0 && (spans.get(h) ?? 0) < to - from) spans.set(h, to - from);
  };
  for (let len = n; len >= min; len--) {
    add(0, len);
    add(n - len, n);
  }
  return spans;
}

export function rankByTitle(index: Pick<SearchIndex, 'stored'>, hits: readonly SearchHit[], wish: TitleWish): TitleRanked {
  const spans = wish.words.length > 0 ? titleSpans(wish.words) : new Map<number, number>();
  const keyed = hits.map((hit, i) => {
    const f = index.stored(hit.id);
    const span = f ? Math.max(spans.get(f.tk as number) ?? 0, spans.get(f.tx as number) ?? 0) : 0;
    return { hit, i, span, tier: span > 0 ? ((f?.tq as number | undefined) ?? 0) : 0, yearMatch: wish.year !== undefined && f?.year === wish.year };
  });
  if (wish.year === undefined && !keyed.some((k) => k.span > 0)) return { hits: [...hits], titleFound: false, wholeTitleFound: false };
  const titleFound = keyed.some((k) => k.span > 0);
  const wholeTitleFound = wish.words.length > 0 && keyed.some((k) => k.span >= wish.words.length);
  // commentaries after the works; then the year asked for; then the work itself before a telling subtitle
  keyed.sort(
    (a, b) =>
      b.span - a.span ||
      Number(a.tier === 2) - Number(b.tier === 2) ||
      Number(b.yearMatch) - Number(a.yearMatch) ||
      a.tier - b.tier ||
      a.i - b.i,
  );
  const out: TitleRanked = { hits: keyed.map((k) => k.hit), titleFound, wholeTitleFound };
  if (wish.year !== undefined) {
    // the year counts among the works of the asked title when there are any, else among all
    const pool = titleFound ? keyed.filter((k) => k.span > 0) : keyed;
    out.yearFound = pool.some((k) => k.yearMatch);
  }
  return out;
}
