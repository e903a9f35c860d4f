import { stemmer as snowballEnglish } from '@orama/stemmers/english';
import { Stemmer } from 'sastrawijs';

/**
 * Stemming for the stemmed twin of each text field. Indonesian uses Sastrawi (dictionary-backed:
 * "pelangi" stays "pelangi", unlike Snowball's "langi"); English uses Snowball. Short words and
 * numbers are never stemmed. Results are cached: catalogs repeat their vocabulary a lot.
 */
const indonesian = new Stemmer();
const cache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 200_000;

export function stems(folded: string): readonly string[] {
  const hit = cache.get(folded);
  if (hit) return hit;
  let out: readonly string[];
  if (folded.length < 4 || /\d/.test(folded) || !/^[a-z]+$/.test(folded)) {
    out = [folded];
  } else {
    const en = snowballEnglish(folded);
    const id = indonesian.stem(folded);
    out = en === id ? [en] : [en, id];
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(folded, out);
  return out;
}
