import { normalizeIsbn } from '../mapping/isbn.ts';
import { parseWorkLabel, workLabel, type WorkDocument } from '../catalog/work-document.ts';
import type { ItemStatus } from '../catalog/record-document.ts';
import { foldedTokens } from '../search/analyze-text.ts';
import type { FieldScope, SearchFilters, SearchHit, SearchRequest, SearchResults } from '../search/minisearch-index.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { rankByTitle, titleSpans } from '../search/title-rank.ts';
import { typoBudget } from '../search/typo-neighbours.ts';
import type { HoldingItem, CatalogStore } from '../catalog/catalog-store.ts';
import type { Answer, AnswerStep, AvailabilityVerdict, HoldingView, WorkAnswer } from './answer-types.ts';
import { parseQuestion, type LibraryRef, type ParsedQuestion } from './parse-question.ts';
import { languageLabel } from './question-lexicon.ts';
import { cutEditionYear } from './question-tails.ts';
import { isStoryWord } from './message-segments.ts';

export interface MemberLibrary extends LibraryRef {
  lends: boolean;
}

export interface AnswerContext {
  store: CatalogStore;
  index: SearchIndex;
  libraries: readonly MemberLibrary[];
  /** the asker's library, when known: its holdings come first and what it has on the shelf ranks higher */
  homeLibrary?: string;
}

export interface AnswerOptions {
  offset?: number;
  pageSize?: number;
}

const DEFAULT_PAGE = 5;
/** hits ranked per question (the total is counted beyond them, or estimated where the index says so) */
const MAX_HITS = 200;

/** A question in English or Indonesian → ranked works with every library's holdings. */
export function answerQuestion(ctx: AnswerContext, question: string, opts: AnswerOptions = {}): Answer {
  return answerParsed(ctx, parseQuestion(question, { libraries: ctx.libraries }), opts);
}

export function answerParsed(ctx: AnswerContext, q: ParsedQuestion, opts: AnswerOptions = {}): Answer {
  const offset = Math.max(0, opts.offset ?? 0);
  const pageSize = Math.max(1, Math.min(opts.pageSize ?? DEFAULT_PAGE, 50));
  // several readings of one message (two clauses asking for the same book in two languages): the
  // first that finds something on the earliest rung of the ladder answers
  let answer = answerOne(ctx, q, offset, pageSize);
  for (const alt of q.alternatives ?? []) {
    if (STEP_ORDER[answer.step] <= STEP_ORDER.exact) break;
    const other = answerOne(ctx, alt, offset, pageSize);
    if (STEP_ORDER[other.step] < STEP_ORDER[answer.step]) answer = other;
  }
  return answer;
}

/** Earlier rungs answer better. */
const STEP_ORDER: Record<AnswerStep, number> = {
  identifier: 0,
  exact: 1,
  filters: 1,
  'all-fields': 2,
  fuzzy: 3,
  coverage: 4,
  'without-filters': 5,
  suggestion: 6,
  none: 7,
};

