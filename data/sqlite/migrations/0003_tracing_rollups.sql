-- Tracing (manual visits, contacts' follow-up) and compliance rollups.
--
-- Rollups are kept by triggers in the same transaction as the rows they
-- count, so no Go code has to remember them and a dashboard never scans
-- check-ins. Days are Vietnamese calendar days (UTC+7, no daylight saving):
-- date(t + 25200, 'unixepoch'). The bulk loader drops the triggers named
-- rollup_* / trace_* below, loads, re-creates them from this file (the
-- section between the "triggers" markers) and rebuilds every rollup.

-- Visits of an F0 a tracer adds by hand (paper registers, interviews).
CREATE TABLE trace_visit (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL REFERENCES case_f0(id),
    venue_id    BLOB NOT NULL REFERENCES venue(id),
    time_in     INTEGER NOT NULL,
    time_out    INTEGER,
    note        TEXT NOT NULL DEFAULT '',
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
) WITHOUT ROWID;
CREATE INDEX trace_visit_case ON trace_visit(case_id, time_in);

-- Follow-up of a contact on a case's tracing list: one row per (case,
-- person), written when the tracer records a step.
CREATE TABLE trace_contact (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL REFERENCES case_f0(id),
    person_id   BLOB NOT NULL REFERENCES person(id),
    level       INTEGER NOT NULL DEFAULT 1 CHECK (level IN (1, 2)),
    called      INTEGER NOT NULL DEFAULT 0,
    reached     INTEGER NOT NULL DEFAULT 0,
    isolated    INTEGER NOT NULL DEFAULT 0,
    tested      INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    device_id   BLOB NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER,
    UNIQUE (case_id, person_id)
) WITHOUT ROWID;

-- Row ids of tombstoned check-ins. Tracing reads only the covering
-- (venue, time_in, time_out, person) index, which has no deleted_at; this
-- small set lets it skip tombstones without touching the table.
CREATE TABLE checkin_tombstone (rid INTEGER PRIMARY KEY);

-- Per venue and day: check-ins (turns "venues with a scan" into a count
-- of rows with scans > 0).
CREATE TABLE rollup_venue_day (
    venue_id BLOB NOT NULL,
    day      TEXT NOT NULL,
    scans    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (venue_id, day)
) WITHOUT ROWID;

-- Per ward and day.
CREATE TABLE rollup_ward_day (
    ward_code      TEXT NOT NULL,
    day            TEXT NOT NULL,
    scans          INTEGER NOT NULL DEFAULT 0,
    paper          INTEGER NOT NULL DEFAULT 0,
    people         INTEGER NOT NULL DEFAULT 0, -- distinct people scanned in the ward that day
    venues_scanned INTEGER NOT NULL DEFAULT 0,
    inspections    INTEGER NOT NULL DEFAULT 0,
    violations     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ward_code, day)
) WITHOUT ROWID;

-- Per day for the whole replica: people are distinct across wards, so
-- the district's count is not the sum of the wards'.
CREATE TABLE rollup_day (
    day    TEXT PRIMARY KEY,
    scans  INTEGER NOT NULL DEFAULT 0,
    people INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Violations per ward, day found, rule and status.
CREATE TABLE rollup_violation (
    ward_code TEXT NOT NULL,
    day       TEXT NOT NULL,
    rule_id   TEXT NOT NULL,
    status    TEXT NOT NULL,
    n         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ward_code, day, rule_id, status)
) WITHOUT ROWID;

-- Venues per ward now (not deleted).
CREATE TABLE rollup_ward_venue (
    ward_code  TEXT PRIMARY KEY,
    registered INTEGER NOT NULL DEFAULT 0,
    with_qr    INTEGER NOT NULL DEFAULT 0,
    suspended  INTEGER NOT NULL DEFAULT 0,
    closed     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Venues per ward by registration day and by QR issue day, for trend
-- lines of "registered" and "with a QR" (running sums).
CREATE TABLE rollup_registration (
    ward_code  TEXT NOT NULL,
    day        TEXT NOT NULL,
    registered INTEGER NOT NULL DEFAULT 0,
    qr_issued  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ward_code, day)
) WITHOUT ROWID;

-- triggers:begin

