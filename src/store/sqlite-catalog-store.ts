import path from 'node:path';
import type { SqliteDatabase } from './open-database.ts';
import type { KeyKind, RecordMeta, NewRecordRow, Candidate, HoldingItem, LibraryRow, CatalogStats, CatalogStore, CatalogDigest, CatalogSource } from '../catalog/catalog-store.ts';
export type { KeyKind, RecordMeta, NewRecordRow, Candidate, HoldingItem, LibraryRow, CatalogStats } from '../catalog/catalog-store.ts';
import { RecordDocument } from '../catalog/record-document.ts';
import { WorkDocument } from '../catalog/work-document.ts';
import type { MarcRecord } from '../marc/marc-record.ts';
import { storedMarcRecord } from '../marc/stored-marc.ts';
import { startBackgroundCheckpoints } from './background-checkpoints.ts';
import { sqliteCatalogDigest } from './sqlite-catalog-digest.ts';

/** Everything the union catalog keeps in SQLite: libraries, records, their keys and items, works. */
export class SqliteCatalogStore implements CatalogStore {
  private readonly s;

  /**
   * `aside`: the store of a catalog file being built by the bulk path (src/store/bulk-catalog-file.ts):
   * it is tuned already, has no WAL to checkpoint, and no other connection may read it.
   * `keysTable`: where records' keys are written instead of record_keys (the bulk path's staging table,
   * moved into record_keys in key order at the end, when nothing reads keys while loading).
   */
  constructor(
    readonly db: SqliteDatabase,
    private readonly options: { aside?: boolean; keysTable?: string } = {},
  ) {
    this.s = {
      ensureLibrary: db.prepare('INSERT INTO libraries (code, name, created_at) VALUES (?, ?, ?) ON CONFLICT(code) DO NOTHING'),
      renameLibrary: db.prepare('UPDATE libraries SET name = ? WHERE code = ?'),
      libraries: db.prepare('SELECT code, name FROM libraries ORDER BY code'),
      recordMeta: db.prepare('SELECT id, library, work_id AS workId, hash FROM records WHERE id = ?'),
      recordDoc: db.prepare('SELECT doc FROM records WHERE id = ?'),
      recordMarc: db.prepare('SELECT marc FROM records WHERE id = ?'),
      insertRecord: db.prepare(`INSERT INTO records (id, library, local_id, work_id, hash, doc, marc, source_format, encoding,
        encoding_mismatch, matched_by, warnings, created_at, updated_at)
        VALUES (@id, @library, @localId, @workId, @hash, @doc, @marc, @sourceFormat, @encoding, @encodingMismatch, @matchedBy, @warnings, @now, @now)`),
      updateRecord: db.prepare(`UPDATE records SET work_id = @workId, hash = @hash, doc = @doc, marc = @marc, source_format = @sourceFormat,
        encoding = @encoding, encoding_mismatch = @encodingMismatch, matched_by = @matchedBy, warnings = @warnings, updated_at = @now WHERE id = @id`),
      setRecordWork: db.prepare('UPDATE records SET work_id = ?, matched_by = ? WHERE id = ?'),
      deleteRecord: db.prepare('DELETE FROM records WHERE id = ?'),
      deleteKeys: db.prepare('DELETE FROM record_keys WHERE record_id = ?'),
      insertKey: db.prepare(`INSERT OR IGNORE INTO ${options.keysTable ?? 'record_keys'} (kind, key, record_id) VALUES (?, ?, ?)`),
      deleteItems: db.prepare('DELETE FROM items WHERE record_id = ?'),
      insertItem: db.prepare(`INSERT INTO items (record_id, library, branch, location, call_number, barcode, item_type, status, due_date, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      recordIdsOfLibrary: db.prepare('SELECT id FROM records WHERE library = ? ORDER BY id'),
      recordDocsOfWork: db.prepare('SELECT doc FROM records WHERE work_id = ? ORDER BY id'),
      recordIdsOfWork: db.prepare('SELECT id, library FROM records WHERE work_id = ? ORDER BY id'),
      newWork: db.prepare("INSERT INTO works (doc, record_count, library_count, seq) VALUES ('{}', 0, 0, 0)"),
      saveWork: db.prepare('UPDATE works SET doc = ?, record_count = ?, library_count = ?, seq = ? WHERE id = ?'),
      deleteWork: db.prepare('DELETE FROM works WHERE id = ?'),
      tombstone: db.prepare('INSERT OR REPLACE INTO work_tombstones (id, seq) VALUES (?, ?)'),
      untombstone: db.prepare('DELETE FROM work_tombstones WHERE id = ?'),
      workDoc: db.prepare('SELECT doc FROM works WHERE id = ?'),
      workHasLibrary: db.prepare('SELECT 1 FROM records WHERE work_id = ? AND library = ? AND id <> ? LIMIT 1'),
      workSize: db.prepare('SELECT record_count FROM works WHERE id = ?'),
      keyCandidates: db.prepare(`SELECT k.kind AS kind, k.key AS key, r.id AS recordId, r.library AS library, r.work_id AS workId
        FROM json_each(?) j JOIN record_keys k ON k.kind = j.value ->> 0 AND k.key = j.value ->> 1
        JOIN records r ON r.id = k.record_id
        WHERE r.library <> ? ORDER BY k.kind, k.key, k.record_id`),
      candidates: db.prepare(`SELECT r.id AS recordId, r.library AS library, r.work_id AS workId
        FROM record_keys k JOIN records r ON r.id = k.record_id
        WHERE k.kind = ? AND k.key = ? AND r.library <> ? LIMIT ?`),
      worksByKey: db.prepare(`SELECT DISTINCT r.work_id AS workId FROM record_keys k JOIN records r ON r.id = k.record_id
        WHERE k.kind = ? AND k.key = ?`),
      workOfRecord: db.prepare('SELECT work_id AS workId FROM records WHERE id = ? COLLATE NOCASE'),
      itemsOfWork: db.prepare(`SELECT i.record_id AS recordId, i.library, i.branch, i.location, i.call_number AS callNumber,
        i.barcode, i.item_type AS itemType, i.status, i.due_date AS dueDate, i.note
        FROM items i JOIN records r ON r.id = i.record_id WHERE r.work_id = ? ORDER BY i.library, i.id`),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      worksSince: db.prepare('SELECT id, doc, seq FROM works WHERE seq > ? ORDER BY seq, id'),
      tombstonesSince: db.prepare('SELECT id FROM work_tombstones WHERE seq > ?'),
      allWorks: db.prepare('SELECT id, doc FROM works WHERE record_count > 0 ORDER BY id'),
      startRun: db.prepare('INSERT INTO ingest_runs (library, started_at) VALUES (?, ?)'),
      finishRun: db.prepare('UPDATE ingest_runs SET finished_at = ?, summary = ? WHERE id = ?'),
    };
  }

  /**
   * For a long run of writes (an ingest): a page cache that holds the hot parts of the record, key
   * and item indexes (the default 16 MB does not once the catalog passes ~100 k records), and fewer,
   * larger WAL checkpoints. Durability is unchanged (WAL, synchronous=NORMAL).
   */
  tuneForBulkWrites(): () => void {
    if (this.bulkTuned || this.options.aside) return () => undefined;
    this.bulkTuned = true;
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    const checkpoint = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.db.pragma('cache_size = -262144');
    // a checkpoint every 256 MB of WAL, not 32 MB: at a million records every batch rewrites pages all
    // over the key and item indexes, and a page rewritten by several batches is copied back once
    this.db.pragma('wal_autocheckpoint = 65536');
    // back to the usual settings: SQLite gives the cache's pages back
    return () => {
      this.db.pragma(`cache_size = ${Number(cacheSize)}`);
      this.db.pragma(`wal_autocheckpoint = ${Number(checkpoint)}`);
      this.bulkTuned = false;
    };
  }

  private bulkTuned = false;

  /**
   * WAL checkpoints from a thread of their own until the function returned is called (a large
   * ingest, whose commits would otherwise copy the WAL back themselves); nothing for an in-memory
   * database.
   */
  checkpointInBackground(): () => void {
    return this.db.memory || this.options.aside ? () => undefined : startBackgroundCheckpoints(this.db.name);
  }

  /**
   * One write transaction, taking the write lock at its start (BEGIN IMMEDIATE, waiting up to the busy
   * timeout): a deferred one that read first and then wrote would fail at once with SQLITE_BUSY when
   * another process (a second harvest, a jala ingest) wrote meanwhile, where this one waits its turn.
   * Nested calls are savepoints.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  sharedSource(): CatalogSource | undefined {
    return this.db.memory || this.db.inTransaction || this.options.aside ? undefined : { kind: 'sqlite', dataDir: path.dirname(this.db.name) };
  }

  ensureLibrary(code: string, name: string | undefined, now: string): void {
    this.s.ensureLibrary.run(code, name ?? code, now);
    if (name !== undefined) this.s.renameLibrary.run(name, code);
  }

  libraries(): LibraryRow[] {
    return this.s.libraries.all() as LibraryRow[];
  }

  recordMeta(id: string): RecordMeta | undefined {
    return this.s.recordMeta.get(id) as RecordMeta | undefined;
  }

  recordDoc(id: string): RecordDocument | undefined {
    const row = this.s.recordDoc.get(id) as { doc: string } | undefined;
    return row ? RecordDocument.parse(JSON.parse(row.doc)) : undefined;
  }

  /**
   * A record's document as the ingest stored it, without validating it again: for deduplication and
   * merging, which read several stored documents per record ingested (every document was validated
   * when it was mapped, and only the ingest writes them).
   */
  storedRecordDoc(id: string): RecordDocument | undefined {
    const row = this.s.recordDoc.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as RecordDocument) : undefined;
  }

  storedRecordDocs(ids: readonly string[]): Map<string, RecordDocument> {
    // in process, a lookup by primary key costs no more alone than in a batch
    const out = new Map<string, RecordDocument>();
    for (const id of ids) {
      const doc = this.storedRecordDoc(id);
      if (doc) out.set(id, doc);
    }
    return out;
  }

  recordMarc(id: string): MarcRecord | undefined {
    const row = this.s.recordMarc.get(id) as { marc: string | Uint8Array } | undefined;
    return row ? storedMarcRecord(row.marc) : undefined;
  }

  /** Inserts or replaces a record with its keys and items. */
  putRecord(row: NewRecordRow, existing: boolean): void {
    const params = {
      id: row.doc.id,
      library: row.doc.library,
      localId: row.doc.localId,
      workId: row.workId,
      hash: row.hash,
      doc: row.docJson ?? JSON.stringify(row.doc),
      marc: row.storedMarc ?? JSON.stringify(row.marc),
      sourceFormat: row.sourceFormat,
      encoding: row.encoding,
      encodingMismatch: row.encodingMismatch ? 1 : 0,
      matchedBy: row.matchedBy,
      warnings: row.warnings.length > 0 ? JSON.stringify(row.warnings) : null,
      now: row.now,
    };
    if (existing) {
      this.s.updateRecord.run(params);
      this.s.deleteKeys.run(row.doc.id);
      this.s.deleteItems.run(row.doc.id);
    } else {
      this.s.insertRecord.run(params);
    }
    for (const [kind, key] of recordKeys(row.doc)) this.s.insertKey.run(kind, key, row.doc.id);
    for (const it of row.doc.items) {
      this.s.insertItem.run(
        row.doc.id, it.library, it.branch ?? null, it.location ?? null, it.callNumber ?? null, it.barcode ?? null,
        it.itemType ?? null, it.status, it.dueDate ?? null, it.note ?? null,
      );
    }
  }

  setRecordWork(recordId: string, workId: number, matchedBy: string | null): void {
    this.s.setRecordWork.run(workId, matchedBy, recordId);
  }

  deleteRecord(id: string): void {
    this.s.deleteRecord.run(id);
  }

  recordIdsOfLibrary(library: string): string[] {
    return (this.s.recordIdsOfLibrary.all(library) as { id: string }[]).map((r) => r.id);
  }

  recordDocsOfWork(workId: number): RecordDocument[] {
    return (this.s.recordDocsOfWork.all(workId) as { doc: string }[]).map((r) => RecordDocument.parse(JSON.parse(r.doc)));
  }

  recordIdsOfWork(workId: number): { id: string; library: string }[] {
    return this.s.recordIdsOfWork.all(workId) as { id: string; library: string }[];
  }

  createWork(): number {
    return Number(this.s.newWork.run().lastInsertRowid);
  }

  saveWork(doc: WorkDocument, seq: number): void {
    this.s.saveWork.run(JSON.stringify(doc), doc.records.length, new Set(doc.libraries).size, seq, doc.id);
    this.s.untombstone.run(doc.id);
  }

  deleteWork(id: number, seq: number): void {
    this.s.deleteWork.run(id);
    this.s.tombstone.run(id, seq);
  }

  work(id: number): WorkDocument | undefined {
    const row = this.s.workDoc.get(id) as { doc: string } | undefined;
    if (!row || row.doc === '{}') return undefined;
    return WorkDocument.parse(JSON.parse(row.doc));
  }

  /** Does the work hold a record of this library (other than `exceptRecord`)? A work holds one record per library. */
  workHasLibrary(workId: number, library: string, exceptRecord = ''): boolean {
    return this.s.workHasLibrary.get(workId, library, exceptRecord) !== undefined;
  }

  workSize(workId: number): number {
    const row = this.s.workSize.get(workId) as { record_count: number } | undefined;
    return row?.record_count ?? 0;
  }

  /** Records of other libraries sharing a key, for dedup. */
  candidates(kind: KeyKind, key: string, excludeLibrary: string, limit = 101): Candidate[] {
    return this.s.candidates.all(kind, key, excludeLibrary, limit) as Candidate[];
  }

  /**
   * Records of other libraries sharing any of the keys, for dedup, in one query: for each key (as
   * `kind\u0000key`) the candidates in the order `candidates` gives them (record id), at most `limit`.
   */
  candidatesForKeys(keys: ReadonlyArray<readonly [KeyKind, string]>, excludeLibrary: string, limit = 101): Map<string, Candidate[]> {
    const out = new Map<string, Candidate[]>();
    if (keys.length === 0) return out;
    const rows = this.s.keyCandidates.all(JSON.stringify(keys), excludeLibrary) as Array<Candidate & { kind: string; key: string }>;
    for (const r of rows) {
      const k = `${r.kind}\u0000${r.key}`;
      let list = out.get(k);
      if (!list) out.set(k, (list = []));
      if (list.length < limit) list.push({ recordId: r.recordId, library: r.library, workId: r.workId });
    }
    return out;
  }

  /** Works having a record with this key (ISBN, ISSN, OCLC… lookups). */
  worksByKey(kind: KeyKind, key: string): number[] {
    return (this.s.worksByKey.all(kind, key) as { workId: number }[]).map((r) => r.workId);
  }

  workOfRecord(recordId: string): number | undefined {
    return (this.s.workOfRecord.get(recordId) as { workId: number } | undefined)?.workId;
  }

  itemsOfWork(workId: number): HoldingItem[] {
    const rows = this.s.itemsOfWork.all(workId) as Array<Record<string, string | null>>;
    return rows.map((r) => {
      const item: Record<string, string> = {};
      for (const [k, v] of Object.entries(r)) if (v !== null) item[k] = v;
      return item as unknown as HoldingItem;
    });
  }

  meta(key: string): string | undefined {
    return (this.s.getMeta.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  /** A new change sequence number; call inside the transaction whose work changes it stamps. */
  nextSeq(): number {
    const next = Number(this.meta('seq') ?? '0') + 1;
    this.setMeta('seq', String(next));
    return next;
  }

  currentSeq(): number {
    return Number(this.meta('seq') ?? '0');
  }

  *worksChangedSince(seq: number): IterableIterator<WorkDocument> {
    for (const row of this.s.worksSince.iterate(seq) as IterableIterator<{ id: number; doc: string }>) {
      if (row.doc !== '{}') yield WorkDocument.parse(JSON.parse(row.doc));
    }
  }

  worksDeletedSince(seq: number): number[] {
    return (this.s.tombstonesSince.all(seq) as { id: number }[]).map((r) => r.id);
  }

  *allWorks(): IterableIterator<WorkDocument> {
    for (const text of this.allWorkTexts()) yield WorkDocument.parse(JSON.parse(text));
  }

  *allWorkTexts(): IterableIterator<string> {
    for (const row of this.s.allWorks.iterate() as IterableIterator<{ id: number; doc: string }>) yield row.doc;
  }

  /** A random id given to this database when created: a persisted index built from another database is stale. */
  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  catalogId(): string {
    let id = this.meta('catalog_id');
    if (!id) {
      id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      this.setMeta('catalog_id', id);
    }
    return id;
  }

  /** work id → library codes with at least one available item, for the whole catalog. */
  availableLibrariesByWork(): Map<number, string[]> {
    const rows = this.db
      .prepare(`SELECT r.work_id AS workId, group_concat(DISTINCT i.library) AS libs FROM items i JOIN records r ON r.id = i.record_id
        WHERE i.status = 'available' GROUP BY r.work_id`)
      .all() as { workId: number; libs: string }[];
    return new Map(rows.map((r) => [r.workId, r.libs.split(',')]));
  }

  availableLibrariesOfWork(workId: number): string[] {
    const rows = this.db
      .prepare(`SELECT DISTINCT i.library AS library FROM items i JOIN records r ON r.id = i.record_id WHERE r.work_id = ? AND i.status = 'available'`)
      .all(workId) as { library: string }[];
    return rows.map((r) => r.library);
  }

  workCount(): number {
    // a work never outlives its last record (rebuildWorks deletes it in the same transaction), so
    // every row counts: SQLite counts the small seq index instead of reading every work's document
    return (this.db.prepare('SELECT count(*) AS n FROM works').get() as { n: number }).n;
  }

  /** Works holding this library's records together with another library's. */
  sharedWorksOfLibrary(library: string): number {
    const row = this.db
      .prepare('SELECT count(DISTINCT w.id) AS n FROM works w JOIN records r ON r.work_id = w.id WHERE r.library = ? AND w.library_count > 1')
      .get(library) as { n: number };
    return row.n;
  }

  startIngestRun(library: string, now: string): number {
    return Number(this.s.startRun.run(library, now).lastInsertRowid);
  }

  finishIngestRun(id: number, now: string, summary: unknown): void {
    this.s.finishRun.run(now, JSON.stringify(summary), id);
  }

  stats(): CatalogStats {
    const one = (sql: string): number => (this.db.prepare(sql).get() as { n: number | null }).n ?? 0;
    const records = one('SELECT count(*) AS n FROM records');
    const works = one('SELECT count(*) AS n FROM works WHERE record_count > 0');
    const perLibrary = this.db
      .prepare(`SELECT l.code AS library, l.name AS name,
          (SELECT count(*) FROM records r WHERE r.library = l.code) AS records,
          (SELECT count(*) FROM items i WHERE i.library = l.code) AS items,
          (SELECT count(*) FROM items i WHERE i.library = l.code AND i.status = 'available') AS availableItems,
          (SELECT max(finished_at) FROM ingest_runs g WHERE g.library = l.code) AS lastIngest
        FROM libraries l ORDER BY l.code`)
      .all() as CatalogStats['perLibrary'];
    return {
      libraries: one('SELECT count(*) AS n FROM libraries'),
      records,
      works,
      items: one('SELECT count(*) AS n FROM items'),
      availableItems: one("SELECT count(*) AS n FROM items WHERE status = 'available'"),
      dedupRatio: works === 0 ? 0 : Math.round((records / works) * 1000) / 1000,
      sharedWorks: one('SELECT count(*) AS n FROM works WHERE library_count > 1'),
      perLibrary,
    };
  }

  digest(): CatalogDigest {
    return sqliteCatalogDigest(this.db);
  }
}

/** The lookup and dedup keys of a record. */
export function recordKeys(doc: RecordDocument): Array<[KeyKind, string]> {
  const keys: Array<[KeyKind, string]> = [];
  for (const k of doc.isbns) keys.push(['isbn', k]);
  for (const k of doc.isbn10) keys.push(['isbn10', k]);
  for (const k of doc.isbnInvalid) {
    const digits = k.replace(/[^0-9Xx]/g, '').toUpperCase();
    if (digits.length >= 9) keys.push(['isbnx', digits]);
  }
  for (const k of doc.idKeys) keys.push(['id', k]);
  if (doc.titleKey) keys.push(['title', doc.titleKey]);
  for (const k of doc.issns) keys.push(['issn', k.toUpperCase()]);
  for (const k of doc.oclc) keys.push(['oclc', k]);
  return keys;
}
