import type { HoldingsProfile } from '../config/consortium-config.ts';
import { authorFromField, cleanName, invertedOrder, isPrimaryRole, surname } from './author-names.ts';
import { classifyFormat } from './format-classifier.ts';
import { extractItems } from './holdings.ts';
import { normalizeIsbn } from './isbn.ts';
import { languageCodes } from './languages.ts';
import {
  controlValue,
  dataFields,
  fieldsWithTag,
  firstSubfield,
  isDataField,
  subfieldValues,
  type MarcDataField,
  type MarcRecord,
} from '../marc/marc-record.ts';
import type { Author, Link, RecordDocument } from '../catalog/record-document.ts';
import { checkedDocument } from './checked-document.ts';
import { createTitleKey, filingForm, foldText, normalizeKey, trimPunctuation } from './text-normalize.ts';
import { recordWarning, type RecordWarning } from '../catalog/record-warning.ts';

export interface MapRecordOptions {
  /** the member library's code (the ingest batch's), used as the id prefix */
  library: string;
  /** which item field to read; 'auto' (the default) detects it */
  holdingsProfile?: HoldingsProfile;
  /**
   * id of last resort when the record has no 001/999$c/035/ISBN (the caller passes e.g. a content
   * hash), or a function giving it, called only then
   */
  fallbackId?: string | (() => string);
  /** the year publication years are judged against (default: this year) */
  currentYear?: number;
}

/** Why a record could not be mapped, as a stable code (`reason` says it with the details). */
export type MapProblemCode = 'mapping/not-bibliographic' | 'mapping/no-title' | 'mapping/no-id' | 'mapping/invalid-document';

export type MapRecordResult =
  | { ok: true; doc: RecordDocument; warnings: RecordWarning[] }
  | { ok: false; code: MapProblemCode; reason: string };

/** Fields whose content is mapped to a dedicated document field; the rest goes to allText. */
const MAPPED_TAGS = new Set([
  '010', '015', '016', '020', '022', '024', '035', '041', '050', '080', '082', '083', '084', '090', '099',
  '100', '110', '111', '130', '240', '245', '246', '250', '260', '264', '300', '440', '490', '505', '520',
  '600', '610', '611', '630', '648', '650', '651', '653', '654', '655', '656', '700', '710', '711', '730',
  '740', '800', '810', '811', '830', '856', '880',
]);
const ALL_TEXT_LIMIT = 2000;
const ID_KEY_LIMIT = 200;

// ---------------------------------------------------------------- small helpers

function text(field: MarcDataField, codes: string, separator = ' '): string {
  return trimPunctuation(subfieldValues(field, codes).map((v) => v.trim()).join(separator));
}

