package reports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// PosterVenue is what a venue poster shows. The lead maps domain venues
// onto it; Payload is the short ASCII string encoded in the QR.
type PosterVenue struct {
	Name         string // venue name, e.g. "Cửa hàng tạp hóa Hường Phát"
	Address      string // street address as printed
	WardName     string // e.g. "Phường Hải Châu I"
	DistrictName string // e.g. "Quận Hải Châu" (empty after the 2025 reform)
	OfficeName   string // issuing office, e.g. "Ủy ban nhân dân phường Hải Châu I"
	VenueCode    string // human-readable code printed under the QR
	Payload      string // QR content (short ASCII, signed by the caller)
	IssuedOn     time.Time
}

// PaperSize selects the poster sheet.
type PaperSize int

// Poster sizes. A5 is A4 scaled by 1/√2; its QR stays ≥ 10 cm.
const (
	PaperA4 PaperSize = iota
	PaperA5
)

// Minimum printed QR widths (dark modules, finder to finder edge), in mm.
const (
	MinPosterQRA4 = 150.0
	MinPosterQRA5 = 100.0
	MinCardQR     = 50.0
)

// DefaultPosterInstructions are the short visitor instructions.
var DefaultPosterInstructions = []string{
	"Dùng ứng dụng PC-Covid hoặc ứng dụng của phường quét mã QR này trước khi vào.",
	"Khai báo y tế trung thực, đầy đủ; xuất trình khi được yêu cầu.",
	"Đeo khẩu trang, sát khuẩn tay, giữ khoảng cách khi ở trong cơ sở.",
	"Có sốt, ho, khó thở: không vào, báo ngay cho cơ sở y tế gần nhất.",
}

// PosterOptions configure posters. The zero value prints A4 posters with
// the default titles, instructions and error-correction level M.
type PosterOptions struct {
	Size         PaperSize
	Title        string   // default "MÃ QR ĐỊA ĐIỂM"
	Subtitle     string   // default "QUÉT MÃ KHI VÀO"
	Instructions []string // default DefaultPosterInstructions
	Level        ECLevel
	Fonts        *FontSet // sans family; nil means NotoSans()
}

// Progress is called after each item of a batch with the number done and
// the total.
type Progress func(done, total int)

// sheet is an fpdf document set up with the sans family.
type sheet struct {
	pdf   *fpdf.Fpdf
	ts    typesetter
	fonts FontSet
}

// ISO sheet sizes in mm (fpdf's own "A5" is 148.5 mm wide).
var (
	sizeA4 = fpdf.SizeType{Wd: 210, Ht: 297}
	sizeA5 = fpdf.SizeType{Wd: 148, Ht: 210}
)

func newSheet(size fpdf.SizeType, fonts *FontSet) *sheet {
	fs := NotoSans()
	if fonts != nil {
		fs = *fonts
	}
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: size})
	p.SetCellMargin(0)
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(0, 0, 0)
	p.SetCreator("qrward", true)
	fam := fs.family(prefixSans)
	registerFontSet(p, fam, fs)
	p.SetFont(fam, "", 12)
	return &sheet{pdf: p, ts: typesetter{pdf: p, family: fam}, fonts: fs}
}

func (s *sheet) output(w io.Writer) error {
	if err := s.pdf.Error(); err != nil {
		return err
	}
	return finishPDF(s.pdf, w, registered{prefixSans, s.fonts})
}

// WritePoster writes a one-page venue poster.
func WritePoster(w io.Writer, v PosterVenue, opts PosterOptions) error {
	return WritePosters(context.Background(), w, []PosterVenue{v}, opts, nil)
}

