/**
 * Filters said in words: language ("in Indonesian", "dalam bahasa Jawa", "berbahasa Inggris"),
 * publication years ("published after 2000", "terbitan tahun 2005", "between 1990 and 2000",
 * "sebelum 1980"), format ("as an ebook", "dalam bentuk DVD", trailing "ebook") and "available only".
 *
 * Two strengths. Phrases that cannot be part of a title ("published after 2000", "berbahasa Inggris")
 * are cut wherever they stand (`extractFilterPhrases`). Phrases that could belong to a title or a
 * subject ("sebelum 1980" — books *about* the years before 1980? —, "tahun 1990", "in English")
 * are cut only from the end of the content, and the year ones only when the question had a frame
 * ("cari buku … sebelum 1980"), never from a bare title ("Dilan 1990", "Indonesia sebelum 1945").
 */
import {
  ENGLISH_LANGUAGE_NAMES,
  FORMAT_NAMES,
  INDONESIAN_LANGUAGE_NAMES,
  WORD_END,
  WORD_START,
  alternation,
  languageCode,
} from './question-lexicon.ts';
import { replaceMatches } from './replace-matches.ts';

export interface QuestionFilters {
  library?: string;
  available?: boolean;
  language?: string;
  yearFrom?: number;
  yearTo?: number;
  format?: string;
}

export interface FilterScan {
  text: string;
  filters: QuestionFilters;
}

/** Copy into `into` the filters it does not have yet (the first phrase that sets a filter wins). */
export function mergeFilters(into: QuestionFilters, from: QuestionFilters): void {
  if (into.library === undefined && from.library !== undefined) into.library = from.library;
  if (into.available === undefined && from.available !== undefined) into.available = from.available;
  if (into.language === undefined && from.language !== undefined) into.language = from.language;
  if (into.format === undefined && from.format !== undefined) into.format = from.format;
  if (into.yearFrom === undefined && into.yearTo === undefined) {
    if (from.yearFrom !== undefined) into.yearFrom = from.yearFrom;
    if (from.yearTo !== undefined) into.yearTo = from.yearTo;
  }
}

// ---------------------------------------------------------------------------------------------
// Years

const YEAR = '(?:1\\d{3}|20\\d{2})';
const YEAR_RANGE = `${YEAR} ?(?:-|–|—|\\.\\.|to|and|until|till|through|dan|sampai|hingga|s/d|s\\.d\\.?|ke) ?(?:tahun )?${YEAR}`;
const DECADE = `${YEAR}(?:s|'s|-an|an)`;
const YEAR_VALUE = `(?:${YEAR_RANGE}|${DECADE}|${YEAR})`;
const YEAR_PREPOSITIONS = alternation([
  'in', 'on', 'from', 'during', 'around', 'circa', 'ca.', 'c.', 'tahun', 'th.', 'thn', 'pada', 'pada tahun', 'di tahun',
  'antara', 'between', 'dari', 'dari tahun', 'after', 'since', 'before', 'sebelum', 'sesudah', 'setelah', 'sejak',
  'later than', 'earlier than', 'newer than', 'older than', 'lebih baru dari', 'lebih lama dari', 'di atas',
  'di bawah', 'era', 'masa', 'sekitar', 'sekitar tahun', 'no earlier than', 'no later than', 'not before',
  'not after', 'up to', 'until', 'till', 'hingga', 'sampai',
]);
const PUBLISHED = alternation([
  'published', 'printed', 'released', 'issued', 'publication year', 'year of publication', 'publication date',
  'date of publication', 'terbitan', 'terbit', 'diterbitkan', 'dicetak', 'tahun terbit', 'yang terbit',
  'yang diterbitkan', 'cetakan',
]);
const COMPARATOR = '(?:>=|<=|>|<|≥|≤)';

/** "(2005)": a year in brackets is an edition year, not a title word */
const BRACKETED_YEAR = new RegExp(`\\((?:${YEAR_RANGE}|${YEAR})\\)`, 'gu');
const PUBLISHED_YEARS = new RegExp(
  `${WORD_START}${PUBLISHED}(?: ${YEAR_PREPOSITIONS})*(?: the(?= ${DECADE}))?(?: ?${COMPARATOR})? ?${YEAR_VALUE}${WORD_END}`,
  'giu',
);
const TRAILING_YEARS = new RegExp(
  `(?:^| )(?:(?:${YEAR_PREPOSITIONS} )+(?:${COMPARATOR} ?)?|${COMPARATOR} ?)${YEAR_VALUE}$|(?:^| )(?:${YEAR_PREPOSITIONS} )*(?:the )?${DECADE}$`,
  'iu',
);

