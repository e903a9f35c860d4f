/**
 * The OAI-PMH provider's items in SQLite (tables oai_items, oai_item_sets, oai_sets), and their
 * sync with the catalog: the works changed since the last sync (works.seq) and the works removed
 * (work_tombstones), read the way the search index catches up.
 *
 * A work's content is a function of its member records, so the digest of the members' ids and
 * content hashes tells whether a re-saved work really changed: its datestamp moves only then.
 */
import type { OaiItem, OaiItemStore, OaiListQuery, OaiSet, OaiSyncResult } from '../oai-provider/oai-item-store.ts';
import type { OaiMemberRow } from '../oai-provider/oai-member-digest.ts';
import { syncOaiItems } from '../oai-provider/sync-oai-items.ts';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.ts';

const SYNCED_KEY = 'oai_synced_seq';

export class SqliteOaiStore implements OaiItemStore {
  private readonly s;

  constructor(private readonly db: SqliteDatabase) {
    this.s = {
      meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      changedWorks: db.prepare('SELECT id FROM works WHERE seq > ? ORDER BY id'),
      removedWorks: db.prepare('SELECT id FROM work_tombstones WHERE seq > ? ORDER BY id'),
      formats: db.prepare(`SELECT id, doc ->> '$.format' AS format FROM works WHERE id IN (SELECT value FROM json_each(?)) AND doc <> '{}'`),
      members: db.prepare(`SELECT work_id AS workId, id, hash, library, updated_at AS updatedAt FROM records
        WHERE work_id IN (SELECT value FROM json_each(?))`),
      libraryNames: db.prepare('SELECT code, name FROM libraries'),
      items: db.prepare('SELECT work_id AS workId, fingerprint, deleted FROM oai_items WHERE work_id IN (SELECT value FROM json_each(?))'),
      setRows: db.prepare('SELECT work_id AS workId, set_spec AS spec, member FROM oai_item_sets WHERE work_id IN (SELECT value FROM json_each(?))'),
      putItem: db.prepare(`INSERT INTO oai_items (work_id, datestamp, deleted, fingerprint) VALUES (?, ?, 0, ?)
        ON CONFLICT(work_id) DO UPDATE SET datestamp = excluded.datestamp, deleted = 0, fingerprint = excluded.fingerprint`),
      deleteItem: db.prepare('UPDATE oai_items SET deleted = 1, datestamp = ? WHERE work_id = ? AND deleted = 0'),
      putSetRow: db.prepare(`INSERT INTO oai_item_sets (set_spec, work_id, datestamp, member) VALUES (?, ?, ?, ?)
        ON CONFLICT(set_spec, work_id) DO UPDATE SET datestamp = excluded.datestamp, member = excluded.member`),
      leaveSets: db.prepare('UPDATE oai_item_sets SET member = 0, datestamp = ? WHERE work_id = ? AND member = 1'),
      putSet: db.prepare('INSERT INTO oai_sets (set_spec, label) VALUES (?, ?) ON CONFLICT(set_spec) DO UPDATE SET label = excluded.label'),
      item: db.prepare('SELECT work_id AS workId, datestamp, deleted FROM oai_items WHERE work_id = ?'),
      itemSets: db.prepare('SELECT work_id AS workId, set_spec AS spec, member FROM oai_item_sets WHERE work_id IN (SELECT value FROM json_each(?)) ORDER BY set_spec'),
      sets: db.prepare('SELECT set_spec AS spec, label FROM oai_sets ORDER BY set_spec'),
      hasSet: db.prepare('SELECT 1 FROM oai_sets WHERE set_spec = ?'),
      earliest: db.prepare('SELECT min(datestamp) AS d FROM oai_items'),
    };
  }

  private seqNow(): number {
    return Number((this.s.meta.get('seq') as { value: string } | undefined)?.value ?? '0');
  }

  private syncedSeq(): number | undefined {
    const v = (this.s.meta.get(SYNCED_KEY) as { value: string } | undefined)?.value;
    return v === undefined ? undefined : Number(v);
  }

  behind(): boolean {
    const synced = this.syncedSeq();
    return synced === undefined || synced < this.seqNow();
  }

