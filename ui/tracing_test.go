package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
)

// newTracingTestScreen opens a replica with one venue, an F0 and three
// visitors, and shows the tracing screen headless.
func newTracingTestScreen(t *testing.T) (*tracingScreen, *sqlite.Store, map[string]data.ID) {
	t.Helper()
	i18n.SetLanguage("vi")
	inline = true
	test.NewTempApp(t)
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "trace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := t.Context()
	v := data.Venue{Name: "Chợ Hàn", Category: "market", Address: "119 Trần Phú", WardCode: "20236",
		OwnerName: "Lê Thị Hồng", OwnerPhone: "0905123456"}
	if err := store.CreateVenue(ctx, &v); err != nil {
		t.Fatal(err)
	}
	ids := map[string]data.ID{}
	for i, name := range []string{"Trần Văn Phúc", "Đặng Thị Hường", "Lê Văn Nam", "Võ Thị Xa"} {
		p := &data.Person{FullName: name, Phone: "090500000" + string(rune('1'+i))}
		if err := store.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids[name] = p.ID
	}
	at := time.Date(2021, 9, 12, 9, 0, 0, 0, trace.Vietnam)
	for name, offset := range map[string]time.Duration{"Trần Văn Phúc": 0, "Đặng Thị Hường": 20 * time.Minute,
		"Lê Văn Nam": -45 * time.Minute, "Võ Thị Xa": 3 * time.Hour} {
		if err := store.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, PersonID: ids[name], TimeIn: at.Add(offset),
			Source: data.SourceStaffScan}); err != nil {
			t.Fatal(err)
		}
	}
	w := test.NewTempWindow(t, nil)
	s := newTracingScreen(store, w)
	w.SetContent(s.content)
	w.Resize(fyne.NewSize(1366, 768))
	return s, store, ids
}

func TestTracingScreen(t *testing.T) {
	s, store, ids := newTracingTestScreen(t)
	if len(s.cases) != 0 || !s.runBtn.Disabled() {
		t.Fatal("a fresh replica shows cases or an active run button")
	}
	// Create the case from the F0's name typed without diacritics.
	var created data.ID
	var cerr error
	s.createCase("tran van phuc", "14/09/2021", "12/09/2021", func(id data.ID, err error) { created, cerr = id, err })
	if cerr != nil {
		t.Fatal(cerr)
	}
	s.reload(created)
	if len(s.cases) != 1 || s.current == nil || s.current.ID != created {
		t.Fatalf("case not selected: %d cases", len(s.cases))
	}
	if s.winStart.Text != "10/09/2021 00:00" || s.winEnd.Text != "15/09/2021 00:00" {
		t.Errorf("window %q – %q", s.winStart.Text, s.winEnd.Text)
	}
	// Counts before computing.
	if !strings.Contains(s.estimate.Text, "1 lượt quét của F0") || !strings.Contains(s.estimate.Text, "3 lượt quét") {
		t.Errorf("estimate %q", s.estimate.Text)
	}
	s.compute()
	if len(s.rows) != 2 || s.rows[0].Name != "Lê Văn Nam" || s.rows[1].Name != "Đặng Thị Hường" {
		t.Fatalf("rows %+v", s.rows)
	}
	if !strings.Contains(s.rows[0].Reason, "trước F0 45 phút") || s.exports[0].Disabled() {
		t.Errorf("reason %q", s.rows[0].Reason)
	}
	// Follow-up: pick a row, tick two steps, save; it is stored and shown.
	s.list.Select(1)
	s.steps["called"].SetChecked(true)
	s.steps["isolated"].SetChecked(true)
	s.note.SetText("Cách ly tại nhà")
	s.saveFollowUp()
	fus, err := store.FollowUps(t.Context(), created)
	if err != nil || !fus[ids["Đặng Thị Hường"]].Called || !fus[ids["Đặng Thị Hường"]].Isolated || fus[ids["Đặng Thị Hường"]].Reached {
		t.Errorf("follow-ups %+v %v", fus, err)
	}
	if !s.rows[1].FollowUp.Called {
		t.Error("row not updated")
	}
	// Narrowing the rule to ±30 min via the picker drops Lê Văn Nam (-45).
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "r.json"), []byte(`{"name":"tight30","method":"scan_window","window_minutes":30}`), 0o644)
	if err := s.loadRules(filepath.Join(dir, "r.json")); err != nil || !s.selectRule("tight30") {
		t.Fatalf("load rules: %v", err)
	}
	s.compute()
	if len(s.rows) != 1 || s.rows[0].Name != "Đặng Thị Hường" || !s.rows[0].FollowUp.Called {
		t.Fatalf("tight rule rows %+v", s.rows)
	}
	// Exports.
	for _, kind := range []string{"pdf", "xlsx", "csv"} {
		path := filepath.Join(dir, "out."+kind)
		msg, err := s.export(kind, path)
		if err != nil || msg == "" {
			t.Fatalf("%s: %v", kind, err)
		}
		b, _ := os.ReadFile(path)
		switch kind {
		case "pdf":
			if !bytes.HasPrefix(b, []byte("%PDF")) {
				t.Error("not a PDF")
			}
		case "csv":
			if !bytes.HasPrefix(b, []byte("\ufeffname,phone")) || !strings.Contains(string(b), "Đặng Thị Hường,0905000002") {
				t.Errorf("call list %q", b)
			}
		}
	}
	// Editing the window: a reversed window is refused with a message.
	s.winEnd.SetText("01/09/2021 00:00")
	s.saveWindow()
	if c, _ := store.Case(t.Context(), created); c.WindowEnd.Before(c.WindowStart) {
		t.Error("reversed window saved")
	}
}

