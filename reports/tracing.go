package reports

import (
	"io"
	"time"
)

// TracingList is a tracing list ("danh sách người tiếp xúc") in the
// Nghị định 30 layout: A4 landscape, official header, title, the case and
// rule in the intro, one table whose header repeats on every page, and
// the signature footer. All texts come ready-made (Vietnamese) from the
// caller; reports knows nothing of cases or people.
type TracingList struct {
	Header     DocHeader
	Subject    string   // subject line under "DANH SÁCH"
	Intro      []string // case, window, rule, counts
	Columns    []string // headers, in the order of trace.Columns
	Rows       [][]string
	Recipients []string
	Archive    string
	Signature  Signature
	Title      string // PDF metadata
}

// tracingWidths are the column widths (mm) of a tracing list on a
// landscape page (252 mm between the margins); 0 takes the rest (the
// reason column).
var tracingWidths = []float64{10, 9, 34, 13, 22, 32, 21, 21, 0, 24, 22}

// WriteTracingList lays the list out and writes the PDF.
func WriteTracingList(w io.Writer, l TracingList) error {
	cols := make([]Column, len(l.Columns))
	for i, h := range l.Columns {
		cols[i] = Column{Header: h}
		if i < len(tracingWidths) {
			cols[i].Width = tracingWidths[i]
		}
		switch i {
		case 0, 1, 3, 4, 6, 7:
			cols[i].Align = AlignCenter
		}
	}
	if l.Header.Date.IsZero() {
		l.Header.Date = time.Now()
	}
	r := ListReport{
		Landscape: true,
		Header:    &l.Header,
		Kind:      "DANH SÁCH",
		Subject:   []string{l.Subject},
		Intro:     l.Intro,
		Table:     Table{Columns: cols, Rows: l.Rows, FontSize: 10},
		Footer:    &Footer{Recipients: l.Recipients, Archive: l.Archive, Signature: l.Signature},
		Options:   DocOptions{Title: l.Title, Author: "qrward"},
	}
	return WriteListReport(w, r)
}
