-- qrward hub schema, version 1. Every table leads with its partition key
-- (district, then ward where it has one): no global sequence, every sync
-- query a range scan inside one ward.

-- The hub's own keys per district: signs down bundles, decrypts up bundles.
CREATE TABLE hub_identity (
    district   text PRIMARY KEY,
    keys       text NOT NULL,
    tls_cert   text NOT NULL DEFAULT '',
    tls_key    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device (
    district    text NOT NULL,
    id          bytea NOT NULL,
    name        text NOT NULL DEFAULT '',
    role        text NOT NULL CHECK (role IN ('ward', 'district')),
    wards       text[] NOT NULL,
    token_hash  bytea NOT NULL,
    sign_public text NOT NULL,
    recipient   text NOT NULL,
    acked_seq   bigint NOT NULL DEFAULT 0,
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    PRIMARY KEY (district, id)
);
CREATE UNIQUE INDEX device_token ON device (district, token_hash);

-- What the hub knows a device holds of each ward stream (from pulls and up
-- bundles): where the next down bundle starts.
CREATE TABLE device_cursor (
    district  text NOT NULL,
    device_id bytea NOT NULL,
    ward      text NOT NULL,
    cursor    bigint NOT NULL,
    PRIMARY KEY (district, device_id, ward)
);

CREATE TABLE enrol_code (
    district   text NOT NULL,
    code_hash  bytea NOT NULL,
    role       text NOT NULL,
    wards      text[] NOT NULL,
    name       text NOT NULL DEFAULT '',
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    device_id  bytea,
    PRIMARY KEY (district, code_hash)
);

-- One row per ward: its stream's last sequence and the tombstone horizon
-- (tombstones at or below it were purged: older cursors must resync).
CREATE TABLE ward_stream (
    district    text NOT NULL,
    ward        text NOT NULL,
    last_seq    bigint NOT NULL DEFAULT 0,
    horizon_seq bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (district, ward)
);

-- Column lists, by a hash id (no sequence): a row's body is its values in
-- the order of its column list.
CREATE TABLE col_schema (
    id    bigint PRIMARY KEY,
    tbl   text NOT NULL,
    names text[] NOT NULL
);

-- Every synced row. change_seq is NULL from a write until the ward's
-- stamper numbers it: only committed rows get numbers, in commit order.
CREATE TABLE sync_row (
    district   text NOT NULL,
    ward       text NOT NULL,
    tbl        text NOT NULL,
    id         bytea NOT NULL,
    version    bigint NOT NULL,
    change_seq bigint,
    deleted_at bigint,
    schema_id  bigint NOT NULL,
    body       bytea NOT NULL,
    field_ver  jsonb,
    hub_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (district, ward, tbl, id)
);
CREATE UNIQUE INDEX sync_row_stream ON sync_row (district, ward, change_seq);
CREATE INDEX sync_row_unstamped ON sync_row (district, ward) WHERE change_seq IS NULL;

-- Past versions of mutable rows: the base a device's edit is merged against.
CREATE TABLE row_rev (
    district  text NOT NULL,
    ward      text NOT NULL,
    tbl       text NOT NULL,
    id        bytea NOT NULL,
    version   bigint NOT NULL,
    schema_id bigint NOT NULL,
    body      bytea NOT NULL,
    PRIMARY KEY (district, ward, tbl, id, version)
);
