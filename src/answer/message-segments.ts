/**
 * A chat message cut into the pieces it is made of, so that the parser can keep the ones that carry
 * a title, an author, a subject or an identifier and set the rest aside: greetings and thanks, small
 * politeness ("tolong ya kak"), the asker's story ("I'm a second-year student at UGM, my lecturer
 * asked us to…"), and questions that only say what to do with the book ("Does any library have
 * it?", "ada di perpustakaan mana ya?").
 *
 * Sentences end at ".", "!", "?", "…" or a line break (not after an initial, "Dr." or "vol."); a
 * sentence is cut into clauses at commas and semicolons. A clause joins the one before it unless it
 * opens a request of its own or is set aside — so "Eats, Shoots & Leaves" and "Hirata, Andrea" stay
 * whole, while "Halo kak, saya cari X, ada di perpus mana ya?" becomes greeting · content · question.
 */
import { foldedTokens } from '../search/analyze-text.ts';

export interface Piece {
  text: string;
  /** the piece began a new sentence (not a clause after a comma) */
  sentence: boolean;
}

/** Words after which a full stop does not end a sentence. */
const ABBREVIATIONS = new Set([
  'dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'jr', 'sr', 'vol', 'no', 'ed', 'eds', 'hal', 'dkk', 'ir', 'drs', 'hj', 'kh',
  'h', 'vs', 'etc', 'cf', 'ca', 'pp', 'p', 'jl', 'tel', 'sdr', 'bpk', 'ibu', 'sdri', 'e.g', 'i.e', 'al', 'ph.d', 'ph',
]);

/** The sentences and clauses of a message, in order. */
export function splitPieces(text: string): Piece[] {
  const out: Piece[] = [];
  let start = 0;
  let sentence = true;
  const push = (end: number, nextIsSentence: boolean): void => {
    const piece = text.slice(start, end).trim();
    if (/[\p{L}\p{N}\uE000]/u.test(piece)) out.push({ text: piece, sentence });
    start = end + 1;
    sentence = nextIsSentence;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      push(i, true);
    } else if (c === '?' || c === '!') {
      push(i, true);
    } else if (c === '.') {
      const next = text[i + 1];
      if (next !== undefined && next !== ' ' && next !== '\n') continue; // "3.5", "e.g."
      if (text[i - 1] === '.') continue; // an ellipsis is a pause, not the end of a sentence
      const word = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, i - 8), i))?.[1]?.toLowerCase() ?? '';
      if (word.length === 1 || ABBREVIATIONS.has(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word)) continue;
      push(i, true);
    } else if (c === ',' || c === ';') {
      push(i, false);
    }
  }
  push(text.length, true);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The asker's story: words that tell about the asker, not about the book

const CHAT_WORDS = new Set(
  `
i im i'm me my mine myself we our ours us you your yours am is are was were be been being have has had having do
does did doing done will would could should can may might must shall a an the this that these those it its there
here and or but so because since if then than when while as for of to in on at from with about by into onto over
also just really very too quite not no yes yeah yep ok okay oh well please thanks thank thx hi hello hey dear sir
madam maam team librarian librarians library libraries campus university uni college school faculty department
class classes course courses lecture lecturer lecturers professor prof teacher teachers tutor student students
assignment assignments homework essay essays paper papers project projects exam exams test semester term week
weeks today tomorrow yesterday tonight ago last next soon now currently recently already still yet again read
reading reads need needs needed want wants wanted wanting looking look looked find finding found couldn can cant
cannot couldnt dont didnt doesnt isnt wasnt arent havent hasnt wont get gets got getting go going went gone try
tried trying ask asked asking tell told say said saying recommend recommended recommends friend friends mom dad
mother father sister brother parents everywhere anywhere somewhere anyone someone anybody somebody everyone
anything something nothing know knew think thought guess hope hoping help helping wonder wondering copy copies
buy bought store shop bookstore bookshop local own other one some any all every many much more most time times
first second third year years old new good great nice best favorite favourite love like liked loved enjoy
heard hear saw seen see mentioned mention told writing report research researching studying study doing work
working due deadline submit because cause since that's it's there's what's i've i'd i'll we're they they're them
their he she his her him who whom which what where why how yet btw anyway actually basically literally kind sort
lot lots bit little few several able unable possible maybe perhaps probably sure certain
saya aku gue gua gw sy kami kita kamu anda km lu lo dia mereka ini itu tersebut yang dan atau tapi tetapi namun
karena soalnya sebab jadi kalau kalo jika untuk buat bagi dari di ke pada dengan sama juga lagi sedang lg sudah
udah sdh belum blm masih akan mau ingin pengen pingin perlu butuh bisa boleh harus sangat banget sekali tidak
nggak gak ga enggak ngga tdk ya yah dong deh sih nih kok kak kakak min admin mas mbak pak bu bang gan sis halo hai
terima kasih makasih tolong mohon mahasiswa mahasiswi siswa siswi murid pelajar dosen guru kuliah kelas tugas
makalah laporan ujian uts uas semester minggu hari bulan tahun kemarin besok sekarang tadi nanti baru barusan
baca membaca dibaca cari mencari nyari dicari temukan menemukan ketemu nemu perpustakaan perpus pustaka kampus
universitas univ fakultas jurusan prodi sekolah teman temen kawan disuruh menyuruh suruh minta diminta meminta
dapat dapet mendapat punya ada beli membeli toko online daring coba mencoba dicoba nanya tanya bertanya tahu tau
kira rasa kayaknya sepertinya mungkin semoga moga katanya kata bilang dengar denger lihat liat pernah selalu
sering kadang referensi rujukan bahan sumber penelitian riset belajar mengerjakan ngerjain kerjakan pinjam
meminjam minjem pinjem buku bukunya novel novelnya satu dua tiga semua beberapa banyak sedikit lain lainnya
sendiri aja saja hanya cuma pun adalah ialah merupakan seperti gitu begitu begini
`
    .split(/\s+/u)
    .filter((w) => w !== ''),
);

