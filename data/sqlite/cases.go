package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"qrward/data"
	"qrward/data/trace"
)

// F0 cases, the visits tracers add by hand, and the follow-up of each
// contact. Every edit is queued for the hub in its own transaction.

type caseChange struct {
	ID          data.ID `json:"id"`
	Version     int64   `json:"version"`
	PersonID    data.ID `json:"person_id"`
	ConfirmedOn string  `json:"confirmed_on"`
	OnsetOn     string  `json:"onset_on,omitempty"`
	WindowStart int64   `json:"window_start"`
	WindowEnd   int64   `json:"window_end"`
	Status      string  `json:"status"`
	Notes       string  `json:"notes,omitempty"`
}

func caseChangeOf(c *data.Case) caseChange {
	ch := caseChange{ID: c.ID, Version: c.Version, PersonID: c.PersonID, ConfirmedOn: c.ConfirmedOn.Format(dateLayout),
		WindowStart: c.WindowStart.Unix(), WindowEnd: c.WindowEnd.Unix(), Status: c.Status, Notes: c.Notes}
	if c.OnsetOn != nil {
		ch.OnsetOn = c.OnsetOn.Format(dateLayout)
	}
	return ch
}

// validateCase fills the default window and checks the fields.
func validateCase(c *data.Case) error {
	var v data.Validation
	if c.PersonID.IsZero() {
		v.Add("person", "err.required")
	}
	if c.ConfirmedOn.IsZero() {
		v.Add("confirmed_on", "err.required")
	}
	if c.OnsetOn != nil && !c.ConfirmedOn.IsZero() && c.OnsetOn.After(c.ConfirmedOn) {
		v.Add("onset_on", "err.case_onset_after_confirmed")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if c.WindowStart.IsZero() || c.WindowEnd.IsZero() {
		from := c.ConfirmedOn
		if c.OnsetOn != nil {
			from = *c.OnsetOn
		}
		start, end := data.DefaultWindow(from, c.ConfirmedOn)
		if c.WindowStart.IsZero() {
			c.WindowStart = start
		}
		if c.WindowEnd.IsZero() {
			c.WindowEnd = end
		}
	}
	if !c.WindowEnd.After(c.WindowStart) {
		v.Add("window_end", "err.case_window_order")
	}
	if c.Status == "" {
		c.Status = "active"
	}
	c.Notes = data.Clean(c.Notes)
	return v.Err()
}

// CreateCase records an F0 case for an existing person. A missing window
// defaults to two days before onset (or the test/confirmation date) until
// the end of the confirmation day (data.DefaultWindow).
func (s *Store) CreateCase(ctx context.Context, c *data.Case) error {
	if err := s.Require(data.PermTrace); err != nil {
		return err
	}
	if err := validateCase(c); err != nil {
		return err
	}
	if _, err := s.Person(ctx, c.PersonID); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if c.ID.IsZero() {
			c.ID = data.NewID()
		}
		c.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
		// Notes about a case are about a person: stored sealed.
		sealed := *c
		var err error
		if sealed.Notes, err = s.sealText("case_f0", c.ID, c.Notes); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO case_f0(id, person_id, confirmed_on, onset_on, window_start, window_end,
			status, notes, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			c.ID, c.PersonID, c.ConfirmedOn.Format(dateLayout), dateOrNil(c.OnsetOn), c.WindowStart.Unix(), c.WindowEnd.Unix(),
			c.Status, sealed.Notes, s.deviceID, now.Unix(), now.Unix())
		if err != nil {
			return wrapDB(err, "insert case")
		}
		return recordChange(ctx, tx, "case_f0", c.ID, "insert", 1, caseChangeOf(&sealed), now.Unix())
	})
}

const caseColumns = `id, person_id, confirmed_on, onset_on, window_start, window_end, status, notes,
	device_id, version, created_at, updated_at`

