/**
 * The OAI-PMH provider's items in PostgreSQL (tables oai_items, oai_item_sets, oai_sets of migration
 * 1), and their sync with the catalog, as src/store/sqlite-oai-store.ts does it: the works changed
 * since the last sync (works.seq) and the works removed (work_tombstones), a datestamp moving only
 * when the digest of a work's members (ids and content hashes) changed.
 *
 * Several replicas may serve OAI-PMH from one database: a sync runs under a transaction-scoped
 * advisory lock (LOCK_KEYS.oaiSync), so they sync one at a time; one that cannot get the lock within
 * its wait answers 'busy' and serves the items as they are (consistent, a little behind).
 */
import type { OaiItem, OaiItemStore, OaiListQuery, OaiSet, OaiSyncResult } from '../oai-provider/oai-item-store.ts';
import { syncOaiItems } from '../oai-provider/sync-oai-items.ts';
import { LOCK_KEYS, type PgDatabase } from './pg-database.ts';

const SYNCED_KEY = 'oai_synced_seq';
/** how long a sync waits for another replica's by default (SQLite's busy timeout plays this part there) */
const DEFAULT_WAIT_MS = 5000;

function idArray(ids: readonly number[]): string {
  return `{${ids.map((n) => String(Math.trunc(Number(n)))).join(',')}}`;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

export class PgOaiStore implements OaiItemStore {
  constructor(private readonly db: PgDatabase) {}

  private metaValue(key: string): string | undefined {
    return this.db.get<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])?.value;
  }

  private seqNow(): number {
    return Number(this.metaValue('seq') ?? '0');
  }

  private syncedSeq(): number | undefined {
    const v = this.metaValue(SYNCED_KEY);
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
    const wait = Math.max(0, Math.floor(opts.waitMs ?? DEFAULT_WAIT_MS));
    const until = Date.now() + wait;
    return this.db.transaction(() => {
      for (;;) {
        if (this.db.get<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [LOCK_KEYS.oaiSync])!.ok) break;
        const left = until - Date.now();
        if (left <= 0) return 'busy';
        Atomics.wait(pause, 0, 0, Math.min(25, left));
      }
      // another replica may have synced while this one waited
      if (!this.behind()) return { changed: 0, deleted: 0, seq: this.seqNow() };
      return this.syncLocked(now);
    });
  }

  private syncLocked(now: string): OaiSyncResult {
    const db = this.db;
    const q = (ids: readonly number[]): string[] => [idArray(ids)];
    return syncOaiItems(
      {
        seqNow: () => this.seqNow(),
        syncedSeq: () => this.syncedSeq(),
        setSyncedSeq: (seq) => void db.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [SYNCED_KEY, String(seq)]),
        libraryNames: () => db.all<{ code: string; name: string }>('SELECT code, name FROM libraries'),
        setSpecs: () => this.sets().map((s) => s.spec),
        putSet: (spec, label) => void db.run('INSERT INTO oai_sets (set_spec, label) VALUES ($1, $2) ON CONFLICT (set_spec) DO UPDATE SET label = excluded.label', [spec, label]),
        changedWorkIds: (since) => db.all<{ id: number }>('SELECT id FROM works WHERE seq > $1 ORDER BY id', [since]).map((r) => r.id),
        removedWorkIds: (since) => db.all<{ id: number }>('SELECT id FROM work_tombstones WHERE seq > $1 ORDER BY id', [since]).map((r) => r.id),
        formats: (ids) => db.all("SELECT id, doc::jsonb ->> 'format' AS format FROM works WHERE id = ANY($1::bigint[]) AND doc <> '{}' ORDER BY id", q(ids)),
        members: (ids) => db.all('SELECT work_id AS "workId", id, hash, library, updated_at AS "updatedAt" FROM records WHERE work_id = ANY($1::bigint[])', q(ids)),
        items: (ids) => db.all('SELECT work_id AS "workId", fingerprint, deleted FROM oai_items WHERE work_id = ANY($1::bigint[])', q(ids)),
        setRows: (ids) => db.all('SELECT work_id AS "workId", set_spec AS spec, member FROM oai_item_sets WHERE work_id = ANY($1::bigint[])', q(ids)),
        putItem: (workId, datestamp, fingerprint) =>
          void db.run(
            `INSERT INTO oai_items (work_id, datestamp, deleted, fingerprint) VALUES ($1, $2, 0, $3)
              ON CONFLICT (work_id) DO UPDATE SET datestamp = excluded.datestamp, deleted = 0, fingerprint = excluded.fingerprint`,
            [workId, datestamp, fingerprint],
          ),
        putSetRow: (spec, workId, datestamp, member) =>
          void db.run(
            `INSERT INTO oai_item_sets (set_spec, work_id, datestamp, member) VALUES ($1, $2, $3, $4)
              ON CONFLICT (set_spec, work_id) DO UPDATE SET datestamp = excluded.datestamp, member = excluded.member`,
            [spec, workId, datestamp, member],
          ),
        deleteItem: (at, workId) => db.run('UPDATE oai_items SET deleted = 1, datestamp = $1 WHERE work_id = $2 AND deleted = 0', [at, workId]) > 0,
        leaveSets: (at, workId) => void db.run('UPDATE oai_item_sets SET member = 0, datestamp = $1 WHERE work_id = $2 AND member = 1', [at, workId]),
      },
      now,
    );
  }

  item(workId: number): OaiItem | undefined {
    const row = this.db.get<{ workId: number; datestamp: string; deleted: number }>('SELECT work_id AS "workId", datestamp, deleted FROM oai_items WHERE work_id = $1', [workId]);
    return row ? { workId: row.workId, datestamp: row.datestamp, deleted: row.deleted === 1 } : undefined;
  }

  list(q: OaiListQuery): OaiItem[] {
    const { sql, params } = listSql(q, false);
    const rows = this.db.all<{ workId: number; datestamp: string; deleted: number }>(sql, [...params, q.limit]);
    return rows.map((r) => ({ workId: r.workId, datestamp: r.datestamp, deleted: r.deleted === 1 }));
  }

  count(q: Omit<OaiListQuery, 'after' | 'limit'>): number {
    const { sql, params } = listSql({ ...q, limit: 0 }, true);
    return this.db.get<{ n: number }>(sql, params)!.n;
  }

  setsOf(items: readonly OaiItem[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    if (items.length === 0) return out;
    const deleted = new Map(items.map((i) => [i.workId, i.deleted]));
    const rows = this.db.all<{ workId: number; spec: string; member: number }>(
      'SELECT work_id AS "workId", set_spec AS spec, member FROM oai_item_sets WHERE work_id = ANY($1::bigint[]) ORDER BY set_spec',
      [idArray(items.map((i) => i.workId))],
    );
    for (const r of rows) {
      if (r.member !== 1 && !deleted.get(r.workId)) continue;
      let list = out.get(r.workId);
      if (!list) out.set(r.workId, (list = []));
      list.push(r.spec);
    }
    return out;
  }

  sets(): OaiSet[] {
    return this.db.all<OaiSet>('SELECT set_spec AS spec, label FROM oai_sets ORDER BY set_spec');
  }

  hasSet(spec: string): boolean {
    return this.db.get('SELECT 1 AS one FROM oai_sets WHERE set_spec = $1', [spec]) !== undefined;
  }

  earliestDatestamp(): string | undefined {
    return this.db.get<{ d: string | null }>('SELECT min(datestamp) AS d FROM oai_items')!.d ?? undefined;
  }
}

