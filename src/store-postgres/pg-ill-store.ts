import type { IllStore, LendingLoad } from '../ill/ill-store.ts';
import type { IllEvent, IllRequest, IllRequestChanges, RotaEntry, RotaReason, RotaStatus } from '../ill/ill-request.ts';
import { decodeRotaReason, encodeRotaReason } from '../store/rota-reason-text.ts';
import { LOCK_KEYS, textArray, type PgDatabase } from './pg-database.ts';

const REQUEST_COLUMNS = `id, work_id AS "workId", title, requester, supplier, state, supplier_state AS "supplierState",
  prior_state AS "priorState", prior_supplier_state AS "priorSupplierState", version, placed_by AS "placedBy",
  patron_platform AS "patronPlatform", patron_user_id AS "patronUserId", patron_name AS "patronName", need_by AS "needBy", note,
  service_level AS "serviceLevel", condition, due_date AS "dueDate", renewals, response_deadline AS "responseDeadline",
  reminder_sent AS "reminderSent", due_reminder_sent AS "dueReminderSent", created_at AS "createdAt", updated_at AS "updatedAt",
  closed_at AS "closedAt", outcome, purged_at AS "purgedAt"`;

/** Field → column; also the allow-list of what insertRequest and updateRequest may name. */
const COLUMN_OF: Record<string, string> = {
  workId: 'work_id', title: 'title', requester: 'requester', supplier: 'supplier', state: 'state', supplierState: 'supplier_state',
  priorState: 'prior_state', priorSupplierState: 'prior_supplier_state', placedBy: 'placed_by', patronPlatform: 'patron_platform',
  patronUserId: 'patron_user_id', patronName: 'patron_name', needBy: 'need_by', note: 'note', serviceLevel: 'service_level',
  condition: 'condition', dueDate: 'due_date', renewals: 'renewals', responseDeadline: 'response_deadline', reminderSent: 'reminder_sent',
  dueReminderSent: 'due_reminder_sent', createdAt: 'created_at', updatedAt: 'updated_at', closedAt: 'closed_at', outcome: 'outcome', purgedAt: 'purged_at',
};

const EVENT_COLUMNS = `at, actor_role AS "actorRole", actor_library AS "actorLibrary", action, from_state AS "fromState", to_state AS "toState",
  supplier, supplier_from AS "supplierFrom", supplier_to AS "supplierTo", note`;

/**
 * Interlibrary-loan requests, their rota and their event log in PostgreSQL, shared by every replica.
 *
 * Every transition happens once across replicas, twice guarded: each ILL transaction first takes one
 * transaction-scoped advisory lock, so ILL writers run one at a time as SQLite's BEGIN IMMEDIATE makes
 * them (the rules read the request, its rota and the lending load, then write), and updateRequest
 * still changes a row only at the version it was read at. ILL write volume is a few actions a second
 * at most; the lock costs nothing the people waiting on it would notice.
 */
