/**
 * Word lists the question parser matches against: materials and formats, relation words, language
 * names, greetings. Everything lower-case with single spaces; the parser turns lists into
 * alternations with `alternation()` (longest first, so "buku-buku" wins over "buku").
 */
import { LANGUAGES, canonicalCode, languageCodeFromName } from '../mapping/languages.ts';

/** `(?:a|b|…)` of literal phrases, longest first; spaces match one space (input is whitespace-normalised). */
export function alternation(phrases: readonly string[]): string {
  const unique = [...new Set(phrases)].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `(?:${unique.map(escapeRegExp).join('|')})`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
}

/** Letter/digit boundaries that also work for non-ASCII words and keep hyphenated words whole. */
export const WORD_START = '(?<![\\p{L}\\p{N}_-])';
export const WORD_END = '(?![\\p{L}\\p{N}_-])';

// ---------------------------------------------------------------------------------------------
// Materials: the noun a question uses for what it wants ("buku", "ebooks", "skripsi").

/** Nouns for "something in the catalogue" that say nothing about its format. */
export const GENERIC_MATERIALS: readonly string[] = [
  'book', 'books', 'novel', 'novels', 'title', 'titles', 'publication', 'publications', 'resource', 'resources',
  'material', 'materials', 'item', 'items', 'text', 'texts', 'textbook', 'textbooks', 'reference', 'references',
  'literature', 'article', 'articles', 'paper', 'papers', 'poem', 'poems', 'poetry', 'story', 'stories',
  'short stories', 'copy', 'copies', 'a copy of', 'copies of', 'edition', 'editions',
  'buku', 'buku-buku', 'novel-novel', 'judul', 'judul-judul', 'koleksi', 'bahan', 'bahan bacaan', 'bacaan',
  'referensi', 'literatur', 'pustaka', 'artikel', 'makalah', 'puisi', 'kumpulan puisi', 'cerpen',
  'kumpulan cerpen', 'cerita', 'komik', 'karya ilmiah', 'laporan', 'buku teks', 'buku ajar',
];

/** Nouns that name an author's output: without a relation word the name that follows is the author. */
export const WORK_MATERIALS: readonly string[] = ['works', 'writings', 'karya', 'karya-karya', 'tulisan', 'tulisan-tulisan'];

/** "anything", "something": only a material when a relation word follows ("anything on …"). */
export const PRONOUN_MATERIALS: readonly string[] = [
  'anything', 'something', 'stuff', 'things', 'everything', 'sesuatu', 'apa saja', 'apa aja', 'apa pun', 'apapun',
];

/** Nouns that ask for a format, and the catalogue format they ask for. */
export const FORMAT_MATERIALS: ReadonlyMap<string, string> = new Map([
  ...pairs('eBook', ['ebook', 'ebooks', 'e-book', 'e-books', 'electronic book', 'electronic books', 'digital book', 'digital books', 'buku elektronik', 'buku digital']),
  ...pairs('Journal', ['journal', 'journals', 'magazine', 'magazines', 'periodical', 'periodicals', 'serial', 'serials', 'newspaper', 'newspapers', 'jurnal', 'jurnal-jurnal', 'majalah', 'majalah-majalah', 'terbitan berkala', 'koran', 'surat kabar']),
  ...pairs('Thesis', ['thesis', 'theses', 'dissertation', 'dissertations', 'skripsi', 'tesis', 'disertasi', 'tugas akhir']),
  ...pairs('Video', ['video', 'videos', 'film', 'films', 'movie', 'movies', 'dvd', 'dvds', 'vcd', 'film-film']),
  ...pairs('Map', ['map', 'maps', 'atlas', 'atlases', 'peta', 'peta-peta']),
  ...pairs('Musical Score', ['score', 'scores', 'musical score', 'musical scores', 'sheet music', 'partitur']),
  ...pairs('Sound Recording', ['recording', 'recordings', 'sound recording', 'sound recordings', 'audiobook', 'audiobooks', 'audio book', 'audio books', 'cd', 'cds', 'cassette', 'cassettes', 'rekaman', 'kaset']),
  ...pairs('Manuscript', ['manuscript', 'manuscripts', 'naskah', 'manuskrip']),
]);

