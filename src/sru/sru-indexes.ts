/**
 * The indexes SRU clients may search, by context set, and how each is searched: words of a field
 * of the works index (title, creator, subject, anywhere), an identifier looked up in the catalog
 * (ISBN, ISSN, work or record id), a member library, or every record. The bare names (`title`,
 * `author`, `isbn`, `id`, `lib`…) belong to Jala's own context set, the default one.
 */
import type { FieldScope } from '../search/minisearch-index.ts';

export type IndexKind =
  | { kind: 'text'; scope: FieldScope }
  | { kind: 'isbn' }
  | { kind: 'issn' }
  | { kind: 'recid' }
  | { kind: 'identifier' }
  | { kind: 'library' }
  | { kind: 'all-records' };

export interface ContextSet {
  name: string;
  uri: string;
}

export const CONTEXT_SETS: readonly ContextSet[] = [
  { name: 'cql', uri: 'info:srw/cql-context-set/1/cql-v1.2' },
  { name: 'dc', uri: 'info:srw/cql-context-set/1/dc-v1.1' },
  { name: 'bath', uri: 'http://zing.z3950.org/cql/bath/2.0/' },
  { name: 'rec', uri: 'info:srw/cql-context-set/2/rec-1.1' },
  { name: 'jala', uri: 'urn:jala:cql-context-set:1.0' },
];

/** The context set of index names written without a prefix. */
export const DEFAULT_CONTEXT_SET = 'jala';

export interface IndexDefinition {
  /** context set short name */
  set: string;
  /** names in that set (the first is the one explain lists first) */
  names: readonly string[];
  title: string;
  searched: IndexKind;
}

const text = (scope: FieldScope): IndexKind => ({ kind: 'text', scope });

export const INDEXES: readonly IndexDefinition[] = [
  { set: 'cql', names: ['serverChoice', 'anywhere', 'keywords'], title: 'Any word of the record', searched: text('all') },
  { set: 'cql', names: ['allRecords'], title: 'Every record (cql.allRecords = 1)', searched: { kind: 'all-records' } },
  { set: 'dc', names: ['title'], title: 'Title', searched: text('title') },
  { set: 'dc', names: ['creator', 'author', 'contributor'], title: 'Author', searched: text('author') },
  { set: 'dc', names: ['subject'], title: 'Subject', searched: text('subject') },
  { set: 'dc', names: ['identifier'], title: 'ISBN, ISSN, work id or record id', searched: { kind: 'identifier' } },
  { set: 'bath', names: ['isbn'], title: 'ISBN', searched: { kind: 'isbn' } },
  { set: 'bath', names: ['issn'], title: 'ISSN', searched: { kind: 'issn' } },
  { set: 'bath', names: ['name', 'personalName', 'corporateName', 'conferenceName', 'author'], title: 'Author', searched: text('author') },
  { set: 'bath', names: ['title', 'keyTitle', 'uniformTitle'], title: 'Title', searched: text('title') },
  { set: 'bath', names: ['subject', 'topicalSubject', 'geographicName', 'genreForm'], title: 'Subject', searched: text('subject') },
  { set: 'rec', names: ['id', 'identifier'], title: 'Work id (w42) or a library\'s record id (UGM.123)', searched: { kind: 'recid' } },
  { set: 'jala', names: ['title'], title: 'Title', searched: text('title') },
  { set: 'jala', names: ['author', 'creator'], title: 'Author', searched: text('author') },
  { set: 'jala', names: ['subject'], title: 'Subject', searched: text('subject') },
  { set: 'jala', names: ['isbn'], title: 'ISBN', searched: { kind: 'isbn' } },
  { set: 'jala', names: ['issn'], title: 'ISSN', searched: { kind: 'issn' } },
  { set: 'jala', names: ['id', 'identifier'], title: 'Work id or a library\'s record id', searched: { kind: 'recid' } },
  { set: 'jala', names: ['lib', 'holdings', 'library'], title: 'Held by a member library (its code)', searched: { kind: 'library' } },
  { set: 'jala', names: ['anywhere', 'keyword', 'any'], title: 'Any word of the record', searched: text('all') },
];

export function contextSetByName(name: string): ContextSet | undefined {
  const n = name.toLowerCase();
  return CONTEXT_SETS.find((s) => s.name === n);
}

export function contextSetByUri(uri: string): ContextSet | undefined {
  return CONTEXT_SETS.find((s) => s.uri === uri);
}

export function findIndex(set: string, name: string): IndexDefinition | undefined {
  const n = name.toLowerCase();
  return INDEXES.find((d) => d.set === set && d.names.some((x) => x.toLowerCase() === n));
}
