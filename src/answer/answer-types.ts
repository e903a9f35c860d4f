import type { ItemStatus, Link } from '../catalog/record-document.ts';
import type { QuestionKind } from './parse-question.ts';

export type { Language } from '../common/language.ts';
import type { Language } from '../common/language.ts';

/** One library's copies of a work, as the answer shows them. */
export interface HoldingView {
  library: string;
  libraryName: string;
  branch?: string;
  location?: string;
  callNumber?: string;
  /** 'unknown' also for a library whose record carries no item information */
  status: ItemStatus;
  dueDate?: string;
  /** the library holds the record but its export carried no items */
  noItemInformation?: boolean;
}

export interface WorkAnswer {
  /** `w123` */
  workId: string;
  title: string;
  subtitle?: string;
  /** direct-order names: "Andrea Hirata" */
  authors: string[];
  year?: number;
  edition?: string;
  format: string;
  languages: string[];
  publisher?: string;
  /** ISBN-13s */
  isbns: string[];
  /** every holding of every member library: asker's library first, then available copies */
  holdings: HoldingView[];
  /** libraries holding the work (codes), in holding order */
  libraries: string[];
  links: Link[];
  /** an interlibrary-loan request makes sense for the asker */
  requestable: boolean;
  /** record ids of the member records */
  records: string[];
}

/**
 * Which rung of the ladder produced the results: 'exact' every word (in its field), 'all-fields'
 * every word anywhere, 'fuzzy' every word within its edit budget, 'coverage' most of the words,
 * 'without-filters' the filters dropped, 'suggestion' did-you-mean; 'filters' a question of filters
 * alone listed what passes them.
 */
export type AnswerStep = 'identifier' | 'exact' | 'all-fields' | 'fuzzy' | 'coverage' | 'without-filters' | 'suggestion' | 'filters' | 'none';

export interface Answer {
  kind: QuestionKind;
  language: Language;
  /** the words searched (question frame removed), for "results for …" lines */
  searched: string;
  step: AnswerStep;
  /** set when step is 'suggestion' (did you mean) or when a suggestion is offered with no results */
  suggestion?: string;
  /** filters that were applied (after the ladder: empty when step is 'without-filters') */
  filters: { library?: string; available?: boolean; language?: string; yearFrom?: number; yearTo?: number; format?: string };
  /** for availability questions: the library asked about */
  focusLibrary?: string;
  /** for availability questions: what the asked library can offer of the best match */
  verdict?: AvailabilityVerdict;
  /** every work found, counted exactly (only the first ones are ranked and paged), unless `totalEstimated` */
  total: number;
  /** `total` is the search index's estimate, rounded ("about 110,000"): PostgreSQL full-text search past many thousands of matches */
  totalEstimated?: true;
  offset: number;
  results: WorkAnswer[];
  hasMore: boolean;
  /** the question asked for an edition of this year ("Pride and prejudice 1967"); found: one of that year is first */
  editionYear?: { year: number; found: boolean };
  /** an ISBN in the question whose check digit is wrong (the rest of the question was answered) */
  invalidIsbn?: string;
}

export interface AvailabilityVerdict {
  library: string;
  libraryName: string;
  /** 'missing': every copy there is lost or withdrawn */
  outcome: 'available' | 'on-loan' | 'library-use-only' | 'missing' | 'not-held' | 'unknown';
  /** earliest due date when every copy is on loan */
  dueDate?: string;
  /** other libraries with a copy on the shelf (names), when the asked one cannot lend now */
  availableElsewhere: string[];
  /** other libraries holding it at all (names), when none has a copy known to be on the shelf */
  heldElsewhere: string[];
}
