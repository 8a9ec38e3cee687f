package inspect

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"qrward/assets"
	"qrward/assets/i18n"
	"qrward/data"
)

var ict = time.FixedZone("ICT", 7*3600)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 9, 30, 0, 0, ict) }

func loadBundled(t *testing.T) *Library {
	t.Helper()
	lib, err := Bundled()
	if err != nil {
		i18n.SetLanguage("vi")
		t.Fatalf("bundled data files: %s", i18n.Error(err))
	}
	return lib
}

func TestBundledChecklistsCoverEveryCategoryWithTheSeedItems(t *testing.T) {
	lib := loadBundled(t)
	for _, c := range data.Categories {
		tpl, err := lib.Templates.ForCategory(c.Key)
		if err != nil {
			t.Fatalf("%s: %v", c.Key, err)
		}
		// The template follows the category's required control method.
		if tpl.ID != c.Required {
			t.Errorf("%s: template %s, want %s", c.Key, tpl.ID, c.Required)
		}
		for _, key := range []string{"qr_posted", "control_method", "at_risk_stopped", "f0_reported",
			"commitment_signed", "vaccinated", "scan_plausible"} {
			if _, ok := tpl.Item(key); !ok {
				t.Errorf("%s (%s): item %s missing", c.Key, tpl.ID, key)
			}
		}
	}
	staff, _ := lib.Templates.ForCategory("restaurant")
	if _, ok := staff.Item("staff_device"); !ok {
		t.Error("staff-scan checklist lacks staff and device for 100% of visitors")
	}
	if it, _ := staff.Item("qr_posted"); !it.Poster || it.Rule != "qr_not_posted" {
		t.Errorf("qr_posted = %+v", it)
	}
}

