import type { SqliteDatabase } from './open-database.ts';
import type { IllStore } from '../ill/ill-store.ts';
import { parseDonePlaces, type GivenUpRow, type Outbox, type OutboxFormat, type OutboxRow } from '../ill/outbox.ts';
import type { IllEvent, IllRequest, IllRequestChanges, RotaEntry, RotaReason, RotaStatus } from '../ill/ill-request.ts';
import { decodeRotaReason, encodeRotaReason } from './rota-reason-text.ts';

export type { IllRequestChanges, IllEvent, RotaEntry, RotaReason, RotaStatus } from '../ill/ill-request.ts';
/** the request as the store keeps it (the ILL core calls it IllRequest) */
export type IllRequestRow = IllRequest;

export type { OutboxRow } from '../ill/outbox.ts';

const REQUEST_COLUMNS = `id, work_id AS workId, title, requester, supplier, state, supplier_state AS supplierState,
  prior_state AS priorState, prior_supplier_state AS priorSupplierState, version, placed_by AS placedBy,
  patron_platform AS patronPlatform, patron_user_id AS patronUserId, patron_name AS patronName, need_by AS needBy, note,
  service_level AS serviceLevel, condition, due_date AS dueDate, renewals, response_deadline AS responseDeadline,
  reminder_sent AS reminderSent, due_reminder_sent AS dueReminderSent, created_at AS createdAt, updated_at AS updatedAt,
  closed_at AS closedAt, outcome, purged_at AS purgedAt`;

const COLUMN_OF: Record<string, string> = {
  workId: 'work_id', title: 'title', requester: 'requester', supplier: 'supplier', state: 'state', supplierState: 'supplier_state',
  priorState: 'prior_state', priorSupplierState: 'prior_supplier_state', placedBy: 'placed_by', patronPlatform: 'patron_platform',
  patronUserId: 'patron_user_id', patronName: 'patron_name', needBy: 'need_by', note: 'note', serviceLevel: 'service_level',
  condition: 'condition', dueDate: 'due_date', renewals: 'renewals', responseDeadline: 'response_deadline', reminderSent: 'reminder_sent',
  dueReminderSent: 'due_reminder_sent', createdAt: 'created_at', updatedAt: 'updated_at', closedAt: 'closed_at', outcome: 'outcome', purgedAt: 'purged_at',
};

/** Interlibrary-loan requests, their rota, their event log and the notification outbox. */
export class SqliteIllStore implements IllStore, Outbox {
  constructor(readonly db: SqliteDatabase) {}

  /** A write transaction that takes the write lock at once (BEGIN IMMEDIATE): safe across processes. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  insertRequest(row: Omit<IllRequestRow, 'id' | 'version'>): number {
    const cols = Object.keys(row).filter((k) => COLUMN_OF[k] !== undefined);
    const sql = `INSERT INTO ill_requests (${cols.map((c) => COLUMN_OF[c]).join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`;
    return Number(this.db.prepare(sql).run(row).lastInsertRowid);
  }

  request(id: number): IllRequestRow | undefined {
    return this.db.prepare(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE id = ?`).get(id) as IllRequestRow | undefined;
  }

  /** Applies changes only if the request is still at `version`; bumps the version. False = somebody was first. */
  updateRequest(id: number, version: number, changes: IllRequestChanges): boolean {
    const cols = Object.keys(changes).filter((k) => COLUMN_OF[k] !== undefined);
    const sets = cols.map((c) => `${COLUMN_OF[c]} = @${c}`);
    const sql = `UPDATE ill_requests SET ${[...sets, 'version = version + 1'].join(', ')} WHERE id = @id AND version = @version`;
    return this.db.prepare(sql).run({ ...changes, id, version }).changes === 1;
  }

  /** A reminder went out; not a transition, so the version (and the buttons on cards) stay valid. */
  markReminded(id: number, which: 'lender' | 'due'): void {
    this.db.prepare(`UPDATE ill_requests SET ${which === 'lender' ? 'reminder_sent' : 'due_reminder_sent'} = 1 WHERE id = ?`).run(id);
  }

  insertRota(requestId: number, entries: ReadonlyArray<Omit<RotaEntry, 'position'>>): void {
    const start = (this.db.prepare('SELECT coalesce(max(position), -1) + 1 AS n FROM ill_rota WHERE request_id = ?').get(requestId) as { n: number }).n;
    const stmt = this.db.prepare('INSERT INTO ill_rota (request_id, position, library, status, reason) VALUES (?, ?, ?, ?, ?)');
    entries.forEach((e, i) => stmt.run(requestId, start + i, e.library, e.status, encodeRotaReason(e.reason)));
  }

