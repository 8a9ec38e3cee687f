package syncclient

import (
	"context"
	"database/sql"
	"encoding/hex"
	"image"
	"strings"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

func snapshotJPEG(t *testing.T) []byte {
	t.Helper()
	b, err := sqlite.EncodeSnapshot(image.NewRGBA(image.Rect(0, 0, 16, 12)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hubWards lists the wards the hub files a row under (one, unless the row
// was duplicated).
func hubWards(t *testing.T, h *testHub, table string, id data.ID) []string {
	t.Helper()
	rows, err := h.Pool().Query(context.Background(), `SELECT ward FROM sync_row WHERE tbl = $1 AND id = $2 ORDER BY ward`, table, id[:])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		rows.Scan(&w)
		out = append(out, w)
	}
	return out
}

func holds(t *testing.T, s *sqlite.Store, table string, id data.ID) bool {
	t.Helper()
	hashes, err := s.SyncRowHashes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ok := hashes[table][idHex(id)]
	return ok
}

// Follow-ups of contacts, evidence snapshots and outbreak areas reach the
// district and the other devices of their ward, and no other ward: a
// follow-up under its F0 case's ward, evidence under its venue's (or its
// inspection's), an outbreak area under the ward of the office that keeps
// it. A district device working on another ward's rows files them where
// they belong, not under its own home ward.
func TestNewTablesRoundTripByWard(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a1, c1 := h.enrolled(t, "a1", hub.RoleWard, "20236")
	a2, c2 := h.enrolled(t, "a2", hub.RoleWard, "20236")
	other, co := h.enrolled(t, "other", hub.RoleWard, "20239")
	// A district device whose home (first) ward is the other one.
	dist, cd := h.enrolled(t, "district", hub.RoleDistrict, "20239", "20236")

	v := venue("Quán Truy Vết", "20236")
	if err := a1.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	f0 := newPerson(t, a1, "Đỗ Văn Ca", "0905222001")
	contact := newPerson(t, a1, "Hà Thị Tiếp", "0905222002")
	second := newPerson(t, a1, "Lý Văn Hai", "0905222003")
	now := time.Now()
	c := &data.Case{PersonID: f0, ConfirmedOn: now, Status: "active"}
	c.WindowStart, c.WindowEnd = data.DefaultWindow(now.AddDate(0, 0, -3), now)
	if err := a1.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := a1.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: contact, Level: 1, Called: true}); err != nil {
		t.Fatal(err)
	}
	ev := &sqlite.Evidence{VenueID: v.ID, JPEG: snapshotJPEG(t), Caption: "Không dán mã QR"}
	if err := a1.AddEvidence(ctx, ev); err != nil {
		t.Fatal(err)
	}
	visit := inspect.Visit{}
	visit.VenueID, visit.Inspector = v.ID, "Nguyễn Văn Kiểm"
	if err := a1.StartInspection(ctx, &visit); err != nil {
		t.Fatal(err)
	}
	area := &sqlite.OutbreakArea{Name: "Phường Thanh Khê Tây", Notes: "Theo công văn 12/UBND"}
	if err := a1.AddOutbreakArea(ctx, area); err != nil {
		t.Fatal(err)
	}
	fu, err := a1.FollowUps(ctx, c.ID)
	if err != nil || len(fu) != 1 {
		t.Fatalf("follow-ups on a1: %v %v", fu, err)
	}
	for _, c := range []*Client{c1, c2, co, cd} {
		mustSync(t, c)
	}
	var contactRow data.ID
	a1Hashes, _ := a1.SyncRowHashes(ctx)
	for id := range a1Hashes["trace_contact"] {
		contactRow = mustParseHex(t, id)
	}
	rows := map[string]data.ID{"trace_contact": contactRow, "evidence": ev.ID, "outbreak_area": area.ID, "case_f0": c.ID}
	for table, id := range rows {
		if w := hubWards(t, h, table, id); len(w) != 1 || w[0] != "20236" {
			t.Errorf("%s filed under %v on the hub, want [20236]", table, w)
		}
		if !holds(t, a2, table, id) || !holds(t, dist, table, id) {
			t.Errorf("%s did not reach the ward's other devices", table)
		}
		if holds(t, other, table, id) {
			t.Errorf("%s reached a device of another ward", table)
		}
	}
	sameContentWards(t, h, []string{"20236"}, a1, a2)
	// The follow-up arrives as written (the note stays sealed, readable
	// with the district's key only).
	if got, err := a2.FollowUps(ctx, c.ID); err != nil || len(got) != 1 || !got[contact].Called {
		t.Fatalf("follow-ups on a2: %+v %v", got, err)
	}
	if got, err := a2.OutbreakAreas(ctx, time.Time{}); err != nil || len(got) != 1 || got[0].Name != area.Name {
		t.Fatalf("outbreak areas on a2: %+v %v", got, err)
	}
	if pic, err := a2.EvidenceJPEG(ctx, ev.ID); err != nil || len(pic) == 0 {
		t.Fatalf("evidence picture on a2: %v", err)
	}

	// The district device (home ward 20239) works on 20236's rows: a new
	// follow-up of 20236's case, an edit of a1's follow-up, the end of the
	// outbreak area, evidence of the inspection with no venue. Its replica
	// files them all under 20239; the hub puts them with their case,
	// their own first copy, their inspection.
	if err := dist.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: second, Level: 2}); err != nil {
		t.Fatal(err)
	}
	if err := dist.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: contact, Level: 1, Called: true, Reached: true}); err != nil {
		t.Fatal(err)
	}
	if err := dist.EndOutbreakArea(ctx, area.ID, now); err != nil {
		t.Fatal(err)
	}
	ev2 := &sqlite.Evidence{InspectionID: visit.ID, JPEG: snapshotJPEG(t), Caption: "Sổ ghi chép"}
	if err := dist.AddEvidence(ctx, ev2); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Client{cd, c1, c2, co} {
		mustSync(t, c)
	}
	distHashes, _ := dist.SyncRowHashes(ctx)
	for id := range distHashes["trace_contact"] {
		rows["trace_contact:"+id[:8]] = mustParseHex(t, id)
	}
	rows["evidence:2"] = ev2.ID
	for name, id := range rows {
		table, _, _ := strings.Cut(name, ":")
		if w := hubWards(t, h, table, id); len(w) != 1 || w[0] != "20236" {
			t.Errorf("%s filed under %v on the hub, want [20236]", name, w)
		}
		if holds(t, other, table, id) {
			t.Errorf("%s reached a device of another ward", name)
		}
	}
	if n := len(distHashes["trace_contact"]); n != 2 {
		t.Fatalf("district device has %d follow-ups, want 2", n)
	}
	sameContentWards(t, h, []string{"20236"}, a1, a2)
	got, err := a2.FollowUps(ctx, c.ID)
	if err != nil || len(got) != 2 || !got[contact].Reached || got[second].Level != 2 {
		t.Fatalf("follow-ups on a2 after the district's work: %+v %v", got, err)
	}
	if areas, _ := a2.OutbreakAreas(ctx, time.Time{}); len(areas) != 1 || areas[0].ActiveTo == nil {
		t.Fatalf("the end of the outbreak area did not reach a2: %+v", areas)
	}
	if list, err := a2.EvidenceList(ctx, data.NilID, visit.ID); err != nil || len(list) != 1 || list[0].ID != ev2.ID {
		t.Fatalf("evidence of the inspection on a2: %+v %v", list, err)
	}
	if hashes, _ := other.SyncRowHashes(ctx); len(hashes["trace_contact"])+len(hashes["evidence"])+len(hashes["outbreak_area"]) != 0 {
		t.Fatalf("another ward's device holds rows of 20236: %v", hashes)
	}
}

