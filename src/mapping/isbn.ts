import { parse as parseIsbn } from 'isbn3';

/** A valid ISBN in its normal forms: ISBN-13 always, ISBN-10 when it has one (978 prefix). */
export interface NormalizedIsbn {
  isbn13: string;
  isbn10?: string;
}

/** ISBN-10 check digit for 9 digits (0-9 or X). */
function isbn10CheckDigit(nineDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(nineDigits[i]);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** EAN-13 check digit for 12 digits. */
function ean13CheckDigit(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelveDigits[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/**
 * Check a bare 10- or 13-character ISBN. isbn3 validates against the ISBN agency's range table;
 * when it does not know the range (the table lags behind newly assigned ranges, and old books carry
 * numbers from ranges since reorganised) a correct check digit is still accepted, as RecordManager does.
 */
function validate(compact: string): NormalizedIsbn | null {
  const parsed = parseIsbn(compact);
  if (parsed) return parsed.isbn10 ? { isbn13: parsed.isbn13, isbn10: parsed.isbn10 } : { isbn13: parsed.isbn13 };
  if (/^\d{9}[\dX]$/.test(compact)) {
    if (isbn10CheckDigit(compact.slice(0, 9)) !== compact[9]) return null;
    const body = `978${compact.slice(0, 9)}`;
    return { isbn13: body + ean13CheckDigit(body), isbn10: compact };
  }
  if (/^97[89]\d{10}$/.test(compact)) {
    if (ean13CheckDigit(compact.slice(0, 12)) !== compact[12]) return null;
    const isbn10 = toIsbn10(compact);
    return isbn10 ? { isbn13: compact, isbn10 } : { isbn13: compact };
  }
  return null;
}

/** The digits of the first ISBN-shaped token (10 or 13 characters once hyphens/spaces are gone), or undefined. */
export function isbnCandidate(raw: string): string | undefined {
  // NFKC turns full-width digits into ASCII; ASCII text is its own NFKC form
  const text = (/[^\x00-\x7f]/u.test(raw) ? raw.normalize('NFKC') : raw).replace(/\bISBN(?:-1[03])?\s*:?\s*/giu, ' ');
  for (const token of tokens(text)) {
    const compact = compactToken(token);
    if (compact !== undefined && /^\d{9}[\dX]$|^\d{12}[\dX]$/.test(compact)) return compact;
  }
  // digits grouped with spaces ("978 979 3062 79 2")
  const spaced = spacedIsbn(text);
  return spaced === undefined ? undefined : spaced.replace(/[\s-]/gu, '').toUpperCase();
}

const TOKEN_BREAK = /[\s;,/()[\]]/u;

/** The text's tokens between whitespace and ; , / ( ) [ ], long enough to hold an ISBN (ten characters or more). */
function* tokens(text: string): Generator<string> {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = text.charCodeAt(i);
    const breaks = i === text.length || code === 32 || code === 59 || code === 44 || code === 47 || code === 40 || code === 41 || code === 91 || code === 93 || ((code < 33 || code > 126) && TOKEN_BREAK.test(text[i] ?? ''));
    if (!breaks) continue;
    if (i - start >= 10) yield text.slice(start, i);
    start = i + 1;
  }
}

/** The token without hyphens, dashes and dots, upper-cased; undefined as soon as it is longer than an ISBN. */
function compactToken(token: string): string | undefined {
  if (token.length < 10) return undefined;
  let out = '';
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code === 45 || code === 46 || (code >= 0x2010 && code <= 0x2015)) continue;
    out += token[i];
    if (out.length > 13) return undefined;
  }
  return out.toUpperCase();
}

const SEPARATOR = /[\s-]/u;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A character of a run of digits and separators (`[\d\s-]`). */
function inRun(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (isDigit(code) || code === 32 || code === 45) return true;
  return (code < 48 || code > 127) && SEPARATOR.test(text[i] ?? '');
}

/**
 * The first ISBN written in groups: 13 digits, or 9 digits and a digit or X, with at most one space or
 * hyphen between two digits, ending where its run of digits, spaces and hyphens ends. One pass over the
 * text (the pattern it replaces, `(?:\d[\s-]?){12}\d(?![\d\s-]*\d)|…`, rescanned the rest of the run
 * from every start and took minutes on a megabyte of digits).
 */
export function spacedIsbn(text: string): string | undefined {
  const n = text.length;
  // positions of the last 13 digits of the run (a ring), and how many of them chain with single separators
  const last = new Int32Array(13);
  let i = 0;
  while (i < n) {
    if (!inRun(text, i)) {
      i++;
      continue;
    }
    let count = 0;
    let chain = 0;
    let lastDigit = -1;
    let j = i;
    for (; j < n && inRun(text, j); j++) {
      if (!isDigit(text.charCodeAt(j))) continue;
      chain = lastDigit >= 0 && j - lastDigit <= 2 ? chain + 1 : 1;
      lastDigit = j;
      last[count % 13] = j;
      count++;
    }
    if (chain >= 9) {
      // the earliest start wins: 13 digits, else 10, else 9 digits and an X right after the run
      // (with no digit in the run that follows the X)
      if (chain >= 13) return text.slice(last[(count - 13) % 13], lastDigit + 1);
      if (chain >= 10) return text.slice(last[(count - 10) % 13], lastDigit + 1);
      const x = text.charCodeAt(j);
      if ((x === 88 || x === 120) && j - lastDigit <= 2) {
        let k = j + 1;
        while (k < n && inRun(text, k) && !isDigit(text.charCodeAt(k))) k++;
        if (k >= n || !inRun(text, k)) return text.slice(last[(count - 9) % 13], j + 1);
      }
    }
    i = j;
  }
  return undefined;
}

/**
 * Normalise one ISBN as catalogued ("979-3062-79-7 (pbk.)", "ISBN 978-602-03-1234-5") to its ISBN-13
 * (and ISBN-10 when it has one); null when there is no ISBN-shaped token or its check digit is wrong.
 */
export function normalizeIsbn(raw: string): NormalizedIsbn | null {
  const compact = isbnCandidate(raw);
  return compact === undefined ? null : validate(compact);
}

/** The ISBN-10 form of a valid 978-prefixed ISBN-13; null for 979 numbers (they have none) and invalid input. */
export function toIsbn10(isbn13: string): string | null {
  const compact = isbn13.replace(/[-\s]/gu, '');
  if (!/^978\d{10}$/.test(compact)) return null;
  if (ean13CheckDigit(compact.slice(0, 12)) !== compact[12]) return null;
  const nine = compact.slice(3, 12);
  return nine + isbn10CheckDigit(nine);
}
