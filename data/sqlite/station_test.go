package sqlite

import (
	"image"
	"strings"
	"testing"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/scan"
)

const (
	testQRQG = "001093029317|NGUYEN LE KHA HAN|1987-01-18|0|162979388586171100|0|0905123456"
	testCCCD = "048093001234|201234567|Trần Thị Bích Ngọc|15031990|Nữ|Số 12 Bạch Đằng, An Hải Bắc, Sơn Trà, Đà Nẵng|01082021"
)

// stationFixture is a replica with one venue and a fixed clock.
func stationFixture(t *testing.T) (*Store, *data.Venue, *time.Time) {
	t.Helper()
	s := newTestStore(t)
	now := fixedNow
	s.Now = func() time.Time { return now }
	v := validVenue("Nhà hàng Phố Biển")
	if err := s.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	return s, v, &now
}

func personCode(t *testing.T, text string) scan.PersonCode {
	t.Helper()
	p, err := scan.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	pc, ok := p.(scan.PersonCode)
	if !ok {
		t.Fatalf("%q is not a person code", text)
	}
	return pc
}

func stationRows(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.rw.QueryRowContext(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestScannedPersonalCodeIsCheckedInAtOnceWithTheStationID(t *testing.T) {
	s, v, _ := stationFixture(t)
	ctx := t.Context()
	outboxBefore, _ := s.PendingCount(ctx)
	res, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Match != "new" || res.Duplicate || res.DisplayName != "NGUYEN LE KHA HAN" || res.CodeKind != "personal_qr" {
		t.Fatalf("result %+v", res)
	}
	if res.Risk.Level != RiskGreen || len(res.Risk.Reasons) != 0 {
		t.Errorf("risk %+v for an unknown visitor", res.Risk)
	}
	c := res.Checkin
	if c.StationID != s.DeviceID() || c.Source != data.SourceStaffScan || !c.TimeIn.Equal(fixedNow) {
		t.Errorf("check-in %+v", c)
	}
	people, err := s.FindPeople(ctx, PersonQuery{QID: "162979388586171100"})
	if err != nil || len(people) != 1 || people[0].ID != c.PersonID || people[0].Phone != "0905123456" ||
		people[0].BirthDate != "1987-01-18" || people[0].IDNumber != "001093029317" {
		t.Fatalf("person %+v %v", people, err)
	}
	if n := stationRows(t, s, `SELECT COUNT(*) FROM checkin WHERE id = ? AND station_id = ? AND deleted_at IS NULL`, c.ID, s.DeviceID()); n != 1 {
		t.Errorf("check-in rows %d", n)
	}
	if after, _ := s.PendingCount(ctx); after != outboxBefore+2 {
		t.Errorf("outbox grew by %d, want person + check-in", after-outboxBefore)
	}
	counts, err := s.TodayCounts(ctx, v.ID, data.NilID)
	if err != nil || counts.Venue != 1 || counts.Station != 1 {
		t.Errorf("counts %+v %v", counts, err)
	}
	recent, err := s.RecentCheckins(ctx, v.ID, data.NilID, 10)
	if err != nil || len(recent) != 1 || recent[0].Name != "NGUYEN LE KHA HAN" || recent[0].Checkin.ID != c.ID {
		t.Errorf("recent %+v %v", recent, err)
	}
	h, _ := s.VenueHistory(ctx, v.ID, 1)
	if h.CheckinsPerDay[0].Count != 1 {
		t.Errorf("the venue's timeline shows %d check-ins", h.CheckinsPerDay[0].Count)
	}
}

func TestRescanWithinTheWindowIsSuppressed(t *testing.T) {
	s, v, now := stationFixture(t)
	ctx := t.Context()
	first, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil {
		t.Fatal(err)
	}
	*now = fixedNow.Add(2 * time.Minute)
	again, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Duplicate || again.Checkin.ID != first.Checkin.ID || again.Match != "qid" {
		t.Fatalf("second scan: %+v", again)
	}
	if again.Risk.Level != RiskAmber || !again.Risk.Has(ReasonDuplicate) || again.Risk.Reasons[0].Args[0] != 2 {
		t.Errorf("duplicate banner %+v", again.Risk)
	}
	if n := stationRows(t, s, `SELECT COUNT(*) FROM checkin`); n != 1 {
		t.Fatalf("%d check-ins after a duplicate", n)
	}
	// A shorter window configured at the station lets it through.
	short, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG), Window: time.Minute})
	if err != nil || short.Duplicate {
		t.Fatalf("1-minute window: %+v %v", short, err)
	}
	// Past the default window it is a new visit.
	*now = fixedNow.Add(6 * time.Minute)
	later, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil || later.Duplicate || later.Checkin.PersonID != first.Checkin.PersonID {
		t.Fatalf("after the window: %+v %v", later, err)
	}
	if n := stationRows(t, s, `SELECT COUNT(*) FROM person`); n != 2 { // the owner and the visitor
		t.Errorf("%d people: the visitor was created more than once", n)
	}
}

