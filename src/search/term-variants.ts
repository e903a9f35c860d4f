/**
 * Other ways of writing a query word that mean the same: Indonesian spelling before and after the
 * 1972 reform (Pramoedya / Pramudya, Soekarno / Sukarno, Djakarta / Jakarta, Tjerita / Cerita,
 * Njanji / Nyanyi, Sjair / Syair, Achir / Akhir, Jogja / Yogya), numbers written as words or digits
 * ("lima" / "five" / "5"), short forms typed in chat ("perpus" / "perpustakaan"), and "and" in the
 * catalog's languages. The search looks each variant up in
 * the index and uses the ones that exist, a little below the word as typed.
 */
import { AND_WORDS } from './title-key.ts';

/** Old (van Ophuijsen / Soewandi) spelling ↔ EYD spelling, both ways. */
const SPELLING_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['oe', 'u'],
  ['dj', 'j'],
  ['tj', 'c'],
  ['j', 'y'],
  ['ch', 'kh'],
  ['nj', 'ny'],
  ['sj', 'sy'],
];

const NUMBERS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [0, ['nol', 'zero', 'kosong']],
  [1, ['satu', 'one', 'se']],
  [2, ['dua', 'two']],
  [3, ['tiga', 'three']],
  [4, ['empat', 'four']],
  [5, ['lima', 'five']],
  [6, ['enam', 'six']],
  [7, ['tujuh', 'seven']],
  [8, ['delapan', 'eight']],
  [9, ['sembilan', 'nine']],
  [10, ['sepuluh', 'ten']],
  [11, ['sebelas', 'eleven']],
  [12, ['dua belas', 'twelve']],
  [13, ['tiga belas', 'thirteen']],
  [20, ['dua puluh', 'twenty']],
  [30, ['tiga puluh', 'thirty']],
  [40, ['empat puluh', 'forty']],
  [50, ['lima puluh', 'fifty']],
  [99, ['sembilan puluh sembilan', 'ninety nine']],
  [100, ['seratus', 'hundred']],
  [1000, ['seribu', 'thousand']],
];

const NUMBER_WORDS = new Map<string, string[]>();
for (const [n, words] of NUMBERS) {
  const single = words.filter((w) => !w.includes(' ') && w !== 'se');
  NUMBER_WORDS.set(String(n), single);
  for (const w of single) NUMBER_WORDS.set(w, [String(n), ...single.filter((x) => x !== w)]);
}

/** Short forms typed in chat and the word a catalog writes (both ways). */
const SHORT_FORMS: ReadonlyArray<readonly [string, string]> = [
  ['perpus', 'perpustakaan'],
  ['univ', 'universitas'],
  ['indo', 'indonesia'],
  ['yg', 'yang'],
  ['dgn', 'dengan'],
  ['utk', 'untuk'],
  ['dr', 'dari'],
  ['bhs', 'bahasa'],
  ['sej', 'sejarah'],
  ['pend', 'pendidikan'],
  ['intro', 'introduction'],
  ['govt', 'government'],
  ['dept', 'department'],
  ['intl', 'international'],
];
const SHORT = new Map<string, string[]>();
for (const [a, b] of SHORT_FORMS) {
  SHORT.set(a, [...(SHORT.get(a) ?? []), b]);
  SHORT.set(b, [...(SHORT.get(b) ?? []), a]);
}

/** At most this many spelling variants of one word are tried. */
const MAX_SPELLINGS = 24;

/** Spelling variants of a folded word (not the word itself). */
export function spellingVariants(word: string): string[] {
  if (word.length < 3 || /\d/.test(word)) return [];
  // every place one of the pairs applies, and what it becomes there
  const edits: Array<{ at: number; from: string; to: string }> = [];
  for (const [a, b] of SPELLING_PAIRS) {
    for (const [from, to] of [[a, b], [b, a]] as const) {
      for (let at = word.indexOf(from); at !== -1; at = word.indexOf(from, at + 1)) edits.push({ at, from, to });
    }
  }
  if (edits.length === 0) return [];
  edits.sort((x, y) => x.at - y.at || y.from.length - x.from.length);
  const out = new Set<string>();
  // each combination of edits that do not overlap, breadth first, a bounded number
  const walk = (start: number, pos: number, built: string): void => {
    if (out.size >= MAX_SPELLINGS) return;
    for (let k = start; k < edits.length; k++) {
      const e = edits[k] as (typeof edits)[number];
      if (e.at < pos) continue;
      const next = built + word.slice(pos, e.at) + e.to;
      const variant = next + word.slice(e.at + e.from.length);
      if (variant !== word) out.add(variant);
      walk(k + 1, e.at + e.from.length, next);
      if (out.size >= MAX_SPELLINGS) return;
    }
  };
  walk(0, 0, '');
  out.delete(word);
  return [...out];
}

/** "lima" → 5, five; "5" → lima, five. */
export function numberVariants(word: string): string[] {
  return NUMBER_WORDS.get(word) ?? [];
}

/** Every variant of a folded query word, without the word itself. */
export function termVariants(word: string): string[] {
  if (AND_WORDS.has(word)) return [...AND_WORDS].filter((w) => w !== word);
  const out = new Set([...numberVariants(word), ...(SHORT.get(word) ?? []), ...spellingVariants(word)]);
  out.delete(word);
  return [...out];
}
