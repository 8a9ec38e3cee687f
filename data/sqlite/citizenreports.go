package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"qrward/data"
)

// Citizen report channels.
var ReportChannels = []string{"app", "phone", "office", "other"}

// CitizenReport is a citizen's report of a violation at a venue.
type CitizenReport struct {
	ID         data.ID
	VenueID    data.ID
	ReceivedAt time.Time
	Channel    string
	Summary    string
	Status     string // open, handled
	data.SyncMeta
}

type citizenReportChange struct {
	ID         data.ID `json:"id"`
	VenueID    data.ID `json:"venue_id"`
	ReceivedAt int64   `json:"received_at"`
	Channel    string  `json:"channel"`
	Summary    string  `json:"summary"` // sealed
	Status     string  `json:"status"`
	Version    int64   `json:"version"`
}

// AddCitizenReport records a report against a venue; open reports put the
// venue forward for the next inspection round.
func (s *Store) AddCitizenReport(ctx context.Context, r *CitizenReport) error {
	if err := s.Require(data.PermInspect); err != nil {
		return err
	}
	var val data.Validation
	r.Summary = data.Clean(r.Summary)
	if r.VenueID.IsZero() {
		val.Add("venue", "err.required")
	}
	if !slices.Contains(ReportChannels, r.Channel) {
		val.Add("channel", "err.value_unknown", r.Channel)
	}
	if r.Summary == "" {
		val.Add("summary", "err.required")
	}
	if err := val.Err(); err != nil {
		return err
	}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = s.Now()
	}
	r.Status = "open"
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if r.ID.IsZero() {
			r.ID = data.NewID()
		}
		summary, err := s.sealText("citizen_report", r.ID, r.Summary)
		if err != nil {
			return err
		}
		r.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO citizen_report(id, venue_id, received_at, channel, summary, status,
			device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, 1, ?, ?)`,
			r.ID, r.VenueID, r.ReceivedAt.Unix(), r.Channel, summary, s.deviceID, now.Unix(), now.Unix()); err != nil {
			return wrapDB(err, "insert citizen report")
		}
		return recordChange(ctx, tx, "citizen_report", r.ID, "insert", 1, citizenReportChange{r.ID, r.VenueID,
			r.ReceivedAt.Unix(), r.Channel, summary, "open", 1}, now.Unix())
	})
}

// CloseCitizenReports marks a venue's open reports handled (after the
// inspection that followed them up).
func (s *Store) CloseCitizenReports(ctx context.Context, venue data.ID) (int, error) {
	if err := s.Require(data.PermInspect); err != nil {
		return 0, err
	}
	n := 0
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		rows, err := tx.QueryContext(ctx, `SELECT id, version FROM citizen_report WHERE venue_id = ? AND status = 'open'
			AND deleted_at IS NULL`, venue)
		if err != nil {
			return err
		}
		type ref struct {
			id      data.ID
			version int64
		}
		var open []ref
		for rows.Next() {
			var r ref
			rows.Scan(&r.id, &r.version)
			open = append(open, r)
		}
		rows.Close()
		for _, r := range open {
			if _, err := tx.ExecContext(ctx, `UPDATE citizen_report SET status = 'handled', version = version + 1,
				updated_at = ? WHERE id = ?`, now, r.id); err != nil {
				return err
			}
			if err := recordChange(ctx, tx, "citizen_report", r.id, "update", r.version+1,
				map[string]any{"id": r.id, "status": "handled", "version": r.version + 1}, now); err != nil {
				return err
			}
		}
		n = len(open)
		return nil
	})
	return n, wrapDB(err, "close citizen reports")
}

// CitizenReports lists a venue's reports, newest first (summaries only to
// roles that may see personal data).
func (s *Store) CitizenReports(ctx context.Context, venue data.ID) ([]CitizenReport, error) {
	if err := s.Require(data.PermViewStats); err != nil {
		return nil, err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT id, venue_id, received_at, channel, summary, status FROM citizen_report
		WHERE venue_id = ? AND deleted_at IS NULL ORDER BY received_at DESC`, venue)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CitizenReport
	for rows.Next() {
		var r CitizenReport
		var at int64
		if err := rows.Scan(&r.ID, &r.VenueID, &at, &r.Channel, &r.Summary, &r.Status); err != nil {
			return nil, err
		}
		r.ReceivedAt = time.Unix(at, 0)
		r.Summary = s.openText("citizen_report", r.ID, r.Summary)
		out = append(out, r)
	}
	return out, rows.Err()
}
