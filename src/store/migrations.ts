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
  `
  -- short-lived conversation context per person and conversation (a thread, a DM, a terminal session)
  CREATE TABLE conversation_contexts (
    key TEXT PRIMARY KEY,
    context TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX conversation_contexts_expiry ON conversation_contexts(expires_at);
  -- librarian-maintained answers to common questions; library NULL = the whole consortium
  CREATE TABLE faq_entries (
    id INTEGER PRIMARY KEY,
    library TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  `
  -- harvesting: where each source stands, so that the next harvest is incremental and an interrupted one resumes
  CREATE TABLE harvest_state (
    source TEXT PRIMARY KEY,
    library TEXT NOT NULL,
    granularity TEXT,
    -- the from= of the next incremental harvest: the responseDate of the last complete list's first page
    next_from TEXT,
    last_success_at TEXT,
    -- an unfinished list: its resumptionToken, what it was started as and how far it got
    pending_token TEXT,
    pending_mode TEXT,
    pending_from TEXT,
    pending_response_date TEXT,
    pending_run INTEGER,
    pending_harvested INTEGER NOT NULL DEFAULT 0,
    pending_total INTEGER,
    updated_at TEXT NOT NULL
  );
  -- every run of a source (OAI-PMH or files): mode, outcome and counts, for jala stats
  CREATE TABLE harvest_runs (
    id INTEGER PRIMARY KEY,
    library TEXT NOT NULL,
    source TEXT NOT NULL,
    mode TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL,
    error_code TEXT,
    error TEXT,
    summary TEXT
  );
  CREATE INDEX harvest_runs_library ON harvest_runs(library, id);
  -- the identifier a source gives each record (an OAI identifier): deletions and updates name records by it;
  -- full_run = the full harvest that last saw it (what a full harvest did not see is gone)
  CREATE TABLE record_source_keys (
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    full_run INTEGER,
    PRIMARY KEY (source, key)
  );
  CREATE INDEX record_source_keys_record ON record_source_keys(record_id);
  -- at most one reindex at a time, across processes: the holder refreshes heartbeat_at while it runs
  CREATE TABLE reindex_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    description TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );
  `,
  // 5: which records a work holds, and from which libraries, read from the index alone: dedup asks
  // this for every candidate, and at a million records a table row read is a random page each time
  `
  CREATE INDEX records_work_library ON records(work_id, library, id);
  DROP INDEX records_work;
  `,
  // 6: the OAI-PMH provider (src/oai-provider): one item per work it has served, kept after the work is
  // gone (deletedRecord=persistent); a work's datestamp moves when its member records or their content change
  `
  CREATE TABLE oai_items (
    work_id INTEGER PRIMARY KEY,
    -- UTC, seconds: YYYY-MM-DDThh:mm:ssZ
    datestamp TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    -- a digest of the member records and their content hashes: the work changed when it changes
    fingerprint TEXT NOT NULL
  );
  CREATE INDEX oai_items_datestamp ON oai_items(datestamp, work_id);
  -- set membership, current (member = 1) and former (0): a work that left a set is listed there as deleted
  CREATE TABLE oai_item_sets (
    set_spec TEXT NOT NULL,
    work_id INTEGER NOT NULL,
    datestamp TEXT NOT NULL,
    member INTEGER NOT NULL,
    PRIMARY KEY (set_spec, work_id)
  ) WITHOUT ROWID;
  CREATE INDEX oai_item_sets_datestamp ON oai_item_sets(set_spec, datestamp, work_id);
  CREATE INDEX oai_item_sets_work ON oai_item_sets(work_id);
  -- every set that has ever had a member (ListSets)
  CREATE TABLE oai_sets (
    set_spec TEXT PRIMARY KEY,
    label TEXT NOT NULL
  );
  `,
  // 7: ISO 18626 partners (src/iso18626): one row per exchange of a Jala request with a partner (the
  // partner lends to a member, or borrows from one), with both sides' request ids; and the partner
  // outbox: each message written once, with its step, sent in order per exchange, retried on network
  // failure with the same bytes, and kept with the partner's refusal when it answers ERROR
  `
  CREATE TABLE iso18626_exchanges (
    id INTEGER PRIMARY KEY,
    -- NULL for a request refused at once (a copy request): the answer still goes out through the outbox
    request_id INTEGER REFERENCES ill_requests(id),
    partner TEXT NOT NULL,
    -- the partner's role: 'supplier' (a member borrows from it) or 'requester' (it borrows from a member)
    partner_role TEXT NOT NULL,
    member TEXT NOT NULL,
    requesting_agency_request_id TEXT NOT NULL,
    supplying_agency_request_id TEXT,
    -- the lender's pending terms (JSON ConditionOffer) while the member decides
    condition TEXT,
    -- the last message applied from the partner and the request's version right after (repeats)
    last_inbound_key TEXT,
    last_inbound_version INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (partner, partner_role, requesting_agency_request_id)
  );
  CREATE INDEX iso18626_exchanges_request ON iso18626_exchanges(request_id);
  CREATE TABLE iso18626_outbox (
    id INTEGER PRIMARY KEY,
    exchange_id INTEGER NOT NULL REFERENCES iso18626_exchanges(id),
    kind TEXT NOT NULL,
    -- what the message says in a few words (request, Loaned, Renew…), for the librarian and the log
    label TEXT NOT NULL,
    xml TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- pending | sent | refused
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    done_at TEXT
  );
  CREATE INDEX iso18626_outbox_pending ON iso18626_outbox(status, exchange_id, id);
  `,
  // 8: delivery in the core (src/delivery). An outbox row now holds an event (JSON {request, event,
  // target}, format 'event') rendered at delivery in the reader's language. Rows written before keep
  // their rendered reply (format 'reply') and are drained as they are: nothing is lost or re-worded.
  // A delivery row gains a lease (one sender at a time, taken over when it expires), the places already
  // served (a restart does not post to them again) and the moment it was given up after the retry cap.
  // Card and thread positions move from slack-cards.json / discord-cards.json into card_refs.
  `
  ALTER TABLE outbox ADD COLUMN format TEXT NOT NULL DEFAULT 'reply';
  ALTER TABLE outbox_deliveries ADD COLUMN lease_until TEXT;
  ALTER TABLE outbox_deliveries ADD COLUMN lease_owner TEXT;
  ALTER TABLE outbox_deliveries ADD COLUMN done_places TEXT;
  ALTER TABLE outbox_deliveries ADD COLUMN gave_up_at TEXT;
  -- where a platform showed something that later messages edit: a request's card in a channel (subject
  -- 'R7', place = channel id) or a progress report in a DM (subject 'progress:KEY', place 'user:ID')
  CREATE TABLE card_refs (
    platform TEXT NOT NULL,
    subject TEXT NOT NULL,
    place TEXT NOT NULL,
    channel TEXT NOT NULL,
    message_id TEXT NOT NULL,
    thread_id TEXT,
    -- the request version the card shows now (NULL: unknown, e.g. imported from a JSON file)
    shown_version INTEGER,
    PRIMARY KEY (platform, subject, place)
  ) WITHOUT ROWID;
  `,
  // 9: platform events already handled (Slack event_id, Discord interaction id), until they expire:
  // a retried or replayed event runs once, whichever process it reaches (replicas share the table on PostgreSQL)
  `
  CREATE TABLE seen_events (
    platform TEXT NOT NULL,
    event_id TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (platform, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX seen_events_expiry ON seen_events(expires_at);
  `,
  // 10: harvest locks per library (replaces reindex_lock's one row): two processes may harvest two
  // different libraries at once; a reindex of every library ('*') excludes every other. The holder
  // refreshes heartbeat_at while it runs.
  `
  DROP TABLE reindex_lock;
  CREATE TABLE harvest_locks (
    scope TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    description TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
