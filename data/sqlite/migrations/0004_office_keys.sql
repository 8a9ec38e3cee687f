-- Signing keys for qrward venue QR codes. The office's own key keeps its
-- private half encrypted with a passphrase (scrypt + AES-GCM, see
-- scan.OfficeKey.MarshalEncrypted); other offices' public keys are
-- imported so posters they issued verify offline.
CREATE TABLE office_key (
    key_id        TEXT PRIMARY KEY,          -- hex of the first 8 bytes of SHA-256(public key)
    trusted       TEXT NOT NULL,             -- scan.TrustedKey text form (public key, office, ward)
    office_name   TEXT NOT NULL,
    ward_code     TEXT NOT NULL DEFAULT '',
    own           INTEGER NOT NULL DEFAULT 0,
    private_enc   BLOB,                      -- only for the office's own key
    created_at    INTEGER NOT NULL,
    retired_at    INTEGER
) WITHOUT ROWID;
CREATE UNIQUE INDEX office_key_own ON office_key(own) WHERE own = 1 AND retired_at IS NULL;
