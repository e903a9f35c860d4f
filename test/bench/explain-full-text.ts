/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements the PostgreSQL full-text index runs for one search
 * request (a scratch tool for test/bench/full-text-at-scale.ts's slow questions):
 *
 *   npx tsx test/bench/explain-full-text.ts <database URL> '<SearchRequest JSON>' [limit]
 */
import { PgDatabase } from '../../src/store-postgres/pg-database.ts';
import { PgFullTextIndex } from '../../src/store-postgres/pg-full-text-index.ts';
import type { CatalogStore } from '../../src/catalog/catalog-store.ts';
import type { SearchRequest } from '../../src/search/minisearch-index.ts';

const [url, request, limit] = process.argv.slice(2) as [string, string, string?];
const db = new PgDatabase(url);
const state = new Map(db.all<{ key: string; value: string }>('SELECT key, value FROM search_state').map((r) => [r.key, r.value]));
// the tables as they are: a store that says they are up to date
const store = { catalogId: () => state.get('catalog_id'), currentSeq: () => Number(state.get('seq')) } as unknown as CatalogStore;
const index = PgFullTextIndex.open(db, store, process.env.RANK_AT_MOST ? { rankAtMost: Number(process.env.RANK_AT_MOST) } : {}).index;
const all = db.all.bind(db);
db.all = <T,>(sql: string, params: readonly unknown[] = []): T[] => {
  const t0 = performance.now();
  const rows = all<T>(sql, params);
  const ms = performance.now() - t0;
  console.log(`-- ${ms.toFixed(1)} ms: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
  if (ms >= Number(process.env.EXPLAIN_FROM ?? 5)) for (const r of all<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) console.log(r['QUERY PLAN']);
  return rows;
};
const t0 = performance.now();
const r = index.searchCounted(JSON.parse(request) as SearchRequest, Number(limit ?? 200));
console.log(`total ${r.total}, ${r.hits.length} hits, ${(performance.now() - t0).toFixed(1)} ms`);
db.close();
