package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
	"qrward/reports"
)

func init() {
	register(command{name: "trace", summary: "cli.trace.summary", run: runTrace})
	register(command{name: "cases", summary: "cli.cases.summary", run: runCases})
	register(command{name: "case add", summary: "cli.case_add.summary", run: runCaseAdd})
	register(command{name: "case visit", summary: "cli.case_visit.summary", run: runCaseVisit})
}

// caseShort is the short name of a case: the last 8 hex digits of its
// id. (UUIDv7 ids start with their creation time, so cases created
// together share their first digits; the end is random.)
func caseShort(id data.ID) string {
	s := strings.ReplaceAll(id.String(), "-", "")
	return s[len(s)-8:]
}

// findCase resolves a case by its id, its first characters or its short
// name (caseShort).
func findCase(ctx context.Context, s *sqlite.Store, ref string) (data.Case, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if id, err := data.ParseID(ref); err == nil {
		return s.Case(ctx, id)
	}
	cases, err := s.Cases(ctx)
	if err != nil {
		return data.Case{}, err
	}
	var found []data.Case
	for _, c := range cases {
		full := strings.ReplaceAll(c.ID.String(), "-", "")
		if ref != "" && (strings.HasPrefix(c.ID.String(), ref) || strings.HasPrefix(full, ref) || strings.HasSuffix(full, ref)) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return data.Case{}, data.Errorf(data.ENotFound, "err.case_not_found", ref)
	case 1:
		return found[0], nil
	}
	return data.Case{}, data.Errorf(data.EConflict, "err.case_ambiguous", ref, len(found))
}

