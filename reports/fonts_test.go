package reports

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBundledFontsCoverVietnamese(t *testing.T) {
	for _, fs := range []FontSet{LiberationSerif(), NotoSans()} {
		if err := checkFontSet(fs); err != nil {
			t.Errorf("%s: %v", fs.Name, err)
		}
	}
	if !LiberationSerif().Substitute() {
		t.Error("Liberation Serif should be flagged as a substitute")
	}
}

func TestFindTimesNewRoman(t *testing.T) {
	lib := LiberationSerif()
	// A directory with the four Windows file names (any case) is accepted.
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"times.ttf": lib.Regular, "TIMESBD.TTF": lib.Bold, "timesi.ttf": lib.Italic, "timesbi.ttf": lib.BoldItalic,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A macOS-style directory missing the bold italic is skipped.
	partial := t.TempDir()
	for name, data := range map[string][]byte{
		"Times New Roman.ttf": lib.Regular, "Times New Roman Bold.ttf": lib.Bold, "Times New Roman Italic.ttf": lib.Italic,
	} {
		if err := os.WriteFile(filepath.Join(partial, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := FindTimesNewRoman(filepath.Join(dir, "missing"), partial, dir)
	if err != nil {
		t.Fatal(err)
	}
	if fs.Source != dir || !fs.System || fs.Substitute() || len(fs.BoldItalic) != len(lib.BoldItalic) {
		t.Errorf("found %s in %s (system %v)", fs.Name, fs.Source, fs.System)
	}
	if _, err := FindTimesNewRoman(partial); !errors.Is(err, ErrFontNotFound) {
		t.Errorf("partial set: err = %v", err)
	}
	// A file that is not a font is rejected.
	bad := t.TempDir()
	for _, n := range []string{"times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"} {
		os.WriteFile(filepath.Join(bad, n), []byte("not a font"), 0o644)
	}
	if _, err := FindTimesNewRoman(bad); !errors.Is(err, ErrFontNotFound) {
		t.Errorf("garbage fonts: err = %v", err)
	}
	t.Logf("this machine uses %s (%s)", SerifFonts().Name, SerifFonts().Source)
}

// The PDF text itself is NFC (not only after normalising the extract):
// NFD input must not reach the page.
func TestPDFTextIsNFC(t *testing.T) {
	path := writePDF(t, "nfc.pdf", func(p string) error { return sampleRecord().WriteFile(p) })
	raw := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	// strings.Contains compares bytes, so an NFD name would not match.
	if !strings.Contains(raw, violatorName) {
		t.Errorf("raw pdftotext output lacks the precomposed (NFC) name %q", violatorName)
	}
}
