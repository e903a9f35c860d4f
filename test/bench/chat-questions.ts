/**
 * The chat-style half of the bench's question mix, derived from the templated questions (so a kept
 * catalog gets it without regenerating its records): the title and author inside a polite sentence
 * in English and Indonesian, two adjacent letters swapped, a title with a year, a title typed
 * without capitals or punctuation, "&" for "and", an author as "Surname, Given", the works of an
 * author asked in chat, a long message about one book, mixed languages, filters alone, an ISBN with
 * a wrong check digit, and nonsense. Deterministic for a given question list.
 */
import type { BenchQuestion } from './generate-marc.ts';
import { SeededRandom } from './seeded-random.ts';

export type ChatQuestionKind =
  | 'chat-en'
  | 'chat-id'
  | 'swap'
  | 'title-year'
  | 'plain'
  | 'amp'
  | 'inverted'
  | 'author-chat'
  | 'long'
  | 'mixed'
  | 'filters'
  | 'bad-isbn'
  | 'nonsense';

export const CHAT_KINDS: readonly ChatQuestionKind[] = [
  'chat-en', 'chat-id', 'swap', 'title-year', 'plain', 'amp', 'inverted', 'author-chat', 'long', 'mixed', 'filters', 'bad-isbn', 'nonsense',
];

/** Titles, authors and ISBNs the templated questions ask for. */
function harvest(questions: readonly BenchQuestion[]): { titles: string[]; authors: string[]; isbns: string[] } {
  const titles: string[] = [];
  const authors: string[] = [];
  const isbns: string[] = [];
  for (const q of questions) {
    const t = /^(?:do you have (.+)\?|apakah ada buku (.+)\?|which libraries have (.+)\?|siapa yang punya (.+)\?)$/u.exec(q.text);
    const title = t?.slice(1).find((x) => x !== undefined);
    if (title) titles.push(title);
    const a = /^(?:books by|buku karangan) (.+)$/u.exec(q.text);
    if (a?.[1]) authors.push(a[1]);
    const i = /(97[89][\d-]{10,14})$/u.exec(q.text);
    if (q.kind === 'isbn' && i?.[1]) isbns.push(i[1].replace(/-/gu, ''));
  }
  return { titles: [...new Set(titles)], authors: [...new Set(authors)], isbns: [...new Set(isbns)] };
}

function swapLetters(title: string, random: SeededRandom): string {
  const words = title.split(' ');
  let at = 0;
  for (let k = 1; k < words.length; k++) if ((words[k] as string).length > (words[at] as string).length) at = k;
  const w = words[at] as string;
  if (w.length >= 5) {
    const p = random.int(1, w.length - 3);
    words[at] = w.slice(0, p) + w.charAt(p + 1) + w.charAt(p) + w.slice(p + 2);
  }
  return words.join(' ');
}

function plain(title: string): string {
  return title.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/gu, ' ').trim().toLowerCase();
}

function inverted(author: string): string {
  const parts = author.split(' ');
  const surname = parts.pop() ?? '';
  return `${surname}, ${parts.join(' ')}`;
}

function badIsbn(isbn: string): string {
  const check = Number(isbn.slice(-1));
  return `${isbn.slice(0, -1)}${(check + 1) % 10}`;
}

const NONSENSE = ['qwxzv blorf', 'apakah ada buku xyzzyq plughh?', 'do you have zzkrq vvbnm pplx?', 'halo kak ada buku jsdhfkjs sdkfjh gak?'];
const FILTERS = ['lang:ind', 'year:2000-2010', 'buku berbahasa Inggris', 'lang:eng year:1990-1995', 'format:book lib:UI'];

/** `perKind` chat-style questions of each kind. */
export function chatQuestions(questions: readonly BenchQuestion[], perKind: number, seed = 7): BenchQuestion[] {
  const random = new SeededRandom(seed);
  const { titles, authors, isbns } = harvest(questions);
  if (titles.length === 0) return [];
  const out: BenchQuestion[] = [];
  const title = (i: number): string => titles[(i * 7) % titles.length] as string;
  const author = (i: number): string => authors[(i * 5) % Math.max(1, authors.length)] ?? 'Andrea Hirata';
  for (let i = 0; i < perKind; i++) {
    const t = title(i);
    const a = author(i);
    out.push({ kind: 'chat-en', language: 'en', text: `Hi! I'm looking for a book called ${t} by ${a}. Does any library have it? Thanks!` });
    out.push({ kind: 'chat-id', language: 'id', text: `Halo kak, saya lagi cari buku ${t} karya ${a}, ada di perpustakaan mana ya?` });
    out.push({ kind: 'swap', language: 'en', text: swapLetters(t.toLowerCase(), random) });
    out.push({ kind: 'title-year', language: 'en', text: `${t} ${1990 + random.int(0, 30)}` });
    out.push({ kind: 'plain', language: 'en', text: plain(t) });
    out.push({ kind: 'amp', language: 'en', text: / and /iu.test(t) ? t.replace(/ and /iu, ' & ') : `${t} & ${title(i + 1).split(' ')[0] ?? ''}` });
    out.push({ kind: 'inverted', language: 'en', text: inverted(a) });
    out.push({ kind: 'author-chat', language: 'id', text: i % 2 === 0 ? `bukunya ${a.toLowerCase()} apa aja ya` : `what else has ${a} written?` });
    out.push({
      kind: 'long',
      language: i % 2 === 0 ? 'en' : 'id',
      text:
        i % 2 === 0
          ? `Hello, I'm a second-year student and my lecturer asked us to read a book for our seminar next week. It's called ${t}, written by ${a} I think. I've already been to our campus library but I couldn't find it on the shelf, and the librarian told me to ask here. Does any library in the consortium have a copy I could borrow? Thank you so much for your help!`
          : `Halo kak, selamat sore. Saya mahasiswa semester 5. Dosen saya menyuruh kami membaca buku ${t} karangan ${a} untuk tugas akhir semester. Saya sudah coba cari di toko buku tapi habis, di perpus kampus juga lagi dipinjam semua. Kira-kira ada perpustakaan lain yang punya gak ya kak? Terima kasih banyak sebelumnya!`,
    });
    out.push({ kind: 'mixed', language: 'en', text: `hi kak, do you have ${t}? makasih` });
    out.push({ kind: 'filters', language: 'en', text: FILTERS[i % FILTERS.length] as string });
    out.push({ kind: 'bad-isbn', language: 'en', text: isbns.length > 0 ? `isbn ${badIsbn(isbns[i % isbns.length] as string)}` : 'isbn 9789793062793' });
    out.push({ kind: 'nonsense', language: 'en', text: NONSENSE[i % NONSENSE.length] as string });
  }
  return out;
}
