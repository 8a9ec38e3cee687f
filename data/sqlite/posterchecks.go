package sqlite

import (
	"context"
	"database/sql"
	"time"

	"qrward/data"
	"qrward/data/inspect"
	"qrward/scan"
)

// Poster results beyond data/inspect's verdicts: a venue code of another
// country, and an old national (tokhaiyte.vn) venue code, which carries
// no signature and so cannot be verified.
const (
	PosterForeign  = "foreign"
	PosterNational = "national"
)

// PosterCheck is one verification of the QR poster hanging at a venue, for
// the inspection workflow to use.
type PosterCheck struct {
	ID           data.ID
	VenueID      data.ID
	InspectionID data.ID // zero when checked outside an inspection
	// Result is one of inspect.Poster* or PosterForeign / PosterNational.
	Result string
	// CodeKind is the scan.Kind name of what was read ("" if nothing).
	CodeKind string
	// CodeVenueID is the venue a qrward code names (for other_venue, the
	// venue the poster really belongs to).
	CodeVenueID data.ID
	KeyID       string
	CheckedAt   time.Time
	StationID   data.ID
	Note        string
	data.SyncMeta
}

// OK reports a genuine, current poster of this venue.
func (c PosterCheck) OK() bool { return c.Result == inspect.PosterGenuine }

// Inspect is the check in data/inspect's form (for PosterAnswer).
func (c PosterCheck) Inspect() inspect.PosterCheck {
	status := c.Result
	switch status {
	case PosterForeign, PosterNational:
		status = inspect.PosterMalformed // not a poster this office can vouch for
	}
	return inspect.PosterCheck{Status: status}
}

// ClassifyPoster verifies a scanned poster text offline against the
// venue it hangs in: signature by a trusted office key, the venue, the
// current issue. Empty text means nothing could be read.
func ClassifyPoster(text string, kr scan.Keyring, venue data.ID, issues scan.IssueRegistry) PosterCheck {
	c := PosterCheck{VenueID: venue, Result: inspect.PosterUnreadable}
	if text == "" {
		return c
	}
	p, err := scan.Parse(text)
	if err != nil {
		c.Result = inspect.PosterMalformed
		if pe, ok := err.(*scan.PayloadError); ok && pe.Kind != scan.KindUnknown {
			c.CodeKind = pe.Kind.String()
		}
		return c
	}
	c.CodeKind = p.Kind().String()
	switch {
	case p.Kind().IsForeignVenue():
		c.Result = PosterForeign
		return c
	case p.Kind() == scan.KindNationalVenue:
		c.Result = PosterNational
		return c
	case p.Kind() != scan.KindQrwardVenue:
		c.Result = inspect.PosterMalformed // a personal code or a card, not a venue poster
		return c
	}
	id := [16]byte(venue)
	v := scan.VerifyVenueCode(text, kr, scan.Expectation{VenueID: &id, Issues: issues})
	c.Result = v.Status.String()
	if v.Code != nil {
		c.CodeVenueID = data.ID(v.Code.Fields.VenueID)
		c.KeyID = v.Code.KeyID.String()
	}
	return c
}

// CheckPoster verifies a scanned poster at a venue with the replica's
// trusted keys and issue register and records the result.
func (s *Store) CheckPoster(ctx context.Context, venue, inspection data.ID, text, note string) (PosterCheck, error) {
	if err := s.Require(data.PermInspect); err != nil {
		return PosterCheck{}, err
	}
	kr, err := s.Keyring(ctx)
	if err != nil {
		return PosterCheck{}, err
	}
	c := ClassifyPoster(text, kr, venue, s)
	c.InspectionID, c.Note = inspection, note
	return c, s.RecordPosterCheck(ctx, &c)
}