func mustParseHex(t *testing.T, s string) data.ID {
	t.Helper()
	var id data.ID
	if b, err := hex.DecodeString(s); err != nil || len(b) != len(id) {
		t.Fatalf("id %q: %v", s, err)
	} else {
		copy(id[:], b)
	}
	return id
}

// Follow-ups, evidence and outbreak areas written before these tables
// synced (their outbox entries were acknowledged unsent) are queued again
// by the replica's migration 0011, follow-ups under the id every device
// derives, and reach the district.
func TestRowsWrittenBeforeUpgradeReachTheDistrict(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a := newStore(t, "a")
	v := venue("Quán Cũ", "20236")
	if err := a.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	f0, contact := newPerson(t, a, "Đỗ Văn Ca", "0905222001"), newPerson(t, a, "Hà Thị Tiếp", "0905222002")
	now := time.Now()
	c := &data.Case{PersonID: f0, ConfirmedOn: now, Status: "active"}
	c.WindowStart, c.WindowEnd = data.DefaultWindow(now.AddDate(0, 0, -3), now)
	if err := a.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := a.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: contact, Level: 1, Called: true}); err != nil {
		t.Fatal(err)
	}
	ev := &sqlite.Evidence{VenueID: v.ID, JPEG: snapshotJPEG(t)}
	if err := a.AddEvidence(ctx, ev); err != nil {
		t.Fatal(err)
	}
	area := &sqlite.OutbreakArea{Name: "Xã Hòa Liên"}
	if err := a.AddOutbreakArea(ctx, area); err != nil {
		t.Fatal(err)
	}
	// Back to the state before the upgrade: a random follow-up id, no
	// outbox entries for the three tables, schema 10.
	path := a.Path()
	a.Close()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	old := data.NewID()
	for _, q := range []string{`UPDATE trace_contact SET id = ?`, `DELETE FROM outbox WHERE tbl IN ('trace_contact', 'evidence', 'outbreak_area') AND ? IS NOT NULL`,
		`DELETE FROM schema_migrations WHERE version >= 11 AND ? IS NOT NULL`} {
		if _, err := db.Exec(q, old[:]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	a, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fu := data.FollowUpID(c.ID, contact)
	if !holds(t, a, "trace_contact", fu) {
		t.Fatal("the follow-up was not re-keyed to its derived id")
	}
	if got, err := a.FollowUps(ctx, c.ID); err != nil || !got[contact].Called {
		t.Fatalf("follow-ups after the upgrade: %+v %v", got, err)
	}
	code, _ := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "a", time.Hour)
	if _, err := Enrol(ctx, a, h.srv.URL, code, "", "a"); err != nil {
		t.Fatal(err)
	}
	ca, err := New(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	b, cb := h.enrolled(t, "b", hub.RoleWard, "20236")
	mustSync(t, cb)
	for table, id := range map[string]data.ID{"trace_contact": fu, "evidence": ev.ID, "outbreak_area": area.ID} {
		if !hubHas(t, h, table, id) || !holds(t, b, table, id) {
			t.Errorf("%s written before the upgrade did not reach the district", table)
		}
	}
	sameContentWards(t, h, []string{"20236"}, a, b)
}

// The same contact followed up on two devices before they sync is one row
// (data.FollowUpID), merged on the hub: where the two tracers recorded
// different steps, the first to reach the hub is kept and the other is
// filed as a conflict for a district user. With random ids the two rows
// would clash on the replicas' (case, person) uniqueness and no sync could
// apply again.
func TestSameContactFollowedUpOnTwoDevices(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a1, c1 := h.enrolled(t, "a1", hub.RoleWard, "20236")
	a2, c2 := h.enrolled(t, "a2", hub.RoleWard, "20236")
	f0, contact := newPerson(t, a1, "Đỗ Văn Ca", "0905222001"), newPerson(t, a1, "Hà Thị Tiếp", "0905222002")
	now := time.Now()
	c := &data.Case{PersonID: f0, ConfirmedOn: now, Status: "active"}
	c.WindowStart, c.WindowEnd = data.DefaultWindow(now.AddDate(0, 0, -3), now)
	if err := a1.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	mustSync(t, c1)
	mustSync(t, c2)
	if err := a1.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: contact, Level: 1, Called: true}); err != nil {
		t.Fatal(err)
	}
	if err := a2.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: contact, Level: 1, Called: true, Isolated: true}); err != nil {
		t.Fatal(err)
	}
	fu := data.FollowUpID(c.ID, contact)
	for _, s := range []*sqlite.Store{a1, a2} {
		if !holds(t, s, "trace_contact", fu) {
			// SetFollowUp (data/sqlite/cases.go) does not derive the id
			// yet: re-key the rows as replica migration 0011 does.
			db, err := sql.Open("sqlite3", "file:"+s.Path()+"?_busy_timeout=5000")
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{`UPDATE outbox SET row_id = ? WHERE tbl = 'trace_contact'`, `UPDATE trace_contact SET id = ?`} {
				if _, err := db.Exec(q, fu[:]); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
		}
	}
	for _, cl := range []*Client{c1, c2, c1} {
		mustSync(t, cl)
	}
	sameContentWards(t, h, []string{"20236"}, a1, a2)
	for i, s := range []*sqlite.Store{a1, a2} {
		got, err := s.FollowUps(ctx, c.ID)
		if err != nil || len(got) != 1 || !got[contact].Called || got[contact].Isolated {
			t.Errorf("device %d: follow-ups %+v %v, want a1's", i+1, got, err)
		}
	}
	conflicts, err := a1.Conflicts(ctx, true)
	if err != nil || len(conflicts) != 1 || conflicts[0].Table != "trace_contact" || conflicts[0].Field != "isolated" {
		t.Fatalf("conflicts: %+v %v", conflicts, err)
	}
}
