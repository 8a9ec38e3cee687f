package reports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// PersonalCard is one personal-code card (QR cá nhân) for people without a
// phone. Payload is the short ASCII string encoded in the QR.
type PersonalCard struct {
	FullName   string // e.g. "Nguyễn Thị Đặng Hường"
	BirthYear  string // e.g. "1987" (or a full date, as the caller prefers)
	Phone      string // optional, printed as given (mask it if needed)
	Code       string // human-readable code printed on the card
	Payload    string
	OfficeName string // issuing office, e.g. "UBND phường Hải Châu I"
	IssuedOn   time.Time
}

// CardOptions configure personal-code card sheets.
type CardOptions struct {
	Title string // default "MÃ QR CÁ NHÂN"
	Level ECLevel
	Fonts *FontSet // sans family; nil means NotoSans()
}

// Card sheet geometry (A4 portrait, mm): 2 columns × 3 rows of 95 × 92 mm
// cards, centred, with cut marks in the margins.
const (
	CardWidth   = 95.0
	CardHeight  = 92.0
	CardColumns = 2
	CardRows    = 3
	cardQR      = 54.0 // printed QR width (≥ MinCardQR)
)

// CardsPerSheet is the number of cards on one A4 sheet.
const CardsPerSheet = CardColumns * CardRows

// CardRect returns the position (mm, top-left) of card i (0-based) on its
// sheet, and the sheet index.
func CardRect(i int) (sheetIdx int, x, y float64) {
	x0 := (sizeA4.Wd - CardColumns*CardWidth) / 2
	y0 := (sizeA4.Ht - CardRows*CardHeight) / 2
	j := i % CardsPerSheet
	return i / CardsPerSheet, x0 + float64(j%CardColumns)*CardWidth, y0 + float64(j/CardColumns)*CardHeight
}

// WriteCards prints personal-code cards, six per A4 sheet, with cut marks.
// progress (may be nil) is called after each card; a cancelled ctx stops
// the batch and returns ctx.Err() without writing anything.
func WriteCards(ctx context.Context, w io.Writer, cards []PersonalCard, opts CardOptions, progress Progress) error {
	if len(cards) == 0 {
		return errors.New("reports: no cards to print")
	}
	s := newSheet(sizeA4, opts.Fonts)
	s.pdf.SetTitle("Mã QR cá nhân", true)
	for i, c := range cards {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i%CardsPerSheet == 0 {
			s.pdf.AddPage()
			s.cutMarks()
		}
		_, x, y := CardRect(i)
		if err := s.card(c, opts, x, y); err != nil {
			return fmt.Errorf("reports: card %d (%s): %w", i+1, c.Code, err)
		}
		if progress != nil {
			progress(i+1, len(cards))
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.output(w)
}

// cutMarks draws crop marks at every cut line in the margins and faint
// dashed guides along the card edges.
func (s *sheet) cutMarks() {
	p := s.pdf
	_, x0, y0 := CardRect(0)
	x1 := x0 + CardColumns*CardWidth
	y1 := y0 + CardRows*CardHeight
	p.SetDrawColor(170, 170, 170)
	p.SetLineWidth(0.15)
	p.SetDashPattern([]float64{1.5, 1.5}, 0)
	for c := 0; c <= CardColumns; c++ {
		x := x0 + float64(c)*CardWidth
		p.Line(x, y0, x, y1)
	}
	for r := 0; r <= CardRows; r++ {
		y := y0 + float64(r)*CardHeight
		p.Line(x0, y, x1, y)
	}
	p.SetDashPattern(nil, 0)
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.25)
	const gap, length = 1.5, 5.0
	for c := 0; c <= CardColumns; c++ {
		x := x0 + float64(c)*CardWidth
		p.Line(x, y0-gap-length, x, y0-gap)
		p.Line(x, y1+gap, x, y1+gap+length)
	}
	for r := 0; r <= CardRows; r++ {
		y := y0 + float64(r)*CardHeight
		p.Line(x0-gap-length, y, x0-gap, y)
		p.Line(x1+gap, y, x1+gap+length, y)
	}
}

// card draws one card with its top-left corner at (x, y).
func (s *sheet) card(c PersonalCard, opts CardOptions, x, y float64) error {
	m, err := qrMatrix(c.Payload, opts.Level)
	if err != nil {
		return err
	}
	cx := x + CardWidth/2
	inner := CardWidth - 8
	yy := y + 5.5
	if office := strings.TrimSpace(c.OfficeName); office != "" {
		lines, size := s.fitLines(upper(office), "B", 8.5, 6.5, inner, 1)
		yy = s.drawBlock(block{lines, "B", size, [3]int{}, 1}, cx, yy)
	}
	title := opts.Title
	if strings.TrimSpace(title) == "" {
		title = "MÃ QR CÁ NHÂN"
	}
	yy = s.drawBlock(block{[]string{upper(title)}, "B", 12, colorTitle, 1}, cx, yy)
	mod := cardQR / float64(len(m))
	qz := max(2*mod, 3.0)
	yy += qz
	drawQR(s.pdf, m, cx-cardQR/2, yy, cardQR)
	yy += cardQR + qz - 1
	nameLines, nameSize := s.fitLines(nfc(c.FullName), "B", 13, 9, inner, 1)
	yy = s.drawBlock(block{nameLines, "B", nameSize, [3]int{}, 1}, cx, yy)
	var info []string
	if c.BirthYear != "" {
		info = append(info, "Năm sinh: "+nfc(c.BirthYear))
	}
	if c.Phone != "" {
		info = append(info, "ĐT: "+nfc(c.Phone))
	}
	if len(info) > 0 {
		lines, size := s.fitLines(strings.Join(info, " · "), "", 9, 7, inner, 1)
		yy = s.drawBlock(block{lines, "", size, [3]int{}, 1}, cx, yy)
	}
	var foot []string
	if c.Code != "" {
		foot = append(foot, "Mã: "+nfc(c.Code))
	}
	if !c.IssuedOn.IsZero() {
		foot = append(foot, "Cấp ngày "+c.IssuedOn.Format("02/01/2006"))
	}
	if len(foot) > 0 {
		lines, size := s.fitLines(strings.Join(foot, " · "), "", 8, 6.5, inner, 1)
		s.drawBlock(block{lines, "", size, [3]int{}, 1}, cx, yy)
	}
	return s.pdf.Error()
}
