package printout

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qrward/assets/i18n"
	"qrward/data/demo"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

func demoStore(t *testing.T) *sqlite.Store {
	t.Helper()
	i18n.SetLanguage("vi")
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "printout.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.Date(2021, 11, 20, 17, 0, 0, 0, time.Local)
	if _, err := demo.Generate(t.Context(), s, demo.Options{Seed: 11, VenuesPerWard: 20, Checkins: 2000, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.GenerateHistory(t.Context(), s, 11, now); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRegisterAndScheduleXLSX(t *testing.T) {
	s := demoStore(t)
	var buf bytes.Buffer
	n, err := WriteRegisterXLSX(t.Context(), s, &buf, sqlite.RegisterFilter{})
	if err != nil || n == 0 {
		t.Fatalf("register: %d, %v", n, err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("Sổ vi phạm")
	if len(rows) != n+1 || rows[0][2] != "Tên cơ sở" || rows[0][9] != "Trạng thái" {
		t.Fatalf("register rows %d (want %d), header %v", len(rows), n+1, rows[0])
	}
	statuses := map[string]bool{}
	for _, r := range rows[1:] {
		statuses[r[9]] = true
	}
	for _, want := range []string{"đã lập biên bản", "đã ra quyết định", "tạm dừng hoạt động", "đã kết thúc"} {
		if !statuses[want] {
			t.Errorf("register lacks status %q: %v", want, statuses)
		}
	}
	sum, _ := x.GetRows("Tổng hợp")
	total := 0
	for _, r := range sum[1:] {
		var c int
		fmtSscan(r[3], &c)
		total += c
	}
	if total != n {
		t.Errorf("summary counts %d violations, register %d", total, n)
	}

	scs, _ := s.Schedules(t.Context(), time.Time{})
	buf.Reset()
	if err := WriteScheduleXLSX(t.Context(), s, &buf, scs[0].ID); err != nil {
		t.Fatal(err)
	}
	x, _ = excelize.OpenReader(&buf)
	team, _ := x.GetRows("Phụ lục I")
	contacts, _ := x.GetRows("Phụ lục II")
	round, _ := x.GetRows("Cơ sở kiểm tra")
	if len(team) != 5 || team[1][3] != "Tổ 1" || len(contacts) != 3 || contacts[1][4] != "0905000101" || len(round) < 2 {
		t.Errorf("schedule sheets: %v / %v / %d round rows", team, contacts, len(round))
	}
}

// The same document prints the same text every time (the GUI and the CLI
// call this one function), and a second print is audited too.
func TestPrintIsStable(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	s := demoStore(t)
	vs, _ := s.Violations(t.Context(), sqlite.RegisterFilter{Status: inspect.StatusClosed})
	doc, err := Find(t.Context(), s, inspect.DocDecision, vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, 2)
	for i := range texts {
		var buf bytes.Buffer
		if err := Write(t.Context(), s, &buf, doc); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = &buf
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		texts[i] = string(out)
	}
	if texts[0] != texts[1] || !strings.Contains(texts[0], doc.NumberText()) {
		t.Errorf("two prints differ or lack the number %s", doc.NumberText())
	}
	if n, _ := s.AuditCount(t.Context(), "document.print", doc.ID.String()); n != 2 {
		t.Errorf("print audit lines %d", n)
	}
}

func fmtSscan(s string, n *int) { fmt.Sscan(s, n) }