/** "after 2000" → from 2001; "since 2000" → from 2000; "before 1980" → to 1979; "1990s" → 1990–1999. */
export function interpretYears(phrase: string): { yearFrom?: number; yearTo?: number } {
  const years = (phrase.match(/\d{4}/gu) ?? []).map(Number).filter((y) => y >= 1000 && y <= 2099);
  const p = phrase.toLowerCase();
  const [first, second] = years;
  if (first === undefined) return {};
  if (second !== undefined) return { yearFrom: Math.min(first, second), yearTo: Math.max(first, second) };
  if (new RegExp(`${first}(?:s|'s|-an|an)(?![\\p{L}\\p{N}])`, 'u').test(p)) return { yearFrom: first, yearTo: first + 9 };
  if (/>=|≥|no earlier than|not before/u.test(p)) return { yearFrom: first };
  if (/<=|≤|no later than|not after|up to|until|till|hingga|sampai/u.test(p)) return { yearTo: first };
  if (/>|after|later than|newer than|setelah|sesudah|lebih baru|di atas/u.test(p)) return { yearFrom: first + 1 };
  if (/since|sejak/u.test(p)) return { yearFrom: first };
  if (/<|before|earlier than|older than|sebelum|lebih lama|di bawah/u.test(p)) return { yearTo: first - 1 };
  return { yearFrom: first, yearTo: first };
}

// ---------------------------------------------------------------------------------------------
// Languages

const EN_LANG = alternation(ENGLISH_LANGUAGE_NAMES);
const ID_LANG = alternation(INDONESIAN_LANGUAGE_NAMES);

const LANGUAGE_PHRASES: readonly RegExp[] = [
  new RegExp(`${WORD_START}(?:yang )?berbahasa (${ID_LANG})${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:yang )?(?:dalam|pakai|memakai|menggunakan|versi|edisi|terjemahan(?: dalam| ke)?) bahasa (${ID_LANG})${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:versi|edisi|terjemahan) (${ID_LANG})${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:written|published|translated|printed) (?:in|into) (?:the )?(${EN_LANG})(?: language)?${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}in (?:the )?(${EN_LANG}) (?:language|translation|version|edition)${WORD_END}`, 'giu'),
  // "books in English about Java": the next word shows "in English" is not part of a title
  new RegExp(`${WORD_START}in (?:the )?(${EN_LANG})(?= (?:about|on|by|published|printed|from|at|that|which|written|for|only|available)${WORD_END})`, 'giu'),
  new RegExp(`${WORD_START}(${EN_LANG})-language${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:the |an? )?(${EN_LANG}) (?:version|edition|translation)${WORD_END}`, 'giu'),
];
const TRAILING_LANGUAGE = new RegExp(`(?:^| )(?:in|into) (?:the )?(${EN_LANG})(?: language)?$`, 'iu');

// ---------------------------------------------------------------------------------------------
// Formats

const FORMAT_PHRASES: readonly RegExp[] = [
  new RegExp(`${WORD_START}(?:in|as|on) (?:an? |the )?(ebook|e-book|pdf|dvd|vcd|audiobook|audio book|cd|paperback|hardcover|video|audio)(?: (?:format|form|version|edition|copy))?${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:in|as) (?:an? |the )?(digital|electronic|online|print|printed)(?: (?:format|form|version|edition|copy))${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:dalam )?(?:bentuk|format|versi|edisi) (ebook|e-book|pdf|digital|elektronik|dvd|vcd|video|film|audio|cetak|tercetak|online|daring)${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:the |an? )?(ebook|e-book|digital|electronic|online|pdf|dvd|film|movie|audiobook|audio|print|paperback|hardcover) (?:version|edition)${WORD_END}`, 'giu'),
];
const TRAILING_FORMAT = /(?:^| )(e-?books?)$/iu;

/** Catalogue format for a format word ("ebook", "DVD", "skripsi", "film"); undefined if unknown. */
export function formatFromWord(word: string): string | undefined {
  const w = word.toLowerCase().replace(/\s+/gu, ' ');
  if (w === 'film' || w === 'movie') return 'Video';
  return FORMAT_NAMES.get(w) ?? FORMAT_NAMES.get(w.replace(/s$/u, ''));
}

// ---------------------------------------------------------------------------------------------
// Available only