-- The tombstone triggers test for an existing row rather than use INSERT OR
-- IGNORE: an upsert firing the trigger (a pulled row already here) imposes
-- its own conflict policy on the trigger's statements (0013).
CREATE TRIGGER trace_tombstone_ins AFTER INSERT ON checkin WHEN NEW.deleted_at IS NOT NULL BEGIN
    INSERT INTO checkin_tombstone(rid) SELECT NEW.rid
        WHERE NOT EXISTS (SELECT 1 FROM checkin_tombstone WHERE rid = NEW.rid);
END;
CREATE TRIGGER trace_tombstone_upd AFTER UPDATE OF deleted_at ON checkin BEGIN
    DELETE FROM checkin_tombstone WHERE rid = OLD.rid AND NEW.deleted_at IS NULL;
    INSERT INTO checkin_tombstone(rid) SELECT NEW.rid
        WHERE NEW.deleted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin_tombstone WHERE rid = NEW.rid);
END;
CREATE TRIGGER trace_tombstone_del AFTER DELETE ON checkin BEGIN
    DELETE FROM checkin_tombstone WHERE rid = OLD.rid;
END;

-- A live check-in counts: the ward-day row first (so the venue-day
-- trigger finds it), then the venue-day row.
CREATE TRIGGER rollup_checkin_ins AFTER INSERT ON checkin WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO rollup_ward_day(ward_code, day, scans, paper, people)
        SELECT v.ward_code, date(NEW.time_in + 25200, 'unixepoch'), 1, NEW.source = 'paper',
            NEW.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c JOIN venue w ON w.id = c.venue_id
                WHERE c.person_id = NEW.person_id AND c.rid <> NEW.rid AND c.deleted_at IS NULL
                AND c.time_in >= (NEW.time_in + 25200) / 86400 * 86400 - 25200
                AND c.time_in < (NEW.time_in + 25200) / 86400 * 86400 - 25200 + 86400
                AND w.ward_code = v.ward_code)
        FROM venue v WHERE v.id = NEW.venue_id
        ON CONFLICT(ward_code, day) DO UPDATE SET scans = scans + 1, paper = paper + excluded.paper,
            people = people + excluded.people;
    INSERT INTO rollup_day(day, scans, people)
        SELECT date(NEW.time_in + 25200, 'unixepoch'), 1,
            NEW.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c
                WHERE c.person_id = NEW.person_id AND c.rid <> NEW.rid AND c.deleted_at IS NULL
                AND c.time_in >= (NEW.time_in + 25200) / 86400 * 86400 - 25200
                AND c.time_in < (NEW.time_in + 25200) / 86400 * 86400 - 25200 + 86400)
        WHERE true
        ON CONFLICT(day) DO UPDATE SET scans = scans + 1, people = people + excluded.people;
    INSERT INTO rollup_venue_day(venue_id, day, scans) VALUES (NEW.venue_id, date(NEW.time_in + 25200, 'unixepoch'), 1)
        ON CONFLICT(venue_id, day) DO UPDATE SET scans = scans + 1;
END;

-- A live check-in stops counting (deleted, tombstoned, or the old side of
-- an edit). The row itself is excluded by rid, so this works both after
-- DELETE and after UPDATE.
CREATE TRIGGER rollup_checkin_del AFTER DELETE ON checkin WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE rollup_ward_day SET scans = scans - 1, paper = paper - (OLD.source = 'paper'),
        people = people - (OLD.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c JOIN venue w ON w.id = c.venue_id
            WHERE c.person_id = OLD.person_id AND c.rid <> OLD.rid AND c.deleted_at IS NULL
            AND c.time_in >= (OLD.time_in + 25200) / 86400 * 86400 - 25200
            AND c.time_in < (OLD.time_in + 25200) / 86400 * 86400 - 25200 + 86400
            AND w.ward_code = rollup_ward_day.ward_code))
        WHERE ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.time_in + 25200, 'unixepoch');
    UPDATE rollup_day SET scans = scans - 1,
        people = people - (OLD.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c
            WHERE c.person_id = OLD.person_id AND c.rid <> OLD.rid AND c.deleted_at IS NULL
            AND c.time_in >= (OLD.time_in + 25200) / 86400 * 86400 - 25200
            AND c.time_in < (OLD.time_in + 25200) / 86400 * 86400 - 25200 + 86400))
        WHERE day = date(OLD.time_in + 25200, 'unixepoch');
    UPDATE rollup_venue_day SET scans = scans - 1 WHERE venue_id = OLD.venue_id AND day = date(OLD.time_in + 25200, 'unixepoch');
END;

