package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
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
	// workers, when set, reads on that many connections instead of
	// fetchWorkers (benchmarks, tests).
	workers int
}

// presenceQuery reads the check-ins of `ranges` venues and time ranges,
// one row per range numbered from 0: the range's number and the
// qrward_presences aggregate of its check-ins (presenceagg.go), 32 bytes
// each, in time order. Handing rows over one by one costs ~0.5 µs each in
// cgo calls (a heavy F0 reads thousands), and packing them with SQLite's
// group_concat ~0.15 µs (turning times into text, a call per column).
func presenceQuery(noIndex, tombstones bool, ranges int) string {
	var q strings.Builder
	for k := range ranges {
		if k > 0 {
			q.WriteString(` UNION ALL `)
		}
		fmt.Fprintf(&q, `SELECT %d, qrward_presences(person_id, time_in, time_out) FROM checkin`, k)
		if noIndex {
			q.WriteString(` NOT INDEXED`)
		}
		q.WriteString(` WHERE venue_id = ? AND time_in BETWEEN ? AND ?`)
		if tombstones {
			q.WriteString(` AND rid NOT IN (SELECT rid FROM checkin_tombstone)`)
		}
	}
	return q.String()
}

// rangesPerRead is how many visits' ranges one statement reads. Each
// statement costs ~5 µs in database/sql, the driver and cgo besides
// SQLite's own work: warm, the 20 ranges of a heavy F0 read one per
// statement took 0.34–0.37 ms, four per statement 0.27–0.30 ms, all in one
// 0.27–0.28 ms (docs/perf/tracing.md). Four leaves several reads to
// share between connections on a cold replica.
const rangesPerRead = 4

// fetchWorkers is how many read connections a trace reads its visits'
// ranges on, beside the goroutine that judges them. Measured on the
// 10-million replica (docs/perf/tracing.md): warm, two were steadier than
// one (0.69–0.71 against 0.64–0.94 ms a trace in the same runs); cold,
// faster (7.4 against 8.2 ms: the random reads of two connections
// overlap).
const fetchWorkers = 2

