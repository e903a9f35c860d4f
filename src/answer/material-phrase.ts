/**
 * The noun phrase that opens a request's content: "any books about …", "a book called …",
 * "buku karangan …", "novel-novel Pramoedya", "ebooks about Java", "skripsi tentang …",
 * "anything by Austen", "karya Tere Liye". It tells what the rest is (subject, title or author) and
 * sometimes a format or language.
 *
 * Without a question frame around it a material word is kept as part of the text ("buku harian",
 * "Novel Pendek") unless a relation word follows ("buku tentang …", "books by …") or the noun can
 * only be a request (karya/works + a name, novel-novel + a name, ebook/skripsi + words).
 */
import {
  ENGLISH_LANGUAGE_NAMES,
  FORMAT_MATERIALS,
  GENERIC_MATERIALS,
  PRONOUN_MATERIALS,
  QUANTIFIERS,
  RELATIONS,
  WORK_MATERIALS,
  alternation,
  languageCode,
  type Relation,
} from './question-lexicon.ts';

export interface MaterialRead {
  /** a material phrase was recognised and removed */
  matched: boolean;
  content: string;
  relation?: Relation;
  format?: string;
  language?: string;
}

const MATERIALS = alternation([...GENERIC_MATERIALS, ...WORK_MATERIALS, ...PRONOUN_MATERIALS, ...FORMAT_MATERIALS.keys()]);
const RELATION_WORDS = alternation([...RELATIONS.keys(), 'of']);
const MATERIAL_PHRASE = new RegExp(
  `^(?:(?<q>${alternation(QUANTIFIERS)}) )?(?:(?<la>${alternation(ENGLISH_LANGUAGE_NAMES)}) )?(?<m>${MATERIALS})(?: (?<r>${RELATION_WORDS}))?(?: (?<c>.+))?$`,
  'iu',
);

/** Relation words that may open the content right after a frame ("cari tentang …", "do you have anything by …"). */
const LEADING_RELATIONS = new RegExp(
  `^(?<r>${alternation([
    'about', 'regarding', 'concerning', 'tentang', 'mengenai', 'seputar', 'soal', 'terkait', 'perihal', 'called',
    'titled', 'entitled', 'berjudul', 'yang berjudul', 'dengan judul', 'judulnya', 'karya', 'karangan',
    'karangan dari', 'karya dari', 'written by', 'yang ditulis oleh', 'ditulis oleh', 'oleh', 'tulisan',
  ])}) (?<c>.+)$`,
  'iu',
);

const PRONOUNS = new Set(PRONOUN_MATERIALS);
const WORKS = new Set(WORK_MATERIALS);
const MAPS = new Set(['map', 'maps', 'atlas', 'atlases', 'peta', 'peta-peta']);
const TITLE_NOUNS = new Set(['title', 'judul']);
/** plural forms that, followed straight by a name, mean "the works of" */
const AUTHOR_PLURALS = new Set(['novel-novel', 'karya-karya', 'tulisan-tulisan']);
const NAME_PLURALS = new Set(['buku-buku', 'judul-judul']);
/** format nouns that cannot start a title, so they are a format request even without a frame */
const PLAIN_FORMAT_NOUNS = new Set(['ebook', 'ebooks', 'e-book', 'e-books', 'skripsi', 'tesis', 'disertasi', 'dvd', 'dvds']);
const PLACEHOLDER_ONLY = /^\uE000.\uE001$/u;

/** "The", "Story", "A" — not "BUKU" in a message typed in capitals. */
function titleCase(word: string | undefined): boolean {
  return word !== undefined && /^\p{Lu}(?:\p{Ll}|$)/u.test(word);
}

function looksLikeName(text: string): boolean {
  const words = text.split(' ');
  return words.length <= 5 && words.every((w) => /^[\p{Lu}\uE000]/u.test(w));
}

/**
 * Read the material phrase at the start of `content`. `framed`: the question had a frame, so a
 * bare material noun ("apakah ada buku X") is part of it. `relationHint`: a relation the frame already
 * captured ("what do you have on …").
 */
export function readMaterial(content: string, framed: boolean, relationHint?: string): MaterialRead {
  const hinted = relationHint === undefined ? undefined : relationFor(relationHint.toLowerCase(), undefined);
  if (hinted !== undefined) return { matched: true, content, relation: hinted };

  const m = MATERIAL_PHRASE.exec(content);
  if (m?.groups) {
    const read = fromMaterial(m.groups, framed);
    if (read !== undefined) return read;
  }
  if (framed) {
    const lead = LEADING_RELATIONS.exec(content);
    const relation = lead?.groups ? relationFor((lead.groups['r'] ?? '').toLowerCase(), undefined) : undefined;
    if (lead?.groups && relation !== undefined) return { matched: true, content: lead.groups['c'] ?? '', relation };
  }
  return { matched: false, content };
}

function relationFor(word: string, material: string | undefined): Relation | undefined {
  if (word === 'of') {
    if (material !== undefined && MAPS.has(material)) return 'about';
    if (material !== undefined && WORKS.has(material)) return 'author';
    return undefined;
  }
  return RELATIONS.get(word);
}

function fromMaterial(g: Record<string, string | undefined>, framed: boolean): MaterialRead | undefined {
  const material = (g['m'] ?? '').toLowerCase();
  const relationWord = g['r']?.toLowerCase();
  let rest = g['c'];
  const format = FORMAT_MATERIALS.get(material);
  const language = g['la'] === undefined ? undefined : languageCode(g['la']);
  if (g['la'] !== undefined && language === undefined) return undefined;
  const extras = { ...(format !== undefined ? { format } : {}), ...(language !== undefined ? { language } : {}) };

  let relation = relationWord === undefined ? undefined : relationFor(relationWord, material);
  if (relationWord !== undefined && relation === undefined) {
    // "of" after an ordinary noun is not a relation: it is the start of the content ("the book of Job")
    rest = rest === undefined ? relationWord : `${relationWord} ${rest}`;
  }
  if (rest === undefined || rest === '') {
    // "apakah ada buku berbahasa Jawa?", "any ebooks?": the noun was the whole request
    if (titleCase(g['q']) || titleCase(g['m'])) return undefined; // "do you have The Poems?"
    return framed && relation === undefined && !PRONOUNS.has(material) ? { matched: true, content: '', ...extras } : undefined;
  }
  if (relation !== undefined) return { matched: true, content: rest, relation, ...extras };

  if (PRONOUNS.has(material)) return undefined;
  if (WORKS.has(material) || AUTHOR_PLURALS.has(material)) return { matched: true, content: rest, relation: 'author', ...extras };
  if (NAME_PLURALS.has(material) && looksLikeName(rest) && !PLACEHOLDER_ONLY.test(rest)) {
    return { matched: true, content: rest, relation: 'author', ...extras };
  }
  if (PLACEHOLDER_ONLY.test(rest)) return { matched: true, content: rest, relation: 'title', ...extras };
  if (PLAIN_FORMAT_NOUNS.has(material)) return { matched: true, content: rest, ...extras };
  // without a frame, or written as title words ("do you have The Book Thief"), the noun stays in the text
  // a capitalised "The"/"A" or noun in a sentence starts a title ("do you have The story of the house")
  if (!framed || titleCase(g['q']) || titleCase(g['m'])) return undefined;
  return TITLE_NOUNS.has(material) ? { matched: true, content: rest, relation: 'title', ...extras } : { matched: true, content: rest, ...extras };
}
