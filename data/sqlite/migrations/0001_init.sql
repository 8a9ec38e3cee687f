-- qrward replica schema, version 1.
-- Times are INTEGER unix seconds (UTC); dates are TEXT 'YYYY-MM-DD'.
-- Synced tables share the columns: id BLOB (UUIDv7, 16 bytes), device_id,
-- version, created_at, updated_at, deleted_at (tombstone).

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Administrative units: each dataset is one published version of the tree.
CREATE TABLE unit_dataset (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    source     TEXT NOT NULL DEFAULT '',
    imported_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE admin_unit (
    dataset_id  TEXT NOT NULL REFERENCES unit_dataset(id),
    code        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'ward')),
    type        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    parent_code TEXT,
    PRIMARY KEY (dataset_id, code)
) WITHOUT ROWID;
CREATE INDEX admin_unit_parent ON admin_unit(dataset_id, parent_code);

CREATE TABLE admin_unit_lineage (
    from_dataset TEXT NOT NULL,
    from_code    TEXT NOT NULL,
    to_dataset   TEXT NOT NULL,
    to_code      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('same', 'renamed', 'merged', 'split')),
    effective    TEXT NOT NULL,
    PRIMARY KEY (from_dataset, from_code, to_dataset, to_code),
    FOREIGN KEY (from_dataset, from_code) REFERENCES admin_unit(dataset_id, code),
    FOREIGN KEY (to_dataset, to_code) REFERENCES admin_unit(dataset_id, code)
) WITHOUT ROWID;

-- People: all personal data (names, phones, ID numbers, QIDs) lives here
-- and only here, so it can be encrypted and purged in one place.
CREATE TABLE person (
    id          BLOB PRIMARY KEY,
    full_name   TEXT NOT NULL DEFAULT '',
    name_folded TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    id_number   TEXT NOT NULL DEFAULT '',
    qid         TEXT NOT NULL DEFAULT '',
    birth_date  TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD, or YYYY when only the year is known
    sex         TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
) WITHOUT ROWID;
CREATE INDEX person_phone ON person(phone) WHERE phone <> '';
CREATE INDEX person_id_number ON person(id_number) WHERE id_number <> '';
CREATE INDEX person_qid ON person(qid) WHERE qid <> '';

CREATE TABLE venue (
    id              BLOB PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    name_folded     TEXT NOT NULL,
    category        TEXT NOT NULL,
    address         TEXT NOT NULL,
    ward_dataset    TEXT NOT NULL,
    ward_code       TEXT NOT NULL,
    owner_id        BLOB REFERENCES person(id),
    control_method  TEXT NOT NULL CHECK (control_method IN ('staff_scan', 'venue_qr')),
    status          TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'closed')),
    qr_serial       INTEGER NOT NULL DEFAULT 0,
    qr_issued_on    TEXT,
    commitment      TEXT NOT NULL CHECK (commitment IN ('none', 'signed', 'approved')),
    commitment_on   TEXT,
    registered_on   TEXT NOT NULL,
    last_checkin_at INTEGER,
    notes           TEXT NOT NULL DEFAULT '',
    device_id       BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    deleted_at      INTEGER,
    FOREIGN KEY (ward_dataset, ward_code) REFERENCES admin_unit(dataset_id, code)
) WITHOUT ROWID;
CREATE INDEX venue_ward ON venue(ward_code);

-- Check-ins: one scan (or paper entry) of a person at a venue.
-- rowid stays the table key (compact, append-only); the UUID is unique.
CREATE TABLE checkin (
    rid         INTEGER PRIMARY KEY,
    id          BLOB NOT NULL UNIQUE,
    venue_id    BLOB NOT NULL REFERENCES venue(id),
    person_id   BLOB REFERENCES person(id),
    time_in     INTEGER NOT NULL,
    time_out    INTEGER,
    source      TEXT NOT NULL CHECK (source IN ('staff_scan', 'self_scan', 'paper', 'manual')),
    code_kind   TEXT NOT NULL DEFAULT '',
    risk_flags  INTEGER NOT NULL DEFAULT 0,
    station_id  BLOB,
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);

