package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"qrward/data"
	"qrward/data/trace"
)

// Tracing reads, per visit of the traced person, the slice of the
// covering index checkin_venue_time(venue_id, time_in, time_out,
// person_id) that can hold a co-present check-in (trace.Profile.Range),
// and lets the trace package judge each row. No table page is read:
// tombstoned rows are skipped through the small checkin_tombstone set.

// TraceOptions tune a trace.
type TraceOptions struct {
	// F2 also lists contacts of the F1s under F2Rule.
	F2 bool
	// F2Rule is the rule for F2 (default: the built-in f2_direct).
	F2Rule *trace.Profile
	// noIndex makes the co-presence query ignore every index (benchmarks
	// of what the covering index buys).
	noIndex bool
	// workers overrides fetchWorkers (benchmarks).
	workers int
}

// presenceQuery reads co-present check-ins of one venue as one row: the
// count, the person ids end to end (16 bytes each, zeros for a check-in
// without a person), and the times in and out as comma-separated
// decimals. Handing rows over one by one costs ~0.5 µs each in cgo calls
// (a heavy F0 reads thousands); SQLite builds the three strings in C in a
// fraction of that, and Go splits them without allocating per row.
func presenceQuery(noIndex, tombstones bool) string {
	q := `SELECT COUNT(*), group_concat(ifnull(person_id, zeroblob(16)), ''), group_concat(time_in), group_concat(ifnull(time_out, 0)) FROM checkin`
	if noIndex {
		q += ` NOT INDEXED`
	}
	q += ` WHERE venue_id = ? AND time_in BETWEEN ? AND ?`
	if tombstones {
		q += ` AND rid NOT IN (SELECT rid FROM checkin_tombstone)`
	}
	return q
}

// fetchWorkers is how many read connections a trace uses at once. Reading
// the visits' ranges in parallel was expected to overlap a cold trace's
// random reads, but measured on the 10-million replica (2 cores) three
// workers were slower, warm and cold, than one (docs/perf/tracing.md):
// each extra connection costs its own set-up and schema read per trace.
const fetchWorkers = 1

// fetch reads, for every visit, the check-ins at its venue with time_in in
// p.Range(visit), through one statement prepared once on the read pool
// (each worker gets its own connection from it). No context per
// statement: go-sqlite3 starts a watcher
// goroutine for each cancellable query, which costs more than the range
// scan; workers check ctx between visits instead. (Going around
// database/sql to the driver was measured: no gain, SQLite's own step
// through the index dominates.)
func (s *Store) fetch(ctx context.Context, p trace.Profile, visits []trace.Visit, opt TraceOptions) ([][]trace.Presence, error) {
	out := make([][]trace.Presence, len(visits))
	if len(visits) == 0 {
		return out, nil
	}
	var tomb bool
	st, err := s.roStmts.get(ctx, s.ro, `SELECT EXISTS (SELECT 1 FROM checkin_tombstone)`)
	if err == nil {
		err = st.QueryRowContext(ctx).Scan(&tomb)
	}
	if err != nil {
		return nil, wrapDB(err, "trace")
	}
	query := presenceQuery(opt.noIndex, tomb)
	workers := fetchWorkers
	if opt.workers > 0 {
		workers = opt.workers
	}
	workers = min(workers, len(visits))
	st, err = s.roStmts.get(ctx, s.ro, query)
	if err != nil {
		return nil, wrapDB(err, "trace")
	}
	var next atomic.Int64
	work := func() error {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(visits) {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
			}
			lo, hi := p.Range(visits[i])
			var err error
			if out[i], err = readPresences(st, visits[i].VenueID, lo, hi); err != nil {
				return err
			}
		}
	}
	if workers == 1 {
		if err := work(); err != nil {
			return nil, wrapDB(err, "trace")
		}
		return out, nil
	}
	// The pool hands each worker its own connection for the statement.
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() { errs <- work() }()
	}
	var first error
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, wrapDB(first, "trace")
	}
	return out, nil
}

