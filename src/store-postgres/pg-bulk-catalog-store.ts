/**
 * The catalog store of a PostgreSQL bulk load (src/store-postgres/pg-bulk-catalog.ts): what the bulk
 * path's loader writes (records with their keys and items, works, libraries, ingest runs) goes into the
 * staging schema's tables by COPY FROM STDIN, buffered in COPY's binary format (pg-copy-binary.ts) and
 * sent a few megabytes at a time, instead of one INSERT per row. Ids are given here (works and items numbered in the order the
 * per-record path's identity columns would number them); libraries and ingest runs wait in memory for
 * the swap. Only the calls the bulk path makes (ingestMarcFiles with a BulkWorkPlacer) are served: every
 * record is new, nothing is deduplicated through the store; any other call is a programming error.
 */
import type { CatalogDigest, CatalogSource, CatalogStats, CatalogStore, Candidate, HoldingItem, LibraryRow, NewRecordRow, RecordMeta } from '../catalog/catalog-store.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import type { WorkDocument } from '../catalog/work-document.ts';
import type { MarcRecord } from '../marc/marc-record.ts';
import { recordKeys } from '../store/sqlite-catalog-store.ts';
import { textArray, type PgDatabase } from './pg-database.ts';
import { BinaryCopyRows, type BinaryCell, type BinaryColumnType } from './pg-copy-binary.ts';

/** Buffered COPY rows sent once they are this large (all tables together). */
const FLUSH_BYTES = 8 << 20;

