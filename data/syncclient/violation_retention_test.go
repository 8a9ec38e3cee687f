package syncclient

import (
	"bytes"
	"context"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/inspect"
	"qrward/data/sqlite"
	"qrward/data/syncproto"
)

// fileRows is a violation file as stored: the violation, its events and
// the documents its steps issued.
type fileRows struct {
	violation data.ID
	events    []data.ID
	documents []data.ID
}

var ictZone = time.FixedZone("ICT", 7*3600)

// violationFile records a violation found at found on venue and walks it
// through actions, each a few days after the one before (past the
// explanation window before the decision).
func violationFile(t *testing.T, s *sqlite.Store, venue data.ID, found time.Time, actions ...string) *fileRows {
	t.Helper()
	v := &inspect.Violation{}
	v.VenueID, v.RuleID, v.FoundAt = venue, "personal_measures", found
	if err := s.CreateViolation(context.Background(), v, "ha"); err != nil {
		t.Fatal(err)
	}
	f := &fileRows{violation: v.ID}
	for i, a := range actions {
		stepFile(t, s, f, a, found.AddDate(0, 0, 1+10*i))
	}
	return f
}

func stepFile(t *testing.T, s *sqlite.Store, f *fileRows, action string, at time.Time) {
	t.Helper()
	in := sqlite.StepInput{Action: action, At: at, By: "ha"}
	if action == inspect.ActDecide {
		in.SignerRole = "ward_chairman"
		in.Signer = inspect.Official{Name: "Trần Văn Bình", Title: "Chủ tịch UBND phường"}
	}
	r, err := s.ApplyStep(context.Background(), f.violation, in)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	f.events = append(f.events, r.Event.ID)
	if r.Document != nil {
		f.documents = append(f.documents, r.Document.ID)
	}
}

// present reports which of the file's rows rows holds (a replica's or
// the hub's row hashes), as counts: violations, events, documents.
func (f *fileRows) present(rows map[string]map[string]string) (v, e, d int) {
	if _, ok := rows["violation"][idHex(f.violation)]; ok {
		v++
	}
	for _, id := range f.events {
		if _, ok := rows["violation_event"][idHex(id)]; ok {
			e++
		}
	}
	for _, id := range f.documents {
		if _, ok := rows["document"][idHex(id)]; ok {
			d++
		}
	}
	return v, e, d
}

