import type { CatalogSource, KeyKind, RecordMeta, NewRecordRow, Candidate, HoldingItem, LibraryRow, CatalogStats, CatalogStore, CatalogDigest } from '../catalog/catalog-store.ts';
import { catalogDigest } from '../catalog/catalog-digest.ts';
import { storedMarcRecord } from '../marc/stored-marc.ts';
import { RecordDocument } from '../catalog/record-document.ts';
import { WorkDocument } from '../catalog/work-document.ts';
import type { MarcRecord } from '../marc/marc-record.ts';
import { recordKeys } from '../store/sqlite-catalog-store.ts';
import { LOCK_KEYS, textArray, type PgDatabase } from './pg-database.ts';

/** Rows read per query when a caller walks every work. */
const PAGE = 1000;

/**
 * The union catalog in PostgreSQL: libraries, records with their identifier keys and items, works and
 * the change sequence, in the tables and columns of the SQLite store (documents as JSON text), so the
 * two stores answer alike and copy row for row. A record's keys and items are written with one
 * statement each (arrays unnested), not one per row: a round trip costs more than a row here.
 */
export class PgCatalogStore implements CatalogStore {
  constructor(readonly db: PgDatabase) {}

  /** PostgreSQL needs no per-run tuning: the server's settings are the operator's. */
  tuneForBulkWrites(): () => void {
    return () => undefined;
  }

  /** The server checkpoints on its own. */
  checkpointInBackground(): () => void {
    return () => undefined;
  }

  /**
   * One write transaction, one at a time across replicas (an advisory lock taken first): two harvests
   * of different libraries place their records in turn, batch by batch, so dedup sees the other's
   * committed records and a book both libraries hold gets one work, not two. Fetching and parsing
   * happen outside, in parallel.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn, LOCK_KEYS.catalog);
  }

  /**
   * None: pg-native's libpq addon cannot be loaded in a worker thread (it is not context-aware), so
   * the search index over this catalog builds in the thread that opened it.
   */
  sharedSource(): CatalogSource | undefined {
    return undefined;
  }

  ensureLibrary(code: string, name: string | undefined, now: string): void {
    this.db.run('INSERT INTO libraries (code, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING', [code, name ?? code, now]);
    if (name !== undefined) this.db.run('UPDATE libraries SET name = $1 WHERE code = $2', [name, code]);
  }

  libraries(): LibraryRow[] {
    return this.db.all<LibraryRow>('SELECT code, name FROM libraries ORDER BY code');
  }

  recordMeta(id: string): RecordMeta | undefined {
    return this.db.get<RecordMeta>('SELECT id, library, work_id AS "workId", hash FROM records WHERE id = $1', [id]);
  }

  recordDoc(id: string): RecordDocument | undefined {
    const row = this.db.get<{ doc: string }>('SELECT doc FROM records WHERE id = $1', [id]);
    return row ? RecordDocument.parse(JSON.parse(row.doc)) : undefined;
  }

  storedRecordDoc(id: string): RecordDocument | undefined {
    const row = this.db.get<{ doc: string }>('SELECT doc FROM records WHERE id = $1', [id]);
    return row ? (JSON.parse(row.doc) as RecordDocument) : undefined;
  }

  storedRecordDocs(ids: readonly string[]): Map<string, RecordDocument> {
    const rows = ids.length === 0 ? [] : this.db.all<{ id: string; doc: string }>('SELECT id, doc FROM records WHERE id = ANY($1::text[])', [textArray(ids)]);
    return new Map(rows.map((r) => [r.id, JSON.parse(r.doc) as RecordDocument]));
  }

  recordMarc(id: string): MarcRecord | undefined {
    const row = this.db.get<{ marc: string | null; marc_iso2709: Uint8Array | null }>('SELECT marc, marc_iso2709 FROM records WHERE id = $1', [id]);
    return row ? storedMarcRecord(row.marc_iso2709 ?? row.marc ?? '') : undefined;
  }

  digest(): CatalogDigest {
    // records and items stream through cursors (a page at a time), as SQLite's digest streams them
    return catalogDigest({
      firstMembers: this.db.iterate<{ workId: number; first: string }>('SELECT work_id AS "workId", min(id) AS first FROM records GROUP BY work_id'),
      works: this.db.iterate<{ id: number; doc: string }>("SELECT id, doc FROM works WHERE doc <> '{}'"),
      records: this.db.iterate<{ id: string; library: string; workId: number; doc: string; warnings: string | null }>('SELECT id, library, work_id AS "workId", doc, warnings FROM records ORDER BY id'),
      items: mapIterable(
        this.db.iterate<Record<string, string | null>>('SELECT record_id, library, branch, location, call_number, barcode, item_type, status, due_date, note FROM items ORDER BY record_id, id'),
        (r) => [r.record_id, r.library, r.branch, r.location, r.call_number, r.barcode, r.item_type, r.status, r.due_date, r.note] as Array<string | null>,
      ),
    });
  }