-- An edit of a counted column: the old row leaves, the new one enters.
CREATE TRIGGER rollup_checkin_upd AFTER UPDATE OF venue_id, person_id, time_in, source, deleted_at ON checkin BEGIN
    UPDATE rollup_ward_day SET scans = scans - 1, paper = paper - (OLD.source = 'paper'),
        people = people - (OLD.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c JOIN venue w ON w.id = c.venue_id
            WHERE c.person_id = OLD.person_id AND c.rid <> OLD.rid AND c.deleted_at IS NULL
            AND c.time_in >= (OLD.time_in + 25200) / 86400 * 86400 - 25200
            AND c.time_in < (OLD.time_in + 25200) / 86400 * 86400 - 25200 + 86400
            AND w.ward_code = rollup_ward_day.ward_code))
        WHERE OLD.deleted_at IS NULL
        AND ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.time_in + 25200, 'unixepoch');
    UPDATE rollup_day SET scans = scans - 1,
        people = people - (OLD.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c
            WHERE c.person_id = OLD.person_id AND c.rid <> OLD.rid AND c.deleted_at IS NULL
            AND c.time_in >= (OLD.time_in + 25200) / 86400 * 86400 - 25200
            AND c.time_in < (OLD.time_in + 25200) / 86400 * 86400 - 25200 + 86400))
        WHERE OLD.deleted_at IS NULL AND day = date(OLD.time_in + 25200, 'unixepoch');
    UPDATE rollup_venue_day SET scans = scans - 1
        WHERE OLD.deleted_at IS NULL AND venue_id = OLD.venue_id AND day = date(OLD.time_in + 25200, 'unixepoch');
    INSERT INTO rollup_ward_day(ward_code, day, scans, paper, people)
        SELECT v.ward_code, date(NEW.time_in + 25200, 'unixepoch'), 1, NEW.source = 'paper',
            NEW.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c JOIN venue w ON w.id = c.venue_id
                WHERE c.person_id = NEW.person_id AND c.rid <> NEW.rid AND c.deleted_at IS NULL
                AND c.time_in >= (NEW.time_in + 25200) / 86400 * 86400 - 25200
                AND c.time_in < (NEW.time_in + 25200) / 86400 * 86400 - 25200 + 86400
                AND w.ward_code = v.ward_code)
        FROM venue v WHERE NEW.deleted_at IS NULL AND v.id = NEW.venue_id
        ON CONFLICT(ward_code, day) DO UPDATE SET scans = scans + 1, paper = paper + excluded.paper,
            people = people + excluded.people;
    INSERT INTO rollup_day(day, scans, people)
        SELECT date(NEW.time_in + 25200, 'unixepoch'), 1,
            NEW.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin c
                WHERE c.person_id = NEW.person_id AND c.rid <> NEW.rid AND c.deleted_at IS NULL
                AND c.time_in >= (NEW.time_in + 25200) / 86400 * 86400 - 25200
                AND c.time_in < (NEW.time_in + 25200) / 86400 * 86400 - 25200 + 86400)
        WHERE NEW.deleted_at IS NULL
        ON CONFLICT(day) DO UPDATE SET scans = scans + 1, people = people + excluded.people;
    INSERT INTO rollup_venue_day(venue_id, day, scans)
        SELECT NEW.venue_id, date(NEW.time_in + 25200, 'unixepoch'), 1 WHERE NEW.deleted_at IS NULL
        ON CONFLICT(venue_id, day) DO UPDATE SET scans = scans + 1;
END;

-- "Venues with at least one scan that day" moves when a venue-day count
-- crosses zero.
CREATE TRIGGER rollup_venue_day_ins AFTER INSERT ON rollup_venue_day WHEN NEW.scans > 0 BEGIN
    UPDATE rollup_ward_day SET venues_scanned = venues_scanned + 1
        WHERE ward_code = (SELECT ward_code FROM venue WHERE id = NEW.venue_id) AND day = NEW.day;
END;
CREATE TRIGGER rollup_venue_day_upd AFTER UPDATE OF scans ON rollup_venue_day
    WHEN (OLD.scans > 0) <> (NEW.scans > 0) BEGIN
    UPDATE rollup_ward_day SET venues_scanned = venues_scanned + (NEW.scans > 0) - (OLD.scans > 0)
        WHERE ward_code = (SELECT ward_code FROM venue WHERE id = NEW.venue_id) AND day = NEW.day;
END;

