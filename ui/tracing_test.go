package ui

import (
	"bytes"
	"encoding/hex"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
	"qrward/scan/camera"
	"qrward/ui/widgets"
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

// tracingCase records Trần Văn Phúc's case through the screen and selects
// it.
func tracingCase(t *testing.T, s *tracingScreen) data.ID {
	t.Helper()
	var created data.ID
	var cerr error
	s.createCase("tran van phuc", "14/09/2021", "12/09/2021", func(id data.ID, err error) { created, cerr = id, err })
	if cerr != nil {
		t.Fatal(cerr)
	}
	s.reload(created)
	if s.current == nil || s.current.ID != created {
		t.Fatal("case not selected")
	}
	return created
}

// visibleButton finds a shown button by its text under o.
func visibleButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Visible() && b.Text == text {
			return b
		}
	}
	return nil
}

func rowNames(rows []trace.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

func TestTracingManualVisits(t *testing.T) {
	s, store, _ := newTracingTestScreen(t)
	ctx := t.Context()
	w := s.win
	// A second venue, where Phan Văn Tèo had a coffee on the 13th: no scan
	// of the F0 there, so he is no contact yet.
	cafe := data.Venue{Name: "Cà phê Đống Đa", Category: "cafe", Address: "5 Đống Đa", WardCode: "20236",
		OwnerName: "Ngô Văn Ba", OwnerPhone: "0905123457"}
	if err := store.CreateVenue(ctx, &cafe); err != nil {
		t.Fatal(err)
	}
	teo := &data.Person{FullName: "Phan Văn Tèo", Phone: "0905000009"}
	if err := store.CreatePerson(ctx, teo); err != nil {
		t.Fatal(err)
	}
	if err := store.AddCheckin(ctx, &data.Checkin{VenueID: cafe.ID, PersonID: teo.ID,
		TimeIn: time.Date(2021, 9, 13, 15, 20, 0, 0, trace.Vietnam), Source: data.SourceStaffScan}); err != nil {
		t.Fatal(err)
	}
	if !s.addVisit.Disabled() {
		t.Error("add visit enabled without a case")
	}
	caseID := tracingCase(t, s)
	if s.addVisit.Disabled() || len(s.visits) != 1 || s.visits[0].Source != trace.VisitCheckin {
		t.Fatalf("visits %+v", s.visits)
	}
	if labels := renderedLabels(w); !contains(labels, "12/09/2021 09:00 · "+s.visits[0].VenueCode+" Chợ Hàn · quét mã") {
		t.Errorf("check-in visit not shown: %q", labels)
	}
	if visibleButton(w.Content(), "Xóa") != nil {
		t.Error("a check-in can be deleted")
	}
	s.compute()
	if names := rowNames(s.rows); contains(names, "Phan Văn Tèo") || len(names) != 2 {
		t.Fatalf("rows before %v", names)
	}

	// The button opens the form; nothing filled in: every problem under
	// its field, in Vietnamese, and nothing stored.
	test.Tap(s.addVisit)
	f := s.vform
	if f == nil || f.index == nil {
		t.Fatal("form not opened or venues not loaded")
	}
	stored := func() int {
		vs, err := store.CaseVisits(ctx, caseID)
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}
	fieldErr := func(name string) string {
		if fl := f.fields[name]; fl.Error.Visible() {
			return fl.Error.Text
		}
		return ""
	}
	test.Tap(f.save)
	if fieldErr("venue") != "Bắt buộc nhập" || fieldErr("time_in") != "Bắt buộc nhập" || !f.summary.Visible() ||
		f.summary.Text != "Vui lòng sửa các lỗi được đánh dấu." {
		t.Errorf("empty form: venue %q, time_in %q, summary %q", fieldErr("venue"), fieldErr("time_in"), f.summary.Text)
	}
	// A bad time.
	test.Type(f.in, "31/02/2021 25:00")
	test.Tap(f.save)
	if got := fieldErr("time_in"); got != "Thời điểm không hợp lệ: 31/02/2021 25:00 (dạng dd/mm/yyyy HH:MM)" {
		t.Errorf("bad time: %q", got)
	}
	// The venue by name without diacritics: one hit, chosen at once.
	test.Type(f.search, "dong da")
	if f.venue == nil || f.venue.ID != cafe.ID || f.chosen.Text != "Đã chọn: "+cafe.Code+" · Cà phê Đống Đa · 5 Đống Đa" {
		t.Fatalf("venue search: %+v %q", f.venue, f.chosen.Text)
	}
	// Time out before time in (HH:MM alone is the same day).
	f.in.SetText("13/09/2021 15:00")
	f.out.SetText("14:00")
	test.Tap(f.save)
	if fieldErr("time_out") != "Giờ ra trước giờ vào" || fieldErr("venue") != "" || fieldErr("time_in") != "" {
		t.Errorf("out < in: out %q venue %q in %q", fieldErr("time_out"), fieldErr("venue"), fieldErr("time_in"))
	}
	if n := stored(); n != 1 {
		t.Fatalf("invalid input stored: %d visits", n)
	}
	// By code this time, then a valid visit.
	f.search.SetText("")
	test.Type(f.search, cafe.Code)
	if f.venue == nil || f.venue.ID != cafe.ID {
		t.Fatal("venue by code not chosen")
	}
	f.out.SetText("16:00")
	f.note.SetText("Phỏng vấn: uống cà phê với bạn")
	test.Tap(f.save)
	vs, err := store.CaseVisits(ctx, caseID)
	if err != nil || len(vs) != 2 {
		t.Fatalf("visits %+v %v", vs, err)
	}
	m := vs[1]
	if m.Source != trace.VisitManual || m.VenueID != cafe.ID || !m.In.Equal(time.Date(2021, 9, 13, 15, 0, 0, 0, trace.Vietnam)) ||
		m.Out == nil || !m.Out.Equal(time.Date(2021, 9, 13, 16, 0, 0, 0, trace.Vietnam)) || m.Note != "Phỏng vấn: uống cà phê với bạn" {
		t.Errorf("stored %+v", m)
	}
	// The screen: list, estimate and status follow.
	if len(s.visits) != 2 || !strings.Contains(s.estimate.Text, "1 lượt bổ sung thủ công") ||
		!strings.Contains(s.status.Text, "Đã thêm lượt đến Cà phê Đống Đa lúc 13/09/2021 15:00.") ||
		!strings.Contains(s.status.Text, "Lập danh sách") {
		t.Errorf("screen after add: %d visits, estimate %q, status %q", len(s.visits), s.estimate.Text, s.status.Text)
	}
	labels := renderedLabels(w)
	if !contains(labels, "13/09/2021 15:00 – 16:00 · "+cafe.Code+" Cà phê Đống Đa · bổ sung thủ công · Phỏng vấn: uống cà phê với bạn") {
		t.Errorf("manual visit not shown: %q", labels)
	}
	// The next list uses it: Phan Văn Tèo is an F1 through the added visit.
	s.compute()
	var found *trace.Row
	for i := range s.rows {
		if s.rows[i].Name == "Phan Văn Tèo" {
			found = &s.rows[i]
		}
	}
	if found == nil || found.Level != 1 || !strings.Contains(found.Reason, "tổ truy vết bổ sung") || len(s.rows) != 3 {
		t.Fatalf("rows after add %v", rowNames(s.rows))
	}

	// Delete through the row's button and the confirmation.
	del := visibleButton(w.Content(), "Xóa")
	if del == nil {
		t.Fatal("no delete button on the manual visit")
	}
	test.Tap(del)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no confirmation")
	}
	if !contains(renderedLabelsOf(top), "Xóa lượt đến Cà phê Đống Đa lúc 13/09/2021 15:00? Lần lập danh sách sau sẽ không tính lượt này.") {
		t.Errorf("confirmation %q", renderedLabelsOf(top))
	}
	yes := visibleButton(top, "Xóa")
	if yes == nil {
		t.Fatal("no confirm button")
	}
	test.Tap(yes)
	if n := stored(); n != 1 || len(s.visits) != 1 || !strings.Contains(s.estimate.Text, "0 lượt bổ sung thủ công") ||
		!strings.Contains(s.status.Text, "Đã xóa lượt đến Cà phê Đống Đa") {
		t.Errorf("after delete: %d stored, %d shown, estimate %q, status %q", n, len(s.visits), s.estimate.Text, s.status.Text)
	}
	s.compute()
	if names := rowNames(s.rows); contains(names, "Phan Văn Tèo") || len(names) != 2 {
		t.Errorf("rows after delete %v", names)
	}
}