const AVAILABLE_PHRASES: readonly RegExp[] = [
  new RegExp(`${WORD_START}(?:available|tersedia) only${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}only (?:the )?(?:available|borrowable)(?: (?:ones|copies|items|titles|books))?${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:yang )?(?:hanya|cuma) (?:yang )?(?:tersedia|bisa dipinjam|dapat dipinjam)(?: saja| aja)?${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:yang )?(?:sedang |masih )?(?:tersedia|bisa dipinjam|dapat dipinjam|ada di rak) (?:saja|aja)${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}(?:that|which) (?:are|is) (?:currently |still |now )?(?:available|on the shelf|borrowable)(?: now)?${WORD_END}`, 'giu'),
  new RegExp(`${WORD_START}yang (?:sedang |masih )?(?:tersedia|bisa dipinjam|dapat dipinjam|boleh dipinjam|ada di rak)(?: (?:sekarang|saat ini))?${WORD_END}`, 'giu'),
];
const TRAILING_AVAILABLE = /(?:^| )(?:(?:currently|still|now) )?(?:available|tersedia|borrowable|on the shelf)(?: (?:now|sekarang|to borrow|for loan))?$/iu;

// ---------------------------------------------------------------------------------------------

const LANGUAGE_CUE = /bahasa|versi|edisi|terjemahan|written|published|translated|printed|language|version|edition|translation|\bin\s/iu;
const FORMAT_CUE = /ebook|e-book|pdf|dvd|vcd|audio|cd\b|paperback|hardcover|video|digital|electronic|online|print|bentuk|format|versi|edisi|film|movie|elektronik|cetak|daring|version|edition/iu;
const AVAILABLE_CUE = /available|tersedia|dipinjam|borrowable|on the shelf|di rak/iu;

/** Cut the unambiguous filter phrases wherever they stand. */
export function extractFilterPhrases(text: string): FilterScan {
  const filters: QuestionFilters = {};
  let out = text;
  // one cheap look for what each group of phrases needs before the phrases themselves
  const years = /\d{4}/u.test(text);
  const languages = LANGUAGE_CUE.test(text);
  const formats = FORMAT_CUE.test(text);
  const available = AVAILABLE_CUE.test(text);
  for (const re of years ? [PUBLISHED_YEARS, BRACKETED_YEAR] : []) {
    out = replaceMatches(out, re, (m) => {
      mergeFilters(filters, interpretYears(m[0]));
      return ' ';
    });
  }
  for (const re of languages ? LANGUAGE_PHRASES : []) {
    out = replaceMatches(out, re, (m) => {
      const code = languageCode(m[1] ?? '');
      if (code === undefined) return undefined;
      mergeFilters(filters, { language: code });
      return ' ';
    });
  }
  for (const re of formats ? FORMAT_PHRASES : []) {
    out = replaceMatches(out, re, (m) => {
      const format = formatFromWord(m[1] ?? '');
      if (format === undefined) return undefined;
      mergeFilters(filters, { format });
      return ' ';
    });
  }
  for (const re of available ? AVAILABLE_PHRASES : []) {
    out = replaceMatches(out, re, () => {
      filters.available = true;
      return ' ';
    });
  }
  return { text: tidySpaces(out), filters };
}

/**
 * Cut filter phrases from the end of the content, one after another ("… in English published after 2000").
 * `framed`: the question had a frame ("cari …", "do you have …"), so year phrases and a trailing
 * "available" are filters too.
 */
export function stripTrailingFilters(text: string, framed: boolean): FilterScan {
  const filters: QuestionFilters = {};
  let out = tidySpaces(text);
  for (let changed = true; changed && out !== ''; ) {
    changed = false;
    const before = out;
    const language = TRAILING_LANGUAGE.exec(out);
    const languageCodeFound = language ? languageCode(language[1] ?? '') : undefined;
    if (language && languageCodeFound !== undefined) {
      mergeFilters(filters, { language: languageCodeFound });
      out = out.slice(0, language.index);
    } else if (TRAILING_FORMAT.test(out)) {
      mergeFilters(filters, { format: 'eBook' });
      out = out.replace(TRAILING_FORMAT, '');
    } else if (framed && TRAILING_YEARS.test(out)) {
      const m = TRAILING_YEARS.exec(out);
      if (m) {
        mergeFilters(filters, interpretYears(m[0]));
        out = out.slice(0, m.index);
      }
    } else if (framed && TRAILING_AVAILABLE.test(out)) {
      filters.available = true;
      out = out.replace(TRAILING_AVAILABLE, '');
    }
    out = tidySpaces(out).replace(/[\s,;:]+$/u, '');
    changed = out !== before;
  }
  return { text: out, filters };
}

export function tidySpaces(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
