/**
 * The PostgreSQL full-text SearchIndex at a scale `jala bench --store postgres` cannot reach in time
 * (its ingest into PostgreSQL is record by record): on a kept SQLite bench catalog (`jala bench --keep
 * DIR`, then a copy of DIR: the SQLite file is opened), the index is built in a PostgreSQL database
 * from that catalog, and the bench's questions are answered twice, through the saved in-memory index
 * and through the full-text one; the catalog's own reads stay in SQLite, so the difference is the
 * search. Prints latency and, per kind, answered and same-first-result beside the in-memory index.
 *
 *   npx tsx test/bench/full-text-at-scale.ts <copy of a --keep dir> <postgres admin URL> <database name> [rebuild]
 *
 * DIFF=1 also lists the questions whose first results differ; SLOW=n lists the n slowest questions
 * through PostgreSQL with their statements' times; RANK_AT_MOST=n ranks at most n matches per search
 * (default: the index's own bound); UNBOUNDED=1 answers the questions a third time ranking every
 * match and prints, per kind, how often the bounded first result is the unbounded one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/store/open-database.ts';
import { SqliteCatalogStore } from '../../src/store/sqlite-catalog-store.ts';
import { openPgDatabase, PgDatabase } from '../../src/store-postgres/pg-database.ts';
import { PgFullTextIndex } from '../../src/store-postgres/pg-full-text-index.ts';
import { MiniSearchIndex } from '../../src/search/minisearch-index.ts';
import { answerQuestion } from '../../src/answer/answer-question.ts';
import { percentile } from './percentile.ts';
import type { SearchIndex } from '../../src/search/search-index.ts';
const [keep, admin, dbname, rebuild] = process.argv.slice(2) as [string, string, string, string?];
const cat = fs.readdirSync(keep).find((d) => d.startsWith('catalog-'))!;
const manifest = JSON.parse(fs.readFileSync(path.join(keep, cat, 'manifest.json'), 'utf8'));
const dataDir = path.join(keep, 'data');
const sdb = openDatabase(dataDir, { readonly: true });
const store = new SqliteCatalogStore(sdb);
const a = new PgDatabase(admin);
if (!a.get('SELECT 1 FROM pg_database WHERE datname = $1', [dbname])) a.exec(`CREATE DATABASE ${dbname}`);
a.close();
const pg = openPgDatabase(admin.replace(/\/[^/]*$/, `/${dbname}`));
let t = performance.now();
const rankAtMost = process.env.RANK_AT_MOST ? { rankAtMost: Number(process.env.RANK_AT_MOST) } : {};
const opened = PgFullTextIndex.open(pg, store, { ...rankAtMost, rebuild: rebuild === 'rebuild', onProgress: (p) => { if (p.done % 100000 === 0) console.error(`build ${p.done}/${p.total} ${((performance.now() - t) / 1000).toFixed(0)} s`); } });
console.log(`pg full-text index: ${opened.how} in ${((performance.now() - t) / 1000).toFixed(1)} s; table ${pg.get<{ s: string }>("SELECT pg_size_pretty(pg_total_relation_size('work_search')) AS s")!.s}, words ${pg.get<{ n: number }>('SELECT count(*) AS n FROM search_words')!.n}`);
t = performance.now();
const mem = MiniSearchIndex.load(dataDir)!.index;
console.log(`in-memory index loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const libraries = store.libraries().map((l) => ({ code: l.code, name: l.name, aliases: [], lends: true }));
// each PostgreSQL statement timed, for SLOW
let statements: Array<{ ms: number; sql: string; params: readonly unknown[] }> = [];
const pgAll = pg.all.bind(pg);
pg.all = <T,>(sql: string, params: readonly unknown[] = []): T[] => {
  const t0 = performance.now();
  const r = pgAll<T>(sql, params);
  statements.push({ ms: performance.now() - t0, sql, params });
  return r;
};
const run = (index: SearchIndex) => {
  for (const q of manifest.warmupQuestions) answerQuestion({ store, index, libraries }, q.text);
  const lat: number[] = []; const ans: string[] = []; const sqls: Array<typeof statements> = []; const estimated: boolean[] = [];
  for (const q of manifest.questions) {
    statements = [];
    const t0 = performance.now();
    const r = answerQuestion({ store, index, libraries }, q.text);
    lat.push(performance.now() - t0);
    sqls.push(statements);
    ans.push(`${r.step} ${r.total} ${r.results.map((x) => x.workId).join(',')}`);
    estimated.push(r.totalEstimated === true);
  }
  return { lat, ans, sqls, estimated };
};
const m = run(mem); const p = run(opened.index);
const NOTHING = new Set(['nonsense', 'bad-isbn']);
const found = (a: string) => !/^\S+ 0 /.test(a);
const first = (a: string) => a.split(' ')[2]?.split(',')[0] ?? '';
const qs = manifest.questions as Array<{ kind: string; text: string }>;
const right = (a: string, i: number) => (NOTHING.has(qs[i]!.kind) ? !found(a) : found(a));
const f = (x: number) => x.toFixed(1);
console.log(`memory p50/p95/p99 ${f(percentile(m.lat, 50))}/${f(percentile(m.lat, 95))}/${f(percentile(m.lat, 99))} ms; pg ${f(percentile(p.lat, 50))}/${f(percentile(p.lat, 95))}/${f(percentile(p.lat, 99))} ms (max ${f(Math.max(...p.lat))})`);
console.log('| kind | n | answered memory | answered pg | same first | memory p50/p99 ms | pg p50/p99 ms |');
console.log('|---|---|---|---|---|---|---|');
for (const kind of new Set(qs.map((q) => q.kind))) {
  const at = qs.flatMap((q, i) => (q.kind === kind ? [i] : []));
  const pct = (ok: (i: number) => boolean) => `${Math.round((100 * at.filter(ok).length) / at.length)} %`;
  console.log(`| ${kind} | ${at.length} | ${pct((i) => right(m.ans[i]!, i))} | ${pct((i) => right(p.ans[i]!, i))} | ${pct((i) => first(m.ans[i]!) === first(p.ans[i]!))} | ${f(percentile(at.map((i) => m.lat[i]!), 50))}/${f(percentile(at.map((i) => m.lat[i]!), 99))} | ${f(percentile(at.map((i) => p.lat[i]!), 50))}/${f(percentile(at.map((i) => p.lat[i]!), 99))} |`);
}
const all = qs.map((_, i) => i);
console.log(`all: answered memory ${Math.round(100 * all.filter((i) => right(m.ans[i]!, i)).length / all.length)} %, pg ${Math.round(100 * all.filter((i) => right(p.ans[i]!, i)).length / all.length)} %, same first ${Math.round(100 * all.filter((i) => first(m.ans[i]!) === first(p.ans[i]!)).length / all.length)} %`);
// totals the full-text index estimated, against the in-memory index's exact count of the same question (same step: the same search)
const est = all.filter((i) => p.estimated[i] && m.ans[i]!.split(' ')[0] === p.ans[i]!.split(' ')[0]);
const errors = est.map((i) => Math.abs(Number(p.ans[i]!.split(' ')[1]) / Number(m.ans[i]!.split(' ')[1]) - 1) * 100);
console.log(`estimated totals: ${all.filter((i) => p.estimated[i]).length} questions; against the in-memory count (${est.length} on the same step): error median ${f(percentile(errors, 50))} %, max ${f(errors.length ? Math.max(...errors) : 0)} %`);
if (process.env.DIFF) qs.forEach((q, i) => { if (first(m.ans[i]!) !== first(p.ans[i]!)) console.log(`≠ [${q.kind}] ${q.text}\n   mem ${m.ans[i]!.slice(0, 80)}\n   pg  ${p.ans[i]!.slice(0, 80)}`); });
if (process.env.SLOW) {
  // EXPLAIN=1: the slowest statement of each again, under EXPLAIN (ANALYZE, BUFFERS)
  const order = qs.map((_, i) => i).sort((x, y) => p.lat[y]! - p.lat[x]!).slice(0, Number(process.env.SLOW));
  for (const i of order) {
    console.log(`${f(p.lat[i]!)} ms [${qs[i]!.kind}] ${qs[i]!.text}`);
    for (const st of p.sqls[i]!) if (st.ms >= 5) console.log(`   ${f(st.ms)} ms ${st.sql.replace(/\s+/g, ' ').slice(0, 200)} ${JSON.stringify(st.params).slice(0, 300)}`);
    const worst = [...p.sqls[i]!].sort((x, y) => y.ms - x.ms)[0];
    if (process.env.EXPLAIN && worst) for (const r of pgAll<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${worst.sql}`, worst.params)) console.log(`      ${r['QUERY PLAN']}`);
  }
}
if (process.env.UNBOUNDED) {
  const u = run(PgFullTextIndex.open(pg, store, { rankAtMost: 1e9 }).index);
  console.log(`unbounded pg p50/p95/p99 ${f(percentile(u.lat, 50))}/${f(percentile(u.lat, 95))}/${f(percentile(u.lat, 99))} ms`);
  console.log('| kind | n | same first bounded/unbounded | same total | unbounded same first as memory |');
  console.log('|---|---|---|---|---|');
  for (const kind of new Set(qs.map((q) => q.kind))) {
    const at = qs.flatMap((q, i) => (q.kind === kind ? [i] : []));
    const pct = (ok: (i: number) => boolean) => `${Math.round((100 * at.filter(ok).length) / at.length)} %`;
    console.log(`| ${kind} | ${at.length} | ${pct((i) => first(u.ans[i]!) === first(p.ans[i]!))} | ${pct((i) => u.ans[i]!.split(' ')[1] === p.ans[i]!.split(' ')[1])} | ${pct((i) => first(u.ans[i]!) === first(m.ans[i]!))} |`);
  }
  if (process.env.DIFF) qs.forEach((q, i) => { if (first(u.ans[i]!) !== first(p.ans[i]!)) console.log(`≠unbounded [${q.kind}] ${q.text}\n   unb ${u.ans[i]!.slice(0, 80)}\n   pg  ${p.ans[i]!.slice(0, 80)}`); });
}
pg.close(); sdb.close();
