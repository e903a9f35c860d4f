/**
 * The FAQ matched by meaning: every FAQ question and answer and the asker's message are analysed
 * like catalog text — folded, stemmed in English and Indonesian (the index's stemmers) — and each
 * word is mapped to its concept in the synonym table (synonyms.ts), so "bisa ngeprint di perpus
 * gak?" finds "Apakah bisa cetak di perpustakaan?". Function words of both languages are dropped.
 *
 * Concepts are weighted by how rare they are among the entries (a word every entry has, such as
 * "library", tells little). An entry matches when the concepts both share cover at least 60 % of the
 * entry question's weight and at least 60 % of the message's — so a catalog question that happens
 * to share a word ("a book about printers") is not taken for the FAQ — and the best such entry wins.
 * The entry's answer counts at half weight, so a paraphrase of the answer helps too.
 */
import { foldTerm, tokenize } from '../search/analyze-text.ts';
import { stems } from '../search/stemmers.ts';
import { conceptOf, joinPhrases, phraseKey } from './synonyms.ts';

export interface FaqText {
  id: number;
  question: string;
  answer: string;
}

const FUNCTION_WORDS = new Set(
  `
a an the of to in on at for with from by is are was were be been am do does did can could may might will would should
shall i me my we our you your it its this that these those there here what which who whom how when where why if or and
but not no yes please thanks thank hi hello hey any some all also just so than then as about into get got have has had
there's it's i'm don't can't cannot isn't much many long often berapa seberapa
apa apakah apa saja aja saja bisa bisakah boleh bolehkah dapat dapatkah ada adakah yang di ke dari pada untuk buat
dengan dan atau tapi ini itu saya aku gue gw kami kita kamu anda sy kak min gan ya yah dong deh sih nih kah gak nggak
ga ngga enggak tidak tdk gimana bagaimana kalau kalo mau ingin pengen tolong mohon halo hai juga lagi sudah udah belum
masih akan bagi oleh para si sang nya kok kah kan tuh
`
    .split(/\s+/u)
    .filter((w) => w !== ''),
);

/** The concepts of a text: folded words (and table phrases), function words dropped, each as its concept or its stems. */
export function conceptsOf(text: string): string[] {
  const folded = tokenize(text).map(foldTerm).filter((t) => t !== '').join(' ');
  const out: string[] = [];
  // each distinct word is stemmed once per text: a long message repeats its words
  const seen = new Map<string, string | null>();
  for (const token of joinPhrases(folded).split(' ')) {
    if (token === '' || FUNCTION_WORDS.has(token)) continue;
    let concept = seen.get(token);
    if (concept === undefined) {
      const key = phraseKey(token);
      concept = conceptOf(key) ?? conceptOf(stemOf(key)) ?? (key.length < 3 ? null : stemOf(key));
      seen.set(token, concept);
    }
    if (concept !== null) out.push(concept);
  }
  return out;
}

function stemOf(word: string): string {
  const s = stems(word);
  // the shortest stem: Indonesian affixes ("peminjaman" → "pinjam") and English endings alike
  return [...s].sort((a, b) => a.length - b.length)[0] ?? word;
}

export interface FaqMatch<T> {
  entry: T;
  score: number;
}

/** The FAQ entry the message asks, or undefined. */
export function matchFaq<T extends FaqText>(message: string, entries: readonly T[]): FaqMatch<T> | undefined {
  const asked = new Set(conceptsOf(message));
  if (asked.size === 0 || entries.length === 0) return undefined;
  const analysed = entries.map((entry) => ({ entry, question: new Set(conceptsOf(entry.question)), answer: new Set(conceptsOf(entry.answer)) }));
  // how many entries mention each concept (question or answer)
  const df = new Map<string, number>();
  for (const a of analysed) for (const c of new Set([...a.question, ...a.answer])) df.set(c, (df.get(c) ?? 0) + 1);
  const n = analysed.length;
  const weight = (c: string): number => Math.log(1 + (n + 1) / ((df.get(c) ?? 0) + 0.5));
  let best: FaqMatch<T> | undefined;
  for (const a of analysed) {
    if (a.question.size === 0) continue;
    let entryWeight = 0;
    let sharedWithQuestion = 0;
    for (const c of a.question) {
      entryWeight += weight(c);
      if (asked.has(c)) sharedWithQuestion += weight(c);
    }
    let askedWeight = 0;
    let sharedWithEntry = 0;
    for (const c of asked) {
      askedWeight += weight(c);
      if (a.question.has(c)) sharedWithEntry += weight(c);
      else if (a.answer.has(c)) sharedWithEntry += weight(c) / 2;
    }
    const entryCover = sharedWithQuestion / entryWeight;
    const askedCover = askedWeight === 0 ? 0 : sharedWithEntry / askedWeight;
    if (entryCover < 0.6 || askedCover < 0.6) continue;
    const score = entryCover * askedCover;
    if (best === undefined || score > best.score) best = { entry: a.entry, score };
  }
  return best;
}
