import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkDocument } from '../catalog/work-document.ts';
import { foldedTokens } from '../search/analyze-text.ts';
import { buildIndex } from '../search/catalog-index.ts';
import { generatedCatalog } from '../../test/support/generated-catalog.ts';
import { answerQuestion, type AnswerContext } from './answer-question.ts';

// A catalog where one subject word is in hundreds of works: the shape of a real consortium, where
// "books about education" must not come back as a handful of works.

let ctx: AnswerContext;
let works: WorkDocument[];

beforeAll(async () => {
  const { catalog, store } = await generatedCatalog({ prefix: 'jala-answer-scale-', records: 2500, libraries: 5, questions: 10 });
  works = [...store.allWorks()];
  ctx = { store, index: buildIndex(store), libraries: catalog.libraries.map((l) => ({ code: l.code, name: l.name, aliases: [], lends: true })) };
});

const subjectWords = (w: WorkDocument): Set<string> => new Set(foldedTokens(w.subjects.join(' ')));

/** The subject word in most works (at least `min`). */
function commonSubjectWord(min: number): string {
  const counts = new Map<string, number>();
  for (const w of works) for (const t of subjectWords(w)) if (t.length >= 5) counts.set(t, (counts.get(t) ?? 0) + 1);
  const [word, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  expect(n).toBeGreaterThanOrEqual(min);
  return word;
}

describe('subject questions on a large catalog', () => {
  it('finds every work with a common subject and counts them exactly, not the overlap of two cut-off lists', () => {
    const word = commonSubjectWord(250);
    const a = answerQuestion(ctx, `books about ${word}`);
    expect(a.step).toBe('exact');
    // more than the 200 ranked, counted exactly: the page after the 200th still has works
    expect(a.total).toBeGreaterThan(200);
    const beyond = answerQuestion(ctx, `books about ${word}`, { offset: 200, pageSize: 5 });
    expect(beyond.total).toBe(a.total);
    expect(beyond.results.length).toBe(5);
    const byId = new Map(works.map((w) => [w.id, w]));
    // every result is about it: the word (or a longer word starting with it) in its subjects
    for (const r of answerQuestion(ctx, `books about ${word}`, { pageSize: 50 }).results) {
      const id = Number(r.workId.replace(/\D/g, ''));
      const subjects = [...subjectWords(byId.get(id) as WorkDocument)];
      expect(subjects.some((t) => t.startsWith(word.slice(0, 4)))).toBe(true);
    }
  });

  it('finds an author\'s works on a subject even when the subject alone has hundreds of works', () => {
    const word = commonSubjectWord(250);
    // an author with several works on it, not all among the subject's best-scored 200
    const byAuthor = new Map<string, WorkDocument[]>();
    for (const w of works) {
      const surname = foldedTokens(w.authors[0]?.name.split(',')[0] ?? '')[0];
      if (!surname || !subjectWords(w).has(word)) continue;
      byAuthor.set(surname, [...(byAuthor.get(surname) ?? []), w]);
    }
    const [surname, theirs] = [...byAuthor].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    const a = answerQuestion(ctx, `buku tentang ${word} karangan ${surname}`, { pageSize: 50 });
    expect(a.total).toBeGreaterThanOrEqual(theirs.length);
    const found = new Set(a.results.map((r) => r.records).flat());
    for (const w of theirs) expect(w.records.some((id) => found.has(id))).toBe(true);
  });
});
