package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"qrward/data"
	"qrward/scan"
)

// The scan station ("Quét mã") records check-ins from scanned, pasted or
// typed codes and from paper declarations. Personal data is read and
// written only through people.go (FindPeople, Person, normalizePerson,
// insertPerson); this file handles check-ins, de-duplication, undo and
// the station's settings.

// DefaultDedupWindow is how long a second scan of the same person at the
// same venue counts as the same visit: long enough for a visitor who
// shows the code twice or steps back out, short enough that a real second
// visit in the afternoon is recorded.
const DefaultDedupWindow = 3 * time.Minute

// PaperDeclaration is a paper health declaration typed in for a visitor
// without a code.
type PaperDeclaration struct {
	FullName string
	Phone    string
	IDNumber string
	// Symptoms are data.RiskFever | RiskCough | RiskBreath | RiskContact
	// | RiskOutbreakArea bits as ticked on the form.
	Symptoms int
	// Origin is where the visitor came from in the last 14 days ("" if
	// nowhere outside the area).
	Origin string
}

// ScanRequest is one check-in attempt at the station.
type ScanRequest struct {
	VenueID data.ID
	// At is the time of the scan (default: the store's clock).
	At time.Time
	// Code is a person's code read by camera, wedge scanner, file or
	// paste; exactly one of Code and Paper is set.
	Code  scan.PersonCode
	Paper *PaperDeclaration
	// Source overrides the check-in source (default staff_scan for a
	// code, paper for a declaration).
	Source string
	// Input names how the code arrived (camera, wedge, file, paste,
	// manual), for the screen's list; it is not stored.
	Input string
	// Window is the de-duplication window (DefaultDedupWindow when 0;
	// negative disables it).
	Window time.Duration
	// Risk supplies case and contact lists (the store's own when nil).
	Risk RiskSource
	// StationID identifies the scanning station (the device when zero).
	StationID data.ID
	// LookupOnly resolves the person and computes the banner without
	// writing anything ("lookup only" mode).
	LookupOnly bool
}

// ScanResult is what the station shows for one check-in attempt.
type ScanResult struct {
	// Checkin is the row written, or the earlier one when Duplicate.
	Checkin data.Checkin
	// DisplayName is the name as the code shows it (QRQG codes carry it
	// upper case without diacritics), never more than the code revealed.
	DisplayName string
	// DisplayID is the document number as the code shows it (masked
	// digits stay masked).
	DisplayID string
	CodeKind  string
	// Match is "new" for a person first seen here, else the
	// scan.MatchReason name that tied the code to a known person.
	Match string
	// Duplicate: the same person checked in here within the window; no
	// new row was written.
	Duplicate bool
	Risk      RiskAssessment
}

