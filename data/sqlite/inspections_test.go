package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
)

var ictZone = time.FixedZone("ICT", 7*3600)

// Numbers are assigned once per (issuer, symbol, year), never reused, also
// when two replicas' writers (two processes on one file) and many
// goroutines issue at the same moment.
func TestDocumentNumberingUnderConcurrentIssue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "numbers.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	at := time.Date(2021, 11, 5, 9, 0, 0, 0, ictZone)
	const per = 25
	var mu sync.Mutex
	var numbers []int
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				d := inspect.Document{Kind: inspect.DocRecord, Issuer: "20236", IssuedAt: at, SubjectID: data.NewID()}
				if err := s.IssueDocument(context.Background(), &d, "test"); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				numbers = append(numbers, d.Number)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Ints(numbers)
	if len(numbers) != 4*per {
		t.Fatalf("%d numbers issued", len(numbers))
	}
	for i, n := range numbers {
		if n != i+1 {
			t.Fatalf("numbers not 1..%d without gaps or repeats: %v", 4*per, numbers)
		}
	}
	// Other series start at 01: another symbol, another ward, another year.
	for _, d := range []inspect.Document{
		{Kind: inspect.DocDecision, Issuer: "20236", IssuedAt: at},
		{Kind: inspect.DocRecord, Issuer: "20239", IssuedAt: at},
		{Kind: inspect.DocRecord, Issuer: "20236", IssuedAt: time.Date(2022, 1, 3, 8, 0, 0, 0, ictZone)},
	} {
		if err := a.IssueDocument(t.Context(), &d, "test"); err != nil || d.Number != 1 {
			t.Errorf("%s %s %d: number %d, %v", d.Kind, d.Issuer, d.Year, d.Number, err)
		}
	}
	d := inspect.Document{Kind: inspect.DocRecord, Issuer: "20236", IssuedAt: at}
	a.IssueDocument(t.Context(), &d, "test")
	if d.Number != 4*per+1 || d.NumberText() != fmt.Sprintf("%d/BB-VPHC", 4*per+1) {
		t.Errorf("next record number %s", d.NumberText())
	}
	// Each issue is in the audit log and the outbox.
	if n, _ := a.AuditCount(t.Context(), "document.issue", ""); n != 4*per+4 {
		t.Errorf("audit lines %d, want %d", n, 4*per+4)
	}
	got, err := a.DocumentsIssuedOn(t.Context(), at, inspect.DocRecord)
	if err != nil || len(got) != 4*per+2 { // ward 20236 and the one of ward 20239
		t.Errorf("documents of the day: %d, %v", len(got), err)
	}
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		img.Set(x, x%48, color.RGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// inspectedVenue creates a venue and a finished inspection with the QR
// poster and scanning items failed.
func inspectedVenue(t *testing.T, s *Store, at time.Time) (data.Venue, FinishResult) {
	t.Helper()
	v := validVenue("Nhà hàng Biển Xanh")
	if err := s.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	visit := inspect.Visit{}
	visit.VenueID, visit.Inspector, visit.StartedAt = v.ID, "Lê Thị Thu Hà", at
	if err := s.StartInspection(t.Context(), &visit); err != nil {
		t.Fatal(err)
	}
	lib, _ := s.InspectLibrary(t.Context())
	tpl, _ := lib.Templates.ByID(visit.Template, visit.TemplateVersion)
	for _, it := range tpl.Items {
		val := inspect.AnswerYes
		if it.Key == "staff_device" {
			val = inspect.AnswerNo
		}
		if _, err := s.SaveAnswer(t.Context(), visit.ID, inspect.Answer{Item: it.Key, Value: val, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RecordPoster(t.Context(), visit.ID, inspect.PosterCheck{Status: inspect.PosterForged}); err != nil {
		t.Fatal(err)
	}
	res, err := s.FinishInspection(t.Context(), visit.ID, FinishInput{At: at.Add(30 * time.Minute), By: "ha",
		Officials: []inspect.Official{{Name: "Lê Thị Thu Hà", Title: "Công chức Văn phòng - Thống kê"}}})
	if err != nil {
		t.Fatal(err)
	}
	return *v, res
}

func TestInspectionDraftSavesEveryAnswerAndFinishes(t *testing.T) {
	i18n.SetLanguage("vi")
	path := filepath.Join(t.TempDir(), "visit.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	v := validVenue("Quán Cơm Gà Bà Buội")
	if err := s.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2021, 11, 5, 14, 10, 0, 0, ictZone)
	visit := inspect.Visit{}
	visit.VenueID, visit.StartedAt = v.ID, at
	if err := s.StartInspection(t.Context(), &visit); err != nil {
		t.Fatal(err)
	}
	if visit.Template != "staff_scan" || visit.TemplateVersion == "" {
		t.Errorf("restaurant got template %s@%s", visit.Template, visit.TemplateVersion)
	}
	if _, err := s.SaveAnswer(t.Context(), visit.ID, inspect.Answer{Item: "staff_device", Value: inspect.AnswerNo,
		Note: "Không có người quét mã ở cửa", GPS: "16.0678,108.2208", At: at}); err != nil {
		t.Fatal(err)
	}
	photo, err := s.AddPhoto(t.Context(), visit.ID, "staff_device", pngBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	// A bad answer and a non-image are refused and write nothing.
	if _, err := s.SaveAnswer(t.Context(), visit.ID, inspect.Answer{Item: "staff_device", Value: "maybe"}); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("bad value: %v", err)
	}
	if _, err := s.AddPhoto(t.Context(), visit.ID, "staff_device", []byte("not an image")); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("non-image photo: %v", err)
	}
	// The laptop closes: a fresh open of the file has the draft as left.
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Visit(t.Context(), visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := got.Answers["staff_device"]
	if got.Status != "draft" || a.Value != inspect.AnswerNo || a.Note != "Không có người quét mã ở cửa" ||
		len(a.Photos) != 1 || a.Photos[0] != photo || got.GPS != "16.0678,108.2208" {
		t.Fatalf("draft after reopen: %+v", got)
	}
	photos, _ := s.Photos(t.Context(), visit.ID)
	if len(photos) != 1 || photos[0].Mime != "image/png" {
		t.Errorf("photos %+v", photos)
	}
	// Finishing with unanswered items is refused with their names.
	_, err = s.FinishInspection(t.Context(), visit.ID, FinishInput{At: at})
	if msg := i18n.Error(err); data.ErrorCode(err) != data.EInvalid || !strings.Contains(msg, "Đã ký cam kết") {
		t.Errorf("finish with gaps: %q", msg)
	}
	// The poster scan answers its item: a poster of another venue is a finding.
	got, err = s.RecordPoster(t.Context(), visit.ID, inspect.PosterCheck{Status: inspect.PosterOtherVenue,
		Detail: "mã hợp lệ nhưng cấp cho địa điểm khác"})
	if err != nil || got.Answers["qr_posted"].Value != inspect.AnswerNo || got.PosterVerdict != inspect.PosterOtherVenue {
		t.Fatalf("poster: %+v %v", got.Answers["qr_posted"], err)
	}
	for _, item := range []string{"control_method", "at_risk_stopped", "f0_reported", "commitment_signed", "vaccinated", "scan_plausible"} {
		val := inspect.AnswerYes
		if item == "vaccinated" {
			val = inspect.AnswerNo // a warning item: no violation proposed
		}
		if _, err := s.SaveAnswer(t.Context(), visit.ID, inspect.Answer{Item: item, Value: val}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.FinishInspection(t.Context(), visit.ID, FinishInput{At: at.Add(time.Hour), By: "ha"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Document.NumberText() != "01/BB-KT" || res.Visit.Status != "done" {
		t.Errorf("record %s, status %s", res.Document.NumberText(), res.Visit.Status)
	}
	rules := map[string]int64{}
	for _, vi := range res.Violations {
		rules[vi.RuleID] = vi.Amount
		if vi.Status != inspect.StatusFound {
			t.Errorf("proposed violation status %s", vi.Status)
		}
	}
	if len(rules) != 2 || rules["no_scan_control"] != 7_500_000 || rules["qr_not_posted"] != 7_500_000 {
		t.Errorf("proposed violations %v", rules)
	}
	if _, err := s.SaveAnswer(t.Context(), visit.ID, inspect.Answer{Item: "vaccinated", Value: inspect.AnswerYes}); data.ErrorCode(err) != data.EConflict {
		t.Errorf("answer after finish: %v", err)
	}
	h, _ := s.VenueHistory(t.Context(), v.ID, 7)
	if len(h.Inspections) != 1 || len(h.Violations) != 2 {
		t.Errorf("venue history: %d inspections, %d violations", len(h.Inspections), len(h.Violations))
	}
}

func TestViolationLifecycleThroughTheStore(t *testing.T) {
	i18n.SetLanguage("vi")
	s := newTestStore(t)
	found := time.Date(2021, 11, 4, 9, 0, 0, 0, ictZone) // Thursday
	venue, fin := inspectedVenue(t, s, found)
	var vid data.ID
	for _, vi := range fin.Violations {
		if vi.RuleID == "no_scan_control" {
			vid = vi.ID
		}
	}
	step := func(in StepInput) (StepResult, error) { return s.ApplyStep(t.Context(), vid, in) }
	mustStep := func(in StepInput) StepResult {
		t.Helper()
		r, err := step(in)
		if err != nil {
			t.Fatalf("%s: %s", in.Action, i18n.Error(err))
		}
		return r
	}
	// Deciding before recording is refused.
	if _, err := step(StepInput{Action: inspect.ActDecide, SignerRole: "district_chairman"}); data.ErrorCode(err) != data.EConflict {
		t.Fatalf("decide from found: %v", err)
	}
	rec := mustStep(StepInput{Action: inspect.ActRecord, At: found.Add(time.Hour), By: "ha",
		Officials: []inspect.Official{{Name: "Trần Văn Bình", Title: "Phó Chủ tịch UBND phường"}}, Statement: "Thừa nhận vi phạm"})
	if rec.Document == nil || rec.Document.NumberText() != "01/BB-VPHC" {
		t.Fatalf("record document %+v", rec.Document)
	}
	// Thu 4/11/2021 → hearing Mon 8/11, explanation Thu 11/11.
	if got := rec.Violation.HearingDue.Format("2006-01-02"); got != "2021-11-08" {
		t.Errorf("hearing due %s", got)
	}
	if got := rec.Violation.ExplainDue.Format("2006-01-02"); got != "2021-11-11" {
		t.Errorf("explanation due %s", got)
	}
	// Inside the explanation window, no decision.
	_, err := step(StepInput{Action: inspect.ActDecide, At: found.AddDate(0, 0, 2), SignerRole: "ward_chairman"})
	if msg := i18n.Error(err); !strings.Contains(msg, "Chưa hết thời hạn giải trình (đến hết ngày 11/11/2021)") {
		t.Errorf("early decision: %q", msg)
	}
	// After it: the ward chairman's cap (5 m) is below 7.5 m → refused and referred.
	decideAt := time.Date(2021, 11, 12, 10, 0, 0, 0, ictZone)
	_, err = step(StepInput{Action: inspect.ActDecide, At: decideAt, SignerRole: "ward_chairman"})
	if data.ErrorCode(err) != data.EUnauthorized || !strings.Contains(i18n.Error(err), "chỉ được phạt tối đa 5000000 đồng") {
		t.Fatalf("ward chairman decision: %v", err)
	}
	got, _ := s.Violation(t.Context(), vid)
	if got.Status != inspect.StatusReferred || got.ReferredTo != "district_chairman" {
		t.Fatalf("after refusal: status %s, referred to %q", got.Status, got.ReferredTo)
	}
	if docs, _ := s.DocumentsFor(t.Context(), vid, inspect.DocDecision); len(docs) != 0 {
		t.Errorf("a refused decision issued %d documents", len(docs))
	}
	dec := mustStep(StepInput{Action: inspect.ActDecide, At: decideAt, SignerRole: "district_chairman",
		Signer: inspect.Official{Name: "Lê Trung Chinh", Title: "Chủ tịch UBND quận Hải Châu"}})
	if dec.Document.NumberText() != "01/QĐ-XPHC" || dec.Document.Facts.RecordNumber != "01/BB-VPHC" || dec.Document.Facts.Amount != 7_500_000 {
		t.Errorf("decision %s cites %q, amount %d", dec.Document.NumberText(), dec.Document.Facts.RecordNumber, dec.Document.Facts.Amount)
	}
	if dec.Violation.PayDue == nil || dec.Violation.PayDue.Format("2006-01-02") != "2021-11-22" {
		t.Errorf("pay due %v", dec.Violation.PayDue)
	}
	// Reminders: suspension only after more than 3 (the default threshold).
	for i := 1; i <= 3; i++ {
		r := mustStep(StepInput{Action: inspect.ActRemind, At: decideAt.AddDate(0, 0, 10+i)})
		if r.Document.NumberText() != fmt.Sprintf("%02d/TB-UBND", i) || r.Violation.Reminders != i {
			t.Errorf("reminder %d: %s, count %d", i, r.Document.NumberText(), r.Violation.Reminders)
		}
	}
	_, err = step(StepInput{Action: inspect.ActSuspend, At: decideAt.AddDate(0, 0, 14)})
	if msg := i18n.Error(err); !strings.Contains(msg, "Mới nhắc nhở 3 lần") {
		t.Errorf("early suspension: %q", msg)
	}
	mustStep(StepInput{Action: inspect.ActRemind, At: decideAt.AddDate(0, 0, 15)})
	before, _ := s.Venue(t.Context(), venue.ID)
	sus := mustStep(StepInput{Action: inspect.ActSuspend, At: decideAt.AddDate(0, 0, 16), By: "chairman"})
	if sus.Document.NumberText() != "01/QĐ-UBND" || sus.Document.Facts.DecisionNumber != "01/QĐ-XPHC" {
		t.Errorf("suspension %s cites %q", sus.Document.NumberText(), sus.Document.Facts.DecisionNumber)
	}
	after, _ := s.Venue(t.Context(), venue.ID)
	if after.Status != data.VenueSuspended || after.Version != before.Version+1 {
		t.Errorf("venue after suspension: %s v%d (was v%d)", after.Status, after.Version, before.Version)
	}
	outbox, _ := s.PendingChanges(t.Context(), 0, 10000)
	last := outbox[len(outbox)-1]
	var venueUpdate bool
	for _, e := range outbox {
		venueUpdate = venueUpdate || (e.Table == "venue" && e.RowID == venue.ID && e.RowVersion == after.Version &&
			strings.Contains(e.Payload, `"status":"suspended"`))
	}
	if !venueUpdate {
		t.Errorf("no outbox entry for the suspended venue (last: %+v)", last)
	}
	// Closing needs a re-inspection first; closing reopens the venue.
	if _, err := step(StepInput{Action: inspect.ActClose}); data.ErrorCode(err) != data.EConflict {
		t.Errorf("close from suspended: %v", err)
	}
	mustStep(StepInput{Action: inspect.ActReinspect, At: decideAt.AddDate(0, 0, 20)})
	mustStep(StepInput{Action: inspect.ActClose, At: decideAt.AddDate(0, 0, 20)})
	reopened, _ := s.Venue(t.Context(), venue.ID)
	if reopened.Status != data.VenueOpen {
		t.Errorf("venue after close: %s", reopened.Status)
	}
	final, _ := s.Violation(t.Context(), vid)
	var steps []string
	for _, e := range final.Events {
		steps = append(steps, e.Step)
	}
	if got := strings.Join(steps, ","); got != "record,refer,decide,remind,remind,remind,remind,suspend,reinspect,close" {
		t.Errorf("events %s", got)
	}
	if n, _ := s.AuditCount(t.Context(), "violation.decide", vid.String()); n != 1 {
		t.Errorf("decide audit lines %d", n)
	}
	// Registers.
	open, _ := s.Violations(t.Context(), RegisterFilter{OpenOnly: true})
	closed, _ := s.Violations(t.Context(), RegisterFilter{Status: inspect.StatusClosed, WardCode: "20236"})
	if len(open) != 1 || len(closed) != 1 || closed[0].VenueName != "Nhà hàng Biển Xanh" {
		t.Errorf("register: %d open, %d closed", len(open), len(closed))
	}
}

func TestSchedulesAndRounds(t *testing.T) {
	s := newTestStore(t)
	s.Now = func() time.Time { return time.Date(2021, 11, 4, 8, 0, 0, 0, ictZone) }
	sc := inspect.Schedule{WardCode: "20236", Area: "Phường Hải Châu I", StartsAt: time.Date(2021, 11, 5, 14, 0, 0, 0, ictZone),
		Team:     []inspect.TeamMember{{Name: "Nguyễn Văn A", Agency: "Sở Y tế", Role: "Trưởng đoàn", Team: "Tổ 1"}},
		Contacts: []inspect.Contact{{Agency: "UBND phường Hải Châu I", Name: "Trần Thị B", Position: "Văn phòng", Phone: "0905 111 222"}}}
	if err := s.SaveSchedule(t.Context(), &sc); err != nil {
		t.Fatal(err)
	}
	sc.Area = "Phường Hải Châu I và Phường Thạch Thang"
	if err := s.SaveSchedule(t.Context(), &sc); err != nil || sc.Version != 2 {
		t.Fatalf("update: %v v%d", err, sc.Version)
	}
	stale := sc
	stale.Version = 1
	if err := s.SaveSchedule(t.Context(), &stale); data.ErrorCode(err) != data.EConflict {
		t.Errorf("stale update: %v", err)
	}
	got, _ := s.Schedule(t.Context(), sc.ID)
	if got.Area != sc.Area || got.Contacts[0].Phone != "0905111222" || got.Team[0].Team != "Tổ 1" {
		t.Errorf("schedule %+v", got)
	}
	quiet := validVenue("Tạp hóa Im Lặng")
	quiet.Category = "grocery"
	busy := validVenue("Cà phê Đông Khách")
	busy.Category = "cafe"
	for _, v := range []*data.Venue{quiet, busy} {
		if err := s.CreateVenue(t.Context(), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddCheckin(t.Context(), &data.Checkin{VenueID: busy.ID, TimeIn: s.Now().Add(-time.Hour), Source: data.SourceStaffScan}); err != nil {
		t.Fatal(err)
	}
	cands, err := s.ProposeVenues(t.Context(), inspect.RoundFilter{WardCode: "20236", SilentDays: 7, NeverVisited: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 2 || cands[0].Venue.ID != quiet.ID || strings.Join(cands[0].Reasons, ",") != "silent,never_visited" ||
		strings.Join(cands[1].Reasons, ",") != "never_visited" {
		t.Fatalf("candidates %+v", cands)
	}
	if err := s.AssignVenues(t.Context(), sc.ID, "Tổ 1", cands); err != nil {
		t.Fatal(err)
	}
	if err := s.AssignVenues(t.Context(), sc.ID, "Tổ 2", cands[1:]); err != nil {
		t.Fatal(err)
	}
	round, _ := s.RoundVenues(t.Context(), sc.ID)
	if len(round) != 2 || round[0].Team != "Tổ 1" || round[1].Team != "Tổ 2" || round[1].VenueID != busy.ID {
		t.Errorf("round %+v", round)
	}
}

// BenchmarkIssueDocument measures numbering and saving one document (the
// counter, the row, the outbox and the audit line in one transaction).
func BenchmarkIssueDocument(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2021, 11, 5, 9, 0, 0, 0, ictZone)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := inspect.Document{Kind: inspect.DocReminder, Issuer: "20236", IssuedAt: at}
		if err := s.IssueDocument(context.Background(), &d, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveAnswer measures one checklist answer written at once.
func BenchmarkSaveAnswer(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	v := validVenue("Quán Bench")
	if err := s.CreateVenue(context.Background(), v); err != nil {
		b.Fatal(err)
	}
	visit := inspect.Visit{}
	visit.VenueID = v.ID
	if err := s.StartInspection(context.Background(), &visit); err != nil {
		b.Fatal(err)
	}
	vals := []string{inspect.AnswerYes, inspect.AnswerNo}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.SaveAnswer(context.Background(), visit.ID, inspect.Answer{Item: "staff_device", Value: vals[i%2], Note: "ghi chú"}); err != nil {
			b.Fatal(err)
		}
	}
}
