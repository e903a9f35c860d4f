/**
 * Identifiers inside a question: ISBN (10/13, hyphens or spaces, with or without "ISBN"), ISSN,
 * OCLC numbers ("OCLC 123", "(OCoLC)ocm123"), record ids `CODE.localId` for known library codes, and
 * work ids `w123`. Each one found is cut out of the text and replaced by a marker; the first is kept.
 */
import { normalizeIsbn } from '../mapping/isbn.ts';
import { WORD_END, WORD_START, alternation } from './question-lexicon.ts';
import { replaceMatches } from './replace-matches.ts';

export type IdentifierType = 'isbn' | 'issn' | 'oclc' | 'id';

export interface QuestionIdentifier {
  type: IdentifierType;
  value: string;
}

export interface IdentifierScan {
  identifier?: QuestionIdentifier;
  /** the text with every identifier (and its "ISBN"/"OCLC" label) replaced by `marker` */
  text: string;
}

interface IdentifierRule {
  re: RegExp;
  read: (m: RegExpExecArray) => QuestionIdentifier | undefined;
}

const ISBN_13 = '(?:\\d[ -]?){12}\\d';
const ISBN_10 = '(?:\\d[ -]?){9}[\\dXx]';
const ISBN_LABEL = '(?:isbn(?:-?1[03])?|e-?isbn|no\\.? isbn|nomor isbn)';

function compactIsbn(raw: string): string | undefined {
  const compact = raw.replace(/[\s-]/gu, '').toUpperCase();
  return /^\d{9}[\dX]$|^\d{13}$/u.test(compact) ? compact : undefined;
}

function validIssn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(digits[i]) * (8 - i);
  const check = (11 - (sum % 11)) % 11;
  return digits[7] === (check === 10 ? 'X' : String(check));
}

function isYearRange(a: string, b: string): boolean {
  const x = Number(a);
  const y = Number(b.slice(0, 4));
  return x >= 1000 && x <= 2099 && y >= 1000 && y <= 2099 && /^\d{4}$/u.test(b);
}

function oclcValue(digits: string): string {
  return digits.replace(/^0+(?=\d)/u, '');
}

function fixedRules(): IdentifierRule[] {
  return [
    {
      // labelled ISBN: spaces allowed between groups; any check digit (the lookup reports invalid ones)
      re: new RegExp(`${WORD_START}${ISBN_LABEL}\\s*(?::|#|no\\.?)?\\s*(${ISBN_13}|${ISBN_10})${WORD_END}`, 'giu'),
      read: (m) => {
        const value = compactIsbn(m[1] ?? '');
        return value === undefined ? undefined : { type: 'isbn', value };
      },
    },
    {
      re: new RegExp(`${WORD_START}(?:e-?issn|issn|p-issn)\\s*(?::|#|no\\.?)?\\s*(\\d{4})\\s*[-–]?\\s*(\\d{3}[\\dXx])${WORD_END}`, 'giu'),
      read: (m) => ({ type: 'issn', value: `${m[1] ?? ''}-${(m[2] ?? '').toUpperCase()}` }),
    },
    {
      re: new RegExp(`\\(ocolc\\)\\s*(?:ocm|ocn|on)?\\s*(\\d{1,12})${WORD_END}`, 'giu'),
      read: (m) => ({ type: 'oclc', value: oclcValue(m[1] ?? '') }),
    },
    {
      re: new RegExp(`${WORD_START}(?:oclc|ocolc|worldcat)(?:\\s*(?:no\\.?|number|nomor|#))?\\s*:?\\s*(?:ocm|ocn|on)?\\s*(\\d{1,12})${WORD_END}`, 'giu'),
      read: (m) => ({ type: 'oclc', value: oclcValue(m[1] ?? '') }),
    },
    {
      re: new RegExp(`${WORD_START}oc[mn](\\d{8,12})${WORD_END}`, 'giu'),
      read: (m) => ({ type: 'oclc', value: oclcValue(m[1] ?? '') }),
    },
    {
      // unlabelled ISBN: hyphens only (no spaces), and the check digit must be right
      re: new RegExp(`${WORD_START}((?:\\d-?){12}\\d|(?:\\d-?){9}[\\dXx])${WORD_END}`, 'giu'),
      read: (m) => {
        const value = compactIsbn(m[1] ?? '');
        if (value === undefined || normalizeIsbn(value) === null) return undefined;
        if (value.length === 13 && !/^97[89]/u.test(value)) return undefined;
        return { type: 'isbn', value };
      },
    },
    {
      // unlabelled ISBN-13 written in spaced groups ("978 979 3062 79 2"): 978/979 and a right check digit
      re: new RegExp(`${WORD_START}(97[89](?:[ -]?\\d){10})${WORD_END}`, 'giu'),
      read: (m) => {
        const value = compactIsbn(m[1] ?? '');
        return value !== undefined && normalizeIsbn(value) !== null ? { type: 'isbn', value } : undefined;
      },
    },
    {
      // unlabelled ISSN: NNNN-NNNX with a right check digit, and not a year range like 1990-2000
      re: new RegExp(`${WORD_START}(\\d{4})-(\\d{3}[\\dXx])${WORD_END}`, 'giu'),
      read: (m) => {
        const a = m[1] ?? '';
        const b = (m[2] ?? '').toUpperCase();
        if (isYearRange(a, b) || !validIssn(a + b)) return undefined;
        return { type: 'issn', value: `${a}-${b}` };
      },
    },
    {
      re: new RegExp(`${WORD_START}(?:work\\s+)?[wW](\\d{1,12})${WORD_END}`, 'gu'),
      read: (m) => ({ type: 'id', value: `w${m[1] ?? ''}` }),
    },
  ];
}

const FIXED_RULES = fixedRules();

/** A scanner for one consortium: record ids are recognised only for its library codes. */
export function createIdentifierScanner(libraryCodes: readonly string[]): (text: string, marker: string) => IdentifierScan {
  const rules = [...FIXED_RULES];
  const byLower = new Map(libraryCodes.map((c) => [c.toLowerCase(), c]));
  if (libraryCodes.length > 0) {
    rules.unshift({
      re: new RegExp(
        `${WORD_START}(?:(?:record|rekaman|id|cantuman)\\s*:?\\s*)?(${alternation(libraryCodes.map((c) => c.toLowerCase()))})\\.([\\p{L}\\p{N}](?:[\\p{L}\\p{N}_:/-]*[\\p{L}\\p{N}])?)${WORD_END}`,
        'giu',
      ),
      read: (m) => {
        const code = byLower.get((m[1] ?? '').toLowerCase());
        return code === undefined ? undefined : { type: 'id', value: `${code}.${m[2] ?? ''}` };
      },
    });
  }
  return (text, marker) => {
    let out = text;
    let identifier: QuestionIdentifier | undefined;
    for (const rule of rules) {
      out = replaceMatches(out, rule.re, (m) => {
        const found = rule.read(m);
        if (found === undefined) return undefined;
        identifier ??= found;
        return ` ${marker} `;
      });
    }
    return identifier === undefined ? { text: out } : { identifier, text: out };
  };
}
