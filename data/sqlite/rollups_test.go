package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"qrward/data"
)

var rollupTables = []string{"rollup_venue_day", "rollup_ward_day", "rollup_day", "rollup_violation",
	"rollup_ward_venue", "rollup_registration", "checkin_tombstone"}

// snapshotRollups reads every rollup row, leaving out rows whose counts
// are all zero (triggers leave them behind when counts fall back to 0; a
// rebuild never creates them).
func snapshotRollups(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, tbl := range rollupTables {
		rows, err := s.rw.Query(`SELECT * FROM ` + tbl)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			allZero := tbl != "checkin_tombstone"
			var parts []string
			for i, v := range vals {
				if n, ok := v.(int64); ok && n != 0 && i > 0 {
					allZero = false
				}
				parts = append(parts, fmt.Sprintf("%s=%v", cols[i], v))
			}
			if !allZero {
				out[tbl] = append(out[tbl], strings.Join(parts, " "))
			}
		}
		rows.Close()
		sort.Strings(out[tbl])
	}
	return out
}

// Rollups kept by triggers equal a full recount after random inserts,
// edits, tombstones, deletes and a retention purge.
func TestRollupsEqualRecount(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(8, 8))
	var wards []string
	for _, w := range s.Units().Wards() {
		if w.ParentCode == "492" && len(wards) < 3 {
			wards = append(wards, w.Code)
		}
	}
	var venues []data.ID
	for i := 0; i < 6; i++ {
		v := validVenue(fmt.Sprintf("Quán %d", i))
		v.WardCode = wards[i%len(wards)]
		if err := s.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		venues = append(venues, v.ID)
	}
	var people []data.ID
	for i := 0; i < 8; i++ {
		p := &data.Person{FullName: fmt.Sprintf("Người %d", i)}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		people = append(people, p.ID)
	}
	// Times around midnight in Vietnam test the day boundary.
	day0 := time.Date(2021, 9, 10, 0, 0, 0, 0, vietnam)
	randTime := func() time.Time {
		return day0.Add(time.Duration(rng.IntN(4*24*60)) * time.Minute).Add(time.Duration(rng.IntN(3)-1) * time.Second)
	}
	sources := []string{data.SourceStaffScan, data.SourceSelfScan, data.SourcePaper}
	var checkins []data.ID
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.rw.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var violations []data.ID
	for op := 0; op < 1500; op++ {
		switch r := rng.IntN(100); {
		case r < 55 || len(checkins) < 5:
			c := &data.Checkin{VenueID: venues[rng.IntN(len(venues))], TimeIn: randTime(), Source: sources[rng.IntN(3)]}
			if rng.IntN(10) > 0 {
				c.PersonID = people[rng.IntN(len(people))]
			}
			if err := s.AddCheckin(ctx, c); err != nil {
				t.Fatal(err)
			}
			checkins = append(checkins, c.ID)
		case r < 65: // an edit arriving by sync: time, venue, person, source
			id := checkins[rng.IntN(len(checkins))]
			exec(`UPDATE checkin SET time_in = ?, venue_id = ?, person_id = ?, source = ? WHERE id = ?`,
				randTime().Unix(), venues[rng.IntN(len(venues))], people[rng.IntN(len(people))], sources[rng.IntN(3)], id)
		case r < 72:
			exec(`UPDATE checkin SET deleted_at = ? WHERE id = ?`, day0.Unix(), checkins[rng.IntN(len(checkins))])
		case r < 76:
			exec(`UPDATE checkin SET deleted_at = NULL WHERE id = ?`, checkins[rng.IntN(len(checkins))])
		case r < 80:
			exec(`DELETE FROM checkin WHERE id = ?`, checkins[rng.IntN(len(checkins))])
		case r < 85:
			exec(`INSERT INTO inspection(id, venue_id, started_at, device_id, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)`,
				data.NewID(), venues[rng.IntN(len(venues))], randTime().Unix(), s.deviceID)
		case r < 90:
			id := data.NewID()
			exec(`INSERT INTO violation(id, venue_id, rule_id, found_at, status, device_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'found', ?, 0, 0)`, id, venues[rng.IntN(len(venues))],
				[]string{"no_scan", "no_qr", "f0_unreported"}[rng.IntN(3)], randTime().Unix(), s.deviceID)
			violations = append(violations, id)
		case r < 94 && len(violations) > 0:
			id := violations[rng.IntN(len(violations))]
			if rng.IntN(4) == 0 {
				exec(`UPDATE violation SET deleted_at = 1 WHERE id = ?`, id)
			} else {
				exec(`UPDATE violation SET status = ?, found_at = ? WHERE id = ?`,
					[]string{"notified", "fined", "closed"}[rng.IntN(3)], randTime().Unix(), id)
			}
		default: // a venue's status or QR changes (not its ward)
			exec(`UPDATE venue SET status = ?, qr_serial = ?, qr_issued_on = ? WHERE id = ?`,
				[]string{"open", "suspended", "closed"}[rng.IntN(3)], rng.IntN(2), randTime().Format(dateLayout),
				venues[rng.IntN(len(venues))])
		}
	}
	// A retention purge removes the oldest day of check-ins outright.
	exec(`DELETE FROM checkin WHERE time_in < ?`, day0.AddDate(0, 0, 1).Unix())
	// And a venue is deleted (tombstone).
	exec(`UPDATE venue SET deleted_at = 1 WHERE id = ?`, venues[5])

	kept := snapshotRollups(t, s)
	if len(kept["rollup_ward_day"]) == 0 || len(kept["rollup_violation"]) == 0 || len(kept["checkin_tombstone"]) == 0 {
		t.Fatalf("the random run left empty rollups: %v", kept)
	}
	if stale, _ := s.RollupsStale(ctx); stale != "" {
		t.Fatalf("stale without a ward change: %q", stale)
	}
	if _, err := s.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	recount := snapshotRollups(t, s)
	for _, tbl := range rollupTables {
		if !reflect.DeepEqual(kept[tbl], recount[tbl]) {
			t.Errorf("%s: triggers and recount differ\ntriggers: %v\nrecount:  %v", tbl, kept[tbl], recount[tbl])
		}
	}
}

