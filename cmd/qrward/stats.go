package main

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
)

func init() {
	register(command{name: "stats", summary: "cli.stats.summary", run: runStats})
}

// statsFlags are the period and ward flags shared by stats, report and
// sms-list.
type statsFlags struct {
	from, to, wards *string
	silentDays      *int
}

func addStatsFlags(fs *flag.FlagSet) statsFlags {
	return statsFlags{
		from:       fs.String("from", "", i18n.T("flag.stats.from")),
		to:         fs.String("to", "", i18n.T("flag.stats.to")),
		wards:      fs.String("ward", "", i18n.T("flag.stats.wards")),
		silentDays: fs.Int("silent-days", 7, i18n.T("flag.stats.silent_days")),
	}
}

// query turns the flags into a StatsQuery; bad dates and unknown wards are
// reported with their flag.
func (f statsFlags) query(s *sqlite.Store) (sqlite.StatsQuery, error) {
	var q sqlite.StatsQuery
	var v data.Validation
	day := func(field, text string) time.Time {
		if text == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(text), trace.Vietnam)
		if err != nil {
			v.Add(field, "err.case_date_invalid", text)
		}
		return t
	}
	q.From, q.To = day("from", *f.from), day("to", *f.to)
	if !q.To.IsZero() && q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -6)
	}
	q.SilentDays = *f.silentDays
	q.Wards = splitWards(*f.wards)
	for _, w := range q.Wards {
		if _, ok := s.Units().Ward(w); !ok {
			v.Add("ward", "err.ward_unknown", w)
		}
	}
	return q, v.Err()
}

func splitWards(s string) []string {
	var out []string
	for _, w := range strings.Split(s, ",") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func runStats(e *env, args []string) error {
	fs := e.flags("stats", "cli.stats.usage", true)
	sf := addStatsFlags(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	q, err := sf.query(s)
	if err != nil {
		return err
	}
	st, err := s.Stats(ctxWithInterrupt(), q)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(st)
	}
	if st.Stale != "" {
		fmt.Fprintln(e.stderr, i18n.T("cli.stats.stale", st.Stale))
	}
	total := 0
	for _, d := range st.Days {
		total += d.Scans
	}
	e.say("cli.stats.period", st.From, st.To, total, st.SilentTotal, st.SilentDays)
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, i18n.T("cli.stats.header")+"\t")
	for _, w := range st.Wards {
		avg := 0.0
		if len(w.Days) > 0 {
			avg = float64(w.Total.VenuesScanned) / float64(len(w.Days))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%d\t%d\t%d\t%d\t%d\t%d\t\n", w.Name, w.Registered, w.WithQR, avg, w.Silent,
			w.Total.Scans, w.Total.Paper, w.Total.Inspections, w.Total.Violations, w.Suspended)
	}
	return tw.Flush()
}