// WritePosters writes one poster per venue into a single PDF. progress (may
// be nil) is called after each poster; a cancelled ctx stops the batch and
// returns ctx.Err() without writing anything.
func WritePosters(ctx context.Context, w io.Writer, venues []PosterVenue, opts PosterOptions, progress Progress) error {
	if len(venues) == 0 {
		return errors.New("reports: no venues to print")
	}
	size := sizeA4
	if opts.Size == PaperA5 {
		size = sizeA5
	}
	s := newSheet(size, opts.Fonts)
	s.pdf.SetTitle("Mã QR địa điểm", true)
	for i, v := range venues {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.poster(v, opts); err != nil {
			return fmt.Errorf("reports: poster %d (%s): %w", i+1, v.VenueCode, err)
		}
		if progress != nil {
			progress(i+1, len(venues))
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.output(w)
}

// Colours of the poster text.
var (
	colorTitle = [3]int{0, 61, 122}
	colorAlert = [3]int{190, 20, 20}
)

func (s *sheet) color(c [3]int) { s.pdf.SetTextColor(c[0], c[1], c[2]) }

// fitLines wraps text at the largest size in [minSize, size] that needs at
// most maxLines lines; at minSize extra lines are cut and marked "…".
func (s *sheet) fitLines(text, style string, size, minSize, width float64, maxLines int) ([]string, float64) {
	for ; size > minSize; size -= 0.5 {
		if lines := s.ts.wrap(text, style, size, width); len(lines) <= maxLines {
			return lines, size
		}
	}
	lines := s.ts.wrap(text, style, minSize, width)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		last := lines[maxLines-1] + "…"
		for s.ts.width(last, style, minSize) > width && len([]rune(last)) > 1 {
			r := []rune(last)
			last = string(r[:len(r)-2]) + "…"
		}
		lines[maxLines-1] = last
	}
	return lines, minSize
}

// block is a prepared group of centred lines.
type block struct {
	lines []string
	style string
	size  float64
	color [3]int
	lead  float64 // line height factor
}

func (b block) height() float64 { return float64(len(b.lines)) * lineHeight(b.size) * b.lead }

func (s *sheet) drawBlock(b block, cx, y float64) float64 {
	lh := lineHeight(b.size) * b.lead
	s.color(b.color)
	for _, ln := range b.lines {
		s.ts.textCenter(ln, b.style, b.size, cx, y, lh)
		y += lh
	}
	s.color([3]int{})
	return y
}

// poster lays out one poster page. All sizes are designed for A4 and
// scaled by k for A5.
func (s *sheet) poster(v PosterVenue, opts PosterOptions) error {
	m, err := qrMatrix(v.Payload, opts.Level)
	if err != nil {
		return err
	}
	s.pdf.AddPage()
	pw, ph := s.pdf.GetPageSize()
	k := pw / 210
	cx := pw / 2
	margin := 8 * k
	textW := pw - 2*margin
	minQR := MinPosterQRA4
	if opts.Size == PaperA5 {
		minQR = MinPosterQRA5
	}
	maxQR := 165 * k

	office := strings.TrimSpace(v.OfficeName)
	if office == "" {
		office = "Ủy ban nhân dân " + strings.TrimSpace(v.WardName)
	}
	var place []string
	for _, p := range []string{v.WardName, v.DistrictName} {
		if p = strings.TrimSpace(nfc(p)); p != "" {
			place = append(place, p)
		}
	}
	title := opts.Title
	if title == "" {
		title = "MÃ QR ĐỊA ĐIỂM"
	}
	subtitle := opts.Subtitle
	if subtitle == "" {
		subtitle = "QUÉT MÃ KHI VÀO"
	}
	instr := opts.Instructions
	if instr == nil {
		instr = DefaultPosterInstructions
	}

	// Top blocks.
	officeLines, officeSize := s.fitLines(upper(office), "B", 13*k, 9*k, textW, 1)
	top := []block{
		{officeLines, "B", officeSize, [3]int{}, 1},
		{[]string{strings.Join(place, ", ")}, "", 11 * k, [3]int{}, 1},
	}
	titleB := block{[]string{upper(title)}, "B", 30 * k, colorTitle, 1}
	subB := block{[]string{upper(subtitle)}, "B", 17 * k, colorAlert, 1}
	// The venue name prefers one line (down to 18 pt), then two.
	nameLines, nameSize := s.fitLines(nfc(v.Name), "B", 24*k, 18*k, textW, 1)
	if len(s.ts.wrap(nfc(v.Name), "B", 18*k, textW)) > 1 {
		nameLines, nameSize = s.fitLines(nfc(v.Name), "B", 22*k, 15*k, textW, 2)
	}
	nameB := block{nameLines, "B", nameSize, [3]int{}, 1}
	addrLines, addrSize := s.fitLines("Địa chỉ: "+nfc(v.Address), "", 13*k, 10*k, textW, 2)
	addrB := block{addrLines, "", addrSize, [3]int{}, 1}

	// Bottom blocks: code and issue date on one line, then instructions.
	issued := "Ngày cấp: "
	if v.IssuedOn.IsZero() {
		issued += "…/…/……"
	} else {
		issued += v.IssuedOn.Format("02/01/2006")
	}
	codeSize := 14 * k
	codeRuns := []Run{B("Mã địa điểm: " + nfc(v.VenueCode)), T(" · " + issued)}
	codeLines := s.ts.layout(codeRuns, codeSize, textW, textW)
	codeH := float64(len(codeLines)) * lineHeight(codeSize)
	instrSize := 10 * k
	instrLH := lineHeight(instrSize)
	colGap := 6 * k
	boxPad := 2.5 * k
	colW := (textW - 2*boxPad - colGap) / 2
	bullet := "• "
	bulletW := s.ts.width(bullet, "", instrSize)
	var instrCols [2][][]string
	for i, it := range instr {
		instrCols[i%2] = append(instrCols[i%2], s.ts.wrap(nfc(it), "", instrSize, colW-bulletW))
	}
	colH := func(c [][]string) float64 {
		h := 0.0
		for _, it := range c {
			h += float64(len(it))*instrLH + 1*k
		}
		return h
	}
	instrTitleSize := 11.5 * k
	instrH := 0.0
	if len(instr) > 0 {
		instrH = 2*boxPad + lineHeight(instrTitleSize) + 0.5*k + max(colH(instrCols[0]), colH(instrCols[1]))
	}

	gap := 2 * k
	topH := top[0].height() + top[1].height() + 3*k + titleB.height() + subB.height() + gap + nameB.height() + addrB.height()
	bottomH := codeH + gap + instrH

	// QR size and quiet zone (4 modules, at most 10 mm, at least 2 modules).
	n := float64(len(m))
	avail := ph - 2*margin - topH - bottomH
	qzFor := func(code float64) float64 {
		mod := code / n
		return max(2*mod, min(4*mod, 10*k))
	}
	code := min(maxQR, avail-2*qzFor(avail-20*k))
	code = min(code, pw-2*qzFor(code))
	qz := qzFor(code)
	if code+2*qz > avail {
		code = avail - 2*qz
	}
	if code < minQR {
		return fmt.Errorf("layout leaves %.0f mm for the QR, need %.0f mm (shorten the instructions)", code, minQR)
	}
	slack := avail - code - 2*qz

	// Draw top.
	y := margin
	y = s.drawBlock(top[0], cx, y)
	y = s.drawBlock(top[1], cx, y)
	s.pdf.SetDrawColor(colorTitle[0], colorTitle[1], colorTitle[2])
	s.pdf.SetLineWidth(0.5 * k)
	s.pdf.Line(cx-40*k, y+1.2*k, cx+40*k, y+1.2*k)
	y += 3 * k
	y = s.drawBlock(titleB, cx, y)
	y = s.drawBlock(subB, cx, y)
	y += gap
	y = s.drawBlock(nameB, cx, y)
	y = s.drawBlock(addrB, cx, y)

	// QR, centred in the remaining space.
	y += slack/2 + qz
	drawQR(s.pdf, m, cx-code/2, y, code)
	y += code + qz + slack/2

	// Bottom.
	for _, ln := range codeLines {
		ln.hard = true
		s.ts.drawLine(ln, codeSize, margin, y, textW, lineHeight(codeSize), AlignCenter)
		y += lineHeight(codeSize)
	}
	y += gap
	if len(instr) > 0 {
		bx := margin
		s.pdf.SetDrawColor(colorTitle[0], colorTitle[1], colorTitle[2])
		s.pdf.SetLineWidth(0.35 * k)
		s.pdf.RoundedRect(bx, y, textW, instrH, 2.5*k, "1234", "D")
		ty := y + boxPad
		s.color(colorTitle)
		s.ts.textCenter("HƯỚNG DẪN NGƯỜI ĐẾN", "B", instrTitleSize, cx, ty, lineHeight(instrTitleSize))
		s.color([3]int{})
		ty += lineHeight(instrTitleSize) + 0.5*k
		for c := 0; c < 2; c++ {
			x := bx + boxPad + float64(c)*(colW+colGap)
			yy := ty
			for _, it := range instrCols[c] {
				for j, ln := range it {
					base := yy + instrLH/2 + 0.3*instrSize*ptToMM
					s.pdf.SetFont(s.ts.family, "", instrSize)
					if j == 0 {
						s.pdf.Text(x, base, strings.TrimSpace(bullet))
					}
					s.pdf.Text(x+bulletW, base, ln)
					yy += instrLH
				}
				yy += 1 * k
			}
		}
	}
	s.pdf.SetDrawColor(0, 0, 0)
	return s.pdf.Error()
}
