package reports

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Helpers that read PDFs back with poppler-utils.

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (apt-get install -y poppler-utils): %v", name, err)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	needTool(t, name)
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, errb.String())
	}
	return out.String()
}

var spaces = regexp.MustCompile(`[ \t]+`)

// pdfText returns pdftotext -layout output, NFC-normalised, with runs of
// spaces collapsed to one (justified lines have wide gaps).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	s := run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
	return spaces.ReplaceAllString(norm.NFC.String(s), " ")
}

// pdfTextFlat is pdfText with all whitespace (incl. newlines) collapsed, to
// find phrases that wrap.
func pdfTextFlat(t *testing.T, path string) string {
	return strings.Join(strings.Fields(pdfText(t, path)), " ")
}

type pdfInfoResult struct {
	pages int
	w, h  float64 // pt, page 1
	raw   string
}

func pdfInfo(t *testing.T, path string) pdfInfoResult {
	t.Helper()
	s := run(t, "pdfinfo", path)
	var r pdfInfoResult
	r.raw = s
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(s); m != nil {
		r.pages, _ = strconv.Atoi(m[1])
	}
	if m := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(s); m != nil {
		r.w, _ = strconv.ParseFloat(m[1], 64)
		r.h, _ = strconv.ParseFloat(m[2], 64)
	}
	return r
}

// pageSizes returns the size in pt of every page.
func pageSizes(t *testing.T, path string, pages int) [][2]float64 {
	t.Helper()
	s := run(t, "pdfinfo", "-f", "1", "-l", strconv.Itoa(pages), path)
	re := regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)
	var out [][2]float64
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		out = append(out, [2]float64{w, h})
	}
	return out
}

type pdfFont struct {
	name, typ, encoding string
	emb, sub, uni       bool
}

func pdfFonts(t *testing.T, path string) []pdfFont {
	t.Helper()
	s := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(s), "\n")
	var out []pdfFont
	for _, ln := range lines[2:] {
		f := strings.Fields(ln)
		if len(f) < 7 {
			continue
		}
		n := len(f)
		out = append(out, pdfFont{
			name: f[0], typ: strings.Join(f[1:n-6], " "), encoding: f[n-6],
			emb: f[n-5] == "yes", sub: f[n-4] == "yes", uni: f[n-3] == "yes",
		})
	}
	return out
}

// renderPage rasterises one page at dpi with pdftoppm and decodes the PNG.
func renderPage(t *testing.T, path string, page, dpi int) image.Image {
	t.Helper()
	dir := t.TempDir()
	prefix := filepath.Join(dir, "p")
	p := strconv.Itoa(page)
	run(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-f", p, "-l", p, "-singlefile", path, prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("REPORTS_KEEP_PNG") != "" {
		keep := filepath.Join(os.Getenv("REPORTS_KEEP_PNG"), strings.TrimSuffix(filepath.Base(path), ".pdf")+"-"+p+".png")
		b, _ := os.ReadFile(prefix + ".png")
		_ = os.WriteFile(keep, b, 0o644)
	}
	return img
}

func isDark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 < 0x8000
}

// darkBounds returns the bounding box of dark pixels inside area.
func darkBounds(img image.Image, area image.Rectangle) (image.Rectangle, bool) {
	minX, minY, maxX, maxY := area.Max.X, area.Max.Y, area.Min.X-1, area.Min.Y-1
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			if isDark(img, x, y) {
				minX, minY = min(minX, x), min(minY, y)
				maxX, maxY = max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < minX {
		return image.Rectangle{}, false
	}
	return image.Rect(minX, minY, maxX+1, maxY+1), true
}

func pxToMM(px, dpi int) float64 { return float64(px) * 25.4 / float64(dpi) }

func writePDF(t *testing.T, name string, write func(path string) error) string {
	t.Helper()
	dir := t.TempDir()
	if d := os.Getenv("REPORTS_KEEP_PDF"); d != "" {
		dir = d
	}
	path := filepath.Join(dir, name)
	if err := write(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, norm.NFC.String(w)) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("text:\n%s", text)
	}
}
