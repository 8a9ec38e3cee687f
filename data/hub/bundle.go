package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"qrward/data"
	"qrward/data/syncproto"
)

// ImportResult reports an imported up bundle.
type ImportResult struct {
	Device   *Device
	Header   *syncproto.Header
	Rows     int64
	Push     PushResult
	Replayed bool // every entry had been imported before
}

// ImportBundle imports an up bundle (a device's outbox carried on a USB
// stick) through the same code as an HTTP push. The bundle must be
// encrypted to this hub, signed by an enrolled device, and continue where
// the device's acknowledged outbox ends (no gap); importing it again
// changes nothing.
func (h *Hub) ImportBundle(ctx context.Context, path string) (*ImportResult, error) {
	res := &ImportResult{}
	b, err := syncproto.OpenBundle(path, h.keys.AgeIdentity, func(hdr *syncproto.Header) (ed25519.PublicKey, error) {
		if hdr.Direction != syncproto.Up {
			return nil, &data.Error{Code: data.EInvalid, Key: "err.bundle_direction", Args: []any{path}}
		}
		id, err := data.ParseID(hdr.Sender)
		if err != nil {
			return nil, &data.Error{Code: data.EUnauthorized, Key: "err.bundle_unknown_sender", Args: []any{hdr.Sender}}
		}
		if res.Device, err = h.Device(ctx, id); err != nil {
			return nil, &data.Error{Code: data.EUnauthorized, Key: "err.bundle_unknown_sender", Args: []any{hdr.Sender}}
		}
		return syncproto.ParseSignPublic(res.Device.SignPublic)
	})
	if err != nil {
		return nil, err
	}
	res.Header, res.Rows = b.Header, b.Rows
	batch := &PushBatch{FromSeq: b.Header.FromSeq, ToSeq: b.Header.ToSeq, Columns: map[string][]string{}, Gapless: true}
	err = b.Frames(func(f *syncproto.Frame) error {
		switch {
		case f.Columns != nil:
			batch.Columns[f.Columns.Table] = f.Columns.Names
		case f.Row != nil:
			batch.Rows = append(batch.Rows, *f.Row)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if res.Push, err = h.Push(ctx, res.Device, batch); err != nil {
		return nil, err
	}
	res.Replayed = res.Push.Already
	for _, c := range b.Header.Cursors {
		if res.Device.InScope(c.Ward) {
			h.noteCursor(ctx, res.Device, c.Ward, c.To)
		}
	}
	return res, nil
}

// ExportResult reports a written down bundle.
type ExportResult struct {
	Header *syncproto.Header
	Rows   int64
}

// ExportBundle writes a down bundle for a device: the acknowledgement of
// its outbox, then for each of its wards the rows after what the hub
// knows it holds (from its pulls and up bundles), or a snapshot when it
// holds nothing or is older than the tombstone horizon. Signed by the hub,
// encrypted to the device. from, when not nil, overrides the starting
// cursors (an operator re-sending a lost bundle).
func (h *Hub) ExportBundle(ctx context.Context, dev *Device, w io.Writer, from map[string]int64) (*ExportResult, error) {
	for _, ward := range dev.Wards {
		if _, err := h.Stamp(ctx, ward); err != nil {
			return nil, err
		}
	}
	res := &ExportResult{}
	err := pgx.BeginTxFunc(ctx, h.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var acked int64
		if err := tx.QueryRow(ctx, `SELECT acked_seq FROM device WHERE district = $1 AND id = $2`, h.District, dev.ID[:]).Scan(&acked); err != nil {
			return err
		}
		hdr := &syncproto.Header{BundleID: data.NewID().String(), Direction: syncproto.Down, Kind: syncproto.KindBundle,
			Sender: h.Sender(), Recipient: dev.ID.String(), District: h.District, SchemaVersion: syncproto.SchemaVersion,
			CreatedAt: time.Now().Unix(), Role: dev.Role}
		for _, ward := range dev.Wards {
			last, horizon, err := h.streamState(ctx, tx, ward)
			if err != nil {
				return err
			}
			start, ok := from[ward]
			if !ok {
				err := tx.QueryRow(ctx, `SELECT cursor FROM device_cursor WHERE district = $1 AND device_id = $2 AND ward = $3`,
					h.District, dev.ID[:], ward).Scan(&start)
				if err != nil && !errors.Is(err, pgx.ErrNoRows) {
					return err
				}
			}
			start = min(start, last)
			hdr.Streams = append(hdr.Streams, syncproto.StreamRange{Ward: ward, From: start, To: last, Snapshot: start <= 0 || start < horizon})
		}
		res.Header = hdr
		return syncproto.WriteBundle(w, []string{dev.Recipient}, h.keys, h.Sender(), func(enc *syncproto.Encoder) error {
			if err := enc.Encode(&syncproto.Frame{Header: hdr}); err != nil {
				return err
			}
			if err := enc.Encode(&syncproto.Frame{Ack: &syncproto.Ack{DeviceID: dev.ID[:], AckedSeq: acked}}); err != nil {
				return err
			}
			for _, s := range hdr.Streams {
				var err error
				if s.Snapshot {
					err = h.snapshotRows(ctx, tx, s.Ward, s.To, enc)
				} else {
					var rows pgx.Rows
					rows, err = tx.Query(ctx, `SELECT tbl, change_seq, schema_id, body FROM sync_row
						WHERE district = $1 AND ward = $2 AND change_seq > $3 AND change_seq <= $4 ORDER BY change_seq`,
						h.District, s.Ward, s.From, s.To)
					if err == nil {
						_, _, err = h.writeRows(ctx, rows, s.Ward, s.From, enc)
					}
				}
				if err != nil {
					return err
				}
			}
			res.Rows = enc.Rows()
			return enc.Encode(&syncproto.Frame{Trailer: &syncproto.Trailer{}})
		})
	})
	if err != nil {
		return nil, err
	}
	// The device will hold these ranges once it imports the bundle; the
	// next bundle starts there. A lost bundle is re-sent with explicit
	// starting cursors, or heals itself from the cursors in the device's
	// next up bundle.
	for _, s := range res.Header.Streams {
		h.noteCursor(ctx, dev, s.Ward, s.To)
	}
	return res, nil
}

// ParseDeviceRef accepts a device id.
func ParseDeviceRef(s string) (data.ID, error) { return data.ParseID(strings.TrimSpace(s)) }
