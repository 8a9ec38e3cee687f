package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"qrward/data/demo"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// Every document kind prints headless from a demo replica with history,
// and a day's notices print as one PDF.
func TestCLIPrintDocuments(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "print.db")
	now := time.Date(2021, 11, 20, 17, 0, 0, 0, time.Local)
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(t.Context(), s, demo.Options{Seed: 3, VenuesPerWard: 20, Checkins: 2000, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.GenerateHistory(t.Context(), s, 3, now); err != nil {
		t.Fatal(err)
	}
	closed, _ := s.Violations(t.Context(), sqlite.RegisterFilter{Status: inspect.StatusClosed})
	suspended, _ := s.Violations(t.Context(), sqlite.RegisterFilter{Status: inspect.StatusSuspended})
	schedules, _ := s.Schedules(t.Context(), time.Time{})
	if len(closed) == 0 || len(suspended) == 0 || len(schedules) == 0 {
		t.Fatalf("demo history lacks cases: %d closed, %d suspended, %d schedules", len(closed), len(suspended), len(schedules))
	}
	sus := suspended[0]
	susDocs, _ := s.DocumentsFor(t.Context(), sus.ID, inspect.DocSuspension)
	s.Close()

	cases := []struct {
		kind, id string
		want     []string
	}{
		{"record", sus.ID.String(), []string{"BIÊN BẢN VI PHẠM HÀNH CHÍNH", "/BB-VPHC", "Chúng tôi gồm:", "Trần Văn Bình", "05 ngày làm việc"}},
		{"decision", sus.ID.String(), []string{"QUYẾT ĐỊNH", "/QĐ-XPHC", "(Bằng chữ: ", "đồng)"}},
		{"reminder", sus.ID.String(), []string{"THÔNG BÁO", "/TB-UBND", "(lần 4)", "Kính gửi:"}},
		{"suspension", susDocs[0].ID.String(), []string{"Về việc tạm dừng hoạt động của cơ sở", "/QĐ-UBND", sus.VenueName}},
		{"inspection", closed[0].InspectionID.String(), []string{"BIÊN BẢN KIỂM TRA", "/BB-KT", "Nội dung kiểm tra", "Không đạt"}},
		{"schedule", schedules[0].ID.String(), []string{"Phụ lục I", "Phụ lục II", "Tổ 1", "0905000101"}},
	}
	for _, c := range cases {
		out := filepath.Join(dir, c.kind+".pdf")
		code, stdout, stderr := qrward(t, "print", c.kind, "--db", db, "--id", c.id, "--out", out)
		if code != 0 {
			t.Errorf("print %s: exit %d %s", c.kind, code, stderr)
			continue
		}
		if !strings.Contains(stdout, "Đã in 1 văn bản") {
			t.Errorf("print %s said %q", c.kind, stdout)
		}
		text := pdfToText(t, out)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("print %s: PDF lacks %q", c.kind, w)
			}
		}
	}
	// A day's notices in one PDF.
	day := susDocs[0].IssuedAt.Format("2006-01-02")
	out := filepath.Join(dir, "day.pdf")
	if code, _, stderr := qrward(t, "print", "notices", "--db", db, "--date", day, "--kinds", "reminder,suspension,decision", "--out", out); code != 0 {
		t.Fatalf("print notices: %s", stderr)
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 1000 {
		t.Errorf("notices PDF: %v", err)
	}
	// Wrong kind for a document id, unknown id: exit 1 with a Vietnamese message.
	if code, _, stderr := qrward(t, "print", "decision", "--db", db, "--id", susDocs[0].ID.String(), "--out", out); code != 1 || !strings.Contains(stderr, "không phải") {
		t.Errorf("wrong kind: %d %q", code, stderr)
	}
	if code, _, _ := qrward(t, "print", "record", "--db", db, "--out", out); code != 2 {
		t.Errorf("missing --id: exit %d", code)
	}

	// Registers and steps.
	code, stdout, _ := qrward(t, "violations", "list", "--db", db, "--open", "--json")
	var open []violationJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &open) != nil || len(open) == 0 {
		t.Fatalf("violations list: %d %q", code, stdout)
	}
	for _, v := range open {
		if v.Status == inspect.StatusClosed {
			t.Errorf("--open listed a closed case")
		}
	}
	xlsx := filepath.Join(dir, "register.xlsx")
	if code, stdout, stderr := qrward(t, "violations", "export", "--db", db, "--out", xlsx); code != 0 || !strings.Contains(stdout, "Đã xuất") {
		t.Errorf("violations export: %d %q %q", code, stdout, stderr)
	}
	if code, _, stderr := qrward(t, "inspections", "export", "--db", db, "--id", schedules[0].ID.String(), "--out", filepath.Join(dir, "lich.xlsx")); code != 0 {
		t.Errorf("inspections export: %s", stderr)
	}
	// A step the lifecycle refuses: exit 1, Vietnamese reason.
	code, _, stderr := qrward(t, "violations", "step", "--db", db, "--id", closed[0].ID.String(), "--action", "remind")
	if code != 1 || !strings.Contains(stderr, "Không thể “nhắc nhở” khi vi phạm đang ở trạng thái “đã kết thúc”") {
		t.Errorf("refused step: %d %q", code, stderr)
	}
}
