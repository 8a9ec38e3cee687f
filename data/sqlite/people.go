package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"qrward/data"
)

// All reads and writes of personal data (names, phones, ID numbers, QIDs)
// go through this file, so protecting them at rest changes one place.

const personInsertSQL = `INSERT INTO person(id, full_name, name_folded, phone, id_number, qid, birth_date,
	sex, address, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// personArgs are the values of personInsertSQL for p.
func (s *Store) personArgs(p *data.Person, device data.ID, version int64) []any {
	return []any{p.ID, p.FullName, data.Fold(p.FullName), p.Phone, p.IDNumber, p.QID, p.BirthDate, p.Sex,
		p.Address, device, version, p.CreatedAt.Unix(), p.UpdatedAt.Unix()}
}

type personChange struct {
	ID        data.ID `json:"id"`
	Version   int64   `json:"version"`
	FullName  string  `json:"full_name"`
	Phone     string  `json:"phone"`
	IDNumber  string  `json:"id_number,omitempty"`
	QID       string  `json:"qid,omitempty"`
	BirthDate string  `json:"birth_date,omitempty"`
	Sex       string  `json:"sex,omitempty"`
	Address   string  `json:"address,omitempty"`
}

// upsertOwner writes a venue owner's person row, bumping its version when
// an existing row changes.
func (s *Store) upsertOwner(ctx context.Context, tx *sql.Tx, v *data.Venue, now time.Time, withOutbox bool) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO person(id, full_name, name_folded, phone, device_id, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT(id) DO UPDATE SET full_name = excluded.full_name, name_folded = excluded.name_folded,
			phone = excluded.phone, version = person.version + 1, updated_at = excluded.updated_at
		WHERE person.full_name <> excluded.full_name OR person.phone <> excluded.phone`,
		v.OwnerID, v.OwnerName, data.Fold(v.OwnerName), v.OwnerPhone, s.deviceID, now.Unix(), now.Unix())
	if err != nil {
		return wrapDB(err, "write owner")
	}
	if n, _ := res.RowsAffected(); n == 0 || !withOutbox {
		return nil
	}
	var version int64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM person WHERE id = ?`, v.OwnerID).Scan(&version); err != nil {
		return err
	}
	op := "update"
	if version == 1 {
		op = "insert"
	}
	return recordChange(ctx, tx, "person", v.OwnerID, op, version,
		personChange{ID: v.OwnerID, Version: version, FullName: v.OwnerName, Phone: v.OwnerPhone}, now.Unix())
}

// normalizePerson cleans a person's fields; phone must be a valid mobile
// number when given.
func normalizePerson(p *data.Person) error {
	var val data.Validation
	p.FullName = data.Clean(p.FullName)
	p.IDNumber = data.Digits(p.IDNumber)
	p.QID = strings.TrimSpace(p.QID)
	p.Address = data.Clean(p.Address)
	if p.Phone != "" {
		ph, err := data.NormalizePhone(p.Phone)
		if err != nil {
			e := err.(*data.Error)
			val.Add("phone", e.Key, e.Args...)
		}
		p.Phone = ph
	}
	if p.IDNumber != "" && len(p.IDNumber) != 9 && len(p.IDNumber) != 12 {
		val.Add("id_number", "err.id_number_length")
	}
	if p.FullName == "" && p.Phone == "" && p.IDNumber == "" && p.QID == "" {
		val.Add("full_name", "err.person_empty")
	}
	return val.Err()
}

// CreatePerson validates and inserts a person (a visitor, case or
// contact), queued for sync.
func (s *Store) CreatePerson(ctx context.Context, p *data.Person) error {
	if err := normalizePerson(p); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.insertPerson(ctx, tx, p) })
}

// insertPerson writes a normalised person inside tx with its outbox entry.
func (s *Store) insertPerson(ctx context.Context, tx *sql.Tx, p *data.Person) error {
	now := s.Now()
	if p.ID.IsZero() {
		p.ID = data.NewID()
	}
	p.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.ExecContext(ctx, personInsertSQL, s.personArgs(p, s.deviceID, 1)...); err != nil {
		return wrapDB(err, "insert person")
	}
	return recordChange(ctx, tx, "person", p.ID, "insert", 1, personChange{ID: p.ID, Version: 1,
		FullName: p.FullName, Phone: p.Phone, IDNumber: p.IDNumber, QID: p.QID, BirthDate: p.BirthDate,
		Sex: p.Sex, Address: p.Address}, now.Unix())
}

const personColumns = `id, full_name, phone, id_number, qid, birth_date, sex, address,
	device_id, version, created_at, updated_at, deleted_at`

func scanPerson(row interface{ Scan(...any) error }) (data.Person, error) {
	var p data.Person
	var created, updated int64
	var deleted sql.NullInt64
	err := row.Scan(&p.ID, &p.FullName, &p.Phone, &p.IDNumber, &p.QID, &p.BirthDate, &p.Sex, &p.Address,
		&p.DeviceID, &p.Version, &created, &updated, &deleted)
	p.CreatedAt, p.UpdatedAt, p.DeletedAt = time.Unix(created, 0), time.Unix(updated, 0), timePtr(deleted)
	return p, err
}

// Person reads one person.
func (s *Store) Person(ctx context.Context, id data.ID) (data.Person, error) {
	p, err := scanPerson(s.ro.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, data.Errorf(data.ENotFound, "err.person_not_found")
	}
	return p, wrapDB(err, "read person")
}

// PersonQuery finds people by exact identifiers or by name. Exactly the
// non-empty fields must match; Name matches the folded full name exactly
// (case and diacritics ignored, đ → d).
type PersonQuery struct {
	Phone    string // any written form; normalised before the lookup
	IDNumber string
	QID      string
	Name     string
	Limit    int // default 100
}

// FindPeople returns the people matching q.
func (s *Store) FindPeople(ctx context.Context, q PersonQuery) ([]data.Person, error) {
	var where []string
	var args []any
	if q.Phone != "" {
		ph, err := data.NormalizePhone(q.Phone)
		if err != nil {
			return nil, err
		}
		where, args = append(where, "phone = ?"), append(args, ph)
	}
	if q.IDNumber != "" {
		where, args = append(where, "id_number = ?"), append(args, data.Digits(q.IDNumber))
	}
	if q.QID != "" {
		where, args = append(where, "qid = ?"), append(args, strings.TrimSpace(q.QID))
	}
	if q.Name != "" {
		where, args = append(where, "name_folded = ?"), append(args, data.Fold(q.Name))
	}
	if len(where) == 0 {
		return nil, data.Errorf(data.EInvalid, "err.person_query_empty")
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT `+personColumns+` FROM person WHERE deleted_at IS NULL AND `+
		strings.Join(where, " AND ")+` LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, wrapDB(err, "find people")
	}
	defer rows.Close()
	var out []data.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