// StationCheckin resolves the person behind a code or a declaration
// (matching a known person or creating one), suppresses a duplicate
// within the window, assesses the risk banner and writes the check-in —
// person, check-in and their outbox entries in one transaction, so a
// failure leaves nothing half-written. No network is needed.
func (s *Store) StationCheckin(ctx context.Context, req ScanRequest) (ScanResult, error) {
	var res ScanResult
	if err := s.Require(data.PermCheckin); err != nil {
		return res, err
	}
	if req.VenueID.IsZero() && !req.LookupOnly {
		return res, &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
			Fields: []data.FieldError{{Field: "venue", Key: "err.station_no_venue"}}}
	}
	if (req.Code == nil) == (req.Paper == nil) {
		return res, data.Errorf(data.EInvalid, "err.station_no_input")
	}
	if req.At.IsZero() {
		req.At = s.Now()
	}
	if req.Window == 0 {
		req.Window = DefaultDedupWindow
	}
	if req.StationID.IsZero() {
		req.StationID = s.deviceID
	}
	var cand data.Person // the person to create when no one matches
	var origin, address string
	flags := 0
	source := data.SourceStaffScan
	if req.Code != nil {
		cand = personFromCode(req.Code)
		res.DisplayName, res.DisplayID = displayOf(req.Code)
		res.CodeKind = req.Code.Kind().String()
		address = cand.Address
	} else {
		p, err := validatePaper(req.Paper)
		if err != nil {
			return res, err
		}
		cand, flags, origin = p, req.Paper.Symptoms, data.Clean(req.Paper.Origin)
		res.DisplayName, res.DisplayID = p.FullName, p.IDNumber
		source = data.SourcePaper
	}
	if req.Source != "" {
		source = req.Source
	}
	known, match, err := s.matchPerson(ctx, req.Code, cand)
	if err != nil {
		return res, err
	}
	res.Match = "new"
	if !known.ID.IsZero() {
		res.Match = match
	}

	var prev data.Checkin
	if !known.ID.IsZero() && req.Window > 0 {
		prev, err = s.recentCheckinOf(ctx, known.ID, req.VenueID, req.At, req.Window)
		if err != nil {
			return res, err
		}
	}
	areas, err := s.OutbreakAreas(ctx, req.At)
	if err != nil {
		return res, err
	}
	if _, ok := MatchOutbreakArea(areas, origin+" | "+address); ok {
		flags |= data.RiskOutbreakArea
	}
	res.Risk, err = s.AssessRisk(ctx, req.Risk, RiskInput{Person: known.ID, At: req.At, DeclaredFlags: flags,
		Origin: origin, Address: address, DuplicateOf: prev.TimeIn})
	if err != nil {
		return res, err
	}
	if !prev.ID.IsZero() {
		res.Checkin, res.Duplicate = prev, true
		return res, nil
	}
	if req.LookupOnly {
		res.Checkin = data.Checkin{VenueID: req.VenueID, PersonID: known.ID, TimeIn: req.At, RiskFlags: flags}
		return res, nil
	}

	c := data.Checkin{VenueID: req.VenueID, PersonID: known.ID, TimeIn: req.At, Source: source,
		RiskFlags: flags, StationID: req.StationID}
	if req.Code != nil {
		c.CodeKind = res.CodeKind
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if c.PersonID.IsZero() {
			if err := s.insertPerson(ctx, tx, &cand); err != nil {
				return err
			}
			c.PersonID = cand.ID
		}
		return s.insertCheckin(ctx, tx, &c)
	})
	if err != nil {
		return res, err
	}
	res.Checkin = c
	return res, nil
}

// validatePaper checks a paper declaration: a name and a phone number
// are required (the tracing team calls visitors); the ID number, when
// given, must be a CCCD or CMND. Every problem is reported at once, per
// field, in the user's language.
func validatePaper(d *PaperDeclaration) (data.Person, error) {
	p := data.Person{FullName: d.FullName, Phone: d.Phone, IDNumber: d.IDNumber}
	var val data.Validation
	if strings.TrimSpace(d.FullName) == "" {
		val.Add("full_name", "err.required")
	}
	if strings.TrimSpace(d.Phone) == "" {
		val.Add("phone", "err.phone_empty")
	}
	if strings.TrimSpace(d.IDNumber) != "" && strings.Trim(d.IDNumber, "0123456789 .-") != "" {
		val.Add("id_number", "err.station_id_number_digits")
	}
	if len([]rune(data.Clean(d.Origin))) > maxAreaName {
		val.Add("paper_origin", "err.too_long", maxAreaName)
	}
	if err := normalizePerson(&p); err != nil {
		for _, f := range data.FieldErrors(err) {
			if f.Key != "err.person_empty" && !hasField(val, f.Field) {
				val.Add(f.Field, f.Key, f.Args...)
			}
		}
	}
	return p, val.Err()
}

func hasField(v data.Validation, field string) bool {
	for _, f := range data.FieldErrors(v.Err()) {
		if f.Field == field {
			return true
		}
	}
	return false
}

