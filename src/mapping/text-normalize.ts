/**
 * Text normalisation shared by the MARC mapping, dedup keys and search:
 * display trimming (Traject's trim_punctuation rules), accent folding, and
 * RecordManager-style match keys.
 */

/**
 * Trim ISBD punctuation from the end of a MARC subfield value, as Traject's `trim_punctuation` does:
 * drop trailing ` ,/;:` (and the spaces around them); drop a trailing period only when it follows at
 * least three word characters (so "Jr." and "U.S." keep theirs); strip a leading "[" and/or trailing "]"
 * when the value has no other brackets; trim whitespace.
 */
export function trimPunctuation(value: string): string {
  // most values end in a letter or digit and have no brackets: nothing to take off but spaces
  const end = value.trimEnd();
  if (!',/;:.'.includes(end.charAt(end.length - 1)) && !value.includes('[') && !value.includes(']')) return end.trim();
  let s = value.replace(/ *[ ,/;:] *$/u, '');
  s = s.replace(/([\p{L}\p{N}_]{3})\. *$/u, '$1');
  const bracketed = /^\[?([^[\]]+)\]?$/u.exec(s);
  if (bracketed?.[1] !== undefined) s = bracketed[1];
  return s.trim();
}

/**
 * Combining marks removed by folding: the general-purpose combining diacritics, Hebrew points and
 * Arabic harakat. Marks that are part of a script's spelling (Devanagari and Thai vowel signs,
 * Japanese voicing marks…) are kept, so non-Latin words stay distinct.
 */
const FOLDED_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u064b-\u065f\u0670]/gu;

/** Letters that NFD does not decompose but readers expect folded. */
const SPECIAL_FOLDS: Readonly<Record<string, string>> = {
  'œ': 'oe',
  'æ': 'ae',
  'ß': 'ss',
  'ł': 'l',
  'ø': 'o',
  'đ': 'd',
  'ð': 'd',
  'ı': 'i',
  'þ': 'th',
  'ħ': 'h',
};
const SPECIAL_FOLD_PATTERN = new RegExp(`[${Object.keys(SPECIAL_FOLDS).join('')}]`, 'gu');

/**
 * Fold for matching: compatibility-decompose, drop diacritics, lower-case, spell out œ/æ/ß/ł/ø/đ/ı,
 * recompose (NFKC). Non-Latin letters are kept as they are (only their diacritic-like marks go).
 * Punctuation and spacing are left alone; see `normalizeKey` for the letters-and-digits-only form.
 */
export function foldText(value: string): string {
  // ASCII is its own NFKD and NFKC form and holds no mark or special letter: only the lower-casing applies
  if (isAscii(value)) return value.toLowerCase();
  return value
    .normalize('NFKD')
    .replace(FOLDED_MARKS, '')
    .toLowerCase()
    .replace(SPECIAL_FOLD_PATTERN, (ch) => SPECIAL_FOLDS[ch] ?? ch)
    .normalize('NFKC');
}

/**
 * RecordManager's key normalisation (ICU `NFD; lower; Latin; remove non-letters/digits; NFKC`),
 * without the transliteration to Latin: fold, then delete everything that is not a letter or a digit
 * (spaces included). "Laskar Pelangi!" → "laskarpelangi".
 */
export function normalizeKey(value: string): string {
  // in ASCII the letters are A-Z a-z (lower-cased by the fold) and the digits 0-9
  if (isAscii(value)) return value.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return foldText(value).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Lower-case, punctuation replaced by spaces, whitespace collapsed: the form titles are filed under. */
export function filingForm(value: string): string {
  // ASCII: its own NFC form, letters A-Z a-z, no marks, digits 0-9
  if (isAscii(value)) return value.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return value
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

export interface TitleKeyOptions {
  /**
   * Titles starting with one of these (already in filing form, e.g. "proceedings of the") are keyed
   * on up to 100 characters instead of the first few words (RecordManager's "full title prefixes").
   */
  fullTitlePrefixes?: readonly string[];
}

/**
 * RecordManager's title key: take the words of the filing title until more than three words longer
 * than three characters have been taken or the key is longer than 35 characters (100 for titles with
 * a configured "full title" prefix), cut to 200 characters, then `normalizeKey`.
 * "laskar pelangi sebuah novel karya andrea" → "laskarpelangisebuahnovel".
 */
export function createTitleKey(filingTitle: string, options: TitleKeyOptions = {}): string {
  const title = filingForm(filingTitle);
  const full = (options.fullTitlePrefixes ?? []).some((p) => p !== '' && title.startsWith(filingForm(p)));
  const limit = full ? 100 : 35;
  // lengths in code points; in ASCII (the usual title) a code point is a UTF-16 unit
  const ascii = isAscii(title);
  let key = '';
  let longWords = 0;
  for (const word of title.split(' ')) {
    if (word === '') continue;
    key += word;
    if ((ascii ? word.length : [...word].length) > 3) longWords++;
    if (!full && longWords > 3) break;
    if ((ascii ? key.length : [...key].length) > limit) break;
  }
  return normalizeKey(ascii ? key.slice(0, 200) : [...key].slice(0, 200).join(''));
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Only U+0000–U+007F: text that Unicode normalisation leaves as it is. */
export function isAscii(value: string): boolean {
  return !NON_ASCII.test(value);
}
