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

/** A reading list's own limits, larger than a message's: the whole list, one line, and the items answered. */
export const READING_LIST_MAX_CHARS = 25_000;
export const READING_LIST_LINE_MAX = 500;
export const READING_LIST_MAX_ITEMS = 50;

export interface ReadingList {
  items: ReadingListItem[];
  /** lines longer than READING_LIST_LINE_MAX, cut to it */
  linesCut: number;
  /** items beyond READING_LIST_MAX_ITEMS, not answered */
  itemsLeft: number;
}

/** The list in a multi-line message, or undefined when it is not a list (fewer than two lines). */
export function readReadingList(text: string): ReadingList | undefined {
  let linesCut = 0;
  const lines = cutAt(text, READING_LIST_MAX_CHARS)
    .split(/\r?\n/)
    .map((l) => {
      if (l.length <= READING_LIST_LINE_MAX) return l;
      linesCut++;
      return cutAt(l, READING_LIST_LINE_MAX);
    })
    .map((l) => l.replace(BULLET, '').trim())
    .filter((l) => l !== '' && !/^(reading list|daftar (bacaan|pustaka|referensi)|references|bibliography|referensi)\s*:?$/i.test(l));
  if (lines.length < 2) return undefined;
  return { items: lines.slice(0, READING_LIST_MAX_ITEMS).map(toItem), linesCut, itemsLeft: Math.max(0, lines.length - READING_LIST_MAX_ITEMS) };
}

/** The items of a multi-line message, or undefined when it is not a list (fewer than two lines). */
export function readingListItems(text: string): ReadingListItem[] | undefined {
  return readReadingList(text)?.items;
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function toItem(line: string): ReadingListItem {
  const isbn = /\b(?:isbn[:\s]*)?((?:97[89][-\s]?)?\d{1,5}[-\s]?\d{1,7}[-\s]?\d{1,7}[-\s]?[\dXx])\b/i.exec(line);
  if (isbn?.[1] && isbn[1].replace(/[^\dXx]/g, '').length >= 10 && /isbn|^[\d\sXx-]+$/i.test(line)) return { line, query: `ISBN ${isbn[1]}`, kind: 'isbn' };
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
