-- Retention purge (data/hub/purge.go): the hub deletes what has outlived
-- its retention period by the rule every replica applies (data/retention.go),
-- without shipping the purge as deletes.

-- Filled on every write from the row's values, so the purge never decodes
-- bodies: retain_at is the time a check-in class row's period runs from
-- (data.CheckinRetained), person_ref the person the row keeps
-- (data.PersonReferences). No index: the purge is a daily range scan
-- inside one ward, and pushes stay as cheap as before.
ALTER TABLE sync_row ADD COLUMN retain_at bigint;
ALTER TABLE sync_row ADD COLUMN person_ref bytea;

-- People named by purged rows, or by pushed rows dropped as past
-- retention: the next purge removes those nothing refers to any more.
CREATE TABLE purge_candidate (
    district text NOT NULL,
    id       bytea NOT NULL,
    PRIMARY KEY (district, id)
);

-- People the purge found unreferenced, held out of every stream (sealed
-- as they came) for the longest offline period: a device that was offline
-- may still push a recent check-in naming one, which brings the person
-- back. After the hold they are erased.
CREATE TABLE retired_row (
    district   text NOT NULL,
    tbl        text NOT NULL,
    id         bytea NOT NULL,
    ward       text NOT NULL,
    version    bigint NOT NULL,
    deleted_at bigint,
    schema_id  bigint NOT NULL,
    body       bytea NOT NULL,
    field_ver  jsonb,
    person_ref bytea,
    retired_at bigint NOT NULL,
    PRIMARY KEY (district, tbl, id, ward)
);

-- One-time jobs per district (the backfill of the columns above for rows
-- written before this migration).
CREATE TABLE hub_job (
    district text NOT NULL,
    name     text NOT NULL,
    done_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (district, name)
);