  putRecord(row: NewRecordRow, existing: boolean): void {
    const id = row.doc.id;
    const values = [
      id, row.doc.library, row.doc.localId, row.workId, row.hash, row.docJson ?? JSON.stringify(row.doc), ...marcColumnsOf(row),
      row.sourceFormat, row.encoding, row.encodingMismatch ? 1 : 0, row.matchedBy, row.warnings.length > 0 ? JSON.stringify(row.warnings) : null, row.now,
    ];
    if (existing) {
      this.db.run(
        `UPDATE records SET library = $2, local_id = $3, work_id = $4, hash = $5, doc = $6, marc = $7, marc_iso2709 = $8::bytea, source_format = $9,
          encoding = $10, encoding_mismatch = $11, matched_by = $12, warnings = $13, updated_at = $14 WHERE id = $1`,
        values,
      );
      this.db.run('DELETE FROM record_keys WHERE record_id = $1', [id]);
      this.db.run('DELETE FROM items WHERE record_id = $1', [id]);
    } else {
      this.db.run(
        `INSERT INTO records (id, library, local_id, work_id, hash, doc, marc, marc_iso2709, source_format, encoding, encoding_mismatch, matched_by, warnings, created_at, updated_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bytea, $9, $10, $11, $12, $13, $14, $14)`,
        values,
      );
    }
    const keys = recordKeys(row.doc);
    if (keys.length > 0) {
      this.db.run(
        `INSERT INTO record_keys (kind, key, record_id) SELECT k.kind, k.key, $3 FROM unnest($1::text[], $2::text[]) AS k(kind, key)
          ON CONFLICT DO NOTHING`,
        [textArray(keys.map((k) => k[0])), textArray(keys.map((k) => k[1])), id],
      );
    }
    const items = row.doc.items;
    if (items.length > 0) {
      // one row per item, in document order (the id sequence keeps it): the columns as JSON, nulls kept
      const json = JSON.stringify(items.map((it) => [it.library, it.branch ?? null, it.location ?? null, it.callNumber ?? null, it.barcode ?? null, it.itemType ?? null, it.status, it.dueDate ?? null, it.note ?? null]));
      this.db.run(
        `INSERT INTO items (record_id, library, branch, location, call_number, barcode, item_type, status, due_date, note)
          SELECT $1, e->>0, e->>1, e->>2, e->>3, e->>4, e->>5, e->>6, e->>7, e->>8 FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, n) ORDER BY n`,
        [id, json],
      );
    }
  }

  setRecordWork(recordId: string, workId: number, matchedBy: string | null): void {
    this.db.run('UPDATE records SET work_id = $1, matched_by = $2 WHERE id = $3', [workId, matchedBy, recordId]);
  }

  deleteRecord(id: string): void {
    this.db.run('DELETE FROM records WHERE id = $1', [id]);
  }

  recordIdsOfLibrary(library: string): string[] {
    return this.db.all<{ id: string }>('SELECT id FROM records WHERE library = $1 ORDER BY id', [library]).map((r) => r.id);
  }

  recordDocsOfWork(workId: number): RecordDocument[] {
    return this.db.all<{ doc: string }>('SELECT doc FROM records WHERE work_id = $1 ORDER BY id', [workId]).map((r) => RecordDocument.parse(JSON.parse(r.doc)));
  }

  recordIdsOfWork(workId: number): { id: string; library: string }[] {
    return this.db.all('SELECT id, library FROM records WHERE work_id = $1 ORDER BY id', [workId]);
  }

  createWork(): number {
    return this.db.get<{ id: number }>("INSERT INTO works (doc, record_count, library_count, seq) VALUES ('{}', 0, 0, 0) RETURNING id")!.id;
  }

  saveWork(doc: WorkDocument, seq: number): void {
    this.db.run('UPDATE works SET doc = $1, record_count = $2, library_count = $3, seq = $4 WHERE id = $5', [JSON.stringify(doc), doc.records.length, new Set(doc.libraries).size, seq, doc.id]);
    this.db.run('DELETE FROM work_tombstones WHERE id = $1', [doc.id]);
  }

