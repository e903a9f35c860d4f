/**
 * Runs a query plan on the union catalog: word searches go to the works index that answers chat
 * (same analysis, same BM25 ranking, the members of an `and` in one search as chat's fielded
 * questions are), identifiers to the catalog's keys, libraries to the records table. Booleans
 * combine the results: `and` intersects, `or` unites (scores added), `not` takes away.
 *
 * A result holds at most `maxResults` works (the best ones); then its count is a minimum. `adj`,
 * `==`, `exact` and anchors are checked on the best `maxVerified` candidates' field values.
 */
import { normalizeIsbn } from '../mapping/isbn.ts';
import { parseWorkLabel, type WorkDocument } from '../catalog/work-document.ts';
import { foldedTokens } from '../search/analyze-text.ts';
import type { FieldScope, SearchFilters, SearchHit, SearchRequest } from '../search/minisearch-index.ts';
import type { ServedCatalog } from '../union-record/served-catalog.ts';
import type { PlanLeaf, PlanMatch, PlanWord, QueryPlan } from './cql-plan.ts';

export type SearchWorks = (req: SearchRequest, limit: number) => SearchHit[];

export interface CqlSearchDeps {
  catalog: ServedCatalog;
  search: SearchWorks;
  maxResults: number;
  maxVerified: number;
}

export type FoundEntry = { kind: 'work'; workId: number } | { kind: 'record'; recordId: string; workId: number };

export interface FoundSet {
  total: number;
  /** the count is exact, or a minimum (more matched than are kept) */
  precision: 'exact' | 'minimum';
  page(offset: number, limit: number): FoundEntry[];
}

interface Hits {
  /** the works found, best first: the only membership that counts */
  ids: number[];
  /** scores by work (may hold works no longer in `ids`); made only when a boolean combines results */
  readonly scores: ReadonlyMap<number, number>;
  capped: boolean;
}

type TextLeaf = Extract<PlanLeaf, { kind: 'text' }>;

const EMPTY: Hits = { ids: [], scores: new Map(), capped: false };

export function runPlan(plan: QueryPlan, deps: CqlSearchDeps): FoundSet {
  // a library's own record, for copy cataloguing
  if (plan.kind === 'recid') {
    const record = deps.catalog.record(plan.value);
    if (record) return fixed([{ kind: 'record', recordId: record.id, workId: record.workId }]);
  }
  // holdings alone, or every record: counted and paged in the catalog, without a limit
  if (plan.kind === 'library') return libraryPages(plan.codes, deps);
  if (plan.kind === 'all') return allPages(deps);
  const hits = evaluate(plan, deps);
  return {
    total: hits.ids.length,
    precision: hits.capped ? 'minimum' : 'exact',
    page: (offset, limit) => hits.ids.slice(offset, offset + limit).map((workId) => ({ kind: 'work', workId })),
  };
}

function fixed(entries: FoundEntry[]): FoundSet {
  return { total: entries.length, precision: 'exact', page: (offset, limit) => entries.slice(offset, offset + limit) };
}

function libraryPages(codes: readonly string[], deps: CqlSearchDeps): FoundSet {
  if (codes.length === 0) return fixed([]);
  return {
    total: deps.catalog.countWorksOfLibraries(codes),
    precision: 'exact',
    page: (offset, limit) => deps.catalog.worksOfLibraries(codes, offset, limit).map((workId) => ({ kind: 'work', workId })),
  };
}

function allPages(deps: CqlSearchDeps): FoundSet {
  return {
    total: deps.catalog.workCount(),
    precision: 'exact',
    page: (offset, limit) => deps.catalog.allWorkIds(offset, limit).map((workId) => ({ kind: 'work', workId })),
  };
}

/** The conjuncts of an `and` chain. */
function conjuncts(plan: QueryPlan, out: QueryPlan[] = []): QueryPlan[] {
  if (plan.kind === 'and') {
    conjuncts(plan.left, out);
    conjuncts(plan.right, out);
  } else {
    out.push(plan);
  }
  return out;
}

function evaluate(plan: QueryPlan, deps: CqlSearchDeps): Hits {
  switch (plan.kind) {
    case 'and':
      return evaluateAnd(conjuncts(plan), deps);
    case 'or':
      return union(evaluate(plan.left, deps), evaluate(plan.right, deps), deps.maxResults);
    case 'not': {
      const left = evaluate(plan.left, deps);
      const right = evaluate(plan.right, deps);
      const gone = new Set(right.ids);
      const ids = left.ids.filter((id) => !gone.has(id));
      return {
        ids,
        get scores() {
          return left.scores;
        },
        capped: left.capped,
      };
    }
    case 'text':
      return textSearch([plan], [], deps);
    case 'library':
      return materialize(deps.catalog.worksOfLibraries(plan.codes, 0, deps.maxResults + 1), deps.maxResults);
    case 'all':
      return materialize(deps.catalog.allWorkIds(0, deps.maxResults + 1), deps.maxResults);
    default:
      return materialize(lookupIdentifier(plan, deps.catalog), deps.maxResults);
  }
}

