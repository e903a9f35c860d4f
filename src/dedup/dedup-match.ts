import { distance } from 'fastest-levenshtein';
import type { RecordDocument } from '../catalog/record-document.ts';

/** Why two records were (or were not) judged the same work: the first rule that decided. */
export type MatchRule =
  | 'isbn'
  | 'id'
  | 'title'
  | 'veto/format'
  | 'veto/issn'
  | 'veto/year'
  | 'veto/pages'
  | 'veto/series'
  | 'veto/edition'
  | 'veto/part'
  | 'veto/no-title'
  | 'veto/title'
  | 'veto/author';

/**
 * What the confirmation rules read of a record: a RecordDocument is one, and the bulk path keeps
 * only this much of each record in memory (src/dedup/in-memory-dedup.ts).
 */
export type DedupView = Pick<
  RecordDocument,
  'format' | 'isbns' | 'idKeys' | 'issns' | 'year' | 'pageCount' | 'seriesIssns' | 'seriesNumbers' | 'edition' | 'partNumber' | 'titleNorm' | 'authorNorm'
> & { readonly authors: ReadonlyArray<{ readonly name: string }> };

export interface MatchResult {
  match: boolean;
  rule: MatchRule;
}

/**
 * Pairwise confirmation after RecordManager's matchRecords (ordered veto/accept rules):
 * format, then shared ISBN or unique id accept, then ISSN / year / pages / series / edition /
 * part vetoes, then title (<10 % edit distance) and author agreement.
 */
export function matchRecords(r: DedupView, c: DedupView): MatchResult {
  if (r.format !== c.format) return { match: false, rule: 'veto/format' };
  if (intersects(r.isbns, c.isbns)) return { match: true, rule: 'isbn' };
  if (intersects(r.idKeys, c.idKeys)) return { match: true, rule: 'id' };
  if (r.issns.length > 0 && c.issns.length > 0 && !intersects(r.issns, c.issns)) return { match: false, rule: 'veto/issn' };
  if (r.year !== undefined && c.year !== undefined && r.year !== c.year) return { match: false, rule: 'veto/year' };
  if (r.pageCount !== undefined && c.pageCount !== undefined && Math.abs(r.pageCount - c.pageCount) > 10) {
    return { match: false, rule: 'veto/pages' };
  }
  if (r.seriesIssns.length > 0 && c.seriesIssns.length > 0 && !intersects(r.seriesIssns, c.seriesIssns)) {
    return { match: false, rule: 'veto/series' };
  }
  if (r.seriesNumbers.length > 0 && c.seriesNumbers.length > 0 && !intersects(numbersOf(r.seriesNumbers), numbersOf(c.seriesNumbers))) {
    return { match: false, rule: 'veto/series' };
  }
  if (r.edition && c.edition && editionKey(r.edition) !== editionKey(c.edition)) return { match: false, rule: 'veto/edition' };
  if ((r.partNumber ?? '') !== (c.partNumber ?? '') && numbersOf([r.partNumber ?? '']).join() !== numbersOf([c.partNumber ?? '']).join()) {
    return { match: false, rule: 'veto/part' };
  }
  const rt = r.titleNorm.slice(0, 255);
  const ct = c.titleNorm.slice(0, 255);
  if (rt === '' || ct === '') return { match: false, rule: 'veto/no-title' };
  if ((distance(rt, ct) / rt.length) * 100 >= 10) return { match: false, rule: 'veto/title' };
  const ra = r.authorNorm ?? '';
  const ca = c.authorNorm ?? '';
  if ((ra === '') !== (ca === '')) return { match: false, rule: 'veto/author' };
  if (ra !== '' && !authorsAgree(r, c)) return { match: false, rule: 'veto/author' };
  return { match: true, rule: 'title' };
}

function authorsAgree(r: DedupView, c: DedupView): boolean {
  const a = r.authorNorm ?? '';
  const b = c.authorNorm ?? '';
  if (a === b) return true;
  if (a.length >= 6 && b.length >= 6 && (a.startsWith(b) || b.startsWith(a))) return true;
  const wa = nameWords(r.authors[0]?.name ?? '');
  const wb = nameWords(c.authors[0]?.name ?? '');
  if (wa.length > 0 && wb.length > 0 && wa[0] === wb[0]) {
    const n = Math.min(wa.length, wb.length);
    let initialsAgree = true;
    for (let i = 1; i < n; i++) if (wa[i]?.[0] !== wb[i]?.[0]) initialsAgree = false;
    if (initialsAgree) return true;
  }
  return (distance(a, b) / Math.max(a.length, 1)) * 100 <= 20;
}

function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const set = new Set(a);
  return b.some((x) => set.has(x));
}

function numbersOf(values: readonly string[]): string[] {
  return values.flatMap((v) => v.match(/\d+/g) ?? []).map((d) => String(Number(d)));
}

/** "2nd ed." and "Second edition" agree; "Cet. 1" and "Cet. 5" do not. */
const ORDINALS: Record<string, string> = {
  first: '1', second: '2', third: '3', fourth: '4', fifth: '5', sixth: '6', seventh: '7', eighth: '8', ninth: '9', tenth: '10',
  pertama: '1', kedua: '2', ketiga: '3', keempat: '4', kelima: '5',
};
export function editionKey(edition: string): string {
  const folded = edition.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  const numbers = words.map((w) => ORDINALS[w] ?? (/^\d+/.exec(w)?.[0] ?? '')).filter((w) => w !== '');
  if (numbers.length > 0) return numbers.map((n) => String(Number(n))).join('.');
  return words.filter((w) => !['ed', 'edition', 'edisi', 'cet', 'cetakan', 'the'].includes(w)).join(' ');
}
