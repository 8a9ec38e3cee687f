package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"fyne.io/fyne/v2/theme"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"golang.org/x/image/font/sfnt"
)

// Family-name prefixes for fpdf. fpdf names an embedded font
// "utf8<family><style>"; finishPDF rewrites that, at equal length, into a
// subset-tagged PostScript name ("QRWSRF+LiberationSerifB") so viewers and
// pdffonts recognise the subset.
const (
	prefixSerif = "sf+"
	prefixSans  = "ss+"
)

var subsetTags = map[string]string{prefixSerif: "QRWSRF", prefixSans: "QRWSNS"}

// psName is the family name without spaces (ASCII letters and digits only).
func (f FontSet) psName() string {
	var b strings.Builder
	for _, r := range f.Name {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "Font"
	}
	return b.String()
}

// family returns the fpdf family name for the set under a prefix.
func (f FontSet) family(prefix string) string { return prefix + strings.ToLower(f.psName()) }

// registered remembers the families added to one PDF for finishPDF.
type registered struct {
	prefix string
	fonts  FontSet
}

// finishPDF writes the PDF, giving embedded subsets tagged names.
func finishPDF(p *fpdf.Fpdf, w io.Writer, fams ...registered) error {
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return err
	}
	out := buf.Bytes()
	for _, r := range fams {
		for _, st := range []string{"", "B", "I", "BI"} {
			old := "/BaseFont /utf8" + r.fonts.family(r.prefix) + st + "\n"
			repl := "/BaseFont /" + subsetTags[r.prefix] + "+" + r.fonts.psName() + st + "\n"
			if len(old) == len(repl) {
				out = bytes.ReplaceAll(out, []byte(old), []byte(repl))
			}
		}
	}
	_, err := w.Write(out)
	return err
}

// FontSet is one font family in its four styles, as TrueType bytes.
// Every PDF embeds a subset of the glyphs it uses.
type FontSet struct {
	// Name is the human name of the family, e.g. "Times New Roman" or
	// "Liberation Serif".
	Name string
	// Regular, Bold, Italic and BoldItalic hold TrueType (.ttf) data.
	Regular, Bold, Italic, BoldItalic []byte
	// Source says where the bytes came from: a directory or "embedded".
	Source string
	// System is true when the fonts were loaded from the operating system.
	System bool
}

// Substitute reports whether the set is a stand-in for Times New Roman,
// which Nghị định 30/2020 names for official documents.
func (f FontSet) Substitute() bool {
	return !strings.EqualFold(f.Name, "Times New Roman")
}

func (f FontSet) complete() bool {
	return len(f.Regular) > 0 && len(f.Bold) > 0 && len(f.Italic) > 0 && len(f.BoldItalic) > 0
}

// LiberationSerif returns the embedded Liberation Serif family (SIL OFL),
// metric-compatible with Times New Roman.
func LiberationSerif() FontSet {
	return FontSet{
		Name:       "Liberation Serif",
		Regular:    liberationserifregular.TTF,
		Bold:       liberationserifbold.TTF,
		Italic:     liberationserifitalic.TTF,
		BoldItalic: liberationserifbolditalic.TTF,
		Source:     "embedded",
	}
}

// NotoSans returns the Noto Sans family bundled with Fyne (the GUI's font),
// used for posters and cards.
func NotoSans() FontSet {
	return FontSet{
		Name:       "Noto Sans",
		Regular:    theme.DefaultTextFont().Content(),
		Bold:       theme.DefaultTextBoldFont().Content(),
		Italic:     theme.DefaultTextItalicFont().Content(),
		BoldItalic: theme.DefaultTextBoldItalicFont().Content(),
		Source:     "embedded",
	}
}

var (
	serifOnce sync.Once
	serifSet  FontSet
)

// SerifFonts returns the font used for official documents: the system's
// Times New Roman when all four styles are installed, cover Vietnamese and
// load in the PDF engine; otherwise the embedded Liberation Serif.
// The result is computed once per process.
func SerifFonts() FontSet {
	serifOnce.Do(func() {
		if fs, err := FindTimesNewRoman(TimesNewRomanDirs()...); err == nil {
			serifSet = fs
			return
		}
		serifSet = LiberationSerif()
	})
	return serifSet
}

