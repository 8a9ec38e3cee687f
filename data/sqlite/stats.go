package sqlite

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/trace"
)

// Compliance statistics read the rollup tables only (and the venue table
// for silent venues): a dashboard over ten million check-ins never waits
// for a scan of them.

// Vietnam has no daylight saving: a day is [00:00, 24:00) at UTC+7,
// whatever the machine's zone. The triggers count with the same offset.
var vietnam = trace.Vietnam

// VietnamDay returns the calendar day (YYYY-MM-DD) of t in Vietnam.
func VietnamDay(t time.Time) string { return t.In(vietnam).Format(dateLayout) }

// StatsQuery selects a period and wards.
type StatsQuery struct {
	// From and To are calendar days (inclusive), in Vietnam.
	From, To time.Time
	// Wards limits the figures to these ward codes (empty = all).
	Wards []string
	// SilentDays: a venue is silent when open and registered but with no
	// scan in the SilentDays days up to To (default 7).
	SilentDays int
	// SilentLimit caps the silent-venue list (default 500; counts are
	// always complete).
	SilentLimit int
}

// DayStats are one day's figures (for one ward or the whole replica).
type DayStats struct {
	Day           string `json:"day"`
	Scans         int    `json:"scans"`
	People        int    `json:"people"`
	Paper         int    `json:"paper"`
	VenuesScanned int    `json:"venues_scanned"`
	Inspections   int    `json:"inspections"`
	Violations    int    `json:"violations"`
	// Registered and WithQR are running totals at the end of the day.
	Registered int `json:"registered"`
	WithQR     int `json:"with_qr"`
}

// WardStats are a ward's figures over the period.
type WardStats struct {
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	Registered int        `json:"registered"` // now
	WithQR     int        `json:"with_qr"`    // now
	Suspended  int        `json:"suspended"`  // now
	Silent     int        `json:"silent"`     // at the end of the period
	Days       []DayStats `json:"days"`
	Total      DayStats   `json:"total"` // sums over the period; People is the sum of daily counts
}

// ViolationCount is the number of violations of one rule in one status.
type ViolationCount struct {
	Ward   string `json:"ward"`
	RuleID string `json:"rule_id"`
	Status string `json:"status"`
	N      int    `json:"n"`
}

// SilentVenue is a registered, open venue with no recent scan.
type SilentVenue struct {
	ID          data.ID    `json:"id"`
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	Category    string     `json:"category"`
	Ward        string     `json:"ward"`
	OwnerID     data.ID    `json:"-"`
	LastCheckin *time.Time `json:"last_checkin,omitempty"`
}

