/**
 * Tokenising and folding shared by indexing and querying: NFD, marks stripped, lower-case,
 * ligatures and special letters spelt out (Pramœdya → pramoedya, Sämtliche → samtliche), so that
 * a query typed without diacritics finds the catalogued form and vice versa.
 */
const SPECIAL: Record<string, string> = {
  œ: 'oe', æ: 'ae', ß: 'ss', ł: 'l', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ŀ: 'l', ʻ: '', ʼ: '', ʹ: '', ʺ: '',
};

export function foldTerm(term: string): string {
  const hit = folded.get(term);
  if (hit !== undefined) return hit;
  let t = term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/[œæßłøđðþıŀʻʼʹʺ]/.test(t)) t = t.replace(/[œæßłøđðþıŀʻʼʹʺ]/g, (c) => SPECIAL[c] ?? c);
  if (folded.size >= FOLD_CACHE_LIMIT) folded.clear();
  folded.set(term, t);
  return t;
}

/** Folded forms of recent words: a catalog repeats its vocabulary, and folding (NFD + regexes) is most of indexing's text work. */
const folded = new Map<string, string>();
const FOLD_CACHE_LIMIT = 200_000;

/** Splits text into words: letters and digits; apostrophes inside words are dropped ("Qur'an" → "quran"). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/(\p{L})['’ʼ](\p{L})/gu, '$1$2').split(/[^\p{L}\p{N}]+/u)) {
    if (raw !== '') out.push(raw);
  }
  return out;
}

/** Folded tokens of a text, in order. */
export function foldedTokens(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    const f = foldTerm(t);
    if (f !== '') out.push(f);
  }
  return out;
}
