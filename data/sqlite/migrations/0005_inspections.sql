-- Inspections, violations and official documents (issue 6).

-- Venues chosen for an inspection round, each assigned to a team.
CREATE TABLE inspection_round_venue (
    id          BLOB PRIMARY KEY,
    schedule_id BLOB NOT NULL REFERENCES inspection_schedule(id),
    venue_id    BLOB NOT NULL REFERENCES venue(id),
    team        TEXT NOT NULL DEFAULT '',
    reasons     TEXT NOT NULL DEFAULT '',   -- comma-separated inspect.Reason* values
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER,
    UNIQUE (schedule_id, venue_id)
) WITHOUT ROWID;

-- Photo evidence of a visit, kept in the replica so it travels offline
-- with the inspection it belongs to.
CREATE TABLE inspection_photo (
    id            BLOB PRIMARY KEY,
    inspection_id BLOB NOT NULL REFERENCES inspection(id),
    item          TEXT NOT NULL DEFAULT '',
    mime          TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    taken_at      INTEGER NOT NULL,
    device_id     BLOB NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX inspection_photo_inspection ON inspection_photo(inspection_id);

ALTER TABLE inspection ADD COLUMN place TEXT NOT NULL DEFAULT '';
ALTER TABLE inspection ADD COLUMN document_id BLOB;
CREATE INDEX inspection_schedule_venue ON inspection(schedule_id, venue_id);

ALTER TABLE violation ADD COLUMN subject TEXT NOT NULL DEFAULT 'individual'
    CHECK (subject IN ('individual', 'organisation'));
ALTER TABLE violation ADD COLUMN item TEXT NOT NULL DEFAULT '';
ALTER TABLE violation ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
ALTER TABLE violation ADD COLUMN hearing_due INTEGER;
ALTER TABLE violation ADD COLUMN explain_due INTEGER;
ALTER TABLE violation ADD COLUMN pay_due INTEGER;
ALTER TABLE violation ADD COLUMN signer_role TEXT NOT NULL DEFAULT '';
ALTER TABLE violation ADD COLUMN referred_to TEXT NOT NULL DEFAULT '';
CREATE INDEX violation_status ON violation(status, found_at);

CREATE INDEX document_subject ON document(subject_id, kind, issued_at);
CREATE INDEX document_issued ON document(issued_at);