// Stats are the compliance figures of a period.
type Stats struct {
	From       string           `json:"from"`
	To         string           `json:"to"`
	SilentDays int              `json:"silent_days"`
	Days       []DayStats       `json:"days"` // the whole selection; People distinct per day when no ward filter
	Wards      []WardStats      `json:"wards"`
	Violations []ViolationCount `json:"violations"`
	Silent     []SilentVenue    `json:"silent"`
	// SilentTotal counts every silent venue, however many Silent lists.
	SilentTotal int `json:"silent_total"`
	// Stale says why the rollups need a rebuild ("" when current).
	Stale   string        `json:"stale,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Stats reads the compliance figures of a period from the rollups.
func (s *Store) Stats(ctx context.Context, q StatsQuery) (*Stats, error) {
	start := time.Now()
	if err := s.Require(data.PermViewStats); err != nil {
		return nil, err
	}
	if q.SilentDays <= 0 {
		q.SilentDays = 7
	}
	if q.SilentLimit <= 0 {
		q.SilentLimit = 500
	}
	if q.To.IsZero() {
		q.To = s.Now()
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -6)
	}
	from, to := VietnamDay(q.From), VietnamDay(q.To)
	if from > to {
		var v data.Validation
		v.Add("from", "err.stats_period_order")
		return nil, v.Err()
	}
	st := &Stats{From: from, To: to, SilentDays: q.SilentDays}
	var err error
	if st.Stale, err = s.RollupsStale(ctx); err != nil {
		return nil, err
	}
	wardFilter, wardArgs := "", []any{}
	if len(q.Wards) > 0 {
		wardFilter = ` AND ward_code IN (?` + strings.Repeat(", ?", len(q.Wards)-1) + `)`
		for _, w := range q.Wards {
			wardArgs = append(wardArgs, w)
		}
	}
	days := dayRange(from, to)
	wards := map[string]*WardStats{}
	ward := func(code string) *WardStats {
		w := wards[code]
		if w == nil {
			w = &WardStats{Code: code}
			if u, ok := s.Units().Ward(code); ok {
				w.Name = u.FullName()
			}
			w.Days = make([]DayStats, len(days))
			for i, d := range days {
				w.Days[i].Day = d
			}
			wards[code] = w
		}
		return w
	}
	dayIndex := map[string]int{}
	for i, d := range days {
		dayIndex[d] = i
	}
	// Current venue counts: every ward with venues appears.
	rows, err := s.ro.QueryContext(ctx, `SELECT ward_code, registered, with_qr, suspended FROM rollup_ward_venue
		WHERE registered > 0`+wardFilter, wardArgs...)
	if err != nil {
		return nil, wrapDB(err, "stats")
	}
	for rows.Next() {
		var code string
		var reg, qr, susp int
		if err := rows.Scan(&code, &reg, &qr, &susp); err != nil {
			rows.Close()
			return nil, err
		}
		w := ward(code)
		w.Registered, w.WithQR, w.Suspended = reg, qr, susp
	}
	rows.Close()
	// Per ward and day.
	rows, err = s.ro.QueryContext(ctx, `SELECT ward_code, day, scans, paper, people, venues_scanned, inspections, violations
		FROM rollup_ward_day WHERE day BETWEEN ? AND ?`+wardFilter, append([]any{from, to}, wardArgs...)...)
	if err != nil {
		return nil, wrapDB(err, "stats")
	}
	for rows.Next() {
		var code string
		var d DayStats
		if err := rows.Scan(&code, &d.Day, &d.Scans, &d.Paper, &d.People, &d.VenuesScanned, &d.Inspections, &d.Violations); err != nil {
			rows.Close()
			return nil, err
		}
		w := ward(code)
		i := dayIndex[d.Day]
		d.Registered, d.WithQR = w.Days[i].Registered, w.Days[i].WithQR
		w.Days[i] = d
	}
	rows.Close()
	// Running totals of registered venues and venues with a QR.
	rows, err = s.ro.QueryContext(ctx, `SELECT ward_code, day, registered, qr_issued FROM rollup_registration
		WHERE day <= ?`+wardFilter+` ORDER BY day`, append([]any{to}, wardArgs...)...)
	if err != nil {
		return nil, wrapDB(err, "stats")
	}
	running := map[string][2]int{}
	type step struct {
		ward, day string
		reg, qr   int
	}
	var steps []step
	for rows.Next() {
		var x step
		if err := rows.Scan(&x.ward, &x.day, &x.reg, &x.qr); err != nil {
			rows.Close()
			return nil, err
		}
		steps = append(steps, x)
	}
	rows.Close()
	si := 0
	for i, d := range days {
		for ; si < len(steps) && steps[si].day <= d; si++ {
			r := running[steps[si].ward]
			r[0] += steps[si].reg
			r[1] += steps[si].qr
			running[steps[si].ward] = r
		}
		for code, r := range running {
			w := ward(code)
			w.Days[i].Registered, w.Days[i].WithQR = r[0], r[1]
		}
	}
	// Violations by rule and status.
	rows, err = s.ro.QueryContext(ctx, `SELECT ward_code, rule_id, status, SUM(n) FROM rollup_violation
		WHERE day BETWEEN ? AND ?`+wardFilter+` GROUP BY ward_code, rule_id, status HAVING SUM(n) > 0
		ORDER BY SUM(n) DESC, rule_id, status`, append([]any{from, to}, wardArgs...)...)
	if err != nil {
		return nil, wrapDB(err, "stats")
	}
	for rows.Next() {
		var v ViolationCount
		if err := rows.Scan(&v.Ward, &v.RuleID, &v.Status, &v.N); err != nil {
			rows.Close()
			return nil, err
		}
		st.Violations = append(st.Violations, v)
	}
	rows.Close()
	// Silent venues at the end of the period.
	if err := s.silentVenues(ctx, st, q, wardFilter, wardArgs, ward); err != nil {
		return nil, err
	}
	// Whole selection per day; distinct people from rollup_day when no
	// ward filter (a person scanned in two wards counts once).
	st.Days = make([]DayStats, len(days))
	for i, d := range days {
		st.Days[i].Day = d
	}
	codes := make([]string, 0, len(wards))
	for code := range wards {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		w := wards[code]
		for i, d := range w.Days {
			t := &st.Days[i]
			t.Scans += d.Scans
			t.People += d.People
			t.Paper += d.Paper
			t.VenuesScanned += d.VenuesScanned
			t.Inspections += d.Inspections
			t.Violations += d.Violations
			t.Registered += d.Registered
			t.WithQR += d.WithQR
			w.Total.Scans += d.Scans
			w.Total.People += d.People
			w.Total.Paper += d.Paper
			w.Total.VenuesScanned += d.VenuesScanned
			w.Total.Inspections += d.Inspections
			w.Total.Violations += d.Violations
		}
		w.Total.Registered, w.Total.WithQR = w.Registered, w.WithQR
		st.Wards = append(st.Wards, *w)
	}
	if len(q.Wards) == 0 {
		rows, err = s.ro.QueryContext(ctx, `SELECT day, people FROM rollup_day WHERE day BETWEEN ? AND ?`, from, to)
		if err != nil {
			return nil, wrapDB(err, "stats")
		}
		for rows.Next() {
			var d string
			var n int
			if err := rows.Scan(&d, &n); err != nil {
				rows.Close()
				return nil, err
			}
			st.Days[dayIndex[d]].People = n
		}
		rows.Close()
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

func (s *Store) silentVenues(ctx context.Context, st *Stats, q StatsQuery, wardFilter string, wardArgs []any, ward func(string) *WardStats) error {
	end, _ := time.ParseInLocation(dateLayout, st.To, vietnam)
	end = end.AddDate(0, 0, 1)
	since := end.AddDate(0, 0, -q.SilentDays)
	rows, err := s.ro.QueryContext(ctx, `SELECT id, code, name, category, ward_code, owner_id, last_checkin_at FROM venue
		WHERE deleted_at IS NULL AND status = 'open' AND registered_on <= ?
		AND (last_checkin_at IS NULL OR last_checkin_at < ?)`+wardFilter+`
		ORDER BY ward_code, last_checkin_at IS NOT NULL, last_checkin_at, code`,
		append([]any{st.To, since.Unix()}, wardArgs...)...)
	if err != nil {
		return wrapDB(err, "silent venues")
	}
	defer rows.Close()
	for rows.Next() {
		var v SilentVenue
		var last sql.NullInt64
		if err := rows.Scan(&v.ID, &v.Code, &v.Name, &v.Category, &v.Ward, &v.OwnerID, &last); err != nil {
			return err
		}
		v.LastCheckin = timePtr(last)
		ward(v.Ward).Silent++
		st.SilentTotal++
		if len(st.Silent) < q.SilentLimit {
			st.Silent = append(st.Silent, v)
		}
	}
	return rows.Err()
}

// dayRange lists the days from..to (YYYY-MM-DD, inclusive).
func dayRange(from, to string) []string {
	f, err1 := time.Parse(dateLayout, from)
	t, err2 := time.Parse(dateLayout, to)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for d := f; !d.After(t); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(dateLayout))
	}
	return out
}

// Office returns the issuing body's header text ("ỦY BAN NHÂN DÂN\nQUẬN
// HẢI CHÂU") and the place of the date line ("Hải Châu") from the
// replica's "office.code" setting.
func (s *Store) Office(ctx context.Context) (issuer, place string) {
	code, _ := s.Setting(ctx, "office.code")
	issuer = "ỦY BAN NHÂN DÂN"
	if u, ok := s.Units().Unit(code); ok {
		issuer += "\n" + strings.ToUpper(u.FullName())
		place = u.Name
	}
	return issuer, place
}

// TracingActivity counts a period's tracing work for reports.
type TracingActivity struct {
	Cases    int `json:"cases"`    // F0 confirmed in the period
	Contacts int `json:"contacts"` // contacts with a follow-up record
	Called   int `json:"called"`
	Reached  int `json:"reached"`
	Isolated int `json:"isolated"`
	Tested   int `json:"tested"`
}

// TracingActivity counts the cases confirmed from..to (Vietnam days,
// inclusive) and the follow-ups of their contacts.
func (s *Store) TracingActivity(ctx context.Context, from, to time.Time) (TracingActivity, error) {
	var a TracingActivity
	if err := s.Require(data.PermViewStats); err != nil {
		return a, err
	}
	f, t := VietnamDay(from), VietnamDay(to)
	err := s.ro.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM case_f0 WHERE deleted_at IS NULL AND confirmed_on BETWEEN ?1 AND ?2),
		COUNT(k.id), COALESCE(SUM(k.called), 0), COALESCE(SUM(k.reached), 0), COALESCE(SUM(k.isolated), 0), COALESCE(SUM(k.tested), 0)
		FROM trace_contact k JOIN case_f0 c ON c.id = k.case_id
		WHERE k.deleted_at IS NULL AND c.deleted_at IS NULL AND c.confirmed_on BETWEEN ?1 AND ?2`, f, t).
		Scan(&a.Cases, &a.Contacts, &a.Called, &a.Reached, &a.Isolated, &a.Tested)
	return a, wrapDB(err, "tracing activity")
}