// loadProfiles returns the built-in rule profiles plus those of a user
// file, if named.
func loadProfiles(file string) (trace.Profiles, error) {
	ps := trace.Builtin()
	if file != "" {
		if err := ps.LoadFile(file); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// traceJSON is the stable JSON shape of `qrward trace --json`.
type traceJSON struct {
	Case        data.ID         `json:"case_id"`
	Rule        string          `json:"rule"`
	RuleTitle   string          `json:"rule_title"`
	WindowStart time.Time       `json:"window_start"`
	WindowEnd   time.Time       `json:"window_end"`
	Visits      []visitJSON     `json:"visits"`
	F1          []contactJSON   `json:"f1"`
	F2          []contactJSON   `json:"f2,omitempty"`
	F2Rule      string          `json:"f2_rule,omitempty"`
	Estimate    *trace.Estimate `json:"estimate,omitempty"`
	Candidates  int             `json:"candidates"`
	Anonymous   int             `json:"anonymous"`
	ElapsedMS   float64         `json:"elapsed_ms"`
}

type visitJSON struct {
	Source    string     `json:"source"`
	VenueID   data.ID    `json:"venue_id"`
	VenueCode string     `json:"venue_code"`
	VenueName string     `json:"venue_name"`
	TimeIn    time.Time  `json:"time_in"`
	TimeOut   *time.Time `json:"time_out,omitempty"`
}

type contactJSON struct {
	No        int            `json:"no"`
	Level     int            `json:"level"`
	PersonID  data.ID        `json:"person_id"`
	Name      string         `json:"name"`
	Phone     string         `json:"phone"`
	Via       string         `json:"via,omitempty"`
	Reason    string         `json:"reason"`
	Exposure  exposureJSON   `json:"exposure"`
	Exposures []exposureJSON `json:"exposures"`
	FollowUp  trace.FollowUp `json:"follow_up"`
}

// exposureJSON is an exposure with its venue, which the trace keeps once
// per visit rather than once per exposure.
type exposureJSON struct {
	trace.Exposure
	VenueID   data.ID `json:"venue_id"`
	VenueName string  `json:"venue_name"`
}

func exposuresJSON(visits []trace.Visit, es ...trace.Exposure) []exposureJSON {
	out := make([]exposureJSON, len(es))
	for i, e := range es {
		out[i].Exposure = e
		if e.Visit < len(visits) {
			out[i].VenueID, out[i].VenueName = visits[e.Visit].VenueID, visits[e.Visit].VenueName
		}
	}
	return out
}

func runTrace(e *env, args []string) error {
	fs := e.flags("trace", "cli.trace.usage", true)
	caseRef := fs.String("case", "", i18n.T("flag.trace.case"))
	rule := fs.String("rule", trace.DefaultProfile, i18n.T("flag.trace.rule"))
	rulesFile := fs.String("rules", "", i18n.T("flag.trace.rules"))
	f2 := fs.Bool("f2", false, i18n.T("flag.trace.f2"))
	estimate := fs.Bool("estimate", false, i18n.T("flag.trace.estimate"))
	pdfOut := fs.String("pdf", "", i18n.T("flag.trace.pdf"))
	xlsxOut := fs.String("xlsx", "", i18n.T("flag.trace.xlsx"))
	callsOut := fs.String("calls", "", i18n.T("flag.trace.calls"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *caseRef == "" {
		return e.usageError(fs, "cli.trace.need_case")
	}
	profiles, err := loadProfiles(*rulesFile)
	if err != nil {
		return err
	}
	p, err := profiles.Get(*rule)
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	c, err := findCase(ctx, s, *caseRef)
	if err != nil {
		return err
	}
	est, err := s.TraceEstimate(ctx, c.ID, p)
	if err != nil {
		return err
	}
	if *estimate {
		if e.json {
			return e.printJSON(est)
		}
		e.say("cli.trace.estimate", est.Visits, est.ManualVisits, est.Candidates)
		return nil
	}
	res, err := s.Trace(ctx, c.ID, p, sqlite.TraceOptions{F2: *f2})
	if err != nil {
		return err
	}
	rows, err := traceRows(ctx, s, res)
	if err != nil {
		return err
	}
	// Contacts' names and phones: every output's name says it holds personal data.
	for _, out := range []*string{pdfOut, xlsxOut, callsOut} {
		personalOut(e, out)
	}
	if *pdfOut != "" {
		if err := writeFile(*pdfOut, func(f *os.File) error { return reports.WriteTracingList(f, tracingPDF(s, c, res, rows)) }); err != nil {
			return err
		}
		e.say("cli.trace.wrote", *pdfOut)
	}
	if *xlsxOut != "" {
		title := i18n.T("trace.list_title", caseLabel(c))
		if err := writeFile(*xlsxOut, func(f *os.File) error { return trace.WriteXLSX(f, title, rows, i18n.T) }); err != nil {
			return err
		}
		e.say("cli.trace.wrote", *xlsxOut)
	}
	if *callsOut != "" {
		var written, noPhone int
		if err := writeFile(*callsOut, func(f *os.File) error {
			var err error
			written, noPhone, err = trace.WriteCalls(f, rows)
			return err
		}); err != nil {
			return err
		}
		e.say("cli.trace.wrote_calls", *callsOut, written, noPhone)
	}
	if e.json {
		return e.printJSON(traceToJSON(res, rows, &est))
	}
	if *pdfOut == "" && *xlsxOut == "" && *callsOut == "" {
		printTraceTable(e, res, rows)
	}
	return nil
}

// traceRows resolves names, phones and follow-ups of a result.
func traceRows(ctx context.Context, s *sqlite.Store, res *trace.Result) ([]trace.Row, error) {
	ids := []data.ID{res.F0PersonID}
	for _, c := range res.F1 {
		ids = append(ids, c.PersonID)
	}
	for _, c := range res.F2 {
		ids = append(ids, c.PersonID, c.Via)
	}
	people, err := s.PeopleByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	follow, err := s.FollowUps(ctx, res.CaseID)
	if err != nil {
		return nil, err
	}
	return trace.Rows(res, people, follow, i18n.T), nil
}

func traceToJSON(res *trace.Result, rows []trace.Row, est *trace.Estimate) traceJSON {
	out := traceJSON{Case: res.CaseID, Rule: res.Profile.Name, RuleTitle: res.Profile.TitleIn(i18n.Language()),
		WindowStart: res.WindowStart, WindowEnd: res.WindowEnd, Estimate: est, Candidates: res.Candidates,
		Anonymous: res.Anonymous, ElapsedMS: float64(res.Elapsed.Microseconds()) / 1000,
		Visits: []visitJSON{}, F1: []contactJSON{}}
	for _, v := range res.Visits {
		out.Visits = append(out.Visits, visitJSON{v.Source, v.VenueID, v.VenueCode, v.VenueName, v.In, v.Out})
	}
	contacts := append(append([]trace.Contact{}, res.F1...), res.F2...)
	for i, r := range rows {
		c, visits := contacts[i], res.Visits
		if r.Level == 2 {
			visits = res.F1Visits
		}
		j := contactJSON{No: r.No, Level: r.Level, PersonID: r.PersonID, Name: r.Name, Phone: r.Phone, Via: r.Via,
			Reason: r.Reason, Exposure: exposuresJSON(visits, c.Reason())[0], Exposures: exposuresJSON(visits, c.Exposures...), FollowUp: r.FollowUp}
		if r.Level == 2 {
			out.F2 = append(out.F2, j)
		} else {
			out.F1 = append(out.F1, j)
		}
	}
	if res.F2Rule != nil {
		out.F2Rule = res.F2Rule.Name
		if out.F2 == nil {
			out.F2 = []contactJSON{}
		}
	}
	return out
}

func printTraceTable(e *env, res *trace.Result, rows []trace.Row) {
	e.say("cli.trace.summary_line", len(res.Visits), len(res.F1), len(res.F2), res.Candidates)
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	var hdr []string
	for _, k := range trace.Columns {
		hdr = append(hdr, i18n.T(k))
	}
	fmt.Fprintln(tw, strings.Join(hdr, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.Cells(i18n.T), "\t"))
	}
	tw.Flush()
}

// caseLabel names a case for titles: its short id and confirmation date.
func caseLabel(c data.Case) string {
	return fmt.Sprintf("%s (%s)", caseShort(c.ID), c.ConfirmedOn.Format("02/01/2006"))
}

// tracingPDF assembles the tracing list document.
func tracingPDF(s *sqlite.Store, c data.Case, res *trace.Result, rows []trace.Row) reports.TracingList {
	issuer, place := s.Office(context.Background())
	return trace.Document(res, rows, caseShort(c.ID), c.ConfirmedOn, issuer, place, time.Now())
}

// writeFile creates path and runs fill; a failure removes the partial
// file, so a bad run never leaves half a list behind.
func writeFile(path string, fill func(f *os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return data.Errorf(data.EInternal, "err.file_create", path)
	}
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// caseJSON is the stable JSON shape of `qrward cases --json`.
type caseJSON struct {
	ID          data.ID   `json:"id"`
	Short       string    `json:"short"`
	Name        string    `json:"name"`
	ConfirmedOn string    `json:"confirmed_on"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
	Status      string    `json:"status"`
}

func runCases(e *env, args []string) error {
	fs := e.flags("cases", "cli.cases.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	cases, err := s.Cases(ctx)
	if err != nil {
		return err
	}
	ids := make([]data.ID, len(cases))
	for i, c := range cases {
		ids[i] = c.PersonID
	}
	people, err := s.PeopleByIDs(ctx, ids)
	if err != nil {
		return err
	}
	out := make([]caseJSON, len(cases))
	for i, c := range cases {
		out[i] = caseJSON{c.ID, caseShort(c.ID), people[c.PersonID].FullName, c.ConfirmedOn.Format("2006-01-02"),
			c.WindowStart, c.WindowEnd, c.Status}
	}
	if e.json {
		return e.printJSON(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("cli.cases.header"))
	for _, c := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s – %s\n", c.Short, c.Name, c.ConfirmedOn,
			c.WindowStart.In(trace.Vietnam).Format(trace.TimeLayout), c.WindowEnd.In(trace.Vietnam).Format(trace.TimeLayout))
	}
	return tw.Flush()
}

func runCaseAdd(e *env, args []string) error {
	fs := e.flags("case add", "cli.case_add.usage", true)
	var q sqlite.PersonQuery
	fs.StringVar(&q.Phone, "phone", "", i18n.T("flag.trace.phone"))
	fs.StringVar(&q.IDNumber, "id-number", "", i18n.T("flag.trace.id_number"))
	fs.StringVar(&q.QID, "qid", "", i18n.T("flag.trace.qid"))
	fs.StringVar(&q.Name, "name", "", i18n.T("flag.trace.name"))
	confirmed := fs.String("confirmed", "", i18n.T("flag.trace.confirmed"))
	onset := fs.String("onset", "", i18n.T("flag.trace.onset"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	var v data.Validation
	c := data.Case{}
	day := func(field, s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), trace.Vietnam)
		if err != nil {
			v.Add(field, "err.case_date_invalid", s)
		}
		return t
	}
	if *confirmed == "" {
		v.Add("confirmed_on", "err.required")
	} else {
		c.ConfirmedOn = day("confirmed_on", *confirmed)
	}
	if *onset != "" {
		t := day("onset_on", *onset)
		c.OnsetOn = &t
	}
	if err := v.Err(); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := findOnePerson(e, s, q)
	if err != nil {
		return err
	}
	c.PersonID = p.ID
	if err := s.CreateCase(ctxWithInterrupt(), &c); err != nil {
		return err
	}
	if e.json {
		return e.printJSON(caseJSON{c.ID, caseShort(c.ID), p.FullName, c.ConfirmedOn.Format("2006-01-02"), c.WindowStart, c.WindowEnd, c.Status})
	}
	e.say("cli.case_add.done", caseShort(c.ID), c.WindowStart.In(trace.Vietnam).Format(trace.TimeLayout),
		c.WindowEnd.In(trace.Vietnam).Format(trace.TimeLayout))
	return nil
}

// runCaseVisit adds a visit of an F0 that no scan recorded (a paper
// register, an interview): venue by code, Vietnam times.
func runCaseVisit(e *env, args []string) error {
	fs := e.flags("case visit", "cli.case_visit.usage", false)
	caseRef := fs.String("case", "", i18n.T("flag.trace.case"))
	venueCode := fs.String("venue", "", i18n.T("flag.trace.venue"))
	in := fs.String("in", "", i18n.T("flag.trace.time_in"))
	out := fs.String("out", "", i18n.T("flag.trace.time_out"))
	note := fs.String("note", "", i18n.T("flag.trace.note"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	var v data.Validation
	at := func(field, text string) *time.Time {
		if text == "" {
			return nil
		}
		t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(text), trace.Vietnam)
		if err != nil {
			v.Add(field, "err.case_time_invalid", text)
			return nil
		}
		return &t
	}
	if *caseRef == "" {
		v.Add("case", "err.required")
	}
	if *venueCode == "" {
		v.Add("venue", "err.required")
	}
	m := sqlite.ManualVisit{Note: *note, TimeOut: at("time_out", *out)}
	if t := at("time_in", *in); t != nil {
		m.TimeIn = *t
	} else if *in == "" {
		v.Add("time_in", "err.required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	c, err := findCase(ctx, s, *caseRef)
	if err != nil {
		return err
	}
	venue, err := s.VenueByCode(ctx, *venueCode)
	if err != nil {
		return err
	}
	m.CaseID, m.VenueID = c.ID, venue.ID
	if err := s.AddManualVisit(ctx, &m); err != nil {
		return err
	}
	e.say("cli.case_visit.done", venue.Name, m.TimeIn.In(trace.Vietnam).Format(trace.TimeLayout), caseShort(c.ID))
	return nil
}
