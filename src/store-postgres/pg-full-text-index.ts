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
   * Counts of many matches, by their statement and parameters, until the tables next change (catchUp):
   * PostgreSQL reads every matching row to count them (15.20's bitmap scans read all-visible pages
   * too), which for a common word or filter costs more than all the rest of a search.
   */
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly db: PgDatabase,
    private readonly rankAtMost: number,
  ) {}

  /**
   * The index on `db`, brought up to date with `store` (whose connection it shares). The trigram
   * index needs the pg_trgm extension: created when missing (a trusted extension since PostgreSQL 13:
   * a role with CREATE on the database may); when it cannot be, a StoreError says what to run.
   */
  static open(
    db: PgDatabase,
    store: CatalogStore,
    opts: { rebuild?: boolean; onProgress?: (p: { phase: 'build'; done: number; total: number }) => void; rankAtMost?: number } = {},
  ): PgFullTextOpened {
    ensureTrigrams(db);
    // no JIT compilation for this connection's statements: PostgreSQL 15 compiles a statement whose
    // estimated cost passes jit_above_cost (a count over a common word's matches does), which costs
    // tens of milliseconds each time and saves nothing on statements this short
    db.exec('SET jit = off');
    const index = new PgFullTextIndex(db, opts.rankAtMost ?? RANK_AT_MOST);
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
        const matched = new Set(alternatives.map((a) => `${lexeme(a.weight === undefined ? a.form : scopedForm(a.weight, a.form))}${a.prefix ? ':*' : ''}`));
        const titled = new Set(alternatives.map((a) => `${lexeme(scopedForm('A', a.form))}${a.prefix ? ':*' : ''}`));
        rankGroups.push(`(${[...ranked].join(' | ')})`);
        groups.push(`(${[...matched].join(' | ')})`);
        wordsOf.push(term);
        if (titleGroups !== undefined) titleGroups.push(`(${[...titled].join(' | ')})`);
      }
    }
    const minMatch = req.minMatch !== undefined && req.minMatch < groups.length ? req.minMatch : undefined;
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
      if (titleGroups !== undefined) tiers.push(`${match} AND tsv @@ ${p(titleGroups.join(req.mode === 'all' ? ' & ' : ' | '))}::tsquery`);
      rank = `${p(rankGroups.join(req.mode === 'all' ? ' & ' : ' | '))}::tsquery`;
    } else {
      covered = `(SELECT count(*) FROM unnest(${p(tsqueryArray(groups))}::tsquery[]) g WHERE tsv @@ g)`;
      rank = `${p(rankGroups.join(' | '))}::tsquery`;
      // the works covering every word, and every word but one: ranked first whatever else matches
      for (const k of [groups.length, groups.length - 1]) {
        const q = k > minMatch ? atLeast(groups, k) : undefined;
        if (q !== undefined) tiers.push(`tsv @@ ${p(q)}::tsquery`);
      }
      const direct = atLeast(groups, minMatch);
      if (direct !== undefined) match = `tsv @@ ${p(direct)}::tsquery`;
      else {
        // "at least m of n words" has too many combinations for one tsquery. A work covering m of n
        // covers at least m - (n - r) of any r of them: of the rarest r, as many as one tsquery of
        // combinations allows, which finds few candidates; each candidate's own coverage is then
        // counted on its row
        const n = groups.length;
        let r = n - minMatch + 1;
        while (r + 1 < n && combinations(r + 1, minMatch - (n - r - 1)) <= MAX_COMBINATIONS) r++;
        // how rare, from search_words (the word itself in titles, subjects and authors; a word not there
        // is rarer still): a count through the index would read every row it counts. Any r words find
        // every candidate; the rarest find the fewest
        const works = new Map(this.db.all<{ word: string; works: number }>('SELECT word, works FROM search_words WHERE word = ANY($1::text[])', [textArray(wordsOf)]).map((w) => [w.word, Number(w.works)]));
        const rarest = groups
          .map((g, i) => ({ g, n: works.get(wordsOf[i]!) ?? 0 }))
          .sort((a, b) => a.n - b.n)
          .slice(0, r)
          .map((x) => x.g);
        match = `tsv @@ ${p(atLeast(rarest, minMatch - (n - r)))}::tsquery AND ${covered} >= ${p(minMatch)}`;
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
    const cap = p(Math.max(this.rankAtMost, limit));
    if (req.homeLibrary) tiers.push(`${match} AND avail @> ARRAY[${p(req.homeLibrary)}]::text[]`);
    const tierCtes = tiers.map((t, i) => {
      const earlier = ['first', ...tiers.slice(0, i).map((_, j) => `tier${j}`)].map((c) => ` AND id NOT IN (SELECT id FROM ${c})`).join('');
      return `, tier${i} AS MATERIALIZED (SELECT id, tsv, libs, avail FROM work_search WHERE ${t}${where}${earlier} LIMIT ${cap})`;
    });
    // a count taken before (the same matches and filters, the tables unchanged since) is not taken again
    const countSql = `SELECT count(*) FROM work_search WHERE ${match}${where}`;
    const countKey = JSON.stringify([countSql, params]);
    const counted = this.counts.get(countKey);
    const sql = `WITH first AS MATERIALIZED (SELECT id, tsv, libs, avail FROM work_search WHERE ${match}${where} LIMIT ${cap})${tierCtes.join('')},
      cand AS (SELECT * FROM first${tiers.map((_, i) => ` UNION ALL SELECT * FROM tier${i}`).join('')}),
      m AS MATERIALIZED (SELECT id, ts_rank('${RANK_WEIGHTS}', tsv, ${rank}, 0) * ${boost} AS score, ${covered} AS covered FROM cand),
      top AS (SELECT id, score, covered FROM m ORDER BY covered DESC, score DESC, id LIMIT ${p(limit)}),
      n AS (SELECT count(*) AS n FROM first)
      SELECT top.id, top.score, w.stored, (SELECT n FROM n) >= ${cap} AS capped,
        CASE WHEN (SELECT n FROM n) < ${cap} THEN (SELECT n FROM n) ELSE ${counted === undefined ? `(${countSql})` : `${p(counted)}::bigint`} END AS total
        FROM top JOIN work_search w USING (id) ORDER BY top.covered DESC, top.score DESC, top.id`;
    // a single word's first matches are best found by reading the table in order (a common word: a few
    // pages), which the planner does; words ANDed or combined match few works, which the planner may
    // overestimate and then read the whole table for: their matches are looked up in the indexes
    const rows = this.counting(() => this.db.all<{ id: number; score: number; stored: string; total: number; capped: boolean }>(sql, params), groups.length > 1 && (req.mode === 'all' || minMatch !== undefined));
    if (rows[0]?.capped === true && counted === undefined) this.remember(this.counts, countKey, Number(rows[0].total));
    return { hits: rows.map((r) => this.hit(r)), total: Number(rows[0]?.total ?? 0) };
  }

  /**
   * `fn`'s statements with room for the bitmap of a common word's or filter's matches, in a transaction
   * of their own (or the caller's, put back after): a bitmap past work_mem turns lossy, and then every
   * row of its pages is read again and checked. `noSeqScan`: the matches looked up in the indexes only.
   */
  private counting<T>(fn: () => T, noSeqScan = false): T {
    const nested = this.db.inTransaction;
    return this.db.transaction(() => {
      this.db.exec(`SET LOCAL work_mem = '32MB'${noSeqScan ? '; SET LOCAL enable_seqscan = off' : ''}`);
      const result = fn();
      // a savepoint's release keeps its settings until the caller's transaction ends (a rollback undoes them)
      if (nested) this.db.exec('SET LOCAL work_mem TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT');
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
    const countSql = `SELECT count(*) FROM work_search WHERE true${where}`;
    const countKey = JSON.stringify([countSql, params]);
    const counted = this.counts.get(countKey);
    const rows = this.counting(() =>
      this.db.all<{ id: number; score: number; stored: string; total: number }>(
        `SELECT id, cardinality(libs) AS score, stored, ${counted === undefined ? `(${countSql})` : `${p(counted)}::bigint`} AS total FROM work_search WHERE true${where}
        ORDER BY cardinality(libs) DESC, year DESC NULLS LAST, id LIMIT ${p(limit)}`,
        params,
      ),
    );
    if (rows.length > 0 && counted === undefined) this.remember(this.counts, countKey, Number(rows[0]!.total));
    return { hits: rows.map((r) => this.hit(r)), total: Number(rows[0]?.total ?? 0) };
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
