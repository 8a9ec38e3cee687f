package syncclient

import (
	"context"
	"testing"

	"qrward/data/hub"
	"qrward/data/sqlite"
)

// Tables added after the first sync work travel too: a citizen report
// made on one device of a ward reaches the other device, sealed text and
// the venue owner included once both use the district's data key.
func TestCitizenReportsSync(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a, ca := h.enrolled(t, "a", hub.RoleWard, "20236")
	b, cb := h.enrolled(t, "b", hub.RoleWard, "20236")
	// The ward's devices share the district's data key, so sealed text
	// written on one is readable on the other.
	file, err := a.ExportDataKey(ctx, "chuyển giao khóa quận")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.JoinDistrictKey(ctx, file, "chuyển giao khóa quận"); err != nil {
		t.Fatal(err)
	}
	v := venue("Quán Phản Ánh", "20236")
	if err := a.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	r := &sqlite.CitizenReport{VenueID: v.ID, Channel: "app", Summary: "Không quét mã"}
	if err := a.AddCitizenReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := cb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := b.CitizenReports(ctx, v.ID)
	if err != nil || len(got) != 1 || got[0].ID != r.ID || got[0].Status != "open" || got[0].Summary != "Không quét mã" {
		t.Fatalf("on b: %+v %v", got, err)
	}
	// The owner synced with the venue is readable on b too.
	if bv, err := b.Venue(ctx, v.ID); err != nil || bv.OwnerName != v.OwnerName {
		t.Errorf("owner on b: %q %v", bv.OwnerName, err)
	}
	if n, _ := a.PendingCount(ctx); n != 0 {
		t.Errorf("%d changes left in a's outbox", n)
	}
}
