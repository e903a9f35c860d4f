import type { MarcRecord } from '../marc/marc-record.ts';
import type { RecordWarning } from './record-warning.ts';
import type { Item, RecordDocument } from './record-document.ts';
import type { WorkDocument } from './work-document.ts';

export type KeyKind = 'isbn' | 'isbn10' | 'id' | 'title' | 'issn' | 'oclc' | 'isbnx';

export interface RecordMeta {
  id: string;
  library: string;
  workId: number;
  hash: string;
}

export interface NewRecordRow {
  doc: RecordDocument;
  /** `doc` already serialised (as a worker thread sends it), to save a JSON.stringify */
  docJson?: string;
  /**
   * the MARC record, or `storedMarc`: the form it is stored in, either its JSON or the ISO 2709 bytes
   * it was read from (parsed again on reading: storedMarcRecord in src/marc/stored-marc.ts)
   */
  marc?: MarcRecord;
  storedMarc?: string | Uint8Array;
  hash: string;
  workId: number;
  sourceFormat: 'iso2709' | 'marcxml';
  encoding: 'utf8' | 'marc8';
  encodingMismatch: boolean;
  matchedBy: string | null;
  /** stored as JSON `[{code, message}]` */
  warnings: RecordWarning[];
  now: string;
}

export interface Candidate {
  recordId: string;
  library: string;
  workId: number;
}

export interface HoldingItem extends Item {
  recordId: string;
}

export interface LibraryRow {
  code: string;
  name: string;
}

export interface CatalogStats {
  libraries: number;
  records: number;
  works: number;
  items: number;
  availableItems: number;
  /** records per work: 1 means no duplicates were merged */
  dedupRatio: number;
  /** works held by more than one library */
  sharedWorks: number;
  perLibrary: Array<{ library: string; name: string; records: number; items: number; availableItems: number; lastIngest: string | null }>;
}

/**
 * What a catalog holds, as digests that are equal for two catalogs holding the same works (named by
 * their first member record, not by number), member records and holdings: `jala stats --digest`.
 */
export interface CatalogDigest {
  works: number;
  records: number;
  items: number;
  /** sha256 over the three parts */
  digest: string;
  parts: { works: string; records: string; holdings: string };
}

/**
 * The union catalog's store (the port; the SQLite implementation is src/store/sqlite-catalog-store.ts): libraries, records with their keys and items, works, and the change sequence the search index follows. Synchronous: ingest and dedup run inside one write transaction per batch.
 */
/**
 * Where a catalog can be opened again by another thread (see CatalogStore.sharedSource): a SQLite
 * data directory. A PostgreSQL catalog has none: pg-native's libpq addon is not context-aware, so it
 * cannot be loaded in a worker thread ("Module did not self-register"), and its index builds in the
 * opening thread.
 */
export type CatalogSource = { kind: 'sqlite'; dataDir: string };

export interface CatalogStore {
  /** Settings for a long run of writes (an ingest) until the function returned is called; durability unchanged. */
  tuneForBulkWrites(): () => void;
  /** Background housekeeping of a long run of writes (SQLite: WAL checkpoints from a thread) until the function returned is called. */
  checkpointInBackground(): () => void;
  /** one write transaction: all of `fn`'s writes, or none */
  transaction<T>(fn: () => T): T;
  /**
   * Where another thread can open this catalog read-only and see exactly what this store has
   * committed (the search index builds there): a SQLite data directory, or undefined when it cannot
   * (an in-memory catalog, uncommitted writes in progress, or a PostgreSQL catalog: see CatalogSource).
   */
  sharedSource(): CatalogSource | undefined;
  ensureLibrary(code: string, name: string | undefined, now: string): void;
  libraries(): LibraryRow[];
  recordMeta(id: string): RecordMeta | undefined;
  recordDoc(id: string): RecordDocument | undefined;
  /**
   * A record's document as the ingest stored it, without validating it again: for deduplication and
   * merging, which read several stored documents per record ingested (every document was validated
   * when it was mapped, and only the ingest writes them).
   */
  storedRecordDoc(id: string): RecordDocument | undefined;
  /** storedRecordDoc of many records at once (one query where the store can): the documents found, by id. */
  storedRecordDocs(ids: readonly string[]): Map<string, RecordDocument>;
  recordMarc(id: string): MarcRecord | undefined;
  /** Inserts or replaces a record with its keys and items. */
  putRecord(row: NewRecordRow, existing: boolean): void;
  setRecordWork(recordId: string, workId: number, matchedBy: string | null): void;
  deleteRecord(id: string): void;
  recordIdsOfLibrary(library: string): string[];
  recordDocsOfWork(workId: number): RecordDocument[];
  recordIdsOfWork(workId: number): { id: string; library: string }[];
  createWork(): number;
  saveWork(doc: WorkDocument, seq: number): void;
  deleteWork(id: number, seq: number): void;
  work(id: number): WorkDocument | undefined;
  /** Does the work hold a record of this library (other than `exceptRecord`)? A work holds one record per library. */
  workHasLibrary(workId: number, library: string, exceptRecord?: string): boolean;
  workSize(workId: number): number;
  /** Records of other libraries sharing a key, for dedup. */
  candidates(kind: KeyKind, key: string, excludeLibrary: string, limit?: number): Candidate[];
  /**
   * Records of other libraries sharing any of the keys, for dedup, in one query: for each key (as
   * `kind\u0000key`) the candidates in the order `candidates` gives them (record id), at most `limit`.
   */
  candidatesForKeys(keys: ReadonlyArray<readonly [KeyKind, string]>, excludeLibrary: string, limit?: number): Map<string, Candidate[]>;
  /** Works having a record with this key (ISBN, ISSN, OCLC… lookups). */
  worksByKey(kind: KeyKind, key: string): number[];
  workOfRecord(recordId: string): number | undefined;
  itemsOfWork(workId: number): HoldingItem[];
  meta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** A new change sequence number; call inside the transaction whose work changes it stamps. */
  nextSeq(): number;
  currentSeq(): number;
  worksDeletedSince(seq: number): number[];
  /** A random id given to this database when created: a persisted index built from another database is stale. */
  catalogId(): string;
  /** Is a write transaction of this connection open (an ingest between two batches)? Its changes are not committed yet. */
  inTransaction(): boolean;
  /** work id → library codes with at least one available item, for the whole catalog. */
  availableLibrariesByWork(): Map<number, string[]>;
  availableLibrariesOfWork(workId: number): string[];
  workCount(): number;
  /** works changed after the sequence number, one at a time */
  worksChangedSince(seq: number): IterableIterator<WorkDocument>;
  /** every work, one at a time */
  allWorks(): IterableIterator<WorkDocument>;
  /**
   * allWorks as the stored JSON texts, not yet parsed nor checked: for a reader that parses and
   * checks them elsewhere (the index build hands them to its worker thread).
   */
  allWorkTexts(): IterableIterator<string>;
  /** Works holding this library's records together with another library's. */
  sharedWorksOfLibrary(library: string): number;
  startIngestRun(library: string, now: string): number;
  finishIngestRun(id: number, now: string, summary: unknown): void;
  stats(): CatalogStats;
  /** The catalog's content digest (a full read of works, records and items). */
  digest(): CatalogDigest;
}