export class PgIllStore implements IllStore {
  constructor(readonly db: PgDatabase) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn, LOCK_KEYS.ill);
  }

  insertRequest(row: Omit<IllRequest, 'id' | 'version'>): number {
    const cols = Object.keys(row).filter((k) => COLUMN_OF[k] !== undefined);
    const values = cols.map((c) => (row as Record<string, unknown>)[c]);
    const sql = `INSERT INTO ill_requests (${cols.map((c) => COLUMN_OF[c]).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`;
    return this.db.get<{ id: number }>(sql, values)!.id;
  }

  request(id: number): IllRequest | undefined {
    return this.db.get<IllRequest>(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE id = $1`, [id]);
  }

  updateRequest(id: number, version: number, changes: IllRequestChanges): boolean {
    const cols = Object.keys(changes).filter((k) => COLUMN_OF[k] !== undefined);
    const values = cols.map((c) => (changes as Record<string, unknown>)[c]);
    const sets = cols.map((c, i) => `${COLUMN_OF[c]} = $${i + 1}`);
    const sql = `UPDATE ill_requests SET ${[...sets, 'version = version + 1'].join(', ')} WHERE id = $${cols.length + 1} AND version = $${cols.length + 2}`;
    return this.db.run(sql, [...values, id, version]) === 1;
  }

  markReminded(id: number, which: 'lender' | 'due'): void {
    this.db.run(`UPDATE ill_requests SET ${which === 'lender' ? 'reminder_sent' : 'due_reminder_sent'} = 1 WHERE id = $1`, [id]);
  }

  insertRota(requestId: number, entries: ReadonlyArray<Omit<RotaEntry, 'position'>>): void {
    const start = this.db.get<{ n: number }>('SELECT coalesce(max(position), -1) + 1 AS n FROM ill_rota WHERE request_id = $1', [requestId])!.n;
    entries.forEach((e, i) =>
      this.db.run('INSERT INTO ill_rota (request_id, position, library, status, reason) VALUES ($1, $2, $3, $4, $5)', [requestId, start + i, e.library, e.status, encodeRotaReason(e.reason)]),
    );
  }

  rota(requestId: number): RotaEntry[] {
    const rows = this.db.all<Omit<RotaEntry, 'reason'> & { reason: string }>('SELECT position, library, status, reason FROM ill_rota WHERE request_id = $1 ORDER BY position', [requestId]);
    return rows.map((r) => ({ ...r, reason: decodeRotaReason(r.status, r.reason) }));
  }

  setRotaStatus(requestId: number, position: number, status: RotaStatus, reason?: RotaReason): void {
    if (reason === undefined) this.db.run('UPDATE ill_rota SET status = $1 WHERE request_id = $2 AND position = $3', [status, requestId, position]);
    else this.db.run('UPDATE ill_rota SET status = $1, reason = $2 WHERE request_id = $3 AND position = $4', [status, encodeRotaReason(reason), requestId, position]);
  }

  appendEvent(requestId: number, e: IllEvent): void {
    this.db.run(
      `INSERT INTO ill_events (request_id, at, actor_role, actor_library, action, from_state, to_state, supplier, supplier_from, supplier_to, note)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [requestId, e.at, e.actorRole, e.actorLibrary, e.action, e.fromState, e.toState, e.supplier, e.supplierFrom, e.supplierTo, e.note],
    );
  }

  events(requestId: number): IllEvent[] {
    return this.db.all<IllEvent>(`SELECT ${EVENT_COLUMNS} FROM ill_events WHERE request_id = $1 ORDER BY id`, [requestId]);
  }

  requestsOfPatron(platform: string, userId: string, limit = 20): IllRequest[] {
    return this.db.all<IllRequest>(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE patron_platform = $1 AND patron_user_id = $2 ORDER BY id DESC LIMIT $3`, [platform, userId, limit]);
  }

  openRequestsOfLibrary(library: string, terminal: readonly string[], limit = 30): IllRequest[] {
    return this.db.all<IllRequest>(
      `SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE (requester = $1 OR supplier = $1) AND NOT (state = ANY($2::text[])) ORDER BY id LIMIT $3`,
      [library, textArray(terminal), limit],
    );
  }

  openRequests(terminal: readonly string[]): IllRequest[] {
    return this.db.all<IllRequest>(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE NOT (state = ANY($1::text[])) ORDER BY id`, [textArray(terminal)]);
  }

  recentRequestsOfLibraryForWork(library: string, workId: number, since: string): IllRequest[] {
    return this.db.all<IllRequest>(
      `SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE requester = $1 AND placed_by = 'librarian' AND work_id = $2 AND created_at >= $3 ORDER BY id`,
      [library, workId, since],
    );
  }

  patronsClosedBefore(before: string): Array<{ platform: string; userId: string }> {
    return this.db.all<{ platform: string; userId: string }>(
      `SELECT DISTINCT patron_platform AS platform, patron_user_id AS "userId" FROM ill_requests
        WHERE closed_at IS NOT NULL AND closed_at < $1 AND purged_at IS NULL AND patron_platform IS NOT NULL AND patron_user_id IS NOT NULL`,
      [before],
    );
  }

  recentRequestsOfPatronForWork(platform: string, userId: string, workId: number, since: string): IllRequest[] {
    return this.db.all<IllRequest>(
      `SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE patron_platform = $1 AND patron_user_id = $2 AND work_id = $3 AND created_at >= $4 ORDER BY id`,
      [platform, userId, workId, since],
    );
  }

  lendingLoad(): Map<string, LendingLoad> {
    const out = new Map<string, LendingLoad>();
    const get = (lib: string): LendingLoad => {
      let v = out.get(lib);
      if (!v) out.set(lib, (v = { lent: 0, borrowed: 0, openQueue: 0 }));
      return v;
    };
    for (const r of this.db.all<{ lib: string | null; n: number }>("SELECT supplier AS lib, count(*) AS n FROM ill_events WHERE action = 'ship' GROUP BY supplier")) {
      if (r.lib) get(r.lib).lent = r.n;
    }
    for (const r of this.db.all<{ lib: string | null; n: number }>("SELECT actor_library AS lib, count(*) AS n FROM ill_events WHERE action = 'receive' GROUP BY actor_library")) {
      if (r.lib) get(r.lib).borrowed = r.n;
    }
    for (const r of this.db.all<{ lib: string; n: number }>(
      "SELECT supplier AS lib, count(*) AS n FROM ill_requests WHERE supplier IS NOT NULL AND supplier_state IN ('NEW','WILL_SUPPLY','CONDITION_PENDING') GROUP BY supplier",
    )) {
      get(r.lib).openQueue = r.n;
    }
    return out;
  }

  allRequestsForStats(): Array<Pick<IllRequest, 'id' | 'requester' | 'supplier' | 'state' | 'createdAt'>> {
    return this.db.all('SELECT id, requester, supplier, state, created_at AS "createdAt" FROM ill_requests ORDER BY id');
  }

  eventsForStats(): Array<{ requestId: number; action: string; at: string; supplier: string | null; actorLibrary: string | null }> {
    return this.db.all(
      `SELECT request_id AS "requestId", action, at, supplier, actor_library AS "actorLibrary" FROM ill_events WHERE action IN ('ship', 'receive') ORDER BY id`,
    );
  }

  purgePatrons(before: string): number {
    return this.db.transaction(() => {
      const n = this.db.run(
        'UPDATE ill_requests SET patron_user_id = NULL, patron_name = NULL, purged_at = $1 WHERE closed_at IS NOT NULL AND closed_at < $2 AND purged_at IS NULL',
        [new Date().toISOString(), before],
      );
      // the delivered notices to those patrons forget whom they went to
      this.db.run(`UPDATE outbox SET target = 'purged' WHERE target_type = 'user' AND request_id IN (SELECT id FROM ill_requests WHERE purged_at IS NOT NULL)
        AND id IN (SELECT outbox_id FROM outbox_deliveries WHERE delivered_at IS NOT NULL)`);
      return n;
    });
  }
}
