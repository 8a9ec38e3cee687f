package main

import (
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"qrward/data/demo"
	"qrward/data/sqlite"
	"qrward/scan"
)

// A poster printed by the CLI, rendered at 150 dpi, decodes to a venue
// code that verifies as genuine for the venue it was printed for.
func TestPosterRoundTrip(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (scripts/install-deps.sh installs poppler-utils)", tool)
		}
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	if code, _, stderr := qrward(t, "demo", "--db", db, "--venues-per-ward", "3", "--checkins", "100"); code != 0 {
		t.Fatal(stderr)
	}
	t.Setenv("QRWARD_KEY_PASSPHRASE", demo.DemoPassphrase)
	pdf := filepath.Join(dir, "poster.pdf")
	if code, _, stderr := qrward(t, "print", "poster", "--db", db, "--venue", "20239-0001", "--out", pdf); code != 0 {
		t.Fatalf("print poster: %s", stderr)
	}
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil || !strings.Contains(string(text), "Chợ Cồn") || !strings.Contains(string(text), "20239-0001") {
		t.Errorf("poster text: %q %v", text, err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %s", out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode poster QR: %v", err)
	}
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, _ := s.VenueByCode(t.Context(), "20239-0001")
	kr, _ := s.Keyring(t.Context())
	here := [16]byte(v.ID)
	verdict := scan.VerifyVenueCode(res.GetText(), kr, scan.Expectation{VenueID: &here, Issues: s})
	if verdict.Status != scan.VerdictGenuine {
		t.Errorf("verdict %v for %q", verdict.Status, res.GetText())
	}
	// Without the passphrase nothing is printed.
	t.Setenv("QRWARD_KEY_PASSPHRASE", "")
	if code, _, stderr := qrward(t, "print", "posters", "--db", db, "--ward", "20239", "--out", filepath.Join(dir, "x.pdf")); code != 1 || !strings.Contains(stderr, "mật khẩu") {
		t.Errorf("no passphrase: %d %q", code, stderr)
	}
}
