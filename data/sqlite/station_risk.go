package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"qrward/data"
)

// RiskLevel is the colour of the scan station's banner.
type RiskLevel int

const (
	// RiskGreen: nothing known against the visitor.
	RiskGreen RiskLevel = iota
	// RiskAmber: let in with attention (came from an outbreak area,
	// declared contact with a suspected case, F2, scanned again).
	RiskAmber
	// RiskRed: stop the visitor and call the health station (F0, F1,
	// declared fever, cough or breathlessness).
	RiskRed
)

// String is a stable machine name ("green", "amber", "red").
func (l RiskLevel) String() string { return [...]string{"green", "amber", "red"}[l] }

// Risk reason codes; the screen shows i18n key "station.risk.<code>".
const (
	ReasonF0           = "f0"
	ReasonF1           = "f1"
	ReasonF2           = "f2"
	ReasonSymptoms     = "symptoms"
	ReasonContact      = "contact"
	ReasonOutbreakArea = "outbreak_area"
	ReasonDuplicate    = "duplicate"
)

// RiskReason is one reason for the banner's colour, in words through its
// translation key; Args fill the message (an area name, minutes).
type RiskReason struct {
	Code  string
	Level RiskLevel
	Args  []any
}

// RiskAssessment is the banner: the worst level among its reasons.
type RiskAssessment struct {
	Level   RiskLevel
	Reasons []RiskReason
}

func (a *RiskAssessment) add(code string, level RiskLevel, args ...any) {
	a.Reasons = append(a.Reasons, RiskReason{Code: code, Level: level, Args: args})
	if level > a.Level {
		a.Level = level
	}
}