func TestMaskedPersonalCodeMatchesThePersonKnownFromTheirIDCard(t *testing.T) {
	s, v, now := stationFixture(t)
	ctx := t.Context()
	card, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testCCCD)})
	if err != nil || card.Match != "new" || card.DisplayName != "Trần Thị Bích Ngọc" {
		t.Fatalf("CCCD scan: %+v %v", card, err)
	}
	*now = fixedNow.Add(time.Hour)
	masked := "******001234|TRAN THI BICH NGOC|1990-**-**|0|162900000000000001"
	res, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, masked)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Match != "masked_id" || res.Checkin.PersonID != card.Checkin.PersonID {
		t.Fatalf("masked code matched %q, person %v (card person %v)", res.Match, res.Checkin.PersonID, card.Checkin.PersonID)
	}
	if res.DisplayID != "******001234" || res.DisplayName != "TRAN THI BICH NGOC" {
		t.Errorf("the card must show what the code shows: %q %q", res.DisplayName, res.DisplayID)
	}
}

func TestCaseAndContactListsColourTheBanner(t *testing.T) {
	s, v, now := stationFixture(t)
	ctx := t.Context()
	first, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil {
		t.Fatal(err)
	}
	// Another person is an F0 and our visitor is on the F1 list.
	f0 := data.Person{FullName: "Lê Văn Tám", Phone: "0912345678"}
	if err := s.CreatePerson(ctx, &f0); err != nil {
		t.Fatal(err)
	}
	caseID := data.NewID()
	ts := fixedNow.Unix()
	if _, err := s.rw.ExecContext(ctx, `INSERT INTO case_f0(id, person_id, confirmed_on, window_start, window_end,
		device_id, created_at, updated_at) VALUES (?, ?, '2021-09-14', ?, ?, ?, ?, ?)`,
		caseID, f0.ID, ts-86400*3, ts, s.DeviceID(), ts, ts); err != nil {
		t.Fatal(err)
	}
	if _, err := s.rw.ExecContext(ctx, `INSERT INTO trace_contact(id, case_id, person_id, level, device_id, created_at, updated_at)
		VALUES (?, ?, ?, 1, ?, ?, ?)`, data.NewID(), caseID, first.Checkin.PersonID, s.DeviceID(), ts, ts); err != nil {
		t.Fatal(err)
	}
	*now = fixedNow.Add(time.Hour)
	res, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Risk.Level != RiskRed || !res.Risk.Has(ReasonF1) || res.Risk.Has(ReasonF0) {
		t.Errorf("F1 visitor: %+v", res.Risk)
	}
	st, err := s.CaseStatus(ctx, f0.ID, fixedNow)
	if err != nil || !st.F0 || st.ContactLevel != 0 {
		t.Errorf("F0 status %+v %v", st, err)
	}
	a, err := s.AssessRisk(ctx, nil, RiskInput{Person: f0.ID, At: fixedNow})
	if err != nil || a.Level != RiskRed || !a.Has(ReasonF0) {
		t.Errorf("F0 banner %+v %v", a, err)
	}
}

