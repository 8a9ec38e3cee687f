package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/protect"
)

// All reads and writes of personal data (names, phones, ID numbers, QIDs,
// notes about people) go through this file. They are stored only
// encrypted, in person.pii, under the office data key; exact lookups use
// keyed blind indexes (see data/protect and docs/SECURITY.md).

// pii is the encrypted part of a person row.
type pii struct {
	FullName  string `json:"n,omitempty"`
	Phone     string `json:"p,omitempty"`
	IDNumber  string `json:"i,omitempty"`
	QID       string `json:"q,omitempty"`
	BirthDate string `json:"b,omitempty"`
	Sex       string `json:"s,omitempty"`
	Address   string `json:"a,omitempty"`
}

func piiOf(p *data.Person) pii {
	return pii{p.FullName, p.Phone, p.IDNumber, p.QID, p.BirthDate, p.Sex, p.Address}
}

func (x pii) into(p *data.Person) {
	p.FullName, p.Phone, p.IDNumber, p.QID, p.BirthDate, p.Sex, p.Address =
		x.FullName, x.Phone, x.IDNumber, x.QID, x.BirthDate, x.Sex, x.Address
}

// piiContext binds a ciphertext to its row.
func piiContext(id data.ID) string { return "person|" + id.String() }

// Blind-index kinds.
const (
	biPhone = "phone"
	biID    = "id_number"
	biQID   = "qid"
	biName  = "name"
)

// sealed is a person row's stored form.
type sealed struct {
	pii                     []byte
	phone, idNum, qid, name []byte
}

func sealPerson(key *protect.DataKey, id data.ID, x pii) sealed {
	b, _ := json.Marshal(x)
	return sealed{
		pii:   key.Seal(b, piiContext(id)),
		phone: key.BlindIndex(biPhone, x.Phone),
		idNum: key.BlindIndex(biID, x.IDNumber),
		qid:   key.BlindIndex(biQID, x.QID),
		name:  key.BlindIndex(biName, data.Fold(x.FullName)),
	}
}

func openPII(key *protect.DataKey, id data.ID, blob []byte) (pii, error) {
	var x pii
	if blob == nil {
		return x, nil
	}
	b, err := key.Open(blob, piiContext(id))
	if err != nil {
		return x, &data.Error{Code: data.ECorrupt, Key: "err.person_tampered", Err: err}
	}
	return x, json.Unmarshal(b, &x)
}