func renderedLabelsOf(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Visible() && l.Text != "" {
			out = append(out, l.Text)
		}
	}
	return out
}

// qrPNG writes text as a QR code image, the way a phone screen or a
// printed card is photographed (with a white margin).
func qrPNG(t *testing.T, name, text string) (string, []byte) {
	t.Helper()
	png, err := qrcode.Encode(text, qrcode.Medium, 360)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, png
}

// Health-insurance names are hex-encoded UTF-8.
func bhytText(name string, birth string) string {
	return "DN4797915123456|" + hex.EncodeToString([]byte(name)) + "|" + birth + "|2|" +
		hex.EncodeToString([]byte("Hải Châu, Đà Nẵng")) + "|48 - 001|01/01/2021|31/12/2021"
}

func TestTracingFindF0ByScannedCode(t *testing.T) {
	s, store, _ := newTracingTestScreen(t)
	ctx := t.Context()
	widgets.Beep = func() {}
	t.Cleanup(func() { widgets.Beep = func() {} })
	// The F0, and a namesake born three years later.
	han := &data.Person{FullName: "Nguyễn Lê Khả Hân", Phone: "0905123456", IDNumber: "001093029317", BirthDate: "1987-01-18"}
	other := &data.Person{FullName: "Nguyễn Lê Khả Hân", Phone: "0905999888", BirthDate: "1990-03-02"}
	for _, p := range []*data.Person{han, other} {
		if err := store.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	codes := []struct{ name, text, kind string }{
		{"cccd.png", "001093029317|012345678|Nguyễn Lê Khả Hân|18011987|Nữ|Số 1 Hùng Vương, Hải Châu|10072021",
			"mã QR căn cước công dân"},
		// Masked ID and a QID the replica does not know: matched on the
		// visible digits, the name and the birth year.
		{"qrqg.png", "******029317|NGUYEN LE KHA HAN|1987-**-**|0|162979388586171100|", "mã QR cá nhân"},
		// Name and birth date only: the namesake born in 1990 is not her.
		{"bhyt.png", bhytText("Nguyễn Lê Khả Hân", "18/01/1987"), "mã QR thẻ bảo hiểm y tế"},
	}
	for _, c := range codes {
		path, b := qrPNG(t, c.name, c.text)
		res, err := readPersonImage(ctx, store, path, b)
		if err != nil || len(res.People) != 1 || res.People[0].ID != han.ID || res.Text != c.text {
			t.Fatalf("%s: %+v %v", c.name, res, err)
		}
		// Through the dialog's form: the code fills the search field and
		// the line under it names her.
		f := s.newCaseForm()
		f.readImage(c.name, b)
		if f.who.Text != c.text || f.found.Text != "Đã đọc "+c.kind+": Nguyễn Lê Khả Hân · 0905123456" ||
			f.found.Importance == widget.DangerImportance {
			t.Errorf("%s: who %q, line %q", c.name, f.who.Text, f.found.Text)
		}
	}
	// Creating the case from the filled field records it for her.
	f := s.newCaseForm()
	f.readImage("cccd.png", must2(qrPNG(t, "cccd.png", codes[0].text)))
	var created data.ID
	var cerr error
	s.createCase(f.who.Text, "14/09/2021", "", func(id data.ID, err error) { created, cerr = id, err })
	if c, err := store.Case(ctx, created); cerr != nil || err != nil || c.PersonID != han.ID {
		t.Fatalf("case from scan: %+v %v %v", c, cerr, err)
	}

	// Errors, in Vietnamese under the field.
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range blank.Pix {
		blank.Pix[i] = 0xff
	}
	var buf bytes.Buffer
	png.Encode(&buf, blank)
	f = s.newCaseForm()
	f.readImage("trang.png", buf.Bytes())
	if f.found.Text != "Không tìm thấy mã QR nào trong ảnh trang.png" || f.found.Importance != widget.DangerImportance ||
		f.who.Text != "" {
		t.Errorf("no code: %q", f.found.Text)
	}
	f.readImage("hong.png", []byte("not an image"))
	if f.found.Text != "Không đọc được tệp ảnh hong.png" {
		t.Errorf("unreadable: %q", f.found.Text)
	}
	f.readImage("venue.png", must2(qrPNG(t, "venue.png", "https://tokhaiyte.vn/?page=Group.checkin&groupId=60F1A2B3C4D5E6F708192A3B")))
	if !strings.HasPrefix(f.found.Text, "Đây là mã QR địa điểm (tokhaiyte.vn), không phải mã cá nhân") || f.who.Text != "" {
		t.Errorf("venue code: %q", f.found.Text)
	}
	// A personal code of somebody the replica does not know.
	f.readImage("x.png", must2(qrPNG(t, "x.png", "048201000123||Đặng Văn Đức|01012001|Nam")))
	if f.found.Text != "Đã đọc mã QR căn cước công dân nhưng không tìm thấy người này trong dữ liệu" {
		t.Errorf("unknown person: %q", f.found.Text)
	}
	// The namesake's card without a birth year match finds nobody.
	if res, err := readPersonImage(ctx, store, "b.png", must2(qrPNG(t, "b.png", bhytText("Nguyễn Lê Khả Hân", "1975")))); err != nil ||
		len(res.People) != 0 {
		t.Errorf("BHYT born 1975: %+v %v", res.People, err)
	}
}

func must2(_ string, b []byte) []byte { return b }

func TestTracingCameraScan(t *testing.T) {
	s, store, _ := newTracingTestScreen(t)
	ctx := t.Context()
	widgets.Beep = func() {}
	t.Cleanup(func() { widgets.Beep = func() {} })
	han := &data.Person{FullName: "Nguyễn Lê Khả Hân", Phone: "0905123456", QID: "162979388586171100", BirthDate: "1987-01-18"}
	if err := store.CreatePerson(ctx, han); err != nil {
		t.Fatal(err)
	}
	// No camera: the button says so and is disabled.
	s.cams = camera.NewReplayProvider()
	f := s.newCaseForm()
	f.findCameras()
	if !f.camBtn.Disabled() || f.camBtn.Text != "Không có camera" {
		t.Errorf("no camera: %q disabled=%v", f.camBtn.Text, f.camBtn.Disabled())
	}
	// A replayed camera showing a venue code, then her personal QR code.
	seq, err := camera.GenerateSequence(camera.SequenceOptions{Seed: 5, Scenes: []camera.Scene{
		{Frames: 5}, {Text: "https://tokhaiyte.vn/?page=Group.checkin&groupId=60F1A2B3C4D5E6F708192A3B", Frames: 25},
		{Frames: 5}, {Text: stationCode, Frames: 25}, {Frames: 30}}})
	if err != nil {
		t.Fatal(err)
	}
	s.cams = camera.NewReplayProvider(camera.ReplayDevice{ID: "replay:test", Name: "Webcam", FPS: 30,
		Frames: func() ([]image.Image, error) { return seq.Frames, nil }})
	// Through the new-case dialog: it lists the cameras when it opens.
	s.newCaseDialog()
	f = s.caseForm
	dlg := s.win.Canvas().Overlays().Top()
	cam := visibleButton(dlg, "Quét bằng camera")
	if cam == nil || cam.Disabled() || visibleButton(dlg, "Quét mã từ ảnh") == nil {
		t.Fatalf("camera: %q disabled=%v", f.camBtn.Text, f.camBtn.Disabled())
	}
	test.Tap(cam)
	p := f.lastPipeline()
	if p == nil {
		t.Fatal("camera not started")
	}
	p.Wait()
	if f.who.Text != stationCode || f.found.Text != "Đã đọc mã QR cá nhân: Nguyễn Lê Khả Hân · 0905123456" {
		t.Errorf("camera read: who %q, line %q, camera %q", f.who.Text, f.found.Text, f.camState.Text)
	}
	if len(f.last.People) != 1 || f.last.People[0].ID != han.ID {
		t.Errorf("found %+v", f.last.People)
	}
	// The venue code shown first was explained, not used; the camera
	// dialog closed on her code.
	if !strings.Contains(f.camState.Text, "không phải mã cá nhân") {
		t.Errorf("venue code in front of the camera: %q", f.camState.Text)
	}
	if s.win.Canvas().Overlays().Top() != dlg {
		t.Error("camera dialog still open")
	}
	// "Ghi nhận" records the case for her.
	test.Tap(visibleButton(dlg, "Ghi nhận"))
	if s.current == nil || s.current.PersonID != han.ID {
		t.Errorf("case not recorded for the scanned person: %+v", s.current)
	}
}
