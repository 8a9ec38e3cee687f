package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"qrward/data"
	"qrward/data/syncproto"
)

// Every table of the latest schema is synced, derived or local: a new
// table must be put in one of the lists of wardfile.go (otherwise a device
// would refuse every ward file).
func TestWardFileTablesAreClassified(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	conn, err := s.rw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	names, err := tableNames(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	synced := syncproto.TableNames()
	for _, n := range names {
		in := 0
		for _, list := range [][]string{synced, derivedTables, localTables} {
			if slices.Contains(list, n) {
				in++
			}
		}
		if in != 1 {
			t.Errorf("table %s is in %d of the lists synced/derived/local", n, in)
		}
	}
}

// wardFileFor builds a ward file from a's outbox (as the hub would from the
// ward's stream) and returns its path.
func wardFileFor(t *testing.T, a *Store) (string, WardFileInfo) {
	t.Helper()
	p := pageFrom(t, a, "20236")
	var buf bytes.Buffer
	enc := syncproto.NewEncoder(&buf, syncproto.Proto)
	enc.Encode(&syncproto.Frame{Header: &syncproto.Header{Direction: syncproto.Down, Kind: syncproto.KindSnapshot,
		Rows: int64(len(p.Rows)), Streams: []syncproto.StreamRange{{Ward: "20236", To: p.To, Snapshot: true}}}})
	for tbl, names := range p.Columns {
		enc.Encode(&syncproto.Frame{Columns: &syncproto.Columns{Table: tbl, Names: names}})
	}
	for i := range p.Rows {
		enc.Encode(&syncproto.Frame{Row: &p.Rows[i]})
	}
	enc.Encode(&syncproto.Frame{Trailer: &syncproto.Trailer{NextAfter: p.To, HighWater: p.To}})
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ward.db")
	info, err := BuildWardFile(context.Background(), path, "20236", &buf, syncproto.Proto)
	if err != nil {
		t.Fatal(err)
	}
	if info.Cursor != p.To || info.Rows != int64(len(p.Rows)) {
		t.Fatalf("ward file info %+v for a page of %d rows to %d", info, len(p.Rows), p.To)
	}
	return path, info
}

func TestLoadWardFile(t *testing.T) {
	ctx := context.Background()
	a := newTestStore(t)
	seedVenueAndCheckins(t, a, 25)

	t.Run("empty replica takes it and keeps its own tables", func(t *testing.T) {
		path, info := wardFileFor(t, a)
		b := newTestStore(t)
		b.SetSetting(ctx, "office_note", "của máy B")
		device := b.DeviceID()
		rows, err := b.LoadWardFile(ctx, path, "20236", info.Cursor)
		if err != nil || rows != info.Rows {
			t.Fatalf("load: %d rows, %v (file has %d)", rows, err, info.Rows)
		}
		counts, err := b.Counts(ctx)
		if err != nil || counts.Checkins != 25 {
			t.Fatalf("counts after the ward file: %+v, %v", counts, err)
		}
		if v, _ := b.Setting(ctx, "office_note"); v != "của máy B" {
			t.Fatalf("local setting lost: %q", v)
		}
		if v, _ := b.Setting(ctx, "device_id"); v != device.String() {
			t.Fatalf("device id %q, was %s", v, device)
		}
		if c, _ := b.StreamCursor(ctx, DownStream("20236")); c != info.Cursor {
			t.Fatalf("cursor %d, want %d", c, info.Cursor)
		}
		var idx int
		b.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'
			AND name IN ('checkin_venue_time', 'checkin_person_visit')`).Scan(&idx)
		if idx != 2 {
			t.Fatalf("%d of the check-in indexes after the ward file", idx)
		}
		// Writes go on as before, with the replica's foreign keys.
		if err := b.AddCheckin(ctx, &data.Checkin{VenueID: data.NewID(), TimeIn: fixedNow, Source: data.SourceStaffScan}); err == nil {
			t.Fatal("a check-in at an unknown venue was stored")
		}
	})

	t.Run("replica with rows refuses it", func(t *testing.T) {
		path, info := wardFileFor(t, a)
		b := newTestStore(t)
		seedVenueAndCheckins(t, b, 1)
		if _, err := b.LoadWardFile(ctx, path, "20236", info.Cursor); !errors.Is(err, ErrWardFileUnusable) {
			t.Fatalf("load into a replica with rows: %v", err)
		}
		if counts, _ := b.Counts(ctx); counts.Checkins != 1 {
			t.Fatalf("replica changed: %+v", counts)
		}
	})

	t.Run("file of another schema is refused", func(t *testing.T) {
		path, info := wardFileFor(t, a)
		db, err := sql.Open(driverName, "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		b := newTestStore(t)
		if _, err := b.LoadWardFile(ctx, path, "20236", info.Cursor); !errors.Is(err, ErrWardFileUnusable) {
			t.Fatalf("load of an older schema: %v", err)
		}
		if counts, _ := b.Counts(ctx); counts.Checkins != 0 {
			t.Fatalf("replica changed: %+v", counts)
		}
	})
}
