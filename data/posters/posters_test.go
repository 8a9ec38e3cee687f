package posters

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/demo"
	"qrward/data/sqlite"
	"qrward/reports"
)

func demoStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := demo.Generate(t.Context(), s, demo.Options{Seed: 3, VenuesPerWard: 2, Checkins: 50,
		Now: time.Date(2021, 9, 20, 12, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWriteIssuesOnlyAfterTheWholePDF(t *testing.T) {
	s := demoStore(t)
	ctx := t.Context()
	key, err := s.OfficeKey(ctx, []byte(demo.DemoPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := s.SearchVenues(ctx, data.VenueFilter{WardCode: "20236"})
	ids := []data.ID{rows[0].ID, rows[1].ID}
	before, _ := s.Venue(ctx, ids[0])

	// A cancelled batch writes nothing and revokes nothing.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	var out bytes.Buffer
	err = Write(cancelled, s, key, Request{Venues: ids, Reissue: true}, &out)
	if data.ErrorCode(err) != data.ECancelled || out.Len() != 0 {
		t.Fatalf("cancelled: %v, %d bytes", err, out.Len())
	}
	if v, _ := s.Venue(ctx, ids[0]); v.QRSerial != before.QRSerial {
		t.Error("a cancelled batch re-issued a poster")
	}

	var calls int
	err = Write(ctx, s, key, Request{Venues: ids, Reissue: true, Size: reports.PaperA5,
		Progress: func(done, total int) { calls++ }}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("%PDF")) || calls < 2 {
		t.Errorf("pdf %d bytes, %d progress calls", out.Len(), calls)
	}
	if v, _ := s.Venue(ctx, ids[0]); v.QRSerial != before.QRSerial+1 {
		t.Errorf("serial %d, want %d", v.QRSerial, before.QRSerial+1)
	}
	// A reprint keeps the serial.
	out.Reset()
	if err := Write(ctx, s, key, Request{Venues: ids[:1]}, &out); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Venue(ctx, ids[0]); v.QRSerial != before.QRSerial+1 {
		t.Error("a reprint changed the serial")
	}
	if err := Write(ctx, s, key, Request{}, &out); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("empty request: %v", err)
	}
}
