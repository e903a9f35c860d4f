/**
 * Title keys: a title folded the way people type it, for "is this the title that was asked?".
 * Case, diacritics, punctuation and ligatures are folded (analyze-text.ts), a leading article is
 * dropped ("The Hobbit" = "hobbit"), and "&", "and", "dan", "et" and "und" are one word ("Pride &
 * Prejudice" = "pride and prejudice"). The index keeps a 30-bit hash of each work's keys (a small
 * integer per work, see work-to-indexed.ts), so comparing a hit's title with the asked one costs no
 * database read.
 */
import { foldedTokens } from './analyze-text.ts';

/** Leading articles dropped from a title key (English, French, German, Spanish, Italian, Dutch). */
const LEADING_ARTICLES = new Set([
  'the', 'a', 'an', 'le', 'la', 'les', 'l', 'un', 'une', 'der', 'die', 'das', 'ein', 'eine', 'el', 'los', 'las', 'il',
  'lo', 'gli', 'i', 'de', 'het', 'een',
]);

/** Words that join two parts of a title and mean "and" in the catalog's languages. */
export const AND_WORDS: ReadonlySet<string> = new Set(['and', 'dan', 'et', 'und']);

/** The folded words of a title key: articles off the front, every "and" the same word. */
export function titleKeyWords(words: readonly string[]): string[] {
  // "&" never reaches the tokens (it is punctuation): "pride & prejudice" has no "and" at all, so no key has one
  const withoutAnd = words.filter((w) => !AND_WORDS.has(w));
  let start = 0;
  while (start < withoutAnd.length - 1 && LEADING_ARTICLES.has(withoutAnd[start] as string)) start++;
  return withoutAnd.slice(start);
}

/** The key of a title as text. */
export function titleKeyOf(text: string): string {
  return titleKeyWords(foldedTokens(text)).join(' ');
}

/** 30-bit FNV-1a of a key (a small integer V8 keeps unboxed); 0 for an empty key. */
export function keyHash(key: string): number {
  if (key === '') return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 0) & 0x3fffffff) || 1;
}

export function titleHash(text: string): number {
  return keyHash(titleKeyOf(text));
}

// ---------------------------------------------------------------------------------------------
// Commentaries and study aids: "Readings on Pride and prejudice", "Pride and prejudice : notes".

const COMMENTARY_TITLE = /^(?:readings on|notes on|a study of|studies (?:in|on)|a guide to|guide to|the [\p{L}'\s]{0,40}companion to|companion to|critical (?:essays|studies|readings|interpretations) on|approaches to teaching|cliffs ?notes|sparknotes|york notes|brodie'?s notes|coles notes|monarch notes|a reader'?s guide to|telaah|kajian|analisis|tinjauan|ulasan|ringkasan|sinopsis)\b/iu;
const COMMENTARY_SUBTITLE = /\b(?:notes|study guide|guide|a guide|reader'?s guide|student'?s guide|commentary|commentaries|criticism|critical (?:essays|studies|edition)|casebook|analysis|interpretation|companion|questions and answers|summary|sparknotes|cliffs ?notes|telaah|kajian|analisis|ulasan|ringkasan)\b/iu;
const COMMENTARY_SUBJECT = /\b(?:criticism and interpretation|study guides|examinations, questions|outlines, syllabi|commentaries|kritik dan interpretasi|telaah)\b/iu;
/** Subtitles that only say what the work is, not which one: "a novel", "roman", "sebuah novel". */
const GENERIC_SUBTITLE = /^(?:(?:a|an|the|sebuah|suatu|un|une|ein|eine)\s+)?(?:novel|roman|romance|story|stories|tale|tales|poems?|poetry|puisi|cerpen|kumpulan cerpen|kumpulan puisi|memoir|a memoir|play|drama|biography|biografi|cerita|kisah|sebuah kisah|fiction|fiksi|a novel in \p{L}+ parts?)$/iu;

/** 0: the work itself with no subtitle (or one that only says "a novel"); 1: a subtitle that tells it apart; 2: a commentary or study aid. */
export function titleTier(title: string, subtitle: string | undefined, subjects: readonly string[]): 0 | 1 | 2 {
  if (COMMENTARY_TITLE.test(title)) return 2;
  if (subtitle !== undefined && COMMENTARY_SUBTITLE.test(subtitle)) return 2;
  if (subjects.some((s) => COMMENTARY_SUBJECT.test(s))) return 2;
  if (subtitle === undefined || subtitle.trim() === '' || GENERIC_SUBTITLE.test(subtitle.trim())) return 0;
  return 1;
}
