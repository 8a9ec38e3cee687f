package syncclient

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/sqlite"
)

func exportDown(t *testing.T, h *testHub, s *sqlite.Store, path string) *hub.ExportResult {
	t.Helper()
	ctx := context.Background()
	dev, err := h.Device(ctx, s.DeviceID())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := h.ExportBundle(ctx, dev, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func errKey(err error) string {
	if de, ok := err.(*data.Error); ok {
		return de.Key
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// Commune → district and district → commune with files only: applied
// once, refused when tampered, for someone else, or out of order.
func TestBundlesWithoutNetwork(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	dir := t.TempDir()
	a, _ := h.enrolled(t, "a", hub.RoleWard, "20236")
	b, _ := h.enrolled(t, "b", hub.RoleWard, "20236")
	h.srv.Close() // from here on, files only

	v := venue("Quán Bến Sông", "20236")
	if err := a.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		if err := a.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, TimeIn: time.Unix(1631664000+int64(i)*60, 0), Source: data.SourceSelfScan}); err != nil {
			t.Fatal(err)
		}
	}
	up := filepath.Join(dir, "a-up.qrb")
	rep, err := ExportBundle(ctx, a, up)
	if err != nil || rep.Rows != 32 {
		t.Fatalf("up bundle: %+v %v", rep, err)
	}
	res, err := h.ImportBundle(ctx, up)
	if err != nil || res.Replayed || res.Push.AckedSeq != rep.ToSeq {
		t.Fatalf("import up: %+v %v", res, err)
	}
	again, err := h.ImportBundle(ctx, up)
	if err != nil || !again.Replayed {
		t.Fatalf("re-import of an up bundle: %+v %v", again, err)
	}

	// Tampered: one flipped byte in the ciphertext.
	raw, _ := os.ReadFile(up)
	raw[len(raw)/2] ^= 0x40
	bad := filepath.Join(dir, "tampered.qrb")
	os.WriteFile(bad, raw, 0o600)
	if _, err := h.ImportBundle(ctx, bad); errKey(err) != "err.bundle_damaged" {
		t.Fatalf("tampered bundle: %v", err)
	}
	// Not a bundle at all.
	os.WriteFile(bad, []byte("hello"), 0o600)
	if _, err := h.ImportBundle(ctx, bad); errKey(err) != "err.bundle_not_bundle" {
		t.Fatalf("not a bundle: %v", err)
	}

	// District → commune: b receives a's rows; a receives its ack.
	downB := filepath.Join(dir, "b-1.qrb")
	exportDown(t, h, b, downB)
	if _, err := ImportBundle(ctx, a, downB); errKey(err) != "err.bundle_wrong_recipient" {
		t.Fatalf("bundle for b imported by a: %v", err)
	}
	rb, err := ImportBundle(ctx, b, downB)
	if err != nil || rb.Applied["20236"] != 32 || len(rb.Snapshots) != 1 {
		t.Fatalf("import down into b: %+v %v", rb, err)
	}
	again2, err := ImportBundle(ctx, b, downB)
	if err != nil || !again2.Already || again2.Applied["20236"] != 0 {
		t.Fatalf("replay of a down bundle: %+v %v", again2, err)
	}
	downA := filepath.Join(dir, "a-1.qrb")
	exportDown(t, h, a, downA)
	ra, err := ImportBundle(ctx, a, downA)
	if err != nil || ra.AckedSeq != rep.ToSeq {
		t.Fatalf("import down into a: %+v %v", ra, err)
	}
	if n, _ := a.PendingCount(ctx); n != 0 {
		t.Fatalf("outbox after the ack came back: %d", n)
	}
	sameContentWards(t, h, []string{"20236"}, a, b)

	// Gap: b's second bundle is lost, its third must be refused.
	for i := 0; i < 2; i++ {
		if err := a.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, TimeIn: time.Unix(1631700000+int64(i), 0), Source: data.SourceSelfScan}); err != nil {
			t.Fatal(err)
		}
		up2 := filepath.Join(dir, "a-up2.qrb")
		if _, err := ExportBundle(ctx, a, up2); err != nil {
			t.Fatal(err)
		}
		if _, err := h.ImportBundle(ctx, up2); err != nil {
			t.Fatal(err)
		}
		exportDown(t, h, b, filepath.Join(dir, []string{"b-2.qrb", "b-3.qrb"}[i]))
	}
	if _, err := ImportBundle(ctx, b, filepath.Join(dir, "b-3.qrb")); errKey(err) != "err.bundle_gap" {
		t.Fatalf("bundle after a missing one: %v", err)
	}
	for _, name := range []string{"b-2.qrb", "b-3.qrb"} {
		if _, err := ImportBundle(ctx, b, filepath.Join(dir, name)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	c, _ := b.Counts(ctx)
	if c.Checkins != 32 {
		t.Fatalf("b has %d check-ins, want 32", c.Checkins)
	}
}

// A push that starts after the acknowledged position is refused when it
// must be gapless (an up bundle imported before an earlier one).
func TestUpGapRefused(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a, _ := h.enrolled(t, "a", hub.RoleWard, "20236")
	dev, err := h.Device(ctx, a.DeviceID())
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Push(ctx, dev, &hub.PushBatch{FromSeq: 5, ToSeq: 9, Gapless: true})
	if errKey(err) != "err.sync_up_gap" {
		t.Fatalf("up gap: %v", err)
	}
}
