package syncclient

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/sqlite"
)

func idHex(id data.ID) string { return hex.EncodeToString(id[:]) }

func newPerson(t *testing.T, s *sqlite.Store, name, phone string) data.ID {
	t.Helper()
	p := &data.Person{FullName: name, Phone: phone}
	if err := s.CreatePerson(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func checkinAt(t *testing.T, s *sqlite.Store, venue, person data.ID, at time.Time) data.ID {
	t.Helper()
	c := &data.Checkin{VenueID: venue, PersonID: person, TimeIn: at, Source: data.SourceStaffScan}
	if err := s.AddCheckin(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func hubHas(t *testing.T, h *testHub, table string, id data.ID) bool {
	t.Helper()
	hashes, err := h.RowHashes(context.Background(), []string{"20236"})
	if err != nil {
		t.Fatal(err)
	}
	_, ok := hashes[table][idHex(id)]
	return ok
}

// The hub purges by the replicas' rule (21 days of check-ins, manual
// visits and follow-ups, then the people nothing refers to any more), and
// a purged row never comes back: not through a pull, not through a
// snapshot, not through a late push from a device that still holds it.
func TestHubRetentionPurge(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	now := time.Now()
	day := 24 * time.Hour
	old, recent := now.Add(-25*day), now.Add(-3*day)
	// The rows reach the hub ten days ago, all within retention then.
	h.Retention = hub.Retention{CheckinDays: data.DefaultRetentionCheckins}
	h.Now = func() time.Time { return now.Add(-10 * day) }
	a, ca := h.enrolled(t, "a", hub.RoleWard, "20236")
	b, cb := h.enrolled(t, "b", hub.RoleWard, "20236")

	v := venue("Chợ Cồn", "20236")
	if err := a.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	pOld := newPerson(t, a, "Lê Văn Cũ", "0905111001")    // only old check-ins and an old follow-up
	pMix := newPerson(t, a, "Trần Thị Hai", "0905111002") // an old and a recent check-in
	pNew := newPerson(t, a, "Phạm Văn Mới", "0905111003") // a recent check-in
	pF0 := newPerson(t, a, "Ngô Thị Ca", "0905111004")    // the F0: kept by the case
	oldRows := []data.ID{
		checkinAt(t, a, v.ID, pOld, old), checkinAt(t, a, v.ID, pOld, old.Add(time.Hour)),
		checkinAt(t, a, v.ID, pMix, old), checkinAt(t, a, v.ID, data.NilID, old),
	}
	newRows := []data.ID{
		checkinAt(t, a, v.ID, pMix, recent), checkinAt(t, a, v.ID, pNew, recent), checkinAt(t, a, v.ID, data.NilID, recent),
	}
	// A case recorded back then, with a manual visit and a follow-up of
	// that time, and a follow-up of this week.
	a.Now = func() time.Time { return old }
	c := &data.Case{PersonID: pF0, ConfirmedOn: old, Status: "active"}
	c.WindowStart, c.WindowEnd = data.DefaultWindow(old.AddDate(0, 0, -3), old)
	if err := a.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	mv := &sqlite.ManualVisit{CaseID: c.ID, VenueID: v.ID, TimeIn: old.Add(-48 * time.Hour)}
	if err := a.AddManualVisit(ctx, mv); err != nil {
		t.Fatal(err)
	}
	if err := a.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: pOld, Level: 1, Called: true}); err != nil {
		t.Fatal(err)
	}
	a.Now = time.Now
	if err := a.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: pNew, Level: 1, Called: true}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	mustSync(t, cb)
	sameContentWards(t, h, []string{"20236"}, a, b)
	for _, id := range append(append([]data.ID{}, oldRows...), newRows...) {
		if !hubHas(t, h, "checkin", id) {
			t.Fatalf("check-in %s not on the hub before the purge", id)
		}
	}

	// Rows written by a hub before migration 2 have no retention columns:
	// the purge fills them in first.
	if _, err := h.Pool().Exec(ctx, `UPDATE sync_row SET retain_at = NULL, person_ref = NULL`); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Pool().Exec(ctx, `DELETE FROM hub_job`); err != nil {
		t.Fatal(err)
	}

	// Today: the hub purges.
	h.Now = func() time.Time { return now }
	res, err := h.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Backfilled == 0 {
		t.Errorf("nothing backfilled: %+v", res)
	}
	if res.Rows["checkin"] != 4 || res.Rows["trace_visit"] != 1 || res.Rows["trace_contact"] != 1 || res.People != 1 {
		t.Fatalf("purge: %+v", res)
	}
	for _, id := range oldRows {
		if hubHas(t, h, "checkin", id) {
			t.Errorf("old check-in %s still on the hub", id)
		}
	}
	for _, id := range newRows {
		if !hubHas(t, h, "checkin", id) {
			t.Errorf("recent check-in %s purged", id)
		}
	}
	if hubHas(t, h, "person", pOld) || !hubHas(t, h, "person", pMix) || !hubHas(t, h, "person", pNew) ||
		!hubHas(t, h, "person", pF0) || hubHas(t, h, "trace_visit", mv.ID) || !hubHas(t, h, "case_f0", c.ID) {
		t.Fatal("the purge removed the wrong people, visits or cases")
	}
	var revs int
	h.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM row_rev WHERE tbl = 'trace_visit' OR (tbl = 'person' AND id = $1)`, pOld[:]).Scan(&revs)
	if revs != 0 {
		t.Errorf("%d past versions of purged rows left", revs)
	}
	// Purging again changes nothing.
	if again, err := h.Purge(ctx); err != nil || len(again.Rows) != 0 || again.People != 0 {
		t.Fatalf("second purge: %+v %v", again, err)
	}

	// Device a purges by the same rule: after a sync it equals the hub,
	// and nothing it pulls brings a purged row back.
	dres, err := a.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if dres.Checkins != res.Rows["checkin"] || dres.ManualVisits != 1 || dres.TracingContacts != 1 || dres.People != res.People {
		t.Fatalf("device purge %+v, hub purge %+v", dres, res)
	}
	mustSync(t, ca)
	sameContentWards(t, h, []string{"20236"}, a)

	// Device b was offline and has not purged yet; it still has pOld and
	// records a new visit of theirs. The hub takes the person back.
	recentOld := checkinAt(t, b, v.ID, pOld, now.Add(-time.Hour))
	mustSync(t, cb)
	if !hubHas(t, h, "person", pOld) || !hubHas(t, h, "checkin", recentOld) {
		t.Fatal("a recent check-in of a retired person did not bring the person back")
	}
	if _, err := b.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	mustSync(t, cb)
	mustSync(t, ca)
	sameContentWards(t, h, []string{"20236"}, a, b)

	// A late push: a check-in from 30 days ago (typed in from paper today,
	// or held by a device that has not purged) is acknowledged, not stored.
	late := checkinAt(t, a, v.ID, pMix, now.Add(-30*day))
	pLate := newPerson(t, a, "Võ Văn Trễ", "0905111005")
	lateOnly := checkinAt(t, a, v.ID, pLate, now.Add(-30*day))
	rep := mustSync(t, ca)
	if rep.Pushed != 3 {
		t.Fatalf("pushed %d, want 3", rep.Pushed)
	}
	if n, _ := a.PendingCount(ctx); n != 0 {
		t.Fatalf("late rows left in the outbox: %d", n)
	}
	if hubHas(t, h, "checkin", late) || hubHas(t, h, "checkin", lateOnly) {
		t.Fatal("a check-in past retention was stored by the push")
	}
	// Its person came alone: the next purge retires them, as a's own purge
	// deletes them with the late check-ins.
	if res, err := h.Purge(ctx); err != nil || res.People != 1 || hubHas(t, h, "person", pLate) {
		t.Fatalf("purge after the late push: %+v %v", res, err)
	}
	if _, err := a.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	mustSync(t, cb)
	sameContentWards(t, h, []string{"20236"}, a, b)

	// A device enrolled after the purge loads a snapshot without any of it.
	cdev, cc := h.enrolled(t, "c", hub.RoleWard, "20236")
	mustSync(t, cc)
	sameContentWards(t, h, []string{"20236"}, cdev)
	hashes, _ := cdev.SyncRowHashes(ctx)
	for _, id := range append(oldRows, late, lateOnly) {
		if _, ok := hashes["checkin"][idHex(id)]; ok {
			t.Fatalf("purged check-in %s reached a new device", id)
		}
	}

	// Seventy days on: everything of the check-in class goes, people retired
	// more than the offline period ago are erased, old tombstones go.
	gone := venue("Quán Đã Đóng", "20236")
	if err := a.CreateVenue(ctx, gone); err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	if err := a.DeleteVenue(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	h.Now = func() time.Time { return now.Add(70 * day) }
	res, err = h.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Erased != 1 || res.Tombstones == 0 || res.Rows["checkin"] != 4 || res.Rows["trace_contact"] != 1 {
		t.Fatalf("purge after 70 days: %+v", res)
	}
	var retired int
	h.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM retired_row`).Scan(&retired)
	if int64(retired) != res.People {
		t.Fatalf("%d people held, %d retired by this purge", retired, res.People)
	}
	// A device whose cursor is now below the horizon (b has not synced
	// since the venue was deleted) reloads a snapshot.
	rep, err = cb.Sync(ctx)
	if err != nil || len(rep.Snapshots) != 1 {
		t.Fatalf("sync after the horizon moved: %+v %v", rep, err)
	}
}
