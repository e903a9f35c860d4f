/**
 * Known words a misspelt one may stand for: within an edit budget that grows with the word's
 * length, where an edit is an insertion, a deletion, a substitution or the swap of two adjacent
 * letters (optimal string alignment, the restricted Damerau–Levenshtein distance). "prejduice" is
 * one edit from "prejudice", "laksar" one from "laskar"; Levenshtein would count two for each.
 *
 * The index's radix tree finds words within a Levenshtein distance (which never undercounts OSA);
 * with a budget of one, words reached only through a swap are found by looking the swapped
 * spellings up (with two, Levenshtein's two edits already reach them; a swap plus another edit is
 * left out, as a tree walk of three edits would cost too much at a million works). Each candidate's
 * distance is then measured with the `damerau-levenshtein` package (the OSA distance eslint's
 * jsx-a11y plugin uses), which is the number the budget is checked against.
 */
import osaDistance from 'damerau-levenshtein';

/** Edits allowed for a word: none under 4 letters, one up to 7, two from 8. Numbers are never corrected. */
export function typoBudget(word: string): number {
  if (/\d/.test(word)) return 0;
  if (word.length < 4) return 0;
  return word.length < 8 ? 1 : 2;
}

export interface Vocabulary {
  has(term: string): boolean;
  /** terms within this Levenshtein distance */
  within(term: string, distance: number): Iterable<string>;
}

/** Known words within `budget` OSA edits of `word`, not the word itself, with their distance, closest first. */
export function typoNeighbours(word: string, budget: number, vocabulary: Vocabulary): Array<[string, number]> {
  if (budget <= 0 || word.length < 2) return [];
  // within two Levenshtein edits already lies every single swap; with a budget of one, the swapped
  // spellings are looked up (one lookup each, where a wider tree walk would cost far more)
  const candidates = new Set<string>(vocabulary.within(word, budget));
  if (budget === 1) for (const swapped of swaps(word)) if (vocabulary.has(swapped)) candidates.add(swapped);
  candidates.delete(word);
  const out: Array<[string, number]> = [];
  for (const t of candidates) {
    const d = osaDistance(word, t).steps;
    if (d > 0 && d <= budget) out.push([t, d]);
  }
  return out.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The word with each pair of adjacent (different) letters swapped. */
function swaps(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] === word[i + 1]) continue;
    out.push(word.slice(0, i) + (word[i + 1] as string) + (word[i] as string) + word.slice(i + 2));
  }
  return out;
}