// personFromCode is the person a code describes, keeping only what the
// code states in full: a masked ID number is not stored.
func personFromCode(code scan.PersonCode) data.Person {
	var p data.Person
	switch c := code.(type) {
	case *scan.PersonalQR:
		p.FullName, p.QID, p.Phone = c.Name, c.QID, c.Phone
		if !strings.Contains(c.DocumentNumber, "*") {
			p.IDNumber = c.DocumentNumber
		}
		p.BirthDate = birthOf(c.BirthDate)
	case *scan.CCCDCard:
		p.FullName, p.IDNumber, p.Address = c.Name, c.IDNumber, c.Address
		p.BirthDate, p.Sex = birthOf(c.BirthDate), c.Sex.String()
	case *scan.HealthInsuranceCard:
		p.FullName, p.Address = c.Name, c.Address
		p.BirthDate, p.Sex = birthOf(c.BirthDate), c.Sex.String()
	default:
		id := code.Identity()
		p.FullName, p.QID, p.Phone = id.FoldedName, id.QID, id.Phone
	}
	p.FullName = data.Clean(p.FullName)
	p.Address = data.Clean(p.Address)
	if len(data.Digits(p.IDNumber)) != 9 && len(data.Digits(p.IDNumber)) != 12 {
		p.IDNumber = ""
	}
	if _, err := data.NormalizePhone(p.Phone); err != nil {
		p.Phone = ""
	}
	return p
}

func birthOf(d scan.Date) string {
	switch {
	case d.Complete():
		return d.String()
	case d.Year != 0:
		return strconv.Itoa(d.Year)
	}
	return ""
}

// displayOf is the name and document number exactly as the code shows
// them.
func displayOf(code scan.PersonCode) (name, id string) {
	switch c := code.(type) {
	case *scan.PersonalQR:
		return c.Name, c.DocumentNumber
	case *scan.CCCDCard:
		return c.Name, c.IDNumber
	case *scan.HealthInsuranceCard:
		return c.Name, c.CardNumber
	}
	return code.Identity().FoldedName, code.Identity().IDNumber
}

// identityOf is a stored person's matching key.
func identityOf(p data.Person) scan.Identity {
	id := scan.Identity{QID: p.QID, IDNumber: p.IDNumber, FoldedName: scan.FoldName(p.FullName), Phone: p.Phone}
	if len(p.BirthDate) >= 4 {
		id.BirthYear, _ = strconv.Atoi(p.BirthDate[:4])
	}
	return id
}

// matchPerson finds the known person a code (or a declaration, when code
// is nil) belongs to, trying the strongest keys first, and says on which
// evidence (scan.MatchIdentity). A zero person means nobody matched.
func (s *Store) matchPerson(ctx context.Context, code scan.PersonCode, cand data.Person) (data.Person, string, error) {
	var want scan.Identity
	if code != nil {
		want = code.Identity()
	} else {
		want = identityOf(cand)
	}
	var queries []PersonQuery
	if want.QID != "" {
		queries = append(queries, PersonQuery{QID: want.QID, Limit: 5})
	}
	if want.IDNumber != "" && !strings.Contains(want.IDNumber, "*") {
		queries = append(queries, PersonQuery{IDNumber: want.IDNumber, Limit: 5})
	}
	if want.Phone != "" {
		queries = append(queries, PersonQuery{Phone: want.Phone, Limit: 20})
	}
	if cand.FullName != "" {
		queries = append(queries, PersonQuery{Name: cand.FullName, Limit: 50})
	}
	for _, q := range queries {
		people, err := s.FindPeople(ctx, q)
		if err != nil {
			return data.Person{}, "", err
		}
		for _, p := range people {
			if code == nil {
				// A paper declaration carries no code: the same phone and
				// the same name (or the same full ID number) is the same
				// person.
				if sameDeclarant(p, cand) {
					return p, "paper", nil
				}
				continue
			}
			if m, ok := scan.MatchIdentity(want, identityOf(p)); ok {
				return p, m.Reason.String(), nil
			}
		}
	}
	return data.Person{}, "", nil
}