func (s *Store) scanCase(row interface{ Scan(...any) error }) (data.Case, error) {
	var c data.Case
	var confirmed string
	var onset sql.NullString
	var ws, we, created, updated int64
	err := row.Scan(&c.ID, &c.PersonID, &confirmed, &onset, &ws, &we, &c.Status, &c.Notes,
		&c.DeviceID, &c.Version, &created, &updated)
	if err != nil {
		return c, err
	}
	if t, perr := time.ParseInLocation(dateLayout, confirmed, time.Local); perr == nil {
		c.ConfirmedOn = t
	}
	c.OnsetOn = datePtr(onset)
	c.Notes = s.openText("case_f0", c.ID, c.Notes)
	c.WindowStart, c.WindowEnd = time.Unix(ws, 0), time.Unix(we, 0)
	c.CreatedAt, c.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	return c, nil
}

// Case reads one case.
func (s *Store) Case(ctx context.Context, id data.ID) (data.Case, error) {
	c, err := s.scanCase(s.ro.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM case_f0 WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, data.Errorf(data.ENotFound, "err.case_not_found", id.String())
	}
	return c, wrapDB(err, "read case")
}

// Cases lists the cases, newest confirmation first.
func (s *Store) Cases(ctx context.Context) ([]data.Case, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+caseColumns+` FROM case_f0 WHERE deleted_at IS NULL
		ORDER BY confirmed_on DESC, id`)
	if err != nil {
		return nil, wrapDB(err, "list cases")
	}
	defer rows.Close()
	var out []data.Case
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetCaseWindow changes a case's infectious window.
func (s *Store) SetCaseWindow(ctx context.Context, id data.ID, start, end time.Time) error {
	if err := s.Require(data.PermTrace); err != nil {
		return err
	}
	if !end.After(start) {
		var v data.Validation
		v.Add("window_end", "err.case_window_order")
		return v.Err()
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res, err := tx.ExecContext(ctx, `UPDATE case_f0 SET window_start = ?, window_end = ?, version = version + 1,
			updated_at = ? WHERE id = ? AND deleted_at IS NULL`, start.Unix(), end.Unix(), now.Unix(), id)
		if err != nil {
			return wrapDB(err, "update case")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return data.Errorf(data.ENotFound, "err.case_not_found", id.String())
		}
		c, err := s.scanCase(tx.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM case_f0 WHERE id = ?`, id))
		if err != nil {
			return err
		}
		return recordChange(ctx, tx, "case_f0", id, "update", c.Version, caseChangeOf(&c), now.Unix())
	})
}

// ManualVisit is a visit of an F0 a tracer adds by hand.
type ManualVisit struct {
	ID      data.ID
	CaseID  data.ID
	VenueID data.ID
	TimeIn  time.Time
	TimeOut *time.Time
	Note    string
}

type manualVisitChange struct {
	ID      data.ID `json:"id"`
	CaseID  data.ID `json:"case_id"`
	VenueID data.ID `json:"venue_id"`
	TimeIn  int64   `json:"time_in"`
	TimeOut *int64  `json:"time_out,omitempty"`
	Note    string  `json:"note,omitempty"`
}

// AddManualVisit adds a visit to a case (paper register, interview).
func (s *Store) AddManualVisit(ctx context.Context, m *ManualVisit) error {
	if err := s.Require(data.PermTrace); err != nil {
		return err
	}
	var v data.Validation
	if m.VenueID.IsZero() {
		v.Add("venue", "err.required")
	}
	if m.TimeIn.IsZero() {
		v.Add("time_in", "err.required")
	}
	if m.TimeOut != nil && m.TimeOut.Before(m.TimeIn) {
		v.Add("time_out", "err.time_out_before_in")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if _, err := s.Case(ctx, m.CaseID); err != nil {
		return err
	}
	m.Note = data.Clean(m.Note)
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM venue WHERE id = ? AND deleted_at IS NULL`, m.VenueID).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return data.Errorf(data.ENotFound, "err.venue_not_found")
		}
		now := s.Now()
		if m.ID.IsZero() {
			m.ID = data.NewID()
		}
		note, err := s.sealText("trace_visit", m.ID, m.Note) // interview notes name people
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO trace_visit(id, case_id, venue_id, time_in, time_out, note,
			device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			m.ID, m.CaseID, m.VenueID, m.TimeIn.Unix(), unixOrNil(m.TimeOut), note, s.deviceID, now.Unix(), now.Unix())
		if err != nil {
			return wrapDB(err, "insert manual visit")
		}
		ch := manualVisitChange{ID: m.ID, CaseID: m.CaseID, VenueID: m.VenueID, TimeIn: m.TimeIn.Unix(), Note: note}
		if m.TimeOut != nil {
			t := m.TimeOut.Unix()
			ch.TimeOut = &t
		}
		return recordChange(ctx, tx, "trace_visit", m.ID, "insert", 1, ch, now.Unix())
	})
}

