import type { CatalogStore } from '../catalog/catalog-store.ts';
import { foldTerm, tokenize } from '../search/analyze-text.ts';
import type { IndexedWork } from '../search/index-options.ts';
import type { FieldScope, SearchFilters, SearchHit, SearchRequest, SearchResults } from '../search/minisearch-index.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { stems } from '../search/stemmers.ts';
import { termVariants } from '../search/term-variants.ts';
import { lexeme, SCOPE_MARK, scopedForm, STEM_MARK, tsVectorText } from '../search/ts-vector-text.ts';
import { typoBudget, typoNeighbours } from '../search/typo-neighbours.ts';
import { workToIndexed } from '../search/work-to-indexed.ts';
import { StoreError } from '../store/open-database.ts';
import { LOCK_KEYS, textArray, type PgDatabase } from './pg-database.ts';

/**
 * The works index in PostgreSQL (JALA_SEARCH_INDEX=postgres): for catalogs past one replica's memory.
 * Each work is a row of work_search (migration 7) with a tsvector under a GIN index (words as Jala's
 * analyser folds and stems them, weighted by field group: see src/search/ts-vector-text.ts) and the
 * facts the filters read, as columns. Questions become tsqueries: every word of a question one
 * alternative group (the word, its prefix for the last word of a part, its stems, its spelling
 * variants, and for an unknown word its typo neighbours), restricted to the weights of the scope
 * asked (for a scoped question, the group's marked copies of the words: see ts-vector-text.ts); ranked
 * by ts_rank with the field groups weighted as the in-memory index's boosts order them, times the same
 * held-by-many and available-at-home boosts, over a bounded set of candidates (see searchCounted).
 * A total past ESTIMATE_FROM matches is estimated on a sample of the table's pages and says so
 * (countMatches: PostgreSQL counts by reading every matching row). What the GIN index would gather in
 * full is avoided where the answer allows: a scoped prefix becomes its few known completions, a word
 * matching nothing ends the search before the others are looked up, and best coverage starts from
 * the works having its rarest words.
 * Typo neighbours and did-you-mean come from search_words (the words of titles, authors, subjects and
 * series, with how many works have each) through a pg_trgm index, checked with the same edit distance
 * as in memory.
 *
 * The tables are derived from the catalog by its change sequence, as the in-memory index is: `open`
 * brings them up to date (the works changed and removed since the change they reflect, or everything
 * when they reflect another catalog or none), one replica at a time under an advisory lock; every
 * write path of the catalog (record by record, bulk, migrate-store) moves the change sequence, so all
 * are followed. Ranking is not MiniSearch's: the bench measures accuracy per kind beside it.
 */

/** ts_rank's weights of the groups, {D, C, B, A}: titles over subjects over authors, other text far below (FIELD_BOOST's order) */
const RANK_WEIGHTS = '{0.02, 0.4, 0.75, 1.0}';
type ScopedWeight = 'A' | 'B' | 'C';
/** Weight classes of each scope's exact words and stems (undefined: every class). */
const SCOPE_WEIGHTS: Record<FieldScope, { exact: ScopedWeight | undefined; stemmed: ScopedWeight | null | undefined }> = {
  all: { exact: undefined, stemmed: undefined },
  title: { exact: 'A', stemmed: 'A' },
  author: { exact: 'C', stemmed: null },
  subject: { exact: 'B', stemmed: 'B' },
};
/** the weights whose words a question may "know" (not notes): titles, subjects, authors */
const KNOWN_WEIGHTS = 'ABC';
/** pg_trgm similarity the typo candidates must reach before the edit distance is checked */
const TRIGRAM_THRESHOLD = 0.2;
/** works per COPY chunk while the index is built */
const BUILD_CHUNK = 2000;
/** more changed works than this (or a fresh build) and the word counts are taken again from the whole table */
const RECOUNT_FROM = 20_000;
const CACHE_LIMIT = 5000;
/**
 * What the rows hold and in which order, kept in search_state: tables another format built are built
 * again at the next open. 2: the scoped copies of words (ts-vector-text.ts), rows in LAYOUT_ORDER.
 */
const FORMAT = '2';
/** matches ranked per search at most (see searchCounted) */
export const RANK_AT_MOST = 500;
/**
 * Matches from which a total is estimated rather than counted (see countMatches): at 1M works an
 * exact count of a word in 31,000 works reads 27,000 pages (85 ms) and of one in 111,000 the whole
 * table (250 ms); a sample of 2 % of the pages says "about 110,000" in 11-25 ms. At this bound the
 * sample holds about 100 matches: its estimate is within about 20 %, which "about" says.
 */
export const ESTIMATE_FROM = 5000;
/** a word of a field group (a scoped question) known to fewer works than this is checked for any match in its group before a search that needs it (see searchCounted) */
const CHECK_BELOW = 2000;
/** words ANDed that independently of each other would share this many works are searched in the table's order (see searchCounted) */
const COMMON_TOGETHER = 10_000;
/** best coverage looks at the works having any of its rarest words when search_words gives them at most this many works together (see searchCounted) */
const RARE_CANDIDATES = 5000;
/** a listing by filters alone walks its order's index when it expects to read at most this many entries to fill a page (see listFiltered) */
const WALK_AT_MOST = 10_000;
/** a prefix in a field group with at most this many known completions is matched as those words (see inGroup) */
const MAX_COMPLETIONS = 32;
/** the share of the table's pages an estimate reads (TABLESAMPLE SYSTEM), in percent, and the fewest pages it reads (all of a smaller table) */
const SAMPLE_PERCENT = 2;
const SAMPLE_PAGES = 1000;
/** the sample's fixed seed: the same tables give the same estimate, answer after answer */
const SAMPLE_SEED = 20;
/** the order of work_search's rows after a build: the held-by-many boost's steps (most libraries first, five and more alike), then id */
const LAYOUT_ORDER = '(least(cardinality(libs), 5)) DESC, id';
/** work_search's secondary indexes (migration 7's, and since format 2 those of the format and available-anywhere filters): dropped for a build's COPY, made once after it */
const WORK_SEARCH_INDEXES: Record<string, string> = {
  work_search_tsv: 'USING gin (tsv)',
  work_search_libs: 'USING gin (libs)',
  work_search_avail: 'USING gin (avail)',
  work_search_lang: 'USING gin (lang)',
  work_search_year: '(year)',
  // the format and available-anywhere filters, so that a count of their matches reads no row
  work_search_format: '(lower(format))',
  work_search_available: '(id) WHERE cardinality(avail) > 0',
  // filters alone list the most widely held first, then the newest: walked in that order
  work_search_listed: '((cardinality(libs)) DESC, year DESC NULLS LAST, id)',
};

