package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/syncproto"
)

// pageFrom turns a's outbox into a hub-like page numbered from 1.
func pageFrom(t *testing.T, a *Store, ward string) *Page {
	t.Helper()
	b, err := a.PreparePush(context.Background(), 1<<20, ward)
	if err != nil || b == nil {
		t.Fatalf("prepare push: %v", err)
	}
	p := &Page{Ward: ward, Columns: b.Columns}
	for i, r := range b.Rows {
		r.Seq = int64(i + 1)
		p.Rows = append(p.Rows, r)
	}
	p.To = int64(len(p.Rows))
	return p
}

func seedVenueAndCheckins(t *testing.T, s *Store, n int) *data.Venue {
	t.Helper()
	ctx := context.Background()
	v := validVenue("Quán Sông Hàn")
	if err := s.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := s.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, TimeIn: fixedNow.Add(time.Duration(i) * time.Minute),
			Source: data.SourceStaffScan}); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

// A page and its cursor commit together; replays change nothing; a page
// after a hole is refused; an aborted page (a crash) leaves no trace.
func TestApplyPageIsAtomicAndIdempotent(t *testing.T) {
	ctx := context.Background()
	a, b := newTestStore(t), newTestStore(t)
	v := seedVenueAndCheckins(t, a, 10)
	p := pageFrom(t, a, "20236")

	// Crash in the middle: rows written, then the transaction dies.
	w, err := b.BeginPage(ctx, "20236", 0, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Rows[:5] {
		if err := w.Row(&p.Rows[i], p.Columns[p.Rows[i].Table]); err != nil {
			t.Fatal(err)
		}
	}
	w.Abort()
	if c, _ := b.Counts(ctx); c.Checkins != 0 || c.Venues != 0 {
		t.Fatalf("aborted page left rows: %+v", c)
	}
	if cur, _ := b.StreamCursor(ctx, DownStream("20236")); cur != 0 {
		t.Fatalf("aborted page moved the cursor to %d", cur)
	}

	res, err := b.ApplyPage(ctx, p)
	if err != nil || res.Applied != 12 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	before, _ := b.SyncRowHashes(ctx)
	again, err := b.ApplyPage(ctx, p)
	if err != nil || !again.Already || again.Applied != 0 {
		t.Fatalf("replay: %+v %v", again, err)
	}
	after, _ := b.SyncRowHashes(ctx)
	if len(before["checkin"]) != 10 || len(after["checkin"]) != 10 || len(after["venue"]) != 1 {
		t.Fatalf("rows after replay: %d check-ins", len(after["checkin"]))
	}
	got, err := b.Venue(ctx, v.ID)
	if err != nil || got.LastCheckinAt == nil || !got.LastCheckinAt.Equal(fixedNow.Add(9*time.Minute)) {
		t.Fatalf("venue last check-in not refreshed: %+v %v", got.LastCheckinAt, err)
	}
	if n, _ := b.PendingCount(ctx); n != 0 {
		t.Fatalf("applied rows must not enter the outbox: %d", n)
	}

	gap := &Page{Ward: "20236", From: 20, To: 25, Columns: p.Columns}
	if _, err := b.ApplyPage(ctx, gap); data.ErrorCode(err) != data.EConflict {
		t.Fatalf("gap: %v", err)
	}
}

// Rows with local edits still in flight are not overwritten by a pull.
func TestPulledRowKeepsPendingLocalEdit(t *testing.T) {
	ctx := context.Background()
	a, b := newTestStore(t), newTestStore(t)
	seedVenueAndCheckins(t, a, 0)
	p := pageFrom(t, a, "20236")
	if _, err := b.ApplyPage(ctx, p); err != nil {
		t.Fatal(err)
	}
	var id data.ID
	b.Venues(ctx, func(v data.Venue) error { id = v.ID; return nil })
	v, _ := b.Venue(ctx, id)
	v.OwnerID, v.OwnerName, v.OwnerPhone = data.NilID, "Chủ Mới", "0905000222"
	v.Name = "Tên Sửa Ở Máy"
	if err := b.UpdateVenue(ctx, &v); err != nil {
		t.Fatal(err)
	}
	// The hub's older state of the venue comes again in a later page.
	for i := range p.Rows {
		p.Rows[i].Seq += 100
	}
	p.From, p.To = 2, 102
	res, err := b.ApplyPage(ctx, p)
	if err != nil || res.Pending != 1 { // the venue; its old owner row is not edited here
		t.Fatalf("page over a pending edit: %+v %v", res, err)
	}
	if got, _ := b.Venue(ctx, id); got.Name != "Tên Sửa Ở Máy" {
		t.Fatalf("pending local edit overwritten: %q", got.Name)
	}
	batch, err := b.PreparePush(ctx, 100, "20236")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range batch.Rows {
		if r.Table == "venue" && r.BaseVersion != 1 {
			t.Fatalf("venue pushed with base %d, want 1", r.BaseVersion)
		}
	}
}

// A large snapshot drops the synced tables' indexes and builds them again.
func TestSnapshotRebuildsIndexes(t *testing.T) {
	ctx := context.Background()
	a := newTestStore(t)
	seedVenueAndCheckins(t, a, 0)
	p := pageFrom(t, a, "20236")
	cols := p.Columns["checkin"]
	if cols == nil {
		cols = []string{"id", "venue_id", "person_id", "time_in", "time_out", "source", "code_kind", "risk_flags",
			"station_id", "device_id", "version", "created_at", "updated_at", "deleted_at"}
		p.Columns["checkin"] = cols
	}
	var venueID []byte
	for _, r := range p.Rows {
		if r.Table == "venue" {
			venueID = r.Values[0].([]byte)
		}
	}
	for i := 0; i < snapshotIndexThreshold; i++ {
		vals := make(syncproto.Values, len(cols))
		for j, c := range cols {
			switch c {
			case "id":
				id := data.NewID()
				vals[j] = id[:]
			case "venue_id":
				vals[j] = venueID
			case "time_in", "created_at", "updated_at":
				vals[j] = fixedNow.Unix() + int64(i)
			case "source":
				vals[j] = "staff_scan"
			case "code_kind":
				vals[j] = ""
			case "risk_flags", "version":
				vals[j] = int64(1)
			case "device_id":
				vals[j] = a.DeviceID().String()
			}
		}
		p.Rows = append(p.Rows, syncproto.Row{Table: "checkin", Ward: "20236", Seq: int64(len(p.Rows) + 1), Values: vals})
	}
	b, err := Open(filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	indexes := func() int {
		var n int
		b.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'checkin' AND sql IS NOT NULL`).Scan(&n)
		return n
	}
	want := indexes()
	w, err := b.BeginPage(ctx, "20236", 0, true, len(p.Rows))
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Rows {
		if err := w.Row(&p.Rows[i], p.Columns[p.Rows[i].Table]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(int64(len(p.Rows))); err != nil {
		t.Fatal(err)
	}
	if got := indexes(); got != want || want == 0 {
		t.Fatalf("check-in indexes after snapshot: %d, want %d", got, want)
	}
	if c, _ := b.Counts(ctx); c.Checkins != snapshotIndexThreshold {
		t.Fatalf("check-ins loaded: %d", c.Checkins)
	}
}