function materialize(ids: readonly number[], max: number): Hits {
  const kept = ids.slice(0, max);
  return { ids: kept, scores: new Map(kept.map((id) => [id, 1])), capped: ids.length > max };
}

/** An `and` chain: its word searches as one search of the works index, libraries as its filter, the rest intersected. */
function evaluateAnd(parts: QueryPlan[], deps: CqlSearchDeps): Hits {
  const text = parts.filter((p): p is TextLeaf => p.kind === 'text' && p.mode === 'all' && !p.fuzzy);
  const libraries = parts.filter((p): p is Extract<PlanLeaf, { kind: 'library' }> => p.kind === 'library');
  const rest = parts.filter((p) => !text.includes(p as TextLeaf) && !libraries.includes(p as Extract<PlanLeaf, { kind: 'library' }>) && p.kind !== 'all');
  let hits: Hits | undefined;
  if (text.length > 0) hits = textSearch(text, libraries.map((l) => l.codes), deps);
  for (const p of rest) {
    const next = evaluate(p, deps);
    hits = hits === undefined ? next : intersect(hits, next);
  }
  if (hits === undefined) {
    // only libraries (and cql.allRecords): the works of the first, filtered by the others
    const [first, ...others] = libraries;
    if (!first) return evaluate({ kind: 'all' }, deps);
    hits = evaluate(first, deps);
    return filterByLibraries(hits, others.map((l) => l.codes), deps);
  }
  return text.length > 0 ? hits : filterByLibraries(hits, libraries.map((l) => l.codes), deps);
}

function filterByLibraries(hits: Hits, groups: ReadonlyArray<readonly string[]>, deps: CqlSearchDeps): Hits {
  if (groups.length === 0) return hits;
  const ids = hits.ids.filter((id) => groups.every((codes) => codes.length > 0 && deps.catalog.libraryHolds(id, codes)));
  return {
    ids,
    get scores() {
      return hits.scores;
    },
    capped: hits.capped,
  };
}

function intersect(a: Hits, b: Hits): Hits {
  const inB = new Set(b.ids);
  const ids = a.ids.filter((id) => inB.has(id));
  const scores = new Map(ids.map((id) => [id, (a.scores.get(id) ?? 0) + (b.scores.get(id) ?? 0)]));
  ids.sort((x, y) => (scores.get(y) as number) - (scores.get(x) as number) || x - y);
  return { ids, scores, capped: a.capped || b.capped };
}

function union(a: Hits, b: Hits, max: number): Hits {
  const scores = new Map<number, number>();
  for (const id of a.ids) scores.set(id, a.scores.get(id) ?? 0);
  for (const id of b.ids) scores.set(id, (scores.get(id) ?? 0) + (b.scores.get(id) ?? 0));
  const ids = [...scores.keys()].sort((x, y) => (scores.get(y) as number) - (scores.get(x) as number) || x - y);
  return { ids: ids.slice(0, max), scores, capped: a.capped || b.capped || ids.length > max };
}

/**
 * One search of the works index for these word leaves (every leaf must match, each in its field),
 * restricted to works held by one library of each group; then the leaves that ask for adjacency
 * or a whole field value are checked on the best candidates.
 */
function textSearch(leaves: readonly TextLeaf[], libraryGroups: ReadonlyArray<readonly string[]>, deps: CqlSearchDeps): Hits {
  if (libraryGroups.some((codes) => codes.length === 0)) return EMPTY;
  const parts: Array<{ scope: FieldScope; terms: string[] }> = [];
  for (const leaf of leaves) {
    // the index takes the last word of each part as a prefix too: a truncated word ends its part
    let part: string[] = [];
    for (const w of leaf.words) {
      part.push(w.term);
      if (w.prefix) {
        parts.push({ scope: leaf.scope, terms: part });
        part = [];
      }
    }
    if (part.length > 0) parts.push({ scope: leaf.scope, terms: part });
  }
  const [first, ...and] = parts;
  if (!first) return EMPTY;
  const single = leaves.length === 1 ? leaves[0] : undefined;
  const mode = single?.mode ?? 'all';
  const fuzzy = single?.fuzzy ?? false;
  const run = (filters: SearchFilters): SearchHit[] =>
    deps.search({ terms: first.terms, scope: first.scope, ...(and.length > 0 ? { and } : {}), mode, fuzzy, filters }, deps.maxResults + 1);
  // the first library group filters in the index (one search per library of it); further groups are checked per work
  const [group, ...otherGroups] = libraryGroups;
  let found: SearchHit[];
  if (!group) found = run({});
  else if (group.length === 1) found = run({ library: group[0] as string });
  else {
    const best = new Map<number, number>();
    for (const library of group) for (const h of run({ library })) best.set(h.id, Math.max(best.get(h.id) ?? 0, h.score));
    found = [...best].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
  }
  let capped = found.length > deps.maxResults;
  let ids = found.slice(0, deps.maxResults).map((h) => h.id);
  // most queries are one search whose order is final: the score map is made only if a boolean asks for it
  let scoreMap: Map<number, number> | undefined;
  const scores = {
    get map(): Map<number, number> {
      return (scoreMap ??= new Map(found.map((h) => [h.id, h.score])));
    },
  };
  const checks = leaves.filter((l) => l.match !== undefined);
  if (checks.length > 0) {
    // only the best candidates are checked: beyond them, matches may have been left
    capped = found.length > deps.maxVerified;
    ids = verify(ids.slice(0, deps.maxVerified), checks, deps.catalog);
  }
  let hits: Hits = {
    ids,
    get scores() {
      return scores.map;
    },
    capped,
  };
  if (otherGroups.length > 0) hits = filterByLibraries(hits, otherGroups, deps);
  return hits;
}