// fetch reads, for every visit's range (rangesOf), the check-ins at its
// venue with time_in in it (skipping withdrawn ones when tomb, as
// anyTombstone tells), rangesPerRead ranges per statement, on
// fetchWorkers goroutines. Meanwhile the caller's goroutine runs meanwhile
// (if set), then hands each visit's presences to judge, in visit order,
// as soon as they are read: SQLite's reads are half of a warm trace, and
// the judging and the venues' details fit beside them. judge must not keep
// the slice it is given (its buffer is reused by the next trace).
//
// Statements are prepared once on the read pool; each worker gets its own
// connection from it. No context per statement: go-sqlite3 starts a
// watcher goroutine for each cancellable query, which costs more than the
// range scan; workers check ctx between reads instead. (Going around
// database/sql to the driver was measured: no gain, SQLite's own step
// through the index dominates.)
func (s *Store) fetch(ctx context.Context, p trace.Profile, visits []visitRange, tomb bool, opt TraceOptions, meanwhile func() error, judge func(i int, found []trace.Presence)) error {
	if len(visits) == 0 {
		if meanwhile != nil {
			return meanwhile()
		}
		return nil
	}
	var err error
	checkOut := p.UsesCheckOut()
	// The statement for a full read, and for the last one when the visits
	// do not fill it.
	stmts := map[int]*sql.Stmt{}
	reads := (len(visits) + rangesPerRead - 1) / rangesPerRead
	for _, n := range []int{min(rangesPerRead, len(visits)), len(visits) - (reads-1)*rangesPerRead} {
		if stmts[n] == nil {
			if stmts[n], err = s.roStmts.get(ctx, s.ro, presenceQuery(opt.noIndex, tomb, n)); err != nil {
				return wrapDB(err, "trace")
			}
		}
	}
	workers := fetchWorkers
	if opt.workers > 0 {
		workers = opt.workers
	}
	workers = min(workers, reads)
	var (
		next    atomic.Int64
		failed  atomic.Bool
		running sync.WaitGroup
		// done receives the number of each read once its presences are in
		// found; errs the first error of each worker.
		done  = make(chan int, reads)
		errs  = make(chan error, workers)
		found = make([][]trace.Presence, len(visits))
		// Per worker, its buffer, handed back once all is judged.
		bufs = make([]*[]trace.Presence, workers)
	)
	work := func(w int) error {
		bufs[w] = presenceBuffers.Get().(*[]trace.Presence)
		buf := (*bufs[w])[:0]
		defer func() { *bufs[w] = buf }()
		args := make([]any, 0, 3*rangesPerRead)
		for !failed.Load() {
			r := int(next.Add(1) - 1)
			if r >= reads {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
			}
			first, end := r*rangesPerRead, min((r+1)*rangesPerRead, len(visits))
			args = args[:0]
			for _, v := range visits[first:end] {
				args = append(args, v.venue, v.lo, v.hi)
			}
			var err error
			if buf, err = readPresences(stmts[end-first], args, checkOut, buf, found[first:end]); err != nil {
				return err
			}
			done <- r
		}
		return nil
	}
	for w := range workers {
		running.Add(1)
		go func() {
			defer running.Done()
			if err := work(w); err != nil {
				failed.Store(true)
				errs <- err
			}
		}()
	}
	defer func() {
		running.Wait()
		for _, b := range bufs {
			if b != nil {
				presenceBuffers.Put(b)
			}
		}
	}()
	if meanwhile != nil {
		if err := meanwhile(); err != nil {
			failed.Store(true)
			return err
		}
	}
	// Judge the reads in order as they come.
	ready := make([]bool, reads)
	judged := 0
	for judged < reads {
		select {
		case r := <-done:
			ready[r] = true
		case err := <-errs:
			return wrapDB(err, "trace")
		}
		for judged < reads && ready[judged] {
			for i := judged * rangesPerRead; i < min((judged+1)*rangesPerRead, len(visits)); i++ {
				judge(i, found[i])
			}
			judged++
		}
	}
	return nil
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

// readPresences runs a presence statement for the ranges in args (venue,
// lo, hi each), appends what it read to buf, and sets found, per range, to
// its presences in buf. (When buf grows, the earlier ranges keep the old
// array.) Without checkOut, Out stays 0: the rule does not look at it.
func readPresences(st *sql.Stmt, args []any, checkOut bool, buf []trace.Presence, found [][]trace.Presence) ([]trace.Presence, error) {
	rows, err := st.Query(args...)
	if err != nil {
		return buf, err
	}
	defer rows.Close()
	var k int
	var packed sql.RawBytes
	read := 0
	for rows.Next() {
		if err := rows.Scan(&k, &packed); err != nil {
			return buf, err
		}
		if k < 0 || k >= len(found) {
			return buf, fmt.Errorf("trace: range %d of %d", k, len(found))
		}
		if len(packed)%presenceSize != 0 {
			return buf, fmt.Errorf("trace: %d bytes of presences", len(packed))
		}
		n := len(packed) / presenceSize
		start := len(buf)
		buf = slices.Grow(buf, n)[:start+n]
		for i := range n {
			p, e := &buf[start+i], packed[i*presenceSize:(i+1)*presenceSize]
			copy(p.PersonID[:], e[:16])
			p.In = int64(binary.LittleEndian.Uint64(e[16:]))
			p.Out = 0
			if checkOut {
				p.Out = int64(binary.LittleEndian.Uint64(e[24:]))
			}
		}
		found[k] = buf[start:len(buf):len(buf)]
		read++
	}
	if err := rows.Err(); err != nil {
		return buf, err
	}
	if read != len(found) {
		return buf, fmt.Errorf("trace: %d of %d ranges read", read, len(found))
	}
	return buf, rows.Close()
}

// visitsOf returns a person's check-ins with time_in in [from, to] as
// visits, plus the case's manual visits when caseID is set, in time order,
// with their venues' details.
func (s *Store) visitsOf(ctx context.Context, person data.ID, caseID data.ID, from, to int64, tomb bool) ([]trace.Visit, error) {
	visits, err := s.visitPlaces(ctx, person, caseID, from, to, tomb)
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
func (s *Store) visitPlaces(ctx context.Context, person data.ID, caseID data.ID, from, to int64, tomb bool) ([]trace.Visit, error) {
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

// venuesPerRead is how many venues one statement of fillVenues reads: a
// trace's visits go to a handful of venues, and one statement for them
// all costs a fifth of one per venue.
const venuesPerRead = 8

// fillVenues reads the code, name, category and ward of the visits'
// venues, venuesPerRead distinct venues per statement.
func (s *Store) fillVenues(ctx context.Context, visits []trace.Visit) error {
	type venueDetails struct{ code, name, category, ward string }
	found := make(map[data.ID]venueDetails, len(visits))
	var ids []data.ID
	for _, v := range visits {
		if _, ok := found[v.VenueID]; !ok {
			found[v.VenueID] = venueDetails{}
			ids = append(ids, v.VenueID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	st, err := s.roStmts.get(ctx, s.ro, `SELECT id, code, name, category, ward_code FROM venue WHERE id IN (?`+
		strings.Repeat(`, ?`, venuesPerRead-1)+`)`)
	if err != nil {
		return wrapDB(err, "read visits")
	}
	args := make([]any, venuesPerRead)
	for len(ids) > 0 {
		n := min(len(ids), venuesPerRead)
		for i := range args {
			args[i] = ids[min(i, n-1)] // the last slots repeat an id
		}
		ids = ids[n:]
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return wrapDB(err, "read visits")
		}
		for rows.Next() {
			var id data.ID
			var d venueDetails
			if err := rows.Scan(&id, &d.code, &d.name, &d.category, &d.ward); err != nil {
				rows.Close()
				return wrapDB(err, "read visits")
			}
			found[id] = d
		}
		err = rows.Err()
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return wrapDB(err, "read visits")
		}
	}
	// A venue not (yet) in the replica stays nameless.
	for i := range visits {
		v := &visits[i]
		d := found[v.VenueID]
		v.VenueCode, v.VenueName, v.Category, v.WardCode = d.code, d.name, d.category, d.ward
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
	return tomb, wrapDB(err, "read visits")
}

// CaseVisits returns a case's visits in its window: the F0's check-ins and
// the manual visits, in time order.
func (s *Store) CaseVisits(ctx context.Context, caseID data.ID) ([]trace.Visit, error) {
	c, err := s.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	tomb, err := s.anyTombstone(ctx)
	if err != nil {
		return nil, err
	}
	return s.visitsOf(ctx, c.PersonID, c.ID, c.WindowStart.Unix(), c.WindowEnd.Unix(), tomb)
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
	// Whether any check-in is withdrawn, asked once for the whole trace
	// (an F2 trace reads the visits of every F1).
	tomb, err := s.anyTombstone(ctx)
	if err != nil {
		return nil, err
	}
	res.Visits, err = s.visitPlaces(ctx, c.PersonID, c.ID, c.WindowStart.Unix(), c.WindowEnd.Unix(), tomb)
	if err != nil {
		return nil, err
	}
	// The venues' details: first when the rule needs the category to
	// bound the ranges, else beside the range reads (on a cold replica the
	// venues' pages are a third of a trace's reads).
	var venues func() error
	if p.UsesCategory() {
		if err := s.fillVenues(ctx, res.Visits); err != nil {
			return nil, err
		}
	} else {
		venues = func() error { return s.fillVenues(ctx, res.Visits) }
	}
	f1 := trace.NewCollector(1, c.PersonID)
	if err := s.fetch(ctx, p, rangesOf(p, res.Visits), tomb, opt, venues, judge(p, res.Visits, f1, nil, res)); err != nil {
		return nil, err
	}
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
			visits, err := s.visitsOf(ctx, f.PersonID, data.ID{}, f.FirstContact(), c.WindowEnd.Unix(), tomb)
			if err != nil {
				return nil, err
			}
			res.F1Visits = append(res.F1Visits, visits...)
			for range visits {
				via = append(via, f.PersonID)
			}
		}
		f2 := trace.NewCollector(2, exclude...)
		if err := s.fetch(ctx, *rule, rangesOf(*rule, res.F1Visits), tomb, opt, nil, judge(*rule, res.F1Visits, f2, via, res)); err != nil {
			return nil, err
		}
		res.F2 = f2.Contacts()
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// judge returns what hands each visit's presences to the collector, as
// fetch calls it: in visit order (so the list does not depend on which
// worker read what). via, for F2, names the F1 of each visit.
func judge(p trace.Profile, visits []trace.Visit, col *trace.Collector, via []data.ID, res *trace.Result) func(int, []trace.Presence) {
	return func(i int, found []trace.Presence) {
		var who data.ID
		if via != nil {
			who = via[i]
		}
		col.Grow(len(found))
		res.Candidates += len(found)
		res.Anonymous += col.AddVisit(p, i, visits[i], found, who)
	}
}
