package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"qrward/data"
	"qrward/data/protect"
)

// Every replica of a district shares one data key, so person rows synced
// from another device can be read here. The district administrator
// exports the key wrapped under a transfer passphrase (handed over
// separately, e.g. by phone); a new device joins before its first
// administrator exists. The hub never holds the key: it stores and
// forwards ciphertext.

// districtKeyFile is the exported form of the data key.
type districtKeyFile struct {
	Format string          `json:"format"`
	KeyID  string          `json:"key_id"`
	Wrap   protect.Wrapped `json:"wrap"`
	Office string          `json:"office,omitempty"`
}

const districtKeyFormat = "qrward-district-key-v1"

// ExportDataKey wraps this replica's data key under transferPassphrase
// for another device of the district (administrators only; audited).
func (s *Store) ExportDataKey(ctx context.Context, transferPassphrase string) ([]byte, error) {
	if err := s.Require(data.PermManageKeys); err != nil {
		return nil, err
	}
	if len([]rune(transferPassphrase)) < data.MinPassphrase {
		return nil, &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
			Fields: []data.FieldError{{Field: "passphrase", Key: "err.passphrase_short", Args: []any{data.MinPassphrase}}}}
	}
	key, err := s.dataKey()
	if err != nil {
		return nil, err
	}
	w, err := key.Wrap([]byte(transferPassphrase), kdf)
	if err != nil {
		return nil, err
	}
	office, _ := s.Setting(ctx, "office.name")
	b, _ := json.MarshalIndent(districtKeyFile{Format: districtKeyFormat, KeyID: key.ID(), Wrap: w, Office: office}, "", "  ")
	return b, s.Audit(ctx, "export_data_key", "key", key.ID(), "")
}

// JoinDistrictKey makes this replica use the district's data key. It is
// only possible in set-up mode (no user has wrapped the old key yet);
// people already on this replica are re-encrypted under the new key in
// the same transaction.
func (s *Store) JoinDistrictKey(ctx context.Context, file []byte, transferPassphrase string) error {
	setup, err := s.SetupMode(ctx)
	if err != nil {
		return err
	}
	if !setup {
		return data.Errorf(data.EConflict, "err.join_after_setup")
	}
	var f districtKeyFile
	if err := json.Unmarshal(file, &f); err != nil || f.Format != districtKeyFormat {
		return data.Errorf(data.EInvalid, "err.district_key_file")
	}
	newKey, err := protect.Unwrap(f.Wrap, []byte(transferPassphrase))
	if err != nil {
		return data.Errorf(data.EUnauthorized, "err.passphrase_wrong")
	}
	oldKey, err := s.dataKey()
	if err != nil {
		return err
	}
	setupWrap, err := newKey.Wrap(nil, protect.KDFParams{Time: 1, Memory: 1024, Threads: 1})
	if err != nil {
		return err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, pii FROM person WHERE pii IS NOT NULL`)
		if err != nil {
			return err
		}
		type row struct {
			id  data.ID
			pii []byte
		}
		var all []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.pii); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		for _, r := range all {
			x, err := openPII(oldKey, r.id, r.pii)
			if err != nil {
				return err
			}
			sp := sealPerson(newKey, r.id, x)
			if _, err := tx.ExecContext(ctx, `UPDATE person SET pii = ?, phone_bi = ?, id_number_bi = ?, qid_bi = ?,
				name_bi = ? WHERE id = ?`, sp.pii, sp.phone, sp.idNum, sp.qid, sp.name, r.id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE key_wrap SET key_id = ?, wrapped = ? WHERE holder = 'setup'`,
			newKey.ID(), setupWrap.Marshal()); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.actor(), "join_district_key", "key", newKey.ID(), "")
	})
	if err != nil {
		return wrapDB(err, "join district key")
	}
	s.setKey(newKey, nil)
	return s.scrub(ctx)
}
