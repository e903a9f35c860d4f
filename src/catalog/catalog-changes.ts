/**
 * Word that the catalog changed, for a running Jala whose search index must follow changes made
 * elsewhere: another replica's scheduled harvest, a `jala ingest` beside the running bot. The index
 * itself catches up by the change sequence (src/search/catalog-index.ts); this only says when to look.
 *
 * Implementations: polling the change sequence (./polled-catalog-changes.ts, SQLite and a safety net),
 * PostgreSQL LISTEN/NOTIFY (src/store-postgres/pg-catalog-changes.ts).
 */
export interface CatalogChanges {
  /**
   * Calls `onChange` after the catalog may have changed, until the returned function is called. A call
   * may be late, repeated or spurious: the listener compares change sequence numbers itself.
   */
  watch(onChange: () => void): () => void;
}
