package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"qrward/data"
	"qrward/data/sqlite"
	"qrward/scan"
)

func TestCLIPrintCardsReadableByTheScanStation(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	p := &data.Person{FullName: "Đỗ Thị Hường", Phone: "0905778899", IDNumber: "048187001234", BirthDate: "1987-03-02", QID: "162979388586171100"}
	if err := s.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, stderr := qrward(t, "print", "cards", "--db", db, "--phone", "0905778899", "--out", filepath.Join(dir, "the.pdf"))
	pdf := filepath.Join(dir, "the-du-lieu-ca-nhan.pdf")
	if code != 0 || !strings.Contains(out, pdf) {
		t.Fatalf("print cards: %d %q %q", code, out, stderr)
	}
	text, _ := exec.Command("pdftotext", pdf, "-").Output()
	if !strings.Contains(string(text), "Đỗ Thị Hường") {
		t.Errorf("card text: %q", text)
	}
	// The card's code is a national personal QR the station reads.
	got, err := scan.Parse(cardPayload(*p))
	if err != nil || got.Kind() != scan.KindPersonalQR {
		t.Errorf("payload %q: %v %v", cardPayload(*p), got, err)
	}
	if code, _, stderr := qrward(t, "print", "cards", "--db", db, "--phone", "0905000000", "--out", pdf); code != 1 || !strings.Contains(stderr, "Không tìm thấy") {
		t.Errorf("unknown person: %d %q", code, stderr)
	}
}