// Has reports whether the assessment carries reason code.
func (a RiskAssessment) Has(code string) bool {
	for _, r := range a.Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

// CaseStatus is what the replica's case and tracing lists say about a
// person.
type CaseStatus struct {
	F0 bool
	// ContactLevel is 1 for F1, 2 for F2, 0 when on no contact list.
	ContactLevel int
}

// RiskSource answers whether a person is on a case or contact list. The
// Store implements it; the tracing work may supply a richer one.
type RiskSource interface {
	CaseStatus(ctx context.Context, person data.ID, at time.Time) (CaseStatus, error)
}

// contactTables are the tracing lists of contacts (person_id, level,
// deleted_at) the risk check reads when present (migration 0003); on an
// older replica only case_f0 is consulted.
var contactTables = []string{"trace_contact"}

var contactTableCache sync.Map // *Store → string ("" = none)

func (s *Store) contactTable(ctx context.Context) (string, error) {
	if v, ok := contactTableCache.Load(s); ok {
		return v.(string), nil
	}
	found := ""
	for _, name := range contactTables {
		var n int
		err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info(?) WHERE name IN ('person_id', 'level', 'deleted_at')`, name).Scan(&n)
		if err != nil {
			return "", err
		}
		if n == 3 {
			found = name
			break
		}
	}
	contactTableCache.Store(s, found)
	return found, nil
}

// CaseStatus reads case_f0 (an active confirmed case) and, when the
// tracing tables exist, the person's closest contact level.
func (s *Store) CaseStatus(ctx context.Context, person data.ID, at time.Time) (CaseStatus, error) {
	var st CaseStatus
	if person.IsZero() {
		return st, nil
	}
	var n int
	if err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_f0
		WHERE person_id = ? AND deleted_at IS NULL AND status = 'active'`, person).Scan(&n); err != nil {
		return st, wrapDB(err, "read cases")
	}
	st.F0 = n > 0
	table, err := s.contactTable(ctx)
	if err != nil || table == "" {
		return st, wrapDB(err, "find contact list")
	}
	var level sql.NullInt64
	// table comes from the fixed list above, never from input.
	if err := s.ro.QueryRowContext(ctx, `SELECT MIN(level) FROM `+table+` WHERE person_id = ? AND deleted_at IS NULL`, person).Scan(&level); err != nil {
		return st, wrapDB(err, "read contacts")
	}
	if level.Valid {
		st.ContactLevel = int(level.Int64)
	}
	return st, nil
}

// RiskInput is what the banner is computed from.
type RiskInput struct {
	Person        data.ID
	At            time.Time
	DeclaredFlags int    // data.Risk* bits from a declaration
	Origin        string // where the visitor says they came from
	Address       string // the address a code carries (CCCD), if any
	// DuplicateOf is the time of an earlier check-in inside the
	// de-duplication window (zero when none).
	DuplicateOf time.Time
}

// AssessRisk computes the banner for one check-in: case lists from src
// (the store itself when nil), declared flags, outbreak areas matched in
// the declared origin or the code's address, and a duplicate scan.
func (s *Store) AssessRisk(ctx context.Context, src RiskSource, in RiskInput) (RiskAssessment, error) {
	var a RiskAssessment
	if src == nil {
		src = s
	}
	st, err := src.CaseStatus(ctx, in.Person, in.At)
	if err != nil {
		return a, err
	}
	if st.F0 {
		a.add(ReasonF0, RiskRed)
	}
	switch st.ContactLevel {
	case 1:
		a.add(ReasonF1, RiskRed)
	case 2:
		a.add(ReasonF2, RiskAmber)
	}
	if in.DeclaredFlags&(data.RiskFever|data.RiskCough|data.RiskBreath) != 0 {
		a.add(ReasonSymptoms, RiskRed, symptomList(in.DeclaredFlags))
	}
	if in.DeclaredFlags&data.RiskContact != 0 {
		a.add(ReasonContact, RiskAmber)
	}
	areas, err := s.OutbreakAreas(ctx, in.At)
	if err != nil {
		return a, err
	}
	if area, ok := MatchOutbreakArea(areas, in.Origin+" | "+in.Address); ok {
		a.add(ReasonOutbreakArea, RiskAmber, area.Name)
	} else if in.DeclaredFlags&data.RiskOutbreakArea != 0 {
		a.add(ReasonOutbreakArea, RiskAmber, strings.TrimSpace(in.Origin))
	}
	if !in.DuplicateOf.IsZero() {
		a.add(ReasonDuplicate, RiskAmber, int(in.At.Sub(in.DuplicateOf).Minutes()))
	}
	return a, nil
}

// symptomList names the declared symptoms as keys ("fever,cough") that
// the screen translates one by one.
func symptomList(flags int) string {
	var out []string
	for _, s := range []struct {
		bit  int
		name string
	}{{data.RiskFever, "fever"}, {data.RiskCough, "cough"}, {data.RiskBreath, "breath"}} {
		if flags&s.bit != 0 {
			out = append(out, s.name)
		}
	}
	return strings.Join(out, ",")
}

// OutbreakArea is a place the office lists as an outbreak zone.
type OutbreakArea struct {
	ID         data.ID
	Name       string
	ActiveFrom time.Time
	ActiveTo   *time.Time
	Notes      string
	data.SyncMeta
}

type outbreakAreaChange struct {
	ID         data.ID `json:"id"`
	Version    int64   `json:"version"`
	Name       string  `json:"name"`
	ActiveFrom string  `json:"active_from"`
	ActiveTo   string  `json:"active_to,omitempty"`
	Notes      string  `json:"notes,omitempty"`
	Deleted    bool    `json:"deleted,omitempty"`
}

func (a *OutbreakArea) change() outbreakAreaChange {
	c := outbreakAreaChange{ID: a.ID, Version: a.Version, Name: a.Name, ActiveFrom: a.ActiveFrom.Format(dateLayout), Notes: a.Notes}
	if a.ActiveTo != nil {
		c.ActiveTo = a.ActiveTo.Format(dateLayout)
	}
	return c
}

// maxAreaName bounds an area name (a ward, a district, a province, a
// residential group with its ward).
const maxAreaName = 120

// AddOutbreakArea validates and saves a new outbreak area (active from
// today when no date is given), queued for sync.
func (s *Store) AddOutbreakArea(ctx context.Context, a *OutbreakArea) error {
	if err := s.Require(data.PermEditVenues); err != nil {
		return err
	}
	var val data.Validation
	a.Name = data.Clean(a.Name)
	a.Notes = data.Clean(a.Notes)
	switch {
	case a.Name == "":
		val.Add("area_name", "err.required")
	case len([]rune(a.Name)) > maxAreaName:
		val.Add("area_name", "err.too_long", maxAreaName)
	case len(areaKey(a.Name)) < 3:
		val.Add("area_name", "err.area_name_short")
	}
	if a.ActiveFrom.IsZero() {
		a.ActiveFrom = s.Now()
	}
	if a.ActiveTo != nil && a.ActiveTo.Before(a.ActiveFrom) {
		val.Add("area_active_to", "err.area_end_before_start")
	}
	if err := val.Err(); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if a.ID.IsZero() {
			a.ID = data.NewID()
		}
		a.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
		var to any
		if a.ActiveTo != nil {
			to = a.ActiveTo.Format(dateLayout)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbreak_area(id, name, name_folded, active_from, active_to,
			notes, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			a.ID, a.Name, data.Fold(a.Name), a.ActiveFrom.Format(dateLayout), to, a.Notes, s.deviceID,
			now.Unix(), now.Unix()); err != nil {
			return wrapDB(err, "insert outbreak area")
		}
		return recordChange(ctx, tx, "outbreak_area", a.ID, "insert", 1, a.change(), now.Unix())
	})
}

