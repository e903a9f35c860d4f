import fs from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { z } from 'zod';
import { foldTerm, tokenize } from './analyze-text.ts';
import { EXACT_FIELDS, FIELD_BOOST, INDEX_OPTIONS, INDEX_VERSION, type IndexField, type IndexedWork } from './index-options.ts';
import { stems } from './stemmers.ts';
import { lengthColumn, SearchScratch, topHits, type LeafQuery } from './top-hits.ts';
import { PackedStoredFields } from './packed-documents.ts';
import { INDEX_FILE_VERSION, isFrozen, readIndexFile, thawIndex, writeIndexFile, type DerivedSection, type LoadedParts, type WriteIndexOptions, type WrittenDocuments } from './index-file.ts';
import { readLegacyIndexFile } from './legacy-index-file.ts';
import { BulkIndexBuilder } from './bulk-build.ts';
import { internalsOf, type MiniSearchInternals } from './minisearch-internals.ts';
import { analysisOptions, type AnalysisOptions, type AnalyzedBatch } from './analyze-works.ts';
import { termVariants } from './term-variants.ts';
import { FacetTable } from './facet-table.ts';
import { typoBudget, typoNeighbours } from './typo-neighbours.ts';
import type { SearchIndex } from './search-index.ts';

export type FieldScope = 'all' | 'title' | 'author' | 'subject';

export interface SearchFilters {
  library?: string;
  available?: boolean;
  language?: string;
  yearFrom?: number;
  yearTo?: number;
  format?: string;
}

export interface SearchRequest {
  /** folded query words */
  terms: string[];
  scope: FieldScope;
  /** 'all' = every word must match (AND); 'any' = BM25 over any word (OR) */
  mode: 'all' | 'any';
  fuzzy: boolean;
  filters: SearchFilters;
  /** the asker's library: works available there rank higher */
  homeLibrary?: string;
  /**
   * Further words that must match too, each part in its own fields ("books about history by Smith":
   * subject words in subjects, the name in authors), searched together with `terms` in one pass.
   */
  and?: ReadonlyArray<{ scope: FieldScope; terms: string[] }>;
  /**
   * Misspellings: each word of four letters or more also matches the known words within its edit
   * budget (typo-neighbours.ts: an adjacent transposition is one edit), weighted like MiniSearch's
   * fuzzy matches. Unlike `fuzzy` (MiniSearch's Levenshtein), "prejduice" is one edit from "prejudice".
   */
  typos?: boolean;
  /** old/new Indonesian spellings, number words and "and" words (term-variants.ts) match too */
  variants?: boolean;
  /** best coverage: at least this many of the words (all parts together) must match; ranked by words matched, then score */
  minMatch?: number;
}

export interface SearchHit {
  id: number;
  score: number;
}

export interface SearchResults {
  /** the best hits, at most the limit asked */
  hits: SearchHit[];
  /** every work that matches, counted exactly unless `estimated` */
  total: number;
  /**
   * `total` is an estimate, rounded (an index may estimate a total past many thousands of matches
   * rather than count them: PgFullTextIndex's countMatches); the in-memory index always counts
   */
  estimated?: true;
}

/** Weight of a spelling variant or number word against the word as typed. */
const VARIANT_WEIGHT = 0.9;
/** MiniSearch's weight of a fuzzy match, len / (len + distance) times this */
const TYPO_WEIGHT = 0.45;

const SCOPE_FIELDS: Record<FieldScope, { exact: IndexField[]; stemmed: IndexField[] }> = {
  all: { exact: [...EXACT_FIELDS], stemmed: ['title_s', 'subjects_s', 'other_s'] },
  title: { exact: ['titleShort', 'title', 'titleAlt', 'series'], stemmed: ['title_s'] },
  author: { exact: ['authors'], stemmed: [] },
  subject: { exact: ['subjects'], stemmed: ['subjects_s'] },
};

const IndexMeta = z.object({
  version: z.number(),
  catalogId: z.string(),
  seq: z.number(),
  documents: z.number(),
  savedAt: z.string(),
});
export type IndexMeta = z.infer<typeof IndexMeta>;

