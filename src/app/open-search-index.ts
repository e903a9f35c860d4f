import { z } from 'zod';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { openCatalogIndex, type IndexProgress, type OpenedIndex } from '../search/catalog-index.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { StoreError } from '../store/open-database.ts';
import type { PgDatabase } from '../store-postgres/pg-database.ts';
import { PgFullTextIndex } from '../store-postgres/pg-full-text-index.ts';

/**
 * Which SearchIndex answers questions: JALA_SEARCH_INDEX=memory (the default: MiniSearch in each
 * replica's memory, saved in the data directory's index/) or =postgres (PostgreSQL full-text search
 * in the JALA_DATABASE_URL database, for catalogs past one replica's memory).
 */
export type SearchIndexKind = 'memory' | 'postgres';

const Kind = z.enum(['memory', 'postgres']);

/** JALA_SEARCH_INDEX, checked; `postgres` only with JALA_DATABASE_URL. */
export function searchIndexKindOf(env: NodeJS.ProcessEnv, hasDatabase: boolean): SearchIndexKind {
  const raw = env.JALA_SEARCH_INDEX?.trim();
  if (raw === undefined || raw === '') return 'memory';
  const parsed = Kind.safeParse(raw.toLowerCase());
  if (!parsed.success) throw new StoreError('store/unusable-data-dir', `JALA_SEARCH_INDEX must be memory or postgres, not ${JSON.stringify(raw)}`);
  if (parsed.data === 'postgres' && !hasDatabase) {
    throw new StoreError('store/unusable-data-dir', 'JALA_SEARCH_INDEX=postgres searches the PostgreSQL catalog: set JALA_DATABASE_URL too');
  }
  return parsed.data;
}

/** An index opened and brought up to date with the catalog, whichever kind. */
export interface OpenedSearchIndex {
  index: SearchIndex & { forgetSearches?(): void };
  how: OpenedIndex['how'];
  seq: number;
}

/**
 * The configured index, up to date with the catalog: the in-memory one loaded (or built) from the
 * data directory, or the PostgreSQL one caught up in its database (or built there).
 */
export function openSearchIndex(
  kind: SearchIndexKind,
  store: CatalogStore,
  dataDir: string,
  database: PgDatabase | undefined,
  opts: { onProgress?: (p: IndexProgress) => void; rebuild?: boolean } = {},
): OpenedSearchIndex {
  if (kind === 'postgres') {
    if (!database) throw new StoreError('store/unusable-data-dir', 'JALA_SEARCH_INDEX=postgres searches the PostgreSQL catalog: set JALA_DATABASE_URL too');
    return PgFullTextIndex.open(database, store, opts);
  }
  return openCatalogIndex(store, dataDir, opts);
}