function answerOne(ctx: AnswerContext, q: ParsedQuestion, offset: number, pageSize: number): Answer {
  const focusLibrary = q.kind === 'availability' ? q.filters.library : undefined;
  // an availability question names a library to look at, not a library to restrict the search to
  const filters: SearchFilters = { ...q.filters };
  if (focusLibrary) {
    delete filters.library;
    delete filters.available;
  }
  const base = {
    kind: q.kind,
    language: q.language,
    searched: describeSearch(q),
    ...(focusLibrary ? { focusLibrary } : {}),
    ...(q.invalidIsbn ? { invalidIsbn: q.invalidIsbn } : {}),
  };
  if (NO_SEARCH.has(q.kind)) {
    return { ...base, step: 'none', filters: {}, total: 0, offset: 0, results: [], hasMore: false };
  }

  let workIds: number[];
  let total: number;
  let estimated = false;
  let step: AnswerStep;
  let applied: SearchFilters = filters;
  let suggestion: string | undefined;
  let editionYear: Answer['editionYear'];
  if (q.identifier) {
    workIds = lookupIdentifier(ctx.store, q.identifier);
    total = workIds.length;
    step = 'identifier';
  } else {
    const ladder = searchLadder(ctx, q, filters, Math.max(MAX_HITS, offset + pageSize));
    workIds = ladder.hits.map((h) => h.id);
    total = ladder.total;
    estimated = ladder.estimated === true;
    step = ladder.step;
    applied = ladder.filters;
    suggestion = ladder.suggestion;
    editionYear = ladder.editionYear;
  }

  const page = workIds.slice(offset, offset + pageSize);
  const results = page
    .map((id) => ctx.store.work(id))
    .filter((w): w is WorkDocument => w !== undefined)
    .map((w) => toWorkAnswer(ctx, w, focusLibrary));
  const top = results[0];
  const verdict = focusLibrary && top && offset === 0 ? availabilityVerdict(ctx, top, focusLibrary) : undefined;
  return {
    ...base,
    ...(base.searched === '' && step === 'filters' ? { searched: describeFilters(applied, q.language) } : {}),
    ...(verdict ? { verdict } : {}),
    step: workIds.length === 0 ? 'none' : step,
    ...(suggestion ? { suggestion } : {}),
    ...(editionYear ? { editionYear } : {}),
    filters: applied,
    total,
    ...(estimated ? { totalEstimated: true as const } : {}),
    offset,
    results,
    hasMore: offset + pageSize < total,
  };
}

/** Kinds answered without a catalog search. */
const NO_SEARCH: ReadonlySet<ParsedQuestion['kind']> = new Set(['help', 'greeting', 'thanks', 'empty', 'my-requests', 'library-info']);

/** "language: Javanese · 2000–2010" for a question made of filters only. */
function describeFilters(f: SearchFilters, language: 'en' | 'id'): string {
  const parts: string[] = [];
  const id = language === 'id';
  if (f.language) parts.push(`${id ? 'bahasa' : 'language'}: ${languageLabel(f.language, language)}`);
  if (f.yearFrom !== undefined || f.yearTo !== undefined) {
    parts.push(f.yearFrom === f.yearTo ? `${id ? 'tahun' : 'year'} ${f.yearFrom}` : `${id ? 'tahun' : 'years'} ${f.yearFrom ?? '…'}–${f.yearTo ?? '…'}`);
  }
  if (f.format) parts.push(`format: ${f.format}`);
  if (f.library) parts.push(`${id ? 'perpustakaan' : 'library'}: ${f.library}`);
  if (f.available) parts.push(id ? 'tersedia' : 'available');
  return parts.join(' · ');
}

function describeSearch(q: ParsedQuestion): string {
  if (q.identifier) return `${q.identifier.type.toUpperCase()} ${q.identifier.value}`;
  const parts: string[] = [];
  for (const part of [q.title, q.subject, q.text, q.author]) {
    const t = part?.trim();
    if (!t) continue;
    const lower = t.toLowerCase();
    // `text` repeats the title or subject words: say each once
    if (parts.some((p) => p.toLowerCase().includes(lower))) continue;
    for (let i = parts.length - 1; i >= 0; i--) if (lower.includes((parts[i] as string).toLowerCase())) parts.splice(i, 1);
    parts.push(t);
  }
  return parts.join(' · ');
}

interface LadderResult {
  hits: SearchHit[];
  total: number;
  /** the total is the index's estimate (SearchResults.estimated) */
  estimated?: true;
  step: AnswerStep;
  filters: SearchFilters;
  suggestion?: string;
  editionYear?: { year: number; found: boolean };
  /** some hit's title equals every asked word */
  wholeTitle?: boolean;
}

/** Words that never count towards best coverage: they match nearly everything. */
const MINOR_WORDS = new Set([
  'a', 'an', 'the', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'with', 'from', 'by', 'is', 'it', 'its', 'as',
  'dan', 'di', 'ke', 'dari', 'yang', 'untuk', 'dengan', 'pada', 'dalam', 'atau', 'ini', 'itu', 'de', 'la', 'le', 'les',
  'et', 'der', 'die', 'das', 'und', 'el', 'y',
]);

