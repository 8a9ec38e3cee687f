package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"image"
	"image/jpeg"
	"time"

	"qrward/data"
)

// Evidence snapshots are stored as a BLOB in the evidence row rather than
// as files beside the replica: the replica stays one file to back up,
// carry on a USB stick, encrypt and purge (a retention purge deletes the
// picture with its row, no orphaned files); a webcam still at 640×480 is
// 40–80 KB, small enough for SQLite, which serves blobs of that size about
// as fast as the file system; and an attached picture can never point at
// a path that was moved or deleted. The same choice as inspection photos
// (inspection_photo).

// MaxEvidenceBytes bounds one snapshot (a 1920×1080 still at quality 85
// is about 400 KB).
const MaxEvidenceBytes = 4 << 20

// Evidence is a JPEG still attached to a venue or an inspection.
type Evidence struct {
	ID           data.ID
	VenueID      data.ID
	InspectionID data.ID
	TakenAt      time.Time
	Width        int
	Height       int
	SHA256       [32]byte
	// JPEG is the picture; EvidenceList leaves it empty (see EvidenceJPEG).
	JPEG      []byte
	Caption   string
	StationID data.ID
	data.SyncMeta
}

// EncodeSnapshot encodes a frame as the JPEG an evidence row holds.
func EncodeSnapshot(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, &data.Error{Code: data.EInternal, Key: "err.evidence_encode", Err: err}
	}
	return b.Bytes(), nil
}

type evidenceChange struct {
	ID           data.ID `json:"id"`
	VenueID      data.ID `json:"venue_id"`
	InspectionID data.ID `json:"inspection_id"`
	TakenAt      int64   `json:"taken_at"`
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	SHA256       []byte  `json:"sha256"`
	JPEG         []byte  `json:"jpeg"`
	Caption      string  `json:"caption,omitempty"`
	StationID    data.ID `json:"station_id"`
}

// AddEvidence validates and stores a snapshot (a real JPEG, within the
// size bound, attached to an existing venue or inspection), queued for
// sync with its picture.
func (s *Store) AddEvidence(ctx context.Context, e *Evidence) error {
	if err := s.Require(data.PermInspect); err != nil {
		return err
	}
	var val data.Validation
	if e.VenueID.IsZero() && e.InspectionID.IsZero() {
		val.Add("venue", "err.evidence_no_target")
	}
	switch cfg, err := jpeg.DecodeConfig(bytes.NewReader(e.JPEG)); {
	case len(e.JPEG) == 0:
		val.Add("evidence_jpeg", "err.required")
	case len(e.JPEG) > MaxEvidenceBytes:
		val.Add("evidence_jpeg", "err.evidence_too_large", MaxEvidenceBytes>>20)
	case err != nil:
		val.Add("evidence_jpeg", "err.evidence_not_jpeg")
	default:
		e.Width, e.Height = cfg.Width, cfg.Height
	}
	e.Caption = data.Clean(e.Caption)
	if len([]rune(e.Caption)) > 500 {
		val.Add("notes", "err.too_long", 500)
	}
	if err := val.Err(); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if e.ID.IsZero() {
			e.ID = data.NewID()
		}
		if e.TakenAt.IsZero() {
			e.TakenAt = now
		}
		if e.StationID.IsZero() {
			e.StationID = s.deviceID
		}
		if !e.VenueID.IsZero() {
			if err := venueExists(ctx, tx, e.VenueID); err != nil {
				return err
			}
		}
		if !e.InspectionID.IsZero() {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM inspection WHERE id = ? AND deleted_at IS NULL`,
				e.InspectionID).Scan(&n); err != nil {
				return wrapDB(err, "read inspection")
			}
			if n == 0 {
				return data.Errorf(data.ENotFound, "err.station_inspection_not_found")
			}
		}
		e.SHA256 = sha256.Sum256(e.JPEG)
		e.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence(id, venue_id, inspection_id, taken_at, width, height,
			sha256, jpeg, caption, station_id, device_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			e.ID, e.VenueID, e.InspectionID, e.TakenAt.Unix(), e.Width, e.Height, e.SHA256[:], e.JPEG, e.Caption,
			e.StationID, s.deviceID, now.Unix(), now.Unix()); err != nil {
			return wrapDB(err, "insert evidence")
		}
		return recordChange(ctx, tx, "evidence", e.ID, "insert", 1, evidenceChange{e.ID, e.VenueID, e.InspectionID,
			e.TakenAt.Unix(), e.Width, e.Height, e.SHA256[:], e.JPEG, e.Caption, e.StationID}, now.Unix())
	})
}

// EvidenceList lists the snapshots of a venue (or, when venue is zero, of
// an inspection), newest first, without their pictures.
func (s *Store) EvidenceList(ctx context.Context, venue, inspection data.ID) ([]Evidence, error) {
	col, id := "venue_id", venue
	if venue.IsZero() {
		col, id = "inspection_id", inspection
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT id, venue_id, inspection_id, taken_at, width, height, sha256, caption,
		station_id, device_id, version, created_at, updated_at FROM evidence
		WHERE `+col+` = ? AND deleted_at IS NULL ORDER BY taken_at DESC, id DESC`, id)
	if err != nil {
		return nil, wrapDB(err, "list evidence")
	}
	defer rows.Close()
	var out []Evidence
	for rows.Next() {
		var e Evidence
		var at, created, updated int64
		var sum []byte
		if err := rows.Scan(&e.ID, &e.VenueID, &e.InspectionID, &at, &e.Width, &e.Height, &sum, &e.Caption,
			&e.StationID, &e.DeviceID, &e.Version, &created, &updated); err != nil {
			return nil, err
		}
		copy(e.SHA256[:], sum)
		e.TakenAt, e.CreatedAt, e.UpdatedAt = time.Unix(at, 0), time.Unix(created, 0), time.Unix(updated, 0)
		out = append(out, e)
	}
	return out, rows.Err()
}

// EvidenceJPEG returns a snapshot's picture, checked against its hash
// (ECorrupt when the stored bytes were altered).
func (s *Store) EvidenceJPEG(ctx context.Context, id data.ID) ([]byte, error) {
	var pic, sum []byte
	err := s.ro.QueryRowContext(ctx, `SELECT jpeg, sha256 FROM evidence WHERE id = ? AND deleted_at IS NULL`, id).Scan(&pic, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, data.Errorf(data.ENotFound, "err.evidence_not_found")
	}
	if err != nil {
		return nil, wrapDB(err, "read evidence")
	}
	if h := sha256.Sum256(pic); !bytes.Equal(h[:], sum) {
		return nil, data.Errorf(data.ECorrupt, "err.evidence_corrupt")
	}
	return pic, nil
}
