/**
 * The bench's questions as the SRU queries a library system would send for them: a title search
 * for "do you have …?", a creator search for "books by …", an ISBN lookup, a title at a library
 * for "is … available at UGM?", a subject search, and the misspelt titles as they are typed.
 */
import type { BenchQuestion } from './generate-marc.ts';

const quote = (text: string): string => `"${text.trim().replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The bench's question kinds a library system sends as CQL; the chat-style kinds have no SRU form. */
export const SRU_KINDS: ReadonlySet<string> = new Set(['title', 'holders', 'author', 'isbn', 'availability', 'subject', 'typo']);

export function sruQueryFor(q: BenchQuestion): string {
  const t = q.text.trim().replace(/\?$/, '');
  let m: RegExpExecArray | null;
  switch (q.kind) {
    case 'title':
      return `dc.title=${quote(t.replace(/^(do you have|apakah ada buku)\s+/i, ''))}`;
    case 'holders':
      return `dc.title=${quote(t.replace(/^(which libraries have|siapa yang punya)\s+/i, ''))}`;
    case 'author':
      return `dc.creator=${quote(t.replace(/^(books by|buku karangan)\s+/i, ''))}`;
    case 'isbn':
      return `bath.isbn=${quote(t.replace(/^isbn\s+/i, ''))}`;
    case 'availability':
      if ((m = /^is (.+) available at (\S+)$/i.exec(t))) return `dc.title=${quote(m[1] as string)} and lib=${m[2]}`;
      if ((m = /^apakah (\S+) punya (.+)$/i.exec(t))) return `dc.title=${quote(m[2] as string)} and lib=${m[1]}`;
      return `cql.serverChoice=${quote(t)}`;
    case 'subject':
      if ((m = /^books about (.+)$/i.exec(t))) return `dc.subject=${quote(m[1] as string)}`;
      if ((m = /^buku tentang (\S+(?: \S+)*) (\S+)$/i.exec(t))) return `dc.subject=${quote(m[1] as string)} and dc.title=${quote(m[2] as string)}`;
      return `cql.serverChoice=${quote(t)}`;
    case 'typo':
    default:
      return `cql.serverChoice=${quote(t)}`;
  }
}
