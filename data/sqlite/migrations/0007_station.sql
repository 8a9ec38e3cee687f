-- Scan station ("Quét mã"): outbreak areas, poster verification results,
-- evidence snapshots and the station's own settings. New tables only.

-- Outbreak areas maintained by the office; a visitor whose declared
-- origin or address matches one gets an amber banner. Synced (every
-- station of the district should warn alike).
CREATE TABLE outbreak_area (
    id           BLOB PRIMARY KEY,
    name         TEXT NOT NULL,            -- as typed, NFC
    name_folded  TEXT NOT NULL,            -- data.Fold(name): matched against folded text
    active_from  TEXT NOT NULL,            -- YYYY-MM-DD
    active_to    TEXT,                     -- NULL = still an outbreak area
    notes        TEXT NOT NULL DEFAULT '',
    device_id    BLOB NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
) WITHOUT ROWID;

-- One verification of a venue's posted QR code (inspection workflow).
CREATE TABLE poster_check (
    id             BLOB PRIMARY KEY,
    venue_id       BLOB NOT NULL REFERENCES venue(id),
    inspection_id  BLOB REFERENCES inspection(id),
    -- the names of data/inspect's poster verdicts, plus foreign (a venue
    -- code of another country) and national (an old tokhaiyte.vn code,
    -- which carries no signature to verify)
    result         TEXT NOT NULL CHECK (result IN ('genuine', 'other_venue', 'revoked', 'unknown_issuer',
                                                   'forged', 'malformed', 'unreadable', 'foreign', 'national')),
    code_kind      TEXT NOT NULL DEFAULT '',  -- scan.Kind name of what was read
    code_venue_id  BLOB,                      -- venue the code names, when it names one
    key_id         TEXT NOT NULL DEFAULT '',  -- issuing key of a qrward code
    checked_at     INTEGER NOT NULL,
    station_id     BLOB,
    note           TEXT NOT NULL DEFAULT '',
    device_id      BLOB NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX poster_check_venue ON poster_check(venue_id, checked_at);

-- Evidence snapshots: a JPEG still attached to a venue or an inspection.
-- The picture is stored in the row (see evidence.go for why).
CREATE TABLE evidence (
    id             BLOB PRIMARY KEY,
    venue_id       BLOB REFERENCES venue(id),
    inspection_id  BLOB REFERENCES inspection(id),
    taken_at       INTEGER NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    sha256         BLOB NOT NULL,
    jpeg           BLOB NOT NULL,
    caption        TEXT NOT NULL DEFAULT '',
    station_id     BLOB,
    device_id      BLOB NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER,
    CHECK (venue_id IS NOT NULL OR inspection_id IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX evidence_venue ON evidence(venue_id, taken_at) WHERE venue_id IS NOT NULL;
CREATE INDEX evidence_inspection ON evidence(inspection_id, taken_at) WHERE inspection_id IS NOT NULL;

-- This station's own settings (camera, resolution, context, mode,
-- de-duplication window). Local to the device: never synced.
CREATE TABLE station_setting (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