// readPresences runs the presence statement for one venue and range.
func readPresences(st *sql.Stmt, venue data.ID, lo, hi int64) ([]trace.Presence, error) {
	var n int
	var people, ins, outs sql.RawBytes
	rows, err := st.Query(venue, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	if err := rows.Scan(&n, &people, &ins, &outs); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, rows.Close()
	}
	if len(people) != n*len(data.ID{}) {
		return nil, fmt.Errorf("trace: %d person bytes for %d check-ins (a person id that is not 16 bytes)", len(people), n)
	}
	out := make([]trace.Presence, n)
	for i := range out {
		p := &out[i]
		copy(p.PersonID[:], people[i*16:])
		if p.In, ins, err = nextInt(ins); err == nil {
			p.Out, outs, err = nextInt(outs)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, rows.Close()
}

// nextInt reads one decimal integer from a comma-separated list.
func nextInt(b []byte) (int64, []byte, error) {
	var v int64
	neg, i := false, 0
	if i < len(b) && b[i] == '-' {
		neg, i = true, 1
	}
	start := i
	for ; i < len(b) && b[i] != ','; i++ {
		c := b[i] - '0'
		if c > 9 {
			return 0, nil, fmt.Errorf("trace: bad time %q", b)
		}
		v = v*10 + int64(c)
	}
	if i == start {
		return 0, nil, fmt.Errorf("trace: missing time")
	}
	if neg {
		v = -v
	}
	if i < len(b) {
		i++ // the comma
	}
	return v, b[i:], nil
}

// visitsOf returns a person's check-ins with time_in in [from, to] as
// visits, plus the case's manual visits when caseID is set, in time order.
func (s *Store) visitsOf(ctx context.Context, person data.ID, caseID data.ID, from, to int64) ([]trace.Visit, error) {
	st, err := s.roStmts.get(ctx, s.ro, `SELECT c.id, c.venue_id, c.time_in, c.time_out, v.code, v.name, v.category, v.ward_code
		FROM checkin c JOIN venue v ON v.id = c.venue_id
		WHERE c.person_id = ? AND c.time_in BETWEEN ? AND ? AND c.deleted_at IS NULL ORDER BY c.time_in`)
	if err != nil {
		return nil, wrapDB(err, "read visits")
	}
	rows, err := st.QueryContext(ctx, person, from, to)
	if err != nil {
		return nil, wrapDB(err, "read visits")
	}
	var out []trace.Visit
	scan := func(rows *sql.Rows, source string) error {
		defer rows.Close()
		for rows.Next() {
			v := trace.Visit{Source: source}
			var in int64
			var outT sql.NullInt64
			var note string
			dest := []any{&v.ID, &v.VenueID, &in, &outT, &v.VenueCode, &v.VenueName, &v.Category, &v.WardCode}
			if source == trace.VisitManual {
				dest = append(dest, &note)
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			v.In, v.Out, v.Note = time.Unix(in, 0), timePtr(outT), s.openText("trace_visit", v.ID, note)
			out = append(out, v)
		}
		return rows.Err()
	}
	if err := scan(rows, trace.VisitCheckin); err != nil {
		return nil, err
	}
	if !caseID.IsZero() {
		st, err := s.roStmts.get(ctx, s.ro, `SELECT t.id, t.venue_id, t.time_in, t.time_out, v.code, v.name, v.category, v.ward_code, t.note
			FROM trace_visit t JOIN venue v ON v.id = t.venue_id
			WHERE t.case_id = ? AND t.deleted_at IS NULL ORDER BY t.time_in`)
		if err != nil {
			return nil, wrapDB(err, "read manual visits")
		}
		rows, err := st.QueryContext(ctx, caseID)
		if err != nil {
			return nil, wrapDB(err, "read manual visits")
		}
		if err := scan(rows, trace.VisitManual); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].In.Before(out[j].In) })
	return out, nil
}

// CaseVisits returns a case's visits in its window: the F0's check-ins and
// the manual visits, in time order.
func (s *Store) CaseVisits(ctx context.Context, caseID data.ID) ([]trace.Visit, error) {
	c, err := s.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return s.visitsOf(ctx, c.PersonID, c.ID, c.WindowStart.Unix(), c.WindowEnd.Unix())
}

// TraceEstimate counts, before computing, the visits and the check-ins a
// trace under p would read: the tracer sees the size of the job first.
func (s *Store) TraceEstimate(ctx context.Context, caseID data.ID, p trace.Profile) (trace.Estimate, error) {
	var est trace.Estimate
	if err := s.Require(data.PermTrace); err != nil {
		return est, err
	}
	visits, err := s.CaseVisits(ctx, caseID)
	if err != nil {
		return est, err
	}
	count, err := s.roStmts.get(ctx, s.ro, `SELECT COUNT(*) FROM checkin WHERE venue_id = ? AND time_in BETWEEN ? AND ?`)
	if err != nil {
		return est, wrapDB(err, "estimate")
	}
	for _, v := range visits {
		if v.Source == trace.VisitManual {
			est.ManualVisits++
		} else {
			est.Visits++
		}
		lo, hi := p.Range(v)
		var n int
		if err := count.QueryRowContext(ctx, v.VenueID, lo, hi).Scan(&n); err != nil {
			return est, wrapDB(err, "estimate")
		}
		est.Candidates += n
	}
	return est, nil
}

// Trace computes the F1 list of a case under profile p (and the F2 list
// when asked). Each contact appears once, with the strongest reason and
// every visit that put them on the list.
func (s *Store) Trace(ctx context.Context, caseID data.ID, p trace.Profile, opt TraceOptions) (*trace.Result, error) {
	start := time.Now()
	if err := s.Require(data.PermTrace); err != nil {
		return nil, err
	}
	c, err := s.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	res, err := s.traceCase(ctx, c, p, opt, start)
	if err != nil {
		return nil, err
	}
	// A tracing list gathers people's whereabouts: who computed which one
	// is on record.
	detail := fmt.Sprintf("rule=%s f1=%d f2=%d", p.Name, len(res.F1), len(res.F2))
	if err := s.Audit(ctx, "trace_compute", "case_f0", c.ID.String(), detail); err != nil {
		return nil, err
	}
	return res, nil
}

// traceCase is Trace for a case already read (benchmarks narrow its
// window in memory).
func (s *Store) traceCase(ctx context.Context, c data.Case, p trace.Profile, opt TraceOptions, start time.Time) (*trace.Result, error) {
	res := &trace.Result{CaseID: c.ID, F0PersonID: c.PersonID, Profile: p, WindowStart: c.WindowStart, WindowEnd: c.WindowEnd}
	var err error
	res.Visits, err = s.visitsOf(ctx, c.PersonID, c.ID, c.WindowStart.Unix(), c.WindowEnd.Unix())
	if err != nil {
		return nil, err
	}
	found, err := s.fetch(ctx, p, res.Visits, opt)
	if err != nil {
		return nil, err
	}
	f1 := trace.NewCollector(1, c.PersonID)
	judge(p, res.Visits, found, f1, nil, res)
	res.F1 = f1.Contacts()
	if opt.F2 {
		rule := opt.F2Rule
		if rule == nil {
			def, err := trace.Builtin().Get(trace.F2Profile)
			if err != nil {
				return nil, err
			}
			rule = &def
		}
		res.F2Rule = rule
		exclude := []data.ID{c.PersonID}
		var via []data.ID // per F1 visit, whose visit it is
		for _, f := range res.F1 {
			exclude = append(exclude, f.PersonID)
			if err := ctx.Err(); err != nil {
				return nil, &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
			}
			// The F1's visits from first meeting the F0 to the end of the
			// case window.
			visits, err := s.visitsOf(ctx, f.PersonID, data.ID{}, f.FirstContact(), c.WindowEnd.Unix())
			if err != nil {
				return nil, err
			}
			res.F1Visits = append(res.F1Visits, visits...)
			for range visits {
				via = append(via, f.PersonID)
			}
		}
		found, err := s.fetch(ctx, *rule, res.F1Visits, opt)
		if err != nil {
			return nil, err
		}
		f2 := trace.NewCollector(2, exclude...)
		judge(*rule, res.F1Visits, found, f2, via, res)
		res.F2 = f2.Contacts()
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// judge hands every presence to the collector in visit order (so the list
// does not depend on which worker read what). via, for F2, names the F1
// of each visit.
func judge(p trace.Profile, visits []trace.Visit, found [][]trace.Presence, col *trace.Collector, via []data.ID, res *trace.Result) {
	n := 0
	for _, f := range found {
		n += len(f)
	}
	col.Grow(n)
	for i, v := range visits {
		var who data.ID
		if via != nil {
			who = via[i]
		}
		res.Candidates += len(found[i])
		for _, pr := range found[i] {
			if pr.PersonID.IsZero() {
				res.Anonymous++
				continue
			}
			col.Add(p, i, v, pr, who)
		}
	}
}