export const INDEX_DIR = 'index';
/** searches remembered per index */
const SEARCH_CACHE_SIZE = 500;
/** where did-you-mean looks for known words */
const SUGGEST_FIELDS = ['titleShort', 'title', 'authors', 'subjects'] as const;
/** The stored fields a document's boost is worked out from (boostsFor computes it once per distinct combination of them). */
const BOOST_FIELDS = ['libs', 'avail'] as const;
type BoostFields = Partial<Record<(typeof BOOST_FIELDS)[number], unknown>>;
/** fields whose words count as known (a word found only in notes may still be a misspelling) */
const KNOWN_FIELDS = ['titleShort', 'title', 'authors', 'subjects', 'titleAlt', 'series'] as const;
/** words whose typo neighbours are remembered */
const TYPO_CACHE_SIZE = 2000;
/** home libraries whose document boosts are kept */
const BOOST_CACHE_SIZE = 6;
/** binary sections (index-file.ts) */
const INDEX_FILE = 'works-index.bin';
/** JSON lines (legacy-index-file.ts), written by Jala 0.1: converted to INDEX_FILE when found */
const LEGACY_INDEX_FILE = 'works-index.json';
const META_FILE = 'works-index.meta.json';
/** derived sections of the index file: the facet table's, and the classes the boosts are worked out by */
const FACETS = 'facets.';
const BOOST_CLASSES_OF = 'boostClasses.of';
const BOOST_CLASSES_FIRST = 'boostClasses.first';
/** each field's lengths as a column by short id (top-hits.ts' lengthColumn), + the field id */
const LENGTH_COLUMN = 'lengthColumn.';

/**
 * What a start would otherwise work out from the stored fields at its first question, saved with
 * the index: the filters' table (FacetTable), the classes of equal (libs, avail) the boosts are
 * computed once each for, and the field lengths by field (the search's length columns). Per home library results are not saved (each asker's library is one pass
 * over the classes). All are functions of the documents' columns alone, so the saved ones are the
 * ones a load would build.
 */
function derive({ stored, nextId, fieldLengths, fieldCount }: WrittenDocuments): Record<string, DerivedSection> {
  const out: Record<string, DerivedSection> = {};
  for (let f = 0; f < fieldCount; f++) out[LENGTH_COLUMN + f] = lengthColumn(fieldLengths, fieldCount, f);
  const facets = FacetTable.build({ _nextId: nextId, _storedFields: stored, _dirtCount: 0 } as unknown as MiniSearchInternals);
  for (const [name, value] of Object.entries(facets.sections())) out[FACETS + name] = value;
  const classes = stored.classesOf(BOOST_FIELDS);
  if (classes) {
    out[BOOST_CLASSES_OF] = classes.of;
    out[BOOST_CLASSES_FIRST] = classes.first;
  }
  return out;
}

/** What the index file records of its meta: a file and a meta file that disagree (a save cut between the two) are not trusted. */
const fileLabel = (meta: IndexMeta): unknown => ({ version: meta.version, catalogId: meta.catalogId, seq: meta.seq, documents: meta.documents });

/** The works index: one entry per work, searched with MiniSearch; stored fields stay in SQLite. */
export class MiniSearchIndex implements SearchIndex {
  /** recent searches and their hits, least recently used first; emptied by every change to the index */
  private readonly cache = new LRUCache<string, SearchResults>({ max: SEARCH_CACHE_SIZE });
  /** working memory of the fast search path, one per index */
  private readonly scratch = new SearchScratch();
  /** every document's boost by short id, per home library (least recently used first); emptied by every change */
  private readonly boosts = new Map<string, Float64Array>();

