package reports

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Fixed texts of the official header (Nghị định 30/2020/NĐ-CP, Phụ lục I).
const (
	NationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	NationalMotto = "Độc lập - Tự do - Hạnh phúc"
)

// Document kinds (ô 5a) commonly issued by a ward.
const (
	KindRecord   = "BIÊN BẢN"
	KindDecision = "QUYẾT ĐỊNH"
	KindReport   = "BÁO CÁO"
	KindNotice   = "THÔNG BÁO"
)

// Margins are page margins in millimetres.
type Margins struct{ Top, Bottom, Left, Right float64 }

// DefaultMargins are the Nghị định 30/2020 margins used by qrward:
// top/bottom 20 mm, left 30 mm, right 15 mm.
func DefaultMargins() Margins { return Margins{Top: 20, Bottom: 20, Left: 30, Right: 15} }

// DocOptions configure a new official document.
type DocOptions struct {
	// Landscape turns the A4 page sideways (for wide tables such as tracing
	// lists). Margins stay as configured.
	Landscape bool
	// Margins in mm; the zero value means DefaultMargins().
	Margins Margins
	// BodySize is the body font size in pt (13–14); 0 means 14.
	BodySize float64
	// Fonts is the serif family; nil means SerifFonts().
	Fonts *FontSet
	// Title and Author go into the PDF metadata.
	Title, Author string
}

// Document builds an A4 official document in the Nghị định 30/2020 layout.
// Methods append content top to bottom and break pages as needed; the first
// error is kept and returned by Err, Output and WriteFile.
type Document struct {
	pdf          *fpdf.Fpdf
	ts           typesetter
	fonts        FontSet
	m            Margins
	pageW, pageH float64
	textW        float64
	leftW        float64 // width of the left header/footer block
	body         float64
	y            float64
}

// NewDocument starts an official document with its first page.
func NewDocument(opts DocOptions) *Document {
	fonts := SerifFonts()
	if opts.Fonts != nil {
		fonts = *opts.Fonts
	}
	m := opts.Margins
	if m == (Margins{}) {
		m = DefaultMargins()
	}
	orient := "P"
	if opts.Landscape {
		orient = "L"
	}
	body := opts.BodySize
	if body <= 0 {
		body = 14
	}
	p := fpdf.New(orient, "mm", "A4", "")
	p.SetCellMargin(0)
	p.SetAutoPageBreak(false, m.Bottom)
	p.SetMargins(m.Left, m.Top, m.Right)
	p.SetCreator("qrward", true)
	if opts.Title != "" {
		p.SetTitle(nfc(opts.Title), true)
	}
	if opts.Author != "" {
		p.SetAuthor(nfc(opts.Author), true)
	}
	if fonts.Substitute() {
		p.SetKeywords("font: "+fonts.Name+" (metric-compatible substitute for Times New Roman)", true)
	}
	fam := fonts.family(prefixSerif)
	registerFontSet(p, fam, fonts)
	d := &Document{pdf: p, ts: typesetter{pdf: p, family: fam}, fonts: fonts, m: m, body: body}
	d.pageW, d.pageH = p.GetPageSize()
	d.textW = d.pageW - m.Left - m.Right
	d.leftW = d.textW * 65 / 165
	p.SetHeaderFunc(func() {
		// Page numbers: centred in the top margin, not on page 1.
		if n := p.PageNo(); n > 1 {
			lh := lineHeight(d.body)
			d.ts.textCenter(strconv.Itoa(n), "", d.body, m.Left+d.textW/2, (m.Top-lh)/2, lh)
		}
	})
	p.SetFont(fam, "", body)
	d.newPage()
	return d
}

// PDF exposes the underlying fpdf document for drawing not covered here.
func (d *Document) PDF() *fpdf.Fpdf { return d.pdf }

// Fonts returns the serif family the document uses.
func (d *Document) Fonts() FontSet { return d.fonts }

// TextWidth returns the width between the margins in mm.
func (d *Document) TextWidth() float64 { return d.textW }

// Y returns the current vertical position in mm; SetY moves it.
func (d *Document) Y() float64 { return d.y }

// SetY moves the current vertical position (mm from the top edge).
func (d *Document) SetY(y float64) { d.y = y }

// Err returns the first error met while building.
func (d *Document) Err() error { return d.pdf.Error() }

