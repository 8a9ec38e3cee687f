package syncclient

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/hub/hubtest"
	"qrward/data/sqlite"
	"qrward/data/syncproto"
)

// Benchmarks of docs/perf/sync.md. Sizes: QRWARD_BENCH_ROWS (default 1 M
// for the bootstrap, a fifth of it for the incremental pull) and
// QRWARD_BENCH_PUSH (default 100 k). Run with -benchtime=1x: each
// iteration is a full load.

func benchRows(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// seededHub is a hub whose ward 20236 holds n check-ins at one venue,
// written straight into PostgreSQL with COPY (the way they would stand
// after months of pushes), already numbered.
func seededHub(b *testing.B, n int) (*hub.Hub, *httptest.Server, *sqlite.Store) {
	b.Helper()
	ctx := context.Background()
	h, err := hub.Open(ctx, hubtest.DB(b), district)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	b.Cleanup(func() { srv.Close(); h.Close() })
	// One real device makes the venue, its owner and one check-in: that
	// registers the column lists the bulk rows reuse.
	src, err := sqlite.Open(filepath.Join(b.TempDir(), "src.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	code, _ := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "src", time.Hour)
	if _, err := Enrol(ctx, src, srv.URL, code, "", "src"); err != nil {
		b.Fatal(err)
	}
	v := venue("Chợ Hàn", "20236")
	src.CreateVenue(ctx, v)
	src.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, TimeIn: time.Unix(1631664000, 0), Source: data.SourceStaffScan})
	batch, _ := src.PreparePush(ctx, 10, "20236")
	c, _ := New(ctx, src)
	if _, _, err := c.Push(ctx); err != nil {
		b.Fatal(err)
	}
	var sid, last int64
	h.Pool().QueryRow(ctx, `SELECT schema_id FROM sync_row WHERE tbl = 'checkin' LIMIT 1`).Scan(&sid)
	h.Pool().QueryRow(ctx, `SELECT last_seq FROM ward_stream WHERE ward = '20236'`).Scan(&last)
	cols := batch.Columns["checkin"]
	t0 := time.Unix(1631664000, 0)
	rows := make([][]any, 0, n)
	for i := 0; i < n; i++ {
		id := data.NewIDAt(t0.Add(time.Duration(i)*time.Second), uint64(i), uint64(i)*2654435761)
		vals := make(syncproto.Values, len(cols))
		for j, col := range cols {
			switch col {
			case "id":
				vals[j] = id[:]
			case "venue_id":
				vals[j] = v.ID[:]
			case "person_id":
				// A ward's visitors come back: 1 M check-ins by 100 k people
				// (the rollups count distinct people per day).
				p := data.NewIDAt(t0, uint64(i%100_000), 7)
				vals[j] = p[:]
			case "station_id", "time_out", "deleted_at":
			case "time_in", "created_at", "updated_at":
				vals[j] = t0.Unix() + int64(i%(21*86400))
			case "source":
				vals[j] = "staff_scan"
			case "code_kind":
				vals[j] = "qrqg"
			case "risk_flags":
				vals[j] = int64(i % 3)
			case "version":
				vals[j] = int64(1)
			case "device_id":
				vals[j] = src.DeviceID().String()
			}
		}
		rows = append(rows, []any{district, "20236", "checkin", id[:], int64(1), last + int64(i) + 1, sid, syncproto.EncodeValues(vals)})
	}
	if _, err := h.Pool().CopyFrom(ctx, pgx.Identifier{"sync_row"},
		[]string{"district", "ward", "tbl", "id", "version", "change_seq", "schema_id", "body"}, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	h.Pool().Exec(ctx, `UPDATE ward_stream SET last_seq = $1 WHERE ward = '20236'`, last+int64(n))
	h.Pool().Exec(ctx, `ANALYZE sync_row`)
	return h, srv, src
}

func freshDevice(b *testing.B, h *hub.Hub, srv *httptest.Server) (*sqlite.Store, *Client) {
	b.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "dev.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	code, _ := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "dev", time.Hour)
	if _, err := Enrol(ctx, s, srv.URL, code, "", "dev"); err != nil {
		b.Fatal(err)
	}
	c, _ := New(ctx, s)
	return s, c
}

// BenchmarkBootstrapWard: a new device loads a whole ward (snapshot over
// HTTP, protobuf + gzip, loaded without indexes, then indexed).
func BenchmarkBootstrapWard(b *testing.B) {
	n := benchRows("QRWARD_BENCH_ROWS", 1_000_000)
	h, srv, _ := seededHub(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		_, c := freshDevice(b, h, srv)
		b.StartTimer()
		got, err := c.Pull(context.Background(), "20236")
		if err != nil || !got.Snapshot || got.WardFile || got.Rows < int64(n) {
			b.Fatalf("bootstrap: %+v, %v", got, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkBootstrapWardFile: a new device takes the hub's cached ward
// file (download, zstd, copy of its local tables, online backup) and pulls
// the rows added since the file was built. The hub's build of the file is
// reported beside it (it runs once per ward and cache period).
func BenchmarkBootstrapWardFile(b *testing.B) {
	n := benchRows("QRWARD_BENCH_ROWS", 1_000_000)
	h, srv, _ := seededHub(b, n)
	h.WardFiles = &hub.WardFiles{Dir: b.TempDir()}
	ctx := context.Background()
	first, _ := freshDevice(b, h, srv)
	cfg, err := first.SyncConfig(ctx)
	if err != nil {
		b.Fatal(err)
	}
	dev, err := h.Authenticate(ctx, cfg.Token)
	if err != nil {
		b.Fatal(err)
	}
	m, f, err := h.WardFile(ctx, dev, "20236")
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, c := freshDevice(b, h, srv)
		b.StartTimer()
		got, err := c.Pull(ctx, "20236")
		if err != nil || !got.WardFile || got.Rows < int64(n) {
			b.Fatalf("bootstrap: %+v, %v", got, err)
		}
		b.StopTimer()
		// What the app does next, off the clock: the replica is usable
		// before it (readers see the WAL), and it is no slower after.
		if err := s.Checkpoint(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(m.BuildMS), "hub-build-ms")
	b.ReportMetric(float64(m.Size)/float64(n), "wire-bytes/row")
}

// BenchmarkIncrementalPull: a device that holds the ward pulls the rows
// added since (50 k-row pages, each applied with its cursor, indexes kept).
func BenchmarkIncrementalPull(b *testing.B) {
	n := benchRows("QRWARD_BENCH_ROWS", 1_000_000) / 5
	h, srv, _ := seededHub(b, n)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, c := freshDevice(b, h, srv)
		// The device already had everything up to the venue and first row.
		w, _ := s.BeginPage(ctx, "20236", 0, true, 0)
		w.Commit(3)
		b.StartTimer()
		got, err := c.Pull(ctx, "20236")
		if err != nil || got.Rows < int64(n) {
			b.Fatalf("pull: %+v, %v", got, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPush100k: a device pushes 100 k outbox entries (5 k per batch).
func BenchmarkPush100k(b *testing.B) {
	n := benchRows("QRWARD_BENCH_PUSH", 100_000)
	ctx := context.Background()
	h, err := hub.Open(ctx, hubtest.DB(b), district)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	defer h.Close()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, c := freshDevice(b, h, srv)
		v := venue("Chợ Hàn", "20236")
		s.CreateVenue(ctx, v)
		t0 := time.Unix(1631664000, 0)
		for k := 0; k < n; k++ {
			s.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, TimeIn: t0.Add(time.Duration(k) * time.Second), Source: data.SourceStaffScan})
		}
		b.StartTimer()
		acked, _, err := c.Push(ctx)
		if err != nil || acked < int64(n) {
			b.Fatalf("push: %d, %v", acked, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkBootstrapParts splits the bootstrap: the hub writing the
// snapshot stream, and the device applying it from memory.
func BenchmarkBootstrapParts(b *testing.B) {
	n := benchRows("QRWARD_BENCH_ROWS", 1_000_000)
	h, srv, src := seededHub(b, n)
	ctx := context.Background()
	dev, _ := h.Device(ctx, src.DeviceID())
	var buf bytes.Buffer
	b.Run("hub", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			buf.Reset()
			enc := syncproto.NewEncoder(&buf, syncproto.Proto)
			if err := h.Snapshot(ctx, dev, "20236", enc); err != nil {
				b.Fatal(err)
			}
			enc.Close()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(buf.Len())/float64(n), "B/row")
	})
	b.Run("apply", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s, _ := freshDevice(b, h, srv)
			b.StartTimer()
			if _, err := s.ApplyStream(ctx, bytes.NewReader(buf.Bytes()), syncproto.Proto, "20236", nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