// A venue moving ward marks the rollups stale until a rebuild.
func TestRollupsStaleOnWardChange(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	v := validVenue("Quán Di Dời")
	if err := s.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	var other string
	for _, w := range s.Units().Wards() {
		if w.ParentCode == "492" && w.Code != v.WardCode {
			other = w.Code
			break
		}
	}
	if _, err := s.rw.ExecContext(ctx, `UPDATE venue SET ward_code = ? WHERE id = ?`, other, v.ID); err != nil {
		t.Fatal(err)
	}
	if stale, _ := s.RollupsStale(ctx); stale != "venue_ward_changed" {
		t.Fatalf("stale = %q", stale)
	}
	st, err := s.Stats(ctx, StatsQuery{})
	if err != nil || st.Stale == "" {
		t.Fatalf("stats do not say stale: %v", err)
	}
	if _, err := s.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	if stale, _ := s.RollupsStale(ctx); stale != "" {
		t.Errorf("still stale after rebuild: %q", stale)
	}
}

// A retention purge deletes old check-ins but keeps their counts; a
// rebuild afterwards recounts only the days that still have check-ins.
func TestRollupsSurvivePurge(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	v := validVenue("Quán Cũ")
	if err := s.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	p := &data.Person{FullName: "Người Cũ"}
	if err := s.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2021, 9, d, 0, 0, 0, 0, vietnam) }
	for d := 1; d <= 5; d++ {
		for i := 0; i < d; i++ {
			if err := s.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, PersonID: p.ID, TimeIn: day(d).Add(time.Duration(8+i) * time.Hour),
				Source: data.SourceStaffScan}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Midnight in Vietnam: the cut falls on a day boundary.
	s.Now = func() time.Time { return day(6) }
	if err := s.SetRetention(ctx, 2, 365); err != nil {
		t.Fatal(err)
	}
	res, err := s.Purge(ctx)
	if err != nil || res.Checkins != 1+2+3 {
		t.Fatalf("purge %+v %v", res, err)
	}
	before := snapshotRollups(t, s)
	if _, err := s.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	after := snapshotRollups(t, s)
	for _, tbl := range rollupTables {
		if !reflect.DeepEqual(before[tbl], after[tbl]) {
			t.Errorf("%s changed by the rebuild\nbefore: %v\nafter:  %v", tbl, before[tbl], after[tbl])
		}
	}
	st, err := s.Stats(ctx, StatsQuery{From: day(1), To: day(5)})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range st.Days {
		if d.Scans != i+1 || d.People != 1 {
			t.Errorf("%s: %d scans, %d people after purge and rebuild", d.Day, d.Scans, d.People)
		}
	}
}
