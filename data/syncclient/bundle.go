package syncclient

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"time"

	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/syncproto"
)

// BundleReport says what a bundle export or import did.
type BundleReport struct {
	BundleID  string
	Direction string
	Rows      int64
	FromSeq   int64 // up: outbox range
	ToSeq     int64
	AckedSeq  int64            // down: outbox acknowledged by the hub
	Applied   map[string]int64 // down: rows applied per ward
	Snapshots []string         // down: wards loaded from a snapshot
	Already   bool             // down: everything had been imported before
}

// ExportBundle writes the device's whole outbox to path as an up bundle,
// signed by the device and encrypted to the hub. The outbox is kept until
// a down bundle (or a push) brings the hub's acknowledgement, so a lost
// stick loses nothing. The header also carries the device's ward cursors,
// so the hub's next down bundle starts where this device stands.
func ExportBundle(ctx context.Context, store *sqlite.Store, path string) (BundleReport, error) {
	rep := BundleReport{Direction: syncproto.Up}
	cfg, err := store.SyncConfig(ctx)
	if err != nil {
		return rep, err
	}
	if cfg.HubRecipient == "" {
		return rep, data.Errorf(data.ENotFound, "err.sync_not_enrolled")
	}
	keys, err := store.DeviceKeys(ctx)
	if err != nil {
		return rep, err
	}
	b, err := store.PreparePush(ctx, 1<<30, cfg.HomeWard())
	if err != nil {
		return rep, err
	}
	if b == nil {
		b = &sqlite.PushBatch{}
	}
	hdr := &syncproto.Header{BundleID: data.NewID().String(), Direction: syncproto.Up, Kind: syncproto.KindBundle,
		Sender: store.DeviceID().String(), Recipient: "hub:" + cfg.District, District: cfg.District,
		SchemaVersion: syncproto.SchemaVersion, CreatedAt: time.Now().Unix(), Role: cfg.Role, FromSeq: b.FromSeq, ToSeq: b.ToSeq}
	for _, w := range cfg.Wards {
		c, err := store.StreamCursor(ctx, sqlite.DownStream(w))
		if err != nil {
			return rep, err
		}
		hdr.Cursors = append(hdr.Cursors, syncproto.StreamRange{Ward: w, To: c})
	}
	rep.BundleID, rep.FromSeq, rep.ToSeq = hdr.BundleID, b.FromSeq, b.ToSeq
	// Written beside the target and renamed, so a pulled stick never holds
	// half a bundle under the final name.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".qrward-bundle-*")
	if err != nil {
		return rep, &data.Error{Code: data.EInternal, Key: "err.bundle_write", Args: []any{path}, Err: err}
	}
	defer os.Remove(tmp.Name())
	err = syncproto.WriteBundle(tmp, []string{cfg.HubRecipient}, keys, store.DeviceID().String(), func(enc *syncproto.Encoder) error {
		if err := encodeBatch(enc, hdr, b); err != nil {
			return err
		}
		rep.Rows = enc.Rows()
		return enc.Encode(&syncproto.Frame{Trailer: &syncproto.Trailer{}})
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return rep, &data.Error{Code: data.EInternal, Key: "err.bundle_write", Args: []any{path}, Err: err}
	}
	return rep, nil
}

// ImportBundle applies a down bundle from the hub with the same code as an
// HTTP pull: the acknowledgement first (the outbox is trimmed), then each
// ward's rows with its cursor in one transaction. It refuses a bundle not
// encrypted to this device, not signed by its hub, damaged, or starting
// after a ward's cursor (a bundle in between is missing); importing it
// again changes nothing.
func ImportBundle(ctx context.Context, store *sqlite.Store, path string) (BundleReport, error) {
	rep := BundleReport{Direction: syncproto.Down, Applied: map[string]int64{}}
	cfg, err := store.SyncConfig(ctx)
	if err != nil {
		return rep, err
	}
	if cfg.HubSignPublic == "" {
		return rep, data.Errorf(data.ENotFound, "err.sync_not_enrolled")
	}
	keys, err := store.DeviceKeys(ctx)
	if err != nil {
		return rep, err
	}
	b, err := syncproto.OpenBundle(path, keys.AgeIdentity, func(h *syncproto.Header) (ed25519.PublicKey, error) {
		if h.Direction != syncproto.Down {
			return nil, &data.Error{Code: data.EInvalid, Key: "err.bundle_direction", Args: []any{path}}
		}
		if h.Sender != "hub:"+cfg.District {
			return nil, &data.Error{Code: data.EUnauthorized, Key: "err.bundle_unknown_sender", Args: []any{h.Sender}}
		}
		return syncproto.ParseSignPublic(cfg.HubSignPublic)
	})
	if err != nil {
		return rep, err
	}
	h := b.Header
	if h.Recipient != store.DeviceID().String() {
		return rep, &data.Error{Code: data.EUnauthorized, Key: "err.bundle_wrong_recipient", Args: []any{path}}
	}
	rep.BundleID, rep.Rows = h.BundleID, b.Rows
	// Every gap is found before anything is written.
	ranges := map[string]syncproto.StreamRange{}
	already := true
	for _, s := range h.Streams {
		c, err := store.StreamCursor(ctx, sqlite.DownStream(s.Ward))
		if err != nil {
			return rep, err
		}
		if !s.Snapshot && s.From > c {
			return rep, &data.Error{Code: data.EConflict, Key: "err.bundle_gap", Args: []any{s.Ward, c, s.From}}
		}
		if s.To > c || (s.Snapshot && c == 0) {
			already = false
		}
		ranges[s.Ward] = s
	}
	var w *sqlite.PageWriter
	var ward string
	defer func() {
		if w != nil {
			w.Abort()
		}
	}()
	done := map[string]bool{}
	finish := func() error {
		if w == nil {
			return nil
		}
		res, err := w.Commit(ranges[ward].To)
		w = nil
		rep.Applied[ward] += int64(res.Applied)
		done[ward] = true
		return err
	}
	begin := func(wd string) error {
		s, ok := ranges[wd]
		if !ok {
			return &data.Error{Code: data.ECorrupt, Key: "err.bundle_damaged", Args: []any{path}}
		}
		ward = wd
		if s.Snapshot {
			rep.Snapshots = append(rep.Snapshots, wd)
		}
		var err error
		w, err = store.BeginPage(ctx, wd, s.From, s.Snapshot, int(b.Rows))
		return err
	}
	cols := map[string][]string{}
	err = b.Frames(func(f *syncproto.Frame) error {
		switch {
		case f.Ack != nil:
			rep.AckedSeq = f.Ack.AckedSeq
			if f.Ack.AckedSeq > 0 {
				return store.AckPush(ctx, f.Ack.AckedSeq)
			}
		case f.Columns != nil:
			cols[f.Columns.Table] = f.Columns.Names
		case f.Row != nil:
			if w == nil || f.Row.Ward != ward {
				if err := finish(); err != nil {
					return err
				}
				if err := begin(f.Row.Ward); err != nil {
					return err
				}
			}
			return w.Row(f.Row, cols[f.Row.Table])
		case f.Trailer != nil:
			return finish()
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	// Wards with no rows in the bundle still move their cursors.
	for _, s := range h.Streams {
		if done[s.Ward] {
			continue
		}
		if err := begin(s.Ward); err != nil {
			return rep, err
		}
		if err := finish(); err != nil {
			return rep, err
		}
	}
	rep.Already = already
	return rep, nil
}