  rota(requestId: number): RotaEntry[] {
    const rows = this.db.prepare('SELECT position, library, status, reason FROM ill_rota WHERE request_id = ? ORDER BY position').all(requestId) as Array<Omit<RotaEntry, 'reason'> & { reason: string }>;
    return rows.map((r) => ({ ...r, reason: decodeRotaReason(r.status, r.reason) }));
  }

  setRotaStatus(requestId: number, position: number, status: RotaStatus, reason?: RotaReason): void {
    if (reason === undefined) this.db.prepare('UPDATE ill_rota SET status = ? WHERE request_id = ? AND position = ?').run(status, requestId, position);
    else this.db.prepare('UPDATE ill_rota SET status = ?, reason = ? WHERE request_id = ? AND position = ?').run(status, encodeRotaReason(reason), requestId, position);
  }

  appendEvent(requestId: number, e: IllEvent): void {
    this.db
      .prepare(`INSERT INTO ill_events (request_id, at, actor_role, actor_library, action, from_state, to_state, supplier, supplier_from, supplier_to, note)
        VALUES (@requestId, @at, @actorRole, @actorLibrary, @action, @fromState, @toState, @supplier, @supplierFrom, @supplierTo, @note)`)
      .run({ requestId, ...e });
  }

  events(requestId: number): IllEvent[] {
    return this.db
      .prepare(`SELECT at, actor_role AS actorRole, actor_library AS actorLibrary, action, from_state AS fromState, to_state AS toState,
        supplier, supplier_from AS supplierFrom, supplier_to AS supplierTo, note FROM ill_events WHERE request_id = ? ORDER BY id`)
      .all(requestId) as IllEvent[];
  }

