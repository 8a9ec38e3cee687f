package sqlite

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"qrward/data"
)

// Stats on a hand-built replica with known answers.
func TestStatsKnownAnswers(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	day := func(d, h int) time.Time { return time.Date(2021, 9, d, h, 0, 0, 0, vietnam) }
	s.Now = func() time.Time { return day(12, 12) }
	var wards []string
	for _, w := range s.Units().Wards() {
		if w.ParentCode == "492" && len(wards) < 2 {
			wards = append(wards, w.Code)
		}
	}
	venue := func(name, ward string, qr bool) data.ID {
		v := validVenue(name)
		v.WardCode = ward
		if err := s.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		if qr {
			if _, err := s.rw.ExecContext(ctx, `UPDATE venue SET qr_serial = 1, qr_issued_on = '2021-09-01' WHERE id = ?`, v.ID); err != nil {
				t.Fatal(err)
			}
		}
		return v.ID
	}
	a1, a2, b1 := venue("A1", wards[0], true), venue("A2", wards[0], false), venue("B1", wards[1], true)
	venue("B2", wards[1], false) // never scanned: silent
	p1, p2 := &data.Person{FullName: "Người Một"}, &data.Person{FullName: "Người Hai"}
	s.CreatePerson(ctx, p1)
	s.CreatePerson(ctx, p2)
	add := func(v data.ID, p *data.Person, at time.Time, source string) {
		c := &data.Checkin{VenueID: v, TimeIn: at, Source: source}
		if p != nil {
			c.PersonID = p.ID
		}
		if err := s.AddCheckin(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// 11 Sep: p1 at A1 twice and at B1; p2 at A1 on paper. 12 Sep: p1 at A2.
	// 23:30 on 10 Sep is still 10 Sep in Vietnam.
	add(a1, p1, day(11, 8), data.SourceStaffScan)
	add(a1, p1, day(11, 9), data.SourceStaffScan)
	add(b1, p1, day(11, 10), data.SourceStaffScan)
	add(a1, p2, day(11, 11), data.SourcePaper)
	add(a2, p1, day(12, 8), data.SourceStaffScan)
	add(a2, nil, day(10, 23).Add(30*time.Minute), data.SourcePaper)
	if _, err := s.rw.ExecContext(ctx, `INSERT INTO violation(id, venue_id, rule_id, found_at, status, device_id, created_at, updated_at)
		VALUES (?, ?, 'no_scan', ?, 'found', ?, 0, 0)`, data.NewID(), a2, day(12, 9).Unix(), s.deviceID); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx, StatsQuery{From: day(10, 0), To: day(12, 0), SilentDays: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Days) != 3 || st.Days[0].Day != "2021-09-10" || st.Days[2].Day != "2021-09-12" {
		t.Fatalf("days %+v", st.Days)
	}
	d10, d11, d12 := st.Days[0], st.Days[1], st.Days[2]
	if d10.Scans != 1 || d10.Paper != 1 || d10.People != 0 || d10.VenuesScanned != 1 {
		t.Errorf("10 Sep %+v", d10)
	}
	// p1 in two wards counts once for the district, once per ward.
	if d11.Scans != 4 || d11.Paper != 1 || d11.People != 2 || d11.VenuesScanned != 2 {
		t.Errorf("11 Sep %+v", d11)
	}
	if d12.Scans != 1 || d12.People != 1 || d12.Violations != 1 || d12.Registered != 4 || d12.WithQR != 2 {
		t.Errorf("12 Sep %+v", d12)
	}
	sort.Slice(st.Wards, func(i, j int) bool { return st.Wards[i].Code == wards[0] })
	wa, wb := st.Wards[0], st.Wards[1]
	if wa.Days[1].People != 2 || wb.Days[1].People != 1 || wa.Registered != 2 || wa.WithQR != 1 {
		t.Errorf("ward A %+v", wa)
	}
	// Silent over the 2 days up to 12 Sep: B2 (never) and B1 (last 11 Sep
	// is inside the 2 days, so not silent); A1 last scanned 11 Sep: not silent.
	if st.SilentTotal != 1 || st.Silent[0].Name != "B2" || wb.Silent != 1 {
		t.Errorf("silent %d %+v", st.SilentTotal, st.Silent)
	}
	if len(st.Violations) != 1 || st.Violations[0].RuleID != "no_scan" || st.Violations[0].N != 1 {
		t.Errorf("violations %+v", st.Violations)
	}
	// A ward filter.
	st, _ = s.Stats(ctx, StatsQuery{From: day(11, 0), To: day(11, 0), Wards: []string{wards[1]}})
	if len(st.Wards) != 1 || st.Days[0].Scans != 1 || st.Days[0].People != 1 {
		t.Errorf("ward filter %+v", st.Days)
	}
	if _, err := s.Stats(ctx, StatsQuery{From: day(12, 0), To: day(10, 0)}); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("reversed period: %v", err)
	}
}

// BenchmarkStats10M opens the dashboard's figures (7 days, all wards) on a
// large replica:
//
//	QRWARD_BENCH_DB=/tmp/ten.db go test ./data/sqlite/ -run XXX -bench Stats10M
func BenchmarkStats10M(b *testing.B) {
	path := os.Getenv("QRWARD_BENCH_DB")
	if path == "" {
		b.Skip("QRWARD_BENCH_DB not set")
	}
	ctx := context.Background()
	run := func(b *testing.B, cold bool) {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer func() { s.Close() }()
		var st *Stats
		for b.Loop() {
			if cold {
				b.StopTimer()
				s.Close()
				if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0o200); err != nil {
					b.Skip("cannot drop the page cache (needs root): ", err)
				}
				if s, err = Open(path); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			if st, err = s.Stats(ctx, StatsQuery{}); err != nil {
				b.Fatal(err)
			}
		}
		scans := 0
		for _, d := range st.Days {
			scans += d.Scans
		}
		b.ReportMetric(float64(scans), "scans-in-period")
		b.ReportMetric(float64(st.SilentTotal), "silent")
	}
	b.Run("warm", func(b *testing.B) { run(b, false) })
	b.Run("cold", func(b *testing.B) {
		if os.Getenv("QRWARD_BENCH_COLD") == "" {
			b.Skip("QRWARD_BENCH_COLD not set")
		}
		run(b, true)
	})
}
