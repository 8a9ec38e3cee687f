package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

func inspectStore(t *testing.T) (*sqlite.Store, data.Venue) {
	t.Helper()
	i18n.SetLanguage("vi")
	inline = true
	test.NewTempApp(t)
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "inspect.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	v := data.Venue{Name: "Nhà hàng Sông Hàn", Category: "restaurant", Address: "1 Bạch Đằng", WardCode: "20236",
		OwnerName: "Lê Thị Hồng", OwnerPhone: "0905123456"}
	if err := store.CreateVenue(t.Context(), &v); err != nil {
		t.Fatal(err)
	}
	return store, v
}

// Each answer chosen on the checklist is in the replica at once; the
// draft reopens as left; finishing proposes the violations.
func TestInspectionChecklistSavesEveryAnswer(t *testing.T) {
	store, venue := inspectStore(t)
	w := test.NewTempWindow(t, nil)
	s := newInspectionsScreen(store, w)
	w.SetContent(s.content)
	w.Resize(fyne.NewSize(1366, 768))
	test.Type(s.search, "song han")
	if len(s.hits) != 1 {
		t.Fatalf("search found %d", len(s.hits))
	}
	s.list.Select(0)
	s.start()
	if s.visit.ID.IsZero() || len(s.radios) != 8 {
		t.Fatalf("draft not shown: %+v, %d items", s.visit, len(s.radios))
	}
	s.radios["staff_device"].SetSelected(i18n.T("answer.no"))
	got, _ := store.Visit(t.Context(), s.visit.ID)
	if got.Answers["staff_device"].Value != inspect.AnswerNo {
		t.Fatalf("answer not saved at once: %+v", got.Answers)
	}
	// A new screen (the laptop was closed) reopens the same draft.
	s2 := newInspectionsScreen(store, w)
	s2.openVenue(venue.ID)
	if s2.visit.ID != s.visit.ID || s2.radios["staff_device"].Selected != i18n.T("answer.no") {
		t.Fatalf("draft not restored")
	}
	s2.checkPoster("") // unreadable poster: a finding
	for _, r := range s2.radios {
		if r.Selected == "" {
			r.SetSelected(i18n.T("answer.yes"))
		}
	}
	s2.finish()
	if !strings.Contains(s2.status.Text, "01/BB-KT") || !strings.Contains(s2.status.Text, "đề xuất 2 vi phạm") {
		t.Errorf("status after finish: %q", s2.status.Text)
	}
}

// The violations screen lists open cases, applies a step from its
// buttons, and shows a suspended venue's case in red.
func TestViolationsScreenAppliesSteps(t *testing.T) {
	store, venue := inspectStore(t)
	vi := inspect.Violation{}
	vi.VenueID, vi.RuleID = venue.ID, "personal_measures"
	if err := store.CreateViolation(t.Context(), &vi, "test"); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	s := newViolationsScreen(store, w)
	w.SetContent(s.content)
	if len(s.rows) != 1 || s.count.Text != "1 hồ sơ" {
		t.Fatalf("rows %d, count %q", len(s.rows), s.count.Text)
	}
	s.list.Select(0)
	if s.current.ID != vi.ID {
		t.Fatal("case not shown")
	}
	s.apply(sqlite.StepInput{Action: inspect.ActRecord})
	if s.current.Status != inspect.StatusRecorded || s.rows[0].Status != inspect.StatusRecorded {
		t.Errorf("after record: %s", s.current.Status)
	}
	labels := renderedLabels(w)
	if !contains(labels, "đã lập biên bản") || !contains(labels, "Số tiền phạt: 2.000.000 đ") {
		t.Errorf("detail labels %q", labels)
	}
}