func sameDeclarant(p, cand data.Person) bool {
	if cand.IDNumber != "" && p.IDNumber != "" {
		return cand.IDNumber == p.IDNumber
	}
	return cand.Phone != "" && p.Phone == cand.Phone && data.Fold(p.FullName) == data.Fold(cand.FullName)
}

// recentCheckinOf returns the person's latest live check-in at the venue
// within window before at (zero when none), through the person index.
func (s *Store) recentCheckinOf(ctx context.Context, person, venue data.ID, at time.Time, window time.Duration) (data.Checkin, error) {
	var c data.Checkin
	var tin int64
	err := s.ro.QueryRowContext(ctx, `SELECT id, time_in, source, code_kind, risk_flags, station_id FROM checkin
		WHERE person_id = ? AND venue_id = ? AND deleted_at IS NULL AND time_in > ? AND time_in <= ?
		ORDER BY time_in DESC LIMIT 1`, person, venue, at.Add(-window).Unix(), at.Unix()).
		Scan(&c.ID, &tin, &c.Source, &c.CodeKind, &c.RiskFlags, &c.StationID)
	if errors.Is(err, sql.ErrNoRows) {
		return data.Checkin{}, nil
	}
	if err != nil {
		return c, wrapDB(err, "find recent check-in")
	}
	c.VenueID, c.PersonID, c.TimeIn = venue, person, time.Unix(tin, 0)
	return c, nil
}

// insertCheckin writes a validated check-in and its outbox entry inside
// tx, moving the venue's last-check-in time forward. It is AddCheckin's
// body for callers that write other rows in the same transaction.
func (s *Store) insertCheckin(ctx context.Context, tx *sql.Tx, c *data.Checkin) error {
	now := s.Now()
	if c.ID.IsZero() {
		c.ID = data.NewID()
	}
	c.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.ExecContext(ctx, `INSERT INTO checkin(id, venue_id, person_id, time_in, time_out, source,
		code_kind, risk_flags, station_id, device_id, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 1, ?, ?)`,
		c.ID, c.VenueID, c.PersonID, c.TimeIn.Unix(), c.Source, c.CodeKind, c.RiskFlags,
		c.StationID, s.deviceID, now.Unix(), now.Unix()); err != nil {
		return wrapDB(err, "insert check-in")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE venue SET last_checkin_at = ?
		WHERE id = ? AND (last_checkin_at IS NULL OR last_checkin_at < ?)`, c.TimeIn.Unix(), c.VenueID, c.TimeIn.Unix()); err != nil {
		return wrapDB(err, "update venue")
	}
	return recordChange(ctx, tx, "checkin", c.ID, "insert", 1, checkinChange{ID: c.ID, VenueID: c.VenueID,
		PersonID: c.PersonID, TimeIn: c.TimeIn.Unix(), Source: c.Source, CodeKind: c.CodeKind,
		RiskFlags: c.RiskFlags, StationID: c.StationID}, now.Unix())
}

// UndoCheckin withdraws a mistaken check-in: the row becomes a tombstone
// (synced like an edit, so the hub and other replicas drop it too), the
// venue's last-check-in time is recomputed, and the undo is written to
// the hash-chained audit log with who did it and why.
func (s *Store) UndoCheckin(ctx context.Context, id data.ID, actor, reason string) error {
	if err := s.Require(data.PermCheckin); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		var venue, station data.ID
		var version int64
		err := tx.QueryRowContext(ctx, `SELECT venue_id, station_id, version FROM checkin WHERE id = ? AND deleted_at IS NULL`, id).
			Scan(&venue, &station, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return data.Errorf(data.ENotFound, "err.station_checkin_not_found")
		}
		if err != nil {
			return wrapDB(err, "read check-in")
		}
		version++
		if _, err := tx.ExecContext(ctx, `UPDATE checkin SET deleted_at = ?, version = ?, updated_at = ? WHERE id = ?`,
			now.Unix(), version, now.Unix(), id); err != nil {
			return wrapDB(err, "undo check-in")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE venue SET last_checkin_at =
			(SELECT MAX(time_in) FROM checkin WHERE venue_id = ? AND deleted_at IS NULL) WHERE id = ?`, venue, venue); err != nil {
			return wrapDB(err, "update venue")
		}
		if err := recordChange(ctx, tx, "checkin", id, "delete", version,
			struct {
				ID      data.ID `json:"id"`
				Version int64   `json:"version"`
				Deleted bool    `json:"deleted"`
			}{id, version, true}, now.Unix()); err != nil {
			return err
		}
		detail, _ := json.Marshal(map[string]string{"venue_id": venue.String(), "station_id": station.String(),
			"reason": data.Clean(reason)})
		return s.appendAudit(ctx, tx, auditEntry{Actor: actor, Action: "checkin.undo", Entity: "checkin",
			EntityID: id.String(), Detail: string(detail)})
	})
}

