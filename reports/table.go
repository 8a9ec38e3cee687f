package reports

import (
	"io"
	"math"
)

// Column describes one table column.
type Column struct {
	// Header is the column title (bold, centred, wraps).
	Header string
	// Width in mm; 0 shares the width left over by fixed columns equally.
	Width float64
	// Align aligns body cells (AlignJustify is treated as AlignLeft).
	Align Align
}

// Table is a bordered table whose header row repeats on every page.
// Cells wrap; a row taller than a page is split across pages.
type Table struct {
	Columns []Column
	Rows    [][]string
	// FontSize in pt; 0 means 12.
	FontSize float64
	// Padding inside cells in mm; 0 means 1.2.
	Padding float64
	// NoRepeatHeader prints the header row only once.
	NoRepeatHeader bool
}

// tableArea is where a table is drawn and how to get a fresh page.
type tableArea struct {
	ts      typesetter
	x, w    float64
	top     float64 // y where content starts on a fresh page
	bottom  float64 // lowest y content may reach
	newPage func()  // adds a page
}

// ColumnWidths resolves the widths (mm) of cols for a total width: fixed
// widths are kept, zero widths share the rest, and everything is scaled
// down proportionally when it would not fit.
func ColumnWidths(cols []Column, total float64) []float64 {
	ws := make([]float64, len(cols))
	fixed, free := 0.0, 0
	for i, c := range cols {
		if c.Width > 0 {
			ws[i] = c.Width
			fixed += c.Width
		} else {
			free++
		}
	}
	if free > 0 {
		share := (total - fixed) / float64(free)
		if share < 15 {
			share = 15
		}
		for i, c := range cols {
			if c.Width <= 0 {
				ws[i] = share
			}
		}
	}
	sum := 0.0
	for _, w := range ws {
		sum += w
	}
	if sum > total+1e-9 || (free == 0 && sum > 0) {
		// Fixed columns only: stretch or shrink to the full width.
		f := total / sum
		for i := range ws {
			ws[i] *= f
		}
	}
	return ws
}

// drawTable draws tbl starting at y and returns the y below it.
func drawTable(a tableArea, tbl Table, y float64) float64 {
	if len(tbl.Columns) == 0 {
		return y
	}
	size := tbl.FontSize
	if size <= 0 {
		size = 12
	}
	pad := tbl.Padding
	if pad <= 0 {
		pad = 1.2
	}
	lh := lineHeight(size) * 0.95
	ws := ColumnWidths(tbl.Columns, a.w)
	pdf := a.ts.pdf
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)

	wrapRow := func(cells []string, style string) ([][]textLine, int) {
		out := make([][]textLine, len(ws))
		n := 1
		for i := range ws {
			txt := ""
			if i < len(cells) {
				txt = cells[i]
			}
			r := Run{Text: txt, Bold: style == "B"}
			cw := ws[i] - 2*pad
			out[i] = a.ts.layout([]Run{r}, size, cw, cw)
			n = max(n, len(out[i]))
		}
		return out, n
	}
	headers := make([]string, len(tbl.Columns))
	for i, c := range tbl.Columns {
		headers[i] = c.Header
	}
	hdrLines, hdrN := wrapRow(headers, "B")
	hdrH := float64(hdrN)*lh + 2*pad

	drawHeader := func() {
		x := a.x
		for i, w := range ws {
			pdf.Rect(x, y, w, hdrH, "D")
			n := len(hdrLines[i])
			ty := y + pad + (float64(hdrN-n)*lh)/2
			for _, ln := range hdrLines[i] {
				ln.hard = true
				a.ts.drawLine(ln, size, x+pad, ty, w-2*pad, lh, AlignCenter)
				ty += lh
			}
			x += w
		}
		y += hdrH
	}
	fresh := func() {
		a.newPage()
		y = a.top
		if !tbl.NoRepeatHeader {
			drawHeader()
		}
	}
	// Header must be followed by at least one body line.
	if y+hdrH+lh+2*pad > a.bottom {
		a.newPage()
		y = a.top
	}
	drawHeader()

	for _, row := range tbl.Rows {
		cells, n := wrapRow(row, "")
		start := 0
		for start < n {
			avail := a.bottom - y - 2*pad
			fit := int(math.Floor(avail/lh + 1e-6))
			remain := n - start
			// Move a row that fits on a fresh page instead of splitting it.
			pageFit := int(math.Floor((a.bottom-a.top-hdrH-2*pad)/lh + 1e-6))
			if fit < remain && (fit < 1 || remain <= pageFit) && y > a.top+hdrH+1e-6 {
				fresh()
				continue
			}
			if fit < 1 {
				fit = 1
			}
			chunk := min(remain, fit)
			h := float64(chunk)*lh + 2*pad
			x := a.x
			for i, w := range ws {
				pdf.Rect(x, y, w, h, "D")
				al := tbl.Columns[i].Align
				if al == AlignJustify {
					al = AlignLeft
				}
				ty := y + pad
				for j := start; j < start+chunk && j < len(cells[i]); j++ {
					ln := cells[i][j]
					ln.hard = true
					a.ts.drawLine(ln, size, x+pad, ty, w-2*pad, lh, al)
					ty += lh
				}
				x += w
			}
			y += h
			start += chunk
			if start < n {
				fresh()
			}
		}
	}
	return y
}

// Table draws a table across the text width; its header row repeats on
// each new page.
func (d *Document) Table(t Table) {
	a := tableArea{
		ts: d.ts, x: d.m.Left, w: d.textW,
		top: d.m.Top, bottom: d.bottom(),
		newPage: d.newPage,
	}
	d.y = drawTable(a, t, d.y) + 6*ptToMM
}

// ListReport is a stand-alone list document (tracing lists, registers):
// optional official header, title, intro paragraphs, a table and an
// optional footer. Landscape suits wide tables.
type ListReport struct {
	Landscape bool
	Header    *DocHeader
	Kind      string   // e.g. "DANH SÁCH"; empty omits the title
	Subject   []string // subject lines under the title
	Intro     []string // paragraphs before the table
	Table     Table
	Footer    *Footer
	Options   DocOptions // Landscape above overrides Options.Landscape
}

// Build lays the report out and returns the document for further content.
func (r ListReport) Build() *Document {
	opts := r.Options
	opts.Landscape = r.Landscape
	d := NewDocument(opts)
	if r.Header != nil {
		d.Header(*r.Header)
	}
	if r.Kind != "" {
		d.Title(r.Kind, r.Subject...)
	}
	for _, p := range r.Intro {
		d.Paragraph(p)
	}
	d.Table(r.Table)
	if r.Footer != nil {
		d.Footer(*r.Footer)
	}
	return d
}

// WriteListReport builds the report and writes the PDF to w.
func WriteListReport(w io.Writer, r ListReport) error { return r.Build().Output(w) }