/** The bounds a search keeps to (the constants above by default; tests and the bench set them). */
export interface PgFullTextTuning {
  /** matches ranked per search at most (RANK_AT_MOST) */
  rankAtMost: number;
  /** matches from which a total is estimated (ESTIMATE_FROM) */
  estimateFrom: number;
  /** best coverage's rarest words' works at most for them alone to seed it (RARE_CANDIDATES) */
  rareCandidates: number;
  /** a scoped prefix's completions at most for it to be matched as them (MAX_COMPLETIONS) */
  maxCompletions: number;
  /** the works words are expected to share for their first matches to be read in the table's order (COMMON_TOGETHER) */
  commonTogether: number;
  /** the index entries a listing by filters alone may expect to walk in its order (WALK_AT_MOST) */
  walkAtMost: number;
}

export interface PgFullTextOpened {
  index: PgFullTextIndex;
  how: 'loaded' | 'caught-up' | 'built';
  seq: number;
}

export class PgFullTextIndex implements SearchIndex {
  private readonly known = new Map<string, boolean>();
  private readonly storedById = new Map<number, Readonly<Record<string, unknown>>>();
  private readonly typos = new Map<string, Array<[string, number]>>();
  /**
   * Counts of many matches, by their condition and parameters, until the tables next change (catchUp):
   * PostgreSQL reads every matching row to count them (15.20's bitmap scans read all-visible pages
   * too), which for a common word or filter costs more than all the rest of a search.
   */
  private readonly counts = new Map<string, { total: number; estimated: boolean }>();
  /** whether a word's alternatives (as matched: a tsquery) match any work, until the tables next change */
  private readonly anyMatch = new Map<string, boolean>();
  /** the known words each prefix begins (null: too many), until the tables next change */
  private readonly completed = new Map<string, string[] | null>();
  /** work_search's rows and pages as ANALYZE last counted them, until the tables next change */
  private size: { rows: number; pages: number } | undefined;

  private constructor(
    private readonly db: PgDatabase,
    private readonly tuning: PgFullTextTuning,
  ) {}

  /**
   * The index on `db`, brought up to date with `store` (whose connection it shares). The trigram
   * index needs the pg_trgm extension: created when missing (a trusted extension since PostgreSQL 13:
   * a role with CREATE on the database may); when it cannot be, a StoreError says what to run.
   */
  static open(
    db: PgDatabase,
    store: CatalogStore,
    opts: { rebuild?: boolean; onProgress?: (p: { phase: 'build'; done: number; total: number }) => void } & Partial<PgFullTextTuning> = {},
  ): PgFullTextOpened {
    ensureTrigrams(db);
    // no JIT compilation for this connection's statements: PostgreSQL 15 compiles a statement whose
    // estimated cost passes jit_above_cost (a count over a common word's matches does), which costs
    // tens of milliseconds each time and saves nothing on statements this short
    db.exec('SET jit = off');
    const index = new PgFullTextIndex(db, {
      rankAtMost: opts.rankAtMost ?? RANK_AT_MOST,
      estimateFrom: opts.estimateFrom ?? ESTIMATE_FROM,
      rareCandidates: opts.rareCandidates ?? RARE_CANDIDATES,
      maxCompletions: opts.maxCompletions ?? MAX_COMPLETIONS,
      commonTogether: opts.commonTogether ?? COMMON_TOGETHER,
      walkAtMost: opts.walkAtMost ?? WALK_AT_MOST,
    });
    const { how, seq } = index.catchUp(store, opts);
    return { index, how, seq };
  }

