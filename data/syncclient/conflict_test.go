package syncclient

import (
	"context"
	"testing"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/sqlite"
)

func editVenue(t *testing.T, s *sqlite.Store, id data.ID, fn func(*data.Venue)) {
	t.Helper()
	ctx := context.Background()
	v, err := s.Venue(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.OwnerName == "" { // sealed by another replica's key (see sync_test.go)
		v.OwnerID, v.OwnerName, v.OwnerPhone = data.NilID, "Trần Thị Bình", "0905000111"
	}
	fn(&v)
	if err := s.UpdateVenue(ctx, &v); err != nil {
		t.Fatal(err)
	}
}

func venueName(t *testing.T, s *sqlite.Store, id data.ID) (string, string) {
	t.Helper()
	v, err := s.Venue(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Name, v.Address
}

// A field changed on both sides keeps the hub's value and records a
// conflict; a field changed on one side only merges; a district user's
// decision for the device's value reaches every replica.
func TestConflictCreatedAndResolved(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a, ca := h.enrolled(t, "a", hub.RoleWard, "20236")
	d, cd := h.enrolled(t, "d", hub.RoleDistrict, "20236")
	v := venue("Quán Gốc", "20236")
	if err := a.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	mustSync(t, cd)

	editVenue(t, d, v.ID, func(x *data.Venue) { x.Name = "Quán Quận Sửa" })
	mustSync(t, cd)
	editVenue(t, a, v.ID, func(x *data.Venue) { x.Name = "Quán Phường Sửa"; x.Address = "99 Lê Lợi" })
	rep := mustSync(t, ca)
	if rep.Conflicts != 1 {
		t.Fatalf("conflicts reported = %d, want 1", rep.Conflicts)
	}
	name, addr := venueName(t, a, v.ID)
	if name != "Quán Quận Sửa" || addr != "99 Lê Lợi" {
		t.Fatalf("after merge a has %q, %q: want the hub's name and a's address", name, addr)
	}
	mustSync(t, cd)
	cs, err := d.Conflicts(ctx, true)
	if err != nil || len(cs) != 1 {
		t.Fatalf("district conflicts: %v %v", cs, err)
	}
	c := cs[0]
	if c.Field != "name" || c.HubValue != "Quán Quận Sửa" || c.DeviceValue != "Quán Phường Sửa" || c.FromDevice != a.DeviceID() {
		t.Fatalf("conflict = %+v", c)
	}
	// Pushing the same edit again records nothing new.
	if err := a.ResolveConflict(ctx, c.ID, true, "a"); data.ErrorCode(err) != data.EUnauthorized {
		t.Fatalf("a ward device resolved a conflict: %v", err)
	}
	if err := d.ResolveConflict(ctx, c.ID, true, "Lê Văn Quận"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, cd)
	mustSync(t, ca)
	for _, s := range []*sqlite.Store{a, d} {
		if name, _ := venueName(t, s, v.ID); name != "Quán Phường Sửa" {
			t.Fatalf("after resolution the name is %q", name)
		}
		cs, _ := s.Conflicts(ctx, false)
		if len(cs) != 1 || cs[0].Status != sqlite.ConflictTookDevice || cs[0].ResolvedBy != "Lê Văn Quận" {
			t.Fatalf("conflict after resolution: %+v", cs)
		}
	}
	sameContentWards(t, h, []string{"20236"}, a, d)
}

func sameContentWards(t *testing.T, h *testHub, wards []string, stores ...*sqlite.Store) {
	t.Helper()
	want, err := h.RowHashes(context.Background(), wards)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range stores {
		got, _ := s.SyncRowHashes(context.Background())
		if d := diff(want, got); d != "" {
			t.Errorf("replica %d differs from the hub: %s", i, d)
		}
	}
}