const personInsertSQL = `INSERT INTO person(id, pii, phone_bi, id_number_bi, qid_bi, name_bi,
	device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// lockedValue fails the statement it is bound to: a person can never be
// written without its encryption.
type lockedValue struct{}

func (lockedValue) Value() (driver.Value, error) {
	return nil, data.Errorf(data.EUnauthorized, "err.locked")
}

// personArgs are the values of personInsertSQL for p, encrypted.
func (s *Store) personArgs(p *data.Person, device data.ID, version int64) []any {
	key, err := s.dataKey()
	if err != nil {
		return []any{p.ID, lockedValue{}, nil, nil, nil, nil, device, version, p.CreatedAt.Unix(), p.UpdatedAt.Unix()}
	}
	sp := sealPerson(key, p.ID, piiOf(p))
	return []any{p.ID, sp.pii, sp.phone, sp.idNum, sp.qid, sp.name, device, version, p.CreatedAt.Unix(), p.UpdatedAt.Unix()}
}

// personChange is a person's outbox payload: the sealed form only, so the
// outbox (and every bundle made from it) holds no personal data in clear.
type personChange struct {
	ID         data.ID `json:"id"`
	Version    int64   `json:"version"`
	PII        string  `json:"pii"`
	PhoneBI    string  `json:"phone_bi,omitempty"`
	IDNumberBI string  `json:"id_number_bi,omitempty"`
	QIDBI      string  `json:"qid_bi,omitempty"`
	NameBI     string  `json:"name_bi,omitempty"`
}

func changeOfPerson(id data.ID, version int64, sp sealed) personChange {
	enc := base64.StdEncoding.EncodeToString
	return personChange{ID: id, Version: version, PII: enc(sp.pii), PhoneBI: enc(sp.phone),
		IDNumberBI: enc(sp.idNum), QIDBI: enc(sp.qid), NameBI: enc(sp.name)}
}

// upsertOwner writes a venue owner's person row: name and phone replace
// the stored ones, other personal fields are kept; the version moves only
// when something changed.
func (s *Store) upsertOwner(ctx context.Context, tx *sql.Tx, v *data.Venue, now time.Time, withOutbox bool) error {
	key, err := s.dataKey()
	if err != nil {
		return err
	}
	var blob []byte
	var version int64
	err = tx.QueryRowContext(ctx, `SELECT pii, version FROM person WHERE id = ?`, v.OwnerID).Scan(&blob, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		x := pii{FullName: v.OwnerName, Phone: v.OwnerPhone}
		sp := sealPerson(key, v.OwnerID, x)
		if _, err := tx.ExecContext(ctx, personInsertSQL, v.OwnerID, sp.pii, sp.phone, sp.idNum, sp.qid, sp.name,
			s.deviceID, 1, now.Unix(), now.Unix()); err != nil {
			return wrapDB(err, "write owner")
		}
		if withOutbox {
			return recordChange(ctx, tx, "person", v.OwnerID, "insert", 1, changeOfPerson(v.OwnerID, 1, sp), now.Unix())
		}
		return nil
	case err != nil:
		return wrapDB(err, "read owner")
	}
	x, err := openPII(key, v.OwnerID, blob)
	if err != nil {
		return err
	}
	if x.FullName == v.OwnerName && x.Phone == v.OwnerPhone {
		return nil
	}
	x.FullName, x.Phone = v.OwnerName, v.OwnerPhone
	sp := sealPerson(key, v.OwnerID, x)
	if _, err := tx.ExecContext(ctx, `UPDATE person SET pii = ?, phone_bi = ?, name_bi = ?, version = version + 1,
		updated_at = ? WHERE id = ?`, sp.pii, sp.phone, sp.name, now.Unix(), v.OwnerID); err != nil {
		return wrapDB(err, "write owner")
	}
	if withOutbox {
		return recordChange(ctx, tx, "person", v.OwnerID, "update", version+1, changeOfPerson(v.OwnerID, version+1, sp), now.Unix())
	}
	return nil
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
	if err := s.Require(data.PermViewPersonal); err != nil {
		return err
	}
	if err := normalizePerson(p); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.insertPerson(ctx, tx, p) })
}

// insertPerson writes a normalised person inside tx with its outbox entry.
func (s *Store) insertPerson(ctx context.Context, tx *sql.Tx, p *data.Person) error {
	key, err := s.dataKey()
	if err != nil {
		return err
	}
	now := s.Now()
	if p.ID.IsZero() {
		p.ID = data.NewID()
	}
	p.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
	sp := sealPerson(key, p.ID, piiOf(p))
	if _, err := tx.ExecContext(ctx, personInsertSQL, p.ID, sp.pii, sp.phone, sp.idNum, sp.qid, sp.name,
		s.deviceID, 1, now.Unix(), now.Unix()); err != nil {
		return wrapDB(err, "insert person")
	}
	return recordChange(ctx, tx, "person", p.ID, "insert", 1, changeOfPerson(p.ID, 1, sp), now.Unix())
}

const personColumns = `id, pii, device_id, version, created_at, updated_at, deleted_at`

func (s *Store) scanPerson(key *protect.DataKey, row interface{ Scan(...any) error }) (data.Person, error) {
	var p data.Person
	var blob []byte
	var created, updated int64
	var deleted sql.NullInt64
	if err := row.Scan(&p.ID, &blob, &p.DeviceID, &p.Version, &created, &updated, &deleted); err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt, p.DeletedAt = time.Unix(created, 0), time.Unix(updated, 0), timePtr(deleted)
	x, err := openPII(key, p.ID, blob)
	x.into(&p)
	return p, err
}

// Person reads one person; the view is audited.
func (s *Store) Person(ctx context.Context, id data.ID) (data.Person, error) {
	if err := s.Require(data.PermViewPersonal); err != nil {
		return data.Person{}, err
	}
	key, err := s.dataKey()
	if err != nil {
		return data.Person{}, err
	}
	p, err := s.scanPerson(key, s.ro.QueryRowContext(ctx, `SELECT `+personColumns+` FROM person WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, data.Errorf(data.ENotFound, "err.person_not_found")
	}
	if err != nil {
		return p, wrapDB(err, "read person")
	}
	return p, s.Audit(ctx, "view_person", "person", id.String(), "")
}

