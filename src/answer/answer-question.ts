import { normalizeIsbn } from '../catalog/isbn.ts';
import { parseWorkLabel, workLabel, type WorkDocument } from '../catalog/work-document.ts';
import type { ItemStatus } from '../catalog/record-document.ts';
import { foldedTokens } from '../search/analyze-text.ts';
import type { FieldScope, MiniSearchIndex, SearchFilters, SearchHit } from '../search/minisearch-index.ts';
import type { HoldingItem, SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import type { Answer, AnswerStep, AvailabilityVerdict, HoldingView, WorkAnswer } from './answer-types.ts';
import { parseQuestion, type LibraryRef, type ParsedQuestion } from './parse-question.ts';

export interface MemberLibrary extends LibraryRef {
  lends: boolean;
}

export interface AnswerContext {
  store: SqliteCatalogStore;
  index: MiniSearchIndex;
  libraries: readonly MemberLibrary[];
  /** the asker's library, when known: its holdings come first and what it has on the shelf ranks higher */
  homeLibrary?: string;
}

export interface AnswerOptions {
  offset?: number;
  pageSize?: number;
}

const DEFAULT_PAGE = 5;
const MAX_HITS = 200;

/** A question in English or Indonesian → ranked works with every library's holdings. */
export function answerQuestion(ctx: AnswerContext, question: string, opts: AnswerOptions = {}): Answer {
  return answerParsed(ctx, parseQuestion(question, { libraries: ctx.libraries }), opts);
}

export function answerParsed(ctx: AnswerContext, q: ParsedQuestion, opts: AnswerOptions = {}): Answer {
  const offset = Math.max(0, opts.offset ?? 0);
  const pageSize = Math.max(1, Math.min(opts.pageSize ?? DEFAULT_PAGE, 50));
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
  };
  if (q.kind === 'help' || q.kind === 'greeting' || q.kind === 'thanks' || q.kind === 'empty') {
    return { ...base, step: 'none', filters: {}, total: 0, offset: 0, results: [], hasMore: false };
  }

  let workIds: number[];
  let step: AnswerStep;
  let applied: SearchFilters = filters;
  let suggestion: string | undefined;
  if (q.identifier) {
    workIds = lookupIdentifier(ctx.store, q.identifier);
    step = 'identifier';
  } else {
    const ladder = searchLadder(ctx, q, filters);
    workIds = ladder.hits.map((h) => h.id);
    step = ladder.step;
    applied = ladder.filters;
    suggestion = ladder.suggestion;
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
    ...(verdict ? { verdict } : {}),
    step: workIds.length === 0 ? 'none' : step,
    ...(suggestion ? { suggestion } : {}),
    filters: applied,
    total: workIds.length,
    offset,
    results,
    hasMore: offset + pageSize < workIds.length,
  };
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
  step: AnswerStep;
  filters: SearchFilters;
  suggestion?: string;
}

/**
 * The zero-hit ladder: exact (every word, in the asked field) → all fields → fuzzy → without
 * filters → did-you-mean. Stops at the first rung with results and says which one it was.
 */
function searchLadder(ctx: AnswerContext, q: ParsedQuestion, filters: SearchFilters): LadderResult {
  const fielded = fieldedTerms(q);
  const allTerms = fielded.flatMap((f) => f.terms);
  if (allTerms.length === 0) {
    // filters only ("lib:UGM available"): nothing to rank by, so say so rather than list the catalog
    return { hits: [], step: 'none', filters };
  }
  const home = ctx.homeLibrary;
  // every fielded part must match in its field: one search, each part's words in their own fields
  const run = (scopeAll: boolean, fuzzy: boolean, f: SearchFilters): SearchHit[] => {
    const parts = scopeAll ? [{ scope: 'all' as const, terms: allTerms }] : fielded;
    const [first, ...rest] = parts;
    if (!first) return [];
    return ctx.index.search(
      { terms: first.terms, scope: first.scope, ...(rest.length > 0 ? { and: rest } : {}), mode: 'all', fuzzy, filters: f, ...(home ? { homeLibrary: home } : {}) },
      MAX_HITS,
    );
  };
  const scoped = fielded.some((f) => f.scope !== 'all');
  let hits = run(false, false, filters);
  if (hits.length > 0) return { hits, step: 'exact', filters };
  if (scoped) {
    hits = run(true, false, filters);
    if (hits.length > 0) return { hits, step: 'all-fields', filters };
  }
  hits = run(true, true, filters);
  if (hits.length > 0) return { hits, step: 'fuzzy', filters };
  if (Object.keys(filters).length > 0) {
    hits = run(true, true, {});
    if (hits.length > 0) return { hits, step: 'without-filters', filters: {} };
  }
  const suggestion = ctx.index.suggest(allTerms.join(' '));
  if (suggestion) {
    const terms = foldedTokens(suggestion);
    hits = ctx.index.search({ terms, scope: 'all', mode: 'all', fuzzy: false, filters: {} }, MAX_HITS);
    if (hits.length > 0) return { hits, step: 'suggestion', filters: {}, suggestion };
  }
  return { hits: [], step: 'none', filters };
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

function lookupIdentifier(store: SqliteCatalogStore, id: NonNullable<ParsedQuestion['identifier']>): number[] {
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
  const availableAtHome = home !== undefined && holdings.some((h) => h.library === home && h.status === 'available');
  const lenders = new Set(ctx.libraries.filter((l) => l.lends).map((l) => l.code));
  // an ILL request needs a home library to deliver to, and another member that lends
  const requestable = home !== undefined && !availableAtHome && libraries.some((l) => l !== home && (lenders.size === 0 || lenders.has(l)));
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