func hubRows(t *testing.T, h *testHub) map[string]map[string]string {
	t.Helper()
	rows, err := h.RowHashes(context.Background(), []string{"20236"})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// pushDirect pushes s's outbox to the hub without the client, for the
// PushResult (the HTTP ack does not carry Expired).
func pushDirect(t *testing.T, h *testHub, s *sqlite.Store) hub.PushResult {
	t.Helper()
	ctx := context.Background()
	batch, err := s.PreparePush(ctx, 1000, "20236")
	if err != nil || batch == nil {
		t.Fatalf("prepare push: %v", err)
	}
	var buf bytes.Buffer
	if err := EncodePush(&buf, syncproto.Proto, s.DeviceID(), batch); err != nil {
		t.Fatal(err)
	}
	pb, err := hub.ReadPush(&buf, syncproto.Proto)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := h.Device(ctx, s.DeviceID())
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.Push(ctx, dev, pb)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func replicaRows(t *testing.T, s *sqlite.Store) map[string]map[string]string {
	t.Helper()
	rows, err := s.SyncRowHashes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// wantFile fails unless rows hold exactly v violations, e events and d
// documents of f.
func wantFile(t *testing.T, where, name string, f *fileRows, rows map[string]map[string]string, v, e, d int) {
	t.Helper()
	if gv, ge, gd := f.present(rows); gv != v || ge != e || gd != d {
		t.Errorf("%s: %s file has %d violation, %d events, %d documents; want %d, %d, %d", where, name, gv, ge, gd, v, e, d)
	}
}

// The hub purges closed violation files by the replicas' rule (closed and
// found before the violation period's cutoff: the violation, its events
// and its documents), only with the rule on; a purged file reaches no
// device, and a device that still holds it and pushes it is acknowledged
// without the file being stored again, so every replica converges once
// it has purged by the same rule.
func TestHubPurgesClosedViolationFiles(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, ictZone)
	old := time.Date(2021, 3, 2, 9, 0, 0, 0, ictZone)    // before the 5-year cut (2021-06-02)
	recent := time.Date(2025, 6, 3, 9, 0, 0, 0, ictZone) // after it
	h.Now = func() time.Time { return now }
	h.Retention = hub.Retention{CheckinDays: data.DefaultRetentionCheckins} // violation rule off for now
	a, ca := h.enrolled(t, "a", hub.RoleWard, "20236")
	b, cb := h.enrolled(t, "b", hub.RoleWard, "20236")

	v := venue("Quán Hải Sản Sông Hàn", "20236")
	if err := a.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	full := []string{inspect.ActRecord, inspect.ActDecide, inspect.ActPay, inspect.ActReinspect}
	oldClosed := violationFile(t, a, v.ID, old, full...) // closed below, once b holds it
	oldOpen := violationFile(t, a, v.ID, old, inspect.ActRecord)
	recentClosed := violationFile(t, a, v.ID, recent, append(full, inspect.ActClose)...)
	// A document that belongs to no violation file stays whatever its age.
	sched := inspect.Document{Kind: inspect.DocSchedule, Issuer: "20236", IssuedAt: old}
	if err := a.IssueDocument(ctx, &sched, "ha"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	mustSync(t, cb)
	// a closes the old file; b, offline, still has it re-inspected.
	stepFile(t, a, oldClosed, inspect.ActClose, old.AddDate(0, 0, 45))
	mustSync(t, ca)
	sameContentWards(t, h, []string{"20236"}, a)
	if len(oldClosed.events) != 5 || len(oldClosed.documents) != 2 || len(recentClosed.events) != 5 ||
		len(oldOpen.events) != 1 || len(oldOpen.documents) != 1 {
		t.Fatalf("files: old %d/%d, recent %d/%d, open %d/%d", len(oldClosed.events), len(oldClosed.documents),
			len(recentClosed.events), len(recentClosed.documents), len(oldOpen.events), len(oldOpen.documents))
	}

	// The rule off: nothing goes.
	res, err := h.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Violations != 0 || len(res.Rows) != 0 || !res.ViolationCutoff.IsZero() {
		t.Fatalf("purge with the violation rule off: %+v", res)
	}
	wantFile(t, "hub, rule off", "old closed", oldClosed, hubRows(t, h), 1, 5, 2)

	// The rule on, five years: the old closed file goes, nothing else.
	h.Retention.ViolationDays = data.DefaultRetentionViolations
	res, err = h.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Violations != 1 || res.Rows["violation"] != 1 || res.Rows["violation_event"] != 5 ||
		res.Rows["document"] != 2 || len(res.Rows) != 3 || res.People != 0 ||
		!res.ViolationCutoff.Equal(data.ViolationRetentionCutoff(now, data.DefaultRetentionViolations)) {
		t.Fatalf("purge: %+v", res)
	}
	rows := hubRows(t, h)
	wantFile(t, "hub", "old closed", oldClosed, rows, 0, 0, 0)
	wantFile(t, "hub", "old open", oldOpen, rows, 1, 1, 1)
	wantFile(t, "hub", "recent closed", recentClosed, rows, 1, 5, 2)
	if _, ok := rows["document"][idHex(sched.ID)]; !ok {
		t.Error("the purge took a document of no violation file")
	}
	if again, err := h.Purge(ctx); err != nil || again.Violations != 0 || len(again.Rows) != 0 {
		t.Fatalf("second purge: %+v %v", again, err)
	}

	// A device enrolled now loads a snapshot without the file.
	c, cc := h.enrolled(t, "c", hub.RoleWard, "20236")
	mustSync(t, cc)
	sameContentWards(t, h, []string{"20236"}, c)
	wantFile(t, "new device", "old closed", oldClosed, replicaRows(t, c), 0, 0, 0)
	wantFile(t, "new device", "recent closed", recentClosed, replicaRows(t, c), 1, 5, 2)

	// a purges by the same rule and equals the hub.
	a.Now = func() time.Time { return now }
	dres, err := a.Purge(ctx)
	a.Now = time.Now
	if err != nil {
		t.Fatal(err)
	}
	if dres.Violations != res.Violations {
		t.Fatalf("device purge %+v, hub purge %+v", dres, res)
	}
	mustSync(t, ca)
	sameContentWards(t, h, []string{"20236"}, a)

	// b pulls: the purge is not shipped as deletes, b still has the file
	// as it last saw it (re-inspected, so not closed, not purged).
	mustSync(t, cb)
	wantFile(t, "stale device", "old closed", oldClosed, replicaRows(t, b), 1, 4, 2)
	// b closes it too: the violation again and a new event of it are
	// acknowledged, not stored, by the push itself (no trigger since hub
	// migration 4). Pushed directly to read the count; b's sync then finds
	// the entries acknowledged.
	var triggers int
	if err := h.Pool().QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'sync_row_skip_purged')
		+ (SELECT COUNT(*) FROM pg_proc WHERE proname = 'sync_row_skip_purged')`).Scan(&triggers); err != nil || triggers != 0 {
		t.Fatalf("purged-key trigger still there: %d %v", triggers, err)
	}
	stale := &fileRows{violation: oldClosed.violation}
	stepFile(t, b, stale, inspect.ActClose, old.AddDate(0, 0, 46))
	pres := pushDirect(t, h, b)
	if pres.Expired != 2 || pres.Applied != 0 {
		t.Fatalf("stale push: %+v, want 2 expired, none applied", pres)
	}
	rep := mustSync(t, cb)
	if rep.Pushed != 2 {
		t.Fatalf("pushed %d, want 2", rep.Pushed)
	}
	if n, _ := b.PendingCount(ctx); n != 0 {
		t.Fatalf("%d entries left in the outbox", n)
	}
	wantFile(t, "hub after the stale push", "old closed", stale, hubRows(t, h), 0, 0, 0)
	// Nothing of it reaches a, which purged the file already.
	mustSync(t, ca)
	wantFile(t, "purged device", "old closed", stale, replicaRows(t, a), 0, 0, 0)
	sameContentWards(t, h, []string{"20236"}, a, c)

	// b purges by the rule too: every replica equals the hub.
	b.Now = func() time.Time { return now }
	dres, err = b.Purge(ctx)
	b.Now = time.Now
	if err != nil || dres.Violations != 1 {
		t.Fatalf("stale device purge %+v %v", dres, err)
	}
	mustSync(t, ca)
	mustSync(t, cb)
	mustSync(t, cc)
	sameContentWards(t, h, []string{"20236"}, a, b, c)
	if res, err := h.Purge(ctx); err != nil || res.Violations != 0 || len(res.Rows) != 0 {
		t.Fatalf("purge after the stale push: %+v %v", res, err)
	}

	// The keys of the purged file (and of the held event) are kept for
	// the offline period, then forgotten; the other files stay.
	var keys int
	h.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM purged_row`).Scan(&keys)
	if keys != 1+5+2+1 {
		t.Fatalf("%d purged keys held, want 9 (the file and the stale event)", keys)
	}
	h.Now = func() time.Time { return now.AddDate(0, 0, hub.DefaultOfflineDays+1) }
	if _, err := h.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	h.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM purged_row`).Scan(&keys)
	if keys != 0 {
		t.Fatalf("%d purged keys held past the offline period", keys)
	}
	rows = hubRows(t, h)
	wantFile(t, "hub, later", "old open", oldOpen, rows, 1, 1, 1)
	wantFile(t, "hub, later", "recent closed", recentClosed, rows, 1, 5, 2)
}