func TestRuleTableDefaultsAndSignerCaps(t *testing.T) {
	lib := loadBundled(t)
	r, err := lib.Rules.Rule("no_scan_control", day(2021, 11, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got := lib.Rules.DefaultAmount(r, SubjectIndividual); got != 7_500_000 {
		t.Errorf("default individual = %d, want 7,500,000 (middle of 5–10 m)", got)
	}
	if got := lib.Rules.DefaultAmount(r, SubjectOrganisation); got != 15_000_000 {
		t.Errorf("default organisation = %d, want 15,000,000", got)
	}
	if got := r.Provision(); got != "khoản 2 Điều 14 Nghị định số 117/2020/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số 124/2021/NĐ-CP" {
		t.Errorf("provision %q", got)
	}
	pm, _ := lib.Rules.Rule("personal_measures", day(2021, 11, 10))
	if got := pm.Provision(); !strings.HasPrefix(got, "điểm a khoản 1 Điều 12 ") {
		t.Errorf("provision %q", got)
	}
	if err := lib.Rules.CheckAmount(r, SubjectIndividual, 4_000_000); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("amount below band accepted: %v", err)
	}

	// The ward chairman may fine an individual up to 5 m: 3 m passes, 7.5 m is refused and referred.
	if err := lib.Rules.CheckSigner("ward_chairman", SubjectIndividual, 3_000_000); err != nil {
		t.Errorf("3 m by ward chairman: %v", err)
	}
	err = lib.Rules.CheckSigner("ward_chairman", SubjectIndividual, 7_500_000)
	ref, ok := RefusalOf(err)
	if data.ErrorCode(err) != data.EUnauthorized || !ok || ref.Cap != 5_000_000 || ref.ReferTo != "district_chairman" {
		t.Fatalf("7.5 m by ward chairman: %v %+v", err, ref)
	}
	i18n.SetLanguage("vi")
	if msg := i18n.Error(err); !strings.Contains(msg, "Chủ tịch Ủy ban nhân dân cấp xã chỉ được phạt tối đa 5000000 đồng") {
		t.Errorf("refusal message %q", msg)
	}
	// Organisations: caps double (ward: 10 m).
	if err := lib.Rules.CheckSigner("ward_chairman", SubjectOrganisation, 10_000_000); err != nil {
		t.Errorf("10 m on an organisation by ward chairman: %v", err)
	}
	if err := lib.Rules.CheckSigner("district_chairman", SubjectIndividual, 15_000_000); err != nil {
		t.Errorf("district chairman 15 m: %v", err)
	}
	if _, err := lib.Rules.Rule("no_scan_control", day(2019, 1, 1)); data.ErrorCode(err) != data.ENotFound {
		t.Errorf("rule before its effective date: %v", err)
	}
}

// A broken data file is refused as a whole, with a Vietnamese message
// naming the file and the place of each problem.
func TestBrokenDataFilesAreRefusedWithTheirPlace(t *testing.T) {
	i18n.SetLanguage("vi")
	lib := loadBundled(t)
	goodRules, _ := assets.Inspect.ReadFile("rules/nd117-covid.json")
	cases := []struct {
		name, file, body string
		want             []string
	}{
		{"syntax", "checklists/x.json", "{\n  \"id\": \"x\",\n  \"items\": [,]\n}", []string{"checklists/x.json", "dòng 3, cột 13: lỗi cú pháp JSON"}},
		{"truncated", "checklists/x.json", "{\"id\": \"x\"", []string{"dòng 1, cột 11"}},
		{"unknown field", "checklists/x.json", `{"id":"x","version":"1","title":"T","categories":["grocery"],"items":[{"key":"a","text":"A","rul":"x"}]}`, []string{"trường “rul” không được biết"}},
		{"wrong type", "checklists/x.json", `{"id":"x","version":1}`, []string{"trường “version” phải có kiểu string"}},
		{"bad template", "checklists/x.json", `{"id":"x","version":"1","title":"T","categories":["grocery","casino"],
			"items":[{"key":"a","text":"A","rule":"no_such_rule"},{"key":"a","text":""},{"key":"B c","text":"B"}]}`,
			[]string{"categories[1]: loại hình “casino”", "items[0].rule: không có quy tắc xử phạt “no_such_rule”",
				"items[1].key: “a” bị lặp", "items[1].text: bắt buộc nhập", "items[2].key: mã “B c”"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTemplate(c.file, []byte(c.body), lib.Rules)
			if data.ErrorCode(err) != data.EInvalid {
				t.Fatalf("accepted: %v", err)
			}
			msg := i18n.Error(err)
			if !strings.HasPrefix(msg, "Tệp dữ liệu "+c.file+" không hợp lệ") {
				t.Errorf("message %q", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
		})
	}

	// A checklist set that leaves a category without a checklist, or gives
	// one two, is refused.
	fsys := fstest.MapFS{"rules/r.json": {Data: goodRules}}
	for _, name := range []string{"staff_scan.json", "venue_qr.json"} {
		b, _ := assets.Inspect.ReadFile("checklists/" + name)
		fsys["checklists/"+name] = &fstest.MapFile{Data: b}
	}
	hol, _ := assets.Inspect.ReadFile("holidays/vn.json")
	fsys["holidays/vn.json"] = &fstest.MapFile{Data: hol}
	if _, err := Load(fsys); err != nil {
		t.Fatalf("copy of the bundled files: %s", i18n.Error(err))
	}
	fsys["checklists/venue_qr.json"] = &fstest.MapFile{Data: []byte(`{"id":"venue_qr","version":"1","title":"T","categories":["grocery","restaurant"],"items":[{"key":"a","text":"A"}]}`)}
	_, err := Load(fsys)
	msg := i18n.Error(err)
	for _, w := range []string{"loại hình “restaurant” đã có danh mục kiểm tra", "loại hình “street_food” chưa có danh mục kiểm tra"} {
		if !strings.Contains(msg, w) {
			t.Errorf("lacks %q: %s", w, msg)
		}
	}

	// Rule table problems.
	_, err = ParseRuleTable("rules/bad.json", []byte(`{"id":"t","version":"1","org_factor":0,
		"rules":[{"id":"a","decree":"NĐ","article":1,"act":"A","individual_min":5,"individual_max":1,"effective_from":"2021-13-01"},
		         {"id":"b","decree":"NĐ","article":1,"act":"B","individual_min":1,"individual_max":2,"effective_from":"2021-01-01"},
		         {"id":"b","decree":"NĐ","article":1,"act":"B","individual_min":1,"individual_max":3,"effective_from":"2021-06-01"}],
		"signers":[{"role":"ward","title":"W","individual_cap":1,"refer_to":"nobody"}]}`))
	msg = i18n.Error(err)
	for _, w := range []string{"org_factor: hệ số tổ chức phải ≥ 1", "rules[0].individual_max: khung tiền phạt không hợp lệ (5 – 1)",
		"rules[0].effective_from: ngày “2021-13-01”", "rules[2].effective_from: quy tắc “b” trùng thời gian hiệu lực với mục rules[1]",
		"signers[0].refer_to: không có người ký “nobody”"} {
		if !strings.Contains(msg, w) {
			t.Errorf("lacks %q:\n%s", w, msg)
		}
	}
}

func TestBrokenHolidayFile(t *testing.T) {
	i18n.SetLanguage("vi")
	_, err := ParseCalendar("holidays/bad.json", []byte(`{"id":"h","version":"1","title":"","source":"","years":[
		{"year":2030,"lunar_new_year":"","holidays":[{"date":"2030-01-01","kind":"fixed","name":"Tết Dương lịch"},
		{"date":"2031-04-30","kind":"fixed","name":"30/4"},{"date":"2030-05-01","kind":"party","name":"1/5"}],
		"workdays":[{"date":"2030-05-06","name":"Đi làm bù"}]}]}`))
	msg := i18n.Error(err)
	for _, w := range []string{"years[0].holidays[1].date: ngày 2031-04-30 không thuộc năm 2030",
		"years[0].holidays[2].kind: loại ngày nghỉ “party”", "years[0]: năm 2030 thiếu ngày nghỉ “tet”",
		"năm 2030 thiếu ngày nghỉ “09-02”", "ngày đi làm bù 2030-05-06 phải là thứ Bảy hoặc Chủ nhật"} {
		if !strings.Contains(msg, w) {
			t.Errorf("lacks %q:\n%s", w, msg)
		}
	}
}

func TestWorkingDayDeadlines(t *testing.T) {
	cal := loadBundled(t).Calendar
	cases := []struct {
		name             string
		from             time.Time
		hearing, explain string
	}{
		{"plain week", day(2021, 11, 8), "2021-11-10", "2021-11-15"},               // Mon → Wed; Mon next week
		{"over a weekend", day(2021, 11, 11), "2021-11-15", "2021-11-18"},          // Thu → Mon; Thu
		{"record on a Saturday", day(2021, 11, 13), "2021-11-16", "2021-11-19"},    // counts from Monday
		{"30/4, 1/5 and nghỉ bù", day(2021, 4, 29), "2021-05-05", "2021-05-10"},    // 30/4 Fri, 1/5 Sat, 3/5 compensatory
		{"Tết Tân Sửu", day(2021, 2, 9), "2021-02-18", "2021-02-23"},               // 10–16/2 off
		{"Quốc khánh 2 days", day(2021, 9, 1), "2021-09-07", "2021-09-10"},         // 2–3/9 off
		{"Saturday worked (làm bù)", day(2024, 4, 26), "2024-05-03", "2024-05-07"}, // 29/4–1/5 off, Sat 4/5 worked
		{"Giỗ Tổ", day(2025, 4, 4), "2025-04-09", "2025-04-14"},                    // Mon 7/4 off
		{"across New Year", day(2021, 12, 30), "2022-01-04", "2022-01-07"},         // 1/1 Sat, 3/1 compensatory
	}
	for _, c := range cases {
		dl, err := cal.RecordDeadlines(c.from)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := dl.Hearing.Format(dateLayout); got != c.hearing {
			t.Errorf("%s: hearing due %s, want %s", c.name, got, c.hearing)
		}
		if got := dl.Explanation.Format(dateLayout); got != c.explain {
			t.Errorf("%s: explanation due %s, want %s", c.name, got, c.explain)
		}
		if dl.Explanation.Location() != ict || dl.Explanation.Hour() != 23 {
			t.Errorf("%s: deadline %v is not the end of the day in the record's zone", c.name, dl.Explanation)
		}
	}
	// A year the calendar does not list is an error, never a guess.
	if _, err := cal.AddWorkingDays(day(2026, 12, 30), 5); data.ErrorCode(err) != data.ENotFound {
		t.Errorf("deadline into 2027: %v", err)
	}
	if n, err := cal.WorkingDaysBetween(day(2021, 2, 9), day(2021, 2, 23)); err != nil || n != 5 {
		t.Errorf("working days 9/2 → 23/2/2021 = %d, %v; want 5", n, err)
	}
	if got := cal.Holiday(day(2021, 2, 12)); got != "Tết Nguyên đán" {
		t.Errorf("12/2/2021 = %q", got)
	}
}

func TestLifecycle(t *testing.T) {
	rec := day(2021, 11, 8)
	due := rec.AddDate(0, 0, 7)
	allowed := []struct {
		from, action, to string
		facts            Facts
	}{
		{StatusFound, ActRecord, StatusRecorded, Facts{}},
		{StatusRecorded, ActExplain, StatusExplained, Facts{ExplainDue: due, At: rec.AddDate(0, 0, 2)}},
		{StatusRecorded, ActDecide, StatusDecided, Facts{ExplainDue: due, At: due.Add(time.Hour)}},
		{StatusExplained, ActDecide, StatusDecided, Facts{ExplainDue: due, At: rec.AddDate(0, 0, 3)}},
		{StatusExplained, ActRefer, StatusReferred, Facts{}},
		{StatusReferred, ActDecide, StatusDecided, Facts{ExplainDue: due, At: rec}},
		{StatusDecided, ActPay, StatusPaid, Facts{}},
		{StatusDecided, ActRemind, StatusReminded, Facts{}},
		{StatusReminded, ActRemind, StatusReminded, Facts{Reminders: 3, SuspendAfter: 3}},
		{StatusReminded, ActPay, StatusPaid, Facts{}},
		{StatusReminded, ActSuspend, StatusSuspended, Facts{Reminders: 4, SuspendAfter: 3}},
		{StatusSuspended, ActReinspect, StatusReinspected, Facts{}},
		{StatusPaid, ActReinspect, StatusReinspected, Facts{}},
		{StatusReinspected, ActClose, StatusClosed, Facts{}},
	}
	for _, c := range allowed {
		f := c.facts
		f.Status = c.from
		tr, err := Step(f, c.action)
		if err != nil || tr.To != c.to {
			t.Errorf("%s --%s--> %s: got %s, %v", c.from, c.action, c.to, tr.To, err)
		}
	}
	i18n.SetLanguage("vi")
	refused := []struct {
		from, action, msg string
		facts             Facts
	}{
		{StatusFound, ActDecide, "Không thể “ra quyết định xử phạt” khi vi phạm đang ở trạng thái “phát hiện”", Facts{}},
		{StatusFound, ActSuspend, "Không thể “tạm dừng hoạt động”", Facts{Reminders: 9}},
		{StatusDecided, ActRecord, "Không thể “lập biên bản”", Facts{}},
		{StatusClosed, ActRemind, "trạng thái “đã kết thúc”", Facts{}},
		{StatusPaid, ActClose, "Không thể “kết thúc hồ sơ”", Facts{}},
		{StatusRecorded, ActDecide, "Chưa hết thời hạn giải trình (đến hết ngày 15/11/2021)", Facts{ExplainDue: due, At: rec.AddDate(0, 0, 1)}},
		{StatusRecorded, ActExplain, "Đã quá hạn giải trình (15/11/2021)", Facts{ExplainDue: due, At: due.AddDate(0, 0, 1)}},
		{StatusReminded, ActSuspend, "Mới nhắc nhở 3 lần; chỉ tạm dừng hoạt động khi quá 3 lần nhắc nhở", Facts{Reminders: 3, SuspendAfter: 3}},
		{StatusFound, "burn", "Bước xử lý không hợp lệ: burn", Facts{}},
	}
	for _, c := range refused {
		f := c.facts
		f.Status = c.from
		_, err := Step(f, c.action)
		if err == nil {
			t.Errorf("%s --%s--> allowed", c.from, c.action)
			continue
		}
		if msg := i18n.Error(err); !strings.Contains(msg, c.msg) {
			t.Errorf("%s --%s--> message %q, want %q", c.from, c.action, msg, c.msg)
		}
	}
	// Every status but closed has a way forward; closed has none.
	for _, s := range Statuses {
		if got := Allowed(s); (len(got) == 0) != (s == StatusClosed) {
			t.Errorf("Allowed(%s) = %v", s, got)
		}
	}
}

func TestPosterAnswer(t *testing.T) {
	tpl, _ := loadBundled(t).Templates.ForCategory("grocery")
	a, ok := PosterAnswer(tpl, PosterCheck{Status: PosterGenuine})
	if !ok || a.Item != "qr_posted" || a.Value != AnswerYes {
		t.Errorf("genuine poster: %+v", a)
	}
	a, _ = PosterAnswer(tpl, PosterCheck{Status: PosterOtherVenue, Detail: "mã hợp lệ nhưng cấp cho địa điểm khác"})
	if a.Value != AnswerNo || !strings.Contains(a.Note, "cấp cho địa điểm khác") {
		t.Errorf("poster of another venue: %+v", a)
	}
	a, _ = PosterAnswer(tpl, PosterCheck{Status: PosterUnreadable})
	if a.Value != AnswerNo || !strings.Contains(a.Note, "không quét được") {
		t.Errorf("unreadable poster: %+v", a)
	}
	if failed := tpl.Failed(Answers{a.Item: a}); len(failed) != 1 || failed[0].Rule != "qr_not_posted" {
		t.Errorf("failed items %+v", failed)
	}
	bad := Answer{Item: "qr_posted", Value: "maybe", GPS: "north"}
	err := bad.Validate(tpl)
	if fe := data.FieldErrors(err); len(fe) != 2 {
		t.Errorf("bad answer: %v", err)
	}
}

func TestScheduleNormalize(t *testing.T) {
	s := Schedule{Area: " Quận Hải Châu và Quận Thanh Khê ", StartsAt: day(2021, 11, 5),
		Team:     []TeamMember{{Name: "Trần Văn A", Agency: "Sở Y tế", Role: "Trưởng đoàn"}, {Name: "B"}},
		Contacts: []Contact{{Agency: "UBND quận Hải Châu", Name: "Lê Văn C", Position: "Chánh Văn phòng", Phone: "0903 257 085"}, {Agency: "X", Name: "Y", Phone: "123"}}}
	err := s.Normalize()
	fe := data.FieldErrors(err)
	if len(fe) != 2 || fe[0].Key != "err.team_member_agency" || fe[1].Key != "err.contact_phone" {
		t.Fatalf("problems %+v", fe)
	}
	if s.Area != "Quận Hải Châu và Quận Thanh Khê" || s.Contacts[0].Phone != "0903257085" {
		t.Errorf("not normalised: %+v", s)
	}
}
