/**
 * JALA_SEARCH_INDEX=postgres (issue 20): the works index in PostgreSQL's full-text search instead of
 * each replica's memory. On the sample consortium loaded into a real PostgreSQL: the index finds works
 * by title, author, subject in both languages, by an unfinished last word, with a typo and with
 * filters; for exact words it matches the very works the in-memory index matches (the same analyser
 * makes both); it follows the catalog as works change; `jala ask --batch` with the setting answers
 * sensibly; and a role that may not create pg_trgm is told what to ask the DBA for. Without
 * PostgreSQL: skipped, one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStores, type JalaStores } from '../src/app/open-stores.ts';
import { buildIndex } from '../src/search/catalog-index.ts';
import type { MiniSearchIndex, SearchRequest } from '../src/search/minisearch-index.ts';
import { PgDatabase } from '../src/store-postgres/pg-database.ts';
import { PgFullTextIndex, twoSignificantDigits } from '../src/store-postgres/pg-full-text-index.ts';
import { answerQuestion } from '../src/answer/answer-question.ts';
import { renderAnswer } from '../adapters/cli/render-answer.ts';
import { marcFixtures, tempDir } from './support/paths.ts';
import { PATRON_QUESTIONS } from './support/patron-questions.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { howEnded, runJala, type JalaRun } from './support/run-jala.ts';
import { sampleDataDir } from './support/sample-jala.ts';
import { describeWithTools } from './support/system-tools.ts';

/** `jala …` as a child process with JALA_DATABASE_URL = `url` and the given JALA_SEARCH_INDEX (or none). */
function jala(args: string[], url: string, searchIndex: string | undefined, input = ''): Promise<JalaRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, JALA_DATABASE_URL: url };
  delete env.JALA_SEARCH_INDEX;
  if (searchIndex !== undefined) env.JALA_SEARCH_INDEX = searchIndex;
  return runJala(args, { env, input }).done;
}

async function ok(args: string[], url: string, searchIndex: string | undefined, input = ''): Promise<{ stdout: string; stderr: string }> {
  const r = await jala(args, url, searchIndex, input);
  expect(r.code, `jala ${args.join(' ')}: ${howEnded(r)}: ${r.stderr}`).toBe(0);
  return r;
}

/** the patrons' questions, with a misspelt title among them */
const QUESTIONS = [...PATRON_QUESTIONS.slice(0, -1), 'laksar pelangi', ...PATRON_QUESTIONS.slice(-1)];

const req = (terms: string[], more: Partial<SearchRequest> = {}): SearchRequest => ({ terms, scope: 'all', mode: 'all', fuzzy: false, filters: {}, ...more });