/** Every word is one of the asker's story words (or a library name): nothing to search for. */
export function isStoryWord(word: string): boolean {
  return CHAT_WORDS.has(word);
}

export function isStory(text: string, isLibraryWord: (word: string) => boolean): boolean {
  const words = foldedTokens(text.replace(/\uE000.\uE001/gu, ' QUOTED '));
  if (words.length === 0) return true;
  return words.every((w) => CHAT_WORDS.has(w) || isLibraryWord(w) || /^\d{1,2}(?:st|nd|rd|th)?$/u.test(w));
}

/** How many words are not story words (content the piece carries). */
export function contentWordCount(text: string): number {
  return foldedTokens(text).filter((w) => !CHAT_WORDS.has(w)).length;
}

// ---------------------------------------------------------------------------------------------
// Which content piece to keep

const TITLE_MARKER = /\b(?:called|titled|entitled|named|with the title|the title is|title is|berjudul|judulnya|dengan judul|judul(?:nya)? buku(?:nya)?|namanya)\b/iu;
const AUTHOR_MARKER = /\b(?:by|written by|karya|karangan|tulisan|oleh|ditulis oleh|dikarang oleh|penulisnya|pengarangnya|author is)\s+\p{Lu}/u;
const ABOUT_MARKER = /\b(?:about|on the topic of|regarding|tentang|mengenai|seputar|soal|terkait)\b/iu;

/** Evidence that a piece names what is asked for: quotes, "called", "by Name", capitalised words, content words. */
export function contentScore(text: string, framed: boolean): number {
  let score = 0;
  if (/\uE000/u.test(text)) score += 6;
  if (TITLE_MARKER.test(text)) score += 5;
  if (AUTHOR_MARKER.test(text)) score += 4;
  if (ABOUT_MARKER.test(text)) score += 2;
  if (framed) score += 3;
  const words = text.split(/\s+/u);
  let capitals = 0;
  for (let i = 1; i < words.length; i++) if (/^\p{Lu}/u.test(words[i] as string) && words[i] !== 'I') capitals++;
  score += Math.min(capitals, 4);
  score += Math.min(contentWordCount(text), 3);
  return score;
}

// ---------------------------------------------------------------------------------------------
// A title and an author told inside a story sentence