  /** Brings the tables up to date with the catalog; forgets what this process remembered of them. */
  catchUp(store: CatalogStore, opts: { rebuild?: boolean; onProgress?: (p: { phase: 'build'; done: number; total: number }) => void } = {}): { how: PgFullTextOpened['how']; seq: number } {
    const result = this.db.transaction(() => {
      const catalogId = store.catalogId();
      const now = store.currentSeq();
      const state = new Map(this.db.all<{ key: string; value: string }>('SELECT key, value FROM search_state').map((r) => [r.key, r.value]));
      const seq = Number(state.get('seq') ?? 'NaN');
      const setState = (): void => {
        this.db.run("INSERT INTO search_state (key, value) VALUES ('catalog_id', $1), ('seq', $2), ('format', $3) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [
          catalogId,
          String(now),
          FORMAT,
        ]);
      };
      if (!opts.rebuild && state.get('catalog_id') === catalogId && seq <= now && state.get('format') === FORMAT) {
        if (seq === now) return { how: 'loaded' as const, seq: now };
        this.applyChanges(store, seq);
        setState();
        return { how: 'caught-up' as const, seq: now };
      }
      this.build(store, opts.onProgress);
      setState();
      return { how: 'built' as const, seq: now };
    }, LOCK_KEYS.searchIndex);
    // a built table's pages marked all-visible, so that counting the works a filter passes reads the indexes, not every row
    if (result.how === 'built' && !this.db.inTransaction) this.db.exec('VACUUM ANALYZE work_search');
    this.known.clear();
    this.storedById.clear();
    this.typos.clear();
    this.counts.clear();
    this.anyMatch.clear();
    this.size = undefined;
    this.completed.clear();
    return result;
  }

  /** Every work again: the table emptied, filled by COPY, its GIN index made once at the end. */
  private build(store: CatalogStore, onProgress?: (p: { phase: 'build'; done: number; total: number }) => void): void {
    const total = store.workCount();
    const available = store.availableLibrariesByWork();
    this.db.exec("SET LOCAL maintenance_work_mem = '256MB'");
    this.db.exec(`DROP INDEX IF EXISTS ${Object.keys(WORK_SEARCH_INDEXES).join(', ')}; TRUNCATE work_search, search_words`);
    let done = 0;
    function* chunks(): Generator<string> {
      let lines: string[] = [];
      for (const work of store.allWorks()) {
        lines.push(copyLine(workToIndexed(work, available.get(work.id) ?? [])));
        if (lines.length >= BUILD_CHUNK) {
          yield lines.join('');
          done += lines.length;
          lines = [];
          onProgress?.({ phase: 'build', done, total });
        }
      }
      if (lines.length > 0) yield lines.join('');
      done += lines.length;
      onProgress?.({ phase: 'build', done, total });
    }
    // the catalog is read on this same connection, page by page, between COPY chunks: not possible
    // while a COPY is open, so each chunk is read first and sent as a COPY of its own
    for (const chunk of chunks()) this.db.copyIn(`COPY work_search (${COLUMNS.join(', ')}) FROM STDIN`, [chunk]);
    // the rows in the order ties are broken in (the held-by-many boost's steps, then id): a search
    // that ranks only the first matches in the table's order (searchCounted) then ranks those
    this.db.exec(`CREATE INDEX work_search_order ON work_search (${LAYOUT_ORDER}); CLUSTER work_search USING work_search_order; DROP INDEX work_search_order`);
    for (const [name, on] of Object.entries(WORK_SEARCH_INDEXES)) this.db.exec(`CREATE INDEX ${name} ON work_search ${on}`);
    this.recountWords();
  }

  /** The works changed and removed since `seq`, and the counts of the words they had or have. */
  private applyChanges(store: CatalogStore, seq: number): void {
    const touched = new Set<string>();
    const removeOld = (ids: number[]): void => {
      if (ids.length === 0) return;
      for (const r of this.db.all<{ word: string }>(
        `WITH d AS (DELETE FROM work_search WHERE id = ANY($1::bigint[]) RETURNING tsv)
         SELECT DISTINCT u.lexeme AS word FROM d, unnest(d.tsv) u WHERE u.weights && '{A,B,C}'::text[] AND left(u.lexeme, 1) <> ALL($2::text[])`,
        [`{${ids.join(',')}}`, textArray([STEM_MARK, SCOPE_MARK])],
      ))
        touched.add(r.word);
    };
    removeOld(store.worksDeletedSince(seq));
    let changed = 0;
    let batch: IndexedWork[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      removeOld(batch.map((d) => d.id));
      this.db.copyIn(`COPY work_search (${COLUMNS.join(', ')}) FROM STDIN`, [batch.map(copyLine).join('')]);
      for (const d of batch) for (const w of knownWordsOf(d)) touched.add(w);
      changed += batch.length;
      batch = [];
    };
    for (const work of store.worksChangedSince(seq)) {
      batch.push(workToIndexed(work, store.availableLibrariesOfWork(work.id)));
      if (batch.length >= BUILD_CHUNK) flush();
    }
    flush();
    if (changed >= RECOUNT_FROM) {
      this.db.exec('TRUNCATE search_words');
      this.recountWords();
      return;
    }
    const words = [...touched];
    for (let i = 0; i < words.length; i += 1000) {
      const part = textArray(words.slice(i, i + 1000));
      this.db.run(
        `WITH counted AS (
           SELECT w AS word, (SELECT count(*) FROM work_search s WHERE s.tsv @@ (quote_literal(w) || ':${KNOWN_WEIGHTS}')::tsquery) AS works
             FROM unnest($1::text[]) w)
         , gone AS (DELETE FROM search_words WHERE word IN (SELECT word FROM counted WHERE works = 0))
         INSERT INTO search_words (word, works) SELECT word, works FROM counted WHERE works > 0
           ON CONFLICT (word) DO UPDATE SET works = EXCLUDED.works`,
        [part],
      );
    }
  }

  /** search_words from the whole table: each word of titles, subjects, authors and series and how many works have it. */
  private recountWords(): void {
    this.db.run(
      `INSERT INTO search_words (word, works)
       SELECT word, ndoc FROM ts_stat('SELECT tsv FROM work_search', '${KNOWN_WEIGHTS}') WHERE left(word, 1) <> ALL($1::text[])`,
      [textArray([STEM_MARK, SCOPE_MARK])],
    );
    this.db.exec('ANALYZE work_search; ANALYZE search_words');
  }

  search(req: SearchRequest, limit: number): SearchHit[] {
    return this.searchCounted(req, limit).hits;
  }

  searchCounted(req: SearchRequest, limit: number): SearchResults {
    if (req.terms.length === 0) return { hits: [], total: 0 };
    // each word one group of alternatives, twice: as ranked (weight-restricted lexemes, as ts_rank
    // reads them) and as matched (for a scoped question the group's marked copies, which the GIN
    // index matches without reading the rows again: see ts-vector-text.ts)
    const groups: string[] = [];
    const rankGroups: string[] = [];
    const wordsOf: string[] = [];
    // each group's alternatives as words (not stems), and whether they are restricted to a field group
    // (a prefix's known completions too; `open`: too many to list)
    const plainOf: Array<{ words: string[]; scoped: boolean; open: boolean }> = [];
    // and as found in titles, where a question asks beyond titles: the matches ts_rank puts first
    const titleGroups: string[] | undefined = req.minMatch === undefined && [req.scope, ...(req.and ?? []).map((a) => a.scope)].some((s) => s !== 'title') ? [] : undefined;
    for (const part of [{ scope: req.scope, terms: req.terms }, ...(req.and ?? [])]) {
      const weights = SCOPE_WEIGHTS[part.scope];
      const last = part.terms.length - 1;
      for (const [i, term] of part.terms.entries()) {
        const prefix = i === last && term.length >= 3 && !/^\d+$/.test(term);
        const alternatives: Array<{ form: string; prefix: boolean; weight: ScopedWeight | undefined }> = [{ form: term, prefix, weight: weights.exact }];
        if (weights.stemmed !== null) for (const s of stems(term)) alternatives.push({ form: STEM_MARK + s, prefix: false, weight: weights.stemmed });
        if (req.variants) for (const v of termVariants(term)) alternatives.push({ form: v, prefix: false, weight: weights.exact });
        if ((req.typos || (req.fuzzy && term.length >= 4)) && !this.knows(term)) {
          for (const [t] of this.typoTerms(term, typoBudget(term))) alternatives.push({ form: t, prefix: false, weight: weights.exact });
        }
        const ranked = new Set(alternatives.map((a) => `${lexeme(a.form)}${a.prefix ? ':*' : a.weight !== undefined ? ':' : ''}${a.weight ?? ''}`));
        const matched = new Set(alternatives.flatMap((a) => (a.weight === undefined ? [`${lexeme(a.form)}${a.prefix ? ':*' : ''}`] : this.inGroup(a.weight, a.form, a.prefix))));
        const titled = new Set(alternatives.flatMap((a) => this.inGroup('A', a.form, a.prefix)));
        rankGroups.push(`(${[...ranked].join(' | ')})`);
        groups.push(`(${[...matched].join(' | ')})`);
        wordsOf.push(term);
        const completed = prefix ? this.completions(term) : [];
        const plain = new Set([...alternatives.filter((a) => !a.form.startsWith(STEM_MARK)).map((a) => a.form), ...(completed ?? [])]);
        plainOf.push({ words: [...plain], scoped: weights.exact !== undefined, open: completed === null });
        if (titleGroups !== undefined) titleGroups.push(`(${[...titled].join(' | ')})`);
      }
    }
    const minMatch = req.minMatch !== undefined && req.minMatch < groups.length ? req.minMatch : undefined;
    const unscoped = [req.scope, ...(req.and ?? []).map((a) => a.scope)].every((s) => s === 'all' || s === 'title');
    // how many works know each word (search_words: titles, subjects, authors), asked once when needed
    let known: Map<string, number> | undefined;
    const knownWorks = (): Map<string, number> =>
      (known ??= new Map(
        this.db.all<{ word: string; works: number }>('SELECT word, works FROM search_words WHERE word = ANY($1::text[])', [textArray(plainOf.flatMap((g) => g.words))]).map((w) => [w.word, Number(w.works)]),
      ));
    // (a prefix with too many completions: as if every work had it)
    const worksOf = (i: number): number => (plainOf[i]!.open ? this.workCount() : plainOf[i]!.words.reduce((n, w) => n + (knownWorks().get(w) ?? 0), 0));
    // every word required, one of them a prefix: the GIN index gathers a prefix's matches in full
    // before it intersects them (tens of milliseconds for a common one at 1M works), even when another
    // word matches nothing, as a misspelt word does on the ladder's first rung. A word matching nothing
    // is found first, through the index alone, and then nothing is searched. Looked at are the words
    // that may match nothing: none of their alternatives a known word (search_words), or, in a field
    // group, known to few works; a check of a common word would cost what it saves
    if (minMatch === undefined && groups.length > 1 && req.mode === 'all' && groups.some((g) => g.includes(':*'))) {
      const doubtful = groups.filter((g, i) => {
        if (g.includes(':*')) return false;
        const n = worksOf(i);
        return n === 0 || (plainOf[i]!.scoped && n < CHECK_BELOW);
      });
      if (doubtful.some((g) => !this.matchesAny(g))) return { hits: [], total: 0 };
    }
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = filterSql(req.filters, p);
    const home = req.homeLibrary ?? '';
    const boost = `(1 + least(cardinality(libs) - 1, 4) * 0.03) * (CASE WHEN avail @> ARRAY[${p(home)}]::text[] THEN 1.15 ELSE 1 END)`;
    let match: string;
    let rank: string;
    let covered = '0';
    // further candidates beside the first matches (see below)
    const tiers: string[] = [];
    if (minMatch === undefined) {
      match = `tsv @@ ${p(groups.join(req.mode === 'all' ? ' & ' : ' | '))}::tsquery`;
      if (titleGroups !== undefined) {
        const titled = `tsv @@ ${p(titleGroups.join(req.mode === 'all' ? ' & ' : ' | '))}::tsquery`;
        // a word in a title is a word of the work: where no part asks for another field, the title
        // words imply the match, and the index need not gather the match's works a second time
        tiers.push(unscoped ? titled : `${match} AND ${titled}`);
      }
      rank = `${p(rankGroups.join(req.mode === 'all' ? ' & ' : ' | '))}::tsquery`;
    } else {
      covered = `(SELECT count(*) FROM unnest(${p(tsqueryArray(groups))}::tsquery[]) g WHERE tsv @@ g)`;
      rank = `${p(rankGroups.join(' | '))}::tsquery`;
      // A work covering m of n words has one of any n - m + 1 of them. When the rarest n - m + 1 (by
      // search_words; a prefix counted as common) are rare, the works having any of them are the
      // candidates, found through the index at once, and each candidate's coverage is counted on its
      // row, for the match and for the tiers below: one tsquery of combinations would make the index
      // read every common word's works in full (130 ms for four words, two of them common, at 1M)
      const fewest = groups.length - minMatch + 1;
      const rarest = groups
        .map((g, i) => ({ g, n: g.includes(':*') ? Number.POSITIVE_INFINITY : worksOf(i) }))
        .sort((a, b) => a.n - b.n)
        .slice(0, fewest);
      if (rarest.reduce((n, x) => n + x.n, 0) <= this.tuning.rareCandidates) {
        const any = `tsv @@ ${p(rarest.map((x) => x.g).join(' | '))}::tsquery`;
        match = `${any} AND ${covered} >= ${p(minMatch)}`;
        for (const k of [groups.length, groups.length - 1]) if (k > minMatch) tiers.push(`${any} AND ${covered} >= ${p(k)}`);
      } else {
        // the works covering every word, and every word but one: ranked first whatever else matches
        for (const k of [groups.length, groups.length - 1]) {
          const q = k > minMatch ? atLeast(groups, k) : undefined;
          if (q !== undefined) tiers.push(`tsv @@ ${p(q)}::tsquery`);
        }
        match = this.covering(groups, wordsOf, minMatch, covered, p);
      }
    }
    // Bounded ranking: ts_rank over every match costs time in proportion to the matches (tens of
    // thousands for a common word at 1M works: seconds). Ranked are the first `rankAtMost` matches in
    // the table's order, which is the order ties are broken in (most widely held first, then by work
    // number: see build), so that for a common word these are the works the held-by-many boost
    // favours; and the first `rankAtMost` of each tier of matches ranked high whatever else matches:
    // for a question beyond titles those with the words in a title too (the weight ts_rank rates
    // highest, whatever the scope asked), for best coverage those covering every word or all but one,
    // with a home library its available matches. With fewer matches than the bound every match is
    // ranked, exactly as without it. Counted apart, and only when the first matches stopped at the
    // bound: a count needs no ranking, and the GIN index alone answers it when no filter needs the rows.
    // (never fewer than the hits asked for: a caller asking for every match gets every match, ranked)
    const cap = p(Math.max(this.tuning.rankAtMost, limit));
    if (req.homeLibrary) tiers.push(`${match} AND avail @> ARRAY[${p(req.homeLibrary)}]::text[]`);
    const tierCtes = tiers.map((t, i) => {
      const earlier = ['first', ...tiers.slice(0, i).map((_, j) => `tier${j}`)].map((c) => ` AND id NOT IN (SELECT id FROM ${c})`).join('');
      return `, tier${i} AS MATERIALIZED (SELECT id, tsv, libs, avail FROM work_search WHERE ${t}${where}${earlier} LIMIT ${cap})`;
    });
    // How the first matches are found. A common word's are best found by reading the table in order (a
    // few pages), which the planner does. Words ANDed or combined match few works, which the planner may
    // overestimate and then read the whole table for: their matches are looked up in the indexes, unless,
    // every part unscoped, the words are common enough that even independent of each other they would
    // share COMMON_TOGETHER works (then the first matches lie in the table's first pages). A word that
    // search_words says is rare is looked up in the index too: the planner, which knows a few hundred
    // common words, guesses one it does not know common enough, for many together (a prefix's
    // completions), to read the whole table.
    const all = this.workCount();
    const expected =
      minMatch !== undefined ? undefined : req.mode === 'all' ? groups.reduce((e, _, i) => (e * Math.min(all, worksOf(i))) / Math.max(1, all), all) : Math.min(all, groups.reduce((e, _, i) => e + worksOf(i), 0));
    const noSeqScan =
      groups.length > 1 && (req.mode === 'all' || minMatch !== undefined) ? !(unscoped && expected !== undefined && expected >= this.tuning.commonTogether) : expected !== undefined && expected < this.tuning.commonTogether;
    // Where the table may be read in order, the first matches are found by a statement of their own:
    // the tiers are looked up in the indexes whatever the planner guesses (a title tier of two words
    // it thought common and no work has read all 2.5M rows of the table at 4M: 1.5 s)
    let firstMatches = `SELECT id, tsv, libs, avail FROM work_search WHERE ${match}${where} LIMIT ${cap}`;
    if (!noSeqScan) {
      const own = ownParameters(`${match}${where}`, params);
      const ids = this.counting(() => this.db.all<{ id: number }>(`SELECT id FROM work_search WHERE ${own.sql} LIMIT ${Math.max(this.tuning.rankAtMost, limit)}`, own.values)).map((r) => Number(r.id));
      firstMatches = `SELECT id, tsv, libs, avail FROM work_search WHERE id = ANY(${p(`{${ids.join(',')}}`)}::bigint[])`;
    }
    const sql = `WITH first AS MATERIALIZED (${firstMatches})${tierCtes.join('')},
      cand AS (SELECT * FROM first${tiers.map((_, i) => ` UNION ALL SELECT * FROM tier${i}`).join('')}),
      m AS MATERIALIZED (SELECT id, ts_rank('${RANK_WEIGHTS}', tsv, ${rank}, 0) * ${boost} AS score, ${covered} AS covered FROM cand),
      top AS (SELECT id, score, covered FROM m ORDER BY covered DESC, score DESC, id LIMIT ${p(limit)}),
      n AS (SELECT count(*) AS n FROM first)
      SELECT top.id, top.score, w.stored, (SELECT n FROM n) AS first
        FROM top JOIN work_search w USING (id) ORDER BY top.covered DESC, top.score DESC, top.id`;
    // (the statement's own parameters: the first matches' condition may not be in it any more)
    const own = ownParameters(sql, params);
    const rows = this.counting(() => this.db.all<{ id: number; score: number; stored: string; first: number }>(own.sql, own.values), 'index');
    const first = Number(rows[0]?.first ?? 0);
    // every match is among the first when they stopped short of the bound; else counted apart
    const counted = first < Math.max(this.tuning.rankAtMost, limit) ? { total: first, estimated: false } : this.countMatches(`${match}${where}`, params, noSeqScan);
    return { hits: rows.map((r) => this.hit(r)), total: counted.total, ...(counted.estimated ? { estimated: true } : {}) };
  }

  /**
   * A word's lexemes as matched in field group `weight` (its marked copies: ts-vector-text.ts). A prefix
   * becomes the known words it begins (search_words, which holds every word of titles, subjects and
   * authors, so the list is exact) when they are few: the GIN index gathers a prefix's every work
   * before it intersects them with the other words' (tens of milliseconds for "pendidikan" at 1M),
   * while words it skips through. Without marks (every field: notes too, which search_words does not
   * hold) a prefix stays a prefix.
   */
  private inGroup(weight: ScopedWeight, form: string, prefix: boolean): string[] {
    if (prefix) {
      const known = this.completions(form);
      if (known !== null && known.length > 0) return known.map((w) => lexeme(scopedForm(weight, w)));
    }
    return [`${lexeme(scopedForm(weight, form))}${prefix ? ':*' : ''}`];
  }

  /** The known words that begin with `prefix` (itself included), or null when there are more than MAX_COMPLETIONS. */
  private completions(prefix: string): string[] | null {
    const remembered = this.completed.get(prefix);
    if (remembered !== undefined) return remembered;
    const rows = this.db.all<{ word: string }>('SELECT word FROM search_words WHERE word >= $1 AND word < $1 || chr(1114111) ORDER BY word LIMIT $2', [prefix, this.tuning.maxCompletions + 1]);
    const found = rows.length > this.tuning.maxCompletions ? null : rows.map((r) => r.word);
    this.remember(this.completed, prefix, found);
    return found;
  }

  /** The table's rows and pages, as ANALYZE (after every build and recount) estimated them: for the planning of a search and the size of a sample, not for a total. */
  private tableSize(): { rows: number; pages: number } {
    if (this.size === undefined) {
      const row = this.db.get<{ rows: number; pages: number }>("SELECT reltuples AS rows, relpages AS pages FROM pg_class WHERE oid = 'work_search'::regclass");
      this.size = { rows: Math.max(0, Number(row?.rows ?? 0)), pages: Math.max(0, Number(row?.pages ?? 0)) };
    }
    return this.size;
  }

  private workCount(): number {
    return this.tableSize().rows;
  }

  /**
   * "At least `minMatch` of these groups" as a condition: one tsquery of combinations when there are
   * few; else, as a work covering m of n words covers at least m - (n - r) of any r of them, of the
   * rarest r (by search_words: the word itself in titles, subjects and authors; a word not there is
   * rarer still) as many as one tsquery of combinations allows, which finds few candidates, each
   * candidate's own coverage (`covered`) then counted on its row.
   */
  private covering(groups: readonly string[], wordsOf: readonly string[], minMatch: number, covered: string, p: (v: unknown) => string): string {
    const direct = atLeast(groups, minMatch);
    if (direct !== undefined) return `tsv @@ ${p(direct)}::tsquery`;
    const n = groups.length;
    let r = n - minMatch + 1;
    while (r + 1 < n && combinations(r + 1, minMatch - (n - r - 1)) <= MAX_COMBINATIONS) r++;
    const works = new Map(this.db.all<{ word: string; works: number }>('SELECT word, works FROM search_words WHERE word = ANY($1::text[])', [textArray(wordsOf)]).map((w) => [w.word, Number(w.works)]));
    const rarest = groups
      .map((g, i) => ({ g, n: works.get(wordsOf[i]!) ?? 0 }))
      .sort((a, b) => a.n - b.n)
      .slice(0, r)
      .map((x) => x.g);
    return `tsv @@ ${p(atLeast(rarest, minMatch - (n - r)))}::tsquery AND ${covered} >= ${p(minMatch)}`;
  }

  /** Whether any work matches the tsquery `group` (remembered until the tables next change). */
  private matchesAny(group: string): boolean {
    const remembered = this.anyMatch.get(group);
    if (remembered !== undefined) return remembered;
    // through the index: the planner would read the table in order for a word it thinks common
    const found = this.counting(() => this.db.get('SELECT 1 FROM work_search WHERE tsv @@ $1::tsquery LIMIT 1', [group]) !== undefined, 'index');
    this.remember(this.anyMatch, group, found);
    return found;
  }

  /**
   * How many works pass `condition` (an SQL condition on work_search, its placeholders numbered in
   * `params`): remembered from before (the tables unchanged since), or estimated, or counted. A sample
   * of the table's pages (TABLESAMPLE SYSTEM, a fixed seed; 2 %, at least 1,000 pages) is counted first; when it says
   * `tuning.estimateFrom` matches or more, its figure, rounded to two significant digits, is the total and
   * says so (`estimated`); below that the matches are counted exactly (`noSeqScan`: through the
   * indexes, as the search's own statement). So a common word or filter costs a fiftieth of the
   * table, not every matching row.
   */
  private countMatches(condition: string, params: readonly unknown[], noSeqScan = false): { total: number; estimated: boolean } {
    const { sql, values } = ownParameters(condition, params);
    const key = JSON.stringify([sql, values]);
    const remembered = this.counts.get(key);
    if (remembered) return remembered;
    // at least SAMPLE_PAGES pages, all of a small table
    const percent = Math.min(100, Math.max(SAMPLE_PERCENT, (100 * SAMPLE_PAGES) / Math.max(1, this.tableSize().pages)));
    const result = this.counting(() => {
      const sampled = Number(this.db.get<{ n: number }>(`SELECT count(*) AS n FROM work_search TABLESAMPLE SYSTEM (${percent}) REPEATABLE (${SAMPLE_SEED}) WHERE ${sql}`, values)?.n ?? 0);
      const estimate = (sampled * 100) / percent;
      if (estimate >= this.tuning.estimateFrom) return { total: Math.max(this.tuning.estimateFrom, twoSignificantDigits(estimate)), estimated: true };
      return { total: Number(this.db.get<{ n: number }>(`SELECT count(*) AS n FROM work_search WHERE ${sql}`, values)?.n ?? 0), estimated: false };
    }, noSeqScan ? 'index' : 'any');
    this.remember(this.counts, key, result);
    return result;
  }

  /**
   * `fn`'s statements with room for the bitmap of a common word's or filter's matches, in a transaction
   * of their own (or the caller's, put back after): a bitmap past work_mem turns lossy, and then every
   * row of its pages is read again and checked. `plan`: as the planner likes ('any'); the matches
   * looked up in the indexes only ('index'); rows read in an index's order, neither gathered in a bitmap
   * nor sorted ('ordered'); rows gathered through the indexes in a bitmap, then sorted ('gathered').
   */
  private counting<T>(fn: () => T, plan: 'any' | 'index' | 'ordered' | 'gathered' = 'any'): T {
    const nested = this.db.inTransaction;
    const off = { any: [], index: ['seqscan'], ordered: ['seqscan', 'bitmapscan', 'sort'], gathered: ['seqscan', 'indexscan'] }[plan];
    return this.db.transaction(() => {
      this.db.exec([`SET LOCAL work_mem = '32MB'`, ...off.map((m) => `SET LOCAL enable_${m} = off`)].join('; '));
      const result = fn();
      // a savepoint's release keeps its settings until the caller's transaction ends (a rollback undoes them)
      if (nested) this.db.exec(['SET LOCAL work_mem TO DEFAULT', ...off.map((m) => `SET LOCAL enable_${m} TO DEFAULT`)].join('; '));
      return result;
    });
  }

  listFiltered(filters: SearchFilters, limit: number): SearchResults {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = filterSql(filters, p);
    if (where === '') return { hits: [], total: 0 };
    // Counted (or estimated) first, to choose how to list. When many works pass, the listing order's
    // index (work_search_listed) is walked until enough have passed, a few pages; when few pass, they
    // are gathered through the filters' indexes and sorted, as that walk would read most of the index.
    // The planner, left to itself, chose either way wrongly at 2.5M works (4-6 s each way)
    const counted = this.countMatches(`true${where}`, params);
    if (counted.total === 0) return { hits: [], total: 0 };
    const walk = (limit * this.workCount()) / counted.total <= this.tuning.walkAtMost;
    const rows = this.counting(
      () =>
        this.db.all<{ id: number; score: number; stored: string }>(
          `SELECT id, cardinality(libs) AS score, stored FROM work_search WHERE true${where}
        ORDER BY cardinality(libs) DESC, year DESC NULLS LAST, id LIMIT ${p(limit)}`,
          params,
        ),
      walk ? 'ordered' : 'gathered',
    );
    // fewer than asked: these are all
    if (rows.length < limit) return { hits: rows.map((r) => this.hit(r)), total: rows.length };
    return { hits: rows.map((r) => this.hit(r)), total: Math.max(counted.total, rows.length), ...(counted.estimated ? { estimated: true } : {}) };
  }

  private remember<V>(cache: Map<string, V>, key: string, value: V): void {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  }

  /** A row as a hit, its stored fields remembered for the `stored` calls that follow a search. */
  private hit(r: { id: number; score: number; stored: string }): SearchHit {
    if (this.storedById.size >= CACHE_LIMIT) this.storedById.clear();
    this.storedById.set(r.id, JSON.parse(r.stored) as Record<string, unknown>);
    return { id: r.id, score: r.score };
  }

  stored(id: number): Readonly<Record<string, unknown>> | undefined {
    const remembered = this.storedById.get(id);
    if (remembered) return remembered;
    const row = this.db.get<{ stored: string }>('SELECT stored FROM work_search WHERE id = $1', [id]);
    return row ? (JSON.parse(row.stored) as Record<string, unknown>) : undefined;
  }

  knows(term: string): boolean {
    const remembered = this.known.get(term);
    if (remembered !== undefined) return remembered;
    const found = this.db.get('SELECT 1 FROM search_words WHERE word = $1', [term]) !== undefined;
    if (this.known.size >= CACHE_LIMIT) this.known.clear();
    this.known.set(term, found);
    return found;
  }

  /** Known words within `budget` edits (an adjacent swap is one), found through the trigram index, checked by edit distance. */
  typoTerms(term: string, budget: number): Array<[string, number]> {
    if (budget <= 0) return [];
    const key = `${budget}\u0000${term}`;
    const remembered = this.typos.get(key);
    if (remembered) return remembered;
    const found = typoNeighbours(term, budget, {
      has: (t) => this.knows(t),
      within: (t, d) =>
        this.db
          .all<{ word: string }>('SELECT word FROM search_words WHERE word % $1 AND length(word) BETWEEN $2 AND $3', [t, t.length - d, t.length + d])
          .map((r) => r.word),
    });
    if (this.typos.size >= CACHE_LIMIT) this.typos.clear();
    this.typos.set(key, found);
    return found;
  }

  /** Did-you-mean, as the in-memory index's: each unknown word replaced by its closest known word, the one in most works among equally close. */
  suggest(text: string): string | undefined {
    const words = tokenize(text).map(foldTerm).filter((w) => w !== '');
    if (words.length === 0 || words.every((w) => /^\d+$/.test(w))) return undefined;
    let changed = false;
    const out: string[] = [];
    for (const w of words) {
      if (/^\d+$/.test(w) || this.knows(w)) {
        out.push(w);
        continue;
      }
      const maxDistance = w.length >= 10 ? 2 : w.length >= 5 ? 1 : 0;
      if (maxDistance === 0) return undefined;
      const candidates = this.typoTerms(w, maxDistance);
      if (candidates.length === 0) return undefined;
      const counts = new Map(
        this.db.all<{ word: string; works: number }>('SELECT word, works FROM search_words WHERE word = ANY($1::text[])', [textArray(candidates.map(([t]) => t))]).map((r) => [r.word, r.works]),
      );
      let best: { term: string; distance: number; works: number } | undefined;
      for (const [term, distance] of candidates) {
        const n = counts.get(term) ?? 0;
        if (n === 0) continue;
        if (!best || distance < best.distance || (distance === best.distance && (n > best.works || (n === best.works && term < best.term)))) best = { term, distance, works: n };
      }
      if (!best) return undefined;
      out.push(best.term);
      changed = true;
    }
    return changed ? out.join(' ') : undefined;
  }
}