describeWithTools([POSTGRES_TOOL], 'the PostgreSQL full-text SearchIndex (JALA_SEARCH_INDEX=postgres)', () => {
  const postgres = usePostgresServer();
  let url: string;
  let opened: { stores: JalaStores; close: () => void; database?: PgDatabase };
  let index: PgFullTextIndex;
  let memory: MiniSearchIndex;
  const sample = sampleDataDir(undefined, { prefix: 'jala-pgfts-' });
  const titleOf = (id: number | undefined): string | undefined => (id === undefined ? undefined : opened.stores.catalog.work(id)?.title);

  beforeAll(async () => {
    url = postgres().createDatabase();
    await ok(['reindex', '--full', '--data-dir', sample.dataDir], url, undefined);
    opened = openStores(sample.dataDir, { databaseUrl: url });
    const first = PgFullTextIndex.open(opened.database as PgDatabase, opened.stores.catalog);
    expect(first.how).toBe('built');
    index = first.index;
    memory = buildIndex(opened.stores.catalog);
  }, 600_000);

  afterAll(() => opened?.close());

  it('finds works by title, author and subject, in Indonesian and English, by an unfinished last word', () => {
    expect(titleOf(index.search(req(['laskar', 'pelangi'], { scope: 'title' }), 5).find((h) => /^Laskar pelangi/.test(titleOf(h.id) ?? ''))?.id)).toMatch(/^Laskar pelangi/);
    expect(index.search(req(['rainbow', 'troops']), 5).map((h) => titleOf(h.id))).toContain('The rainbow troops');
    expect(index.search(req(['laskar', 'pel']), 5).map((h) => titleOf(h.id))).toContain('Laskar pelangi');
    const pram = index.searchCounted(req(['pramoedya'], { scope: 'author' }), 20);
    expect(pram.total).toBeGreaterThanOrEqual(3);
    expect(pram.hits.map((h) => titleOf(h.id))).toEqual(expect.arrayContaining(['Bumi manusia', 'Rumah kaca']));
    // the scope is kept: "hirata" is an author's name, in no title
    expect(index.searchCounted(req(['hirata'], { scope: 'author' }), 5).total).toBeGreaterThan(0);
    expect(index.searchCounted(req(['hirata'], { scope: 'title' }), 5).total).toBe(0);
    expect(index.searchCounted(req(['sejarah'], { scope: 'subject' }), 5).total).toBeGreaterThan(0);
    // a stemmed word: "programming" reaches "program", "histories" reaches "history"
    expect(index.searchCounted(req(['histories']), 5).total).toBeGreaterThan(0);
  });

  it('matches the very works the in-memory index matches for exact words (same analyser, same fields)', () => {
    const cases: SearchRequest[] = [
      req(['laskar', 'pelangi']),
      req(['pramoedya'], { scope: 'author' }),
      req(['jazz']),
      req(['history'], { scope: 'subject' }),
      req(['perl'], { scope: 'title' }),
      req(['sejarah', 'indonesia']),
      req(['python', 'perl', 'ruby'], { mode: 'any' }),
      req(['harry', 'pot']),
      req(['programming'], { filters: { library: 'UGM' } }),
    ];
    for (const c of cases) {
      const a = memory.searchCounted(c, 10_000);
      const b = index.searchCounted(c, 10_000);
      expect(b.total, JSON.stringify(c)).toBe(a.total);
      expect(b.hits.map((h) => h.id).sort((x, y) => x - y), JSON.stringify(c)).toEqual(a.hits.map((h) => h.id).sort((x, y) => x - y));
    }
    expect(memory.searchCounted(req(['jazz']), 5).total).toBeGreaterThan(20);
  });

  it('corrects typos through pg_trgm: typo neighbours, did-you-mean, known words', () => {
    expect(index.knows('laskar')).toBe(true);
    expect(index.knows('laksar')).toBe(false);
    expect(index.searchCounted(req(['laksar', 'pelangi']), 5).total).toBe(0);
    expect(index.search(req(['laksar', 'pelangi'], { typos: true }), 5).map((h) => titleOf(h.id))).toContain('Laskar pelangi');
    expect(index.suggest('laksar pelangi')).toBe('laskar pelangi');
    expect(index.suggest('laksar pelangi')).toBe(memory.suggest('laksar pelangi'));
    expect(index.suggest('pramodya')).toBe(memory.suggest('pramodya'));
    expect(index.suggest('qwxzv blorf')).toBeUndefined();
  });

  it('filters in SQL: library, availability, year, language, format; lists by filters alone; keeps the stored fields', () => {
    const all = index.searchCounted(req(['programming']), 1000);
    const ugm = index.searchCounted(req(['programming'], { filters: { library: 'UGM' } }), 1000);
    expect(ugm.total).toBeGreaterThan(0);
    expect(ugm.total).toBeLessThan(all.total);
    for (const h of ugm.hits) expect(index.stored(h.id)?.libs).toContain('UGM');
    const recent = index.searchCounted(req(['programming'], { filters: { yearFrom: 2000 } }), 1000);
    for (const h of recent.hits) expect(index.stored(h.id)?.year as number).toBeGreaterThanOrEqual(2000);
    expect(recent.total).toBe(memory.searchCounted(req(['programming'], { filters: { yearFrom: 2000 } }), 1000).total);
    const available = index.searchCounted(req(['programming'], { filters: { library: 'UGM', available: true } }), 1000);
    for (const h of available.hits) expect(index.stored(h.id)?.avail).toContain('UGM');
    const ind = index.searchCounted(req(['sejarah'], { filters: { language: 'ind' } }), 1000);
    expect(ind.total).toBe(memory.searchCounted(req(['sejarah'], { filters: { language: 'ind' } }), 1000).total);
    const listed = index.listFiltered({ library: 'UGM', yearFrom: 2005 }, 10);
    expect(listed.total).toBe(memory.listFiltered({ library: 'UGM', yearFrom: 2005 }, 10).total);
    expect(listed.hits).toHaveLength(10);
    expect(index.listFiltered({}, 10).total).toBe(0);
    const first = all.hits[0]!.id;
    expect(index.stored(first)).toEqual(JSON.parse(JSON.stringify(memory.stored(first))));
    expect(index.stored(99_999_999)).toBeUndefined();
  });

  it('ranks a common word within a bound: counted in full, the most widely held matches ranked with those found in titles too (and the home library\'s available ones), as unbounded when the matches fit', () => {
    const db = opened.database as PgDatabase;
    const catalog = opened.stores.catalog;
    const unbounded = PgFullTextIndex.open(db, catalog, { rankAtMost: 1e9 }).index;
    const jazz = req(['jazz']);
    const all = unbounded.searchCounted(jazz, 10_000);
    expect(all.total).toBeGreaterThan(20);
    // a bound the matches fit in: the very page the unbounded ranking gives
    expect(PgFullTextIndex.open(db, catalog, { rankAtMost: all.total }).index.searchCounted(jazz, 10)).toEqual(unbounded.searchCounted(jazz, 10));
    // a bound below the matches: every match still counted; ranked are the first matches in the order
    // ties are broken in (most libraries, five and more alike, then work number) and the first of
    // those with the word in a title, in score order
    const bounded = PgFullTextIndex.open(db, catalog, { rankAtMost: 8 }).index;
    const held = (id: number): number => Math.min(5, (unbounded.stored(id)?.libs as string[]).length);
    const layout = all.hits.map((h) => h.id).sort((x, y) => held(y) - held(x) || x - y);
    const titled = new Set(unbounded.searchCounted(req(['jazz'], { scope: 'title' }), 10_000).hits.map((h) => h.id));
    const firstOf = (ids: number[], pass: (id: number) => boolean): number[] => ids.slice(8).filter(pass).slice(0, 8);
    const candidates = [...layout.slice(0, 8), ...firstOf(layout, (id) => titled.has(id))];
    expect(candidates.length).toBeGreaterThan(8);
    const scoreOf = new Map(all.hits.map((h) => [h.id, h.score]));
    const byScore = (ids: number[], score: Map<number, number>): number[] => [...new Set(ids)].sort((x, y) => score.get(y)! - score.get(x)! || x - y);
    const page = bounded.searchCounted(jazz, 8);
    expect(page.total).toBe(all.total);
    expect(page.hits.map((h) => h.id)).toEqual(byScore(candidates, scoreOf).slice(0, 8));
    for (const h of page.hits) expect(h.score).toBeCloseTo(scoreOf.get(h.id)!, 5);
    // an asker's home library: its available matches are candidates too (their own first eight, beside those above)
    const home = (unbounded.stored(all.hits.find((h) => held(h.id) === 1 && (unbounded.stored(h.id)?.avail as string[]).length > 0)!.id)?.avail as string[])[0]!;
    const homeScore = new Map(unbounded.searchCounted({ ...jazz, homeLibrary: home }, 10_000).hits.map((h) => [h.id, h.score]));
    const homeCandidates = [...candidates, ...firstOf(layout, (id) => !candidates.includes(id) && (unbounded.stored(id)?.avail as string[]).includes(home))];
    expect(new Set(homeCandidates).size).toBeGreaterThan(new Set(candidates).size);
    const homePage = bounded.searchCounted({ ...jazz, homeLibrary: home }, 5);
    expect(homePage.total).toBe(all.total);
    expect(homePage.hits.map((h) => h.id)).toEqual(byScore(homeCandidates, homeScore).slice(0, 5));
    // searched inside a caller's transaction, the planner settings of the search end with it
    db.transaction(() => {
      expect(bounded.searchCounted(jazz, 8).total).toBe(all.total);
      expect(bounded.listFiltered({ library: 'UGM' }, 5).total).toBeGreaterThan(0);
      expect(db.get('SHOW enable_seqscan')).toEqual({ enable_seqscan: 'on' });
      expect(db.get('SHOW work_mem')).toEqual({ work_mem: '4MB' });
    });
  });

  it('best coverage over many words finds what the in-memory index finds, the candidates seeded by the rarest words', () => {
    // six words: "at least 2 (or 4) of them" is too many combinations for one tsquery; four words, at
    // least 3: four combinations. Seeded by the works having any of the rarest words when those are
    // rare (every word of the sample is), and with that off (rareCandidates 0) by combinations of them
    const combined = PgFullTextIndex.open(opened.database as PgDatabase, opened.stores.catalog, { rareCandidates: 0 }).index;
    const six = ['sejarah', 'indonesia', 'programming', 'jazz', 'history', 'lanark'];
    const four = ['laskar', 'pelangi', 'hirata', 'jazz'];
    for (const [words, minMatch] of [[six, 2], [six, 4], [four, 3], [four, 2]] as const) {
      const c = req([...words], { minMatch });
      const a = memory.searchCounted(c, 10_000);
      // (six words, at least four: none in the sample; the others find some)
      if (!(words === six && minMatch === 4)) expect(a.total, `${words.length}/${minMatch}`).toBeGreaterThan(0);
      for (const [how, fts] of [['rarest seed', index], ['combinations', combined]] as const) {
        const b = fts.searchCounted(c, 10_000);
        expect(b.total, `${how} ${words.length}/${minMatch}`).toBe(a.total);
        expect(b.hits.map((h) => h.id).sort((x, y) => x - y), `${how} ${words.length}/${minMatch}`).toEqual(a.hits.map((h) => h.id).sort((x, y) => x - y));
      }
    }
    expect(index.searchCounted(req(six, { minMatch: 2 }), 5).total).toBeGreaterThan(index.searchCounted(req(six, { minMatch: 4 }), 5).total);
  });

  it('matches a scoped unfinished word as the known words it begins, finding exactly what the prefix finds', () => {
    const db = opened.database as PgDatabase;
    const asPrefix = PgFullTextIndex.open(db, opened.stores.catalog, { maxCompletions: 0 }).index;
    const cases: Array<[string[], SearchRequest['scope']]> = [
      [['sej'], 'subject'],
      [['laskar', 'pel'], 'title'],
      [['pramoedya', 'ana'], 'author'],
      [['hist'], 'title'],
    ];
    for (const [terms, scope] of cases) {
      // the completions are there to be used: a few known words begin with the unfinished one
      const known = db.all<{ word: string }>('SELECT word FROM search_words WHERE word LIKE $1', [`${terms.at(-1)}%`]);
      expect(known.length, terms.join(' ')).toBeGreaterThan(0);
      expect(known.length, terms.join(' ')).toBeLessThanOrEqual(32);
      const c = req(terms, { scope });
      const a = asPrefix.searchCounted(c, 10_000);
      expect(a.total, terms.join(' ')).toBeGreaterThan(0);
      expect(index.searchCounted(c, 10_000), terms.join(' ')).toEqual(a);
      // in a title too, beside a question in every field
      const t = req(terms);
      expect(index.searchCounted(t, 10_000), terms.join(' ')).toEqual(asPrefix.searchCounted(t, 10_000));
    }
  });

  it('finds the same first matches whether they are read in the table\'s order or looked up in the indexes, and lists by filters alike walking its order or not', () => {
    const db = opened.database as PgDatabase;
    const catalog = opened.stores.catalog;
    // few matches ranked, so that which are first matters; commonTogether 0: every search the table
    // may be read in order for is (its first matches in a statement of their own)
    const looked = PgFullTextIndex.open(db, catalog, { rankAtMost: 8 }).index;
    const read = PgFullTextIndex.open(db, catalog, { rankAtMost: 8, commonTogether: 0 }).index;
    const home = catalog.libraries()[0]!.code;
    const cases = [
      req(['jazz']),
      req(['sejarah']),
      req(['laskar', 'pelangi']),
      req(['sejarah', 'indonesia']),
      req(['sejarah', 'indonesia'], { homeLibrary: home }),
      req(['programming'], { filters: { library: 'UGM' } }),
      req(['history', 'jazz'], { mode: 'any' }),
    ];
    for (const c of cases) {
      const a = looked.searchCounted(c, 8);
      expect(a.total, JSON.stringify(c)).toBeGreaterThan(0);
      expect(read.searchCounted(c, 8), JSON.stringify(c)).toEqual(a);
    }
    // filters alone: a walk of work_search_listed (a small table: always) or the planner's way (walkAtMost 0)
    const sorted = PgFullTextIndex.open(db, catalog, { walkAtMost: 0 }).index;
    for (const f of [{ library: 'UGM' }, { language: 'ind' }, { library: 'UGM', yearFrom: 2000 }, { format: 'book' }]) {
      const a = sorted.listFiltered(f, 5);
      expect(a.total, JSON.stringify(f)).toBeGreaterThan(5);
      expect(index.listFiltered(f, 5), JSON.stringify(f)).toEqual(a);
      expect(a.total, JSON.stringify(f)).toBe(memory.listFiltered(f, 5).total);
    }
  });

  it('estimates a total past its bound on a sample of the table and says so; below it, counts', () => {
    const db = opened.database as PgDatabase;
    const catalog = opened.stores.catalog;
    const exact = memory.searchCounted(req(['jazz']), 5).total;
    expect(exact).toBeGreaterThan(20);
    // few matches ranked, so that the total is counted apart; the sample table is small enough to be sampled whole
    const estimating = PgFullTextIndex.open(db, catalog, { rankAtMost: 5, estimateFrom: 10 }).index;
    const found = estimating.searchCounted(req(['jazz']), 5);
    expect(found.hits).toHaveLength(5);
    expect(found).toMatchObject({ total: twoSignificantDigits(exact), estimated: true });
    const counting = PgFullTextIndex.open(db, catalog, { rankAtMost: 5, estimateFrom: exact + 1 }).index;
    const counted = counting.searchCounted(req(['jazz']), 5);
    expect(counted.total).toBe(exact);
    expect(counted.estimated).toBeUndefined();
    // filters alone, the same
    const ugm = memory.listFiltered({ library: 'UGM' }, 5).total;
    expect(ugm).toBeGreaterThan(10);
    expect(estimating.listFiltered({ library: 'UGM' }, 5)).toMatchObject({ total: twoSignificantDigits(ugm), estimated: true });
    expect(counting.listFiltered({ library: 'UGM' }, 5).estimated).toBeUndefined();
    // and the asker is told it is an estimate, in their language
    const libraries = catalog.libraries().map((l) => ({ code: l.code, name: l.name, aliases: [], lends: true }));
    const en = answerQuestion({ store: catalog, index: estimating, libraries }, 'do you have books about jazz?');
    expect(en.totalEstimated).toBe(true);
    expect(renderAnswer(en)).toContain(`About ${en.total.toLocaleString('en-US')} works found for`);
    const id = answerQuestion({ store: catalog, index: estimating, libraries }, 'ada buku tentang jazz?');
    expect(renderAnswer(id)).toContain(`Sekitar ${id.total.toLocaleString('id-ID')} karya ditemukan untuk`);
    const plain = answerQuestion({ store: catalog, index: counting, libraries }, 'do you have books about jazz?');
    expect(plain.totalEstimated).toBeUndefined();
    expect(renderAnswer(plain)).not.toContain('About');
    expect(twoSignificantDigits(111_437)).toBe(110_000);
    expect(twoSignificantDigits(10_450)).toBe(10_000);
    expect(twoSignificantDigits(87)).toBe(87);
  });

  it('follows the catalog: works a later ingest adds or changes are found at the next open (caught up, not rebuilt)', async () => {
    expect(index.listFiltered({ library: 'KO' }, 5).total).toBe(0);
    const lanark = index.search(req(['lanark']), 5)[0]!.id;
    expect(index.stored(lanark)?.libs).toEqual(['UGM']);
    await ok(['ingest', '--library', 'KO', '--name', 'Koha sample', '--data-dir', sample.dataDir, path.join(marcFixtures(), 'koha')], url, undefined);
    const again = PgFullTextIndex.open(opened.database as PgDatabase, opened.stores.catalog);
    expect(again.how).toBe('caught-up');
    expect(again.seq).toBe(opened.stores.catalog.currentSeq());
    const fresh = buildIndex(opened.stores.catalog);
    // a work Koha's sample shares with UGM: now held by both
    expect(again.index.stored(lanark)?.libs).toEqual(fresh.stored(lanark)?.libs);
    expect(again.index.stored(lanark)?.libs).toContain('KO');
    // Koha's works, as a fresh in-memory index of the catalog has them
    const ko = again.index.listFiltered({ library: 'KO' }, 5).total;
    expect(ko).toBeGreaterThan(100);
    expect(ko).toBe(fresh.listFiltered({ library: 'KO' }, 5).total);
    for (const c of [req(['programming']), req(['history'], { scope: 'subject' }), req(['lanark'])]) {
      expect(again.index.searchCounted(c, 5).total).toBe(fresh.searchCounted(c, 5).total);
    }
    // the words the new works brought are known (typo correction and did-you-mean see them)
    expect(again.index.knows('lanark')).toBe(true);
    expect(PgFullTextIndex.open(opened.database as PgDatabase, opened.stores.catalog).how).toBe('loaded');
    index = again.index;
    memory = fresh;
  });

  it('answers jala ask --batch with JALA_SEARCH_INDEX=postgres sensibly, mostly as the in-memory index does', async () => {
    const input = `${QUESTIONS.join('\n')}\n`;
    type Answer = { total?: number; results?: Array<{ title: string; workId: number }> };
    const parse = (out: string): Answer[] => out.trim().split('\n').map((l) => JSON.parse(l) as Answer);
    const pg = parse((await ok(['ask', '--batch', '--json', '--data-dir', sample.dataDir], url, 'postgres', input)).stdout);
    const mem = parse((await ok(['ask', '--batch', '--json', '--data-dir', sample.dataDir], url, undefined, input)).stdout);
    expect(pg).toHaveLength(QUESTIONS.length);
    const firstTitle = (q: string): string | undefined => pg[QUESTIONS.indexOf(q)]?.results?.[0]?.title;
    expect(firstTitle('laskar pelangi')).toMatch(/^Laskar pelangi/);
    expect(firstTitle('laksar pelangi')).toMatch(/^Laskar pelangi/);
    expect(firstTitle('9789793062792')).toMatch(/^Laskar pelangi/);
    expect(firstTitle('who has the rainbow troops')).toMatch(/^The rainbow troops/);
    expect(firstTitle('apakah ada bumi manusia di UGM?')).toMatch(/^Bumi manusia/);
    expect(pg[QUESTIONS.indexOf('qwxzv blorf')]?.results ?? []).toHaveLength(0);
    expect(pg.filter((a) => (a.results?.length ?? 0) > 0).length).toBe(mem.filter((a) => (a.results?.length ?? 0) > 0).length);
    // the same works match; the order may differ (ts_rank is not MiniSearch's BM25), but the first
    // answer through PostgreSQL is one of the in-memory index's first three
    for (const [i, a] of pg.entries()) {
      expect(a.total, QUESTIONS[i]).toBe(mem[i]?.total);
      const first = a.results?.[0]?.workId;
      if (first !== undefined) expect(mem[i]?.results?.slice(0, 3).map((r) => r.workId), QUESTIONS[i]).toContain(first);
    }
    // the setting is checked
    const bad = await jala(['ask', '--batch', '--data-dir', sample.dataDir], url, 'elastic', 'x\n');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('JALA_SEARCH_INDEX must be memory or postgres');
  });

  it('tells a role that may not create the pg_trgm extension what the DBA must run (no crash, no stack)', async () => {
    const admin = new PgDatabase(postgres().adminUrl);
    try {
      admin.exec('CREATE ROLE reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE');
      // the database is the administrator's: the role may make tables in its schema, not extensions in it
      admin.exec('CREATE DATABASE jala_reader');
    } finally {
      admin.close();
    }
    const db = new PgDatabase(postgres().adminUrl.replace(/\/postgres$/, '/jala_reader'));
    try {
      db.exec('GRANT ALL ON SCHEMA public TO reader');
    } finally {
      db.close();
    }
    const readerUrl = postgres().adminUrl.replace('//jala@', '//reader@').replace(/\/postgres$/, '/jala_reader');
    const dataDir = tempDir('jala-pgfts-reader-');
    fs.copyFileSync(sample.configPath, path.join(dataDir, 'consortium.json'));
    const r = await jala(['ask', '--batch', '--data-dir', dataDir], readerUrl, 'postgres', 'laskar pelangi\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('CREATE EXTENSION pg_trgm;');
    expect(r.stderr).toContain('jala_reader');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // the in-memory index still serves that role
    await ok(['ask', '--batch', '--data-dir', dataDir], readerUrl, undefined, 'laskar pelangi\n');
  });
});