// PersonQuery finds people by exact identifiers. Exactly the non-empty
// fields must match; Name matches the whole folded full name (case and
// diacritics ignored, đ → d) — partial names cannot be searched, because
// names are stored encrypted (docs/SECURITY.md).
type PersonQuery struct {
	Phone    string // any written form; normalised before the lookup
	IDNumber string
	QID      string
	Name     string
	Limit    int // default 100
}

// FindPeople returns the people matching q; the lookup is audited with
// the number of people it returned (never the values searched).
func (s *Store) FindPeople(ctx context.Context, q PersonQuery) ([]data.Person, error) {
	if err := s.Require(data.PermViewPersonal); err != nil {
		return nil, err
	}
	key, err := s.dataKey()
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	if q.Phone != "" {
		ph, err := data.NormalizePhone(q.Phone)
		if err != nil {
			return nil, err
		}
		where, args = append(where, "phone_bi = ?"), append(args, key.BlindIndex(biPhone, ph))
	}
	if q.IDNumber != "" {
		where, args = append(where, "id_number_bi = ?"), append(args, key.BlindIndex(biID, data.Digits(q.IDNumber)))
	}
	if q.QID != "" {
		where, args = append(where, "qid_bi = ?"), append(args, key.BlindIndex(biQID, strings.TrimSpace(q.QID)))
	}
	if q.Name != "" {
		where, args = append(where, "name_bi = ?"), append(args, key.BlindIndex(biName, data.Fold(q.Name)))
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
	var out []data.Person
	for rows.Next() {
		p, err := s.scanPerson(key, rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "find_people", "person", "", fmt.Sprintf(`{"results":%d}`, len(out)))
}

// ownerContact decrypts a venue owner's name and phone (venue reads).
func (s *Store) ownerContact(key *protect.DataKey, owner data.ID, blob []byte) (name, phone string) {
	if key == nil || blob == nil {
		return "", ""
	}
	x, err := openPII(key, owner, blob)
	if err != nil {
		return "", ""
	}
	return x.FullName, x.Phone
}

// protectLegacyPeople encrypts person rows written before personal data
// was protected (schema < 8) and empties their plain-text columns; the
// file is then vacuumed so the old values leave no free pages behind.
func (s *Store) protectLegacyPeople(ctx context.Context) error {
	key, err := s.dataKey()
	if err != nil {
		return err
	}
	// Only replicas upgraded from schema < 8 have such rows; once done, a
	// setting spares every later open a scan of the person table.
	if done, err := s.Setting(ctx, "people.protected"); err != nil || done == "1" {
		return err
	}
	var n int
	if err := s.rw.QueryRowContext(ctx, `SELECT COUNT(*) FROM person WHERE pii IS NULL`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return s.SetSetting(ctx, "people.protected", "1")
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, full_name, phone, id_number, qid, birth_date, sex, address
			FROM person WHERE pii IS NULL`)
		if err != nil {
			return err
		}
		type legacy struct {
			id data.ID
			x  pii
		}
		var todo []legacy
		for rows.Next() {
			var l legacy
			if err := rows.Scan(&l.id, &l.x.FullName, &l.x.Phone, &l.x.IDNumber, &l.x.QID, &l.x.BirthDate, &l.x.Sex, &l.x.Address); err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, l)
		}
		rows.Close()
		for _, l := range todo {
			sp := sealPerson(key, l.id, l.x)
			if _, err := tx.ExecContext(ctx, `UPDATE person SET pii = ?, phone_bi = ?, id_number_bi = ?, qid_bi = ?,
				name_bi = ?, full_name = '', name_folded = '', phone = '', id_number = '', qid = '', birth_date = '',
				sex = '', address = '', notes = '' WHERE id = ?`, sp.pii, sp.phone, sp.idNum, sp.qid, sp.name, l.id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO setting(key, value) VALUES ('people.protected', '1')
			ON CONFLICT(key) DO UPDATE SET value = '1'`); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.actor(), "protect_legacy", "person", "", fmt.Sprintf(`{"rows":%d}`, len(todo)))
	})
	if err != nil {
		return err
	}
	return s.scrub(ctx)
}