/** The list's query (as the SQLite store's): the whole repository from oai_items, a set from its membership rows. */
function listSql(q: OaiListQuery, count: boolean): { sql: string; params: Array<string | number> } {
  const params: Array<string | number> = [];
  const where: string[] = [];
  const p = (v: string | number): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const inSet = q.set !== undefined;
  const ds = inSet ? 's.datestamp' : 'i.datestamp';
  const id = inSet ? 's.work_id' : 'i.work_id';
  if (inSet) where.push(`s.set_spec = ${p(q.set as string)}`);
  if (q.from !== undefined) where.push(`${ds} >= ${p(q.from)}`);
  where.push(`${ds} <= ${p(q.until)}`);
  if (q.after) where.push(`(${ds}, ${id}) > (${p(q.after.datestamp)}, ${p(q.after.workId)}::bigint)`);
  const from = inSet ? 'oai_item_sets s JOIN oai_items i ON i.work_id = s.work_id' : 'oai_items i';
  if (count) return { sql: `SELECT count(*) AS n FROM ${inSet ? 'oai_item_sets s' : 'oai_items i'} WHERE ${where.join(' AND ')}`, params };
  const deleted = inSet ? 'CASE WHEN i.deleted = 1 OR s.member = 0 THEN 1 ELSE 0 END' : 'i.deleted';
  return {
    sql: `SELECT ${id} AS "workId", ${ds} AS datestamp, ${deleted} AS deleted FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${ds}, ${id} LIMIT $${params.length + 1}`,
    params,
  };
}