CREATE TRIGGER rollup_inspection_ins AFTER INSERT ON inspection WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO rollup_ward_day(ward_code, day, inspections)
        SELECT v.ward_code, date(NEW.started_at + 25200, 'unixepoch'), 1 FROM venue v WHERE v.id = NEW.venue_id
        ON CONFLICT(ward_code, day) DO UPDATE SET inspections = inspections + 1;
END;
CREATE TRIGGER rollup_inspection_del AFTER DELETE ON inspection WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE rollup_ward_day SET inspections = inspections - 1
        WHERE ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.started_at + 25200, 'unixepoch');
END;
CREATE TRIGGER rollup_inspection_upd AFTER UPDATE OF venue_id, started_at, deleted_at ON inspection BEGIN
    UPDATE rollup_ward_day SET inspections = inspections - 1
        WHERE OLD.deleted_at IS NULL
        AND ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.started_at + 25200, 'unixepoch');
    INSERT INTO rollup_ward_day(ward_code, day, inspections)
        SELECT v.ward_code, date(NEW.started_at + 25200, 'unixepoch'), 1 FROM venue v
        WHERE NEW.deleted_at IS NULL AND v.id = NEW.venue_id
        ON CONFLICT(ward_code, day) DO UPDATE SET inspections = inspections + 1;
END;

CREATE TRIGGER rollup_violation_ins AFTER INSERT ON violation WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO rollup_ward_day(ward_code, day, violations)
        SELECT v.ward_code, date(NEW.found_at + 25200, 'unixepoch'), 1 FROM venue v WHERE v.id = NEW.venue_id
        ON CONFLICT(ward_code, day) DO UPDATE SET violations = violations + 1;
    INSERT INTO rollup_violation(ward_code, day, rule_id, status, n)
        SELECT v.ward_code, date(NEW.found_at + 25200, 'unixepoch'), NEW.rule_id, NEW.status, 1 FROM venue v WHERE v.id = NEW.venue_id
        ON CONFLICT(ward_code, day, rule_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER rollup_violation_del AFTER DELETE ON violation WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE rollup_ward_day SET violations = violations - 1
        WHERE ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.found_at + 25200, 'unixepoch');
    UPDATE rollup_violation SET n = n - 1
        WHERE ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.found_at + 25200, 'unixepoch')
        AND rule_id = OLD.rule_id AND status = OLD.status;