// TimesNewRomanDirs lists the usual font directories of Windows, macOS and
// Linux where Times New Roman may be installed.
func TimesNewRomanDirs() []string {
	var dirs []string
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		win := os.Getenv("WINDIR")
		if win == "" {
			win = `C:\Windows`
		}
		dirs = append(dirs, filepath.Join(win, "Fonts"))
		if la := os.Getenv("LOCALAPPDATA"); la != "" {
			dirs = append(dirs, filepath.Join(la, "Microsoft", "Windows", "Fonts"))
		}
	case "darwin":
		dirs = append(dirs,
			"/System/Library/Fonts/Supplemental",
			"/Library/Fonts",
			"/System/Library/Fonts",
		)
		if home != "" {
			dirs = append(dirs, filepath.Join(home, "Library", "Fonts"))
		}
	default:
		dirs = append(dirs,
			"/usr/share/fonts/truetype/msttcorefonts",
			"/usr/share/fonts/TTF",
			"/usr/share/fonts/truetype",
			"/usr/share/fonts/msttcore",
			"/usr/share/fonts/msttcorefonts",
			"/usr/local/share/fonts",
		)
		if home != "" {
			dirs = append(dirs,
				filepath.Join(home, ".local", "share", "fonts"),
				filepath.Join(home, ".fonts"),
			)
		}
	}
	return dirs
}

// File names used for Times New Roman by the different systems, per style.
var tnrNames = [4][]string{
	{"times.ttf", "Times New Roman.ttf", "Times_New_Roman.ttf", "TimesNewRoman.ttf"},
	{"timesbd.ttf", "Times New Roman Bold.ttf", "Times_New_Roman_Bold.ttf", "TimesNewRomanBold.ttf", "TimesNewRoman-Bold.ttf"},
	{"timesi.ttf", "Times New Roman Italic.ttf", "Times_New_Roman_Italic.ttf", "TimesNewRomanItalic.ttf", "TimesNewRoman-Italic.ttf"},
	{"timesbi.ttf", "Times New Roman Bold Italic.ttf", "Times_New_Roman_Bold_Italic.ttf", "TimesNewRomanBoldItalic.ttf", "TimesNewRoman-BoldItalic.ttf"},
}

// ErrFontNotFound is returned by FindTimesNewRoman when no usable
// Times New Roman is installed.
var ErrFontNotFound = errors.New("reports: Times New Roman not found")

// FindTimesNewRoman looks for the four Times New Roman styles in the given
// directories (file names are matched case-insensitively). All four must be
// in one directory, cover every Vietnamese letter and load in fpdf.
func FindTimesNewRoman(dirs ...string) (FontSet, error) {
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		byLower := make(map[string]string, len(entries))
		for _, e := range entries {
			byLower[strings.ToLower(e.Name())] = e.Name()
		}
		var data [4][]byte
		ok := true
		for style, names := range tnrNames {
			for _, n := range names {
				real, found := byLower[strings.ToLower(n)]
				if !found {
					continue
				}
				b, err := os.ReadFile(filepath.Join(dir, real))
				if err == nil && len(b) > 0 {
					data[style] = b
					break
				}
			}
			if data[style] == nil {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		fs := FontSet{
			Name:    "Times New Roman",
			Regular: data[0], Bold: data[1], Italic: data[2], BoldItalic: data[3],
			Source: dir, System: true,
		}
		if err := checkFontSet(fs); err != nil {
			continue
		}
		return fs, nil
	}
	return FontSet{}, ErrFontNotFound
}

// vietnameseLetters lists every lower-case Vietnamese letter (precomposed);
// upper-case forms are checked too.
const vietnameseLetters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"

// checkFontSet verifies that each style covers Vietnamese and that fpdf can
// parse it.
func checkFontSet(fs FontSet) error {
	if !fs.complete() {
		return errors.New("reports: incomplete font set")
	}
	for i, b := range [][]byte{fs.Regular, fs.Bold, fs.Italic, fs.BoldItalic} {
		if err := coversVietnamese(b); err != nil {
			return fmt.Errorf("style %d: %w", i, err)
		}
	}
	p := fpdf.New("P", "mm", "A4", "")
	registerFontSet(p, fs.family(prefixSerif), fs)
	return p.Error()
}

func coversVietnamese(ttf []byte) error {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return err
	}
	var buf sfnt.Buffer
	for _, r := range vietnameseLetters + strings.ToUpper(vietnameseLetters) {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			return fmt.Errorf("reports: font lacks %q", r)
		}
	}
	return nil
}

func registerFontSet(p *fpdf.Fpdf, family string, fs FontSet) {
	p.AddUTF8FontFromBytes(family, "", fs.Regular)
	p.AddUTF8FontFromBytes(family, "B", fs.Bold)
	p.AddUTF8FontFromBytes(family, "I", fs.Italic)
	p.AddUTF8FontFromBytes(family, "BI", fs.BoldItalic)
}