// EndOutbreakArea closes an area's listing on day `on` (it no longer
// raises the banner after that day).
func (s *Store) EndOutbreakArea(ctx context.Context, id data.ID, on time.Time) error {
	if err := s.Require(data.PermEditVenues); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res, err := tx.ExecContext(ctx, `UPDATE outbreak_area SET active_to = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL`, on.Format(dateLayout), now.Unix(), id)
		if err != nil {
			return wrapDB(err, "end outbreak area")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return data.Errorf(data.ENotFound, "err.area_not_found")
		}
		a, err := scanArea(tx.QueryRowContext(ctx, `SELECT `+areaColumns+` FROM outbreak_area WHERE id = ?`, id))
		if err != nil {
			return err
		}
		return recordChange(ctx, tx, "outbreak_area", id, "update", a.Version, a.change(), now.Unix())
	})
}

const areaColumns = `id, name, active_from, active_to, notes, device_id, version, created_at, updated_at`

func scanArea(row interface{ Scan(...any) error }) (OutbreakArea, error) {
	var a OutbreakArea
	var from string
	var to sql.NullString
	var created, updated int64
	if err := row.Scan(&a.ID, &a.Name, &from, &to, &a.Notes, &a.DeviceID, &a.Version, &created, &updated); err != nil {
		return a, err
	}
	a.ActiveFrom, _ = time.ParseInLocation(dateLayout, from, time.Local)
	a.ActiveTo = datePtr(to)
	a.CreatedAt, a.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	return a, nil
}

// OutbreakAreas lists the areas active on the day of at (all areas, ended
// ones included, when at is zero), by name.
func (s *Store) OutbreakAreas(ctx context.Context, at time.Time) ([]OutbreakArea, error) {
	q := `SELECT ` + areaColumns + ` FROM outbreak_area WHERE deleted_at IS NULL`
	var args []any
	if !at.IsZero() {
		day := at.In(time.Local).Format(dateLayout)
		q += ` AND active_from <= ? AND (active_to IS NULL OR active_to >= ?)`
		args = append(args, day, day)
	}
	rows, err := s.ro.QueryContext(ctx, q+` ORDER BY name_folded`, args...)
	if err != nil {
		return nil, wrapDB(err, "list outbreak areas")
	}
	return scanAll(rows, scanArea)
}

// MatchOutbreakArea finds an area whose name occurs in text as whole
// words, ignoring case, diacritics, punctuation and the unit's type word:
// area "Phường An Hải Bắc" matches "P. An Hải Bắc, Sơn Trà" and "an hai
// bac", not "An Hải Đông". The longest matching name wins, so "An Hải
// Bắc" beats "An Hải".
func MatchOutbreakArea(areas []OutbreakArea, text string) (OutbreakArea, bool) {
	t := " " + wordsOf(text) + " "
	var best OutbreakArea
	bestLen := 0
	for _, a := range areas {
		n := areaKey(a.Name)
		if n == "" || !strings.Contains(t, " "+n+" ") {
			continue
		}
		if len(n) > bestLen {
			best, bestLen = a, len(n)
		}
	}
	return best, bestLen > 0
}

// unitTypeWords are the administrative type words (folded) an area name
// may start with; people write them in many ways (phường, P., F.) or not
// at all, so they are not part of the match.
var unitTypeWords = []string{"thanh pho", "thi tran", "thi xa", "phuong", "quan", "huyen", "tinh", "xa", "tp", "p", "q", "f"}

// areaKey is an area name reduced to the words matched.
func areaKey(name string) string {
	n := wordsOf(name)
	for _, w := range unitTypeWords {
		if rest, ok := strings.CutPrefix(n, w+" "); ok {
			return rest
		}
	}
	return n
}

func wordsOf(s string) string {
	return strings.Join(strings.Fields(strings.Map(wordRune, data.Fold(s))), " ")
}

// wordRune keeps letters and digits and turns punctuation into spaces.
func wordRune(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f {
		return r
	}
	return ' '
}
