/**
 * Schema migrations, applied in order; PRAGMA user_version records how many have run.
 * Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE libraries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  -- a work is a cluster of records describing the same thing; doc is the merged WorkDocument (JSON)
  CREATE TABLE works (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    library_count INTEGER NOT NULL,
    seq INTEGER NOT NULL
  );
  CREATE INDEX works_seq ON works(seq);
  -- works removed since the index last looked: lets a persisted search index catch up without a rebuild
  CREATE TABLE work_tombstones (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
  );
  CREATE INDEX work_tombstones_seq ON work_tombstones(seq);
  CREATE TABLE records (
    id TEXT PRIMARY KEY,
    library TEXT NOT NULL REFERENCES libraries(code),
    local_id TEXT NOT NULL,
    work_id INTEGER NOT NULL REFERENCES works(id),
    hash TEXT NOT NULL,
    doc TEXT NOT NULL,
    marc TEXT NOT NULL,
    source_format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    encoding_mismatch INTEGER NOT NULL DEFAULT 0,
    matched_by TEXT,
    warnings TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX records_work ON records(work_id);
  CREATE INDEX records_library ON records(library);
  -- dedup and lookup keys: isbn (ISBN-13), isbn10, id (unique ids), title (title key), issn, oclc
  CREATE TABLE record_keys (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, record_id)
  ) WITHOUT ROWID;
  CREATE INDEX record_keys_record ON record_keys(record_id);
  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    library TEXT NOT NULL,
    branch TEXT,
    location TEXT,
    call_number TEXT,
    barcode TEXT,
    item_type TEXT,
    status TEXT NOT NULL,
    due_date TEXT,
    note TEXT
  );
  CREATE INDEX items_record ON items(record_id);
  CREATE INDEX items_library_status ON items(library, status);
  CREATE TABLE ingest_runs (
    id INTEGER PRIMARY KEY,
    library TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    summary TEXT
  );
  `,
  `
  -- interlibrary loan: one row per request; the current lender's state beside the requester's
  CREATE TABLE ill_requests (
    id INTEGER PRIMARY KEY,
    work_id INTEGER,
    title TEXT NOT NULL,
    requester TEXT NOT NULL,
    supplier TEXT,
    state TEXT NOT NULL,
    supplier_state TEXT,
    prior_state TEXT,
    prior_supplier_state TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    placed_by TEXT NOT NULL,
    -- personal data: only what the workflow needs, erased after the retention period
    patron_platform TEXT,
    patron_user_id TEXT,
    patron_name TEXT,
    need_by TEXT,
    note TEXT,
    service_level TEXT NOT NULL DEFAULT 'normal',
    condition TEXT,
    due_date TEXT,
    renewals INTEGER NOT NULL DEFAULT 0,
    response_deadline TEXT,
    reminder_sent INTEGER NOT NULL DEFAULT 0,
    due_reminder_sent INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    outcome TEXT,
    purged_at TEXT
  );
  CREATE INDEX ill_requests_state ON ill_requests(state);
  CREATE INDEX ill_requests_requester ON ill_requests(requester);
  CREATE INDEX ill_requests_supplier ON ill_requests(supplier);
  CREATE INDEX ill_requests_patron ON ill_requests(patron_platform, patron_user_id);
  -- the lenders tried or to try, in order, with why each was chosen or skipped
  CREATE TABLE ill_rota (
    request_id INTEGER NOT NULL REFERENCES ill_requests(id),
    position INTEGER NOT NULL,
    library TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (request_id, position)
  );
  -- the audit trail: every transition, appended in the same transaction
  CREATE TABLE ill_events (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES ill_requests(id),
    at TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_library TEXT,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    supplier TEXT,
    supplier_from TEXT,
    supplier_to TEXT,
    note TEXT
  );
  CREATE INDEX ill_events_request ON ill_events(request_id);
  -- notifications waiting for delivery; one delivery row per platform that delivered it
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL,
    target TEXT NOT NULL,
    target_platform TEXT,
    request_id INTEGER,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE outbox_deliveries (
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    platform TEXT NOT NULL,
    delivered_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    PRIMARY KEY (outbox_id, platform)
  );
  `,
];