// Reasons a venue's owner gets a reminder (translation keys
// "report.sms.<reason>").
const (
	ReminderSilent    = "silent"    // no scan in the silent period
	ReminderNoQR      = "no_qr"     // no venue QR issued
	ReminderControl   = "control"   // self-scan where staff scanning is required
	ReminderViolation = "violation" // an open violation
)

// ReminderVenue is a venue whose owner should be reminded, with why.
type ReminderVenue struct {
	ID       data.ID `json:"id"`
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Ward     string  `json:"ward"`
	OwnerID  data.ID `json:"-"`
	Reasons  []string
	LastScan *time.Time `json:"last_scan,omitempty"`
}

// ReminderVenues lists the open venues of the selected wards that are
// silent at the end of the period or not compliant (no QR, a control
// method their category does not allow, an open violation), by ward and
// code. Owners' contacts are read through Venue (people.go).
func (s *Store) ReminderVenues(ctx context.Context, q StatsQuery) ([]ReminderVenue, error) {
	if err := s.Require(data.PermViewStats); err != nil {
		return nil, err
	}
	if q.SilentDays <= 0 {
		q.SilentDays = 7
	}
	if q.To.IsZero() {
		q.To = s.Now()
	}
	end, _ := time.ParseInLocation(dateLayout, VietnamDay(q.To), vietnam)
	since := end.AddDate(0, 0, 1-q.SilentDays)
	where, args := "", []any{}
	if len(q.Wards) > 0 {
		where = ` AND v.ward_code IN (?` + strings.Repeat(", ?", len(q.Wards)-1) + `)`
		for _, w := range q.Wards {
			args = append(args, w)
		}
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT v.id, v.code, v.name, v.category, v.ward_code, v.owner_id, v.control_method,
		v.qr_serial, v.last_checkin_at,
		EXISTS (SELECT 1 FROM violation x WHERE x.venue_id = v.id AND x.deleted_at IS NULL AND x.status NOT IN ('closed', 'cancelled'))
		FROM venue v WHERE v.deleted_at IS NULL AND v.status = 'open'`+where+` ORDER BY v.ward_code, v.code`, args...)
	if err != nil {
		return nil, wrapDB(err, "reminder venues")
	}
	defer rows.Close()
	var out []ReminderVenue
	for rows.Next() {
		var r ReminderVenue
		var category, control string
		var qr int
		var last sql.NullInt64
		var open bool
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &category, &r.Ward, &r.OwnerID, &control, &qr, &last, &open); err != nil {
			return nil, err
		}
		r.LastScan = timePtr(last)
		if !last.Valid || last.Int64 < since.Unix() {
			r.Reasons = append(r.Reasons, ReminderSilent)
		}
		if qr == 0 {
			r.Reasons = append(r.Reasons, ReminderNoQR)
		}
		if !data.ControlAllowed(category, control) {
			r.Reasons = append(r.Reasons, ReminderControl)
		}
		if open {
			r.Reasons = append(r.Reasons, ReminderViolation)
		}
		if len(r.Reasons) > 0 {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}
