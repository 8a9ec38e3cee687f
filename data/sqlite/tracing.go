package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
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
	// workers, when set, reads on that many connections from the start
	// instead of adding helpers when reads are slow (benchmarks).
	workers int
	// onSlow, if set, is called (once, on the caller's goroutine) when a
	// range read turns out slow: the replica is cold, more reads may as
	// well start beside.
	onSlow func()
}

// presenceQuery reads co-present check-ins of one venue as one row: the
// count, the person ids end to end (16 bytes each, zeros for a check-in
// without a person), and the times in (and out, when the rule compares
// stays) as comma-separated decimals. Handing rows over one by one costs
// ~0.5 µs each in cgo calls (a heavy F0 reads thousands); SQLite builds
// the strings in C in a fraction of that, and Go splits them without
// allocating per row. They come back as BLOBs so that the driver hands
// over its copy instead of making a string and database/sql a second copy.
func presenceQuery(noIndex, tombstones, checkOut bool) string {
	q := `SELECT COUNT(*), CAST(group_concat(ifnull(person_id, zeroblob(16)), '') AS BLOB), CAST(group_concat(time_in) AS BLOB)`
	if checkOut {
		q += `, CAST(group_concat(ifnull(time_out, 0)) AS BLOB)`
	}
	q += ` FROM checkin`
	if noIndex {
		q += ` NOT INDEXED`
	}
	q += ` WHERE venue_id = ? AND time_in BETWEEN ? AND ?`
	if tombstones {
		q += ` AND rid NOT IN (SELECT rid FROM checkin_tombstone)`
	}
	return q
}

// A trace reads its visits' ranges on one read connection; when a range
// read turns out slow, its pages came from disk, and fetchHelpers more
// connections join in so that their random reads overlap. Measured on the
// 10-million replica (docs/perf/tracing.md): cold, two connections take
// 9 ms where one takes 10; warm, a second connection costs 0.3 ms more
// than it saves, hence not from the start.
const fetchHelpers = 1

// slowRangeRead is the time above which a range read counts as slow (a
// variable so that tests can make every read slow).
var slowRangeRead = 300 * time.Microsecond

// fetch reads, for every visit's range (rangesOf), the check-ins at its
// venue with time_in in it, through one statement prepared once on the read pool
// (each worker gets its own connection from it). No context per
// statement: go-sqlite3 starts a watcher
// goroutine for each cancellable query, which costs more than the range
// scan; workers check ctx between visits instead. (Going around
// database/sql to the driver was measured: no gain, SQLite's own step
// through the index dominates.) The presences live in buffers reused
// from one trace to the next: release hands them back once judged.
func (s *Store) fetch(ctx context.Context, p trace.Profile, visits []visitRange, opt TraceOptions) (found [][]trace.Presence, release func(), err error) {
	release = func() {}
	out := make([][]trace.Presence, len(visits))
	if len(visits) == 0 {
		return out, release, nil
	}
	tomb, err := s.anyTombstone(ctx)
	if err != nil {
		return nil, release, wrapDB(err, "trace")
	}
	checkOut := p.UsesCheckOut()
	st, err := s.roStmts.get(ctx, s.ro, presenceQuery(opt.noIndex, tomb, checkOut))
	if err != nil {
		return nil, release, wrapDB(err, "trace")
	}
	helpers, adaptive := fetchHelpers, true
	if opt.workers > 0 {
		helpers, adaptive = opt.workers-1, false
	}
	var (
		next    atomic.Int64
		running sync.WaitGroup
		errs    = make(chan error, helpers)
		// Per worker, its buffer; per visit, where its presences are in
		// which buffer (a buffer may move as it grows).
		bufs = make([]*[]trace.Presence, 1+helpers)
		runs = make([]presenceRun, len(visits))
		// started counts the helpers; only the lead (worker 0) adds them.
		started int
	)
	var work func(w int) error
	help := func() {
		started++
		running.Add(1)
		go func(w int) {
			defer running.Done()
			if err := work(w); err != nil {
				errs <- err
			}
		}(started)
	}
	work = func(w int) error {
		bufs[w] = presenceBuffers.Get().(*[]trace.Presence)
		buf := (*bufs[w])[:0]
		defer func() { *bufs[w] = buf }()
		for {
			i := int(next.Add(1) - 1)
			if i >= len(visits) {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
			}
			t0 := time.Now()
			start := len(buf)
			var err error
			if buf, err = readPresences(st, visits[i].venue, visits[i].lo, visits[i].hi, checkOut, buf); err != nil {
				return err
			}
			runs[i] = presenceRun{worker: w, start: start, end: len(buf)}
			if w == 0 && adaptive && started < helpers && i+2 < len(visits) && time.Since(t0) > slowRangeRead {
				help()
				if opt.onSlow != nil {
					opt.onSlow()
				}
			}
		}
	}
	if !adaptive {
		for range helpers {
			help()
		}
	}
	err = work(0)
	running.Wait() // the helpers write into runs and bufs
	close(errs)
	if err == nil {
		err = <-errs
	}
	release = func() {
		for _, b := range bufs {
			if b != nil {
				presenceBuffers.Put(b)
			}
		}
	}
	if err != nil {
		release()
		return nil, func() {}, wrapDB(err, "trace")
	}
	for i, r := range runs {
		out[i] = (*bufs[r.worker])[r.start:r.end:r.end]
	}
	return out, release, nil
}

