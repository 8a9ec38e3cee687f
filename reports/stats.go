package reports

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// StatsReport is the compliance report to the epidemic steering committee
// (Nghị định 30 layout, "BÁO CÁO"): the period and summary numbers as
// paragraphs, charts as images, then one titled table per section. All
// texts come ready-made (Vietnamese) from the caller.
type StatsReport struct {
	Header   DocHeader
	Subject  string   // "Tình hình thực hiện quét mã QR … từ … đến …"
	KinhGui  []string // recipients of "Kính gửi"
	Summary  []string // opening paragraphs with the summary numbers
	Charts   []ReportChart
	Sections []ReportSection
	Closing  []string // proposals, closing paragraphs
	Footer   Footer
	Title    string // PDF metadata
}

// ReportChart is a chart with its caption.
type ReportChart struct {
	Chart   Chart
	Caption string
}

// ReportSection is a heading, an optional paragraph and a table.
type ReportSection struct {
	Heading string
	Text    string
	Table   Table
}

// Build lays the report out.
func (r StatsReport) Build() (*Document, error) {
	d := NewDocument(DocOptions{Title: r.Title, Author: "qrward"})
	d.Header(r.Header)
	d.Title(KindReport, r.Subject)
	if len(r.KinhGui) > 0 {
		d.KinhGui(r.KinhGui...)
	}
	for _, p := range r.Summary {
		d.Paragraph(p)
	}
	for _, c := range r.Charts {
		png, err := c.Chart.PNG()
		if err != nil {
			return nil, err
		}
		d.Image(png, 0, c.Caption)
	}
	for _, s := range r.Sections {
		d.Para(ParaStyle{NoIndent: true}, B(s.Heading))
		if s.Text != "" {
			d.Paragraph(s.Text)
		}
		if len(s.Table.Rows) > 0 {
			d.Table(s.Table)
		}
	}
	for _, p := range r.Closing {
		d.Paragraph(p)
	}
	d.Footer(r.Footer)
	return d, nil
}

// WriteStatsReport builds the report and writes the PDF.
func WriteStatsReport(w io.Writer, r StatsReport) error {
	d, err := r.Build()
	if err != nil {
		return err
	}
	return d.Output(w)
}

// WriteDailySummary writes the one-page daily summary for the chairman:
// the same header, the summary paragraphs, the first section's table in a
// smaller type and the signature, shrunk until it fits one page.
func WriteDailySummary(w io.Writer, r StatsReport) error {
	for _, size := range []float64{13, 12, 11, 10} {
		d := NewDocument(DocOptions{Title: r.Title, Author: "qrward", BodySize: size})
		d.Header(r.Header)
		d.Title(KindReport, r.Subject)
		for _, p := range r.Summary {
			d.Paragraph(p)
		}
		if len(r.Sections) > 0 {
			t := r.Sections[0].Table
			t.FontSize = size - 2
			d.Para(ParaStyle{NoIndent: true}, B(r.Sections[0].Heading))
			d.Table(t)
		}
		d.Footer(r.Footer)
		if d.PDF().PageCount() == 1 || size == 10 {
			return d.Output(w)
		}
	}
	return nil
}

// Sheet is one worksheet of an XLSX workbook of report tables.
type Sheet struct {
	Name    string
	Title   string
	Header  []string
	Rows    [][]any // numbers stay numbers
	Widths  []float64
	Comment string // a line under the table (source, period)
}

// WriteTablesXLSX writes report tables as a workbook: one sheet per
// table, a bold title and header, the header row frozen.
func WriteTablesXLSX(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sh.Name)
		if err != nil {
			return err
		}
		for c, wd := range sh.Widths {
			sw.SetColWidth(c+1, c+1, wd)
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: sh.Title}}); err != nil {
			return err
		}
		hdr := make([]any, len(sh.Header))
		for c, h := range sh.Header {
			hdr[c] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A2", hdr); err != nil {
			return err
		}
		for r, row := range sh.Rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+3)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if sh.Comment != "" {
			cell, _ := excelize.CoordinatesToCellName(1, len(sh.Rows)+4)
			if err := sw.SetRow(cell, []any{sh.Comment}); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}
