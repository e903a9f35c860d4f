/**
 * When a question is ambiguous in a way that matters, the choices to ask back with; none when one
 * reading clearly dominates. Works: several different works (editions, formats, translations)
 * carry exactly the asked title. Authors: the asked name fits several different people.
 */
import type { Answer } from './answer-types.ts';
import { foldedTokens } from '../search/analyze-text.ts';

export interface Choice {
  label: string;
  /** a work to show ('w12'), or a question to ask instead */
  kind: 'work' | 'question';
  value: string;
}

export function clarifyChoices(answer: Answer, author: string | undefined, question: { subject?: string; title?: string } = {}): Choice[] {
  if (answer.offset !== 0 || answer.total < 2 || answer.step === 'identifier') return [];
  // "books about jazz" asks for a subject, and "Candide 1991" says which edition: nothing to ask back
  if ((question.subject !== undefined && question.title === undefined) || answer.editionYear?.found === true) return [];
  if (answer.kind === 'author' && author) return authorChoices(answer, author);
  if (answer.kind !== 'search' && answer.kind !== 'holders' && answer.kind !== 'availability') return [];
  const asked = foldedTokens(answer.searched).join(' ');
  if (asked === '') return [];
  const same = answer.results.filter((r) => foldedTokens(r.title).join(' ') === asked || foldedTokens(r.title.split(/\s[:/]\s?/)[0] ?? '').join(' ') === asked);
  if (same.length < 2) return [];
  const distinct = new Set(same.map((r) => `${r.format}|${r.year ?? ''}|${r.authors[0] ?? ''}|${r.edition ?? ''}`));
  if (distinct.size < 2) return [];
  return same.slice(0, 5).map((r) => ({
    kind: 'work',
    value: r.workId,
    label: [r.title.slice(0, 60), r.year, r.edition, r.format !== 'Book' ? r.format : undefined, r.publisher].filter(Boolean).join(' · '),
  }));
}

function authorChoices(answer: Answer, author: string): Choice[] {
  const asked = foldedTokens(author);
  const counts = new Map<string, number>();
  for (const r of answer.results) {
    const name = r.authors.find((a) => asked.every((w) => foldedTokens(a).includes(w)));
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  // one person behind ≥ 80 % of what was found dominates; several distinct people get a question
  const people = [...counts].filter(([name]) => !/[.]/.test(name.split(' ')[0] ?? '') || counts.size > 1);
  if (people.length < 2) return [];
  const total = people.reduce((n, [, c]) => n + c, 0);
  const top = Math.max(...people.map(([, c]) => c));
  if (top / total >= 0.8) return [];
  return people.slice(0, 5).map(([name]) => ({ kind: 'question', value: `author:"${name}"`, label: name }));
}