  sync(now: string, opts: { waitMs?: number } = {}): OaiSyncResult | 'busy' {
    if (!this.behind()) return { changed: 0, deleted: 0, seq: this.seqNow() };
    // a transaction of this connection still open (an ingest between two awaits): its writes are not ours to commit
    if (this.db.inTransaction) return 'busy';
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    if (opts.waitMs !== undefined) this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.waitMs))}`);
    try {
      return this.db.transaction(() => this.syncLocked(now)).immediate();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return 'busy';
      throw err;
    } finally {
      if (opts.waitMs !== undefined) this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  private syncLocked(now: string): OaiSyncResult {
    const s = this.s;
    const q = (ids: readonly number[]): string => JSON.stringify(ids);
    return syncOaiItems(
      {
        seqNow: () => this.seqNow(),
        syncedSeq: () => this.syncedSeq(),
        setSyncedSeq: (seq) => void s.setMeta.run(SYNCED_KEY, String(seq)),
        libraryNames: () => s.libraryNames.all() as Array<{ code: string; name: string }>,
        setSpecs: () => (s.sets.all() as OaiSet[]).map((set) => set.spec),
        putSet: (spec, label) => void s.putSet.run(spec, label),
        changedWorkIds: (since) => (s.changedWorks.all(since) as Array<{ id: number }>).map((r) => r.id),
        removedWorkIds: (since) => (s.removedWorks.all(since) as Array<{ id: number }>).map((r) => r.id),
        formats: (ids) => s.formats.all(q(ids)) as Array<{ id: number; format: string | null }>,
        members: (ids) => s.members.all(q(ids)) as OaiMemberRow[],
        items: (ids) => s.items.all(q(ids)) as Array<{ workId: number; fingerprint: string; deleted: number }>,
        setRows: (ids) => s.setRows.all(q(ids)) as Array<{ workId: number; spec: string; member: number }>,
        putItem: (workId, datestamp, fingerprint) => void s.putItem.run(workId, datestamp, fingerprint),
        putSetRow: (spec, workId, datestamp, member) => void s.putSetRow.run(spec, workId, datestamp, member),
        deleteItem: (at, workId) => s.deleteItem.run(at, workId).changes > 0,
        leaveSets: (at, workId) => void s.leaveSets.run(at, workId),
      },
      now,
    );
  }

  item(workId: number): OaiItem | undefined {
    const row = this.s.item.get(workId) as { workId: number; datestamp: string; deleted: number } | undefined;
    return row ? { workId: row.workId, datestamp: row.datestamp, deleted: row.deleted === 1 } : undefined;
  }

  /** the list statements, by their SQL (a few shapes: with or without set, from, after) */
  private readonly listStatements = new Map<string, Statement<unknown[]>>();

  private prepared(sql: string): Statement<unknown[]> {
    let st = this.listStatements.get(sql);
    if (!st) this.listStatements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  list(q: OaiListQuery): OaiItem[] {
    const { sql, params } = listSql(q, false);
    const rows = this.prepared(sql).all(...params, q.limit) as Array<{ workId: number; datestamp: string; deleted: number }>;
    return rows.map((r) => ({ workId: r.workId, datestamp: r.datestamp, deleted: r.deleted === 1 }));
  }

  count(q: Omit<OaiListQuery, 'after' | 'limit'>): number {
    const { sql, params } = listSql({ ...q, limit: 0 }, true);
    return (this.prepared(sql).get(...params) as { n: number }).n;
  }

  setsOf(items: readonly OaiItem[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    if (items.length === 0) return out;
    const deleted = new Map(items.map((i) => [i.workId, i.deleted]));
    for (const r of this.s.itemSets.all(JSON.stringify(items.map((i) => i.workId))) as Array<{ workId: number; spec: string; member: number }>) {
      if (r.member !== 1 && !deleted.get(r.workId)) continue;
      let list = out.get(r.workId);
      if (!list) out.set(r.workId, (list = []));
      list.push(r.spec);
    }
    return out;
  }

  sets(): OaiSet[] {
    return this.s.sets.all() as OaiSet[];
  }

  hasSet(spec: string): boolean {
    return this.s.hasSet.get(spec) !== undefined;
  }

  earliestDatestamp(): string | undefined {
    return (this.s.earliest.get() as { d: string | null }).d ?? undefined;
  }
}

/** The list's query: the whole repository from oai_items, a set from its membership rows (a work that left the set is deleted there). */
function listSql(q: OaiListQuery, count: boolean): { sql: string; params: Array<string | number> } {
  const params: Array<string | number> = [];
  const where: string[] = [];
  const inSet = q.set !== undefined;
  const ds = inSet ? 's.datestamp' : 'i.datestamp';
  const id = inSet ? 's.work_id' : 'i.work_id';
  if (inSet) {
    where.push('s.set_spec = ?');
    params.push(q.set as string);
  }
  if (q.from !== undefined) {
    where.push(`${ds} >= ?`);
    params.push(q.from);
  }
  where.push(`${ds} <= ?`);
  params.push(q.until);
  if (q.after) {
    where.push(`(${ds}, ${id}) > (?, ?)`);
    params.push(q.after.datestamp, q.after.workId);
  }
  const from = inSet ? 'oai_item_sets s JOIN oai_items i ON i.work_id = s.work_id' : 'oai_items i';
  if (count) return { sql: `SELECT count(*) AS n FROM ${inSet ? 'oai_item_sets s' : 'oai_items i'} WHERE ${where.join(' AND ')}`, params };
  const deleted = inSet ? 'CASE WHEN i.deleted = 1 OR s.member = 0 THEN 1 ELSE 0 END' : 'i.deleted';
  return {
    sql: `SELECT ${id} AS workId, ${ds} AS datestamp, ${deleted} AS deleted FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${ds}, ${id} LIMIT ?`,
    params,
  };
}
