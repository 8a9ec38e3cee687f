package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qrward/assets/i18n"
	"qrward/data/protect"
	"qrward/data/stats"
	"qrward/data/trace"
)

// demoReplica makes a small demo replica for CLI tests.
func demoReplica(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "trace.db")
	if code, _, stderr := qrward(t, "demo", "--db", db, "--venues-per-ward", "20", "--checkins", "20000"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	return db
}

func TestCLITrace(t *testing.T) {
	defer i18n.SetLanguage("vi")
	db := demoReplica(t)
	dir := filepath.Dir(db)

	code, out, stderr := qrward(t, "cases", "--db", db, "--json")
	var cases []caseJSON
	if code != 0 || json.Unmarshal([]byte(out), &cases) != nil || len(cases) != 5 || cases[0].Name == "" {
		t.Fatalf("cases: exit %d, %q %q", code, out, stderr)
	}
	// The busiest case gives the longest list.
	var tr traceJSON
	var caseID string
	for _, c := range cases {
		code, out, stderr = qrward(t, "trace", "--db", db, "--case", c.Short, "--json", "--f2")
		if code != 0 {
			t.Fatalf("trace: exit %d %s", code, stderr)
		}
		var r traceJSON
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("trace JSON: %v\n%s", err, out)
		}
		if len(r.F1) > len(tr.F1) {
			tr, caseID = r, c.Short
		}
	}
	if len(tr.F1) == 0 || len(tr.Visits) == 0 || tr.Rule != "vietnam" || tr.F2Rule != "f2_direct" || tr.Estimate == nil {
		t.Fatalf("trace result: %d F1, %d visits, rule %q/%q", len(tr.F1), len(tr.Visits), tr.Rule, tr.F2Rule)
	}
	seen := map[string]bool{}
	for _, c := range tr.F1 {
		// Every row says why: the visit, the venue, the times.
		if c.Reason == "" || c.Exposure.VenueName == "" || c.Exposure.Visit >= len(tr.Visits) ||
			tr.Visits[c.Exposure.Visit].VenueID != c.Exposure.VenueID || len(c.Exposures) == 0 {
			t.Fatalf("row without a reason: %+v", c)
		}
		d := c.Exposure.ContactIn - c.Exposure.F0In
		if d < -3600 || d > 3600 {
			t.Errorf("row outside ±1 h: %+v", c.Exposure)
		}
		if seen[c.PersonID.String()] {
			t.Errorf("%s listed twice", c.PersonID)
		}
		seen[c.PersonID.String()] = true
	}
	for _, c := range tr.F2 {
		if seen[c.PersonID.String()] || c.Via == "" || c.Exposure.OverlapSeconds < 15*60 {
			t.Errorf("bad F2 row %+v", c)
		}
	}

	// Estimate only.
	code, out, _ = qrward(t, "trace", "--db", db, "--case", caseID, "--estimate", "--json")
	var est trace.Estimate
	if code != 0 || json.Unmarshal([]byte(out), &est) != nil || est.Candidates < len(tr.F1) {
		t.Errorf("estimate: %d %q", code, out)
	}

	// The three outputs.
	pdf, xlsx, calls := filepath.Join(dir, "ds.pdf"), filepath.Join(dir, "ds.xlsx"), filepath.Join(dir, "goi.csv")
	code, out, stderr = qrward(t, "trace", "--db", db, "--case", caseID, "--pdf", pdf, "--xlsx", xlsx, "--calls", calls)
	// Contacts' names and phones: the names of the files say so.
	pdf, xlsx, calls = protect.PersonalFileName(pdf), protect.PersonalFileName(xlsx), protect.PersonalFileName(calls)
	if code != 0 || !strings.Contains(out, "goi-du-lieu-ca-nhan.csv") {
		t.Fatalf("outputs: exit %d %q %q", code, out, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(i18n.T("trace.xlsx.sheet"))
	f.Close()
	if len(rows) != len(tr.F1)+2 || rows[1][2] != "Họ và tên" || rows[2][2] != tr.F1[0].Name || rows[2][4] != tr.F1[0].Phone {
		t.Errorf("xlsx: %d rows, want %d; %v / %v", len(rows), len(tr.F1)+2, rows[1], rows[2])
	}
	b, _ := os.ReadFile(calls)
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("call list lacks the UTF-8 BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil || len(recs) != len(tr.F1)+1 || strings.Join(recs[0], ",") != "name,phone,venue,time,message_key" {
		t.Fatalf("call list: %v, %d rows", err, len(recs))
	}
	if recs[1][0] != tr.F1[0].Name || recs[1][1] != tr.F1[0].Phone || recs[1][4] != "f1_notice" {
		t.Errorf("call row %v", recs[1])
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Join(strings.Fields(string(txt)), " ")
		for _, want := range []string{"DANH SÁCH", "ỦY BAN NHÂN DÂN", "QUẬN HẢI CHÂU", tr.F1[0].Name, "Họ và tên"} {
			if !strings.Contains(s, want) {
				t.Errorf("PDF lacks %q", want)
			}
		}
	}

	// Bad input: unknown case, unknown rule, missing --case.
	if code, _, stderr := qrward(t, "trace", "--db", db, "--case", "ffffffff"); code != 1 || !strings.Contains(stderr, "Không tìm thấy ca F0") {
		t.Errorf("unknown case: %d %q", code, stderr)
	}
	if code, _, stderr := qrward(t, "trace", "--db", db, "--case", caseID, "--rule", "nope"); code != 1 || !strings.Contains(stderr, "Không có quy tắc") {
		t.Errorf("unknown rule: %d %q", code, stderr)
	}
	if code, _, _ := qrward(t, "trace", "--db", db); code != 2 {
		t.Errorf("missing --case: exit %d", code)
	}
	// A user rule file: ±1 minute gives a shorter list.
	rules := filepath.Join(dir, "rules.json")
	os.WriteFile(rules, []byte(`{"name":"tight","method":"scan_window","window_minutes":1}`), 0o644)
	code, out, _ = qrward(t, "trace", "--db", db, "--case", caseID, "--rules", rules, "--rule", "tight", "--json")
	var tight traceJSON
	if code != 0 || json.Unmarshal([]byte(out), &tight) != nil || len(tight.F1) >= len(tr.F1) {
		t.Errorf("tight rule: exit %d, %d F1 (vs %d)", code, len(tight.F1), len(tr.F1))
	}
}

func TestCLICaseAdd(t *testing.T) {
	defer i18n.SetLanguage("vi")
	db := demoReplica(t)
	code, out, _ := qrward(t, "cases", "--db", db, "--json")
	var cases []caseJSON
	json.Unmarshal([]byte(out), &cases)
	if code != 0 || len(cases) == 0 {
		t.Fatal("no cases")
	}
	// Found by name, ignoring diacritics; a bad date is refused with its field.
	code, _, stderr := qrward(t, "case", "add", "--db", db, "--qid", "000", "--confirmed", "2021-13-40")
	if code != 1 || !strings.Contains(stderr, "2021-13-40") {
		t.Errorf("bad date: %d %q", code, stderr)
	}
	code, _, stderr = qrward(t, "case", "add", "--db", db, "--qid", "000", "--confirmed", "2021-09-14")
	if code != 1 || !strings.Contains(stderr, "Không tìm thấy") {
		t.Errorf("unknown person: %d %q", code, stderr)
	}
	// A contact found by phone becomes a case with the default window.
	_, out, _ = qrward(t, "trace", "--db", db, "--case", cases[0].Short, "--json")
	var tr traceJSON
	if json.Unmarshal([]byte(out), &tr) != nil || len(tr.F1) == 0 {
		t.Fatalf("trace: %q", out)
	}
	code, out, stderr = qrward(t, "case", "add", "--db", db, "--phone", tr.F1[0].Phone, "--confirmed", "2021-09-14",
		"--onset", "2021-09-12", "--json")
	var added caseJSON
	if code != 0 || json.Unmarshal([]byte(out), &added) != nil || added.Name != tr.F1[0].Name ||
		added.WindowStart.In(trace.Vietnam).Format("2006-01-02 15:04") != "2021-09-10 00:00" {
		t.Fatalf("case add: %d %q %q", code, out, stderr)
	}
	if _, out, _ = qrward(t, "cases", "--db", db, "--json"); !strings.Contains(out, added.ID.String()) {
		t.Error("new case not listed")
	}
}

func TestCLIStatsAndRebuild(t *testing.T) {
	defer i18n.SetLanguage("vi")
	db := demoReplica(t)
	code, out, stderr := qrward(t, "stats", "--db", db, "--json", "--from", "2000-01-01", "--to", "2100-01-01")
	var st struct {
		Days []struct {
			Scans, People, Paper, VenuesScanned int
		}
		Wards []struct {
			Registered, WithQR int
			Total              struct{ Scans int }
		}
		SilentTotal int `json:"silent_total"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("stats: %d %q %q", code, out[:min(len(out), 200)], stderr)
	}
	scans, wardScans, registered := 0, 0, 0
	for _, d := range st.Days {
		scans += d.Scans
		if d.People > d.Scans || d.VenuesScanned > d.Scans {
			t.Errorf("day %+v", d)
		}
	}
	for _, w := range st.Wards {
		wardScans += w.Total.Scans
		registered += w.Registered
	}
	if scans != 20000 || wardScans != 20000 || registered != 260 || len(st.Wards) != 13 || st.SilentTotal == 0 {
		t.Errorf("scans %d/%d, registered %d, wards %d, silent %d", scans, wardScans, registered, len(st.Wards), st.SilentTotal)
	}
	if code, out, _ := qrward(t, "rollups", "rebuild", "--db", db); code != 0 || !strings.Contains(out, "Đã tính lại") {
		t.Errorf("rebuild: %d %q", code, out)
	}
	if code, out2, _ := qrward(t, "stats", "--db", db, "--json", "--from", "2000-01-01", "--to", "2100-01-01"); code != 0 ||
		strings.Split(out2, `"elapsed_ns"`)[0] != strings.Split(out, `"elapsed_ns"`)[0] {
		t.Error("stats differ after a rebuild")
	}
	if code, _, stderr := qrward(t, "stats", "--db", db, "--ward", "99999", "--from", "2021-99-01"); code != 1 ||
		!strings.Contains(stderr, "99999") || !strings.Contains(stderr, "2021-99-01") {
		t.Errorf("bad flags: %d %q", code, stderr)
	}
	if code, out, _ := qrward(t, "stats", "--db", db); code != 0 || !strings.Contains(out, "Phường") {
		t.Errorf("table: %d %q", code, out)
	}
}

func TestCLIReportAndSMSList(t *testing.T) {
	defer i18n.SetLanguage("vi")
	db := demoReplica(t)
	dir := filepath.Dir(db)
	pdf, xlsx, daily := filepath.Join(dir, "bc.pdf"), filepath.Join(dir, "bc.xlsx"), filepath.Join(dir, "nhanh.pdf")
	if code, _, _ := qrward(t, "report", "--db", db); code != 2 {
		t.Errorf("no output: exit %d", code)
	}
	if code, _, stderr := qrward(t, "report", "--db", db, "--period", "2021-09-30..2021-09-01", "--pdf", pdf); code != 2 || !strings.Contains(stderr, "2021-09-30") {
		t.Errorf("reversed period: %d %q", code, stderr)
	}
	code, _, stderr := qrward(t, "report", "--db", db, "--pdf", pdf, "--xlsx", xlsx)
	if code != 0 {
		t.Fatalf("report: %d %s", code, stderr)
	}
	if code, _, stderr := qrward(t, "report", "--db", db, "--daily", "--pdf", daily); code != 0 {
		t.Fatalf("daily: %d %s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	wards, _ := f.GetRows("Theo phường")
	days, _ := f.GetRows("Theo ngày")
	f.Close()
	if len(wards) != 13+4 || wards[1][1] != "Phường, xã" || wards[2][1] == "" || len(days) != 7+4 {
		t.Errorf("xlsx: %d ward rows, %d day rows", len(wards), len(days))
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, _ := exec.Command("pdftotext", pdf, "-").Output()
		s := strings.Join(strings.Fields(string(txt)), " ")
		for _, want := range []string{"BÁO CÁO", "Kính gửi", "Biểu đồ 1", "Số liệu theo phường", "Công tác truy vết", "Thạch Thang"} {
			if !strings.Contains(s, want) {
				t.Errorf("report PDF lacks %q", want)
			}
		}
		out, _ := exec.Command("pdfinfo", daily).Output()
		if !regexp.MustCompile(`(?m)^Pages:\s+1$`).Match(out) {
			t.Errorf("daily summary: %s", out)
		}
	}
	// SMS reminders: every row has a valid mobile and the venue's name in
	// its message.
	code, out, stderr := qrward(t, "sms-list", "--db", db, "--json")
	var rep stats.SMSList
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Rows) == 0 {
		t.Fatalf("sms-list: %d %q %q", code, out[:min(200, len(out))], stderr)
	}
	for _, r := range rep.Rows {
		if len(r.Phone) != 10 || r.Phone[0] != '0' || !strings.Contains(r.Message, r.VenueName) || len(r.Reasons) == 0 {
			t.Fatalf("bad row %+v", r)
		}
	}
	csvPath := filepath.Join(dir, "sms.csv")
	if code, out, _ := qrward(t, "sms-list", "--db", db, "--out", csvPath); code != 0 || !strings.Contains(out, "chủ cơ sở") {
		t.Errorf("sms csv: %d %q", code, out)
	}
	csvPath = protect.PersonalFileName(csvPath) // owners' phones
	b, _ := os.ReadFile(csvPath)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if !bytes.HasPrefix(b, []byte("\ufeff")) || err != nil || len(recs) != len(rep.Rows)+1 || recs[0][0] != "phone" {
		t.Errorf("sms csv: %v, %d rows", err, len(recs))
	}
}

func TestCLICaseVisit(t *testing.T) {
	defer i18n.SetLanguage("vi")
	db := demoReplica(t)
	_, out, _ := qrward(t, "cases", "--db", db, "--json")
	var cases []caseJSON
	json.Unmarshal([]byte(out), &cases)
	c := cases[0]
	_, out, _ = qrward(t, "trace", "--db", db, "--case", c.Short, "--json")
	var before traceJSON
	json.Unmarshal([]byte(out), &before)
	// A visit the F0 told the tracer about, at the venue of their first
	// visit, an hour later than the scan there.
	first := before.Visits[0]
	in := first.TimeIn.Add(time.Hour).In(trace.Vietnam).Format("2006-01-02 15:04")
	code, out, stderr := qrward(t, "case", "visit", "--db", db, "--case", c.Short, "--venue", first.VenueCode, "--in", in, "--note", "Phỏng vấn")
	if code != 0 || !strings.Contains(out, first.VenueName) {
		t.Fatalf("case visit: %d %q %q", code, out, stderr)
	}
	_, out, _ = qrward(t, "trace", "--db", db, "--case", c.Short, "--json")
	var after traceJSON
	json.Unmarshal([]byte(out), &after)
	manual := 0
	for _, v := range after.Visits {
		if v.Source == trace.VisitManual {
			manual++
		}
	}
	if manual != 1 || len(after.Visits) != len(before.Visits)+1 {
		t.Errorf("visits %d → %d, manual %d", len(before.Visits), len(after.Visits), manual)
	}
	code, _, stderr = qrward(t, "case", "visit", "--db", db, "--case", c.Short, "--venue", "nope", "--in", "2021-09-12 25:00")
	if code != 1 || !strings.Contains(stderr, "2021-09-12 25:00") {
		t.Errorf("bad time: %d %q", code, stderr)
	}
}
