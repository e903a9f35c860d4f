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
];
