package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qrward/data"
	"qrward/data/sqlite"
)

func TestCLIPersonExportAndCorrect(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	p := &data.Person{FullName: "Võ Thị Sáu", Phone: "0935111222", IDNumber: "048190000001"}
	if err := s.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, stderr := qrward(t, "person", "export", "--db", db, "--phone", "+84935111222", "--out", filepath.Join(dir, "yeu-cau.json"))
	want := filepath.Join(dir, "yeu-cau-du-lieu-ca-nhan.json")
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("export: %d %q %q", code, out, stderr)
	}
	var rec sqlite.PersonRecord
	b, _ := os.ReadFile(want)
	if json.Unmarshal(b, &rec) != nil || rec.Person.FullName != "Võ Thị Sáu" {
		t.Errorf("export content %s", b)
	}
	if info, _ := os.Stat(want); info.Mode().Perm() != 0o600 {
		t.Errorf("export readable by others: %v", info.Mode())
	}
	if code, _, stderr := qrward(t, "person", "correct", "--db", db, "--id-number", "048190000001", "--set-phone", "0935999888"); code != 0 {
		t.Fatalf("correct: %s", stderr)
	}
	if code, _, _ := qrward(t, "person", "export", "--db", db, "--phone", "0935999888", "--out", want); code != 0 {
		t.Error("corrected phone not found")
	}
	if code, _, stderr := qrward(t, "person", "correct", "--db", db, "--phone", "0935999888", "--set-phone", "123"); code != 1 || !strings.Contains(stderr, "Không phải số di động") {
		t.Errorf("bad correction: %d %q", code, stderr)
	}
}