  private constructor(
    private mini: MiniSearch<IndexedWork>,
    loaded?: LoadedParts,
    derived?: Readonly<Record<string, DerivedSection>>,
  ) {
    // a loaded index's field lengths already are the dense array the fast path would copy them into
    const lengths = loaded?.fieldLengths;
    if (lengths && lengths.complete()) {
      this.scratch.lengths = lengths.lengths;
      this.scratch.fieldCount = lengths.fieldCount;
      this.scratch.lengthsOf = lengths;
      this.scratch.lengthsSize = lengths.size;
      this.scratch.lengthsExact = true;
    }
    // the tables saved with the index (see `derive`): taken as they were built, not built again
    if (loaded && derived) {
      const facets: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(derived)) if (name.startsWith(FACETS)) facets[name.slice(FACETS.length)] = value;
      this.facets = FacetTable.fromSections(internalsOf(mini), facets);
      const of = derived[BOOST_CLASSES_OF];
      const first = derived[BOOST_CLASSES_FIRST];
      if (of instanceof Int32Array && first instanceof Int32Array) loaded.storedFields.adoptClasses(BOOST_FIELDS, of, first);
      const { fieldCount, lengths } = loaded.fieldLengths;
      const rows = fieldCount === 0 ? 0 : Math.floor(lengths.length / fieldCount);
      const columns: Array<Uint16Array | Int32Array> = [];
      for (let f = 0; f < fieldCount; f++) {
        const column = derived[LENGTH_COLUMN + f];
        if ((column instanceof Uint16Array || column instanceof Int32Array) && column.length === rows) columns.push(column);
      }
      if (this.scratch.lengths === lengths && columns.length === fieldCount) {
        this.scratch.columns = columns;
        this.scratch.columnsOf = lengths;
      }
    }
  }

  /** typo neighbours of recent words */
  private readonly typos = new Map<string, Array<[string, number]>>();
  /** the filters' facts in typed arrays, for questions of filters alone; built on first use */
  private facets: FacetTable | undefined;

  /** Before every change: a loaded index's frozen term tree first becomes MiniSearch's SearchableMap. */
  private changed(): void {
    if (isFrozen(this.mini)) thawIndex(this.mini);
    this.cache.clear();
    this.typos.clear();
    this.facets = undefined;
    this.boosts.clear();
    this.scratch.lengthsOf = undefined;
  }

  /**
   * Empties the remembered searches and typo neighbours (the tables built from the documents stay):
   * after a warm-up, so that it compiles code without answering anything ahead of time.
   */
  forgetSearches(): void {
    this.cache.clear();
    this.typos.clear();
  }

  /** Whether this is an index as loaded, terms and all in their compact form (a change thaws the term tree into MiniSearch's). */
  get frozen(): boolean {
    return isFrozen(this.mini);
  }

  static empty(): MiniSearchIndex {
    return new MiniSearchIndex(new MiniSearch<IndexedWork>(INDEX_OPTIONS));
  }

  get size(): number {
    return this.mini.documentCount;
  }

  has(id: number): boolean {
    return this.mini.has(id);
  }

  upsert(doc: IndexedWork): void {
    this.changed();
    if (this.mini.has(doc.id)) this.mini.replace(doc);
    else this.mini.add(doc);
  }

  addAll(docs: readonly IndexedWork[]): void {
    this.changed();
    this.mini.addAll(docs);
  }

  /**
   * A fresh index of `documents`, built in bulk: the index
   * `addAll` would make, with packed postings, in a fraction of the time and memory.
   */
  static build(documents: Iterable<readonly IndexedWork[]>): MiniSearchIndex {
    const index = MiniSearchIndex.empty();
    const builder = new BulkIndexBuilder(index.mini);
    for (const batch of documents) builder.add(batch);
    builder.finish();
    return index;
  }

  /** A fresh index of documents analysed elsewhere (analyzeDocuments with analysisOptions(), one dictionary). */
  static buildAnalyzed(batches: Iterable<AnalyzedBatch>): MiniSearchIndex {
    const index = MiniSearchIndex.empty();
    const builder = new BulkIndexBuilder(index.mini);
    for (const batch of batches) builder.addAnalyzed(batch);
    builder.finish();
    return index;
  }

  /** How documents are analysed for buildAnalyzed: the index options as MiniSearch resolves them. */
  static analysisOptions(): AnalysisOptions {
    return analysisOptions(internalsOf(MiniSearchIndex.empty().mini));
  }

  remove(id: number): void {
    this.changed();
    if (this.mini.has(id)) this.mini.discard(id);
  }

  search(req: SearchRequest, limit: number): SearchHit[] {
    return this.searchCounted(req, limit).hits;
  }

  /** The best `limit` hits and how many works match in all. */
  searchCounted(req: SearchRequest, limit: number): SearchResults {
    if (req.terms.length === 0) return { hits: [], total: 0 };
    // a chat repeats itself: "more" re-asks the question for its next page, and popular titles come back
    const key = JSON.stringify([req.terms, req.scope, req.and ?? [], req.mode, req.fuzzy, req.typos ?? false, req.variants ?? false, req.minMatch ?? 0, req.filters, req.homeLibrary ?? null, limit, this.mini.dirtCount]);
    const cached = this.cache.get(key);
    if (cached) return { hits: cached.hits.map((h) => ({ ...h })), total: cached.total };
    const found = this.searchUncached(req, limit);
    this.cache.set(key, { hits: found.hits.map((h) => ({ ...h })), total: found.total });
    return found;
  }

  private searchUncached(req: SearchRequest, limit: number): SearchResults {
    const words: LeafQuery[][] = [];
    for (const part of [{ scope: req.scope, terms: req.terms }, ...(req.and ?? [])]) {
      const fields = SCOPE_FIELDS[part.scope];
      const last = part.terms.length - 1;
      for (const [i, term] of part.terms.entries()) {
        const extra: Array<readonly [string, number]> = [];
        if (req.variants) for (const v of termVariants(term)) extra.push([v, VARIANT_WEIGHT]);
        // a word the catalog knows is taken as typed; only unknown words are corrected
        if (req.typos && !this.knows(term)) {
          for (const [t, d] of this.typoTerms(term, typoBudget(term))) extra.push([t, (TYPO_WEIGHT * t.length) / (t.length + d)]);
        }
        const exact: LeafQuery = {
          queries: [term],
          fields: fields.exact,
          // the last word of each part may be unfinished ("laskar pel")
          prefix: i === last && term.length >= 3 && !/^\d+$/.test(term),
          fuzzy: req.fuzzy && term.length >= 4 && !/\d/.test(term) ? 0.2 : false,
        };
        if (extra.length > 0) exact.extra = extra;
        const leaves: LeafQuery[] = [exact];
        if (fields.stemmed.length > 0) leaves.push({ queries: [...stems(term)], fields: fields.stemmed, prefix: false, fuzzy: false });
        words.push(leaves);
      }
    }
    const f = req.filters;
    const home = req.homeLibrary;
    const filtered = hasFilters(f);
    const filter = filterOf(f);
    const boostDocument = (stored: BoostFields | undefined): number => {
      const libs = (stored?.libs as string[] | undefined) ?? [];
      const avail = (stored?.avail as string[] | undefined) ?? [];
      let boost = 1 + Math.min(libs.length - 1, 4) * 0.03;
      if (home && avail.includes(home)) boost *= 1.15;
      return boost;
    };
    const minMatch = req.minMatch !== undefined && req.minMatch < words.length ? req.minMatch : undefined;
    if (req.mode === 'all' || minMatch !== undefined) {
      const top = topHits(
        this.mini,
        words,
        {
          boost: FIELD_BOOST,
          boostDocument,
          boosts: this.boostsFor(home ?? '', boostDocument),
          filter: filtered ? this.shortIdFilter(f, filter) : undefined,
          limit,
          ...(minMatch !== undefined ? { minMatch } : {}),
        },
        this.scratch,
      );
      if (top) return { hits: top.hits.map((h) => ({ id: h.id as number, score: h.score })), total: top.total };
    }
    return this.searchWithMiniSearch(words, req.mode, { boost: FIELD_BOOST, boostDocument, filter, ...(minMatch !== undefined ? { minMatch } : {}) }, limit);
  }

  /** The filter as a test of a short id: on the facet table's arrays while the index is clean, else on the stored record. */
  private shortIdFilter(f: SearchFilters, filter: (r: Record<string, unknown>) => boolean): (shortId: number) => boolean {
    const m = internalsOf(this.mini);
    if (m._dirtCount !== 0) return (d) => filter(m._storedFields.get(d) ?? {});
    this.facets ??= FacetTable.build(m);
    return this.facets.passes(f);
  }

  /**
   * `boostDocument` of every document at once, kept until the index changes: a search then reads a
   * number per posting instead of looking up the document's stored fields. 8 bytes a document, for
   * the few most recent home libraries. A loaded index works it out once per distinct combination
   * of the stored fields it reads (BOOST_FIELDS): a few milliseconds at a million works.
   */
  private boostsFor(home: string, boostDocument: (stored: BoostFields | undefined) => number): Float64Array {
    let boosts = this.boosts.get(home);
    if (boosts) {
      this.boosts.delete(home);
      this.boosts.set(home, boosts);
      return boosts;
    }
    const m = internalsOf(this.mini);
    // the first search walks every document anyway: the filters' facts are copied then too, so a
    // later question of filters alone does not pay for it
    if (this.facets === undefined && m._dirtCount === 0) this.facets = FacetTable.build(m);
    boosts = new Float64Array(m._nextId + 1).fill(boostDocument(undefined));
    if (m._storedFields instanceof PackedStoredFields) m._storedFields.fill(boosts, BOOST_FIELDS, boostDocument);
    else for (const [id, stored] of m._storedFields) boosts[id] = boostDocument(stored);
    if (this.boosts.size >= BOOST_CACHE_SIZE) this.boosts.delete(this.boosts.keys().next().value as string);
    this.boosts.set(home, boosts);
    return boosts;
  }

  /**
   * The same search through MiniSearch itself: the reference the fast path must equal, and its
   * fallback. A leaf's extra terms become further queries of the leaf; best coverage is counted
   * from the query terms each result matched.
   */
  searchWithMiniSearch(
    words: readonly LeafQuery[][],
    mode: 'all' | 'any',
    opts: { boost: Record<string, number>; boostDocument: (stored: Record<string, unknown> | undefined) => number; filter: (r: Record<string, unknown>) => boolean; minMatch?: number },
    limit: number,
  ): SearchResults {
    const perWord: Query[] = words.map((leaves) => ({
      queries: leaves.flatMap((l): Query[] => [
        { queries: l.queries, fields: [...l.fields], prefix: l.prefix, fuzzy: l.fuzzy, combineWith: 'OR' },
        ...(l.extra ?? []).map(([t]): Query => ({ queries: [t], fields: [...l.fields], prefix: false, fuzzy: false, combineWith: 'OR' })),
      ]),
      combineWith: 'OR',
    }));
    const coverage = opts.minMatch !== undefined;
    let results: SearchResult[] = this.mini.search(
      { queries: perWord, combineWith: mode === 'all' && !coverage ? 'AND' : 'OR' },
      {
        boost: opts.boost,
        filter: (r) => opts.filter(r),
        boostDocument: (_id, _term, stored) => opts.boostDocument(stored),
      },
    );
    if (coverage) {
      const wordOf = new Map<string, number>();
      words.forEach((leaves, i) => {
        for (const l of leaves) for (const t of [...l.queries, ...(l.extra ?? []).map(([x]) => x)]) if (!wordOf.has(t)) wordOf.set(t, i);
      });
      const covered = new Map<SearchResult, number>();
      for (const r of results) covered.set(r, new Set(r.queryTerms.map((t) => wordOf.get(t))).size);
      results = results.filter((r) => (covered.get(r) ?? 0) >= (opts.minMatch as number));
      results.sort((a, b) => (covered.get(b) ?? 0) - (covered.get(a) ?? 0) || b.score - a.score);
    }
    return { hits: results.slice(0, limit).map((r) => ({ id: r.id as number, score: r.score })), total: results.length };
  }

  /** The stored fields of a work as the index keeps them (read only; undefined when it is not in the index). */
  stored(id: number): Readonly<Record<string, unknown>> | undefined {
    const m = internalsOf(this.mini);
    const shortId = m._idToShortId.get(id);
    return shortId === undefined ? undefined : m._storedFields.get(shortId);
  }

  /**
   * Every work passing the filters, with nothing to rank by but the works themselves: the most
   * widely held first, then the newest. The count is exact; only the best `limit` are sorted.
   */
  listFiltered(filters: SearchFilters, limit: number): SearchResults {
    if (!hasFilters(filters)) return { hits: [], total: 0 };
    const key = JSON.stringify(['list', filters, limit, this.mini.dirtCount, this.mini.documentCount]);
    const cached = this.cache.get(key);
    if (cached) return { hits: cached.hits.map((h) => ({ ...h })), total: cached.total };
    const m = internalsOf(this.mini);
    if (m._dirtCount !== 0) this.facets = undefined;
    this.facets ??= FacetTable.build(m);
    const { ids, ranks, total } = this.facets.select(filters, limit);
    const found: SearchResults = { hits: ids.map((d, i) => ({ id: m._documentIds.get(d) as number, score: ranks[i] as number })), total };
    this.cache.set(key, found);
    return { hits: found.hits.map((h) => ({ ...h })), total: found.total };
  }

  /** The index has this exact term in a title, author, subject or series (words only in notes do not count). */
  knows(term: string): boolean {
    const m = internalsOf(this.mini);
    const data = m._index.get(term);
    if (data === undefined) return false;
    for (const f of KNOWN_FIELDS) if ((data.get(m._fieldIds[f] as number)?.size ?? 0) > 0) return true;
    return false;
  }

  /** Known words within `budget` edits of `term` (an adjacent transposition is one edit), with their distance; remembered until the index changes. */
  typoTerms(term: string, budget: number): Array<[string, number]> {
    if (budget <= 0) return [];
    const key = `${budget}\u0000${term}`;
    const cached = this.typos.get(key);
    if (cached) return cached;
    const m = internalsOf(this.mini);
    const found = typoNeighbours(term, budget, {
      has: (t) => m._index.get(t) !== undefined,
      within: (t, d) => m._index.fuzzyGet(t, d).keys(),
    });
    if (this.typos.size >= TYPO_CACHE_SIZE) this.typos.delete(this.typos.keys().next().value as string);
    this.typos.set(key, found);
    return found;
  }

  /**
   * Did-you-mean: the query with each word the catalog does not know replaced by its closest known
   * word in titles, authors and subjects (one edit for words of 5-9 letters, two from 10: "austen"
   * must not become "listen"; swapping two adjacent letters is one edit), the one in most works
   * among equally close ones. Undefined when every
   * word is known or an unknown word has no close neighbour. A lookup per word, not a search: at a
   * million works it stays a few milliseconds.
   */
  suggest(text: string): string | undefined {
    const words = tokenize(text).map(foldTerm).filter((w) => w !== '');
    if (words.length === 0 || words.every((w) => /^\d+$/.test(w))) return undefined;
    const m = internalsOf(this.mini);
    const fieldIds = SUGGEST_FIELDS.map((f) => m._fieldIds[f] as number);
    const works = (data: Map<number, { size: number }> | undefined): number => {
      let n = 0;
      if (data) for (const id of fieldIds) n = Math.max(n, data.get(id)?.size ?? 0);
      return n;
    };
    let changed = false;
    const out: string[] = [];
    for (const w of words) {
      if (/^\d+$/.test(w) || works(m._index.get(w)) > 0) {
        out.push(w);
        continue;
      }
      const maxDistance = w.length >= 10 ? 2 : w.length >= 5 ? 1 : 0;
      if (maxDistance === 0) return undefined;
      let best: { term: string; distance: number; works: number } | undefined;
      for (const [term, distance] of this.typoTerms(w, maxDistance)) {
        const n = works(m._index.get(term));
        if (n === 0) continue;
        if (!best || distance < best.distance || (distance === best.distance && (n > best.works || (n === best.works && term < best.term)))) {
          best = { term, distance, works: n };
        }
      }
      if (!best) return undefined;
      out.push(best.term);
      changed = true;
    }
    return changed ? out.join(' ') : undefined;
  }

  /**
   * Writes the index and its meta, each to a temp file renamed into place: a reader sees the old
   * files or the new ones. Discarded documents are vacuumed out first, so a loaded index is clean.
   */
  save(dataDir: string, meta: Omit<IndexMeta, 'version' | 'documents' | 'savedAt'>): void {
    const full: IndexMeta = { version: INDEX_VERSION, documents: this.size, savedAt: new Date().toISOString(), ...meta };
    this.write(dataDir, full, 'reinserted');
  }

  private write(dataDir: string, meta: IndexMeta, treeOrder: WriteIndexOptions['treeOrder']): void {
    const dir = path.join(dataDir, INDEX_DIR);
    fs.mkdirSync(dir, { recursive: true });
    if (this.mini.dirtCount > 0) this.vacuum();
    const file = path.join(dir, INDEX_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeIndexFile(this.mini, tmp, { label: fileLabel(meta), treeOrder, derive });
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    writeAtomic(path.join(dir, META_FILE), JSON.stringify(meta));
    fs.rmSync(path.join(dir, LEGACY_INDEX_FILE), { force: true });
  }

  /**
   * MiniSearch's vacuum (performVacuuming), all at once: the postings of discarded documents
   * removed, emptied fields and terms dropped, in the same order.
   */
  private vacuum(): void {
    this.changed();
    const m = internalsOf(this.mini);
    for (const [term, fieldsData] of m._index) {
      for (const [fieldId, fieldIndex] of fieldsData) {
        for (const [shortId] of fieldIndex) {
          if (m._documentIds.has(shortId)) continue;
          if (fieldIndex.size <= 1) fieldsData.delete(fieldId);
          else fieldIndex.delete(shortId);
        }
      }
      if (m._index.get(term)?.size === 0) m._index.delete(term);
    }
    m._dirtCount = 0;
  }

  /**
   * The persisted index, or undefined when missing, of another version, or unreadable. An index
   * saved by Jala 0.1 (JSON lines) is read and converted to the binary file, once.
   */
  static load(dataDir: string, converting = false): { index: MiniSearchIndex; meta: IndexMeta } | undefined {
    const dir = path.join(dataDir, INDEX_DIR);
    let meta: IndexMeta;
    try {
      meta = IndexMeta.parse(JSON.parse(fs.readFileSync(path.join(dir, META_FILE), 'utf8')));
    } catch {
      return undefined;
    }
    if (meta.version !== INDEX_VERSION) return undefined;
    const file = path.join(dir, INDEX_FILE);
    if (fs.existsSync(file)) {
      try {
        const loaded = readIndexFile<IndexedWork>(file, INDEX_OPTIONS);
        if (JSON.stringify(loaded.label) !== JSON.stringify(fileLabel(meta))) return undefined;
        const index = new MiniSearchIndex(loaded.mini, loaded.parts, loaded.derived);
        if (loaded.version === INDEX_FILE_VERSION) return { index, meta };
        // an older binary file (no saved tables): written again once, the tree kept as it loaded
        try {
          index.write(dataDir, meta, 'kept');
        } catch {
          return { index, meta }; // a data directory that cannot be written still serves
        }
        if (converting) return { index, meta };
        return MiniSearchIndex.load(dataDir, true) ?? { index, meta };
      } catch {
        return undefined;
      }
    }
    let legacy: MiniSearchIndex;
    try {
      const mini = readLegacyIndexFile<IndexedWork>(path.join(dir, LEGACY_INDEX_FILE), INDEX_OPTIONS);
      if (mini.documentCount !== meta.documents) return undefined;
      legacy = new MiniSearchIndex(mini);
    } catch {
      return undefined;
    }
    try {
      // the tree as the JSON-lines file loaded it is the tree that answered: kept as it is
      legacy.write(dataDir, meta, 'kept');
    } catch {
      return { index: legacy, meta }; // a data directory that cannot be written still serves
    }
    return MiniSearchIndex.load(dataDir, true) ?? { index: legacy, meta };
  }
}

function hasFilters(f: SearchFilters): boolean {
  return f.library !== undefined || f.available === true || f.language !== undefined || f.yearFrom !== undefined || f.yearTo !== undefined || f.format !== undefined;
}

function filterOf(f: SearchFilters): (r: Record<string, unknown>) => boolean {
  const format = f.format?.toLowerCase();
  return (r) => {
    const libs = r.libs as string[];
    const avail = r.avail as string[];
    if (f.library && !libs.includes(f.library)) return false;
    if (f.available && (f.library ? !avail.includes(f.library) : avail.length === 0)) return false;
    if (f.language && !(r.lang as string[]).includes(f.language)) return false;
    const year = r.year as number | undefined;
    if (f.yearFrom !== undefined && (year === undefined || year < f.yearFrom)) return false;
    if (f.yearTo !== undefined && (year === undefined || year > f.yearTo)) return false;
    if (format && (r.format as string).toLowerCase() !== format) return false;
    return true;
  };
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
