-- Sync with the district hub (issue 5).

-- Merge conflicts: created by the hub when a field was changed both there
-- and on a device since the device's base version; synced down to the
-- ward, resolved by a district user, the resolution synced back up.
-- Values are JSON-tagged SQLite values: null, {"i":1}, {"f":1.5}, {"s":"…"}, {"b":"base64"}.
CREATE TABLE sync_conflict (
    id            BLOB PRIMARY KEY,
    ward          TEXT NOT NULL,
    tbl           TEXT NOT NULL,
    row_id        BLOB NOT NULL,
    field         TEXT NOT NULL,
    hub_value     TEXT NOT NULL DEFAULT 'null',
    device_value  TEXT NOT NULL DEFAULT 'null',
    base_version  INTEGER NOT NULL DEFAULT 0,
    hub_version   INTEGER NOT NULL DEFAULT 0,
    from_device   BLOB,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept_hub', 'took_device')),
    resolved_by   TEXT NOT NULL DEFAULT '',
    resolved_at   INTEGER,
    device_id     BLOB NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX sync_conflict_status ON sync_conflict(status, created_at);

-- The hub version a row with unacknowledged local edits started from (the
-- base of the hub's field merge). Only rows in flight are here: a row
-- applied from the hub again drops its entry.
CREATE TABLE sync_base (
    tbl     TEXT NOT NULL,
    row_id  BLOB NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

-- A pulled row with pending local edits is not overwritten: this finds them.
CREATE INDEX outbox_row ON outbox(row_id);

-- Hub address, device credential and keys, scope. Kept apart from
-- `setting` because it holds secrets (the bearer token, the device's
-- private keys) that backups and support dumps must leave out.
CREATE TABLE sync_config (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
