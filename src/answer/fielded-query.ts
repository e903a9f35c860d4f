/**
 * Librarian syntax anywhere in a question: `title:`, `author:`, `subject:`, `isbn:`, `issn:`,
 * `oclc:`, `id:`, `year:2000-2010` / `year:2005` / `year:>2000`, `lang:ind` (or a name), `lib:UGM`,
 * `format:book`, `available:yes` — with Indonesian and short forms (judul:, pengarang:, ti:, au:, su:…).
 *
 * A text field (title, author, subject) takes a quoted value, or else every word up to the next
 * field; the other fields take one value. In fielded mode a bare `available` / `tersedia` word is
 * the available-now filter. Fielded parts are replaced by a marker so question frames around them
 * ("which libraries have title:…") still read.
 */
import { formatFromWord, interpretYears, mergeFilters, type QuestionFilters } from './question-filters.ts';
import type { QuestionIdentifier } from './question-identifiers.ts';
import type { LibraryResolution } from './library-mentions.ts';
import { FORMAT_NAMES, WORD_END, WORD_START, alternation, languageCode } from './question-lexicon.ts';

export interface FieldedScan {
  /** at least one field was written */
  fielded: boolean;
  /** the text with each field (name and value) replaced by the marker */
  text: string;
  title?: string;
  author?: string;
  subject?: string;
  identifier?: QuestionIdentifier;
  filters: QuestionFilters;
  ambiguousLibraries: string[][];
}

type FieldName = 'title' | 'author' | 'subject' | 'any' | 'isbn' | 'issn' | 'oclc' | 'id' | 'year' | 'lang' | 'lib' | 'format' | 'available';

const FIELD_NAMES: ReadonlyMap<string, FieldName> = new Map<string, FieldName>([
  ...names('title', ['title', 'ti', 'judul']),
  ...names('author', ['author', 'au', 'pengarang', 'penulis', 'creator']),
  ...names('subject', ['subject', 'su', 'subjek', 'topik', 'topic']),
  ...names('any', ['kw', 'keyword', 'keywords', 'kata kunci']),
  ...names('isbn', ['isbn']),
  ...names('issn', ['issn']),
  ...names('oclc', ['oclc']),
  ...names('id', ['id']),
  ...names('year', ['year', 'yr', 'tahun', 'py', 'thn']),
  ...names('lang', ['lang', 'language', 'la', 'bahasa', 'bhs']),
  ...names('lib', ['lib', 'library', 'perpustakaan', 'perpus']),
  ...names('format', ['format', 'fmt', 'jenis']),
  ...names('available', ['available', 'avail', 'tersedia']),
]);

function names(field: FieldName, keys: readonly string[]): Array<[string, FieldName]> {
  return keys.map((k) => [k, field]);
}

const FIELD_START = new RegExp(`${WORD_START}(${alternation([...FIELD_NAMES.keys()])})\\s*:\\s*`, 'giu');
const TEXT_FIELDS: ReadonlySet<FieldName> = new Set(['title', 'author', 'subject', 'any']);
/** left in the text for the identifier scanner, which reads "isbn:…" like "ISBN …" */
const IDENTIFIER_FIELDS: ReadonlySet<FieldName> = new Set(['isbn', 'issn', 'oclc']);
const BARE_AVAILABLE = new RegExp(`${WORD_START}(?:available|tersedia)${WORD_END}`, 'giu');
const PLACEHOLDER_AT_START = /^\uE000.\uE001/u;

export interface FieldedOptions {
  marker: string;
  resolveLibrary: (phrase: string) => LibraryResolution;
  /** configured library codes, for `id:ugm.123` → `UGM.123` */
  libraryCodes: readonly string[];
  /** puts quoted values (placeholders) back */
  restore: (text: string) => string;
}

export function extractFielded(text: string, opts: FieldedOptions): FieldedScan {
  const starts = [...text.matchAll(FIELD_START)].filter((m) => valueStart(m) < text.length);
  const scan: FieldedScan = { fielded: starts.length > 0, text, filters: {}, ambiguousLibraries: [] };
  if (starts.length === 0) return scan;

  let out = text.slice(0, starts[0]?.index ?? 0);
  starts.forEach((m, i) => {
    const field = FIELD_NAMES.get((m[1] ?? '').toLowerCase()) ?? 'any';
    const from = valueStart(m);
    const to = starts[i + 1]?.index ?? text.length;
    if (IDENTIFIER_FIELDS.has(field)) {
      out += ` ${text.slice(m.index ?? 0, to)}`;
      return;
    }
    if (field === 'any') {
      // a keyword field is plain text: give it back to the free text
      out += ` ${text.slice(from, to)}`;
      return;
    }
    const region = text.slice(from, to);
    const value = TEXT_FIELDS.has(field) ? textValue(region) : scalarValue(field, region);
    const raw = PLACEHOLDER_AT_START.test(value.value) ? value.value : dropBareAvailable(value.value, scan);
    applyField(scan, field, opts.restore(raw).replace(/\s+/gu, ' ').trim(), opts);
    out += ` ${opts.marker} ${value.rest}`;
  });
  scan.text = dropBareAvailable(out, scan);
  return scan;
}