/** Keep the first of values that fold to the same text; drop empties. */
function unique(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const key = foldText(v).replace(/\s+/gu, ' ').trim();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

function uniqueAuthors(authors: Author[]): Author[] {
  const seen = new Set<string>();
  return authors.filter((a) => {
    const key = normalizeKey(a.name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Alternate-script twins (880) as fields under their base tag ("245-02/(2/r" → 245), $6 dropped. */
function alternateScriptFields(record: MarcRecord): MarcDataField[] {
  const out: MarcDataField[] = [];
  for (const f of fieldsWithTag(record, '880')) {
    const link = firstSubfield(f, '6');
    const base = link === undefined ? undefined : /^(\d{3})/u.exec(link.trim())?.[1];
    if (base === undefined) continue;
    out.push({ tag: base, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.filter((s) => s.code !== '6') });
  }
  return out;
}

function nonFilingCount(field: MarcDataField): number {
  return /^[0-9]$/u.test(field.ind2) ? Number(field.ind2) : 0;
}

/** Drop the first n characters (non-filing article) when that leaves something. */
function dropNonFiling(value: string, n: number): string {
  const chars = [...value];
  return n > 0 && n < chars.length ? chars.slice(n).join('') : value;
}

// ---------------------------------------------------------------- ids

/** Safe ids the cleaning leaves alone: at most 100 of the allowed characters, no "-" (runs collapse), no "." at either end. */
const SAFE_LOCAL_ID = /^[A-Za-z0-9_:](?:[A-Za-z0-9._:]{0,98}[A-Za-z0-9_:])?$/;

/** Make a local id safe inside `${library}.${localId}`: printable ASCII letters, digits, . _ : -. */
export function sanitizeLocalId(raw: string): string {
  // the usual id ("100001", "b1234567x") is already safe: nothing below would change it
  if (SAFE_LOCAL_ID.test(raw)) return raw;
  return raw
    .normalize('NFKC')
    .replace(/\p{C}+/gu, '')
    .trim()
    .replace(/[^A-Za-z0-9._:-]+/gu, '-')
    .replace(/-{2,}/gu, '-')
    .replace(/^[-.]+|[-.]+$/gu, '')
    .slice(0, 100);
}

function kohaBiblionumber(record: MarcRecord, profile: HoldingsProfile): string | undefined {
  for (const f of fieldsWithTag(record, '999')) {
    const c = firstSubfield(f, 'c')?.trim();
    const d = firstSubfield(f, 'd')?.trim();
    if (c === undefined || !/^\d+$/u.test(c)) continue;
    // Koha writes biblionumber ($c) and biblioitemnumber ($d); III/Sirsi 999s use $c for other things
    if (profile === 'koha952' || (d !== undefined && /^\d+$/u.test(d)) || dataFields(record, '942', '952').length > 0) return c;
  }
  return undefined;
}

interface LocalId {
  localId: string;
  warnings: RecordWarning[];
}

function chooseLocalId(record: MarcRecord, opts: MapRecordOptions, firstIsbn: string | undefined): LocalId | undefined {
  const warnings: RecordWarning[] = [];
  const f001 = controlValue(record, '001');
  if (f001 !== undefined && f001.trim() !== '') {
    const id = sanitizeLocalId(f001);
    if (id !== '') {
      if (id !== f001.trim()) warnings.push(recordWarning('mapping/unsafe-001', `001 "${f001.trim()}" has characters unsafe in ids; stored as "${id}"`));
      return { localId: id, warnings };
    }
  }
  const candidates: Array<[string, string | undefined]> = [
    ['999$c', kohaBiblionumber(record, opts.holdingsProfile ?? 'auto')],
    ['035$a', fieldsWithTag(record, '035').map((f) => firstSubfield(f, 'a')).find((v) => v !== undefined && v.trim() !== '')],
    ['ISBN', firstIsbn],
    ['fallback id', typeof opts.fallbackId === 'function' ? opts.fallbackId() : opts.fallbackId],
  ];
  for (const [source, value] of candidates) {
    if (value === undefined) continue;
    const id = sanitizeLocalId(value);
    if (id === '') continue;
    warnings.push(recordWarning('mapping/no-001', `no 001: local id "${id}" taken from the ${source}`));
    return { localId: id, warnings };
  }
  return undefined;
}

// ---------------------------------------------------------------- standard numbers

const ISSN_PATTERN = /\b(\d{4})[-\s]?(\d{3}[\dXx])\b/u;

function normalizeIssn(raw: string): string | undefined {
  const m = ISSN_PATTERN.exec(raw);
  return m ? `${m[1]}-${(m[2] ?? '').toUpperCase()}` : undefined;
}

/** OCLC number, digits only without leading zeros, from "(OCoLC)ocm00012345", "ocn710973037", "on1234567890". */
export function oclcNumber(raw: string): string | undefined {
  const m = /^\s*(?:\(OCoLC\)\s*(?:oc[mn]|on)?|oc[mn]|on)\s*0*(\d+)\s*$/iu.exec(raw);
  return m?.[1];
}

function lccnKey(raw: string): string {
  return raw.trim().toLowerCase().replace(/\/.*$/u, '').replace(/\s+/gu, '');
}

const ID_035 = /^\((?:CONSER|DLC|OCoLC|EXLCZ|EXLNZ-[^)]+|\w\w-\w+)\)/u;
const ID_024: Readonly<Record<string, string>> = { '0': 'isrc', '1': 'upc', '2': 'ismn', '3': 'ian', '4': 'sici' };

/** Adds "(prefix)value" to the keys, lower-cased, spaces removed, truncated to 200 characters. */
function addIdKey(keys: string[], prefix: string, value: string | undefined): void {
  const v = value?.trim().toLowerCase().replace(/\s+/gu, '');
  if (v) keys.push(`(${prefix.toLowerCase()})${v}`.slice(0, ID_KEY_LIMIT));
}

/** RecordManager's unique id keys (c.1 #2), lower-cased, truncated to 200 characters. */
function idKeys(record: MarcRecord, oclc: readonly string[]): string[] {
  const keys: string[] = [];
  for (const f of fieldsWithTag(record, '010')) {
    const a = firstSubfield(f, 'a');
    if (a !== undefined) addIdKey(keys, 'lccn', lccnKey(a));
    for (const b of subfieldValues(f, 'b')) addIdKey(keys, 'nucmc', lccnKey(b));
  }
  for (const f of fieldsWithTag(record, '015')) {
    const source = firstSubfield(f, '2')?.trim() || 'nbn';
    for (const a of subfieldValues(f, 'a')) addIdKey(keys, source, a);
  }
  for (const f of fieldsWithTag(record, '016')) {
    const source = firstSubfield(f, '2')?.trim() || (f.ind1 === ' ' ? 'lac' : '016');
    for (const a of subfieldValues(f, 'a')) addIdKey(keys, source, a);
  }
  for (const f of fieldsWithTag(record, '024')) {
    const source = f.ind1 === '7' ? firstSubfield(f, '2')?.trim() : ID_024[f.ind1];
    if (!source) continue;
    for (const a of subfieldValues(f, 'a')) {
      const compact = a.trim().split(/\s+/u)[0]?.replace(/-/gu, '') ?? '';
      if (source === 'ismn' && !/^\d{13}$/u.test(compact)) continue;
      addIdKey(keys, source, compact);
    }
  }
  for (const f of fieldsWithTag(record, '035')) {
    for (const a of subfieldValues(f, 'a')) {
      const value = a.trim();
      const m = ID_035.exec(value);
      if (!m) continue;
      const n = /^\(OCoLC\)/iu.test(value) ? oclcNumber(value) : undefined;
      if (n !== undefined) addIdKey(keys, 'ocolc', n);
      else keys.push(value.toLowerCase().replace(/\s+/gu, '').slice(0, ID_KEY_LIMIT));
    }
  }
  for (const n of oclc) addIdKey(keys, 'ocolc', n);
  return [...new Set(keys)];
}

// ---------------------------------------------------------------- titles

/** ISBD-style title from 245-like subfields in field order: $b after " : ", $n/$p after ". ". */
function isbdTitle(field: MarcDataField, codes = 'abnp'): string {
  let out = '';
  let previous = '';
  for (const sf of field.subfields) {
    if (!codes.includes(sf.code)) continue;
    const v = trimPunctuation(sf.value);
    if (v === '') continue;
    if (out === '') out = v;
    else if (sf.code === 'b') out += ` : ${v}`;
    else if (sf.code === 'p' && previous === 'n') out += `, ${v}`;
    else if (sf.code === 'n' || sf.code === 'p') out += `. ${v}`;
    else out += ` ${v}`;
    previous = sf.code;
  }
  return out;
}

interface Titles {
  title: string;
  titleShort: string;
  subtitle?: string;
  titleFull: string;
  partNumber?: string;
  /** lower-cased, non-filing characters dropped: 245 a b k p */
  sort: string;
  /** 245 a b n p (non-filing dropped), for titleNorm */
  norm: string;
  /** 245 a b n p c (non-filing dropped), for the title key */
  key: string;
}

/** The subfields' values joined by spaces, the first $a without its non-filing characters. */
function filingTitle(field: MarcDataField, codes: string, nonFiling: number): string {
  const parts: string[] = [];
  let first = true;
  for (const sf of field.subfields) {
    if (!codes.includes(sf.code)) continue;
    parts.push(sf.code === 'a' && first ? dropNonFiling(sf.value, nonFiling) : sf.value);
    if (sf.code === 'a') first = false;
  }
  return parts.join(' ');
}

function titlesFrom245(field: MarcDataField): Titles | undefined {
  let title = isbdTitle(field);
  if (title === '') title = isbdTitle(field, 'kfgs'); // form/date-only titles ("Papers,")
  if (title === '') return undefined;
  const nonFiling = nonFilingCount(field);
  const a = text(field, 'a');
  const b = subfieldValues(field, 'b').map(trimPunctuation).filter((v) => v !== '').join(' : ');
  const part = isbdTitle(field, 'np');
  const full = text(field, 'abcdefgknps');
  const abnp = filingTitle(field, 'abnp', nonFiling) || title;
  const out: Titles = {
    title,
    titleShort: a || title,
    titleFull: full || title,
    sort: filingForm(filingTitle(field, 'abkp', nonFiling)) || filingForm(title),
    norm: abnp,
    key: abnp,
  };
  if (b !== '') out.subtitle = b;
  if (part !== '') out.partNumber = part;
  return out;
}

function titlesFromOther(field: MarcDataField, codes: string): Titles | undefined {
  const title = isbdTitle(field, codes);
  if (title === '') return undefined;
  return { title, titleShort: title, titleFull: title, sort: filingForm(title), norm: title, key: title };
}

function chooseTitles(record: MarcRecord, alt: readonly MarcDataField[]): Titles | undefined {
  for (const f of [...fieldsWithTag(record, '245'), ...alt.filter((a) => a.tag === '245')]) {
    const t = titlesFrom245(f);
    if (t) return t;
  }
  const fallbacks: Array<[string, string]> = [['240', 'anp'], ['246', 'abnp'], ['130', 'anp']];
  for (const [tag, codes] of fallbacks) {
    for (const f of fieldsWithTag(record, tag)) {
      const t = titlesFromOther(f, codes);
      if (t) return t;
    }
  }
  return undefined;
}

function alternativeTitles(record: MarcRecord, alt: readonly MarcDataField[], title: string): string[] {
  const out: string[] = [];
  const spec: Array<[string, string]> = [
    ['130', 'adfgklnpst'], ['240', 'anp'], ['246', 'abnp'], ['700', 'tnp'], ['710', 'tnp'], ['711', 'tnp'],
    ['730', 'adfgklnpst'], ['740', 'anp'],
  ];
  for (const [tag, codes] of spec) {
    for (const f of fieldsWithTag(record, tag)) out.push(isbdTitle(f, codes));
  }
  for (const f of alt) {
    if (f.tag === '245') out.push(isbdTitle(f));
    const s = spec.find(([tag]) => tag === f.tag);
    if (s) out.push(isbdTitle(f, s[1]));
  }
  const own = foldText(title);
  return unique(out).filter((t) => foldText(t) !== own);
}

// ---------------------------------------------------------------- people, subjects, series

function authorsOf(record: MarcRecord, alt: readonly MarcDataField[]): { authors: Author[]; authors2: Author[]; corporate: string[] } {
  const authors: Author[] = [];
  const authors2: Author[] = [];
  for (const f of fieldsWithTag(record, '100')) {
    const a = authorFromField(f);
    if (a) authors.push(a);
  }
  for (const f of fieldsWithTag(record, '700')) {
    const a = authorFromField(f);
    if (!a) continue;
    (isPrimaryRole(a.role) ? authors : authors2).push(a);
  }
  // vernacular forms of personal names are searchable as further authors
  for (const f of alt) {
    if (f.tag !== '100' && f.tag !== '700') continue;
    const a = authorFromField(f);
    if (a) authors2.push(a);
  }
  const corporate: string[] = [];
  for (const f of [...record.fields.filter(isDataField), ...alt]) {
    if (f.tag === '110' || f.tag === '710') corporate.push(text(f, 'ab'));
    else if (f.tag === '111' || f.tag === '711') corporate.push(text(f, 'acdn'));
  }
  const primary = uniqueAuthors(authors);
  const primaryKeys = new Set(primary.map((a) => normalizeKey(a.name)));
  return {
    authors: primary,
    authors2: uniqueAuthors(authors2).filter((a) => !primaryKeys.has(normalizeKey(a.name))),
    corporate: unique(corporate),
  };
}

const SUBJECT_TAGS = new Set(['600', '610', '611', '630', '648', '650', '651', '654', '656']);

/** "Zionism -- Historiography": heading subfields joined by spaces, subdivisions ($v $x $y $z) by " -- ". */
function heading(field: MarcDataField): string {
  const main: string[] = [];
  const subdivisions: string[] = [];
  for (const sf of field.subfields) {
    if (!/^[a-z]$/u.test(sf.code) || sf.value.trim() === '') continue;
    if (/^https?:/u.test(sf.value.trim())) continue;
    if ('vxyz'.includes(sf.code)) subdivisions.push(trimPunctuation(sf.value));
    else main.push(sf.value.trim());
  }
  return [trimPunctuation(main.join(' ')), ...subdivisions].filter((p) => p !== '').join(' -- ');
}

function subjectsOf(record: MarcRecord, alt: readonly MarcDataField[]): { subjects: string[]; genres: string[] } {
  const subjects: string[] = [];
  const genres: string[] = [];
  for (const f of [...record.fields.filter(isDataField), ...alt]) {
    if (SUBJECT_TAGS.has(f.tag)) subjects.push(heading(f));
    else if (f.tag === '653') subjects.push(...subfieldValues(f, 'a').map(trimPunctuation)); // one term per $a
    else if (f.tag === '655') genres.push(heading(f));
  }
  return { subjects: unique(subjects), genres: unique(genres) };
}

function seriesOf(record: MarcRecord, alt: readonly MarcDataField[]): { series: string[]; issns: string[]; numbers: string[] } {
  const series: string[] = [];
  const issns: string[] = [];
  const numbers: string[] = [];
  for (const f of [...record.fields.filter(isDataField), ...alt]) {
    if (f.tag === '440' || f.tag === '830') series.push(isbdTitle(f, 'anp'));
    else if (f.tag === '490') series.push(text(f, 'a'));
    else if (f.tag === '800' || f.tag === '810' || f.tag === '811') series.push(text(f, 'abcdfpqtn'));
    if (f.tag === '490' || f.tag === '440') {
      for (const x of subfieldValues(f, 'x')) {
        const issn = normalizeIssn(x);
        if (issn) issns.push(issn);
      }
    }
    if (f.tag === '490') numbers.push(...subfieldValues(f, 'v').map(trimPunctuation));
  }
  return { series: unique(series), issns: unique(issns), numbers: unique(numbers) };
}

// ---------------------------------------------------------------- publication

const UNKNOWN_PUBLISHER = /^(?:s\.?\s*n\.?|publisher not identified|producer not identified|distributor not identified|penerbit tidak diketahui|tanpa penerbit|t\.?\s*p\.?)$/iu;
const UNKNOWN_PLACE = /^(?:s\.?\s*l\.?|place of publication not identified|place of production not identified|tempat terbit tidak diketahui|t\.?\s*t\.?|tanpa tempat)$/iu;

function publicationFields(record: MarcRecord): { f260: readonly MarcDataField[]; f264: MarcDataField[] } {
  const f264 = fieldsWithTag(record, '264');
  return { f260: fieldsWithTag(record, '260'), f264: [...f264.filter((f) => f.ind2 === '1'), ...f264.filter((f) => f.ind2 !== '1')] };
}

function publishersOf(record: MarcRecord): string[] {
  const { f260, f264 } = publicationFields(record);
  const from260 = knownPublishers(f260);
  return unique(from260.length > 0 ? from260 : knownPublishers(f264.filter((f) => f.ind2 === '1')));
}

function knownPublishers(fields: readonly MarcDataField[]): string[] {
  return fields
    .flatMap((f) => subfieldValues(f, 'b'))
    .map((v) => trimPunctuation(v))
    .filter((v) => v !== '' && !UNKNOWN_PUBLISHER.test(v));
}

function placeOf(record: MarcRecord): string | undefined {
  const { f260, f264 } = publicationFields(record);
  for (const f of [...f260, ...f264]) {
    for (const a of subfieldValues(f, 'a')) {
      const v = trimPunctuation(a);
      if (v !== '' && !UNKNOWN_PLACE.test(v)) return v;
    }
  }
  return undefined;
}

/** A plausible year in a 260/264 $c: "c2002.", "[2011?]", "1432 H [2011 M]" (the Gregorian one). */
function yearIn(raw: string, maxYear: number): number | undefined {
  const gregorian = /(\d{4})\s*M\b/u.exec(raw);
  if (gregorian && Number(gregorian[1]) >= 500 && Number(gregorian[1]) <= maxYear) return Number(gregorian[1]);
  for (const m of raw.matchAll(/(?<!\d)(\d{4})(?!\d)/gu)) {
    const y = Number(m[1]);
    if (y >= 500 && y <= maxYear) return y;
  }
  return undefined;
}

function yearOf(record: MarcRecord, currentYear: number): number | undefined {
  const maxYear = currentYear + 6; // "next year + 5"
  const candidates = [
    ...fieldsWithTag(record, '260').flatMap((f) => subfieldValues(f, 'c')),
    ...fieldsWithTag(record, '264').filter((f) => f.ind2 === '1').flatMap((f) => subfieldValues(f, 'c')),
  ];
  for (const c of candidates) {
    const y = yearIn(c, maxYear);
    if (y !== undefined) return y;
  }
  const date1 = controlValue(record, '008')?.slice(7, 11) ?? '';
  if (/^\d{4}$/u.test(date1) && date1 !== '0000' && date1 !== '9999') {
    const y = Number(date1);
    if (y >= 500 && y <= maxYear) return y;
  }
  return undefined;
}

/** Pages: the number before a page word in 300$a ("xiv, 392 p.", "250 hlm."), else its first integer. */
function pageCountOf(record: MarcRecord): number | undefined {
  const a = fieldsWithTag(record, '300').map((f) => subfieldValues(f, 'a').join(' '))[0];
  if (a === undefined) return undefined;
  const paged = /(\d+)\s*(?:p\b|pp\b|pages?\b|hlm\b|halaman\b|h\.|leaves\b|s\.|str\b|sider\b|sivua\b|blz\b|pag)/iu.exec(a);
  const first = paged ?? /(\d+)/u.exec(a);
  const n = Number(first?.[1]);
  return Number.isInteger(n) && n > 0 && n < 100000 ? n : undefined;
}

// ---------------------------------------------------------------- everything else

function callNumberOf(record: MarcRecord): string | undefined {
  const spec: Array<[string, string]> = [
    ['099', 'a'], ['090', 'ab'], ['050', 'ab'], ['082', 'a'], ['083', 'a'], ['084', 'ab'], ['080', 'ab'],
  ];
  for (const [tag, codes] of spec) {
    for (const f of fieldsWithTag(record, tag)) {
      const v = subfieldValues(f, codes).map((s) => s.trim()).filter((s) => s !== '').join(' ');
      if (v !== '') return v;
    }
  }
  return undefined;
}

function linksOf(record: MarcRecord): Link[] {
  const links: Link[] = [];
  for (const f of fieldsWithTag(record, '856')) {
    const label = ['y', 'z', '3'].map((c) => firstSubfield(f, c)).find((v) => v !== undefined && v.trim() !== '');
    for (const u of subfieldValues(f, 'u')) {
      const url = u.trim();
      if (url === '') continue;
      links.push(label === undefined ? { url } : { url, label: trimPunctuation(label) });
    }
  }
  const seen = new Set<string>();
  return links.filter((l) => (seen.has(l.url) ? false : (seen.add(l.url), true)));
}

function contentsOf(record: MarcRecord): string[] {
  const out: string[] = [];
  for (const f of fieldsWithTag(record, '505')) {
    out.push(...subfieldValues(f, 'a').map(trimPunctuation));
    out.push(...subfieldValues(f, 't').map(trimPunctuation));
  }
  return unique(out);
}

/** 841-88x are holdings data (852 locations, 863-868 enumeration, 876-878 items), not description. */
function isHoldingsTag(tag: string): boolean {
  return tag >= '841' && tag <= '889' && tag !== '880';
}

/** Text of the data fields not mapped elsewhere (notes and the like), capped near 2000 characters. */
/** Alternate-script (880) twins of these tags are mapped with their base field, not into allText. */
const ALT_MAPPED_TAGS: ReadonlySet<string> = new Set(['100', '110', '111', '130', '240', '245', '246', '440', '490', '600', '610', '611', '630',
  '648', '650', '651', '653', '654', '655', '656', '700', '710', '711', '730', '740', '800', '810', '811', '830']);

function allTextOf(record: MarcRecord, alt: readonly MarcDataField[]): string {
  const parts: string[] = [];
  const altMapped = ALT_MAPPED_TAGS;
  const fields = [
    ...record.fields
      .filter(isDataField)
      .filter((f) => f.tag >= '100' && f.tag < '900' && !MAPPED_TAGS.has(f.tag) && !isHoldingsTag(f.tag)),
    ...alt.filter((f) => !altMapped.has(f.tag)),
  ];
  let length = 0;
  for (const f of fields) {
    const t = f.subfields
      .filter((s) => /^[a-z]$/u.test(s.code) && !/^https?:/u.test(s.value.trim()))
      .map((s) => s.value.trim())
      .filter((v) => v !== '')
      .join(' ');
    if (t === '') continue;
    parts.push(t);
    length += t.length + 1;
    if (length > ALL_TEXT_LIMIT) break;
  }
  const joined = parts.join(' ');
  if (joined.length <= ALL_TEXT_LIMIT) return joined;
  const cut = joined.slice(0, ALL_TEXT_LIMIT);
  const space = cut.lastIndexOf(' ');
  return space > ALL_TEXT_LIMIT / 2 ? cut.slice(0, space) : cut;
}

// ---------------------------------------------------------------- the mapping

/**
 * Map one library's MARC record to the RecordDocument that is stored, deduplicated and indexed.
 * Expected failures (not a bibliographic record, no title, no usable id) come back as `{ ok: false }`;
 * data-quality problems the mapping worked around come back as warnings.
 */
export function mapRecord(record: MarcRecord, opts: MapRecordOptions): MapRecordResult {
  const type = record.leader[6] ?? ' ';
  if ('uvxyz'.includes(type) && type !== ' ') {
    return { ok: false, code: 'mapping/not-bibliographic', reason: `not a bibliographic record (leader/06 "${type}")` };
  }
  const alt = alternateScriptFields(record);
  const titles = chooseTitles(record, alt);
  if (!titles) return { ok: false, code: 'mapping/no-title', reason: 'no title (245)' };

  const warnings: RecordWarning[] = [];

  // standard numbers
  const isbns: string[] = [];
  const isbn10: string[] = [];
  const isbnInvalid: string[] = [];
  const issns: string[] = [];
  for (const f of fieldsWithTag(record, '020')) {
    for (const sf of f.subfields) {
      const raw = sf.value.trim();
      if (raw === '' || !/\d/u.test(raw)) continue;
      if (sf.code === 'z') {
        isbnInvalid.push(raw);
      } else if (sf.code === 'a') {
        const isbn = normalizeIsbn(raw);
        if (isbn) {
          isbns.push(isbn.isbn13);
          if (isbn.isbn10 !== undefined) isbn10.push(isbn.isbn10);
          continue;
        }
        const issn = /^\s*(?:ISSN\s*:?\s*)?\d{4}-?\d{3}[\dXx]\b/iu.test(raw) ? normalizeIssn(raw) : undefined;
        if (issn !== undefined) {
          issns.push(issn);
          warnings.push(recordWarning('mapping/issn-in-isbn', `020$a holds an ISSN ("${raw}")`));
        } else {
          isbnInvalid.push(raw);
          warnings.push(recordWarning('mapping/invalid-isbn', `invalid ISBN in 020$a: "${raw}"`));
        }
      }
    }
  }
  for (const f of fieldsWithTag(record, '022')) {
    for (const a of subfieldValues(f, 'a')) {
      const issn = normalizeIssn(a);
      if (issn) issns.push(issn);
    }
  }

  const id = chooseLocalId(record, opts, isbns[0]);
  if (!id) return { ok: false, code: 'mapping/no-id', reason: 'no record id (no 001, 999$c, 035$a or ISBN, and no fallback id)' };
  warnings.push(...id.warnings);

  const oclc = [...new Set(fieldsWithTag(record, '035').flatMap((f) => subfieldValues(f, 'a')).map(oclcNumber).filter((n) => n !== undefined))];
  const lccnRaw = fieldsWithTag(record, '010').map((f) => firstSubfield(f, 'a')).find((v) => v !== undefined && v.trim() !== '');

  const languages = languageCodes(record);
  warnings.push(...languages.warnings);

  const people = authorsOf(record, alt);
  const subjects = subjectsOf(record, alt);
  const series = seriesOf(record, alt);

  // dedup keys: main author = 100$a, else the first 700$a
  const mainAuthorField = fieldsWithTag(record, '100')[0] ?? fieldsWithTag(record, '700')[0];
  const mainAuthorRaw = mainAuthorField === undefined ? '' : subfieldValues(mainAuthorField, 'a').join(' ');
  const mainAuthor = cleanName(mainAuthorRaw);
  const authorNorm = mainAuthor === '' ? '' : normalizeKey(invertedOrder(mainAuthor));
  const surnameKey = mainAuthor === '' ? '' : normalizeKey(surname(mainAuthor));
  const titleKeyPart = createTitleKey(titles.key);
  // RecordManager builds no title key without an author, which leaves anonymous and corporate works
  // undeduplicated; Jala keys them on the first corporate author, else on the year (the pairwise
  // rules still demand the same year, pages and a near-identical title)
  const corporateField = dataFields(record, '110', '111', '710', '711')[0];
  const corporateKey = corporateField === undefined ? '' : normalizeKey(subfieldValues(corporateField, 'a').join(' ')).slice(0, 40);
  const year = yearOf(record, opts.currentYear ?? new Date().getFullYear());
  const keyYear = year;
  const authorPart = surnameKey !== '' ? surnameKey : corporateKey !== '' ? `@${corporateKey}` : keyYear !== undefined ? `#${keyYear}` : '';
  const titleKey = titleKeyPart !== '' && authorPart !== '' ? `${titleKeyPart} ${authorPart}` : undefined;

  const edition = fieldsWithTag(record, '250').map((f) => text(f, 'a'))[0];
  const physical = fieldsWithTag(record, '300').map((f) => text(f, 'abcefg')).filter((p) => p !== '').join('; ');
  const summary = fieldsWithTag(record, '520').flatMap((f) => subfieldValues(f, 'ab')).map((v) => v.trim()).join(' ');

  // properties without a value are undefined here, left out by the check
  const doc = {
    id: `${opts.library}.${id.localId}`,
    library: opts.library,
    localId: id.localId,
    title: titles.title,
    titleShort: titles.titleShort,
    subtitle: titles.subtitle,
    titleFull: titles.titleFull,
    titleSort: titles.sort,
    titleAlt: alternativeTitles(record, alt, titles.title),
    partNumber: titles.partNumber,
    authors: people.authors,
    authors2: people.authors2,
    corporateAuthors: people.corporate,
    subjects: subjects.subjects,
    genres: subjects.genres,
    series: series.series,
    seriesIssns: series.issns,
    seriesNumbers: series.numbers,
    publishers: publishersOf(record),
    publishPlace: placeOf(record),
    year,
    edition: edition === '' ? undefined : edition,
    physical: physical === '' ? undefined : physical,
    pageCount: pageCountOf(record),
    languages: languages.codes,
    format: classifyFormat(record),
    isbns: [...new Set(isbns)],
    isbn10: [...new Set(isbn10)],
    isbnInvalid: [...new Set(isbnInvalid)],
    issns: [...new Set(issns)],
    lccn: lccnRaw?.trim(),
    oclc,
    idKeys: idKeys(record, oclc),
    callNumber: callNumberOf(record),
    summary: summary === '' ? undefined : summary,
    contents: contentsOf(record),
    links: linksOf(record),
    items: extractItems(record, opts.library, opts.holdingsProfile ?? 'auto'),
    allText: allTextOf(record, alt),
    titleKey,
    titleNorm: normalizeKey(titles.norm),
    authorNorm: authorNorm === '' ? undefined : authorNorm,
  };

  const parsed = checkedDocument(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'mapping/invalid-document', reason: `invalid document: ${issue ? `${issue.path.join('.')}: ${issue.message}` : parsed.error.message}` };
  }
  return { ok: true, doc: parsed.data, warnings };
}