/**
 * The relaxation ladder, stopping at the first rung with results and saying which one it was:
 *  1. exact — every word in its asked field (spelling variants and number words count);
 *  2. all-fields — every word, in any field;
 *  3. fuzzy — every word, each within its edit budget (an adjacent swap is one edit);
 *  4. coverage — best coverage: at least two thirds of the content words (and at least two) match,
 *     ranked by how many match, then score. The guard: a question of fewer than three content words
 *     never gets here, and minor words (articles, "and", "di", "yang") never count, so nonsense with
 *     one real word in it still finds nothing;
 *  5. without-filters — rungs 1–3 again without the filters;
 *  6. suggestion — did-you-mean, each unknown word replaced by its closest known word.
 * A question of filters alone lists the works passing them (most widely held, then newest).
 * The hits of the title rungs are then ranked by title (search/title-rank.ts).
 */
function searchLadder(ctx: AnswerContext, q: ParsedQuestion, filters: SearchFilters, limit: number): LadderResult {
  if (q.editionYear !== undefined) {
    // "Dilan 1990" may be a title with a year in it, "Pride and prejudice 1967" a title and its edition
    const cut = cutEditionYear(q.title ?? q.text);
    if (cut !== undefined && cut.year === q.editionYear) {
      // only the first rung: the year is a title word when a title has it ("Dilan 1990")
      const asWords = ladder(ctx, { ...q }, filters, limit, true);
      if (asWords.step === 'exact' && asWords.wholeTitle === true) {
        const { editionYear: _year, ...rest } = asWords;
        return rest;
      }
      const cutText = cutEditionYear(q.text);
      const withoutYear: ParsedQuestion = { ...q, text: cutText?.year === q.editionYear ? cutText.text : q.text };
      if (q.title !== undefined) withoutYear.title = cut.text;
      return ladder(ctx, withoutYear, filters, limit);
    }
  }
  return ladder(ctx, q, filters, limit);
}