/**
 * `condition`'s placeholders renumbered from $1 and the values they name, for a statement of its own
 * (PostgreSQL refuses a parameter a statement does not use: its type cannot be known).
 */
function ownParameters(condition: string, params: readonly unknown[]): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const renumbered = new Map<number, number>();
  const sql = condition.replace(/\$(\d+)/g, (_, n: string) => {
    let own = renumbered.get(Number(n));
    if (own === undefined) {
      values.push(params[Number(n) - 1]);
      own = values.length;
      renumbered.set(Number(n), own);
    }
    return `$${own}`;
  });
  return { sql, values };
}

/** An estimate as it is said: two significant digits (111,437 → 110,000). */
export function twoSignificantDigits(n: number): number {
  if (n < 100) return Math.round(n);
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / step) * step;
}

/** Combinations of words up to which "at least k of n words" is one tsquery; beyond, each word is looked up on its own. */
const MAX_COMBINATIONS = 10;

/**
 * "At least k of these groups" as one tsquery (an OR of every k groups ANDed), so that the GIN index
 * finds only the works that cover enough words; undefined when there would be too many combinations.
 */
export function atLeast(groups: readonly string[], k: number): string | undefined {
  const n = groups.length;
  if (k <= 1) return groups.join(' | ');
  if (combinations(n, k) > MAX_COMBINATIONS) return undefined;
  const out: string[] = [];
  const pick = (from: number, chosen: number[]): void => {
    if (chosen.length === k) {
      out.push(`(${chosen.map((i) => groups[i]).join(' & ')})`);
      return;
    }
    for (let i = from; i <= n - (k - chosen.length); i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out.join(' | ');
}

/** n choose k */
function combinations(n: number, k: number): number {
  let count = 1;
  for (let i = 0; i < k; i++) count = (count * (n - i)) / (i + 1);
  return count;
}

/** tsquery texts as a tsquery[] parameter. */
function tsqueryArray(queries: readonly string[]): string {
  return `{${queries.map((g) => `"${g.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** The trigram extension and index, made when missing; a StoreError naming what to run when this role may not. */
function ensureTrigrams(db: PgDatabase): void {
  const has = db.get("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'") !== undefined;
  if (!has) {
    try {
      db.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    } catch (e) {
      const database = db.get<{ name: string }>('SELECT current_database() AS name')?.name ?? 'the database';
      throw new StoreError(
        'store/unusable-data-dir',
        `JALA_SEARCH_INDEX=postgres needs the pg_trgm extension, which this role may not create (${String((e as Error).message).split('\n')[0]}). ` +
          `Ask the database administrator to run, in database ${database}: CREATE EXTENSION pg_trgm; (Debian/Ubuntu: package postgresql-contrib)`,
        { cause: e },
      );
    }
  }
  db.exec('CREATE INDEX IF NOT EXISTS search_words_trgm ON search_words USING gin (word gin_trgm_ops)');
  db.run("SELECT set_config('pg_trgm.similarity_threshold', $1, false)", [String(TRIGRAM_THRESHOLD)]);
}

/** The filters as SQL conditions (each starting with AND), their values as parameters. */
function filterSql(f: SearchFilters, p: (v: unknown) => string): string {
  let sql = '';
  if (f.library !== undefined) sql += ` AND libs @> ARRAY[${p(f.library)}]::text[]`;
  if (f.available === true) sql += f.library !== undefined ? ` AND avail @> ARRAY[${p(f.library)}]::text[]` : ' AND cardinality(avail) > 0';
  if (f.language !== undefined) sql += ` AND lang @> ARRAY[${p(f.language)}]::text[]`;
  if (f.yearFrom !== undefined) sql += ` AND year >= ${p(f.yearFrom)}`;
  if (f.yearTo !== undefined) sql += ` AND year <= ${p(f.yearTo)}`;
  if (f.format !== undefined) sql += ` AND lower(format) = ${p(f.format.toLowerCase())}`;
  return sql;
}

const COLUMNS = ['id', 'tsv', 'libs', 'avail', 'year', 'lang', 'format', 'stored'] as const;

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** One work as a line of COPY work_search. */
function copyLine(d: IndexedWork): string {
  const stored = { libs: d.libs, avail: d.avail, year: d.year, lang: d.lang, format: d.format, tk: d.tk, tx: d.tx, tq: d.tq };
  const cells = [
    String(d.id),
    copyText(tsVectorText(d)),
    copyText(textArray(d.libs)),
    copyText(textArray(d.avail)),
    d.year === undefined || !Number.isInteger(d.year) ? '\\N' : String(d.year),
    copyText(textArray(d.lang)),
    copyText(d.format),
    copyText(JSON.stringify(stored)),
  ];
  return `${cells.join('\t')}\n`;
}

/** The words of a work a question may "know" (titles, subjects, authors, series). */
function knownWordsOf(d: IndexedWork): Set<string> {
  const out = new Set<string>();
  for (const text of [d.titleShort, d.title, d.titleAlt, d.series, d.subjects, d.authors]) {
    for (const t of tokenize(text)) {
      const w = foldTerm(t);
      if (w !== '') out.add(w);
    }
  }
  return out;
}
