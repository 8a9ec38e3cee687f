package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"qrward/data"
	"qrward/scan"
)

// IssueVenueQR issues a new venue QR for a venue (first issue or a
// re-issue that revokes the posters printed before), signed with key, and
// returns the venue as updated and the payload to print.
func (s *Store) IssueVenueQR(ctx context.Context, id data.ID, key *scan.OfficeKey) (data.Venue, string, error) {
	v, err := s.Venue(ctx, id)
	if err != nil {
		return v, "", err
	}
	v, payload, err := PlanVenueQR(v, true, key, s.Now())
	if err != nil {
		return v, "", err
	}
	return v, payload, s.SaveQRIssues(ctx, []data.Venue{v})
}

// PlanVenueQR computes, without saving, the poster payload of a venue: a
// new issue (serial + 1, dated now) when reissue is set or the venue has
// none yet, otherwise its current issue. The returned venue carries the
// planned serial and date; SaveQRIssues records them.
func PlanVenueQR(v data.Venue, reissue bool, key *scan.OfficeKey, now time.Time) (data.Venue, string, error) {
	if reissue || !v.HasQR() || v.QRIssuedOn == nil {
		if v.QRSerial >= 256 {
			return v, "", data.Errorf(data.EConflict, "err.qr_serial_exhausted")
		}
		v.QRSerial++
		v.QRIssuedOn = &now
	}
	payload, err := venuePayload(v, key)
	return v, payload, err
}

// SaveQRIssues records planned poster issues in one transaction, each
// checked against the version it was planned from and queued for sync.
func (s *Store) SaveQRIssues(ctx context.Context, venues []data.Venue) error {
	if err := s.Require(data.PermPrint); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		for i := range venues {
			v := &venues[i]
			res, err := tx.ExecContext(ctx, `UPDATE venue SET qr_serial = ?, qr_issued_on = ?, version = version + 1,
				updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL`,
				v.QRSerial, dateOrNil(v.QRIssuedOn), now, v.ID, v.Version)
			if err != nil {
				return wrapDB(err, "issue venue QR")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return data.Errorf(data.EConflict, "err.venue_changed")
			}
			v.Version++
			if err := recordChange(ctx, tx, "venue", v.ID, "update", v.Version, changeOf(v), now); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, s.actor(), "issue_venue_qr", "venue", v.ID.String(), fmt.Sprintf(`{"serial":%d}`, v.QRSerial)); err != nil {
				return err
			}
		}
		return nil
	})
}

// VenueQRPayload re-creates the payload of the venue's current poster
// (for a reprint); the venue must already have an issued QR.
func (s *Store) VenueQRPayload(v data.Venue, key *scan.OfficeKey) (string, error) {
	if !v.HasQR() || v.QRIssuedOn == nil {
		return "", data.Errorf(data.EInvalid, "err.qr_not_issued", v.Code)
	}
	return venuePayload(v, key)
}

func venuePayload(v data.Venue, key *scan.OfficeKey) (string, error) {
	payload, err := scan.EncodeVenueCode(scan.VenueCodeFields{
		VenueID:   v.ID,
		WardCode:  v.WardCode,
		ShortName: v.Name,
		IssueDate: *v.QRIssuedOn,
		Serial:    uint8(v.QRSerial - 1), // scan counts re-issues from 0
	}, key)
	if err != nil {
		return "", &data.Error{Code: data.EInvalid, Key: "err.qr_encode", Err: err}
	}
	return payload, nil
}

// CurrentIssue implements scan.IssueRegistry: the poster issue a venue
// currently has, so older posters verify as revoked.
func (s *Store) CurrentIssue(venueID [16]byte) (scan.IssueRef, bool) {
	var serial int
	var issued sql.NullString
	var status string
	err := s.ro.QueryRow(`SELECT qr_serial, qr_issued_on, status FROM venue WHERE id = ? AND deleted_at IS NULL`,
		data.ID(venueID)).Scan(&serial, &issued, &status)
	if errors.Is(err, sql.ErrNoRows) || err != nil || serial == 0 || !issued.Valid {
		return scan.IssueRef{}, false
	}
	day, _ := time.Parse(dateLayout, issued.String)
	return scan.IssueRef{IssueDate: day, Serial: uint8(serial - 1), Withdrawn: status == data.VenueClosed}, true
}

var _ scan.IssueRegistry = (*Store)(nil)