-- F0 cases and their infectious window.
CREATE TABLE case_f0 (
    id            BLOB PRIMARY KEY,
    person_id     BLOB NOT NULL REFERENCES person(id),
    confirmed_on  TEXT NOT NULL,
    onset_on      TEXT,
    window_start  INTEGER NOT NULL,
    window_end    INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'active',
    notes         TEXT NOT NULL DEFAULT '',
    device_id     BLOB NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER
) WITHOUT ROWID;

CREATE TABLE inspection_schedule (
    id          BLOB PRIMARY KEY,
    ward_code   TEXT NOT NULL,
    area        TEXT NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER,
    team        TEXT NOT NULL DEFAULT '[]',   -- JSON: members with agency and role
    contacts    TEXT NOT NULL DEFAULT '[]',   -- JSON: focal contacts
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
) WITHOUT ROWID;

CREATE TABLE inspection (
    id              BLOB PRIMARY KEY,
    venue_id        BLOB NOT NULL REFERENCES venue(id),
    schedule_id     BLOB REFERENCES inspection_schedule(id),
    status          TEXT NOT NULL DEFAULT 'draft',
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    template        TEXT NOT NULL DEFAULT '',
    template_version TEXT NOT NULL DEFAULT '',
    answers         TEXT NOT NULL DEFAULT '{}',  -- JSON checklist answers
    poster_verdict  TEXT NOT NULL DEFAULT '',
    gps             TEXT NOT NULL DEFAULT '',
    inspector       TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    device_id       BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    deleted_at      INTEGER
) WITHOUT ROWID;
CREATE INDEX inspection_venue ON inspection(venue_id, started_at);

CREATE TABLE violation (
    id            BLOB PRIMARY KEY,
    venue_id      BLOB NOT NULL REFERENCES venue(id),
    inspection_id BLOB REFERENCES inspection(id),
    rule_id       TEXT NOT NULL,
    rule_version  TEXT NOT NULL DEFAULT '',
    found_at      INTEGER NOT NULL,
    amount        INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'found',
    description   TEXT NOT NULL DEFAULT '',
    device_id     BLOB NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX violation_venue ON violation(venue_id, found_at);

-- Each lifecycle step of a violation, with the document it issued.
CREATE TABLE violation_event (
    id            BLOB PRIMARY KEY,
    violation_id  BLOB NOT NULL REFERENCES violation(id),
    step          TEXT NOT NULL,
    at            INTEGER NOT NULL,
    by_user       TEXT NOT NULL DEFAULT '',
    document_id   BLOB,
    note          TEXT NOT NULL DEFAULT '',
    device_id     BLOB NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX violation_event_violation ON violation_event(violation_id, at);

CREATE TABLE document (
    id          BLOB PRIMARY KEY,
    kind        TEXT NOT NULL,        -- record, decision, reminder, suspension, report, …
    issuer      TEXT NOT NULL,        -- issuing body code, e.g. ward code
    symbol      TEXT NOT NULL,        -- BB-VPHC, QĐ-XPHC, …
    year        INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    issued_at   INTEGER NOT NULL,
    subject_id  BLOB,
    payload     TEXT NOT NULL DEFAULT '{}',
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER,
    UNIQUE (issuer, symbol, year, number)
) WITHOUT ROWID;

-- Numbering counters: numbers run per issuing body per year and are never reused.
CREATE TABLE doc_counter (
    issuer  TEXT NOT NULL,
    symbol  TEXT NOT NULL,
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (issuer, symbol, year)
) WITHOUT ROWID;

CREATE TABLE app_user (
    id           BLOB PRIMARY KEY,
    username     TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL,
    pass_hash    TEXT NOT NULL DEFAULT '',
    disabled     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) WITHOUT ROWID;

-- Append-only audit log; each entry hashes its predecessor.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  BLOB,
    hash       BLOB NOT NULL
);

-- Local changes not yet acknowledged by the hub, written in the same
-- transaction as the edit itself.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl        TEXT NOT NULL,
    row_id     BLOB NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    row_version INTEGER NOT NULL,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Per-stream sync bookkeeping (cursor pulled, last success, last error).
CREATE TABLE sync_state (
    stream       TEXT PRIMARY KEY,
    cursor       INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER,
    completed_at INTEGER,
    error        TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
