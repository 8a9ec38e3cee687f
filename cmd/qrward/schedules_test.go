package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIScheduleCitizenReportAndRound(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	if code, _, stderr := qrward(t, "demo", "--db", db, "--venues-per-ward", "6", "--checkins", "500"); code != 0 {
		t.Fatal(stderr)
	}
	code, out, stderr := qrward(t, "inspections", "schedule", "--db", db, "--json", "--ward", "20236", "--area", "Phường Hải Châu I",
		"--start", "2021-09-22 08:00", "--member", "Lê Văn Thành|UBND phường Hải Châu I|Trưởng đoàn",
		"--contact", "Công an phường|Trần Văn Bảo|Phó trưởng Công an|0905111333")
	var sched struct{ ID string }
	if code != 0 || json.Unmarshal([]byte(out), &sched) != nil || sched.ID == "" {
		t.Fatalf("schedule: %d %q %q", code, out, stderr)
	}
	if code, _, stderr := qrward(t, "citizen-report", "add", "--db", db, "--venue", "20236-0002", "--channel", "app",
		"--summary", "Không quét mã QR khách vào"); code != 0 {
		t.Fatalf("report: %s", stderr)
	}
	if code, _, stderr := qrward(t, "citizen-report", "add", "--db", db, "--venue", "20236-0002", "--channel", "fax", "--summary", ""); code != 1 || !strings.Contains(stderr, "Bắt buộc nhập") {
		t.Errorf("bad report: %d %q", code, stderr)
	}
	code, out, _ = qrward(t, "inspections", "round", "--db", db, "--ward", "20236", "--citizen-reports",
		"--schedule", sched.ID, "--team", "Tổ 1", "--assign")
	if code != 0 || !strings.Contains(out, "20236-0002") || !strings.Contains(out, "Người dân phản ánh") || !strings.Contains(out, "1 địa điểm") {
		t.Errorf("round: %d %q", code, out)
	}
}
