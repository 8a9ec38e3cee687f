package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/hub/hubtest"
	"qrward/data/sqlite"
)

func TestMain(m *testing.M) { hubtest.Main(m) }

func TestCLISyncAndBundles(t *testing.T) {
	ctx := context.Background()
	h, err := hub.Open(ctx, hubtest.DB(t), "492")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "phuong.db")

	// Sync before enrolment: a clear refusal, exit 1.
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	v := &data.Venue{Name: "Chợ Hàn", Category: "market", Address: "119 Trần Phú", WardCode: "20236",
		OwnerName: "Lê Thị Hồng", OwnerPhone: "0905123456"}
	if err := s.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, _, stderr := qrward(t, "sync", "--db", db); code != 1 || !strings.Contains(stderr, "chưa đăng ký") {
		t.Fatalf("sync before enrolment: %d %q", code, stderr)
	}

	enrolCode, err := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "phuong", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := qrward(t, "sync", "enrol", "--db", db, "--hub", srv.URL, "--code", strings.ToLower(enrolCode)); code != 0 {
		t.Fatalf("enrol: %d %s", code, stderr)
	}
	code, out, stderr := qrward(t, "sync", "--db", db, "--json")
	var rep map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep["pushed"].(float64) != 2 {
		t.Fatalf("sync: %d %q %s", code, out, stderr)
	}
	code, out, _ = qrward(t, "sync", "status", "--db", db, "--json")
	var st syncStatusJSON
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Pending != 0 || st.Hub != srv.URL || len(st.Streams) < 2 {
		t.Fatalf("status: %d %q", code, out)
	}

	// USB round trip: an edit goes up in a file, the ack comes down in one.
	s, _ = sqlite.Open(db)
	got, _ := s.Venue(ctx, v.ID)
	got.Address = "120 Trần Phú"
	if err := s.UpdateVenue(ctx, &got); err != nil {
		t.Fatal(err)
	}
	s.Close()
	up := filepath.Join(dir, "len-quan.qrb")
	if code, _, stderr := qrward(t, "bundle", "export", "--db", db, up); code != 0 {
		t.Fatalf("bundle export: %d %s", code, stderr)
	}
	if _, err := h.ImportBundle(ctx, up); err != nil {
		t.Fatal(err)
	}
	s, _ = sqlite.Open(db)
	dev, err := h.Device(ctx, s.DeviceID())
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	down := filepath.Join(dir, "ve-phuong.qrb")
	f, _ := os.Create(down)
	if _, err := h.ExportBundle(ctx, dev, f, nil); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if code, out, stderr := qrward(t, "bundle", "import", "--db", db, down); code != 0 || !strings.Contains(out, "Đã nhập") {
		t.Fatalf("bundle import: %d %q %s", code, out, stderr)
	}
	if code, out, _ := qrward(t, "bundle", "import", "--db", db, down); code != 0 || !strings.Contains(out, "đã được nhập trước") {
		t.Fatalf("bundle re-import: %d %q", code, out)
	}
	code, out, _ = qrward(t, "sync", "status", "--db", db, "--json")
	if json.Unmarshal([]byte(out), &st) != nil || st.Pending != 0 {
		t.Fatalf("outbox after the bundle ack: %q", out)
	}
	if code, _, stderr := qrward(t, "bundle", "import", "--db", db, up); code != 1 || !strings.Contains(stderr, "không dành cho máy này") && !strings.Contains(stderr, "không đúng chiều") {
		t.Fatalf("own up bundle imported: %d %q", code, stderr)
	}
}
