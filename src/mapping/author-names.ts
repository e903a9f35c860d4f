import { subfieldValues, type MarcDataField } from '../marc/marc-record.ts';
import type { Author } from '../catalog/record-document.ts';
import { trimPunctuation } from './text-normalize.ts';

/** Dates run into a name subfield: "Hirata, Andrea, 1967-" or "Toer, Pramoedya Ananta (1925-2006)". */
const TRAILING_DATES = /[,\s]*\(?\s*(?:b\.|d\.|fl\.|ca\.|lahir|l\.|w\.)?\s*\d{3,4}\??\s*-\s*(?:\d{3,4}\??)?\s*\)?\s*$/u;
/** Suffixes that follow the forenames in direct order: "King, Martin Luther, Jr." → "Martin Luther King Jr." */
const SUFFIX = /^(?:jr|sr|[ivx]+|2nd|3rd|\d+th)\.?$/iu;

/** A personal name as catalogued, without trailing dates and ISBD punctuation. */
export function cleanName(raw: string): string {
  return trimPunctuation(trimPunctuation(raw).replace(TRAILING_DATES, ''));
}

/**
 * Direct (natural) order of a catalogued personal name: "Hirata, Andrea" → "Andrea Hirata",
 * "Toer, Pramoedya Ananta" → "Pramoedya Ananta Toer", "King, Martin Luther, Jr." → "Martin Luther King Jr.".
 * Names without a comma (forename entries, 100 ind1=0: "Pramoedya Ananta Toer", "Hamka") are already direct.
 */
export function directOrder(name: string): string {
  const parts = cleanName(name).split(/\s*,\s*/u).filter((p) => p !== '');
  const [surnamePart, forenames, ...rest] = parts;
  if (surnamePart === undefined) return '';
  if (forenames === undefined) return surnamePart;
  if (SUFFIX.test(forenames)) return `${surnamePart} ${forenames}`; // "Ford, Jr." is unusual; keep order
  const suffixes = rest.filter((p) => SUFFIX.test(p));
  return [forenames, surnamePart, ...suffixes].join(' ');
}

/**
 * Inverted ("Last, First") order, as RecordManager keys names: inverted names stay as they are;
 * a direct multi-word name without a comma is turned around on its last word
 * ("Pramoedya Ananta Toer" → "Toer, Pramoedya Ananta"); single names stay ("Hamka").
 */
export function invertedOrder(name: string): string {
  const clean = cleanName(name);
  if (clean.includes(',')) return clean;
  const words = clean.split(/\s+/u).filter((w) => w !== '');
  if (words.length < 2) return clean;
  const last = words[words.length - 1] ?? '';
  return `${last}, ${words.slice(0, -1).join(' ')}`;
}

/** The surname RecordManager keys titles on: the part before ", ", else the last word of a direct name. */
export function surname(name: string): string {
  const inverted = invertedOrder(name);
  const comma = inverted.indexOf(',');
  return (comma >= 0 ? inverted.slice(0, comma) : inverted).trim();
}

/** Relator terms ($e, or $j for 111/711) and codes ($4), joined: "editor", "aut". */
export function relatorOf(field: MarcDataField): string | undefined {
  const terms = subfieldValues(field, field.tag.endsWith('11') ? 'j' : 'e').map(trimPunctuation).filter((t) => t !== '');
  const codes = subfieldValues(field, '4')
    .map((c) => c.trim())
    .filter((c) => c !== '' && !/^https?:/u.test(c));
  const all = [...new Set([...terms, ...codes])];
  return all.length > 0 ? all.join(', ') : undefined;
}

/**
 * An Author from a personal-name field (100, 700, 600, or an 880 of one): name = $a $b $c $q as
 * catalogued (dates in $d are not part of it), direct order from $a $b, role from $e/$4.
 */
export function authorFromField(field: MarcDataField): Author | undefined {
  const a = subfieldValues(field, 'a').join(' ');
  const name = cleanName(subfieldValues(field, 'abcq').join(' '));
  if (a.trim() === '' || name === '') return undefined;
  const numeration = subfieldValues(field, 'b').map(trimPunctuation).join(' ');
  // 100 ind1=0 is a forename entry: already direct, even if it contains a comma ("Budi, S.")
  const base = field.ind1 === '0' ? cleanName(a) : directOrder(a);
  const direct = [base, numeration].filter((p) => p !== '').join(' ') || name;
  const role = relatorOf(field);
  return role === undefined ? { name, direct } : { name, direct, role };
}

const FIRST_AUTHOR_ROLES = new Set(['aut', 'cre', 'author', 'creator', 'pengarang', 'penulis', 'pengarang utama']);

/** Does this 700's relator make it a primary author (VuFind's "first author" roles)? */
export function isPrimaryRole(role: string | undefined): boolean {
  if (role === undefined) return false;
  return role
    .split(/\s*,\s*/u)
    .some((r) => FIRST_AUTHOR_ROLES.has(r.toLowerCase().replace(/\.$/u, '')));
}
