package sqlite

import (
	"context"
	"database/sql"
	"time"

	"qrward/data"
)

type checkinChange struct {
	ID        data.ID `json:"id"`
	VenueID   data.ID `json:"venue_id"`
	PersonID  data.ID `json:"person_id"`
	TimeIn    int64   `json:"time_in"`
	TimeOut   *int64  `json:"time_out,omitempty"`
	Source    string  `json:"source"`
	CodeKind  string  `json:"code_kind,omitempty"`
	RiskFlags int     `json:"risk_flags"`
	StationID data.ID `json:"station_id"`
}

// AddCheckin records a check-in locally at once (no network needed),
// moves the venue's last-check-in time forward and queues the row for the
// hub, all in one transaction.
func (s *Store) AddCheckin(ctx context.Context, c *data.Checkin) error {
	if err := s.Require(data.PermCheckin); err != nil {
		return err
	}
	var val data.Validation
	if c.VenueID.IsZero() {
		val.Add("venue", "err.required")
	}
	if c.TimeIn.IsZero() {
		val.Add("time_in", "err.required")
	}
	switch c.Source {
	case data.SourceStaffScan, data.SourceSelfScan, data.SourcePaper, data.SourceManual:
	default:
		val.Add("source", "err.value_unknown", c.Source)
	}
	if c.TimeOut != nil && c.TimeOut.Before(c.TimeIn) {
		val.Add("time_out", "err.time_out_before_in")
	}
	if err := val.Err(); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if c.ID.IsZero() {
			c.ID = data.NewID()
		}
		if c.StationID.IsZero() {
			c.StationID = s.deviceID
		}
		c.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
		var person any
		if !c.PersonID.IsZero() {
			person = c.PersonID
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO checkin(id, venue_id, person_id, time_in, time_out, source,
			code_kind, risk_flags, station_id, device_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			c.ID, c.VenueID, person, c.TimeIn.Unix(), unixOrNil(c.TimeOut), c.Source, c.CodeKind, c.RiskFlags,
			c.StationID, s.deviceID, now.Unix(), now.Unix())
		if err != nil {
			return wrapDB(err, "insert check-in")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE venue SET last_checkin_at = ?
			WHERE id = ? AND (last_checkin_at IS NULL OR last_checkin_at < ?)`, c.TimeIn.Unix(), c.VenueID, c.TimeIn.Unix()); err != nil {
			return err
		}
		ch := checkinChange{ID: c.ID, VenueID: c.VenueID, PersonID: c.PersonID, TimeIn: c.TimeIn.Unix(),
			Source: c.Source, CodeKind: c.CodeKind, RiskFlags: c.RiskFlags, StationID: c.StationID}
		if c.TimeOut != nil {
			t := c.TimeOut.Unix()
			ch.TimeOut = &t
		}
		return recordChange(ctx, tx, "checkin", c.ID, "insert", 1, ch, now.Unix())
	})
}

// VenueHistory returns the venue's check-ins per local day for the last
// days days (oldest first, zero days included), and its inspections and
// violations, newest first.
func (s *Store) VenueHistory(ctx context.Context, venue data.ID, days int) (data.VenueHistory, error) {
	var h data.VenueHistory
	if err := s.Require(data.PermViewStats); err != nil {
		return h, err
	}
	now := s.Now()
	y, m, d := now.Date()
	first := time.Date(y, m, d, 0, 0, 0, 0, now.Location()).AddDate(0, 0, -(days - 1))
	counts := make(map[string]int, days)
	// The (venue, time_in, …) index makes this a range scan of one venue.
	rows, err := s.ro.QueryContext(ctx, `SELECT time_in FROM checkin
		WHERE venue_id = ? AND time_in >= ? AND deleted_at IS NULL`, venue, first.Unix())
	if err != nil {
		return h, err
	}
	for rows.Next() {
		var t int64
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return h, err
		}
		counts[time.Unix(t, 0).In(now.Location()).Format(dateLayout)]++
	}
	rows.Close()
	for i := 0; i < days; i++ {
		day := first.AddDate(0, 0, i)
		h.CheckinsPerDay = append(h.CheckinsPerDay, data.DayCount{Day: day, Count: counts[day.Format(dateLayout)]})
	}
	irows, err := s.ro.QueryContext(ctx, `SELECT id, status, started_at, template, poster_verdict, inspector, notes
		FROM inspection WHERE venue_id = ? AND deleted_at IS NULL ORDER BY started_at DESC LIMIT 50`, venue)
	if err != nil {
		return h, err
	}
	for irows.Next() {
		in := data.Inspection{VenueID: venue}
		var started int64
		if err := irows.Scan(&in.ID, &in.Status, &started, &in.Template, &in.PosterVerdict, &in.Inspector, &in.Notes); err != nil {
			irows.Close()
			return h, err
		}
		in.StartedAt = time.Unix(started, 0)
		h.Inspections = append(h.Inspections, in)
	}
	irows.Close()
	vrows, err := s.ro.QueryContext(ctx, `SELECT id, rule_id, found_at, amount, status, description
		FROM violation WHERE venue_id = ? AND deleted_at IS NULL ORDER BY found_at DESC LIMIT 50`, venue)
	if err != nil {
		return h, err
	}
	defer vrows.Close()
	for vrows.Next() {
		v := data.Violation{VenueID: venue}
		var found int64
		if err := vrows.Scan(&v.ID, &v.RuleID, &found, &v.Amount, &v.Status, &v.Description); err != nil {
			return h, err
		}
		v.FoundAt = time.Unix(found, 0)
		h.Violations = append(h.Violations, v)
	}
	return h, vrows.Err()
}

// Counts is a quick inventory of the replica.
type Counts struct {
	Wards, Venues, People, Checkins, Cases, Outbox int
}

// Counts counts the main tables.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.ro.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM admin_unit a WHERE a.level = 'ward' AND a.dataset_id = (SELECT value FROM setting WHERE key = 'units.current')),
		(SELECT COUNT(*) FROM venue WHERE deleted_at IS NULL),
		(SELECT COUNT(*) FROM person WHERE deleted_at IS NULL),
		(SELECT COUNT(*) FROM checkin WHERE deleted_at IS NULL),
		(SELECT COUNT(*) FROM case_f0 WHERE deleted_at IS NULL),
		(SELECT COUNT(*) FROM outbox)`).Scan(&c.Wards, &c.Venues, &c.People, &c.Checkins, &c.Cases, &c.Outbox)
	return c, err
}