// Output writes the PDF.
func (d *Document) Output(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return err
	}
	return finishPDF(d.pdf, w, registered{prefixSerif, d.fonts})
}

// WriteFile writes the PDF to a file.
func (d *Document) WriteFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := d.Output(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (d *Document) newPage() {
	d.pdf.AddPage()
	d.y = d.m.Top
}

// bottom is the lowest y content may reach.
func (d *Document) bottom() float64 { return d.pageH - d.m.Bottom }

// ensure starts a new page unless h mm fit below the current position.
func (d *Document) ensure(h float64) {
	if d.y+h > d.bottom()+1e-6 && d.y > d.m.Top+1e-6 {
		d.newPage()
	}
}

// Space adds vertical space in pt.
func (d *Document) Space(pt float64) {
	d.y += pt * ptToMM
	if d.y > d.bottom() {
		d.newPage()
	}
}

// NewPage forces a page break.
func (d *Document) NewPage() { d.newPage() }

// DocHeader is the two-block header band of page 1.
type DocHeader struct {
	// Parent is an optional parent body (ô 2, caps, upright), e.g.
	// "UBND QUẬN HẢI CHÂU" above a steering committee.
	Parent string
	// Issuer is the issuing body (ô 2, caps, bold); '\n' separates lines,
	// e.g. "ỦY BAN NHÂN DÂN\nPHƯỜNG HẢI CHÂU I". Long lines wrap.
	Issuer string
	// Number and Symbol give "Số: 05/BB-VPHC" (see FormatDocNumber).
	Number int
	Symbol string
	// Summary is the "V/v …" line of a letter (công văn), under the number.
	Summary string
	// Place and Date give the place-date line (see DateLine).
	Place string
	Date  time.Time
}

// WardIssuer returns the issuer text of a ward People's Committee:
// "ỦY BAN NHÂN DÂN\nPHƯỜNG <NAME>". ward may be "Hải Châu I" or
// "Phường Hải Châu I".
func WardIssuer(ward string) string {
	w := strings.TrimSpace(nfc(ward))
	if !strings.HasPrefix(strings.ToLower(w), "phường") && !strings.HasPrefix(strings.ToLower(w), "xã") &&
		!strings.HasPrefix(strings.ToLower(w), "thị trấn") {
		w = "Phường " + w
	}
	return "ỦY BAN NHÂN DÂN\n" + upper(w)
}

const headerSize = 13

// Header draws the header band: issuing body, number, national title,
// motto and place-date line.
func (d *Document) Header(h DocHeader) {
	ts := d.ts
	x0 := d.m.Left
	leftCX := x0 + d.leftW/2
	rightW := d.textW - d.leftW
	rightCX := x0 + d.leftW + rightW/2
	lh := lineHeight(headerSize)
	// Stacked diacritics on capitals ("Ộ", "Ủ") rise above the line box.
	top := d.y + 1

	// Left block.
	y := top
	if h.Parent != "" {
		for _, part := range strings.Split(upper(h.Parent), "\n") {
			for _, ln := range ts.wrap(part, "", headerSize, d.leftW) {
				ts.textCenter(ln, "", headerSize, leftCX, y, lh)
				y += lh
			}
		}
	}
	lastW := 0.0
	for _, part := range strings.Split(upper(h.Issuer), "\n") {
		for _, ln := range ts.wrap(part, "B", headerSize, d.leftW) {
			lastW = ts.textCenter(ln, "B", headerSize, leftCX, y, lh)
			y += lh
		}
	}
	if lastW > 0 {
		rule := lastW * 0.45
		if rule < 15 {
			rule = 15
		}
		d.hrule(leftCX-rule/2, leftCX+rule/2, y+0.6)
	}
	leftBottom := y + 1.2

	// Right block.
	y = top
	qhSize := float64(headerSize)
	for qhSize > 10 && ts.width(NationalTitle, "B", qhSize) > rightW {
		qhSize -= 0.5
	}
	ts.textCenter(NationalTitle, "B", qhSize, rightCX, y, lh)
	y += lh
	mottoSize := 14.0
	mlh := lineHeight(mottoSize)
	mw := ts.textCenter(NationalMotto, "B", mottoSize, rightCX, y, mlh)
	y += mlh
	d.hrule(rightCX-mw/2, rightCX+mw/2, y+0.8)
	rightBottom := y + 1.4

	// Number (ô 3) and place-date (ô 4) on one line below both blocks.
	y = max(leftBottom, rightBottom) + 1.5
	dlh := lineHeight(14)
	ts.textCenter(FormatDocNumber(h.Number, h.Symbol), "", headerSize, leftCX, y, dlh)
	dateLine := DateLine(h.Place, h.Date)
	for _, ln := range ts.wrap(dateLine, "I", 14, rightW) {
		ts.textCenter(ln, "I", 14, rightCX, y, dlh)
		y += dlh
	}
	yl := max(leftBottom, rightBottom) + 1.5 + dlh
	if h.Summary != "" {
		yl += 6 * ptToMM
		slh := lineHeight(12)
		for _, ln := range ts.wrap(nfc(h.Summary), "", 12, d.leftW) {
			ts.textCenter(ln, "", 12, leftCX, yl, slh)
			yl += slh
		}
	}
	d.y = max(y, yl) + 6
}

func (d *Document) hrule(x1, x2, y float64) {
	d.pdf.SetLineWidth(0.3)
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.Line(x1, y, x2, y)
}

// Title draws the document kind (caps, bold, centred; e.g. KindRecord) and
// the subject lines (bold, centred) with a short rule under them.
func (d *Document) Title(kind string, subject ...string) {
	size := 14.0
	lh := lineHeight(size)
	cx := d.m.Left + d.textW/2
	kinds := d.ts.wrap(upper(kind), "B", size, d.textW)
	var subj []string
	for _, s := range subject {
		subj = append(subj, d.ts.wrap(nfc(s), "B", size, d.textW*0.85)...)
	}
	d.ensure(float64(len(kinds)+len(subj))*lh + 8)
	for _, ln := range kinds {
		d.ts.textCenter(ln, "B", size, cx, d.y, lh)
		d.y += lh
	}
	widest := 0.0
	for _, ln := range subj {
		widest = max(widest, d.ts.textCenter(ln, "B", size, cx, d.y, lh))
		d.y += lh
	}
	if widest > 0 {
		rule := max(widest/3, 25)
		d.hrule(cx-rule/2, cx+rule/2, d.y+1.2)
		d.y += 2.5
	}
	d.y += 4
}

// KinhGui draws "Kính gửi:" and the recipients: one on the same line, or
// several as a dashed list aligned under the colon.
func (d *Document) KinhGui(recipients ...string) {
	if len(recipients) == 0 {
		return
	}
	size := d.body
	lh := lineHeight(size)
	label := "Kính gửi:"
	if len(recipients) == 1 {
		lines := d.ts.layout([]Run{T(label + " " + nfc(recipients[0]))}, size, d.textW-20, d.textW-20)
		d.ensure(float64(len(lines)) * lh)
		for _, ln := range lines {
			ln.hard = true
			d.ts.drawLine(ln, size, d.m.Left, d.y, d.textW, lh, AlignCenter)
			d.y += lh
		}
		d.y += 6 * ptToMM
		return
	}
	x0 := d.m.Left + 20
	lw := d.ts.width(label+" ", "", size)
	xl := x0 + lw
	width := d.m.Left + d.textW - xl
	d.ensure(lh * 2)
	d.pdf.SetFont(d.ts.family, "", size)
	d.pdf.Text(x0, d.y+lh/2+0.3*size*ptToMM, label)
	for i, r := range recipients {
		r = strings.TrimRight(nfc(strings.TrimSpace(r)), ";.")
		end := ";"
		if i == len(recipients)-1 {
			end = "."
		}
		dash := d.ts.width("- ", "", size)
		lines := d.ts.layout([]Run{T(r + end)}, size, width-dash, width-dash)
		for j, ln := range lines {
			d.ensure(lh)
			if j == 0 {
				d.pdf.SetFont(d.ts.family, "", size)
				d.pdf.Text(xl, d.y+lh/2+0.3*size*ptToMM, "-")
			}
			d.ts.drawLine(ln, size, xl+dash, d.y, width-dash, lh, AlignJustify)
			d.y += lh
		}
	}
	d.y += 6 * ptToMM
}

// ParaStyle controls a paragraph. The zero value is the body style:
// justified, body size, first-line indent 1.27 cm, 6 pt after.
type ParaStyle struct {
	Align Align
	// NoIndent suppresses the first-line indent; Indent overrides it (mm).
	NoIndent bool
	Indent   float64
	// Left indents every line (mm), e.g. for lists.
	Left float64
	// Size in pt; 0 means the body size.
	Size float64
	// SpaceAfter in pt; 0 means 6 pt, negative means none.
	SpaceAfter float64
	// Leading is the line spacing factor (1 = single, up to 1.5); 0 means 1.
	Leading float64
}

// Paragraph adds a body paragraph (justified, first-line indent).
func (d *Document) Paragraph(text string) { d.Para(ParaStyle{}, T(text)) }

// Paragraphf is Paragraph with fmt.Sprintf formatting.
func (d *Document) Paragraphf(format string, args ...any) {
	d.Paragraph(fmt.Sprintf(format, args...))
}

// Heading adds a centred bold line (e.g. "Điều 1" headings or section titles).
func (d *Document) Heading(text string) {
	d.Para(ParaStyle{Align: AlignCenter, NoIndent: true}, B(text))
}

// Para adds a paragraph made of styled runs; '\n' in a run breaks the line.
func (d *Document) Para(st ParaStyle, runs ...Run) {
	size := st.Size
	if size <= 0 {
		size = d.body
	}
	lead := st.Leading
	if lead <= 0 {
		lead = 1
	}
	lh := lineHeight(size) * lead
	indent := 12.7
	if st.Indent > 0 {
		indent = st.Indent
	}
	if st.NoIndent || st.Align == AlignCenter || st.Align == AlignRight {
		indent = 0
	}
	width := d.textW - st.Left
	lines := d.ts.layout(runs, size, width-indent, width)
	first := true
	for i, ln := range lines {
		// Keep the last two lines of a paragraph together.
		need := lh
		if i == len(lines)-2 {
			need = 2 * lh
		}
		d.ensure(need)
		x, w := d.m.Left+st.Left, width
		if first {
			x += indent
			w -= indent
		}
		d.ts.drawLine(ln, size, x, d.y, w, lh, st.Align)
		d.y += lh
		first = ln.hard
	}
	after := st.SpaceAfter
	if after == 0 {
		after = 6
	}
	if after > 0 {
		d.y += after * ptToMM
	}
}

// Signature is a signing block (ô 7a–7c).
type Signature struct {
	// OnBehalf is "TM. ỦY BAN NHÂN DÂN" for a collective, or empty.
	OnBehalf string
	// Deputy is e.g. "KT. CHỦ TỊCH" when a deputy signs for the head.
	Deputy string
	// Title is the signer's title, e.g. "CHỦ TỊCH" or "PHÓ CHỦ TỊCH".
	Title string
	// Note is an optional italic line, e.g. "(Ký, ghi rõ họ tên)".
	Note string
	// Name is the signer's full name (bold).
	Name string
	// Space is the room left for signature and seal in mm; 0 means 28.
	Space float64
}

// Footer is the closing band: "Nơi nhận:" list on the left, signature on
// the right.
type Footer struct {
	// Recipients are printed as "- X;" lines (11 pt).
	Recipients []string
	// Archive completes the last line "- Lưu: VT, <Archive>.", e.g. "VP".
	// Empty gives "- Lưu: VT."
	Archive   string
	Signature Signature
}

// sigBlock measures (and, if draw, draws) a signature block centred on cx
// with its top at y; it returns the block height.
func (d *Document) sigBlock(s Signature, cx, width float64, draw bool, y float64) float64 {
	size := 14.0
	lh := lineHeight(size)
	y0 := y
	for _, t := range []string{s.OnBehalf, s.Deputy, s.Title} {
		if strings.TrimSpace(t) == "" {
			continue
		}
		for _, ln := range d.ts.wrap(upper(t), "B", size, width) {
			if draw {
				d.ts.textCenter(ln, "B", size, cx, y, lh)
			}
			y += lh
		}
	}
	if s.Note != "" {
		for _, ln := range d.ts.wrap(nfc(s.Note), "I", 13, width) {
			if draw {
				d.ts.textCenter(ln, "I", 13, cx, y, lineHeight(13))
			}
			y += lineHeight(13)
		}
	}
	space := s.Space
	if space <= 0 {
		space = 28
	}
	y += space
	if s.Name != "" {
		for _, ln := range d.ts.wrap(nfc(s.Name), "B", size, width) {
			if draw {
				d.ts.textCenter(ln, "B", size, cx, y, lh)
			}
			y += lh
		}
	}
	return y - y0
}

// Footer draws "Nơi nhận:" and the signature block side by side, moving
// both to a new page if they do not fit.
func (d *Document) Footer(f Footer) {
	leftW := d.leftW
	rightW := d.textW - leftW
	rightCX := d.m.Left + leftW + rightW/2
	// Left: recipients.
	// Each entry is "- text;" with continuation lines hanging after the dash.
	dashW := d.ts.width("- ", "", 11)
	type recLine struct {
		text string
		dash bool
	}
	var lines []recLine
	add := func(text string) {
		for i, ln := range d.ts.wrap(text, "", 11, leftW-dashW) {
			lines = append(lines, recLine{ln, i == 0})
		}
	}
	for _, r := range f.Recipients {
		r = strings.TrimRight(strings.TrimSpace(nfc(r)), ";.")
		r = strings.TrimSpace(strings.TrimPrefix(r, "-"))
		add(r + ";")
	}
	archive := "Lưu: VT"
	if a := strings.TrimSpace(strings.TrimRight(nfc(f.Archive), ".")); a != "" {
		archive += ", " + a
	}
	add(archive + ".")
	lh11 := lineHeight(11)
	lh12 := lineHeight(12)
	leftH := lh12 + float64(len(lines))*lh11
	rightH := d.sigBlock(f.Signature, rightCX, rightW, false, 0)
	d.y += 6 * ptToMM
	d.ensure(max(leftH, rightH))
	y := d.y
	d.pdf.SetFont(d.ts.family, "BI", 12)
	d.pdf.Text(d.m.Left, y+lh12/2+0.3*12*ptToMM, "Nơi nhận:")
	yl := y + lh12
	d.pdf.SetFont(d.ts.family, "", 11)
	for _, ln := range lines {
		base := yl + lh11/2 + 0.3*11*ptToMM
		if ln.dash {
			d.pdf.Text(d.m.Left, base, "-")
		}
		d.pdf.Text(d.m.Left+dashW, base, ln.text)
		yl += lh11
	}
	d.sigBlock(f.Signature, rightCX, rightW, true, y)
	d.y = y + max(leftH, rightH) + 4
}

// Signatures draws several signing blocks side by side in equal columns
// (e.g. violator and record maker at the foot of a violation record).
func (d *Document) Signatures(blocks ...Signature) {
	if len(blocks) == 0 {
		return
	}
	colW := d.textW / float64(len(blocks))
	h := 0.0
	for _, b := range blocks {
		h = max(h, d.sigBlock(b, 0, colW-4, false, 0))
	}
	d.y += 6 * ptToMM
	d.ensure(h)
	for i, b := range blocks {
		cx := d.m.Left + colW*(float64(i)+0.5)
		d.sigBlock(b, cx, colW-4, true, d.y)
	}
	d.y += h + 4
}

// DateLine returns the place-date line of ô 4, e.g.
// "Hải Châu, ngày 05 tháng 01 năm 2026": days below 10 get a leading zero;
// months get one only for January and February. A zero time leaves blanks
// to fill by hand. An empty place gives just the date part.
func DateLine(place string, t time.Time) string {
	var date string
	if t.IsZero() {
		date = "ngày     tháng     năm 20   "
	} else {
		m := strconv.Itoa(int(t.Month()))
		if t.Month() <= time.February {
			m = fmt.Sprintf("%02d", int(t.Month()))
		}
		date = fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), m, t.Year())
	}
	place = strings.TrimSpace(nfc(place))
	if place == "" {
		return date
	}
	return place + ", " + date
}

// FormatDocNumber returns the number line of ô 3, e.g. "Số: 05/BB-VPHC".
// Numbers below 10 get a leading zero; n ≤ 0 leaves a blank to fill by hand.
func FormatDocNumber(n int, symbol string) string {
	symbol = strings.TrimSpace(nfc(symbol))
	num := "      "
	if n > 0 {
		num = fmt.Sprintf("%02d", n)
	}
	if symbol == "" {
		return "Số: " + strings.TrimSpace(num)
	}
	return "Số: " + num + "/" + upper(symbol)
}