function ladder(ctx: AnswerContext, q: ParsedQuestion, filters: SearchFilters, limit: number, exactOnly = false): LadderResult {
  const fielded = fieldedTerms(q);
  const allTerms = fielded.flatMap((f) => f.terms);
  if (allTerms.length === 0) {
    if (Object.keys(filters).length === 0 || (Object.keys(filters).length === 1 && filters.available === true && q.kind !== 'search')) {
      return { hits: [], total: 0, step: 'none', filters };
    }
    const listed = ctx.index.listFiltered(filters, limit);
    return { ...listed, step: 'filters', filters };
  }
  const home = ctx.homeLibrary;
  // every fielded part must match in its field: one search, each part's words in their own fields
  const run = (scopeAll: boolean, typos: boolean, f: SearchFilters, coverage?: { terms: string[]; minMatch: number }): SearchResults => {
    const parts = coverage ? [{ scope: 'all' as const, terms: coverage.terms }] : scopeAll ? [{ scope: 'all' as const, terms: allTerms }] : fielded;
    const [first, ...rest] = parts;
    if (!first) return { hits: [], total: 0 };
    const req: SearchRequest = {
      terms: first.terms,
      scope: first.scope,
      ...(rest.length > 0 ? { and: rest } : {}),
      mode: 'all',
      fuzzy: false,
      typos,
      variants: true,
      filters: f,
      ...(home ? { homeLibrary: home } : {}),
      ...(coverage ? { minMatch: coverage.minMatch } : {}),
    };
    return ctx.index.searchCounted(req, limit);
  };
  const done = (found: SearchResults, step: AnswerStep, f: SearchFilters): LadderResult => rank(ctx, q, { ...found, step, filters: f });
  const scoped = fielded.some((f) => f.scope !== 'all');
  let found = run(false, false, filters);
  if (found.total > 0) return done(withTitledTopic(ctx, q, fielded, found, filters, limit), 'exact', filters);
  if (exactOnly) return { hits: [], total: 0, step: 'none', filters };
  if (scoped) {
    found = run(true, false, filters);
    if (found.total > 0) return done(found, 'all-fields', filters);
  }
  // the fuzzy rung only when some word is unknown and long enough to be corrected
  const correctable = allTerms.some((t) => typoBudget(t) > 0 && !ctx.index.knows(t));
  if (correctable) {
    found = run(true, true, filters);
    if (found.total > 0) return done(found, 'fuzzy', filters);
  }
  const filtered = Object.keys(filters).length > 0;
  if (filtered) {
    found = run(false, false, {});
    if (found.total > 0) return done(found, 'without-filters', {});
    if (correctable) {
      found = run(true, true, {});
      if (found.total > 0) return done(found, 'without-filters', {});
    }
  }
  // best coverage over the words that carry content: not articles and the like, not the asker's story
  const content = [...new Set(allTerms.filter((t) => !MINOR_WORDS.has(t) && !isStoryWord(t)))];
  if (content.length >= 2 && (content.length < allTerms.length || content.length >= 3)) {
    const minMatch = content.length < 3 ? content.length : Math.max(2, Math.ceil((2 * content.length) / 3));
    for (const f of filtered ? [filters, {}] : [filters]) {
      found = run(true, true, f, { terms: content, minMatch });
      if (found.total > 0) return done(found, 'coverage', f);
    }
  }
  const suggestion = ctx.index.suggest(allTerms.join(' '));
  if (suggestion) {
    const terms = foldedTokens(suggestion);
    found = ctx.index.searchCounted({ terms, scope: 'all', mode: 'all', fuzzy: false, variants: true, filters: {} }, limit);
    if (found.total > 0) return { ...done(found, 'suggestion', {}), suggestion };
  }
  return { hits: [], total: 0, step: 'none', filters };
}

/**
 * A subject asked in words ("a book about open source licensing") is searched in subjects; a work
 * whose title is those very words ("Open source licensing") belongs first even when its subjects
 * word it otherwise.
 */
function withTitledTopic(
  ctx: AnswerContext,
  q: ParsedQuestion,
  fielded: ReadonlyArray<{ scope: FieldScope; terms: string[] }>,
  found: SearchResults,
  filters: SearchFilters,
  limit: number,
): SearchResults {
  // one word ("jazz") is a subject, not a title, and the second search would be wasted
  if (q.subject === undefined || q.subjectFielded || q.title !== undefined || foldedTokens(q.subject).length < 2) return found;
  const parts = fielded.map((f) => (f.scope === 'subject' ? { scope: 'title' as const, terms: f.terms } : f));
  const [first, ...rest] = parts;
  if (!first) return found;
  const titled = ctx.index.searchCounted(
    { terms: first.terms, scope: first.scope, ...(rest.length > 0 ? { and: rest } : {}), mode: 'all', fuzzy: false, variants: true, filters, ...(ctx.homeLibrary ? { homeLibrary: ctx.homeLibrary } : {}) },
    limit,
  );
  const words = foldedTokens(q.subject);
  const key = titleSpans(words);
  const same = titled.hits.filter((h) => {
    const f = ctx.index.stored(h.id);
    return f !== undefined && ((key.get(f.tk as number) ?? 0) >= words.length || (key.get(f.tx as number) ?? 0) >= words.length);
  });
  if (same.length === 0) return found;
  const seen = new Set(found.hits.map((h) => h.id));
  const extra = same.filter((h) => !seen.has(h.id));
  const ids = new Set(same.map((h) => h.id));
  // (an estimated total stays as estimated, rounded: a few more works are within its error)
  return { ...found, hits: [...same, ...found.hits.filter((h) => !ids.has(h.id))].slice(0, limit), total: found.estimated ? found.total : found.total + extra.length };
}