func TestTracingScreenCaseErrors(t *testing.T) {
	s, _, _ := newTracingTestScreen(t)
	var got error
	s.createCase("", "99/99/2021", "", func(_ data.ID, err error) { got = err })
	fields := map[string]string{}
	for _, f := range data.FieldErrors(got) {
		fields[f.Field] = f.Key
	}
	if fields["person"] != "err.required" || fields["confirmed_on"] != "err.case_date_invalid" {
		t.Errorf("fields %v", fields)
	}
	s.createCase("khong co ai", "14/09/2021", "", func(_ data.ID, err error) { got = err })
	if data.ErrorCode(got) != data.ENotFound || !strings.Contains(i18n.Error(got), "Không tìm thấy") {
		t.Errorf("unknown person: %v", got)
	}
	// By phone, in any written form.
	s.createCase("+84 905 000 003", "14/09/2021", "", func(_ data.ID, err error) { got = err })
	if got != nil {
		t.Errorf("by phone: %v", got)
	}
}

func TestDashboardScreen(t *testing.T) {
	i18n.SetLanguage("vi")
	inline = true
	test.NewTempApp(t)
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "dash.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := t.Context()
	now := time.Date(2021, 9, 20, 12, 0, 0, 0, trace.Vietnam)
	store.Now = func() time.Time { return now }
	var venues []data.Venue
	for _, name := range []string{"Chợ Hàn", "Cà phê Đống Đa"} {
		v := data.Venue{Name: name, Category: "market", Address: "1 Trần Phú", WardCode: "20236",
			OwnerName: "Lê Thị Hồng", OwnerPhone: "0905123456"}
		if name != "Chợ Hàn" {
			v.OwnerPhone = "0905123457"
		}
		if err := store.CreateVenue(ctx, &v); err != nil {
			t.Fatal(err)
		}
		venues = append(venues, v)
	}
	// A venue whose owner has no phone can only come from a bulk load
	// (sync, old data): the form requires one.
	b, err := store.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ward, _ := store.Units().Ward("20239")
	meta := data.SyncMeta{CreatedAt: now, UpdatedAt: now}
	owner := data.Person{ID: data.NewID(), FullName: "Ông Không Số", SyncMeta: meta}
	third := data.Venue{ID: data.NewID(), Code: "20239-9999", Name: "Tạp hóa Cô Ba", Category: "grocery", Address: "7 Lê Lợi",
		WardDataset: ward.Dataset, WardCode: "20239", OwnerID: owner.ID, ControlMethod: data.ControlVenueQR,
		Status: data.VenueOpen, Commitment: data.CommitmentApproved, RegisteredOn: now.AddDate(0, -1, 0), SyncMeta: meta}
	if err := b.Person(&owner); err != nil {
		t.Fatal(err)
	}
	if err := b.Venue(&third); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(nil); err != nil {
		t.Fatal(err)
	}
	for d := 0; d < 3; d++ {
		if err := store.AddCheckin(ctx, &data.Checkin{VenueID: venues[0].ID, TimeIn: now.AddDate(0, 0, -d), Source: data.SourceStaffScan}); err != nil {
			t.Fatal(err)
		}
	}
	w := test.NewTempWindow(t, nil)
	s := newDashboardScreen(store, w)
	w.SetContent(s.content)
	w.Resize(fyne.NewSize(1366, 768))
	if s.st == nil || len(s.st.Days) != 7 {
		t.Fatalf("stats not shown: %+v", s.st)
	}
	// Two silent venues (never scanned); the summary counts 3 scans.
	if s.st.SilentTotal != 2 || s.silentList.Length() != 2 || !strings.Contains(s.summary.Text, "3 lượt quét") ||
		!strings.Contains(s.summary.Text, "3 địa điểm đăng ký") {
		t.Errorf("silent %d, summary %q", s.st.SilentTotal, s.summary.Text)
	}
	if s.trend.Image == nil || s.bars.Image == nil {
		t.Error("charts not drawn")
	}
	// Filter by ward 20239: one venue, silent.
	s.ward.SetSelected(s.wards[len(s.wards)-1].label)
	for _, c := range s.wards {
		if c.key == "20239" {
			s.ward.SetSelected(c.label)
		}
	}
	if len(s.st.Wards) != 1 || s.st.SilentTotal != 1 {
		t.Errorf("ward filter: %d wards, %d silent", len(s.st.Wards), s.st.SilentTotal)
	}
	// Reminders: the 20239 venue's owner has no phone, so it is counted.
	path := filepath.Join(t.TempDir(), "sms.csv")
	msg, err := s.writeReminders(ctx, path)
	if err != nil || !strings.Contains(msg, "0 chủ cơ sở") || !strings.Contains(msg, "1 chủ cơ sở không có") {
		t.Errorf("reminders: %q %v", msg, err)
	}
	// All wards again: both silent venues, one with a phone.
	s.ward.SetSelected(s.wards[0].label)
	msg, _ = s.writeReminders(ctx, path)
	csvData, _ := os.ReadFile(path)
	if !strings.Contains(msg, "1 chủ cơ sở trong") || !strings.Contains(string(csvData), "Cà phê Đống Đa") ||
		!strings.Contains(string(csvData), "0905123457") {
		t.Errorf("all wards: %q\n%s", msg, csvData)
	}
}
