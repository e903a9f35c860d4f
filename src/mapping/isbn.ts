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
  const text = raw.normalize('NFKC').replace(/\bISBN(?:-1[03])?\s*:?\s*/giu, ' ');
  for (const token of text.split(/[\s;,/()[\]]+/u)) {
    const compact = token.replace(/[-\u2010-\u2015.]/gu, '').toUpperCase();
    if (/^\d{9}[\dX]$|^\d{12}[\dX]$/.test(compact)) return compact;
  }
  // digits grouped with spaces ("978 979 3062 79 2")
  const spaced = /(?:\d[\s-]?){12}\d(?![\d\s-]*\d)|(?:\d[\s-]?){9}[\dXx](?![\d\s-]*\d)/u.exec(text);
  if (spaced) return spaced[0].replace(/[\s-]/gu, '').toUpperCase();
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