/** The staging tables written, with their columns in COPY order and the types the binary rows give them. */
export const COPY_COLUMNS = {
  records: {
    columns: ['id', 'library', 'local_id', 'work_id', 'hash', 'doc', 'marc', 'marc_iso2709', 'source_format', 'encoding', 'encoding_mismatch', 'matched_by', 'warnings', 'created_at', 'updated_at'],
    types: ['text', 'text', 'text', 'int8', 'text', 'text', 'text', 'bytea', 'text', 'text', 'int4', 'text', 'text', 'text', 'text'],
  },
  record_keys: { columns: ['kind', 'key', 'record_id'], types: ['text', 'text', 'text'] },
  items: {
    columns: ['id', 'record_id', 'library', 'branch', 'location', 'call_number', 'barcode', 'item_type', 'status', 'due_date', 'note'],
    types: ['int8', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
  },
  works: { columns: ['id', 'doc', 'record_count', 'library_count', 'seq'], types: ['int8', 'text', 'int4', 'int4', 'int8'] },
  works_regrown: { columns: ['id', 'doc', 'record_count', 'library_count', 'seq'], types: ['int8', 'text', 'int4', 'int4', 'int8'] },
} as const satisfies Record<string, { columns: readonly string[]; types: readonly BinaryColumnType[] }>;

type CopyTable = keyof typeof COPY_COLUMNS;

export interface BufferedIngestRun {
  library: string;
  startedAt: string;
  finishedAt: string | null;
  summary: string | null;
}

export class PgBulkCatalogStore implements CatalogStore {
  private readonly buffers = new Map<CopyTable, BinaryCopyRows>();
  private lastWork = 0;
  private lastItem = 0;
  /** works saved once (a second save, by the placer's finish, goes to works_regrown) */
  private readonly saved = new Set<number>();
  /** libraries to register at the swap: code → the name given (undefined: the code, when new) and when first seen */
  readonly librariesSeen = new Map<string, { name: string | undefined; now: string }>();
  readonly runs: BufferedIngestRun[] = [];
  /** records and items written (for the checks after loading) */
  records = 0;

  /**
   * @param seq the change sequence number every work of the new catalog is stamped with (the live one's next)
   * @param beforeReadBack called once before the first read of records back (the staging records' primary key is built then)
   */
  constructor(
    private readonly db: PgDatabase,
    private readonly schema: string,
    private readonly seq: number,
    private readonly beforeReadBack: () => void,
  ) {}

  /** some work was saved twice (it grew after the batch that opened it): its last save is in works_regrown */
  regrown = false;
  private readBackReady = false;

  private push(table: CopyTable, cells: readonly BinaryCell[]): void {
    let rows = this.buffers.get(table);
    if (!rows) this.buffers.set(table, (rows = new BinaryCopyRows(COPY_COLUMNS[table].types)));
    rows.row(cells);
  }

  /** bytes of rows gathered and not yet sent, all tables together */
  private get buffered(): number {
    let n = 0;
    for (const rows of this.buffers.values()) n += rows.size;
    return n;
  }

  /**
   * Sends the table with the most rows buffered, by a COPY sent ahead (PgDatabase.copyAhead): the
   * server stores them while the loader prepares the next batches, and the next statement waits for
   * it. One table at a time, since a second COPY on the connection would wait for the first.
   */
  private sendAhead(): void {
    let largest: [CopyTable, BinaryCopyRows] | undefined;
    for (const [table, rows] of this.buffers) if (rows.rows > 0 && (!largest || rows.size > largest[1].size)) largest = [table, rows];
    if (!largest) return;
    const [table, rows] = largest;
    this.db.copyAhead(copyStatement(this.schema, table), rows.take());
  }

  /** Sends every buffered row (one COPY per table). */
  flush(): void {
    for (const [table, rows] of this.buffers) {
      if (rows.rows > 0) this.db.copyIn(copyStatement(this.schema, table), rows.take());
    }
  }

  tuneForBulkWrites(): () => void {
    return () => undefined;
  }

  checkpointInBackground(): () => void {
    return () => undefined;
  }

  /** The whole load is one transaction (PgBulkCatalog's): a batch only sends its rows when enough are buffered. */
  transaction<T>(fn: () => T): T {
    const result = fn();
    if (this.buffered >= FLUSH_BYTES) this.sendAhead();
    else this.db.pump();
    return result;
  }

  sharedSource(): CatalogSource | undefined {
    return undefined;
  }

  ensureLibrary(code: string, name: string | undefined, now: string): void {
    const known = this.librariesSeen.get(code);
    this.librariesSeen.set(code, { name: name ?? known?.name, now: known?.now ?? now });
  }

  putRecord(row: NewRecordRow, existing: boolean): void {
    if (existing) throw notHere('putRecord of an existing record');
    const doc = row.doc;
    const marc: [string | null, Uint8Array | null] =
      row.storedMarc instanceof Uint8Array ? [null, row.storedMarc] : [typeof row.storedMarc === 'string' ? row.storedMarc : JSON.stringify(row.marc), null];
    this.push('records', [
      doc.id, doc.library, doc.localId, row.workId, row.hash, row.docJson ?? JSON.stringify(doc), marc[0], marc[1], row.sourceFormat, row.encoding,
      row.encodingMismatch ? 1 : 0, row.matchedBy, row.warnings.length > 0 ? JSON.stringify(row.warnings) : null, row.now, row.now,
    ]);
    this.records++;
    // a record's keys once each (the per-record path's ON CONFLICT DO NOTHING); records do not share ids
    const seen = new Set<string>();
    for (const [kind, key] of recordKeys(doc)) {
      const k = `${kind}\u0000${key}`;
      if (seen.has(k)) continue;
      seen.add(k);
      this.push('record_keys', [kind, key, doc.id]);
    }
    for (const it of doc.items) {
      this.push('items', [
        ++this.lastItem, doc.id, it.library, it.branch ?? null, it.location ?? null, it.callNumber ?? null, it.barcode ?? null, it.itemType ?? null, it.status, it.dueDate ?? null, it.note ?? null,
      ]);
    }
  }

  createWork(): number {
    return ++this.lastWork;
  }

  saveWork(doc: WorkDocument, seq: number): void {
    const again = this.saved.has(doc.id);
    this.saved.add(doc.id);
    if (again) this.regrown = true;
    this.push(again ? 'works_regrown' : 'works', [doc.id, JSON.stringify(doc), doc.records.length, new Set(doc.libraries).size, seq]);
  }

  /** Works numbered so far (1…n). */
  get worksCreated(): number {
    return this.lastWork;
  }

  get itemsWritten(): number {
    return this.lastItem;
  }

  storedRecordDoc(id: string): RecordDocument | undefined {
    return this.storedRecordDocs([id]).get(id);
  }

  storedRecordDocs(ids: readonly string[]): Map<string, RecordDocument> {
    this.flush();
    if (!this.readBackReady) {
      this.beforeReadBack();
      this.readBackReady = true;
    }
    if (ids.length === 0) return new Map();
    const rows = this.db.all<{ id: string; doc: string }>(`SELECT id, doc FROM ${q(this.schema)}.records WHERE id = ANY($1::text[])`, [textArray(ids)]);
    return new Map(rows.map((r) => [r.id, JSON.parse(r.doc) as RecordDocument]));
  }

  nextSeq(): number {
    return this.seq;
  }

  currentSeq(): number {
    return this.seq;
  }

  inTransaction(): boolean {
    return true;
  }

  startIngestRun(library: string, now: string): number {
    this.runs.push({ library, startedAt: now, finishedAt: null, summary: null });
    return this.runs.length;
  }

  finishIngestRun(id: number, now: string, summary: unknown): void {
    const run = this.runs[id - 1];
    if (!run) throw notHere(`finishIngestRun of run ${id}`);
    run.finishedAt = now;
    run.summary = JSON.stringify(summary);
  }

  // the rest of the port: not on the bulk path (deduplication runs in memory, nothing reads the catalog being built)
  libraries(): LibraryRow[] {
    throw notHere('libraries');
  }
  recordMeta(): RecordMeta | undefined {
    throw notHere('recordMeta');
  }
  recordDoc(): RecordDocument | undefined {
    throw notHere('recordDoc');
  }
  recordMarc(): MarcRecord | undefined {
    throw notHere('recordMarc');
  }
  setRecordWork(): void {
    throw notHere('setRecordWork');
  }
  deleteRecord(): void {
    throw notHere('deleteRecord');
  }
  recordIdsOfLibrary(): string[] {
    throw notHere('recordIdsOfLibrary');
  }
  recordDocsOfWork(): RecordDocument[] {
    throw notHere('recordDocsOfWork');
  }
  recordIdsOfWork(): { id: string; library: string }[] {
    throw notHere('recordIdsOfWork');
  }
  deleteWork(): void {
    throw notHere('deleteWork');
  }
  work(): WorkDocument | undefined {
    throw notHere('work');
  }
  workHasLibrary(): boolean {
    throw notHere('workHasLibrary');
  }
  workSize(): number {
    throw notHere('workSize');
  }
  candidates(): Candidate[] {
    throw notHere('candidates');
  }
  candidatesForKeys(): Map<string, Candidate[]> {
    throw notHere('candidatesForKeys');
  }
  worksByKey(): number[] {
    throw notHere('worksByKey');
  }
  workOfRecord(): number | undefined {
    throw notHere('workOfRecord');
  }
  itemsOfWork(): HoldingItem[] {
    throw notHere('itemsOfWork');
  }
  meta(): string | undefined {
    throw notHere('meta');
  }
  setMeta(): void {
    throw notHere('setMeta');
  }
  worksDeletedSince(): number[] {
    throw notHere('worksDeletedSince');
  }
  catalogId(): string {
    throw notHere('catalogId');
  }
  availableLibrariesByWork(): Map<number, string[]> {
    throw notHere('availableLibrariesByWork');
  }
  availableLibrariesOfWork(): string[] {
    throw notHere('availableLibrariesOfWork');
  }
  workCount(): number {
    throw notHere('workCount');
  }
  worksChangedSince(): IterableIterator<WorkDocument> {
    throw notHere('worksChangedSince');
  }
  allWorks(): IterableIterator<WorkDocument> {
    throw notHere('allWorks');
  }
  allWorkTexts(): IterableIterator<string> {
    throw notHere('allWorkTexts');
  }
  sharedWorksOfLibrary(): number {
    throw notHere('sharedWorksOfLibrary');
  }
  stats(): CatalogStats {
    throw notHere('stats');
  }
  digest(): CatalogDigest {
    throw notHere('digest');
  }
}

function notHere(what: string): Error {
  return new Error(`PgBulkCatalogStore: ${what} is not part of the bulk path (a new catalog, deduplicated in memory)`);
}

/**
 * The binary COPY of a staging table, FREEZE: the tables were created in the load's transaction, so
 * their rows are written frozen and their pages all-visible. The key builds at the end of the load read
 * them faster (at 1M: 11.8 s for the keys and indexes, against 13.3 s), the first reads after the swap
 * set no hint bits, and no anti-wraparound vacuum has to rewrite the catalog later.
 */
function copyStatement(schema: string, table: CopyTable): string {
  return `COPY ${q(schema)}.${q(table)} (${COPY_COLUMNS[table].columns.join(', ')}) FROM STDIN WITH (FORMAT binary, FREEZE)`;
}

/** An identifier in double quotes. */
export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