  deleteWork(id: number, seq: number): void {
    this.db.run('DELETE FROM works WHERE id = $1', [id]);
    this.db.run('INSERT INTO work_tombstones (id, seq) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq', [id, seq]);
  }

  work(id: number): WorkDocument | undefined {
    const row = this.db.get<{ doc: string }>('SELECT doc FROM works WHERE id = $1', [id]);
    if (!row || row.doc === '{}') return undefined;
    return WorkDocument.parse(JSON.parse(row.doc));
  }

  workHasLibrary(workId: number, library: string, exceptRecord = ''): boolean {
    return this.db.get('SELECT 1 AS one FROM records WHERE work_id = $1 AND library = $2 AND id <> $3 LIMIT 1', [workId, library, exceptRecord]) !== undefined;
  }

  workSize(workId: number): number {
    return this.db.get<{ n: number }>('SELECT record_count AS n FROM works WHERE id = $1', [workId])?.n ?? 0;
  }

  candidates(kind: KeyKind, key: string, excludeLibrary: string, limit = 101): Candidate[] {
    return this.db.all<Candidate>(
      `SELECT r.id AS "recordId", r.library, r.work_id AS "workId" FROM record_keys k JOIN records r ON r.id = k.record_id
        WHERE k.kind = $1 AND k.key = $2 AND r.library <> $3 ORDER BY k.record_id LIMIT $4`,
      [kind, key, excludeLibrary, limit],
    );
  }

  candidatesForKeys(keys: ReadonlyArray<readonly [KeyKind, string]>, excludeLibrary: string, limit = 101): Map<string, Candidate[]> {
    const out = new Map<string, Candidate[]>();
    if (keys.length === 0) return out;
    const rows = this.db.all<Candidate & { kind: string; key: string }>(
      `SELECT k.kind, k.key, r.id AS "recordId", r.library, r.work_id AS "workId"
        FROM (SELECT DISTINCT kind, key FROM unnest($1::text[], $2::text[]) AS j(kind, key)) j
        JOIN record_keys k ON k.kind = j.kind AND k.key = j.key JOIN records r ON r.id = k.record_id
        WHERE r.library <> $3 ORDER BY k.kind, k.key, k.record_id`,
      [textArray(keys.map((k) => k[0])), textArray(keys.map((k) => k[1])), excludeLibrary],
    );
    for (const r of rows) {
      const k = `${r.kind}\u0000${r.key}`;
      let list = out.get(k);
      if (!list) out.set(k, (list = []));
      if (list.length < limit) list.push({ recordId: r.recordId, library: r.library, workId: r.workId });
    }
    return out;
  }

  worksByKey(kind: KeyKind, key: string): number[] {
    return this.db
      .all<{ workId: number }>('SELECT DISTINCT r.work_id AS "workId" FROM record_keys k JOIN records r ON r.id = k.record_id WHERE k.kind = $1 AND k.key = $2 ORDER BY 1', [kind, key])
      .map((r) => r.workId);
  }

  /** The work of a record, its id matched without regard to case (as the SQLite store's NOCASE). */
  workOfRecord(recordId: string): number | undefined {
    return this.db.get<{ workId: number }>('SELECT work_id AS "workId" FROM records WHERE lower(id) = lower($1) LIMIT 1', [recordId])?.workId;
  }

  itemsOfWork(workId: number): HoldingItem[] {
    const rows = this.db.all<Record<string, string | null>>(
      `SELECT i.record_id AS "recordId", i.library, i.branch, i.location, i.call_number AS "callNumber", i.barcode, i.item_type AS "itemType",
        i.status, i.due_date AS "dueDate", i.note FROM items i JOIN records r ON r.id = i.record_id WHERE r.work_id = $1 ORDER BY i.library, i.id`,
      [workId],
    );
    return rows.map((r) => {
      const item: Record<string, string> = {};
      for (const [k, v] of Object.entries(r)) if (v !== null) item[k] = v;
      return item as unknown as HoldingItem;
    });
  }