/** The title rungs' hits ranked by title and edition year (search/title-rank.ts). */
function rank(ctx: AnswerContext, q: ParsedQuestion, found: LadderResult): LadderResult {
  if (q.kind === 'author' || found.hits.length === 0) return found;
  const asked = q.title ?? q.text;
  let words = asked ? foldedTokens(asked) : [];
  if (words.length === 0 && q.editionYear === undefined) return found;
  if (found.step === 'fuzzy' || found.step === 'coverage' || found.step === 'without-filters') {
    // misspelt words are compared with the titles as the catalog spells them
    const corrected = ctx.index.suggest(words.join(' '));
    if (corrected !== undefined) words = foldedTokens(corrected);
  }
  const ranked = rankByTitle(ctx.index, found.hits, { words, ...(q.editionYear !== undefined ? { year: q.editionYear } : {}) });
  const out: LadderResult = { ...found, hits: ranked.hits, wholeTitle: ranked.wholeTitleFound };
  if (q.editionYear !== undefined) out.editionYear = { year: q.editionYear, found: ranked.yearFound ?? false };
  return out;
}

/**
 * The words to search and where: title, author and subject words in their fields, and the free
 * text's other words anywhere. The parser's `text` repeats the title and subject words (and
 * `allTerms` is every word once more for the all-fields rungs), so they are taken out of the
 * free part: searching them twice would only cost time.
 */
function fieldedTerms(q: ParsedQuestion): Array<{ scope: FieldScope; terms: string[] }> {
  const parts: Array<{ scope: FieldScope; terms: string[] }> = [];
  const taken = new Map<string, number>();
  const add = (scope: FieldScope, text: string | undefined): void => {
    let terms = text ? foldedTokens(text) : [];
    if (scope === 'all') {
      terms = terms.filter((t) => {
        const n = taken.get(t) ?? 0;
        if (n === 0) return true;
        taken.set(t, n - 1);
        return false;
      });
    } else if (scope !== 'author') {
      for (const t of terms) taken.set(t, (taken.get(t) ?? 0) + 1);
    }
    if (terms.length > 0) parts.push({ scope, terms });
  };
  add('title', q.title);
  add('author', q.author);
  add('subject', q.subject);
  add('all', q.text);
  return parts;
}

function lookupIdentifier(store: CatalogStore, id: NonNullable<ParsedQuestion['identifier']>): number[] {
  switch (id.type) {
    case 'isbn': {
      const norm = normalizeIsbn(id.value);
      const raw = id.value.replace(/[^0-9Xx]/g, '').toUpperCase();
      const found = new Set<number>();
      if (norm) for (const w of store.worksByKey('isbn', norm.isbn13)) found.add(w);
      for (const w of store.worksByKey('isbnx', raw)) found.add(w);
      return [...found];
    }
    case 'issn':
      return store.worksByKey('issn', id.value.toUpperCase());
    case 'oclc':
      return store.worksByKey('oclc', id.value.replace(/^0+/, ''));
    case 'id': {
      const w = store.workOfRecord(id.value);
      if (w !== undefined) return [w];
      const label = parseWorkLabel(id.value);
      return label !== undefined && store.work(label) ? [label] : [];
    }
  }
}

const STATUS_ORDER: Record<ItemStatus, number> = { available: 0, 'library-use-only': 1, 'on-loan': 2, unknown: 3, lost: 4, withdrawn: 5 };