// UpdatePerson corrects a person's data (a data-subject request under NĐ
// 13/2023, handled by a clerk). The version must be the one read; the
// correction is audited without its values.
func (s *Store) UpdatePerson(ctx context.Context, p *data.Person) error {
	if err := s.Require(data.PermDataRequests); err != nil {
		return err
	}
	if err := normalizePerson(p); err != nil {
		return err
	}
	key, err := s.dataKey()
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		sp := sealPerson(key, p.ID, piiOf(p))
		res, err := tx.ExecContext(ctx, `UPDATE person SET pii = ?, phone_bi = ?, id_number_bi = ?, qid_bi = ?, name_bi = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL`,
			sp.pii, sp.phone, sp.idNum, sp.qid, sp.name, now.Unix(), p.ID, p.Version)
		if err != nil {
			return wrapDB(err, "correct person")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return data.Errorf(data.EConflict, "err.person_changed")
		}
		p.Version++
		if err := recordChange(ctx, tx, "person", p.ID, "update", p.Version, changeOfPerson(p.ID, p.Version, sp), now.Unix()); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.actor(), "correct_person", "person", p.ID.String(), "")
	})
}

// PersonRecord is everything the replica holds about one person, for a
// data-subject access request.
type PersonRecord struct {
	Person   data.Person     `json:"person"`
	Checkins []PersonCheckin `json:"checkins"`
	Cases    []string        `json:"cases"`  // case ids where the person is the F0
	Venues   []string        `json:"venues"` // venue codes the person owns
	Traced   int             `json:"traced"` // tracing lists the person is on
}

// PersonCheckin is one check-in in a PersonRecord.
type PersonCheckin struct {
	VenueCode string    `json:"venue_code"`
	VenueName string    `json:"venue_name"`
	TimeIn    time.Time `json:"time_in"`
	Source    string    `json:"source"`
}

// ExportPerson gathers a person's data for an access request (clerks);
// the export is audited.
func (s *Store) ExportPerson(ctx context.Context, id data.ID) (PersonRecord, error) {
	var r PersonRecord
	if err := s.Require(data.PermDataRequests); err != nil {
		return r, err
	}
	p, err := s.Person(ctx, id)
	if err != nil {
		return r, err
	}
	r.Person = p
	rows, err := s.ro.QueryContext(ctx, `SELECT v.code, v.name, c.time_in, c.source FROM checkin c
		JOIN venue v ON v.id = c.venue_id WHERE c.person_id = ? AND c.deleted_at IS NULL ORDER BY c.time_in`, id)
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var c PersonCheckin
		var t int64
		if err := rows.Scan(&c.VenueCode, &c.VenueName, &t, &c.Source); err != nil {
			rows.Close()
			return r, err
		}
		c.TimeIn = time.Unix(t, 0)
		r.Checkins = append(r.Checkins, c)
	}
	rows.Close()
	for _, q := range []struct {
		sql  string
		into *[]string
	}{
		{`SELECT hex(id) FROM case_f0 WHERE person_id = ? AND deleted_at IS NULL`, &r.Cases},
		{`SELECT code FROM venue WHERE owner_id = ? AND deleted_at IS NULL`, &r.Venues},
	} {
		rows, err := s.ro.QueryContext(ctx, q.sql, id)
		if err != nil {
			return r, err
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			*q.into = append(*q.into, v)
		}
		rows.Close()
	}
	// The tracing tables may not exist in an older schema.
	s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM trace_contact WHERE person_id = ? AND deleted_at IS NULL`, id).Scan(&r.Traced)
	return r, s.Audit(ctx, "export_person", "person", id.String(), fmt.Sprintf(`{"checkins":%d}`, len(r.Checkins)))
}

// sealedTextPrefix marks a TEXT value holding sealed free text (notes
// about people, the facts of an official document), so values written
// before protection can still be told apart and read.
const sealedTextPrefix = "qrw-enc1:"

// sealText encrypts free text about people for a TEXT column, bound to its
// table and row. Empty text stays empty.
func (s *Store) sealText(table string, id data.ID, plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	key, err := s.dataKey()
	if err != nil {
		return "", err
	}
	return sealedTextPrefix + base64.RawStdEncoding.EncodeToString(key.Seal([]byte(plain), table+"|"+id.String())), nil
}

// openText reverses sealText. Without the key (a role that may not see
// personal data) or for a damaged value it returns "".
func (s *Store) openText(table string, id data.ID, stored string) string {
	rest, ok := strings.CutPrefix(stored, sealedTextPrefix)
	if !ok {
		return stored // written before protection
	}
	key := s.personalKey()
	if key == nil {
		return ""
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil {
		return ""
	}
	plain, err := key.Open(b, table+"|"+id.String())
	if err != nil {
		return ""
	}
	return string(plain)
}