/** Values of `format:` (and format words in phrases like "as an ebook") → catalogue format. */
export const FORMAT_NAMES: ReadonlyMap<string, string> = new Map([
  ...FORMAT_MATERIALS,
  ...pairs('Book', ['book', 'books', 'buku', 'print', 'printed', 'cetak', 'tercetak', 'paperback', 'hardcover', 'monograph', 'monografi']),
  ...pairs('eBook', ['pdf', 'digital', 'electronic', 'elektronik', 'online', 'daring']),
  ...pairs('Video', ['dvd']),
  ...pairs('Sound Recording', ['audio', 'sound', 'cd']),
  ...pairs('Thesis', ['theses', 'skripsi']),
  ...pairs('Image', ['image', 'images', 'photo', 'photos', 'photograph', 'gambar', 'foto']),
  ...pairs('Software/Data', ['software', 'data', 'dataset', 'perangkat lunak']),
  ...pairs('Kit', ['kit']),
]);

function pairs(value: string, keys: readonly string[]): Array<[string, string]> {
  return keys.map((k) => [k, value]);
}

// ---------------------------------------------------------------------------------------------
// Relation words between a material and what follows: about / called / by.

export type Relation = 'about' | 'title' | 'author';

export const RELATIONS: ReadonlyMap<string, Relation> = new Map([
  ...relations('about', [
    'about', 'on', 'regarding', 'concerning', 'on the topic of', 'on the subject of', 'related to', 'relating to',
    'dealing with', 'covering', 'to do with', 'that deal with', 'that deals with',
    'tentang', 'mengenai', 'soal', 'seputar', 'terkait', 'perihal', 'membahas', 'yang membahas', 'bertema',
    'bertopik', 'dengan tema', 'dengan topik', 'berkaitan dengan', 'yang berkaitan dengan', 'yang berhubungan dengan',
    'yang bertema', 'yang bertopik', 'bertemakan', 'yang tentang',
  ]),
  ...relations('title', [
    'called', 'titled', 'entitled', 'named', 'with the title', 'by the title', 'under the title', 'by the name',
    'berjudul', 'yang berjudul', 'dengan judul', 'judulnya', 'yang judulnya', 'bernama', 'yang bernama',
  ]),
  ...relations('author', [
    'by', 'written by', 'authored by', 'by the author', 'by author', 'from the author', 'from author',
    'karangan', 'karya', 'tulisan', 'oleh', 'yang ditulis oleh', 'ditulis oleh', 'yang ditulis', 'ditulis',
    'yang dikarang oleh', 'dikarang oleh', 'yang dikarang', 'dari pengarang', 'dari penulis', 'pengarang',
    'penulis', 'garapan', 'dari', 'karangan dari', 'karya dari',
  ]),
]);

function relations(relation: Relation, keys: readonly string[]): Array<[string, Relation]> {
  return keys.map((k) => [k, relation]);
}

/** Determiners before a material: "any books", "a copy of", "beberapa buku". */
export const QUANTIFIERS: readonly string[] = [
  'any', 'some', 'a', 'an', 'the', 'all', 'all the', 'all of the', 'a few', 'more', 'other', 'good', 'new',
  'the latest', 'recent', 'a list of', 'list of', 'sebuah', 'suatu', 'beberapa', 'semua', 'seluruh', 'daftar',
];

// ---------------------------------------------------------------------------------------------
// Languages

/** English names usable after "in" ("in Indonesian", "in Bahasa"). */
export const ENGLISH_LANGUAGE_NAMES: readonly string[] = [
  ...LANGUAGES.filter((l) => !['und', 'zxx', 'mul', 'gre', 'grc'].includes(l.code)).map((l) => l.english.toLowerCase()),
  'greek', 'ancient greek', 'mandarin', 'bahasa', 'bahasa indonesia', 'malaysian', 'bahasa melayu', 'old javanese',
];

/** Indonesian names usable after "bahasa" ("dalam bahasa Jawa", "berbahasa Inggris"). */
export const INDONESIAN_LANGUAGE_NAMES: readonly string[] = [
  ...LANGUAGES.filter((l) => !['und', 'zxx', 'mul'].includes(l.code)).map((l) => l.indonesian.toLowerCase()),
  'perancis', 'cina', 'china', 'tionghoa', 'minang', 'sansekerta', 'malaysia',
];

/** A language's name in the asker's language ("Javanese" / "Jawa"); the code itself when unknown. */
export function languageLabel(code: string, language: 'en' | 'id'): string {
  const l = LANGUAGES.find((x) => x.code === code);
  if (!l) return code;
  return language === 'id' ? l.indonesian : l.english;
}