function verify(ids: number[], checks: readonly TextLeaf[], catalog: ServedCatalog): number[] {
  const works = catalog.works(ids);
  return ids.filter((id) => {
    const work = works.get(id);
    return work !== undefined && checks.every((leaf) => fieldValues(work, leaf.scope).some((v) => matches(foldedTokens(v), leaf.words, leaf.match as PlanMatch)));
  });
}

/** The values of a work's field, each on its own (a whole value is what `exact` compares with). */
function fieldValues(work: WorkDocument, scope: FieldScope): string[] {
  const title = [work.title, ...(work.subtitle ? [`${work.title} ${work.subtitle}`] : []), work.titleShort, ...work.titleAlt, ...work.series];
  const authors = [...work.authors, ...work.authors2].flatMap((a) => [a.name, a.direct]).concat(work.corporateAuthors);
  const subjects = [...work.subjects, ...work.genres];
  switch (scope) {
    case 'title':
      return title;
    case 'author':
      return authors;
    case 'subject':
      return subjects;
    case 'all':
      return [...title, ...authors, ...subjects, ...work.publishers, ...(work.summary ? [work.summary] : []), ...work.contents];
  }
}

function wordMatches(value: string, word: PlanWord): boolean {
  return word.prefix ? value.startsWith(word.term) : value === word.term;
}

function matches(value: readonly string[], words: readonly PlanWord[], how: PlanMatch): boolean {
  const at = (start: number): boolean => words.every((w, i) => wordMatches(value[start + i] ?? '', w));
  switch (how) {
    case 'exact':
      return value.length === words.length && at(0);
    case 'starts':
      return value.length >= words.length && at(0);
    case 'ends':
      return value.length >= words.length && at(value.length - words.length);
    case 'adj':
      for (let s = 0; s + words.length <= value.length; s++) if (at(s)) return true;
      return false;
  }
}

/** Works found by an ISBN, ISSN, record or work id. */
function lookupIdentifier(leaf: Exclude<PlanLeaf, { kind: 'text' | 'library' | 'all' }>, catalog: ServedCatalog): number[] {
  const found = new Set<number>();
  const add = (ids: Iterable<number>): void => {
    for (const id of ids) found.add(id);
  };
  const value = leaf.value.trim();
  const isbn = (prefix: boolean): void => {
    const digits = value.replace(/[^0-9Xx]/g, '').toUpperCase();
    if (digits === '') return;
    const norm = normalizeIsbn(digits);
    if (norm) add(catalog.worksByKey('isbn', norm.isbn13));
    else if (prefix && digits.length >= 3) {
      add(catalog.worksByKeyPrefix('isbn', digits, 1000));
      add(catalog.worksByKeyPrefix('isbn10', digits, 1000));
    }
    add(catalog.worksByKey('isbnx', digits));
  };
  const issn = (prefix: boolean): void => {
    const digits = value.replace(/[^0-9Xx]/g, '').toUpperCase();
    if (digits.length === 8) add(catalog.worksByKey('issn', `${digits.slice(0, 4)}-${digits.slice(4)}`));
    else if (prefix && digits.length >= 3) add(catalog.worksByKeyPrefix('issn', digits.length > 4 ? `${digits.slice(0, 4)}-${digits.slice(4)}` : digits, 1000));
  };
  const recid = (): void => {
    const record = catalog.record(value);
    if (record) {
      found.add(record.workId);
      return;
    }
    const work = parseWorkLabel(value);
    if (work !== undefined && catalog.works([work]).size > 0) found.add(work);
  };
  switch (leaf.kind) {
    case 'isbn':
      isbn(leaf.prefix);
      break;
    case 'issn':
      issn(leaf.prefix);
      break;
    case 'recid':
      recid();
      break;
    case 'identifier':
      recid();
      if (/[0-9]/.test(value)) {
        isbn(leaf.prefix);
        issn(leaf.prefix);
      }
      break;
  }
  return [...found].sort((a, b) => a - b);
}
