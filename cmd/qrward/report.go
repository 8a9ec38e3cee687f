package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
	"qrward/reports"
)

func init() {
	register(command{name: "report", summary: "cli.report.summary", run: runReport})
}

// thousands writes n with dots between thousands ("12.345").
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// parsePeriod reads "YYYY-MM-DD..YYYY-MM-DD" (or one day).
func parsePeriod(s string) (from, to time.Time, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "..")
	if !found {
		b = a
	}
	from, err1 := time.ParseInLocation("2006-01-02", strings.TrimSpace(a), trace.Vietnam)
	to, err2 := time.ParseInLocation("2006-01-02", strings.TrimSpace(b), trace.Vietnam)
	return from, to, err1 == nil && err2 == nil && !to.Before(from)
}

func runReport(e *env, args []string) error {
	fs := e.flags("report", "cli.report.usage", false)
	period := fs.String("period", "", i18n.T("flag.report.period"))
	wards := fs.String("ward", "", i18n.T("flag.stats.wards"))
	silentDays := fs.Int("silent-days", 7, i18n.T("flag.stats.silent_days"))
	daily := fs.Bool("daily", false, i18n.T("flag.report.daily"))
	pdfOut := fs.String("pdf", "", i18n.T("flag.trace.pdf"))
	xlsxOut := fs.String("xlsx", "", i18n.T("flag.trace.xlsx"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *pdfOut == "" && *xlsxOut == "" {
		return e.usageError(fs, "cli.report.need_output")
	}
	q := sqlite.StatsQuery{SilentDays: *silentDays, Wards: splitWards(*wards), SilentLimit: 1 << 30}
	if *period != "" {
		var ok bool
		if q.From, q.To, ok = parsePeriod(*period); !ok {
			return e.usageError(fs, "cli.report.bad_period", *period)
		}
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	var v data.Validation
	for _, w := range q.Wards {
		if _, ok := s.Units().Ward(w); !ok {
			v.Add("ward", "err.ward_unknown", w)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if q.To.IsZero() {
		q.To = time.Now()
	}
	if *daily {
		q.From = q.To
	} else if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -6)
	}
	ctx := ctxWithInterrupt()
	rep, sheets, err := buildStatsReport(ctx, s, q)
	if err != nil {
		return err
	}
	if *pdfOut != "" {
		write := reports.WriteStatsReport
		if *daily {
			write = reports.WriteDailySummary
		}
		if err := writeFile(*pdfOut, func(f *os.File) error { return write(f, rep) }); err != nil {
			return err
		}
		e.say("cli.trace.wrote", *pdfOut)
	}
	if *xlsxOut != "" {
		if err := writeFile(*xlsxOut, func(f *os.File) error { return reports.WriteTablesXLSX(f, sheets) }); err != nil {
			return err
		}
		e.say("cli.trace.wrote", *xlsxOut)
	}
	return nil
}

// buildStatsReport assembles the steering committee report and its XLSX
// tables from the rollups. Official text is Vietnamese.
func buildStatsReport(ctx context.Context, s *sqlite.Store, q sqlite.StatsQuery) (reports.StatsReport, []reports.Sheet, error) {
	tv := func(key string, args ...any) string { return i18n.TIn("vi", key, args...) }
	st, err := s.Stats(ctx, q)
	if err != nil {
		return reports.StatsReport{}, nil, err
	}
	act, err := s.TracingActivity(ctx, q.From, q.To)
	if err != nil {
		return reports.StatsReport{}, nil, err
	}
	day := func(d string) string {
		t, _ := time.Parse("2006-01-02", d)
		return t.Format("02/01/2006")
	}
	var reg, qr, susp, scans, paper, scannedDays, insp, viol int
	for _, w := range st.Wards {
		reg, qr, susp = reg+w.Registered, qr+w.WithQR, susp+w.Suspended
	}
	for _, d := range st.Days {
		scans, paper, scannedDays, insp, viol = scans+d.Scans, paper+d.Paper, scannedDays+d.VenuesScanned, insp+d.Inspections, viol+d.Violations
	}
	pct := 0
	if reg > 0 {
		pct = qr * 100 / reg
	}
	avgScanned := 0
	if len(st.Days) > 0 {
		avgScanned = scannedDays / len(st.Days)
	}
	issuer, place := s.Office(ctx)
	rep := reports.StatsReport{
		Header:  reports.DocHeader{Issuer: issuer, Symbol: "BC-UBND", Place: place, Date: time.Now()},
		Subject: tv("report.stats.subject", day(st.From), day(st.To)),
		KinhGui: []string{tv("report.stats.to_committee")},
		Summary: []string{
			tv("report.stats.venues", day(st.To), thousands(reg), thousands(qr), pct, thousands(susp)),
			tv("report.stats.scans", thousands(scans), thousands(paper), thousands(avgScanned), thousands(st.SilentTotal), st.SilentDays),
			tv("report.stats.inspections", thousands(insp), thousands(viol)),
			tv("report.stats.tracing", act.Cases, act.Contacts, act.Called, act.Reached, act.Isolated, act.Tested),
		},
		Closing: []string{tv("report.stats.closing")},
		Footer: reports.Footer{Recipients: []string{tv("report.stats.recipient_above"), tv("report.stats.recipient_health")},
			Signature: reports.Signature{OnBehalf: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH"}},
		Title: tv("report.stats.subject", day(st.From), day(st.To)),
	}
	// Charts: per ward, and per day.
	var wardLabels []string
	var wardScans, wardSilent []float64
	wardRows := [][]string{}
	var wardSheet [][]any
	for i, w := range st.Wards {
		short := strings.TrimPrefix(strings.TrimPrefix(w.Name, "Phường "), "Xã ")
		wardLabels = append(wardLabels, short)
		wardScans = append(wardScans, float64(w.Total.Scans))
		wardSilent = append(wardSilent, float64(w.Silent))
		avg := 0
		if len(w.Days) > 0 {
			avg = w.Total.VenuesScanned / len(w.Days)
		}
		wardRows = append(wardRows, []string{strconv.Itoa(i + 1), w.Name, thousands(w.Registered), thousands(w.WithQR),
			thousands(avg), thousands(w.Silent), thousands(w.Total.Scans), thousands(w.Total.Paper),
			thousands(w.Total.Inspections), thousands(w.Total.Violations), thousands(w.Suspended)})
		wardSheet = append(wardSheet, []any{w.Code, w.Name, w.Registered, w.WithQR, avg, w.Silent, w.Total.Scans,
			w.Total.Paper, w.Total.Inspections, w.Total.Violations, w.Suspended})
	}
	var dayLabels []string
	var dayScans, dayPeople, dayVenues []float64
	var daySheet [][]any
	for _, d := range st.Days {
		t, _ := time.Parse("2006-01-02", d.Day)
		dayLabels = append(dayLabels, t.Format("02/01"))
		dayScans = append(dayScans, float64(d.Scans))
		dayPeople = append(dayPeople, float64(d.People))
		dayVenues = append(dayVenues, float64(d.VenuesScanned))
		daySheet = append(daySheet, []any{d.Day, d.Registered, d.WithQR, d.VenuesScanned, d.Scans, d.People, d.Paper, d.Inspections, d.Violations})
	}
	rep.Charts = []reports.ReportChart{
		{Chart: reports.Chart{Kind: reports.ChartBars, Title: tv("report.chart.ward_scans"), Labels: wardLabels,
			Series: []reports.Series{{Name: tv("report.col.scans"), Values: wardScans}}}, Caption: tv("report.chart.ward_scans_caption")},
		{Chart: reports.Chart{Kind: reports.ChartBars, Title: tv("report.chart.ward_silent"), Labels: wardLabels,
			Series: []reports.Series{{Name: tv("report.col.silent"), Values: wardSilent}}}, Caption: tv("report.chart.ward_silent_caption")},
	}
	if len(st.Days) > 1 {
		rep.Charts = append(rep.Charts, reports.ReportChart{Chart: reports.Chart{Kind: reports.ChartLines, Title: tv("report.chart.trend"),
			Labels: dayLabels, Series: []reports.Series{{Name: tv("report.col.scans"), Values: dayScans},
				{Name: tv("report.col.people"), Values: dayPeople}, {Name: tv("report.col.venues_scanned"), Values: dayVenues}}},
			Caption: tv("report.chart.trend_caption")})
	}
	wardCols := []reports.Column{{Header: tv("report.col.no"), Width: 10, Align: reports.AlignCenter}, {Header: tv("report.col.ward")},
		{Header: tv("report.col.registered"), Width: 15, Align: reports.AlignRight}, {Header: tv("report.col.with_qr"), Width: 13, Align: reports.AlignRight},
		{Header: tv("report.col.venues_scanned_avg"), Width: 15, Align: reports.AlignRight}, {Header: tv("report.col.silent"), Width: 13, Align: reports.AlignRight},
		{Header: tv("report.col.scans"), Width: 17, Align: reports.AlignRight}, {Header: tv("report.col.paper"), Width: 13, Align: reports.AlignRight},
		{Header: tv("report.col.inspections"), Width: 13, Align: reports.AlignRight}, {Header: tv("report.col.violations"), Width: 13, Align: reports.AlignRight},
		{Header: tv("report.col.suspended"), Width: 13, Align: reports.AlignRight}}
	rep.Sections = append(rep.Sections, reports.ReportSection{Heading: tv("report.section.wards"),
		Table: reports.Table{Columns: wardCols, Rows: wardRows, FontSize: 9}})
	// Top violations.
	var violRows [][]string
	var violSheet [][]any
	for i, x := range st.Violations {
		name := x.Ward
		if u, ok := s.Units().Ward(x.Ward); ok {
			name = u.FullName()
		}
		if i < 10 {
			violRows = append(violRows, []string{strconv.Itoa(i + 1), x.RuleID, x.Status, name, thousands(x.N)})
		}
		violSheet = append(violSheet, []any{x.RuleID, x.Status, x.Ward, name, x.N})
	}
	violText := ""
	if len(violRows) == 0 {
		violText = tv("report.section.no_violations")
	}
	rep.Sections = append(rep.Sections, reports.ReportSection{Heading: tv("report.section.violations"), Text: violText,
		Table: reports.Table{Columns: []reports.Column{{Header: tv("report.col.no"), Width: 10, Align: reports.AlignCenter},
			{Header: tv("report.col.rule")}, {Header: tv("report.col.status"), Width: 30}, {Header: tv("report.col.ward"), Width: 45},
			{Header: tv("report.col.count"), Width: 20, Align: reports.AlignRight}}, Rows: violRows, FontSize: 11}})
	// Silent venues: the count, the first 30 in the PDF, all in the XLSX.
	var silentRows [][]string
	var silentSheet [][]any
	for i, sv := range st.Silent {
		name := sv.Ward
		if u, ok := s.Units().Ward(sv.Ward); ok {
			name = u.FullName()
		}
		last := tv("report.never")
		if sv.LastCheckin != nil {
			last = sv.LastCheckin.In(trace.Vietnam).Format("02/01/2006")
		}
		if i < 30 {
			silentRows = append(silentRows, []string{strconv.Itoa(i + 1), sv.Code, sv.Name, name, last})
		}
		silentSheet = append(silentSheet, []any{sv.Code, sv.Name, i18n.TIn("vi", "category."+sv.Category), name, last})
	}
	rep.Sections = append(rep.Sections, reports.ReportSection{Heading: tv("report.section.silent"),
		Text: tv("report.section.silent_text", thousands(st.SilentTotal), st.SilentDays, min(30, len(st.Silent))),
		Table: reports.Table{Columns: []reports.Column{{Header: tv("report.col.no"), Width: 10, Align: reports.AlignCenter},
			{Header: tv("report.col.code"), Width: 24}, {Header: tv("report.col.venue")}, {Header: tv("report.col.ward"), Width: 42},
			{Header: tv("report.col.last_scan"), Width: 26, Align: reports.AlignCenter}}, Rows: silentRows, FontSize: 11}})
	if st.Stale != "" {
		rep.Summary = append(rep.Summary, tv("report.stats.stale"))
	}
	source := tv("report.xlsx.source", day(st.From), day(st.To))
	sheets := []reports.Sheet{
		{Name: tv("report.xlsx.wards"), Title: rep.Subject, Comment: source, Widths: []float64{9, 26, 11, 11, 13, 11, 12, 11, 11, 11, 11},
			Header: []string{tv("report.col.code"), tv("report.col.ward"), tv("report.col.registered"), tv("report.col.with_qr"),
				tv("report.col.venues_scanned_avg"), tv("report.col.silent"), tv("report.col.scans"), tv("report.col.paper"),
				tv("report.col.inspections"), tv("report.col.violations"), tv("report.col.suspended")}, Rows: wardSheet},
		{Name: tv("report.xlsx.days"), Title: rep.Subject, Comment: source, Widths: []float64{12, 11, 11, 13, 12, 12, 11, 11, 11},
			Header: []string{tv("report.col.day"), tv("report.col.registered"), tv("report.col.with_qr"), tv("report.col.venues_scanned"),
				tv("report.col.scans"), tv("report.col.people"), tv("report.col.paper"), tv("report.col.inspections"), tv("report.col.violations")},
			Rows: daySheet},
		{Name: tv("report.xlsx.violations"), Title: rep.Subject, Comment: source, Widths: []float64{24, 16, 9, 26, 10},
			Header: []string{tv("report.col.rule"), tv("report.col.status"), tv("report.col.code"), tv("report.col.ward"), tv("report.col.count")},
			Rows:   violSheet},
		{Name: tv("report.xlsx.silent"), Title: tv("report.section.silent"), Comment: source, Widths: []float64{14, 36, 24, 26, 14},
			Header: []string{tv("report.col.code"), tv("report.col.venue"), tv("report.col.category"), tv("report.col.ward"), tv("report.col.last_scan")},
			Rows:   silentSheet},
	}
	return rep, sheets, nil
}
