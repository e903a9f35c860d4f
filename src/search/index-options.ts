import type { Options } from 'minisearch';
import { foldTerm, tokenize } from './analyze-text.ts';
import { stems } from './stemmers.ts';

/**
 * Bump when fields, stored fields, analysis or boosts change: a persisted index of another version is rebuilt.
 * (The file's layout has its own version, index-file.ts; an index of this version in the older
 * JSON-lines file is converted, not rebuilt.)
 */
export const INDEX_VERSION = 3;

/** Exact (folded, unstemmed) fields, and their stemmed twins. */
export const EXACT_FIELDS = ['titleShort', 'title', 'subjects', 'authors', 'titleAlt', 'series', 'other'] as const;
export const STEMMED_FIELDS = ['title_s', 'subjects_s', 'other_s'] as const;
export type IndexField = (typeof EXACT_FIELDS)[number] | (typeof STEMMED_FIELDS)[number];

/**
 * Boosts after VuFind's AllFields ratios (titleShort 750 > titleFull unstemmed 600 > topic
 * unstemmed 550 > title/topic stemmed 500 > author 300 > titleAlt 200 > series 50 > allfields 10),
 * scaled down; each unstemmed field outranks its stemmed twin.
 */
export const FIELD_BOOST: Record<IndexField, number> = {
  titleShort: 7.5,
  title: 6,
  subjects: 5.5,
  title_s: 5,
  subjects_s: 4.5,
  authors: 3,
  titleAlt: 2,
  series: 0.5,
  other: 0.1,
  other_s: 0.05,
};

/**
 * Small per-work facts kept in the index so that filters, boosts and ranking need no database round
 * trip: `tk` and `tx` are the hashes of the short and the full title's keys (title-key.ts), `tq` the
 * title's tier (0 the work itself, 1 a telling subtitle, 2 a commentary or study aid).
 */
export const STORED_FIELDS = ['libs', 'avail', 'year', 'lang', 'format', 'tk', 'tx', 'tq'] as const;

export interface IndexedWork {
  id: number;
  titleShort: string;
  title: string;
  subjects: string;
  authors: string;
  titleAlt: string;
  series: string;
  other: string;
  title_s: string;
  subjects_s: string;
  other_s: string;
  /** library codes holding the work */
  libs: string[];
  /** library codes with an available item */
  avail: string[];
  year: number | undefined;
  lang: string[];
  format: string;
  /** hash of the short title's key */
  tk: number;
  /** hash of the full title's key (title and a telling subtitle) */
  tx: number;
  /** 0 the work itself, 1 with a telling subtitle, 2 a commentary or study aid */
  tq: number;
}

/**
 * The one set of MiniSearch options: saving and loading must use the same ones.
 * Indexing folds every term; stemmed fields add the English and Indonesian stems.
 * Queries are pre-analysed by the query builder, so search-time processing is the identity.
 */
export const INDEX_OPTIONS: Options<IndexedWork> = {
  idField: 'id',
  fields: [...EXACT_FIELDS, ...STEMMED_FIELDS],
  storeFields: [...STORED_FIELDS],
  tokenize: (text) => tokenize(text),
  processTerm: (term, fieldName) => {
    const folded = foldTerm(term);
    if (folded === '') return null;
    // the cached stem list itself: MiniSearch only reads it
    if (fieldName !== undefined && fieldName.endsWith('_s')) return stems(folded) as string[];
    return folded;
  },
  searchOptions: {
    tokenize: (text) => [text],
    processTerm: (term) => term,
  },
  // MiniSearchIndex.save vacuums, at once, before writing; a vacuum left running in the background
  // would walk a tree the save has already cleaned (and an index is saved after every change)
  autoVacuum: false,
};
