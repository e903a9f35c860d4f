/**
 * The OAI-PMH provider's own state: one item per work it has ever served, with its datestamp,
 * whether it is deleted, and the sets it is (or was) in. Kept up to date with the catalog by
 * `sync`, which compares the works changed since the last sync with what was served before.
 * The SQLite implementation is src/store/sqlite-oai-store.ts.
 */

export interface OaiItem {
  workId: number;
  /** UTC, seconds: YYYY-MM-DDThh:mm:ssZ */
  datestamp: string;
  /** gone from the repository, or (in a set's list) gone from that set */
  deleted: boolean;
}

export interface OaiListQuery {
  /** a setSpec; absent: the whole repository */
  set?: string;
  /** inclusive bounds, YYYY-MM-DDThh:mm:ssZ */
  from?: string;
  until: string;
  /** the last item of the previous page: the list continues after it */
  after?: { datestamp: string; workId: number };
  limit: number;
}

export interface OaiSyncResult {
  /** works whose datestamp moved (new, changed, back again) */
  changed: number;
  /** works that became deleted */
  deleted: number;
  /** the catalog change this reflects */
  seq: number;
}

export interface OaiSet {
  spec: string;
  label: string;
}

export interface OaiItemStore {
  /**
   * Brings the items up to date with the catalog, stamping what changed with `now`. 'busy' when
   * another writer holds the database (the items then stay as they were: consistent, a little behind).
   */
  sync(now: string, opts?: { waitMs?: number }): OaiSyncResult | 'busy';
  /** true when the catalog changed since the last sync */
  behind(): boolean;
  item(workId: number): OaiItem | undefined;
  /** items in (datestamp, work id) order */
  list(q: OaiListQuery): OaiItem[];
  count(q: Omit<OaiListQuery, 'after' | 'limit'>): number;
  /** the sets of each item: current ones, and for deleted items the ones they were in */
  setsOf(items: readonly OaiItem[]): Map<number, string[]>;
  sets(): OaiSet[];
  hasSet(spec: string): boolean;
  /** the oldest datestamp, or undefined when nothing was ever served */
  earliestDatestamp(): string | undefined;
}
