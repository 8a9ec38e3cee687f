package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/protect"
)

// venueChange is the outbox payload of a venue edit: the synced columns,
// without the owner's personal data (that travels in its person row).
type venueChange struct {
	ID            data.ID `json:"id"`
	Code          string  `json:"code"`
	Name          string  `json:"name"`
	Category      string  `json:"category"`
	Address       string  `json:"address"`
	WardDataset   string  `json:"ward_dataset"`
	WardCode      string  `json:"ward_code"`
	OwnerID       data.ID `json:"owner_id"`
	ControlMethod string  `json:"control_method"`
	Status        string  `json:"status"`
	QRSerial      int     `json:"qr_serial"`
	Commitment    string  `json:"commitment"`
	Version       int64   `json:"version"`
	Deleted       bool    `json:"deleted,omitempty"`
}

func changeOf(v *data.Venue) venueChange {
	return venueChange{v.ID, v.Code, v.Name, v.Category, v.Address, v.WardDataset, v.WardCode,
		v.OwnerID, v.ControlMethod, v.Status, v.QRSerial, v.Commitment, v.Version, v.Deleted()}
}

// CreateVenue validates and inserts a venue with its owner, assigning the
// id, a venue code when none is given, and the sync columns. On any error
// nothing is written.
func (s *Store) CreateVenue(ctx context.Context, v *data.Venue) error {
	if err := s.Require(data.PermEditVenues); err != nil {
		return err
	}
	if err := v.Normalize(s.units); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.insertVenue(ctx, tx, v, true) })
}

// insertVenue writes one already-normalised venue; withOutbox is false only
// for rows that did not originate here (demo data, sync).
func (s *Store) insertVenue(ctx context.Context, tx *sql.Tx, v *data.Venue, withOutbox bool) error {
	now := s.Now()
	if v.ID.IsZero() {
		v.ID = data.NewID()
	}
	if v.Code == "" {
		code, err := nextVenueCode(ctx, tx, v.WardCode, s.deviceID)
		if err != nil {
			return err
		}
		v.Code = code
	} else if taken, err := venueCodeTaken(ctx, tx, v.Code, v.ID); err != nil {
		return err
	} else if taken {
		return &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
			Fields: []data.FieldError{{Field: "code", Key: "err.venue_code_taken", Args: []any{v.Code}}}}
	}
	if v.RegisteredOn.IsZero() {
		v.RegisteredOn = now
	}
	v.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if v.OwnerID.IsZero() {
		v.OwnerID = data.NewID()
	}
	if err := s.upsertOwner(ctx, tx, v, now, withOutbox); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO venue(id, code, name, name_folded, category, address,
		ward_dataset, ward_code, owner_id, control_method, status, qr_serial, qr_issued_on, commitment,
		commitment_on, registered_on, last_checkin_at, notes, device_id, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		v.ID, v.Code, v.Name, data.Fold(v.Name), v.Category, v.Address, v.WardDataset, v.WardCode, v.OwnerID,
		v.ControlMethod, v.Status, v.QRSerial, dateOrNil(v.QRIssuedOn), v.Commitment, dateOrNil(v.CommitmentOn),
		v.RegisteredOn.Format(dateLayout), unixOrNil(v.LastCheckinAt), v.Notes, s.deviceID, now.Unix(), now.Unix())
	if err != nil {
		return wrapDB(err, "insert venue")
	}
	if withOutbox {
		return recordChange(ctx, tx, "venue", v.ID, "insert", 1, changeOf(v), now.Unix())
	}
	return nil
}

func venueCodeTaken(ctx context.Context, tx *sql.Tx, code string, self data.ID) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM venue WHERE code = ? AND id <> ?`, code, self).Scan(&n)
	return n > 0, err
}

// nextVenueCode gives "<ward>-<device tag>-<NNN>": the tag (four hex
// digits of this device's id) keeps codes made offline on two devices of
// the same ward from colliding when they sync; NNN counts this device's
// venues in the ward. Codes from the hub or an import keep their form.
func nextVenueCode(ctx context.Context, tx *sql.Tx, ward string, device data.ID) (string, error) {
	prefix := fmt.Sprintf("%s-%02X%02X-", ward, device[14], device[15])
	var maxCode sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT MAX(code) FROM venue WHERE code GLOB ?`, prefix+"[0-9][0-9][0-9]*").Scan(&maxCode)
	if err != nil {
		return "", err
	}
	n := 0
	if maxCode.Valid {
		fmt.Sscanf(strings.TrimPrefix(maxCode.String, prefix), "%d", &n)
	}
	return fmt.Sprintf("%s%03d", prefix, n+1), nil
}