func TestPaperDeclarationErrorsAreVietnamesePerFieldAndWriteNothing(t *testing.T) {
	i18n.SetLanguage("vi")
	s, v, _ := stationFixture(t)
	ctx := t.Context()
	people := stationRows(t, s, `SELECT COUNT(*) FROM person`)
	_, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Paper: &PaperDeclaration{
		FullName: "  ", Phone: "0123", IDNumber: "04809A"}})
	got := map[string]string{}
	for _, f := range data.FieldErrors(err) {
		got[f.Field] = f.Key
	}
	if got["full_name"] != "err.required" || got["phone"] != "err.phone_invalid" || got["id_number"] != "err.station_id_number_digits" {
		t.Fatalf("field errors %v (%v)", got, err)
	}
	msg := i18n.Error(err)
	for _, want := range []string{"Họ và tên: Bắt buộc nhập", "Số điện thoại: Không phải số di động Việt Nam hợp lệ: 0123",
		"Số CCCD/CMND: Số giấy tờ chỉ gồm chữ số"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if _, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Paper: &PaperDeclaration{FullName: "Phạm Văn Đồng"}}); data.FieldErrors(err)[0].Key != "err.phone_empty" {
		t.Errorf("missing phone: %v", err)
	}
	if n := stationRows(t, s, `SELECT COUNT(*) FROM checkin`); n != 0 || stationRows(t, s, `SELECT COUNT(*) FROM person`) != people {
		t.Fatalf("a rejected declaration wrote %d check-ins", n)
	}
}

func TestPaperDeclarationWithSymptomsOrFromAnOutbreakAreaIsFlagged(t *testing.T) {
	s, v, now := stationFixture(t)
	ctx := t.Context()
	if err := s.AddOutbreakArea(ctx, &OutbreakArea{Name: "Phường An Hải Bắc"}); err != nil {
		t.Fatal(err)
	}
	res, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Paper: &PaperDeclaration{
		FullName: "Phạm Thị Hoa", Phone: "090 555 1234", Origin: "P. An Hải Bắc, Sơn Trà"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Checkin.Source != data.SourcePaper || res.Checkin.RiskFlags&data.RiskOutbreakArea == 0 {
		t.Errorf("check-in %+v", res.Checkin)
	}
	if res.Risk.Level != RiskAmber || !res.Risk.Has(ReasonOutbreakArea) || res.Risk.Reasons[0].Args[0] != "Phường An Hải Bắc" {
		t.Errorf("outbreak-area banner %+v", res.Risk)
	}
	*now = fixedNow.Add(time.Hour)
	sick, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Paper: &PaperDeclaration{
		FullName: "PHẠM THỊ HOA", Phone: "0905551234", Symptoms: data.RiskFever | data.RiskCough}})
	if err != nil {
		t.Fatal(err)
	}
	if sick.Match != "paper" || sick.Checkin.PersonID != res.Checkin.PersonID {
		t.Errorf("same declarant not matched: %+v", sick)
	}
	if sick.Risk.Level != RiskRed || !sick.Risk.Has(ReasonSymptoms) || sick.Risk.Reasons[0].Args[0] != "fever,cough" {
		t.Errorf("symptom banner %+v", sick.Risk)
	}
	// A CCCD whose address lies in the area raises it too.
	card, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testCCCD)})
	if err != nil || !card.Risk.Has(ReasonOutbreakArea) {
		t.Errorf("CCCD address in the area: %+v %v", card.Risk, err)
	}
}

