import type { SearchFilters, SearchHit, SearchRequest, SearchResults } from './minisearch-index.ts';

/**
 * The works index as answers and the catalog server query it (the port; the implementation is
 * MiniSearchIndex in ./minisearch-index.ts). Maintenance (build, catch-up, save, load) stays with
 * the implementation and src/search/catalog-index.ts.
 */
export interface SearchIndex {
  search(req: SearchRequest, limit: number): SearchHit[];
  /** the best `limit` hits and how many works match in all */
  searchCounted(req: SearchRequest, limit: number): SearchResults;
  /** every work passing the filters: the most widely held first, then the newest */
  listFiltered(filters: SearchFilters, limit: number): SearchResults;
  /** the stored fields of a work as the index keeps them (undefined when it is not in the index) */
  stored(id: number): Readonly<Record<string, unknown>> | undefined;
  /** the index has this exact term in a title, author, subject or series */
  knows(term: string): boolean;
  /** the question with unknown words replaced by their closest known words, if any */
  suggest(text: string): string | undefined;
}