// UpdateVenue validates and saves an edited venue. v.Version must be the
// version that was read: a venue changed meanwhile (by sync or another
// window) is refused with EConflict instead of being overwritten.
func (s *Store) UpdateVenue(ctx context.Context, v *data.Venue) error {
	if err := s.Require(data.PermEditVenues); err != nil {
		return err
	}
	if err := v.Normalize(s.units); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if v.Code == "" {
			return &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
				Fields: []data.FieldError{{Field: "code", Key: "err.required"}}}
		}
		if taken, err := venueCodeTaken(ctx, tx, v.Code, v.ID); err != nil {
			return err
		} else if taken {
			return &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
				Fields: []data.FieldError{{Field: "code", Key: "err.venue_code_taken", Args: []any{v.Code}}}}
		}
		now := s.Now()
		if v.OwnerID.IsZero() {
			v.OwnerID = data.NewID()
		}
		if err := s.upsertOwner(ctx, tx, v, now, true); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE venue SET code = ?, name = ?, name_folded = ?, category = ?,
			address = ?, ward_dataset = ?, ward_code = ?, owner_id = ?, control_method = ?, status = ?,
			qr_serial = ?, qr_issued_on = ?, commitment = ?, commitment_on = ?, notes = ?,
			version = version + 1, updated_at = ?
			WHERE id = ? AND version = ? AND deleted_at IS NULL`,
			v.Code, v.Name, data.Fold(v.Name), v.Category, v.Address, v.WardDataset, v.WardCode, v.OwnerID,
			v.ControlMethod, v.Status, v.QRSerial, dateOrNil(v.QRIssuedOn), v.Commitment, dateOrNil(v.CommitmentOn),
			v.Notes, now.Unix(), v.ID, v.Version)
		if err != nil {
			return wrapDB(err, "update venue")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return data.Errorf(data.EConflict, "err.venue_changed")
		}
		v.Version++
		v.UpdatedAt = now
		return recordChange(ctx, tx, "venue", v.ID, "update", v.Version, changeOf(v), now.Unix())
	})
}

// DeleteVenue marks a venue deleted (a tombstone that syncs).
func (s *Store) DeleteVenue(ctx context.Context, id data.ID) error {
	if err := s.Require(data.PermEditVenues); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		res, err := tx.ExecContext(ctx, `UPDATE venue SET deleted_at = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL`, now, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return data.Errorf(data.ENotFound, "err.venue_not_found")
		}
		var version int64
		if err := tx.QueryRowContext(ctx, `SELECT version FROM venue WHERE id = ?`, id).Scan(&version); err != nil {
			return err
		}
		return recordChange(ctx, tx, "venue", id, "delete", version, venueChange{ID: id, Version: version, Deleted: true}, now)
	})
}

const venueColumns = `v.id, v.code, v.name, v.category, v.address, v.ward_dataset, v.ward_code,
	v.owner_id, p.pii, v.control_method, v.status, v.qr_serial,
	v.qr_issued_on, v.commitment, v.commitment_on, v.registered_on, v.last_checkin_at, v.notes,
	v.device_id, v.version, v.created_at, v.updated_at, v.deleted_at`

// personalKey is the data key when the signed-in role may see personal
// data, else nil (owner names and phones then stay blank).
func (s *Store) personalKey() *protect.DataKey {
	if s.Require(data.PermViewPersonal) != nil {
		return nil
	}
	key, _ := s.dataKey()
	return key
}

func (s *Store) scanVenue(row interface{ Scan(...any) error }) (data.Venue, error) {
	var v data.Venue
	var ownerPII []byte
	var qrOn, comOn sql.NullString
	var regOn string
	var last, deleted sql.NullInt64
	var created, updated int64
	err := row.Scan(&v.ID, &v.Code, &v.Name, &v.Category, &v.Address, &v.WardDataset, &v.WardCode,
		&v.OwnerID, &ownerPII, &v.ControlMethod, &v.Status, &v.QRSerial,
		&qrOn, &v.Commitment, &comOn, &regOn, &last, &v.Notes,
		&v.DeviceID, &v.Version, &created, &updated, &deleted)
	if err != nil {
		return v, err
	}
	v.OwnerName, v.OwnerPhone = s.ownerContact(s.personalKey(), v.OwnerID, ownerPII)
	v.QRIssuedOn, v.CommitmentOn = datePtr(qrOn), datePtr(comOn)
	v.RegisteredOn, _ = time.ParseInLocation(dateLayout, regOn, time.Local)
	v.LastCheckinAt, v.DeletedAt = timePtr(last), timePtr(deleted)
	v.CreatedAt, v.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	return v, nil
}

// Venue reads one venue with its owner.
func (s *Store) Venue(ctx context.Context, id data.ID) (data.Venue, error) {
	if err := s.Require(data.PermViewStats); err != nil {
		return data.Venue{}, err
	}
	row := s.ro.QueryRowContext(ctx, `SELECT `+venueColumns+` FROM venue v
		LEFT JOIN person p ON p.id = v.owner_id WHERE v.id = ? AND v.deleted_at IS NULL`, id)
	v, err := s.scanVenue(row)
	if errors.Is(err, sql.ErrNoRows) {
		return v, data.Errorf(data.ENotFound, "err.venue_not_found")
	}
	return v, wrapDB(err, "read venue")
}

// VenueByCode reads one venue by its venue code.
func (s *Store) VenueByCode(ctx context.Context, code string) (data.Venue, error) {
	if err := s.Require(data.PermViewStats); err != nil {
		return data.Venue{}, err
	}
	row := s.ro.QueryRowContext(ctx, `SELECT `+venueColumns+` FROM venue v
		LEFT JOIN person p ON p.id = v.owner_id WHERE v.code = ? AND v.deleted_at IS NULL`, strings.ToUpper(strings.TrimSpace(code)))
	v, err := s.scanVenue(row)
	if errors.Is(err, sql.ErrNoRows) {
		return v, data.Errorf(data.ENotFound, "err.venue_not_found")
	}
	return v, wrapDB(err, "read venue")
}

// Venues streams every live venue, ordered by code, to fn (exports).
func (s *Store) Venues(ctx context.Context, fn func(data.Venue) error) error {
	if err := s.Require(data.PermImportExport); err != nil {
		return err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT `+venueColumns+` FROM venue v
		LEFT JOIN person p ON p.id = v.owner_id WHERE v.deleted_at IS NULL ORDER BY v.code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := s.scanVenue(rows)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// VenueIndex loads the search index of every live venue: one query, a few
// megabytes for 20,000 venues, rebuilt after edits.
func (s *Store) VenueIndex(ctx context.Context) (*data.VenueIndex, error) {
	if err := s.Require(data.PermViewStats); err != nil {
		return nil, err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT v.id, v.code, v.name, v.category, v.address, v.ward_code,
		v.owner_id, p.pii, v.control_method, v.status, v.qr_serial > 0, v.last_checkin_at
		FROM venue v LEFT JOIN person p ON p.id = v.owner_id WHERE v.deleted_at IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.VenueRow
	key := s.personalKey()
	for rows.Next() {
		var r data.VenueRow
		var last sql.NullInt64
		var owner data.ID
		var ownerPII []byte
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.Category, &r.Address, &r.WardCode, &owner, &ownerPII,
			&r.ControlMethod, &r.Status, &r.HasQR, &last); err != nil {
			return nil, err
		}
		_, r.OwnerPhone = s.ownerContact(key, owner, ownerPII)
		r.LastCheckinAt = timePtr(last)
		if w, ok := s.units.Unit(r.WardCode); ok {
			r.WardName = w.FullName()
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return data.NewVenueIndex(out), nil
}

// SearchVenues is the one-shot form of VenueIndex().Search for the CLI.
func (s *Store) SearchVenues(ctx context.Context, f data.VenueFilter) ([]data.VenueRow, error) {
	idx, err := s.VenueIndex(ctx)
	if err != nil {
		return nil, err
	}
	hits := idx.Search(f)
	out := make([]data.VenueRow, len(hits))
	for i, h := range hits {
		out[i] = idx.Row(h)
	}
	return out, nil
}
