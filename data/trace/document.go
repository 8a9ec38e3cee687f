package trace

import (
	"time"

	"qrward/assets/i18n"
	"qrward/reports"
)

// Document assembles the official tracing list (reports.TracingList) of a
// result. Official documents are Vietnamese whatever the interface
// language. caseName names the case (its short id); issuer and place come
// from the office settings (sqlite.Store.Office).
func Document(res *Result, rows []Row, caseName string, confirmed time.Time, issuer, place string, date time.Time) reports.TracingList {
	tv := func(key string, args ...any) string { return i18n.TIn("vi", key, args...) }
	var cols []string
	for _, k := range Columns {
		cols = append(cols, tv(k))
	}
	vrows := Rows(res, nil, nil, tv)
	cells := make([][]string, len(rows))
	for i, r := range rows {
		if i < len(vrows) {
			r.Reason = vrows[i].Reason
		}
		cells[i] = r.Cells(tv)
	}
	intro := []string{
		tv("trace.pdf.case", caseName, confirmed.Format("02/01/2006"),
			res.WindowStart.In(Vietnam).Format(TimeLayout), res.WindowEnd.In(Vietnam).Format(TimeLayout)),
		tv("trace.pdf.rule", res.Profile.TitleIn("vi")),
		tv("trace.pdf.counts", len(res.Visits), len(res.F1), len(res.F2)),
	}
	if res.F2Rule != nil {
		intro = append(intro, tv("trace.pdf.f2_rule", res.F2Rule.TitleIn("vi")))
	}
	return reports.TracingList{
		Header:     reports.DocHeader{Issuer: issuer, Symbol: "DS-UBND", Place: place, Date: date},
		Subject:    tv("trace.pdf.subject"),
		Intro:      intro,
		Columns:    cols,
		Rows:       cells,
		Recipients: []string{tv("trace.pdf.to_health"), tv("trace.pdf.to_team")},
		Archive:    tv("trace.pdf.archive"),
		Signature:  reports.Signature{OnBehalf: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH"},
		Title:      tv("trace.list_title", caseName),
	}
}