function toWorkAnswer(ctx: AnswerContext, work: WorkDocument, focusLibrary: string | undefined): WorkAnswer {
  const names = new Map(ctx.libraries.map((l) => [l.code, l.name]));
  const items = ctx.store.itemsOfWork(work.id);
  const holdings: HoldingView[] = items.map((it) => toHoldingView(it, names));
  for (const lib of new Set(work.libraries)) {
    if (!items.some((it) => it.library === lib)) {
      holdings.push({ library: lib, libraryName: names.get(lib) ?? lib, status: 'unknown', noItemInformation: true });
    }
  }
  const first = focusLibrary ?? ctx.homeLibrary;
  holdings.sort(
    (a, b) =>
      Number(b.library === first) - Number(a.library === first) ||
      libraryRank(holdings, a.library) - libraryRank(holdings, b.library) ||
      a.library.localeCompare(b.library) ||
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  );
  const libraries = [...new Set(holdings.map((h) => h.library))];
  const home = ctx.homeLibrary;
  // the asker's library may have it on the shelf: on the shelf, or held with no word on where its copies are
  const maybeOnHomeShelf = home !== undefined && holdings.some((h) => h.library === home && (h.status === 'available' || h.status === 'unknown'));
  const lenders = new Set(ctx.libraries.filter((l) => l.lends).map((l) => l.code));
  const loanable = (lib: string): boolean => holdings.some((h) => h.library === lib && (h.status === 'available' || h.status === 'on-loan' || h.status === 'unknown'));
  // an ILL request needs a home library to deliver to, no copy on its own shelf, and another member that lends a copy that can be lent
  const requestable = home !== undefined && !maybeOnHomeShelf && libraries.some((l) => l !== home && (lenders.size === 0 || lenders.has(l)) && loanable(l));
  return {
    workId: workLabel(work.id),
    title: work.title,
    ...(work.subtitle ? { subtitle: work.subtitle } : {}),
    authors: [...work.authors.map((a) => a.direct), ...work.corporateAuthors],
    ...(work.year !== undefined ? { year: work.year } : {}),
    ...(work.edition ? { edition: work.edition } : {}),
    format: work.format,
    languages: work.languages,
    ...(work.publishers[0] ? { publisher: work.publishers[0] } : {}),
    isbns: work.isbns,
    holdings,
    libraries,
    links: work.links,
    requestable,
    records: work.records,
  };
}

/** Libraries with something on the shelf first. */
function libraryRank(holdings: readonly HoldingView[], library: string): number {
  let best = 9;
  for (const h of holdings) if (h.library === library) best = Math.min(best, STATUS_ORDER[h.status]);
  return best;
}

function toHoldingView(it: HoldingItem, names: ReadonlyMap<string, string>): HoldingView {
  return {
    library: it.library,
    libraryName: names.get(it.library) ?? it.library,
    ...(it.branch ? { branch: it.branch } : {}),
    ...(it.location ? { location: it.location } : {}),
    ...(it.callNumber ? { callNumber: it.callNumber } : {}),
    status: it.status,
    ...(it.dueDate ? { dueDate: it.dueDate } : {}),
  };
}

function availabilityVerdict(ctx: AnswerContext, work: WorkAnswer, library: string): AvailabilityVerdict {
  const libraryName = ctx.libraries.find((l) => l.code === library)?.name ?? library;
  const here = work.holdings.filter((h) => h.library === library);
  const elsewhere = [
    ...new Set(work.holdings.filter((h) => h.library !== library && h.status === 'available').map((h) => h.libraryName)),
  ];
  let outcome: AvailabilityVerdict['outcome'];
  let dueDate: string | undefined;
  if (here.length === 0) outcome = 'not-held';
  else if (here.some((h) => h.status === 'available')) outcome = 'available';
  else if (here.some((h) => h.status === 'library-use-only')) outcome = 'library-use-only';
  else if (here.some((h) => h.status === 'on-loan')) {
    outcome = 'on-loan';
    dueDate = here.map((h) => h.dueDate).filter((d): d is string => d !== undefined).sort()[0];
  } else if (here.every((h) => h.status === 'lost' || h.status === 'withdrawn')) outcome = 'missing';
  else outcome = 'unknown';
  const heldElsewhere = [...new Set(work.holdings.filter((h) => h.library !== library).map((h) => h.libraryName))];
  return {
    library,
    libraryName,
    outcome,
    ...(dueDate ? { dueDate } : {}),
    availableElsewhere: outcome === 'available' ? [] : elsewhere,
    heldElsewhere: outcome === 'available' || elsewhere.length > 0 ? [] : heldElsewhere,
  };
}