function dropBareAvailable(text: string, scan: FieldedScan): string {
  return text.replace(BARE_AVAILABLE, () => {
    scan.filters.available = true;
    return ' ';
  });
}

function valueStart(m: RegExpExecArray | RegExpMatchArray): number {
  return (m.index ?? 0) + m[0].length;
}

/** A quoted value (placeholder) alone, or everything up to the next field. */
function textValue(region: string): { value: string; rest: string } {
  const quoted = PLACEHOLDER_AT_START.exec(region);
  if (quoted) return { value: quoted[0], rest: region.slice(quoted[0].length) };
  return { value: region, rest: '' };
}

function scalarValue(field: FieldName, region: string): { value: string; rest: string } {
  const quoted = PLACEHOLDER_AT_START.exec(region);
  if (quoted) return { value: quoted[0], rest: region.slice(quoted[0].length) };
  const re =
    field === 'year'
      ? /^(?:[<>≥≤]=?\s*)?\d{4}(?:\s*(?:-|–|\.\.|to)\s*\d{4}|[+-]|s)?|^-\d{4}|^\S+/u
      : /^\S+/u;
  const m = re.exec(region);
  const value = m?.[0] ?? '';
  return { value, rest: region.slice(value.length) };
}

function applyField(scan: FieldedScan, field: FieldName, value: string, opts: FieldedOptions): void {
  if (value === '') return;
  switch (field) {
    case 'title':
    case 'author':
    case 'subject': {
      const existing = scan[field];
      scan[field] = existing === undefined ? value : `${existing} ${value}`;
      return;
    }
    case 'any':
    case 'isbn':
    case 'issn':
    case 'oclc':
      return;
    case 'id': {
      const dot = value.indexOf('.');
      const code = dot > 0 ? opts.libraryCodes.find((c) => c.toLowerCase() === value.slice(0, dot).toLowerCase()) : undefined;
      const id = code !== undefined ? `${code}${value.slice(dot)}` : /^w\d+$/iu.test(value) ? value.toLowerCase() : value;
      scan.identifier ??= { type: 'id', value: id };
      return;
    }
    case 'year':
      mergeFilters(scan.filters, yearFilter(value));
      return;
    case 'lang': {
      const code = languageCode(value) ?? (/^[a-z]{3}$/iu.test(value) ? value.toLowerCase() : undefined);
      if (code !== undefined) mergeFilters(scan.filters, { language: code });
      return;
    }
    case 'lib': {
      const found = opts.resolveLibrary(value);
      if (found.kind === 'one') mergeFilters(scan.filters, { library: found.code });
      else if (found.kind === 'ambiguous') scan.ambiguousLibraries.push(found.codes);
      // an unknown code is kept as written: the search finds nothing and the answer can say so
      else mergeFilters(scan.filters, { library: value.replace(/[.,;:!?]+$/u, '') });
      return;
    }
    case 'format': {
      const known = formatFromWord(value) ?? FORMAT_NAMES.get(value.toLowerCase());
      mergeFilters(scan.filters, { format: known ?? value.charAt(0).toUpperCase() + value.slice(1) });
      return;
    }
    case 'available':
      if (/^(?:yes|y|true|1|ya|iya|on)$/iu.test(value)) scan.filters.available = true;
      return;
  }
}

/** `2005`, `2000-2010`, `>2000`, `>=2000`, `<1980`, `2000-`, `-1980`, `1990s`. */
function yearFilter(value: string): { yearFrom?: number; yearTo?: number } {
  const v = value.replace(/\s+/gu, '');
  let m = /^(\d{4})-$|^(\d{4})\+$/u.exec(v);
  if (m) return { yearFrom: Number(m[1] ?? m[2]) };
  m = /^-(\d{4})$/u.exec(v);
  if (m) return { yearTo: Number(m[1]) };
  if (!/\d{4}/u.test(v)) return {};
  return interpretYears(v.replace(/^>=|^≥/u, '>= ').replace(/^<=|^≤/u, '<= ').replace(/^>(?!=)/u, '> ').replace(/^<(?!=)/u, '< '));
}
