import type { CatalogStore } from '../catalog/catalog-store.ts';
import { foldTerm, tokenize } from '../search/analyze-text.ts';
import type { IndexedWork } from '../search/index-options.ts';
import type { FieldScope, SearchFilters, SearchHit, SearchRequest, SearchResults } from '../search/minisearch-index.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { stems } from '../search/stemmers.ts';
import { termVariants } from '../search/term-variants.ts';
import { lexeme, STEM_MARK, tsVectorText } from '../search/ts-vector-text.ts';
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
 * asked; ranked by ts_rank with the field groups weighted as the in-memory index's boosts order them,
 * times the same held-by-many and available-at-home boosts. Typo neighbours and did-you-mean come
 * from search_words (the words of titles, authors, subjects and series, with how many works have
 * each) through a pg_trgm index, checked with the same edit distance as in memory.
 *
 * The tables are derived from the catalog by its change sequence, as the in-memory index is: `open`
 * brings them up to date (the works changed and removed since the change they reflect, or everything
 * when they reflect another catalog or none), one replica at a time under an advisory lock; every
 * write path of the catalog (record by record, bulk, migrate-store) moves the change sequence, so all
 * are followed. Ranking is not MiniSearch's: the bench measures accuracy per kind beside it.
 */

/** ts_rank's weights of the groups, {D, C, B, A}: titles over subjects over authors, other text far below (FIELD_BOOST's order) */
const RANK_WEIGHTS = '{0.02, 0.4, 0.75, 1.0}';
/** Weight classes of each scope's exact words and stems (undefined: every class). */
const SCOPE_WEIGHTS: Record<FieldScope, { exact: string | undefined; stemmed: string | null | undefined }> = {
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
/** work_search's secondary indexes (as migration 7 makes them): dropped for a build's COPY, made again once after it */
const WORK_SEARCH_INDEXES: Record<string, string> = {
  work_search_tsv: 'USING gin (tsv)',
  work_search_libs: 'USING gin (libs)',
  work_search_avail: 'USING gin (avail)',
  work_search_lang: 'USING gin (lang)',
  work_search_year: '(year)',
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

  private constructor(private readonly db: PgDatabase) {}

  /**
   * The index on `db`, brought up to date with `store` (whose connection it shares). The trigram
   * index needs the pg_trgm extension: created when missing (a trusted extension since PostgreSQL 13:
   * a role with CREATE on the database may); when it cannot be, a StoreError says what to run.
   */
  static open(db: PgDatabase, store: CatalogStore, opts: { rebuild?: boolean; onProgress?: (p: { phase: 'build'; done: number; total: number }) => void } = {}): PgFullTextOpened {
    ensureTrigrams(db);
    const index = new PgFullTextIndex(db);
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
        this.db.run("INSERT INTO search_state (key, value) VALUES ('catalog_id', $1), ('seq', $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [catalogId, String(now)]);
      };
      if (!opts.rebuild && state.get('catalog_id') === catalogId && seq <= now) {
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
         SELECT DISTINCT u.lexeme AS word FROM d, unnest(d.tsv) u WHERE u.weights && '{A,B,C}'::text[] AND left(u.lexeme, 1) <> $2`,
        [`{${ids.join(',')}}`, STEM_MARK],
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
       SELECT word, ndoc FROM ts_stat('SELECT tsv FROM work_search', '${KNOWN_WEIGHTS}') WHERE left(word, 1) <> $1`,
      [STEM_MARK],
    );
    this.db.exec('ANALYZE work_search; ANALYZE search_words');
  }

  search(req: SearchRequest, limit: number): SearchHit[] {
    return this.searchCounted(req, limit).hits;
  }

  searchCounted(req: SearchRequest, limit: number): SearchResults {
    if (req.terms.length === 0) return { hits: [], total: 0 };
    const groups: string[] = [];
    for (const part of [{ scope: req.scope, terms: req.terms }, ...(req.and ?? [])]) {
      const weights = SCOPE_WEIGHTS[part.scope];
      const w = (classes: string | undefined): string => (classes === undefined ? '' : `:${classes}`);
      const last = part.terms.length - 1;
      for (const [i, term] of part.terms.entries()) {
        const prefix = i === last && term.length >= 3 && !/^\d+$/.test(term);
        const alternatives = new Set<string>([`${lexeme(term)}${prefix ? `:*${weights.exact ?? ''}` : w(weights.exact)}`]);
        if (weights.stemmed !== null) for (const s of stems(term)) alternatives.add(lexeme(STEM_MARK + s) + w(weights.stemmed));
        if (req.variants) for (const v of termVariants(term)) alternatives.add(lexeme(v) + w(weights.exact));
        if ((req.typos || (req.fuzzy && term.length >= 4)) && !this.knows(term)) {
          for (const [t] of this.typoTerms(term, typoBudget(term))) alternatives.add(lexeme(t) + w(weights.exact));
        }
        groups.push(`(${[...alternatives].join(' | ')})`);
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
    // the matching works ranked in a narrow set (id, score, words covered), counted there; the stored
    // fields read for the best `limit` only
    let sql: string;
    const top = `top AS (SELECT id, score, covered FROM m ORDER BY covered DESC, score DESC, id LIMIT ${p(limit)})
      SELECT top.id, top.score, w.stored, (SELECT count(*) FROM m) AS total
        FROM top JOIN work_search w USING (id) ORDER BY top.covered DESC, top.score DESC, top.id`;
    const combined = minMatch === undefined ? groups.join(req.mode === 'all' ? ' & ' : ' | ') : atLeast(groups, minMatch);
    if (combined !== undefined) {
      const q = p(combined);
      const rank = minMatch === undefined ? q : p(groups.join(' | '));
      const covered = minMatch === undefined ? '0' : `(SELECT count(*) FROM unnest(${p(tsqueryArray(groups))}::tsquery[]) g WHERE tsv @@ g)`;
      sql = `WITH m AS MATERIALIZED (
          SELECT id, ts_rank('${RANK_WEIGHTS}', tsv, ${rank}::tsquery, 0) * ${boost} AS score, ${covered} AS covered
            FROM work_search WHERE tsv @@ ${q}::tsquery${where}), ${top}`;
    } else {
      // best coverage over many words: each word's works found through the index on its own, the works
      // with enough words kept, and only those ranked (one tsquery of every combination costs far more)
      const list = p(tsqueryArray(groups));
      sql = `WITH c AS MATERIALIZED (
          SELECT s.id, count(*) AS covered FROM unnest(${list}::tsquery[]) g(q) CROSS JOIN LATERAL (SELECT id FROM work_search WHERE tsv @@ g.q) s
           GROUP BY s.id HAVING count(*) >= ${p(minMatch)}),
        m AS MATERIALIZED (
          SELECT id, ts_rank('${RANK_WEIGHTS}', tsv, ${p(groups.join(' | '))}::tsquery, 0) * ${boost} AS score, c.covered
            FROM work_search JOIN c USING (id) WHERE true${where}), ${top}`;
    }
    const rows = this.db.all<{ id: number; score: number; stored: string; total: number }>(sql, params);
    return { hits: rows.map((r) => this.hit(r)), total: rows[0]?.total ?? 0 };
  }

  listFiltered(filters: SearchFilters, limit: number): SearchResults {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = filterSql(filters, p);
    if (where === '') return { hits: [], total: 0 };
    const rows = this.db.all<{ id: number; score: number; stored: string; total: number }>(
      `SELECT id, cardinality(libs) AS score, stored, (SELECT count(*) FROM work_search WHERE true${where}) AS total FROM work_search WHERE true${where}
        ORDER BY cardinality(libs) DESC, year DESC NULLS LAST, id LIMIT ${p(limit)}`,
      params,
    );
    return { hits: rows.map((r) => this.hit(r)), total: rows[0]?.total ?? 0 };
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
  let count = 1;
  for (let i = 0; i < k; i++) count = (count * (n - i)) / (i + 1);
  if (count > MAX_COMBINATIONS) return undefined;
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