func TestUndoLeavesATombstoneAndAnAuditRow(t *testing.T) {
	s, v, _ := stationFixture(t)
	ctx := t.Context()
	res, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UndoCheckin(ctx, res.Checkin.ID, "Cán bộ trực", "quét nhầm"); err != nil {
		t.Fatal(err)
	}
	if n := stationRows(t, s, `SELECT COUNT(*) FROM checkin WHERE id = ? AND deleted_at IS NOT NULL AND version = 2`, res.Checkin.ID); n != 1 {
		t.Fatal("the check-in is not a tombstone")
	}
	if c, _ := s.TodayCounts(ctx, v.ID, data.NilID); c.Venue != 0 {
		t.Errorf("counter %+v after undo", c)
	}
	if r, _ := s.RecentCheckins(ctx, v.ID, data.NilID, 10); len(r) != 0 {
		t.Errorf("recent %+v after undo", r)
	}
	if n := stationRows(t, s, `SELECT COUNT(*) FROM outbox WHERE tbl = 'checkin' AND op = 'delete' AND row_id = ?`, res.Checkin.ID); n != 1 {
		t.Error("the undo is not queued for sync")
	}
	var detail string
	if err := s.rw.QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'checkin.undo' AND entity_id = ?`,
		res.Checkin.ID.String()).Scan(&detail); err != nil || !strings.Contains(detail, "quét nhầm") ||
		strings.Contains(detail, "NGUYEN") {
		t.Errorf("audit detail %q %v", detail, err)
	}
	if _, problem, err := s.VerifyAudit(ctx); err != nil || problem != nil {
		t.Errorf("audit chain: %v %v", problem, err)
	}
	if err := s.UndoCheckin(ctx, res.Checkin.ID, "", ""); data.ErrorCode(err) != data.ENotFound {
		t.Errorf("second undo: %v", err)
	}
	// The same person scanning again right away is not a duplicate of a
	// withdrawn check-in.
	again, err := s.StationCheckin(ctx, ScanRequest{VenueID: v.ID, Code: personCode(t, testQRQG)})
	if err != nil || again.Duplicate {
		t.Errorf("rescan after undo: %+v %v", again, err)
	}
}

func TestOutbreakAreasMatchWholeWordsAndEnd(t *testing.T) {
	s, _, _ := stationFixture(t)
	ctx := t.Context()
	if err := s.AddOutbreakArea(ctx, &OutbreakArea{Name: " "}); data.FieldErrors(err)[0].Key != "err.required" {
		t.Errorf("empty name: %v", err)
	}
	for _, n := range []string{"An Hải", "An Hải Bắc", "Quận Thanh Khê"} {
		if err := s.AddOutbreakArea(ctx, &OutbreakArea{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	areas, err := s.OutbreakAreas(ctx, fixedNow)
	if err != nil || len(areas) != 3 {
		t.Fatalf("areas %v %v", areas, err)
	}
	for text, want := range map[string]string{
		"tổ 5, an hai bac, son tra": "An Hải Bắc",
		"An Hải Đông":               "An Hải",
		"thanh khe":                 "Quận Thanh Khê",
		"Tân An Hải Tây":            "An Hải",
		"Quận Thanh Khê, Đà Nẵng":   "Quận Thanh Khê",
		"Hải Châu":                  "",
	} {
		a, ok := MatchOutbreakArea(areas, text)
		if (want == "") == ok || a.Name != want && ok {
			t.Errorf("%q matched %q (%v), want %q", text, a.Name, ok, want)
		}
	}
	if err := s.EndOutbreakArea(ctx, areas[0].ID, fixedNow.AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	if active, _ := s.OutbreakAreas(ctx, fixedNow); len(active) != 2 {
		t.Errorf("%d areas active after ending one", len(active))
	}
}

func TestPosterChecksAreRecordedPerVenue(t *testing.T) {
	s, v, _ := stationFixture(t)
	ctx := t.Context()
	other := validVenue("Cà phê Sáng")
	if err := s.CreateVenue(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateOfficeKey(ctx, "UBND phường Hải Châu I", "20236", []byte("mật khẩu dài")); err != nil {
		t.Fatal(err)
	}
	key, err := s.OfficeKey(ctx, []byte("mật khẩu dài"))
	if err != nil {
		t.Fatal(err)
	}
	_, code, err := s.IssueVenueQR(ctx, v.ID, key)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{code, inspect.PosterGenuine},
		{"UKC19TRACING:1:eyJhbGciOiJFUzI1NiJ9.e30.c2ln", PosterForeign},
		{"", inspect.PosterUnreadable},
		{testQRQG, inspect.PosterMalformed},
	} {
		c, err := s.CheckPoster(ctx, v.ID, data.NilID, tc.text, "")
		if err != nil || c.Result != tc.want {
			t.Errorf("%.20q: %q %v, want %q", tc.text, c.Result, err, tc.want)
		}
	}
	// The same genuine poster hung at another venue.
	moved, err := s.CheckPoster(ctx, other.ID, data.NilID, code, "dán ở quầy thu ngân")
	if err != nil || moved.Result != inspect.PosterOtherVenue || moved.CodeVenueID != v.ID || moved.Inspect().OK() {
		t.Errorf("moved poster: %+v %v", moved, err)
	}
	// Re-issuing revokes the old poster.
	if _, _, err := s.IssueVenueQR(ctx, v.ID, key); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.CheckPoster(ctx, v.ID, data.NilID, code, ""); c.Result != inspect.PosterRevoked {
		t.Errorf("old issue: %q", c.Result)
	}
	list, err := s.PosterChecks(ctx, v.ID)
	if err != nil || len(list) != 5 {
		t.Fatalf("checks %d %v", len(list), err)
	}
	if _, err := s.CheckPoster(ctx, data.NewID(), data.NilID, code, ""); data.ErrorCode(err) != data.ENotFound {
		t.Errorf("unknown venue: %v", err)
	}
}

func TestEvidenceSnapshotRoundTripsAndDetectsTampering(t *testing.T) {
	s, v, _ := stationFixture(t)
	ctx := t.Context()
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	pic, err := EncodeSnapshot(img)
	if err != nil {
		t.Fatal(err)
	}
	e := Evidence{VenueID: v.ID, JPEG: pic, Caption: "Mã QR dán sai vị trí"}
	if err := s.AddEvidence(ctx, &e); err != nil {
		t.Fatal(err)
	}
	list, err := s.EvidenceList(ctx, v.ID, data.NilID)
	if err != nil || len(list) != 1 || list[0].Width != 64 || list[0].Height != 48 || list[0].JPEG != nil {
		t.Fatalf("list %+v %v", list, err)
	}
	back, err := s.EvidenceJPEG(ctx, e.ID)
	if err != nil || string(back) != string(pic) {
		t.Fatalf("picture did not round-trip: %v", err)
	}
	for _, bad := range []Evidence{{VenueID: v.ID, JPEG: []byte("\x89PNG not a jpeg")}, {JPEG: pic}} {
		if err := s.AddEvidence(ctx, &bad); data.ErrorCode(err) != data.EInvalid {
			t.Errorf("bad evidence accepted: %v", err)
		}
	}
	if _, err := s.rw.ExecContext(ctx, `UPDATE evidence SET jpeg = ? WHERE id = ?`, append([]byte{}, pic[:len(pic)-1]...), e.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EvidenceJPEG(ctx, e.ID); data.ErrorCode(err) != data.ECorrupt {
		t.Errorf("altered picture: %v", err)
	}
}

func TestStationSettingsAreRemembered(t *testing.T) {
	s, _, _ := stationFixture(t)
	ctx := t.Context()
	if v, err := s.StationSetting(ctx, "camera"); err != nil || v != "" {
		t.Fatalf("unset: %q %v", v, err)
	}
	s.SetStationSetting(ctx, "camera", "usb-cam")
	s.SetStationSetting(ctx, "camera", "usb-cam-2")
	if v, _ := s.StationSetting(ctx, "camera"); v != "usb-cam-2" {
		t.Errorf("camera %q", v)
	}
}
