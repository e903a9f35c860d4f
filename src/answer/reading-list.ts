/**
 * A pasted reading list: one item per line — titles, ISBNs, DOIs or citations — turned into the
 * query that best finds each item in the catalog.
 */
export interface ReadingListItem {
  /** the line as pasted (bullets and numbering removed) */
  line: string;
  /** what to ask the catalog */
  query: string;
  kind: 'isbn' | 'doi' | 'citation' | 'title';
}

const BULLET = /^\s*(?:[-*•·–]|\(?\d{1,3}[.)]|\[\d{1,3}\])\s*/u;

/** The items of a multi-line message, or undefined when it is not a list (fewer than two lines). */
export function readingListItems(text: string): ReadingListItem[] | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(BULLET, '').trim())
    .filter((l) => l !== '' && !/^(reading list|daftar (bacaan|pustaka|referensi)|references|bibliography|referensi)\s*:?$/i.test(l));
  if (lines.length < 2) return undefined;
  return lines.slice(0, 50).map(toItem);
}

function toItem(line: string): ReadingListItem {
  const isbn = /\b(?:isbn[:\s]*)?((?:97[89][-\s]?)?\d{1,5}[-\s]?\d{1,7}[-\s]?\d{1,7}[-\s]?[\dXx])\b/i.exec(line);
  if (isbn?.[1] && isbn[1].replace(/[^\dXx]/g, '').length >= 10 && /isbn|^\s*[\d-\sXx]+\s*$/i.test(line)) return { line, query: `ISBN ${isbn[1]}`, kind: 'isbn' };
  const doi = /\b(10\.\d{4,9}\/[^\s"<>]+)/i.exec(line);
  if (doi?.[1]) {
    // a DOI alone cannot be looked up in MARC holdings; search the citation's title when there is one
    const title = citationTitle(line.replace(doi[0], ''));
    return { line, query: title ?? doi[1], kind: 'doi' };
  }
  const title = citationTitle(line);
  if (title) return { line, query: title, kind: 'citation' };
  return { line, query: line, kind: 'title' };
}

/** "Hirata, A. (2005). Laskar pelangi. Bentang." → "Laskar pelangi"; MLA/Chicago quoted titles too. */
function citationTitle(line: string): string | undefined {
  const quoted = /["“]([^"”]{3,200})["”]/.exec(line);
  if (quoted?.[1]) return quoted[1].replace(/[.,]$/, '').trim();
  const apa = /\((?:\d{4}[a-z]?|n\.d\.|t\.t\.)\)\.?\s*([^.?!]{3,200})[.?!]/.exec(line);
  if (apa?.[1]) return apa[1].trim();
  const authorYearTitle = /^[^.]{2,80}\.\s*(?:\d{4}\.\s*)?([^.]{3,200})\.\s*[^.]{2,}/.exec(line);
  if (authorYearTitle?.[1] && /,/.test(line.split('.')[0] ?? '')) return authorYearTitle[1].trim();
  return undefined;
}