// DeleteManualVisit tombstones a manual visit.
func (s *Store) DeleteManualVisit(ctx context.Context, id data.ID) error {
	if err := s.Require(data.PermTrace); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res, err := tx.ExecContext(ctx, `UPDATE trace_visit SET deleted_at = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND deleted_at IS NULL`, now.Unix(), now.Unix(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return data.Errorf(data.ENotFound, "err.trace_visit_not_found")
		}
		var version int64
		if err := tx.QueryRowContext(ctx, `SELECT version FROM trace_visit WHERE id = ?`, id).Scan(&version); err != nil {
			return err
		}
		return recordChange(ctx, tx, "trace_visit", id, "delete", version, map[string]any{"id": id}, now.Unix())
	})
}

// FollowUp is a tracer's record of contacting a person on a list.
type FollowUp = trace.FollowUp

// SetFollowUp records a contact's follow-up, creating or updating its row.
func (s *Store) SetFollowUp(ctx context.Context, f FollowUp) error {
	if err := s.Require(data.PermTrace); err != nil {
		return err
	}
	var v data.Validation
	if f.CaseID.IsZero() {
		v.Add("case", "err.required")
	}
	if f.PersonID.IsZero() {
		v.Add("person", "err.required")
	}
	if f.Level != 1 && f.Level != 2 {
		f.Level = 1
	}
	if err := v.Err(); err != nil {
		return err
	}
	f.Note = data.Clean(f.Note)
	// Follow-up notes are about the contact: sealed, bound to case and person.
	sealedNote, err := s.sealText("trace_contact|"+f.PersonID.String(), f.CaseID, f.Note)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		_, err := tx.ExecContext(ctx, `INSERT INTO trace_contact(id, case_id, person_id, level, called, reached, isolated,
			tested, note, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT(case_id, person_id) DO UPDATE SET level = excluded.level, called = excluded.called,
				reached = excluded.reached, isolated = excluded.isolated, tested = excluded.tested, note = excluded.note,
				version = trace_contact.version + 1, updated_at = excluded.updated_at, deleted_at = NULL`,
			data.FollowUpID(f.CaseID, f.PersonID), f.CaseID, f.PersonID, f.Level, f.Called, f.Reached, f.Isolated, f.Tested, sealedNote,
			s.deviceID, now.Unix(), now.Unix())
		if err != nil {
			return wrapDB(err, "write follow-up")
		}
		var id data.ID
		var version int64
		if err := tx.QueryRowContext(ctx, `SELECT id, version FROM trace_contact WHERE case_id = ? AND person_id = ?`,
			f.CaseID, f.PersonID).Scan(&id, &version); err != nil {
			return err
		}
		op := "update"
		if version == 1 {
			op = "insert"
		}
		change := f
		change.Note = sealedNote
		return recordChange(ctx, tx, "trace_contact", id, op, version, change, now.Unix())
	})
}

// FollowUps returns a case's follow-ups by person.
func (s *Store) FollowUps(ctx context.Context, caseID data.ID) (map[data.ID]FollowUp, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT person_id, level, called, reached, isolated, tested, note
		FROM trace_contact WHERE case_id = ? AND deleted_at IS NULL`, caseID)
	if err != nil {
		return nil, wrapDB(err, "read follow-ups")
	}
	defer rows.Close()
	out := map[data.ID]FollowUp{}
	for rows.Next() {
		f := FollowUp{CaseID: caseID}
		if err := rows.Scan(&f.PersonID, &f.Level, &f.Called, &f.Reached, &f.Isolated, &f.Tested, &f.Note); err != nil {
			return nil, err
		}
		f.Note = s.openText("trace_contact|"+f.PersonID.String(), caseID, f.Note)
		out[f.PersonID] = f
	}
	return out, rows.Err()
}