  requestsOfPatron(platform: string, userId: string, limit = 20): IllRequestRow[] {
    return this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE patron_platform = ? AND patron_user_id = ? ORDER BY id DESC LIMIT ?`)
      .all(platform, userId, limit) as IllRequestRow[];
  }

  /** Open requests a library borrows or lends. */
  openRequestsOfLibrary(library: string, terminal: readonly string[], limit = 30): IllRequestRow[] {
    return this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE (requester = ? OR supplier = ?) AND state NOT IN (${terminal.map(() => '?').join(',')})
        ORDER BY id LIMIT ?`)
      .all(library, library, ...terminal, limit) as IllRequestRow[];
  }

  openRequests(terminal: readonly string[]): IllRequestRow[] {
    return this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE state NOT IN (${terminal.map(() => '?').join(',')}) ORDER BY id`)
      .all(...terminal) as IllRequestRow[];
  }

  /** The same patron's requests for the same work since a time (duplicate review). */
  recentRequestsOfPatronForWork(platform: string, userId: string, workId: number, since: string): IllRequestRow[] {
    return this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE patron_platform = ? AND patron_user_id = ? AND work_id = ? AND created_at >= ?`)
      .all(platform, userId, workId, since) as IllRequestRow[];
  }

  recentRequestsOfLibraryForWork(library: string, workId: number, since: string): IllRequestRow[] {
    return this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM ill_requests WHERE requester = ? AND placed_by = 'librarian' AND work_id = ? AND created_at >= ? ORDER BY id`)
      .all(library, workId, since) as IllRequestRow[];
  }

  /** Per library: loans supplied (shipped), loans borrowed (received), and the open lending queue. */
  lendingLoad(): Map<string, { lent: number; borrowed: number; openQueue: number }> {
    const out = new Map<string, { lent: number; borrowed: number; openQueue: number }>();
    const get = (lib: string): { lent: number; borrowed: number; openQueue: number } => {
      let v = out.get(lib);
      if (!v) out.set(lib, (v = { lent: 0, borrowed: 0, openQueue: 0 }));
      return v;
    };
    for (const r of this.db.prepare("SELECT supplier AS lib, count(*) AS n FROM ill_events WHERE action = 'ship' GROUP BY supplier").all() as { lib: string; n: number }[]) {
      if (r.lib) get(r.lib).lent = r.n;
    }
    for (const r of this.db.prepare("SELECT actor_library AS lib, count(*) AS n FROM ill_events WHERE action = 'receive' GROUP BY actor_library").all() as { lib: string; n: number }[]) {
      if (r.lib) get(r.lib).borrowed = r.n;
    }
    for (const r of this.db
      .prepare("SELECT supplier AS lib, count(*) AS n FROM ill_requests WHERE supplier IS NOT NULL AND supplier_state IN ('NEW','WILL_SUPPLY','CONDITION_PENDING') GROUP BY supplier")
      .all() as { lib: string; n: number }[]) {
      get(r.lib).openQueue = r.n;
    }
    return out;
  }

  /** Rows for the statistics report. */
  allRequestsForStats(): Array<Pick<IllRequestRow, 'id' | 'requester' | 'supplier' | 'state' | 'createdAt'>> {
    return this.db.prepare('SELECT id, requester, supplier, state, created_at AS createdAt FROM ill_requests').all() as Array<
      Pick<IllRequestRow, 'id' | 'requester' | 'supplier' | 'state' | 'createdAt'>
    >;
  }

  eventsForStats(): Array<{ requestId: number; action: string; at: string; supplier: string | null; actorLibrary: string | null }> {
    return this.db
      .prepare("SELECT request_id AS requestId, action, at, supplier, actor_library AS actorLibrary FROM ill_events WHERE action IN ('ship', 'receive')")
      .all() as Array<{ requestId: number; action: string; at: string; supplier: string | null; actorLibrary: string | null }>;
  }

  /** Erases patron fields of requests closed before `before`; returns how many. */
  patronsClosedBefore(before: string): Array<{ platform: string; userId: string }> {
    return this.db
      .prepare(`SELECT DISTINCT patron_platform AS platform, patron_user_id AS userId FROM ill_requests
        WHERE closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL AND patron_platform IS NOT NULL AND patron_user_id IS NOT NULL`)
      .all(before) as Array<{ platform: string; userId: string }>;
  }

  purgePatrons(before: string): number {
    const r = this.db
      .prepare(`UPDATE ill_requests SET patron_user_id = NULL, patron_name = NULL, purged_at = ? WHERE closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL`)
      .run(new Date().toISOString(), before);
    this.db
      .prepare(`UPDATE outbox SET target = 'purged' WHERE target_type = 'user' AND request_id IN (SELECT id FROM ill_requests WHERE purged_at IS NOT NULL)
        AND id IN (SELECT outbox_id FROM outbox_deliveries WHERE delivered_at IS NOT NULL)`)
      .run();
    return r.changes;
  }

  enqueue(row: { targetType: 'library' | 'user'; target: string; targetPlatform: string | null; requestId: number | null; payload: string; createdAt: string; format?: OutboxFormat }): number {
    return Number(
      this.db
        .prepare(`INSERT INTO outbox (target_type, target, target_platform, request_id, payload, created_at, format)
          VALUES (@targetType, @target, @targetPlatform, @requestId, @payload, @createdAt, @format)`)
        .run({ ...row, format: row.format ?? 'event' }).lastInsertRowid,
    );
  }

  /**
   * Messages a platform has not delivered yet and may try now, oldest first: user targets on that
   * platform, and library targets of libraries reachable there. A message waits while an earlier
   * message about the same request to the same target is waiting for its retry or is being sent, so a
   * later event never overtakes an earlier one (a card would go back in time, a thread would tell it
   * out of order). A message given up no longer holds the ones behind it.
   */
  pendingFor(platform: string, libraries: readonly string[], now: string, limit: number): OutboxRow[] {
    const libs = libraries.length > 0 ? libraries : [''];
    const rows = this.db
      .prepare(`SELECT o.id, o.target_type AS targetType, o.target, o.target_platform AS targetPlatform, o.request_id AS requestId,
          o.format, o.payload, o.created_at AS createdAt, coalesce(d.attempts, 0) AS attempts, d.next_attempt_at AS nextAttemptAt,
          d.lease_until AS leaseUntil, d.done_places AS donePlaces
        FROM outbox o LEFT JOIN outbox_deliveries d ON d.outbox_id = o.id AND d.platform = ?
        WHERE (d.delivered_at IS NULL) AND (d.gave_up_at IS NULL)
          AND ((o.target_type = 'user' AND o.target_platform = ? AND o.target <> 'purged')
            OR (o.target_type = 'library' AND o.target IN (${libs.map(() => '?').join(',')})))
        ORDER BY o.id`)
      .all(platform, platform, ...libs) as Array<StoredRow & { nextAttemptAt: string | null; leaseUntil: string | null }>;
    const held = new Set<string>();
    const due: OutboxRow[] = [];
    for (const { nextAttemptAt, leaseUntil, ...row } of rows) {
      const key = row.requestId === null ? undefined : `${row.requestId}|${row.targetType}|${row.targetPlatform ?? ''}|${row.target}`;
      if (key !== undefined && held.has(key)) continue;
      if ((nextAttemptAt !== null && nextAttemptAt > now) || (leaseUntil !== null && leaseUntil > now)) {
        if (key !== undefined) held.add(key);
        continue;
      }
      due.push({ ...fromStored(row), interrupted: leaseUntil !== null });
      if (due.length >= limit) break;
    }
    return due;
  }

  outboxMessage(id: number): OutboxRow | undefined {
    const row = this.db
      .prepare(`SELECT id, target_type AS targetType, target, target_platform AS targetPlatform, request_id AS requestId, format, payload, created_at AS createdAt,
          0 AS attempts, NULL AS donePlaces
        FROM outbox WHERE id = ?`)
      .get(id) as StoredRow | undefined;
    return row ? fromStored(row) : undefined;
  }

  claim(id: number, platform: string, owner: string, now: string, leaseUntil: string): boolean {
    // one statement: the row is created or taken over only when nobody else holds a live lease
    const r = this.db
      .prepare(`INSERT INTO outbox_deliveries (outbox_id, platform, attempts, lease_until, lease_owner) VALUES (@id, @platform, 0, @leaseUntil, @owner)
        ON CONFLICT(outbox_id, platform) DO UPDATE SET lease_until = excluded.lease_until, lease_owner = excluded.lease_owner
        WHERE delivered_at IS NULL AND gave_up_at IS NULL AND (lease_until IS NULL OR lease_until <= @now OR lease_owner = @owner)
          AND (next_attempt_at IS NULL OR next_attempt_at <= @now)`)
      .run({ id, platform, owner, now, leaseUntil });
    return r.changes > 0;
  }

  markPlaceDone(id: number, platform: string, place: string): void {
    const row = this.db.prepare('SELECT done_places AS donePlaces FROM outbox_deliveries WHERE outbox_id = ? AND platform = ?').get(id, platform) as { donePlaces: string | null } | undefined;
    const done = new Set(parseDonePlaces(row?.donePlaces ?? null));
    done.add(place);
    this.db
      .prepare(`INSERT INTO outbox_deliveries (outbox_id, platform, attempts, done_places) VALUES (?, ?, 0, ?)
        ON CONFLICT(outbox_id, platform) DO UPDATE SET done_places = excluded.done_places`)
      .run(id, platform, JSON.stringify([...done]));
  }

  markDelivered(id: number, platform: string, at: string): void {
    this.db
      .prepare(`INSERT INTO outbox_deliveries (outbox_id, platform, delivered_at, attempts) VALUES (?, ?, ?, 1)
        ON CONFLICT(outbox_id, platform) DO UPDATE SET delivered_at = excluded.delivered_at, attempts = attempts + 1, last_error = NULL, lease_until = NULL, lease_owner = NULL`)
      .run(id, platform, at);
  }

  markFailed(id: number, platform: string, error: string, nextAttemptAt: string): void {
    this.db
      .prepare(`INSERT INTO outbox_deliveries (outbox_id, platform, attempts, next_attempt_at, last_error) VALUES (?, ?, 1, ?, ?)
        ON CONFLICT(outbox_id, platform) DO UPDATE SET attempts = attempts + 1, next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error,
          lease_until = NULL, lease_owner = NULL`)
      .run(id, platform, nextAttemptAt, error.slice(0, 500));
  }

  markGivenUp(id: number, platform: string, error: string, at: string): void {
    this.db
      .prepare(`INSERT INTO outbox_deliveries (outbox_id, platform, attempts, last_error, gave_up_at) VALUES (?, ?, 1, ?, ?)
        ON CONFLICT(outbox_id, platform) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error, gave_up_at = excluded.gave_up_at,
          lease_until = NULL, lease_owner = NULL`)
      .run(id, platform, error.slice(0, 500), at);
  }

  givenUp(platform: string): GivenUpRow[] {
    return this.db
      .prepare(`SELECT outbox_id AS id, platform, coalesce(last_error, '') AS code, attempts, gave_up_at AS at FROM outbox_deliveries
        WHERE platform = ? AND gave_up_at IS NOT NULL ORDER BY outbox_id`)
      .all(platform) as GivenUpRow[];
  }
}

type StoredRow = Omit<OutboxRow, 'donePlaces' | 'interrupted'> & { donePlaces: string | null };

function fromStored(row: StoredRow): OutboxRow {
  return { ...row, donePlaces: parseDonePlaces(row.donePlaces), interrupted: false };
}