  meta(key: string): string | undefined {
    return this.db.get<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  /** A new change sequence number, in one statement: two writers never get the same. */
  nextSeq(): number {
    const row = this.db.get<{ value: string }>(
      "INSERT INTO meta (key, value) VALUES ('seq', '1') ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value",
    );
    return Number(row!.value);
  }

  currentSeq(): number {
    return Number(this.meta('seq') ?? '0');
  }

  *worksChangedSince(seq: number): IterableIterator<WorkDocument> {
    // pages in (seq, id) order, so a long walk holds one page at a time
    let after: [number, number] = [seq, 0];
    for (;;) {
      const rows = this.db.all<{ id: number; doc: string; seq: number }>(
        'SELECT id, doc, seq FROM works WHERE (seq, id) > ($1, $2) AND seq > $3 ORDER BY seq, id LIMIT $4',
        [after[0], after[1], seq, PAGE],
      );
      for (const row of rows) if (row.doc !== '{}') yield WorkDocument.parse(JSON.parse(row.doc));
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = [last.seq, last.id];
    }
  }

  worksDeletedSince(seq: number): number[] {
    return this.db.all<{ id: number }>('SELECT id FROM work_tombstones WHERE seq > $1 ORDER BY id', [seq]).map((r) => r.id);
  }

  *allWorks(): IterableIterator<WorkDocument> {
    for (const text of this.allWorkTexts()) yield WorkDocument.parse(JSON.parse(text));
  }

  *allWorkTexts(): IterableIterator<string> {
    let after = 0;
    for (;;) {
      const rows = this.db.all<{ id: number; doc: string }>('SELECT id, doc FROM works WHERE record_count > 0 AND id > $1 ORDER BY id LIMIT $2', [after, PAGE]);
      for (const row of rows) yield row.doc;
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = last.id;
    }
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  catalogId(): string {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    // the first caller's id wins, also when two processes ask at once
    this.db.run("INSERT INTO meta (key, value) VALUES ('catalog_id', $1) ON CONFLICT (key) DO NOTHING", [id]);
    return this.meta('catalog_id')!;
  }

  availableLibrariesByWork(): Map<number, string[]> {
    const rows = this.db.all<{ workId: number; libs: string }>(
      `SELECT r.work_id AS "workId", string_agg(DISTINCT i.library, ',') AS libs FROM items i JOIN records r ON r.id = i.record_id
        WHERE i.status = 'available' GROUP BY r.work_id`,
    );
    return new Map(rows.map((r) => [r.workId, r.libs.split(',')]));
  }

  availableLibrariesOfWork(workId: number): string[] {
    return this.db
      .all<{ library: string }>(`SELECT DISTINCT i.library FROM items i JOIN records r ON r.id = i.record_id WHERE r.work_id = $1 AND i.status = 'available' ORDER BY 1`, [workId])
      .map((r) => r.library);
  }

  workCount(): number {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM works')!.n;
  }

  sharedWorksOfLibrary(library: string): number {
    return this.db.get<{ n: number }>('SELECT count(DISTINCT w.id) AS n FROM works w JOIN records r ON r.work_id = w.id WHERE r.library = $1 AND w.library_count > 1', [library])!.n;
  }

  startIngestRun(library: string, now: string): number {
    return this.db.get<{ id: number }>('INSERT INTO ingest_runs (library, started_at) VALUES ($1, $2) RETURNING id', [library, now])!.id;
  }

  finishIngestRun(id: number, now: string, summary: unknown): void {
    this.db.run('UPDATE ingest_runs SET finished_at = $1, summary = $2 WHERE id = $3', [now, JSON.stringify(summary), id]);
  }

  stats(): CatalogStats {
    const one = (sql: string): number => this.db.get<{ n: number | null }>(sql)?.n ?? 0;
    const records = one('SELECT count(*) AS n FROM records');
    const works = one('SELECT count(*) AS n FROM works WHERE record_count > 0');
    const perLibrary = this.db.all<CatalogStats['perLibrary'][number]>(`SELECT l.code AS library, l.name AS name,
        (SELECT count(*) FROM records r WHERE r.library = l.code) AS records,
        (SELECT count(*) FROM items i WHERE i.library = l.code) AS items,
        (SELECT count(*) FROM items i WHERE i.library = l.code AND i.status = 'available') AS "availableItems",
        (SELECT max(finished_at) FROM ingest_runs g WHERE g.library = l.code) AS "lastIngest"
      FROM libraries l ORDER BY l.code`);
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
}

/**
 * A record's MARC in the two columns PostgreSQL keeps it in (as SQLite keeps it in one): the ISO 2709
 * bytes it was read from in marc_iso2709 (bytea, given in hex), or its JSON in marc.
 */
export function marcColumnsOf(row: NewRecordRow): [string | null, string | null] {
  if (row.storedMarc instanceof Uint8Array) return [null, `\\x${Buffer.from(row.storedMarc).toString('hex')}`];
  if (typeof row.storedMarc === 'string') return [row.storedMarc, null];
  return [JSON.stringify(row.marc), null];
}

function* mapIterable<A, B>(items: Iterable<A>, f: (a: A) => B): IterableIterator<B> {
  for (const a of items) yield f(a);
}