// StationCounts are the station's counters for today.
type StationCounts struct {
	// Venue is today's live check-ins at the venue (all stations).
	Venue int
	// Station is today's live check-ins written by this station there.
	Station int
}

// TodayCounts counts today's (local day of the store's clock) live
// check-ins at the venue, in total and by this station.
func (s *Store) TodayCounts(ctx context.Context, venue, station data.ID) (StationCounts, error) {
	var c StationCounts
	if station.IsZero() {
		station = s.deviceID
	}
	now := s.Now()
	y, m, d := now.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(station_id = ?), 0) FROM checkin
		WHERE venue_id = ? AND time_in >= ? AND time_in < ? AND deleted_at IS NULL`,
		station, venue, start.Unix(), start.AddDate(0, 0, 1).Unix()).Scan(&c.Venue, &c.Station)
	return c, wrapDB(err, "count check-ins")
}

// RecentCheckin is one row of the station's "last check-ins" list.
type RecentCheckin struct {
	Checkin data.Checkin
	// Name is the person's name as recorded (from the code or the form).
	Name string
}

// RecentCheckins lists this station's last live check-ins at the venue,
// newest first (the list the clerk undoes a mistaken scan from).
func (s *Store) RecentCheckins(ctx context.Context, venue, station data.ID, limit int) ([]RecentCheckin, error) {
	if station.IsZero() {
		station = s.deviceID
	}
	if limit <= 0 {
		limit = 10
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT id, person_id, time_in, source, code_kind, risk_flags FROM checkin
		WHERE venue_id = ? AND station_id = ? AND deleted_at IS NULL ORDER BY time_in DESC, rid DESC LIMIT ?`,
		venue, station, limit)
	if err != nil {
		return nil, wrapDB(err, "list check-ins")
	}
	var out []RecentCheckin
	for rows.Next() {
		r := RecentCheckin{Checkin: data.Checkin{VenueID: venue, StationID: station}}
		var tin int64
		if err := rows.Scan(&r.Checkin.ID, &r.Checkin.PersonID, &tin, &r.Checkin.Source, &r.Checkin.CodeKind,
			&r.Checkin.RiskFlags); err != nil {
			rows.Close()
			return nil, err
		}
		r.Checkin.TimeIn = time.Unix(tin, 0)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Checkin.PersonID.IsZero() {
			continue
		}
		p, err := s.Person(ctx, out[i].Checkin.PersonID)
		if err == nil {
			out[i].Name = p.FullName
		} else if data.ErrorCode(err) != data.ENotFound {
			return nil, err
		}
	}
	return out, nil
}

// StationSetting reads one of this station's settings ("" when unset).
func (s *Store) StationSetting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.ro.QueryRowContext(ctx, `SELECT value FROM station_setting WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, wrapDB(err, "read station setting")
}

// SetStationSetting saves one of this station's settings (camera,
// resolution, venue, mode, de-duplication window). Local, never synced.
func (s *Store) SetStationSetting(ctx context.Context, key, value string) error {
	_, err := s.rw.ExecContext(ctx, `INSERT INTO station_setting(key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, s.Now().Unix())
	return wrapDB(err, "save station setting")
}