/** MARC code for a language name or code as typed (`lang:ind`, `lang:indonesian`, "Inggris"); undefined if unknown. */
export function languageCode(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  const byName = languageCodeFromName(v);
  if (byName !== undefined) return byName;
  const code = canonicalCode(v);
  if (/^[a-z]{3}$/u.test(code) && LANGUAGES.some((l) => l.code === code)) return code;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Greetings, thanks and help: a message made only of these (plus fillers) is small talk.

export const GREETING_PATTERNS: readonly string[] = [
  'hi+', 'hello+', 'hell?o', 'hallo', 'halo+', 'hai+', 'hey+', 'heya', 'hiya', 'howdy', 'yo', 'greetings',
  'good (?:morning|afternoon|evening|day)', 'morning', 'selamat (?:pagi|siang|sore|malam|datang)', 'pagi', 'siang',
  'sore', 'malam', "assalamu'?alaikum(?: (?:warahmatullahi )?(?:wr|wa)? ?(?:wb|wabarakatuh))?", 'salam', 'permisi',
  'apa kabar', 'how are you', "how's it going", 'good to see you', 'nice to meet you',
];

export const THANKS_PATTERNS: readonly string[] = [
  // longer alternatives first: the first one that ends at a word boundary wins
  'thank (?:you|u)(?: (?:so much|very much|again|for (?:the|your) help|for helping))?',
  'thanks?(?: (?:a lot|so much|very much|again|a bunch|a million|heaps|for (?:the|your) help|for helping))?',
  'thx', 'tq', 'ty', 'tks',
  'cheers', 'much appreciated', 'appreciate it',
  'terima ?kasih(?: (?:banyak|ya|atas bantuannya|sudah membantu|atas informasinya))?', 'makasih(?: (?:banyak|ya))?',
  'makasi', 'maksih', 'trims', 'trimakasih', 'suwun', 'matur nuwun', 'nuhun',
];

export const HELP_PATTERNS: readonly string[] = [
  'help(?: me)?', 'bantuan', 'tolong(?: bantu(?: saya| aku)?)?', 'bantu(?: saya| aku)?', 'butuh bantuan',
  'minta bantuan', 'perlu bantuan',
  "what (?:can|could) (?:you|u|jala|this bot|i) (?:do|help(?: me)? with|ask(?: you)?(?: about)?)(?: for me)?",
  'what do you do', 'what are you', 'who are you', 'what is jala', 'what is this',
  'how (?:do|can|should) i use (?:you|this|this bot|jala|it)', 'how does (?:this|it|jala) work', 'how do you work',
  'how to use(?: (?:you|this|this bot|jala))?', 'usage', 'commands?', 'menu', 'manual', 'instructions',
  'panduan', 'petunjuk', 'cara (?:pakai|menggunakan|memakai)(?:nya)?(?: (?:jala|bot ini|kamu|ini))?',
  '(?:bagaimana|gimana) cara (?:pakai|menggunakan|memakai)(?:nya)?(?: (?:jala|bot ini|kamu|ini))?',
  'apa(?: saja| aja)? yang (?:bisa|dapat) (?:kamu|anda|kau|jala|km|bot ini) (?:lakukan|kerjakan|bantu)',
  '(?:kamu|anda|jala|km) bisa (?:apa|ngapain)(?: saja| aja)?', 'bisa apa(?: saja| aja)?',
  'siapa (?:kamu|anda|jala)', 'kamu siapa', 'fitur(?:nya)?', 'features',
];

/** Words that may pad small talk ("halo kak", "thanks Jala", "ok makasih ya"). */
export const SMALL_TALK_FILLERS: readonly string[] = [
  'jala', 'bot', 'kak', 'kakak', 'min', 'admin', 'mas', 'mbak', 'pak', 'bu', 'bang', 'there', 'all', 'everyone',
  'everybody', 'semua', 'semuanya', 'guys', 'team', 'tim', 'bro', 'sis', 'gan', 'ya', 'yah', 'dong', 'deh', 'nih',
  'ok', 'oke', 'okay', 'okey', 'okei', 'baik', 'sip', 'siap', 'great', 'good', 'nice', 'cool', 'awesome', 'please',
  'pls', 'plz', 'mohon', 'again', 'lagi', 'sekali', 'and', 'dan', 'oh', 'ah', 'wow', 'mantap', 'keren', 'hmm', 'um',
];
