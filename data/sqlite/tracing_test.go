package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/trace"
)

// traceFixture is a hand-built replica with known answers; see
// TestTraceKnownAnswers for the expected list under each profile.
type traceFixture struct {
	s       *Store
	caseID  data.ID
	f0      data.ID
	p       map[string]data.ID // contacts by label
	a, b, c data.ID            // venues: restaurant, grocery, cafe
	tomb    data.ID            // the tombstoned check-in
}

var traceDay = time.Date(2021, 9, 12, 10, 0, 0, 0, time.Local)

func clock(h, m, sec int) time.Time {
	return time.Date(traceDay.Year(), traceDay.Month(), traceDay.Day(), h, m, sec, 0, time.Local)
}

func newTraceFixture(t *testing.T) *traceFixture {
	t.Helper()
	ctx := t.Context()
	s := newTestStore(t)
	f := &traceFixture{s: s, p: map[string]data.ID{}}
	venue := func(name, category string) data.ID {
		v := validVenue(name)
		v.Category = category
		if err := s.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		return v.ID
	}
	f.a, f.b, f.c = venue("Nhà hàng Biển Xanh", "restaurant"), venue("Tạp hóa Hường", "grocery"), venue("Cà phê Sông Hàn", "cafe")
	person := func(name string) data.ID {
		p := &data.Person{FullName: name}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	f.f0 = person("Trần Văn F")
	for _, l := range []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"} {
		f.p[l] = person("Người " + l)
	}
	checkin := func(who data.ID, venue data.ID, in time.Time, out *time.Time, source string) data.ID {
		c := &data.Checkin{VenueID: venue, PersonID: who, TimeIn: in, TimeOut: out, Source: source}
		if err := s.AddCheckin(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	at := func(t time.Time) *time.Time { return &t }
	scan := data.SourceStaffScan
	// The F0: restaurant A at 10:00 (no check-out), grocery B 14:00–14:10;
	// a visit before the case window that must not count.
	checkin(f.f0, f.a, clock(10, 0, 0), nil, scan)
	checkin(f.f0, f.b, clock(14, 0, 0), at(clock(14, 10, 0)), scan)
	checkin(f.f0, f.a, clock(10, 0, 0).AddDate(0, 0, -2), nil, scan)
	// Contacts at A.
	checkin(f.p["p1"], f.a, clock(10, 59, 59), nil, scan) // +59:59
	checkin(f.p["p2"], f.a, clock(11, 0, 0), nil, scan)   // +60:00, the edge
	checkin(f.p["p3"], f.a, clock(11, 0, 1), nil, scan)   // +60:01
	checkin(f.p["p4"], f.a, clock(8, 31, 0), nil, scan)   // default stay ends 10:01
	checkin(data.ID{}, f.a, clock(10, 5, 0), nil, data.SourcePaper)
	checkin(f.p["p6"], f.a, clock(10, 5, 0).AddDate(0, 0, -2), nil, scan)
	// At B: p1 again (deduplicated), p5 tombstoned.
	checkin(f.p["p1"], f.b, clock(14, 5, 0), nil, scan)
	f.tomb = checkin(f.p["p5"], f.b, clock(14, 5, 0), nil, scan)
	if _, err := s.rw.ExecContext(ctx, `UPDATE checkin SET deleted_at = ? WHERE id = ?`, clock(15, 0, 0).Unix(), f.tomb); err != nil {
		t.Fatal(err)
	}
	// p2 later at B, 16:00–17:00, with p8 (20 min together) and p9 (10).
	checkin(f.p["p2"], f.b, clock(16, 0, 0), at(clock(17, 0, 0)), scan)
	checkin(f.p["p8"], f.b, clock(16, 40, 0), at(clock(17, 30, 0)), scan)
	checkin(f.p["p9"], f.b, clock(16, 50, 0), at(clock(17, 30, 0)), scan)
	// A visit the tracer adds by hand: cafe C at 18:00, where p7 scanned.
	checkin(f.p["p7"], f.c, clock(18, 30, 0), nil, scan)

	onset := time.Date(2021, 9, 13, 0, 0, 0, 0, time.Local)
	cs := &data.Case{PersonID: f.f0, ConfirmedOn: time.Date(2021, 9, 14, 0, 0, 0, 0, time.Local), OnsetOn: &onset}
	if err := s.CreateCase(ctx, cs); err != nil {
		t.Fatal(err)
	}
	f.caseID = cs.ID
	if !cs.WindowStart.Equal(time.Date(2021, 9, 11, 0, 0, 0, 0, time.Local)) || !cs.WindowEnd.Equal(time.Date(2021, 9, 15, 0, 0, 0, 0, time.Local)) {
		t.Fatalf("default window %v – %v", cs.WindowStart, cs.WindowEnd)
	}
	if err := s.AddManualVisit(ctx, &ManualVisit{CaseID: cs.ID, VenueID: f.c, TimeIn: clock(18, 0, 0), Note: "Phỏng vấn F0"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *traceFixture) labels(cs []trace.Contact) []string {
	var out []string
	for _, c := range cs {
		for l, id := range f.p {
			if id == c.PersonID {
				out = append(out, l)
			}
		}
	}
	sort.Strings(out)
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTraceKnownAnswers(t *testing.T) {
	f := newTraceFixture(t)
	ctx := t.Context()
	ps := trace.Builtin()
	want := map[string][]string{
		// ±60 min inclusive: p1 (+59:59), p2 (+60:00), p1 again at B, p7 at the manual visit.
		"vietnam": {"p1", "p2", "p7"},
		// F0 at A 10:00–11:30 (restaurant 90 min) + 30 min: p3 (11:00:01) and
		// p4 (08:31 + 90 min = 10:01) join.
		"overlap30": {"p1", "p2", "p3", "p4", "p7"},
		// No buffer: the same people, since all arrive before 11:30.
		"category_stay": {"p1", "p2", "p3", "p4", "p7"},
		// ≥ 15 min: p4 shares one minute only.
		"f2_direct": {"p1", "p2", "p3", "p7"},
	}
	for name, labels := range want {
		p, _ := ps.Get(name)
		res, err := f.s.Trace(ctx, f.caseID, p, TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.labels(res.F1); !equal(got, labels) {
			t.Errorf("%s: F1 %v, want %v", name, got, labels)
		}
		if len(res.Visits) != 3 || res.Visits[2].Source != trace.VisitManual || res.Anonymous != 1 {
			t.Errorf("%s: visits %d, anonymous %d", name, len(res.Visits), res.Anonymous)
		}
	}
	// Reasons: p1 is on the list once, for two visits, the closer one first.
	p, _ := ps.Get("vietnam")
	res, _ := f.s.Trace(ctx, f.caseID, p, TraceOptions{})
	for _, c := range res.F1 {
		if c.PersonID != f.p["p1"] {
			continue
		}
		if len(c.Exposures) != 2 || res.Visits[c.Reason().Visit].VenueName != "Tạp hóa Hường" || c.Reason().DeltaSeconds != 300 ||
			res.Visits[c.Reason().Visit].VenueID != f.b {
			t.Errorf("p1 reason %+v, exposures %d", c.Reason(), len(c.Exposures))
		}
	}
	est, err := f.s.TraceEstimate(ctx, f.caseID, p)
	if err != nil || est.Visits != 2 || est.ManualVisits != 1 || est.Candidates < len(res.F1) {
		t.Errorf("estimate %+v %v", est, err)
	}
}

// TestTraceOnSeveralConnections: reading the visits on one, two or three
// connections, one trace at a time or several at once, gives the same
// lists (the buffers and the collector's state are reused between
// traces).
func TestTraceOnSeveralConnections(t *testing.T) {
	f := newTraceFixture(t)
	ctx := t.Context()
	p, _ := trace.Builtin().Get("vietnam")
	c, err := f.s.Case(ctx, f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.s.traceCase(ctx, c, p, TraceOptions{F2: true, workers: 1}, time.Now())
	if err != nil || len(want.F1) == 0 || len(want.F2) == 0 {
		t.Fatalf("one connection: %+v %v", want, err)
	}
	same := func(got *trace.Result) bool {
		return reflect.DeepEqual(got.Visits, want.Visits) && reflect.DeepEqual(got.F1, want.F1) && reflect.DeepEqual(got.F2, want.F2) &&
			got.Candidates == want.Candidates && got.Anonymous == want.Anonymous
	}
	traceAll := func() {
		var wg sync.WaitGroup
		for _, w := range []int{0, 2, 3, 2, 3, 0} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := f.s.traceCase(ctx, c, p, TraceOptions{F2: true, workers: w}, time.Now())
				if err != nil || !same(got) {
					t.Errorf("%d connections: %v\nF1 %+v\nwant %+v", w, err, got.F1, want.F1)
				}
			}()
		}
		wg.Wait()
	}
	traceAll()
	traceAll() // again, on buffers and collector states the first round left
	// A tombstoned check-in of the F0 is no visit.
	if _, err := f.s.rw.ExecContext(ctx, `UPDATE checkin SET deleted_at = ? WHERE person_id = ? AND venue_id = ?`,
		clock(20, 0, 0).Unix(), f.f0, f.b); err != nil {
		t.Fatal(err)
	}
	visits, err := f.s.CaseVisits(ctx, f.caseID)
	if err != nil || len(visits) != len(want.Visits)-1 {
		t.Fatalf("visits after a tombstone: %d (was %d) %v", len(visits), len(want.Visits), err)
	}
	for _, v := range visits {
		if v.VenueID == f.b {
			t.Errorf("tombstoned visit still read: %+v", v)
		}
	}
}

// TestTraceAgainstPlainReading: an F0 with eleven visits to ten venues
// (more ranges and venues than one statement reads) and a few hundred
// check-ins around them, some anonymous, some withdrawn. Every way of
// reading (one to three connections) gives the list that
// reading each venue's check-ins plainly, judging them one by one, gives.
func TestTraceAgainstPlainReading(t *testing.T) {
	ctx := t.Context()
	s := newTestStore(t)
	rng := rand.New(rand.NewPCG(5, 6))
	categories := []string{"restaurant", "grocery", "cafe"}
	var venues []data.ID
	for i := range 10 {
		v := validVenue(fmt.Sprintf("Quán số %d", i+1))
		v.Category = categories[i%len(categories)]
		if err := s.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		venues = append(venues, v.ID)
	}
	var people []data.ID
	for i := range 41 {
		p := &data.Person{FullName: fmt.Sprintf("Người thứ %d", i)}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		people = append(people, p.ID)
	}
	f0 := people[0]
	add := func(who, venue data.ID, in time.Time, out *time.Time) data.ID {
		c := &data.Checkin{VenueID: venue, PersonID: who, TimeIn: in, TimeOut: out, Source: data.SourceStaffScan}
		if who.IsZero() {
			c.Source = data.SourcePaper
		}
		if err := s.AddCheckin(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	start := time.Date(2021, 9, 11, 8, 0, 0, 0, time.Local)
	for i := range 11 {
		// Two visits to the first venue; visits 3 h apart, so that a
		// contact's range can reach back into the previous visit's.
		venue := venues[max(i-1, 0)]
		in := start.Add(time.Duration(i) * 3 * time.Hour)
		var out *time.Time
		if i%2 == 0 {
			o := in.Add(time.Duration(20+rng.IntN(60)) * time.Minute)
			out = &o
		}
		add(f0, venue, in, out)
		for range 30 {
			who := people[1+rng.IntN(len(people)-1)]
			if rng.IntN(10) == 0 {
				who = data.ID{}
			}
			cin := in.Add(time.Duration(rng.IntN(300)-150) * time.Minute)
			var cout *time.Time
			if rng.IntN(2) == 0 {
				o := cin.Add(time.Duration(rng.IntN(120)) * time.Minute)
				cout = &o
			}
			id := add(who, venue, cin, cout)
			if rng.IntN(15) == 0 {
				if _, err := s.rw.ExecContext(ctx, `UPDATE checkin SET deleted_at = ? WHERE id = ?`, cin.Unix(), id); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	onset := time.Date(2021, 9, 13, 0, 0, 0, 0, time.Local)
	cs := &data.Case{PersonID: f0, ConfirmedOn: time.Date(2021, 9, 14, 0, 0, 0, 0, time.Local), OnsetOn: &onset}
	if err := s.CreateCase(ctx, cs); err != nil {
		t.Fatal(err)
	}
	c, err := s.Case(ctx, cs.ID)
	if err != nil {
		t.Fatal(err)
	}

	// The reference: every live check-in of the visit's venue, one by one.
	plain := func(p trace.Profile, visits []trace.Visit) (contacts []trace.Contact, candidates, anonymous int) {
		col := trace.NewCollector(1, f0)
		for vi, v := range visits {
			rows, err := s.rw.QueryContext(ctx, `SELECT person_id, time_in, ifnull(time_out, 0) FROM checkin NOT INDEXED
				WHERE venue_id = ? AND deleted_at IS NULL ORDER BY time_in`, v.VenueID)
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := p.Range(v)
			for rows.Next() {
				var who *data.ID
				var pr trace.Presence
				if err := rows.Scan(&who, &pr.In, &pr.Out); err != nil {
					t.Fatal(err)
				}
				if who != nil {
					pr.PersonID = *who
				}
				if pr.In >= lo && pr.In <= hi {
					candidates++
					if who == nil {
						anonymous++
					}
				}
				if !p.UsesCheckOut() {
					pr.Out = 0
				}
				col.Add(p, vi, v, pr, data.ID{})
			}
			rows.Close()
		}
		return col.Contacts(), candidates, anonymous
	}
	for _, name := range []string{"vietnam", "overlap30", "category_stay"} {
		p, _ := trace.Builtin().Get(name)
		check := func(how string, opt TraceOptions) {
			t.Helper()
			got, err := s.traceCase(ctx, c, p, opt, time.Now())
			if err != nil {
				t.Fatalf("%s, %s: %v", name, how, err)
			}
			if len(got.Visits) != 11 {
				t.Fatalf("%s, %s: %d visits, want 11", name, how, len(got.Visits))
			}
			for _, v := range got.Visits {
				if i := slices.Index(venues, v.VenueID); i < 0 || v.VenueName != fmt.Sprintf("Quán số %d", i+1) || v.Category != categories[i%len(categories)] {
					t.Fatalf("%s, %s: visit at %q (%s)", name, how, v.VenueName, v.Category)
				}
			}
			want, candidates, anonymous := plain(p, got.Visits)
			if len(want) < 10 {
				t.Fatalf("%s: only %d contacts, the fixture tests little", name, len(want))
			}
			if !reflect.DeepEqual(got.F1, want) || got.Candidates != candidates || got.Anonymous != anonymous {
				t.Errorf("%s, %s: %d contacts from %d check-ins (%d anonymous), want %d from %d (%d)",
					name, how, len(got.F1), got.Candidates, got.Anonymous, len(want), candidates, anonymous)
			}
		}
		for _, w := range []int{0, 1, 2, 3} {
			check(fmt.Sprintf("%d connections", w), TraceOptions{workers: w})
		}
	}
}

func TestTraceF2(t *testing.T) {
	f := newTraceFixture(t)
	p, _ := trace.Builtin().Get("vietnam")
	res, err := f.s.Trace(t.Context(), f.caseID, p, TraceOptions{F2: true})
	if err != nil {
		t.Fatal(err)
	}
	// Under the F2 rule (≥ 15 min direct overlap with an F1): p3 shared the
	// restaurant with p1 and p2 for ~90 min; p8 shared B with p2 for 20 min;
	// p9 only 10 min. F1s and the F0 are never F2.
	if got := f.labels(res.F2); !equal(got, []string{"p3", "p8"}) {
		t.Errorf("F2 %v", got)
	}
	for _, c := range res.F2 {
		if c.Level != 2 || c.Via.IsZero() || c.Reason().Visit >= len(res.F1Visits) {
			t.Errorf("F2 row %+v", c)
		}
		if c.PersonID == f.p["p8"] && (c.Via != f.p["p2"] || c.Reason().OverlapSeconds != 20*60) {
			t.Errorf("p8 reason %+v", c.Reason())
		}
	}
}

func TestTraceWindowEditAndFollowUp(t *testing.T) {
	f := newTraceFixture(t)
	ctx := t.Context()
	// Narrowing the window to the afternoon drops the morning visit.
	if err := f.s.SetCaseWindow(ctx, f.caseID, clock(13, 0, 0), clock(23, 0, 0)); err != nil {
		t.Fatal(err)
	}
	p, _ := trace.Builtin().Get("vietnam")
	res, _ := f.s.Trace(ctx, f.caseID, p, TraceOptions{})
	if got := f.labels(res.F1); !equal(got, []string{"p1", "p7"}) {
		t.Errorf("afternoon F1 %v", got)
	}
	if err := f.s.SetCaseWindow(ctx, f.caseID, clock(13, 0, 0), clock(12, 0, 0)); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("reversed window: %v", err)
	}
	fu := FollowUp{CaseID: f.caseID, PersonID: f.p["p1"], Level: 1, Called: true, Note: "Đã gọi"}
	if err := f.s.SetFollowUp(ctx, fu); err != nil {
		t.Fatal(err)
	}
	fu.Reached, fu.Isolated = true, true
	if err := f.s.SetFollowUp(ctx, fu); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.FollowUps(ctx, f.caseID)
	if err != nil || len(got) != 1 || !got[f.p["p1"]].Reached || !got[f.p["p1"]].Called || got[f.p["p1"]].Tested {
		t.Errorf("follow-ups %+v %v", got, err)
	}
	var versions int
	f.s.ro.QueryRow(`SELECT version FROM trace_contact`).Scan(&versions)
	if versions != 2 {
		t.Errorf("follow-up version %d", versions)
	}
	pending, _ := f.s.PendingChanges(ctx, 0, 1000)
	tables := map[string]int{}
	for _, e := range pending {
		tables[e.Table]++
	}
	if tables["case_f0"] != 2 || tables["trace_visit"] != 1 || tables["trace_contact"] != 2 {
		t.Errorf("outbox %v", tables)
	}
	// Un-deleting the tombstoned check-in puts p5 back on the list.
	if _, err := f.s.rw.ExecContext(ctx, `UPDATE checkin SET deleted_at = NULL WHERE id = ?`, f.tomb); err != nil {
		t.Fatal(err)
	}
	res, _ = f.s.Trace(ctx, f.caseID, p, TraceOptions{})
	if got := f.labels(res.F1); !equal(got, []string{"p1", "p5", "p7"}) {
		t.Errorf("after undelete F1 %v", got)
	}
}

func TestCreateCaseValidation(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	err := s.CreateCase(ctx, &data.Case{})
	if keys := fieldKeys(err); keys["person"] != "err.required" || keys["confirmed_on"] != "err.required" {
		t.Errorf("empty case: %v", keys)
	}
	onset := time.Date(2021, 9, 20, 0, 0, 0, 0, time.Local)
	err = s.CreateCase(ctx, &data.Case{PersonID: data.NewID(), ConfirmedOn: time.Date(2021, 9, 14, 0, 0, 0, 0, time.Local), OnsetOn: &onset})
	if keys := fieldKeys(err); keys["onset_on"] != "err.case_onset_after_confirmed" {
		t.Errorf("onset after confirmation: %v", keys)
	}
	err = s.CreateCase(ctx, &data.Case{PersonID: data.NewID(), ConfirmedOn: time.Date(2021, 9, 14, 0, 0, 0, 0, time.Local)})
	if data.ErrorCode(err) != data.ENotFound {
		t.Errorf("unknown person: %v", err)
	}
	if _, err := s.Trace(ctx, data.NewID(), trace.Profile{}, TraceOptions{}); data.ErrorCode(err) != data.ENotFound {
		t.Errorf("unknown case: %v", err)
	}
}

// BenchmarkTrace10M traces one F0 with 20 visits on a large replica:
//
//	/tmp/qrward demo --db /tmp/ten.db --checkins 10000000
//	QRWARD_BENCH_DB=/tmp/ten.db QRWARD_BENCH_COLD=1 go test ./data/sqlite/ -run XXX -bench Trace10M -benchtime 1x
//
// One benchmark iteration is a series of traces (QRWARD_BENCH_REPS, default
// 50 warm, 15 cold, 1 without index) so that warm, cold and index-less
// figures come from the same run. "warm" repeats the trace; "cold" drops
// the OS page cache before each trace (QRWARD_BENCH_COLD=1, needs root)
// and opens the replica and its read connections afresh (untimed: a
// running app has them open); "noindex" is the same query with every
// index on checkin ignored; "fetch-only" the index reads alone. Each
// reports the median and the worst trace.
func BenchmarkTrace10M(b *testing.B) {
	path := os.Getenv("QRWARD_BENCH_DB")
	if path == "" {
		b.Skip("QRWARD_BENCH_DB not set")
	}
	ctx := context.Background()
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { s.Close() }()
	c, visits := benchCase(b, s, 20)
	p, _ := trace.Builtin().Get("vietnam")
	reps := func(def int) int {
		if n, err := strconv.Atoi(os.Getenv("QRWARD_BENCH_REPS")); err == nil && n > 0 && def > 1 {
			return n
		}
		return def
	}
	report := func(b *testing.B, times []time.Duration) {
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
	}
	run := func(b *testing.B, opt TraceOptions, cold bool, n int) {
		var times []time.Duration
		var res *trace.Result
		if !cold && n > 1 { // warm means warm: one untimed trace first
			if _, err := s.traceCase(ctx, c, p, opt, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			for range n {
				if cold {
					b.StopTimer()
					s.Close()
					if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0o200); err != nil {
						b.Skip("cannot drop the page cache (needs root): ", err)
					}
					if s, err = Open(path); err != nil {
						b.Fatal(err)
					}
					openReadConns(b, s)
					b.StartTimer()
				}
				t0 := time.Now()
				res, err = s.traceCase(ctx, c, p, opt, t0)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
		}
		report(b, times)
		b.ReportMetric(float64(len(res.Visits)), "visits")
		b.ReportMetric(float64(res.Candidates), "rows-read")
		b.ReportMetric(float64(len(res.F1)), "F1")
	}
	// workers=0 is the default, fetchWorkers connections.
	for _, w := range []int{1, 0, 3} {
		opt := TraceOptions{workers: w}
		name := fmt.Sprintf("workers=%d", w)
		if w == 0 {
			name = "default"
		}
		b.Run("warm/"+name, func(b *testing.B) { run(b, opt, false, reps(50)) })
		b.Run("cold/"+name, func(b *testing.B) {
			if os.Getenv("QRWARD_BENCH_COLD") == "" {
				b.Skip("QRWARD_BENCH_COLD not set")
			}
			run(b, opt, true, reps(15))
		})
	}
	b.Run("fetch-only", func(b *testing.B) {
		tomb, err := s.anyTombstone(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var times []time.Duration
		for b.Loop() {
			for range reps(50) {
				t0 := time.Now()
				err := s.fetch(ctx, p, rangesOf(p, visits), tomb, TraceOptions{workers: 1}, nil, func(int, []trace.Presence) {})
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
		}
		report(b, times)
	})
	b.Run("noindex", func(b *testing.B) { run(b, TraceOptions{noIndex: true}, false, 1) })
}

// openReadConns opens the read pool's connections, as a running app has
// them: each has read the schema, none has read a page of check-ins.
func openReadConns(b *testing.B, s *Store) {
	ctx := context.Background()
	var conns []*sql.Conn
	for range 4 {
		c, err := s.ro.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var n int
		if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Close()
	}
}

// benchCase picks the demo case with at least n visits and narrows its
// window (in memory) to exactly its first n visits.
func benchCase(b *testing.B, s *Store, n int) (data.Case, []trace.Visit) {
	ctx := context.Background()
	cases, err := s.Cases(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tomb, err := s.anyTombstone(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		visits, err := s.visitsOf(ctx, c.PersonID, data.ID{}, c.WindowStart.Unix(), c.WindowEnd.Unix(), tomb)
		if err != nil {
			b.Fatal(err)
		}
		if len(visits) >= n {
			c.WindowEnd = visits[n-1].In
			return c, visits[:n]
		}
	}
	b.Skipf("no case with %d visits", n)
	return data.Case{}, nil
}
