package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
)

// newTestScreen opens a real replica with a few venues and shows the
// venues screen in a headless window.
func newTestScreen(t *testing.T) (*venuesScreen, fyne.Window, *sqlite.Store) {
	t.Helper()
	i18n.SetLanguage("vi")
	inline = true
	test.NewTempApp(t)
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "ui.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	for _, v := range []data.Venue{
		{Name: "Chợ Hàn", Category: "market", Address: "119 Trần Phú", WardCode: "20236"},
		{Name: "Cà phê Đống Đa", Category: "cafe", Address: "45 Đống Đa", WardCode: "20230"},
		{Name: "Tạp hóa Cô Ba", Category: "grocery", Address: "7 Lê Lợi", WardCode: "20239"},
		{Name: "Chợ Cồn", Category: "market", Address: "290 Hùng Vương", WardCode: "20239"},
	} {
		v.OwnerName, v.OwnerPhone = "Lê Thị Hồng", "0905123456"
		if err := store.CreateVenue(t.Context(), &v); err != nil {
			t.Fatal(err)
		}
	}
	w := test.NewTempWindow(t, nil)
	s := newVenuesScreen(store, w)
	w.SetContent(s.content)
	w.Resize(fyne.NewSize(1366, 768))
	waitFor(t, func() bool { return s.index.Len() == 4 })
	return s, w, store
}

// waitFor polls cond on the UI thread until it holds (background loads
// hand their results to the UI thread).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var ok bool
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// renderedLabels collects the text of every label drawn in the window.
func renderedLabels(w fyne.Window) []string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text != "" {
			out = append(out, l.Text)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTypingIntoSearchFiltersTheVenueList(t *testing.T) {
	s, w, _ := newTestScreen(t)
	// Given the full list
	if got := s.list.Length(); got != 4 {
		t.Fatalf("list shows %d rows", got)
	}
	// When the user types without diacritics
	test.Type(s.search, "cho han")
	// Then only Chợ Hàn is listed and drawn
	if got := s.list.Length(); got != 1 {
		t.Fatalf("after typing, list has %d rows", got)
	}
	labels := renderedLabels(w)
	if !contains(labels, "Chợ Hàn") || contains(labels, "Chợ Cồn") || contains(labels, "Cà phê Đống Đa") {
		t.Errorf("rendered labels: %q", labels)
	}
	if !contains(labels, "1 / 4 địa điểm") {
		t.Errorf("count label missing: %q", labels)
	}
	// đ/Đ folds to d
	s.search.SetText("")
	test.Type(s.search, "dong da")
	if s.list.Length() != 1 || !contains(renderedLabels(w), "Cà phê Đống Đa") {
		t.Errorf("dong da: %d rows, %q", s.list.Length(), renderedLabels(w))
	}
	// A query matching nothing says so.
	s.search.SetText("karaoke")
	if s.list.Length() != 0 || !contains(renderedLabels(w), i18n.T("venues.empty")) {
		t.Errorf("no-match state: %q", renderedLabels(w))
	}
}

func TestSelectingAVenueShowsItsDetails(t *testing.T) {
	s, w, _ := newTestScreen(t)
	test.Type(s.search, "tap hoa")
	s.list.Select(0)
	waitFor(t, func() bool { return contains(renderedLabels(w), "Lê Thị Hồng") })
	labels := renderedLabels(w)
	for _, want := range []string{"Tạp hóa Cô Ba", "0905 123 456", "7 Lê Lợi, Phường Hải Châu II, Quận Hải Châu",
		i18n.T("venue.no_inspections"), i18n.T("venue.no_violations"), i18n.T("venue.never_checked_in") + " · " + i18n.T("venue.checkins_total", 0)} {
		if !contains(labels, want) {
			t.Errorf("detail pane lacks %q", want)
		}
	}
}

func TestVenueFormShowsErrorsNextToFieldsThenSaves(t *testing.T) {
	s, _, store := newTestScreen(t)
	f := newVenueForm(s, nil)
	// Given an almost empty form with a bad phone
	test.Type(f.name, "Nhà hàng Sông Hàn")
	test.Type(f.phone, "0123")
	f.submit()
	// Then each problem is shown under its own field, in Vietnamese
	if got := f.fields["owner_phone"].Error; !got.Visible() || got.Text != i18n.T("err.phone_invalid", "0123") {
		t.Errorf("phone error %q visible=%v", got.Text, got.Visible())
	}
	for _, field := range []string{"category", "address", "ward", "owner_name"} {
		if e := f.fields[field].Error; !e.Visible() || e.Text != "Bắt buộc nhập" {
			t.Errorf("%s error %q", field, e.Text)
		}
	}
	if f.fields["name"].Error.Visible() {
		t.Error("name has an error although it was filled")
	}
	if c, _ := store.Counts(t.Context()); c.Venues != 4 {
		t.Fatalf("a venue was saved half-way: %d", c.Venues)
	}
	// When the user fixes them
	f.category.SetSelected(labelOf(categoryChoices(), "restaurant"))
	f.ward.SetSelected(labelOf(wardChoices(store.Units().Wards()), "20236"))
	test.Type(f.address, "3 Bạch Đằng")
	test.Type(f.owner, "Phạm Văn Đức")
	f.phone.SetText("+84 935 111 222")
	f.submit()
	// Then the venue is saved with the control method its category requires
	waitFor(t, func() bool { return s.index.Len() == 5 })
	rows, _ := store.SearchVenues(t.Context(), data.VenueFilter{Query: "song han"})
	if len(rows) != 1 || rows[0].OwnerPhone != "0935111222" || rows[0].ControlMethod != data.ControlStaffScan {
		t.Errorf("saved %+v", rows)
	}
}

func TestShellShowsTheNavigationRailInVietnamese(t *testing.T) {
	_, _, store := newTestScreen(t)
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	sh := newShell(a, w, store)
	w.SetContent(sh.content())
	var names []string
	for _, it := range sh.tabs.Items {
		names = append(names, it.Text)
	}
	want := "Địa điểm|Quét mã|Kiểm tra|Vi phạm|Truy vết|Báo cáo|Đồng bộ|Cài đặt"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("rail = %s", got)
	}
	i18n.SetLanguage("en")
	defer i18n.SetLanguage("vi")
	sh.rebuild()
	if sh.tabs.Items[0].Text != "Venues" || sh.tabs.Items[7].Text != "Settings" {
		t.Errorf("English rail: %s … %s", sh.tabs.Items[0].Text, sh.tabs.Items[7].Text)
	}
}
