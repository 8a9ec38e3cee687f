package reports

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

// ptToMM converts typographic points to millimetres.
const ptToMM = 25.4 / 72

// nfc normalises text to Unicode NFC. fpdf does no shaping, so decomposed
// (NFD) Vietnamese would print with misplaced marks.
func nfc(s string) string { return norm.NFC.String(s) }

// upper returns s in capitals (Vietnamese-aware) and NFC.
func upper(s string) string { return nfc(strings.ToUpper(nfc(s))) }

// Run is a piece of text in one style. Paragraphs are made of runs so a
// label can be bold inside ordinary text.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
}

// T returns a regular run.
func T(s string) Run { return Run{Text: s} }

// B returns a bold run.
func B(s string) Run { return Run{Text: s, Bold: true} }

// I returns an italic run.
func I(s string) Run { return Run{Text: s, Italic: true} }

// BI returns a bold italic run.
func BI(s string) Run { return Run{Text: s, Bold: true, Italic: true} }

func (r Run) style() string {
	s := ""
	if r.Bold {
		s += "B"
	}
	if r.Italic {
		s += "I"
	}
	return s
}

// Align is a horizontal alignment.
type Align int

// Alignments. The zero value justifies (the body-text rule).
const (
	AlignJustify Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// piece is a part of a word in one style.
type piece struct {
	text  string
	style string
	w     float64
}

// word is a unit between spaces; it may mix styles ("Điều 1." + ":").
type word struct {
	pieces []piece
	w      float64
}

// textLine is a laid-out line.
type textLine struct {
	words []word
	w     float64 // sum of word widths, no spaces
	hard  bool    // last line of a paragraph or followed by '\n'
}

// typesetter measures and draws text in one font family on an fpdf document.
type typesetter struct {
	pdf    *fpdf.Fpdf
	family string
}

func (t typesetter) width(s, style string, size float64) float64 {
	t.pdf.SetFont(t.family, style, size)
	return t.pdf.GetStringWidth(s)
}

// layout breaks runs into lines. firstW is the width available for the first
// line (after a first-line indent), restW for the others.
func (t typesetter) layout(runs []Run, size, firstW, restW float64) []textLine {
	spaceW := t.width(" ", "", size)
	var lines []textLine
	// Split runs into hard-broken segments, then words.
	var cur []word
	var w word
	inWord := false
	flushWord := func() {
		if inWord && len(w.pieces) > 0 {
			cur = append(cur, w)
		}
		w = word{}
		inWord = false
	}
	var segments [][]word
	for _, r := range runs {
		txt := nfc(r.Text)
		st := r.style()
		// Split on spaces and newlines, keeping boundaries.
		start := 0
		for i, ch := range txt {
			if ch == ' ' || ch == '\n' || ch == '\t' {
				if i > start {
					w.pieces = append(w.pieces, piece{text: txt[start:i], style: st})
					inWord = true
				}
				flushWord()
				if ch == '\n' {
					segments = append(segments, cur)
					cur = nil
				}
				start = i + 1
			}
		}
		if start < len(txt) {
			w.pieces = append(w.pieces, piece{text: txt[start:], style: st})
			inWord = true
		}
	}
	flushWord()
	segments = append(segments, cur)

	for _, seg := range segments {
		// Measure words; split words longer than a line.
		var words []word
		for _, wd := range seg {
			for i := range wd.pieces {
				wd.pieces[i].w = t.width(wd.pieces[i].text, wd.pieces[i].style, size)
				wd.w += wd.pieces[i].w
			}
			if wd.w > restW && restW > 0 {
				words = append(words, t.splitWord(wd, size, restW)...)
			} else {
				words = append(words, wd)
			}
		}
		if len(words) == 0 {
			lines = append(lines, textLine{hard: true})
			continue
		}
		var ln textLine
		avail := firstW
		if len(lines) > 0 {
			avail = restW
		}
		for _, wd := range words {
			need := wd.w
			if len(ln.words) > 0 {
				need += spaceW
			}
			if len(ln.words) > 0 && ln.w+float64(len(ln.words)-1)*spaceW+need > avail+1e-6 {
				lines = append(lines, ln)
				ln = textLine{}
				avail = restW
			}
			ln.words = append(ln.words, wd)
			ln.w += wd.w
		}
		ln.hard = true
		lines = append(lines, ln)
	}
	return lines
}

// splitWord cuts an over-long word into pieces no wider than maxW.
func (t typesetter) splitWord(wd word, size, maxW float64) []word {
	var out []word
	var cur word
	for _, p := range wd.pieces {
		for _, r := range p.text {
			s := string(r)
			rw := t.width(s, p.style, size)
			if cur.w+rw > maxW && cur.w > 0 {
				out = append(out, cur)
				cur = word{}
			}
			n := len(cur.pieces)
			if n > 0 && cur.pieces[n-1].style == p.style {
				cur.pieces[n-1].text += s
				cur.pieces[n-1].w += rw
			} else {
				cur.pieces = append(cur.pieces, piece{text: s, style: p.style, w: rw})
			}
			cur.w += rw
		}
	}
	if cur.w > 0 || len(cur.pieces) > 0 {
		out = append(out, cur)
	}
	return out
}

// drawLine draws one line with its top at y, inside [x, x+width].
func (t typesetter) drawLine(ln textLine, size, x, y, width, lineH float64, align Align) {
	if len(ln.words) == 0 {
		return
	}
	spaceW := t.width(" ", "", size)
	natural := ln.w + float64(len(ln.words)-1)*spaceW
	gap := spaceW
	switch align {
	case AlignCenter:
		x += (width - natural) / 2
	case AlignRight:
		x += width - natural
	case AlignJustify:
		if !ln.hard && len(ln.words) > 1 && natural < width {
			gap = spaceW + (width-natural)/float64(len(ln.words)-1)
		}
	}
	baseline := y + lineH/2 + 0.3*size*ptToMM
	for i, wd := range ln.words {
		if i > 0 {
			x += gap
		}
		// Merge pieces of the same style and draw.
		for _, p := range wd.pieces {
			t.pdf.SetFont(t.family, p.style, size)
			t.pdf.Text(x, baseline, p.text)
			x += p.w
		}
	}
}

// lineHeight returns the default line height in mm for a font size in pt
// (single spacing, 1.2 em).
func lineHeight(size float64) float64 { return size * ptToMM * 1.2 }

// wrap breaks plain text in one style into lines of at most width mm.
func (t typesetter) wrap(text, style string, size, width float64) []string {
	r := Run{Text: text, Bold: strings.Contains(style, "B"), Italic: strings.Contains(style, "I")}
	lines := t.layout([]Run{r}, size, width, width)
	out := make([]string, len(lines))
	for i, ln := range lines {
		var sb strings.Builder
		for j, wd := range ln.words {
			if j > 0 {
				sb.WriteByte(' ')
			}
			for _, p := range wd.pieces {
				sb.WriteString(p.text)
			}
		}
		out[i] = sb.String()
	}
	return out
}

// textCenter draws a single line of text centred on cx with its top at y.
func (t typesetter) textCenter(s, style string, size, cx, y, lineH float64) float64 {
	w := t.width(s, style, size)
	t.pdf.SetFont(t.family, style, size)
	t.pdf.Text(cx-w/2, y+lineH/2+0.3*size*ptToMM, s)
	return w
}
