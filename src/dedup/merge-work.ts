import type { Author, Link, RecordDocument } from '../catalog/record-document.ts';
import type { WorkDocument } from '../catalog/work-document.ts';

/**
 * Builds the union record of a work (RecordManager's mergeRecords, with the all-caps rule turned
 * the right way round): the richest record is the base for single-valued fields, multi-valued
 * fields are the case-insensitive union of every member's values.
 */
export function mergeWork(id: number, members: readonly RecordDocument[]): WorkDocument {
  if (members.length === 0) throw new Error('mergeWork needs at least one record');
  const ranked = [...members].sort((a, b) => baseScore(b) - baseScore(a) || a.id.localeCompare(b.id));
  const base = ranked[0] as RecordDocument;
  const years = uniqueNumbers(ranked.map((m) => m.year));
  return {
    id,
    records: ranked.map((m) => m.id),
    libraries: ranked.map((m) => m.library),
    title: base.title,
    titleShort: base.titleShort,
    ...(base.subtitle !== undefined ? { subtitle: base.subtitle } : {}),
    titleSort: base.titleSort,
    titleAlt: unionStrings(ranked.flatMap((m) => [...(m.title !== base.title ? [m.title] : []), ...m.titleAlt])),
    authors: unionAuthors(ranked.flatMap((m) => m.authors)),
    authors2: unionAuthors(ranked.flatMap((m) => m.authors2)),
    corporateAuthors: unionStrings(ranked.flatMap((m) => m.corporateAuthors)),
    subjects: unionStrings(ranked.flatMap((m) => m.subjects)),
    genres: unionStrings(ranked.flatMap((m) => m.genres)),
    series: unionStrings(ranked.flatMap((m) => m.series)),
    publishers: unionStrings(ranked.flatMap((m) => m.publishers)),
    ...(base.year !== undefined ? { year: base.year } : years[0] !== undefined ? { year: years[0] } : {}),
    years,
    ...firstDefined('edition', ranked),
    ...firstDefined('physical', ranked),
    languages: unionStrings(ranked.flatMap((m) => m.languages)),
    format: base.format,
    isbns: unionStrings(ranked.flatMap((m) => m.isbns)),
    isbn10: unionStrings(ranked.flatMap((m) => m.isbn10)),
    issns: unionStrings(ranked.flatMap((m) => m.issns)),
    oclc: unionStrings(ranked.flatMap((m) => m.oclc)),
    ...firstDefined('lccn', ranked),
    callNumbers: unionStrings(ranked.flatMap((m) => (m.callNumber ? [m.callNumber] : []))),
    ...firstDefined('summary', ranked),
    contents: unionStrings(ranked.flatMap((m) => m.contents)),
    links: unionLinks(ranked.flatMap((m) => m.links)),
    allText: unionStrings(ranked.map((m) => m.allText)).join(' ').slice(0, 4000),
  };
}

/** fieldCount + title length, halved when most values are ALL CAPS (poorer cataloguing). */
export function baseScore(doc: RecordDocument): number {
  const values = [
    doc.title,
    ...doc.authors.map((a) => a.name),
    ...doc.authors2.map((a) => a.name),
    ...doc.corporateAuthors,
    ...doc.subjects,
    ...doc.contents,
    ...doc.series,
    ...doc.genres,
    ...doc.publishers,
  ];
  const caps = values.filter(isMostlyUpperCase).length;
  const score = values.length + doc.title.length / 10 + (doc.summary ? 2 : 0) + (doc.year !== undefined ? 1 : 0);
  return caps > values.length / 2 ? score / 2 : score;
}

function isMostlyUpperCase(value: string): boolean {
  const letters = value.replace(/[^\p{L}]/gu, '');
  if (letters.length < 4) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  return upper / letters.length >= 0.95;
}

function firstDefined<K extends 'edition' | 'physical' | 'lccn' | 'summary'>(
  key: K,
  ranked: readonly RecordDocument[],
): Partial<Record<K, string>> {
  for (const m of ranked) {
    const v = m[key];
    if (v !== undefined && v !== '') return { [key]: v } as Partial<Record<K, string>>;
  }
  return {};
}

function unionStrings(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const k = v.toLocaleLowerCase().replace(/\s+/g, ' ').trim();
    if (k === '' || seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

function unionAuthors(values: readonly Author[]): Author[] {
  const seen = new Set<string>();
  const out: Author[] = [];
  for (const a of values) {
    // "Hirata, Andrea" and "Andrea Hirata" are one person: compare the words, in any order
    const k = a.name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLocaleLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w !== '')
      .sort()
      .join(' ');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(a);
  }
  return out;
}

function unionLinks(values: readonly Link[]): Link[] {
  const seen = new Set<string>();
  return values.filter((l) => (seen.has(l.url) ? false : (seen.add(l.url), true)));
}

function uniqueNumbers(values: readonly (number | undefined)[]): number[] {
  return [...new Set(values.filter((v): v is number => v !== undefined))];
}