// visitRange is the slice of a venue's check-ins (by time_in) that can
// hold co-presences with one visit.
type visitRange struct {
	venue  data.ID
	lo, hi int64
}

// rangesOf bounds each visit's co-presences under p.
func rangesOf(p trace.Profile, visits []trace.Visit) []visitRange {
	out := make([]visitRange, len(visits))
	for i, v := range visits {
		out[i].venue = v.VenueID
		out[i].lo, out[i].hi = p.Range(v)
	}
	return out
}

// presenceBuffers hold the check-ins a trace reads, reused from one trace
// to the next (a heavy F0 reads thousands).
var presenceBuffers = sync.Pool{New: func() any { return new([]trace.Presence) }}

// presenceRun is where one visit's presences are: which worker's buffer,
// from start to end.
type presenceRun struct{ worker, start, end int }

// readPresences runs the presence statement for one venue and range and
// appends what it read to buf. Without checkOut the statement reads no
// time_out and Out stays 0.
func readPresences(st *sql.Stmt, venue data.ID, lo, hi int64, checkOut bool, buf []trace.Presence) ([]trace.Presence, error) {
	var n int
	var people, ins, outs sql.RawBytes
	rows, err := st.Query(venue, lo, hi)
	if err != nil {
		return buf, err
	}
	defer rows.Close()
	if !rows.Next() {
		return buf, rows.Err()
	}
	dest := []any{&n, &people, &ins}
	if checkOut {
		dest = append(dest, &outs)
	}
	if err := rows.Scan(dest...); err != nil {
		return buf, err
	}
	if n == 0 {
		return buf, rows.Close()
	}
	if len(people) != n*len(data.ID{}) {
		return buf, fmt.Errorf("trace: %d person bytes for %d check-ins (a person id that is not 16 bytes)", len(people), n)
	}
	start := len(buf)
	buf = slices.Grow(buf, n)[:start+n]
	for i := range n {
		p := &buf[start+i]
		copy(p.PersonID[:], people[i*16:])
		p.In, ins, err = nextInt(ins)
		if err == nil && checkOut {
			p.Out, outs, err = nextInt(outs)
		} else {
			p.Out = 0
		}
		if err != nil {
			return buf[:start], err
		}
	}
	return buf, rows.Close()
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
// visits, plus the case's manual visits when caseID is set, in time order,
// with their venues' details.
func (s *Store) visitsOf(ctx context.Context, person data.ID, caseID data.ID, from, to int64) ([]trace.Visit, error) {
	visits, err := s.visitPlaces(ctx, person, caseID, from, to)
	if err == nil {
		err = s.fillVenues(ctx, visits)
	}
	return visits, err
}

// visitPlaces is visitsOf without the venues' code, name, category and
// ward. The check-ins come from the covering index checkin_person_visit
// alone (no table page: on a cold replica those were two random reads per
// visit), so a check-in visit carries no ID; tombstoned check-ins are
// skipped through checkin_tombstone, as in fetch.
func (s *Store) visitPlaces(ctx context.Context, person data.ID, caseID data.ID, from, to int64) ([]trace.Visit, error) {
	tomb, err := s.anyTombstone(ctx)
	if err != nil {
		return nil, wrapDB(err, "read visits")
	}
	q := `SELECT venue_id, time_in, time_out FROM checkin WHERE person_id = ? AND time_in BETWEEN ? AND ?`
	if tomb {
		q += ` AND rid NOT IN (SELECT rid FROM checkin_tombstone)`
	}
	st, err := s.roStmts.get(ctx, s.ro, q+` ORDER BY time_in`)
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
			dest := []any{&v.VenueID, &in, &outT}
			if source == trace.VisitManual {
				dest = append([]any{&v.ID}, append(dest, &note)...)
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			v.In, v.Out = time.Unix(in, 0), timePtr(outT)
			if source == trace.VisitManual {
				v.Note = s.openText("trace_visit", v.ID, note)
			}
			out = append(out, v)
		}
		return rows.Err()
	}
	if err := scan(rows, trace.VisitCheckin); err != nil {
		return nil, err
	}
	if !caseID.IsZero() {
		st, err := s.roStmts.get(ctx, s.ro, `SELECT id, venue_id, time_in, time_out, note
			FROM trace_visit WHERE case_id = ? AND deleted_at IS NULL ORDER BY time_in`)
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

// fillVenues reads the code, name, category and ward of the visits'
// venues, once per venue.
func (s *Store) fillVenues(ctx context.Context, visits []trace.Visit) error {
	st, err := s.roStmts.get(ctx, s.ro, `SELECT code, name, category, ward_code FROM venue WHERE id = ?`)
	if err != nil {
		return wrapDB(err, "read visits")
	}
	for i := range visits {
		v := &visits[i]
		if j := slices.IndexFunc(visits[:i], func(w trace.Visit) bool { return w.VenueID == v.VenueID }); j >= 0 {
			v.VenueCode, v.VenueName, v.Category, v.WardCode = visits[j].VenueCode, visits[j].VenueName, visits[j].Category, visits[j].WardCode
			continue
		}
		err := st.QueryRowContext(ctx, v.VenueID).Scan(&v.VenueCode, &v.VenueName, &v.Category, &v.WardCode)
		if err != nil && !errors.Is(err, sql.ErrNoRows) { // a venue not (yet) in the replica stays nameless
			return wrapDB(err, "read visits")
		}
	}
	return nil
}

// anyTombstone reports whether any check-in is tombstoned: most replicas
// have none, and the trace queries then skip the exclusion.
func (s *Store) anyTombstone(ctx context.Context) (bool, error) {
	var tomb bool
	st, err := s.roStmts.get(ctx, s.ro, `SELECT EXISTS (SELECT 1 FROM checkin_tombstone)`)
	if err == nil {
		err = st.QueryRowContext(ctx).Scan(&tomb)
	}
	return tomb, err
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
	res.Visits, err = s.visitPlaces(ctx, c.PersonID, c.ID, c.WindowStart.Unix(), c.WindowEnd.Unix())
	if err != nil {
		return nil, err
	}
	// On a cold replica the venues' pages are a third of a trace's reads:
	// when the rule needs no category to bound the ranges, and the ranges
	// read slowly, the venues are read beside them on another connection.
	var venues chan error
	f1opt := opt
	if p.UsesCategory() {
		if err := s.fillVenues(ctx, res.Visits); err != nil {
			return nil, err
		}
	} else {
		f1opt.onSlow = func() {
			venues = make(chan error, 1)
			go func() { venues <- s.fillVenues(ctx, res.Visits) }()
		}
	}
	found, release, err := s.fetch(ctx, p, rangesOf(p, res.Visits), f1opt)
	if venues != nil {
		if verr := <-venues; err == nil && verr != nil {
			release()
			return nil, verr
		}
	} else if err == nil && !p.UsesCategory() {
		err = s.fillVenues(ctx, res.Visits)
	}
	if err != nil {
		return nil, err
	}
	f1 := trace.NewCollector(1, c.PersonID)
	judge(p, res.Visits, found, f1, nil, res)
	release()
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
		found, release, err := s.fetch(ctx, *rule, rangesOf(*rule, res.F1Visits), opt)
		if err != nil {
			return nil, err
		}
		f2 := trace.NewCollector(2, exclude...)
		judge(*rule, res.F1Visits, found, f2, via, res)
		release()
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