/** Words a capitalised title or name may carry in lower case between its capitalised words. */
const CONNECTORS = new Set([
  'of', 'the', 'in', 'and', '&', 'a', 'an', 'on', 'to', 'for', 'at', 'with', 'from', 'is', 'itu', 'ini', 'di', 'dan',
  'yang', 'ke', 'dari', 'untuk', 'dengan', 'tak', 'de', 'la', 'le', 'du', 'des', 'et', 'von', 'van', 'der', 'y', 'e',
  'o', 'da', 'do', 'al', 'el', 'bin', 'binti',
]);
const HEDGES = /(?:^|[\s,]+)(?:i think|i believe|i guess|i suppose|if i'?m not mistaken|if i remember (?:correctly|right)|or something(?: like that)?|kalau (?:tidak|gak|ga|nggak|ngga) salah|kalo (?:tidak|gak|ga|nggak|ngga) salah|kayaknya|sepertinya|katanya|kalau nggak keliru|atau apa gitu|gitu)(?=[\s,.!?]|$)/giu;
const TITLE_LEAD = /(?:^|\s)(?:called|titled|entitled|named|berjudul|judulnya|dengan judul|namanya|judul(?:nya)? buku(?:nya)?)\s+(?=\S)/iu;
const AUTHOR_LEAD = /[\s,]+(?:written by|by|karya|karangan|oleh|tulisan|ditulis oleh|dikarang oleh)\s+(?=[\p{Lu}\uE000])/u;
const MATERIAL_LEAD = /(?:^|\s)(?:buku|novel|novelnya|bukunya|book|the book|the novel|a book|a novel|roman|kumpulan puisi|puisi|kumpulan cerpen|play|poems|the poems)\s+(?=[\p{Lu}\uE000])/u;

/** The hedges ("I think", "kalau tidak salah") taken out. */
export function withoutHedges(text: string): string {
  return text.replace(HEDGES, ' ').replace(/\s+/gu, ' ').trim();
}

/** The capitalised run at the start of `words` (a title or a name): its length in words, 0 when none. */
function capitalRun(words: readonly string[]): number {
  let end = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (/^[\p{Lu}\p{N}\uE000"'(]/u.test(w) && !(w === 'I' && i > 0)) end = i + 1;
    else if (!(i > 0 && CONNECTORS.has(w.toLowerCase()))) break;
    if (/[,;:.!?]$/u.test(w) && !/^(?:\p{L}\.)+$/u.test(w)) break;
  }
  return end;
}

/** A name after "by"/"karya": its capitalised words; in a message typed in lower case, up to the first story word. */
export function trimName(text: string): string {
  // "a German author named Kotelmann", "seorang penulis bernama Tere Liye"
  const named = withoutHedges(text).replace(/^(?:(?:a|an|the|some|this|that|seorang|sang)\s+)?(?:[\p{L}-]+\s+)?(?:author|writer|novelist|poet|guy|man|woman|lady|person|scholar|professor|penulis|pengarang|sastrawan|penyair|orang)\s+(?:named|called|by the name of|bernama|namanya|yang bernama)\s+/iu, '');
  const clean = named.split(/[,;(]|\s[-–—]\s/u)[0]?.trim() ?? '';
  const words = clean.split(/\s+/u).filter((w) => w !== '');
  if (words.length === 0) return '';
  const run = /^[\p{Lu}\uE000]/u.test(words[0] as string) ? capitalRun(words) : 0;
  if (run > 0) return words.slice(0, run).join(' ').replace(/[.,;:!?]+$/u, (m) => (/^(?:\p{L}\.)+$/u.test(words[run - 1] ?? '') ? m : ''));
  let end = words.length;
  for (let i = 1; i < words.length; i++) {
    if (CHAT_WORDS.has((words[i] as string).toLowerCase().replace(/[^\p{L}']/gu, ''))) {
      end = i;
      break;
    }
  }
  return words.slice(0, end).join(' ');
}

export interface StoryContent {
  title: string;
  author?: string;
}

/**
 * The title (and author) a story sentence names: after "called"/"berjudul"; or the capitalised run
 * right before "by Name"/"karya Name"; or the capitalised run after "buku"/"novel"/"the book".
 * Undefined when the sentence names none of these ways.
 */
export function storyContent(text: string): StoryContent | undefined {
  const t = withoutHedges(text);
  const lead = TITLE_LEAD.exec(t);
  if (lead) {
    const rest = t.slice(lead.index + lead[0].length);
    const by = AUTHOR_LEAD.exec(rest) ?? /[\s,]+(?:written by|by|karya|karangan|oleh|tulisan|ditulis oleh)\s+/iu.exec(rest);
    const titlePart = (by ? rest.slice(0, by.index) : rest).split(/,\s|\s[-–—]\s/u)[0]?.trim() ?? '';
    const author = by ? trimName(rest.slice(by.index + by[0].length)) : undefined;
    if (titlePart === '') return undefined;
    return author ? { title: titlePart, author } : { title: titlePart };
  }
  const by = AUTHOR_LEAD.exec(t);
  if (by) {
    const before = t.slice(0, by.index).split(/\s+/u);
    // the capitalised run that ends right before "by"
    let start = before.length;
    for (let i = before.length - 1; i >= 0; i--) {
      const w = before[i] as string;
      if (/^[\p{Lu}\p{N}\uE000"']/u.test(w) && w !== 'I') start = i;
      else if (!(CONNECTORS.has(w.toLowerCase()) && i > 0 && /^[\p{Lu}\p{N}\uE000]/u.test(before[i - 1] as string))) break;
      if (i > 0 && /[,;:.!?]$/u.test(before[i - 1] as string)) break;
    }
    while (start < before.length && CONNECTORS.has((before[start] as string).toLowerCase())) start++;
    const title = before.slice(start).join(' ').replace(/^["']|["',]$/gu, '').trim();
    const author = trimName(t.slice(by.index + by[0].length));
    if (title !== '' && /\p{L}/u.test(title)) return author ? { title, author } : { title };
  }
  const material = MATERIAL_LEAD.exec(t);
  if (material) {
    const words = t.slice(material.index + material[0].length).split(/\s+/u);
    const run = capitalRun(words);
    if (run > 0) return { title: words.slice(0, run).join(' ').replace(/[,;:.!?]+$/u, '') };
  }
  return undefined;
}
