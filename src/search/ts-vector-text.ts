import { tokenize, foldTerm } from './analyze-text.ts';
import type { IndexedWork } from './index-options.ts';
import { stems } from './stemmers.ts';

/**
 * A work as PostgreSQL's full-text search keeps it (src/store-postgres/pg-full-text-index.ts): one
 * tsvector of the words Jala's own analyser makes (tokenize + foldTerm, the very words the in-memory
 * index holds and the question parser folds), so both sides of a match are folded alike. PostgreSQL's
 * parser and unaccent would fold differently (ß, æ, apostrophes), and it has no Sastrawi stemmer.
 *
 * Each field's words carry the weight of the field group a question can be scoped to:
 * A titles (short, full, alternative, series), B subjects and genres, C authors, D everything else.
 * Stems (English Snowball and Indonesian Sastrawi, as the stemmed fields) are lexemes of their own,
 * marked with a leading '~' so that they never pass for words ("~histori"), in the weight of their field.
 *
 * Each word and stem of titles, subjects and authors is there a second time, marked with its group
 * ("^bpendidikan", "^a~histori") and without positions: a question scoped to a group matches those,
 * so that the GIN index alone decides the match (a tsquery restricted by weight, 'pendidikan':B, makes
 * PostgreSQL read every matching row again to check the weights: a scoped common word cost its every
 * row just to be counted). Ranking still reads the positions and weights of the unmarked words.
 */
export const STEM_MARK = '~';
/** the first character of a group's marked copy of a word (see scopedForm) */
export const SCOPE_MARK = '^';

export type Weight = 'A' | 'B' | 'C' | 'D';

/** tsvector positions stop at 16383 (later words share the last one) */
const MAX_POSITION = 16383;

/** A word's or stem's copy marked with the field group it is in: what a question scoped to that group matches. */
export function scopedForm(weight: Exclude<Weight, 'D'>, form: string): string {
  return `${SCOPE_MARK}${weight.toLowerCase()}${form}`;
}

/** A lexeme in tsvector / tsquery text: single-quoted, quotes doubled, backslashes escaped. */
export function lexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The tsvector, in PostgreSQL's text form, of a work as the in-memory index sees it. */
export function tsVectorText(doc: IndexedWork): string {
  const positions = new Map<string, string[]>();
  const scoped = new Set<string>();
  let position = 0;
  const add = (text: string, weight: Weight, stemmed: boolean): void => {
    for (const token of tokenize(text)) {
      const word = foldTerm(token);
      if (word === '') continue;
      position = Math.min(position + 1, MAX_POSITION);
      const forms = stemmed ? stems(word).map((s) => STEM_MARK + s) : [word];
      for (const form of forms) {
        if (weight !== 'D') scoped.add(scopedForm(weight, form));
        const list = positions.get(form);
        // a lexeme keeps at most 256 positions; more say nothing to the ranking
        if (list === undefined) positions.set(form, [`${position}${weight}`]);
        else if (list.length < 256) list.push(`${position}${weight}`);
      }
    }
  };
  add(doc.titleShort, 'A', false);
  add(doc.title, 'A', false);
  add(doc.titleAlt, 'A', false);
  add(doc.series, 'A', false);
  add(doc.title_s, 'A', true);
  add(doc.subjects, 'B', false);
  add(doc.subjects_s, 'B', true);
  add(doc.authors, 'C', false);
  add(doc.other, 'D', false);
  add(doc.other_s, 'D', true);
  const out: string[] = [];
  for (const [form, list] of positions) out.push(`${lexeme(form)}:${list.join(',')}`);
  for (const form of scoped) out.push(lexeme(form));
  return out.join(' ');
}
