-- Citizens' reports of violations at a venue (Hue-S, the hotline, at the
-- ward office): a reason to put the venue on the next inspection round.
-- The summary may name people: it is stored sealed (see people.go).
CREATE TABLE citizen_report (
    id          BLOB PRIMARY KEY,
    venue_id    BLOB NOT NULL REFERENCES venue(id),
    received_at INTEGER NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('app', 'phone', 'office', 'other')),
    summary     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handled')),
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
) WITHOUT ROWID;
CREATE INDEX citizen_report_venue ON citizen_report(venue_id, status);
