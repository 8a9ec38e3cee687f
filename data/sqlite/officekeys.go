package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"

	"qrward/data"
	"qrward/scan"
)

// CreateOfficeKey makes this office's venue-QR signing key. The private
// half is stored encrypted with passphrase; a previous own key is retired
// (its posters still verify: its public key stays trusted).
func (s *Store) CreateOfficeKey(ctx context.Context, officeName, wardCode string, passphrase []byte) (*scan.OfficeKey, error) {
	if err := s.Require(data.PermManageKeys); err != nil {
		return nil, err
	}
	if len(passphrase) < 8 {
		return nil, &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
			Fields: []data.FieldError{{Field: "passphrase", Key: "err.passphrase_short", Args: []any{8}}}}
	}
	officeName = data.Clean(officeName)
	if officeName == "" {
		return nil, &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
			Fields: []data.FieldError{{Field: "office_name", Key: "err.required"}}}
	}
	if _, ok := s.units.Ward(wardCode); !ok {
		return nil, &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
			Fields: []data.FieldError{{Field: "ward", Key: "err.ward_unknown", Args: []any{wardCode}}}}
	}
	key, err := scan.GenerateOfficeKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	enc, err := key.MarshalEncrypted(passphrase, rand.Reader)
	if err != nil {
		return nil, err
	}
	trusted, err := key.TrustedKey(officeName, wardCode).MarshalText()
	if err != nil {
		return nil, err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		if _, err := tx.ExecContext(ctx, `UPDATE office_key SET retired_at = ? WHERE own = 1 AND retired_at IS NULL`, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO office_key(key_id, trusted, office_name, ward_code, own, private_enc, created_at)
			VALUES (?, ?, ?, ?, 1, ?, ?)`, key.KeyID().String(), string(trusted), officeName, wardCode, enc, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.actor(), "create_office_key", "office_key", key.KeyID().String(), "")
	})
	if err != nil {
		return nil, wrapDB(err, "save office key")
	}
	return key, nil
}

// HasOfficeKey reports whether this office has a current signing key.
func (s *Store) HasOfficeKey(ctx context.Context) (bool, error) {
	var n int
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM office_key WHERE own = 1 AND retired_at IS NULL`).Scan(&n)
	return n > 0, err
}

// OfficeKey unlocks this office's current signing key.
func (s *Store) OfficeKey(ctx context.Context, passphrase []byte) (*scan.OfficeKey, error) {
	if err := s.Require(data.PermPrint); err != nil {
		return nil, err
	}
	var enc []byte
	err := s.ro.QueryRowContext(ctx, `SELECT private_enc FROM office_key WHERE own = 1 AND retired_at IS NULL`).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, data.Errorf(data.ENotFound, "err.office_key_missing")
	}
	if err != nil {
		return nil, err
	}
	key, err := scan.UnmarshalOfficeKey(enc, passphrase)
	if err != nil {
		return nil, &data.Error{Code: data.EUnauthorized, Key: "err.passphrase_wrong", Err: err}
	}
	return key, nil
}

// Keyring returns every trusted public key: this office's (current and
// retired) and those imported from other offices.
func (s *Store) Keyring(ctx context.Context) (scan.Keyring, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT trusted FROM office_key`)
	if err != nil {
		return scan.Keyring{}, err
	}
	defer rows.Close()
	var keys []scan.TrustedKey
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return scan.Keyring{}, err
		}
		k, err := scan.ParseTrustedKey(line)
		if err != nil {
			return scan.Keyring{}, &data.Error{Code: data.ECorrupt, Key: "err.keyring_corrupt", Err: err}
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return scan.Keyring{}, err
	}
	return scan.NewKeyring(keys...)
}

// OwnPublicKey is the text line other offices import to trust this office.
func (s *Store) OwnPublicKey(ctx context.Context) (string, error) {
	var line string
	err := s.ro.QueryRowContext(ctx, `SELECT trusted FROM office_key WHERE own = 1 AND retired_at IS NULL`).Scan(&line)
	if errors.Is(err, sql.ErrNoRows) {
		return "", data.Errorf(data.ENotFound, "err.office_key_missing")
	}
	return line, err
}

// ImportTrustedKeys adds other offices' public keys, one per line (blank
// lines and # comments skipped). It returns how many were new.
func (s *Store) ImportTrustedKeys(ctx context.Context, text string) (int, error) {
	if err := s.Require(data.PermManageKeys); err != nil {
		return 0, err
	}
	var keys []scan.TrustedKey
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := scan.ParseTrustedKey(line)
		if err != nil {
			return 0, &data.Error{Code: data.EInvalid, Key: "err.pubkey_line", Args: []any{i + 1}, Err: err}
		}
		keys = append(keys, k)
	}
	added := 0
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			line, err := k.MarshalText()
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO office_key(key_id, trusted, office_name, ward_code, own, created_at)
				VALUES (?, ?, ?, ?, 0, ?)`, k.KeyID.String(), string(line), k.OfficeName, k.WardCode, s.Now().Unix())
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return nil
	})
	return added, wrapDB(err, "import keys")
}
