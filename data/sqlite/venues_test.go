package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"qrward/data"
)

func fieldKeys(err error) map[string]string {
	out := map[string]string{}
	for _, f := range data.FieldErrors(err) {
		out[f.Field] = f.Key
	}
	return out
}

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.ro.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateVenueNormalisesAndQueuesForSync(t *testing.T) {
	s := newTestStore(t)
	s.Now = func() time.Time { return fixedNow }
	v := validVenue("  Nhà hàng   Phố Biển ")
	if err := s.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("%02X%02X", s.DeviceID()[14], s.DeviceID()[15])
	if v.Code != "20236-"+tag+"-001" || v.ID.IsZero() || v.OwnerPhone != "0905123456" {
		t.Errorf("created %+v", v)
	}
	got, err := s.Venue(t.Context(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Nhà hàng Phố Biển" || got.OwnerName != "Nguyễn Văn An" || got.OwnerPhone != "0905123456" ||
		got.ControlMethod != data.ControlStaffScan || got.Status != data.VenueOpen || got.Version != 1 ||
		got.WardDataset != "vn-2021" || got.DeviceID != s.DeviceID() {
		t.Errorf("read back %+v", got)
	}
	// venue + owner person queued in the outbox, same transaction.
	pending, _ := s.PendingChanges(t.Context(), 0, 10)
	if len(pending) != 2 || pending[0].Table != "person" || pending[1].Table != "venue" || pending[1].RowID != v.ID {
		t.Errorf("outbox = %+v", pending)
	}
	// The second venue of the ward gets the next code.
	v2 := validVenue("Cà phê Sáng")
	if err := s.CreateVenue(t.Context(), v2); err != nil || v2.Code != "20236-"+tag+"-002" {
		t.Errorf("second code %q, %v", v2.Code, err)
	}
}

func TestCreateVenueReportsEveryFieldAndSavesNothing(t *testing.T) {
	s := newTestStore(t)
	v := &data.Venue{Category: "casino", WardCode: "99999", OwnerPhone: "0123"}
	err := s.CreateVenue(t.Context(), v)
	if data.ErrorCode(err) != data.EInvalid {
		t.Fatalf("err = %v", err)
	}
	want := map[string]string{
		"name": "err.required", "category": "err.category_unknown", "address": "err.required",
		"ward": "err.ward_unknown", "owner_name": "err.required", "owner_phone": "err.phone_invalid",
	}
	got := fieldKeys(err)
	for f, k := range want {
		if got[f] != k {
			t.Errorf("field %s: %q, want %q", f, got[f], k)
		}
	}
	if n := countRows(t, s, "venue"); n != 0 {
		t.Errorf("%d venues saved", n)
	}
	if n := countRows(t, s, "outbox"); n != 0 {
		t.Errorf("%d outbox rows", n)
	}
}

func TestDuplicateVenueCodeRollsBackOwner(t *testing.T) {
	s := newTestStore(t)
	a := validVenue("A")
	a.Code = "hc-1"
	if err := s.CreateVenue(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	people := countRows(t, s, "person")
	b := validVenue("B")
	b.Code = "HC-1"
	err := s.CreateVenue(t.Context(), b)
	if fieldKeys(err)["code"] != "err.venue_code_taken" {
		t.Fatalf("err = %v", err)
	}
	if countRows(t, s, "person") != people {
		t.Error("owner of the refused venue was saved")
	}
}

func TestUpdateVenueDetectsStaleVersion(t *testing.T) {
	s := newTestStore(t)
	v := validVenue("Quán Mì Quảng Bà Mua")
	if err := s.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	first, _ := s.Venue(t.Context(), v.ID)
	second := first
	first.Status = data.VenueSuspended
	first.OwnerPhone = "0162 123 4567"
	if err := s.UpdateVenue(t.Context(), &first); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Venue(t.Context(), v.ID)
	if got.Status != data.VenueSuspended || got.Version != 2 || got.OwnerPhone != "0321234567" {
		t.Errorf("after update %+v", got)
	}
	second.Name = "Tên khác"
	if err := s.UpdateVenue(t.Context(), &second); data.ErrorCode(err) != data.EConflict {
		t.Errorf("stale update: %v", err)
	}
	if got, _ := s.Venue(t.Context(), v.ID); got.Name != "Quán Mì Quảng Bà Mua" {
		t.Error("stale update overwrote the venue")
	}
}

func TestSearchVenues(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	add := func(name, category, address, ward, phone string) *data.Venue {
		v := &data.Venue{Name: name, Category: category, Address: address, WardCode: ward,
			OwnerName: "Trần Thị Bình", OwnerPhone: phone}
		if err := s.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	han := add("Chợ Hàn", "market", "119 Trần Phú", "20236", "0905111222")
	add("Cà phê Đống Đa", "cafe", "45 Đống Đa", "20230", "0935333444")
	grocery := add("Tạp hóa Cô Ba", "grocery", "7 Lê Lợi", "20239", "0701999888")
	add("Nhà hàng Hải Sản", "restaurant", "3 Bạch Đằng", "20236", "0389777666")
	if err := s.AddCheckin(ctx, &data.Checkin{VenueID: han.ID, TimeIn: time.Now().Add(-time.Hour), Source: data.SourceStaffScan}); err != nil {
		t.Fatal(err)
	}
	yes := true
	cases := []struct {
		name string
		f    data.VenueFilter
		want []string
	}{
		{"folded query", data.VenueFilter{Query: "cho han"}, []string{"Chợ Hàn"}},
		{"đ folds to d", data.VenueFilter{Query: "dong da"}, []string{"Cà phê Đống Đa"}},
		{"upper case with marks", data.VenueFilter{Query: "ĐỐNG"}, []string{"Cà phê Đống Đa"}},
		{"by address", data.VenueFilter{Query: "tran phu"}, []string{"Chợ Hàn"}},
		{"by ward name", data.VenueFilter{Query: "hai chau ii"}, []string{"Tạp hóa Cô Ba"}},
		{"substring of a longer ward name", data.VenueFilter{Query: "hai chau i"}, []string{"Chợ Hàn", "Nhà hàng Hải Sản", "Tạp hóa Cô Ba"}},
		{"phone with dots", data.VenueFilter{Query: "0905.111"}, []string{"Chợ Hàn"}},
		{"by phone", data.VenueFilter{Query: "0701999"}, []string{"Tạp hóa Cô Ba"}},
		{"by phone +84", data.VenueFilter{Query: "+84 701 999 888"}, []string{}},
		{"by phone +84 joined", data.VenueFilter{Query: "+84701999888"}, []string{"Tạp hóa Cô Ba"}},
		{"by code", data.VenueFilter{Query: grocery.Code}, []string{"Tạp hóa Cô Ba"}},
		{"ward filter", data.VenueFilter{WardCode: "20236"}, []string{"Chợ Hàn", "Nhà hàng Hải Sản"}},
		{"category filter", data.VenueFilter{Category: "cafe"}, []string{"Cà phê Đống Đa"}},
		{"control filter", data.VenueFilter{ControlMethod: data.ControlVenueQR}, []string{"Tạp hóa Cô Ba"}},
		{"has QR none", data.VenueFilter{HasQR: &yes}, []string{}},
		{"silent 7 days", data.VenueFilter{SilentDays: 7}, []string{"Cà phê Đống Đa", "Nhà hàng Hải Sản", "Tạp hóa Cô Ba"}},
		{"no match", data.VenueFilter{Query: "karaoke"}, []string{}},
		{"all words must match", data.VenueFilter{Query: "cho bach dang"}, []string{}},
	}
	for _, c := range cases {
		rows, err := s.SearchVenues(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, r := range rows {
			got = append(got, r.Name)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %q, want %q", c.name, got, c.want)
				break
			}
		}
	}
}

func TestImportVenuesIsAllOrNothing(t *testing.T) {
	s := newTestStore(t)
	good := *validVenue("Một")
	bad := *validVenue("Hai")
	bad.OwnerPhone = "12"
	err := s.ImportVenues(t.Context(), []data.Venue{good, bad}, nil)
	if data.ErrorCode(err) != data.EInvalid {
		t.Fatalf("err = %v", err)
	}
	if n := countRows(t, s, "venue"); n != 0 {
		t.Fatalf("%d venues saved by a failed import", n)
	}
	var calls int
	ok := []data.Venue{*validVenue("Một"), *validVenue("Hai"), *validVenue("Ba")}
	if err := s.ImportVenues(t.Context(), ok, func(done, total int) { calls++ }); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "venue"); n != 3 || calls != 3 {
		t.Errorf("venues %d, progress calls %d", n, calls)
	}
}

func TestCheckinUpdatesVenueAndHistory(t *testing.T) {
	s := newTestStore(t)
	now := time.Date(2021, 9, 15, 12, 0, 0, 0, time.Local)
	s.Now = func() time.Time { return now }
	v := validVenue("Siêu thị Hoa Sen")
	v.Category = "supermarket"
	if err := s.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	for _, back := range []time.Duration{0, time.Hour, 24 * time.Hour, 49 * time.Hour} {
		if err := s.AddCheckin(t.Context(), &data.Checkin{VenueID: v.ID, TimeIn: now.Add(-back), Source: data.SourceStaffScan}); err != nil {
			t.Fatal(err)
		}
	}
	err := s.AddCheckin(t.Context(), &data.Checkin{VenueID: data.NewID(), TimeIn: now, Source: data.SourceStaffScan})
	if err == nil {
		t.Error("check-in at an unknown venue accepted (foreign key)")
	}
	h, err := s.VenueHistory(t.Context(), v.ID, 7)
	if err != nil {
		t.Fatal(err)
	}
	counts := []int{}
	for _, d := range h.CheckinsPerDay {
		counts = append(counts, d.Count)
	}
	if len(counts) != 7 || counts[6] != 2 || counts[5] != 1 || counts[4] != 1 {
		t.Errorf("per day %v", counts)
	}
	got, _ := s.Venue(t.Context(), v.ID)
	if got.LastCheckinAt == nil || !got.LastCheckinAt.Equal(now) {
		t.Errorf("last check-in %v", got.LastCheckinAt)
	}
	var tombstones sql.NullInt64
	s.ro.QueryRow(`SELECT COUNT(deleted_at) FROM checkin`).Scan(&tombstones)
	if tombstones.Int64 != 0 {
		t.Error("unexpected tombstones")
	}
}

// Two devices of one ward, offline, never hand out the same venue code.
func TestVenueCodesDoNotCollideAcrossDevices(t *testing.T) {
	a, b := newTestStore(t), newTestStore(t)
	va, vb := validVenue("Quán A"), validVenue("Quán B")
	if err := a.CreateVenue(t.Context(), va); err != nil {
		t.Fatal(err)
	}
	if err := b.CreateVenue(t.Context(), vb); err != nil {
		t.Fatal(err)
	}
	if va.Code == vb.Code {
		t.Errorf("both devices issued %s", va.Code)
	}
}