END;
CREATE TRIGGER rollup_violation_upd AFTER UPDATE OF venue_id, found_at, rule_id, status, deleted_at ON violation BEGIN
    UPDATE rollup_ward_day SET violations = violations - 1
        WHERE OLD.deleted_at IS NULL
        AND ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.found_at + 25200, 'unixepoch');
    UPDATE rollup_violation SET n = n - 1
        WHERE OLD.deleted_at IS NULL
        AND ward_code = (SELECT ward_code FROM venue WHERE id = OLD.venue_id) AND day = date(OLD.found_at + 25200, 'unixepoch')
        AND rule_id = OLD.rule_id AND status = OLD.status;
    INSERT INTO rollup_ward_day(ward_code, day, violations)
        SELECT v.ward_code, date(NEW.found_at + 25200, 'unixepoch'), 1 FROM venue v
        WHERE NEW.deleted_at IS NULL AND v.id = NEW.venue_id
        ON CONFLICT(ward_code, day) DO UPDATE SET violations = violations + 1;
    INSERT INTO rollup_violation(ward_code, day, rule_id, status, n)
        SELECT v.ward_code, date(NEW.found_at + 25200, 'unixepoch'), NEW.rule_id, NEW.status, 1 FROM venue v
        WHERE NEW.deleted_at IS NULL AND v.id = NEW.venue_id
        ON CONFLICT(ward_code, day, rule_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rollup_venue_ins AFTER INSERT ON venue WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO rollup_ward_venue(ward_code, registered, with_qr, suspended, closed)
        VALUES (NEW.ward_code, 1, NEW.qr_serial > 0, NEW.status = 'suspended', NEW.status = 'closed')
        ON CONFLICT(ward_code) DO UPDATE SET registered = registered + 1, with_qr = with_qr + excluded.with_qr,
            suspended = suspended + excluded.suspended, closed = closed + excluded.closed;
    INSERT INTO rollup_registration(ward_code, day, registered) VALUES (NEW.ward_code, NEW.registered_on, 1)
        ON CONFLICT(ward_code, day) DO UPDATE SET registered = registered + 1;
    INSERT INTO rollup_registration(ward_code, day, qr_issued)
        SELECT NEW.ward_code, COALESCE(NEW.qr_issued_on, NEW.registered_on), 1 WHERE NEW.qr_serial > 0
        ON CONFLICT(ward_code, day) DO UPDATE SET qr_issued = qr_issued + 1;
END;
CREATE TRIGGER rollup_venue_del AFTER DELETE ON venue WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE rollup_ward_venue SET registered = registered - 1, with_qr = with_qr - (OLD.qr_serial > 0),
        suspended = suspended - (OLD.status = 'suspended'), closed = closed - (OLD.status = 'closed')
        WHERE ward_code = OLD.ward_code;
    UPDATE rollup_registration SET registered = registered - 1 WHERE ward_code = OLD.ward_code AND day = OLD.registered_on;
    UPDATE rollup_registration SET qr_issued = qr_issued - 1
        WHERE OLD.qr_serial > 0 AND ward_code = OLD.ward_code AND day = COALESCE(OLD.qr_issued_on, OLD.registered_on);
END;
CREATE TRIGGER rollup_venue_upd AFTER UPDATE OF ward_code, qr_serial, qr_issued_on, status, registered_on, deleted_at ON venue BEGIN
    UPDATE rollup_ward_venue SET registered = registered - 1, with_qr = with_qr - (OLD.qr_serial > 0),
        suspended = suspended - (OLD.status = 'suspended'), closed = closed - (OLD.status = 'closed')
        WHERE OLD.deleted_at IS NULL AND ward_code = OLD.ward_code;
    UPDATE rollup_registration SET registered = registered - 1
        WHERE OLD.deleted_at IS NULL AND ward_code = OLD.ward_code AND day = OLD.registered_on;
    UPDATE rollup_registration SET qr_issued = qr_issued - 1
        WHERE OLD.deleted_at IS NULL AND OLD.qr_serial > 0 AND ward_code = OLD.ward_code
        AND day = COALESCE(OLD.qr_issued_on, OLD.registered_on);
    INSERT INTO rollup_ward_venue(ward_code, registered, with_qr, suspended, closed)
        SELECT NEW.ward_code, 1, NEW.qr_serial > 0, NEW.status = 'suspended', NEW.status = 'closed' WHERE NEW.deleted_at IS NULL
        ON CONFLICT(ward_code) DO UPDATE SET registered = registered + 1, with_qr = with_qr + excluded.with_qr,
            suspended = suspended + excluded.suspended, closed = closed + excluded.closed;
    INSERT INTO rollup_registration(ward_code, day, registered)
        SELECT NEW.ward_code, NEW.registered_on, 1 WHERE NEW.deleted_at IS NULL
        ON CONFLICT(ward_code, day) DO UPDATE SET registered = registered + 1;
    INSERT INTO rollup_registration(ward_code, day, qr_issued)
        SELECT NEW.ward_code, COALESCE(NEW.qr_issued_on, NEW.registered_on), 1 WHERE NEW.deleted_at IS NULL AND NEW.qr_serial > 0
        ON CONFLICT(ward_code, day) DO UPDATE SET qr_issued = qr_issued + 1;
    -- Check-in, inspection and violation rollups are kept per ward; a
    -- venue moving ward cannot move its distinct-people counts row by
    -- row, so it marks the rollups for a rebuild (qrward rollups rebuild).
    INSERT INTO setting(key, value) SELECT 'rollups.stale', 'venue_ward_changed' WHERE OLD.ward_code <> NEW.ward_code
        ON CONFLICT(key) DO UPDATE SET value = excluded.value;
END;

-- triggers:end

-- rebuild:begin
-- Recount the rollups from the rows (run at this migration, after bulk
-- loads and by "qrward rollups rebuild"). Check-in figures are recounted
-- for the days that still have check-ins; the rows of days with none are
-- kept, because a retention purge deletes old check-ins with the triggers
-- off precisely so that their counts (no personal data) survive.
-- The check-in part and the rest are marked apart: a snapshot loaded into
-- a replica with no check-ins tallies the check-ins while it reads them
-- and runs only the rest (data/sqlite/snapshotcounts.go).
-- rebuild_checkins:begin
DROP TABLE IF EXISTS temp.rebuild_days;
CREATE TEMP TABLE rebuild_days (day TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO rebuild_days(day) SELECT DISTINCT date(time_in + 25200, 'unixepoch') FROM checkin;
DELETE FROM checkin_tombstone;
DELETE FROM rollup_venue_day WHERE day IN (SELECT day FROM rebuild_days);
DELETE FROM rollup_ward_day WHERE day IN (SELECT day FROM rebuild_days);
DELETE FROM rollup_day WHERE day IN (SELECT day FROM rebuild_days);
INSERT INTO checkin_tombstone(rid) SELECT rid FROM checkin WHERE deleted_at IS NOT NULL;
INSERT INTO rollup_ward_day(ward_code, day, scans, paper, people)
    SELECT v.ward_code, date(c.time_in + 25200, 'unixepoch') AS d, COUNT(*), SUM(c.source = 'paper'), COUNT(DISTINCT c.person_id)
    FROM checkin c JOIN venue v ON v.id = c.venue_id WHERE c.deleted_at IS NULL GROUP BY v.ward_code, d;
INSERT INTO rollup_day(day, scans, people)
    SELECT date(time_in + 25200, 'unixepoch') AS d, COUNT(*), COUNT(DISTINCT person_id)
    FROM checkin WHERE deleted_at IS NULL GROUP BY d;
INSERT INTO rollup_venue_day(venue_id, day, scans)
    SELECT venue_id, date(time_in + 25200, 'unixepoch') AS d, COUNT(*) FROM checkin WHERE deleted_at IS NULL GROUP BY venue_id, d;
UPDATE rollup_ward_day SET venues_scanned = s.n FROM (
    SELECT v.ward_code AS ward, vd.day AS day, COUNT(*) AS n FROM rollup_venue_day vd JOIN venue v ON v.id = vd.venue_id
    WHERE vd.scans > 0 AND vd.day IN (SELECT day FROM rebuild_days) GROUP BY v.ward_code, vd.day) AS s
    WHERE rollup_ward_day.ward_code = s.ward AND rollup_ward_day.day = s.day;
DROP TABLE temp.rebuild_days;
-- rebuild_checkins:end
-- rebuild_other:begin
UPDATE rollup_ward_day SET inspections = 0, violations = 0;
DELETE FROM rollup_violation;
DELETE FROM rollup_ward_venue;
DELETE FROM rollup_registration;
INSERT INTO rollup_ward_day(ward_code, day, inspections)
    SELECT v.ward_code, date(i.started_at + 25200, 'unixepoch') AS d, COUNT(*) FROM inspection i JOIN venue v ON v.id = i.venue_id
    WHERE i.deleted_at IS NULL GROUP BY v.ward_code, d
    ON CONFLICT(ward_code, day) DO UPDATE SET inspections = excluded.inspections;
INSERT INTO rollup_ward_day(ward_code, day, violations)
    SELECT v.ward_code, date(x.found_at + 25200, 'unixepoch') AS d, COUNT(*) FROM violation x JOIN venue v ON v.id = x.venue_id
    WHERE x.deleted_at IS NULL GROUP BY v.ward_code, d
    ON CONFLICT(ward_code, day) DO UPDATE SET violations = excluded.violations;
INSERT INTO rollup_violation(ward_code, day, rule_id, status, n)
    SELECT v.ward_code, date(x.found_at + 25200, 'unixepoch') AS d, x.rule_id, x.status, COUNT(*) FROM violation x JOIN venue v ON v.id = x.venue_id
    WHERE x.deleted_at IS NULL GROUP BY v.ward_code, d, x.rule_id, x.status;
INSERT INTO rollup_ward_venue(ward_code, registered, with_qr, suspended, closed)
    SELECT ward_code, COUNT(*), SUM(qr_serial > 0), SUM(status = 'suspended'), SUM(status = 'closed')
    FROM venue WHERE deleted_at IS NULL GROUP BY ward_code;
INSERT INTO rollup_registration(ward_code, day, registered, qr_issued)
    SELECT ward_code, day, SUM(r), SUM(q) FROM (
        SELECT ward_code, registered_on AS day, 1 AS r, 0 AS q FROM venue WHERE deleted_at IS NULL
        UNION ALL
        SELECT ward_code, COALESCE(qr_issued_on, registered_on), 0, 1 FROM venue WHERE deleted_at IS NULL AND qr_serial > 0)
    GROUP BY ward_code, day;
DELETE FROM setting WHERE key = 'rollups.stale';
-- rebuild_other:end
-- rebuild:end
