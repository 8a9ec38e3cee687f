-- Accounts and protection of personal data at rest.
-- Personal fields move into person.pii (XChaCha20-Poly1305 under the
-- office data key); exact lookups use keyed blind indexes. The old
-- plain-text columns stay (SQLite cannot drop indexed columns in place)
-- but are emptied when the replica is first unlocked, then vacuumed.
ALTER TABLE person ADD COLUMN pii BLOB;
ALTER TABLE person ADD COLUMN phone_bi BLOB;
ALTER TABLE person ADD COLUMN id_number_bi BLOB;
ALTER TABLE person ADD COLUMN qid_bi BLOB;
ALTER TABLE person ADD COLUMN name_bi BLOB;
DROP INDEX person_phone;
DROP INDEX person_id_number;
DROP INDEX person_qid;
CREATE INDEX person_phone_bi ON person(phone_bi) WHERE phone_bi IS NOT NULL;
CREATE INDEX person_id_number_bi ON person(id_number_bi) WHERE id_number_bi IS NOT NULL;
CREATE INDEX person_qid_bi ON person(qid_bi) WHERE qid_bi IS NOT NULL;
CREATE INDEX person_name_bi ON person(name_bi) WHERE name_bi IS NOT NULL;

-- Case notes are free text about a person.
ALTER TABLE case_f0 ADD COLUMN notes_enc BLOB;

-- The data key, wrapped: once per user (Argon2id of the passphrase), once
-- for the recovery secret escrowed at the district, and, before the first
-- administrator exists, once for set-up.
CREATE TABLE key_wrap (
    holder     TEXT PRIMARY KEY,   -- 'user:<id>', 'recovery', 'setup', 'token:<id>'
    key_id     TEXT NOT NULL,      -- fingerprint of the data key it wraps
    wrapped    BLOB NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

ALTER TABLE app_user ADD COLUMN last_signin_at INTEGER;
ALTER TABLE app_user ADD COLUMN failed_signins INTEGER NOT NULL DEFAULT 0;

-- Narrow-role tokens for unattended jobs (qrward users token).
CREATE TABLE api_token (
    id          TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    label       TEXT NOT NULL,
    secret_hash BLOB NOT NULL,     -- SHA-256 of the token secret
    expires_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) WITHOUT ROWID;

-- Retention settings live in `setting` (retention.checkins_days, …).
