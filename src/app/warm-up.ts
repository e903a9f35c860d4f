/**
 * A serving process warms its answering before it says it is ready. The first questions a freshly
 * started Node process answers run in the interpreter and pay for every lazy first use (the search
 * loops not yet compiled, the filter table, the field-length columns, the boosts, the fuzzy tree
 * walk, the parser's rules): at a million works a first pass over the bench's questions cost about
 * 40 % more CPU than a second one in the same process (measured on a shared machine), some of its
 * questions ten times more, and the very first question one to three seconds. So before the first real question, a few questions made from the catalog's own works (a
 * title, an author, a subject, a misspelling, an ISBN, a library, filters, a long message, nonsense)
 * are answered and thrown away, and the index's search caches are emptied again: the warm-up
 * compiles code and builds the index's tables, it answers nothing ahead of time.
 *
 * It runs once per index made ready (a start, a reindex that swaps the index), counted in the cold
 * start: 0.7-1.0 s at a million works on the shared 2-core machine when the index's tables (the
 * filters' table, the boosts' classes, the field-length columns) were built here; they are now saved
 * with the index (index-file.ts' derived sections), and what is left, 0.5-0.7 s, is mostly compiling
 * code and regular expressions (the question parser) and the first searches' own work. The count of
 * questions hardly matters: 18 or 43 cost the same.
 */
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { WorkDocument } from '../catalog/work-document.ts';
import { answerQuestion, type MemberLibrary } from '../answer/answer-question.ts';
import type { SearchIndex } from '../search/search-index.ts';

/** works the warm-up questions are made from, spread over the catalog */
const SAMPLE_WORKS = 3;
/** times the questions are asked: a loop is compiled once it has run a few times */
const ROUNDS = 1;

export interface WarmUpReport {
  questions: number;
  milliseconds: number;
}

/** Answers the warm-up questions against `index` and forgets their searches; see the file comment. */
export function warmUpAnswering(store: CatalogStore, index: SearchIndex & { forgetSearches?(): void }, libraries: readonly MemberLibrary[]): WarmUpReport {
  const started = performance.now();
  const questions = warmUpQuestions(sampleWorks(store), libraries);
  // one home library only: each asker's library costs the index a table of document boosts (a walk
  // over every work), worth building for a library that asks, not for every library at start
  const home = libraries[0]?.code;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, text] of questions.entries()) {
      answerQuestion({ store, index, libraries, ...(home !== undefined && i % 4 === 0 ? { homeLibrary: home } : {}) }, text);
    }
  }
  index.forgetSearches?.();
  return { questions: questions.length * ROUNDS, milliseconds: performance.now() - started };
}

/** A few works spread over the id range (ids missing from the catalog are passed over). */
function sampleWorks(store: CatalogStore): WorkDocument[] {
  const count = store.workCount();
  if (count === 0) return [];
  const step = Math.max(1, Math.floor(count / SAMPLE_WORKS));
  const out: WorkDocument[] = [];
  for (let id = 1; out.length < SAMPLE_WORKS && id <= count + step * 2; id += step) {
    const w = store.work(id);
    if (w) out.push(w);
  }
  return out;
}

/** One line per kind of question a consortium's readers ask, from the sampled works. */
export function warmUpQuestions(works: readonly WorkDocument[], libraries: readonly MemberLibrary[]): string[] {
  const lib = (i: number): string => libraries[i % Math.max(1, libraries.length)]?.code ?? 'X';
  const out: string[] = [];
  works.forEach((w, i) => {
    const title = w.title.replace(/[?!]/g, ' ').trim();
    const words = title.split(/\s+/).filter((x) => x !== '');
    const author = w.authors[0]?.direct ?? w.corporateAuthors[0];
    const subject = w.subjects[0]?.split(' -- ')[0];
    out.push(`do you have ${title}?`, `apakah ada buku ${title}?`, title.toLowerCase());
    out.push(`is ${title} available at ${lib(i)}?`, `siapa yang punya ${title}?`);
    if (author) out.push(`books by ${author}`, `buku karangan ${author}`);
    if (subject) out.push(`books about ${subject}`, `buku tentang ${subject} ${words[0] ?? ''}`);
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest.length >= 5) out.push(title.replace(longest, longest.slice(0, 2) + longest.charAt(3) + longest.charAt(2) + longest.slice(4)));
    if (w.isbns[0]) out.push(`isbn ${w.isbns[0]}`);
    if (w.year !== undefined) out.push(`${title} ${w.year}`);
    out.push(`Halo kak, saya mencari buku ${title}${author ? ` karangan ${author}` : ''} untuk tugas kuliah. Ada perpustakaan yang punya? Terima kasih!`);
  });
  out.push('lang:ind year:2000-2010', 'buku berbahasa Inggris', `available at ${lib(0)}`, 'qwxz vbnm plok', 'isbn 978-0-00-000000-0');
  return out;
}