type posterCheckChange struct {
	ID           data.ID `json:"id"`
	VenueID      data.ID `json:"venue_id"`
	InspectionID data.ID `json:"inspection_id"`
	Result       string  `json:"result"`
	CodeKind     string  `json:"code_kind,omitempty"`
	CodeVenueID  data.ID `json:"code_venue_id"`
	KeyID        string  `json:"key_id,omitempty"`
	CheckedAt    int64   `json:"checked_at"`
	StationID    data.ID `json:"station_id"`
	Note         string  `json:"note,omitempty"`
}

// RecordPosterCheck saves a poster check, queued for sync.
func (s *Store) RecordPosterCheck(ctx context.Context, c *PosterCheck) error {
	if err := s.Require(data.PermInspect); err != nil {
		return err
	}
	var val data.Validation
	if c.VenueID.IsZero() {
		val.Add("venue", "err.required")
	}
	switch c.Result {
	case inspect.PosterGenuine, inspect.PosterOtherVenue, inspect.PosterRevoked, inspect.PosterUnknownIssuer,
		inspect.PosterForged, inspect.PosterMalformed, inspect.PosterUnreadable, PosterForeign, PosterNational:
	default:
		val.Add("poster_result", "err.value_unknown", c.Result)
	}
	c.Note = data.Clean(c.Note)
	if len([]rune(c.Note)) > 500 {
		val.Add("notes", "err.too_long", 500)
	}
	if err := val.Err(); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if c.ID.IsZero() {
			c.ID = data.NewID()
		}
		if c.CheckedAt.IsZero() {
			c.CheckedAt = now
		}
		if c.StationID.IsZero() {
			c.StationID = s.deviceID
		}
		if err := venueExists(ctx, tx, c.VenueID); err != nil {
			return err
		}
		c.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO poster_check(id, venue_id, inspection_id, result, code_kind,
			code_venue_id, key_id, checked_at, station_id, note, device_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			c.ID, c.VenueID, c.InspectionID, c.Result, c.CodeKind, c.CodeVenueID, c.KeyID, c.CheckedAt.Unix(),
			c.StationID, c.Note, s.deviceID, now.Unix(), now.Unix()); err != nil {
			return wrapDB(err, "insert poster check")
		}
		return recordChange(ctx, tx, "poster_check", c.ID, "insert", 1, posterCheckChange{c.ID, c.VenueID,
			c.InspectionID, c.Result, c.CodeKind, c.CodeVenueID, c.KeyID, c.CheckedAt.Unix(), c.StationID, c.Note},
			now.Unix())
	})
}

func venueExists(ctx context.Context, tx *sql.Tx, id data.ID) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM venue WHERE id = ? AND deleted_at IS NULL`, id).Scan(&n); err != nil {
		return wrapDB(err, "read venue")
	}
	if n == 0 {
		return data.Errorf(data.ENotFound, "err.venue_not_found")
	}
	return nil
}

// PosterChecks lists a venue's poster checks, newest first.
func (s *Store) PosterChecks(ctx context.Context, venue data.ID) ([]PosterCheck, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, inspection_id, result, code_kind, code_venue_id, key_id,
		checked_at, station_id, note, device_id, version, created_at, updated_at FROM poster_check
		WHERE venue_id = ? AND deleted_at IS NULL ORDER BY checked_at DESC, id DESC`, venue)
	if err != nil {
		return nil, wrapDB(err, "list poster checks")
	}
	defer rows.Close()
	var out []PosterCheck
	for rows.Next() {
		c := PosterCheck{VenueID: venue}
		var at, created, updated int64
		if err := rows.Scan(&c.ID, &c.InspectionID, &c.Result, &c.CodeKind, &c.CodeVenueID, &c.KeyID, &at,
			&c.StationID, &c.Note, &c.DeviceID, &c.Version, &created, &updated); err != nil {
			return nil, err
		}
		c.CheckedAt, c.CreatedAt, c.UpdatedAt = time.Unix(at, 0), time.Unix(created, 0), time.Unix(updated, 0)
		out = append(out, c)
	}
	return out, rows.Err()
}
