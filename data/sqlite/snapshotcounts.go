package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"
)

// checkinTally counts, while a big snapshot loads into a replica that
// holds no check-ins, the figures the check-in rollup triggers keep
// (scans, paper, distinct people per ward and day, per day, per venue
// and day). Recounting them in SQL after the load sorts every check-in
// three times by 16-byte ids: 7 s for a million rows, more than the load
// itself; counting in Go as the rows stream past costs a map update per
// row and one sort of packed integers.
//
// The tally is only used when it can be exact: the replica had no
// check-ins, every applied check-in was tallied once (checked against
// COUNT(*) at the end), and every key fits its packing. Otherwise the
// caller falls back to the SQL recount.
type checkinTally struct {
	venues   map[[16]byte]uint32
	venueIDs [][16]byte
	people   map[[16]byte]uint32
	// (venue << dayBits | day) → live scans and paper check-ins.
	venueDay map[uint64][2]int32
	// Days that only have tombstoned check-ins: the recount clears them too.
	tombDays map[uint64]bool
	// One entry per live check-in with a person:
	// day << (personBits+venueBits) | person << venueBits | venue,
	// re-keyed by ward before counting distinct people.
	visits     []uint64
	rows       int // tallied rows, live and tombstoned
	tombstones bool
	overflow   bool
}

const (
	dayBits    = 15 // days since 1970: up to 2059
	personBits = 30
	venueBits  = 19
	noWard     = 1<<venueBits - 1 // venue not in the replica: no ward figures
	vnDay      = 25200            // UTC+7, as in the triggers' date(time_in + 25200, 'unixepoch')
)

func newCheckinTally(rowsHint int) *checkinTally {
	return &checkinTally{
		venues:   map[[16]byte]uint32{},
		people:   make(map[[16]byte]uint32, min(rowsHint/4, 1<<20)),
		venueDay: map[uint64][2]int32{},
		tombDays: map[uint64]bool{},
		visits:   make([]uint64, 0, min(rowsHint, 1<<24)),
	}
}

// add tallies one applied check-in row.
func (t *checkinTally) add(venue, person any, timeIn int64, source any, deleted bool) {
	t.rows++
	if timeIn+vnDay < 0 || (timeIn+vnDay)/86400 >= 1<<dayBits {
		t.overflow = true
		return
	}
	day := uint64((timeIn + vnDay) / 86400)
	if deleted {
		t.tombstones = true
		t.tombDays[day] = true
		return
	}
	vid, ok := venue.([]byte)
	if !ok || len(vid) != 16 {
		t.overflow = true
		return
	}
	v, ok := t.venues[[16]byte(vid)]
	if !ok {
		v = uint32(len(t.venueIDs))
		t.venues[[16]byte(vid)] = v
		t.venueIDs = append(t.venueIDs, [16]byte(vid))
	}
	if v >= noWard {
		t.overflow = true
		return
	}
	k := uint64(v)<<dayBits | day
	c := t.venueDay[k]
	c[0]++
	if s, _ := source.(string); s == "paper" {
		c[1]++
	}
	t.venueDay[k] = c
	if pid, ok := person.([]byte); ok && len(pid) == 16 {
		p, ok := t.people[[16]byte(pid)]
		if !ok {
			p = uint32(len(t.people))
			t.people[[16]byte(pid)] = p
		}
		if p >= 1<<personBits {
			t.overflow = true
			return
		}
		t.visits = append(t.visits, day<<(personBits+venueBits)|uint64(p)<<venueBits|uint64(v))
	}
}

func dayText(day uint64) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format("2006-01-02")
}

// write stores the tallied check-in figures, as the rebuild_checkins
// section of the rollup migration would, and reports false (writing
// nothing) when the tally cannot be trusted.
func (t *checkinTally) write(ctx context.Context, tx *sql.Tx) (bool, error) {
	if t.overflow {
		return false, nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM checkin`).Scan(&n); err != nil {
		return false, err
	}
	if n != t.rows {
		return false, nil
	}
	// Each venue's ward, as the rebuild's JOIN finds it now that every row is in.
	wardOf := make([]uint32, len(t.venueIDs))
	wardIdx := map[string]uint32{}
	var wards []string
	st, err := tx.PrepareContext(ctx, `SELECT ward_code FROM venue WHERE id = ?`)
	if err != nil {
		return false, err
	}
	defer st.Close()
	for i, id := range t.venueIDs {
		var w string
		switch err := st.QueryRowContext(ctx, id[:]).Scan(&w); err {
		case nil:
			x, ok := wardIdx[w]
			if !ok {
				x = uint32(len(wards))
				wardIdx[w], wards = x, append(wards, w)
			}
			wardOf[i] = x
		case sql.ErrNoRows:
			wardOf[i] = noWard
		default:
			return false, err
		}
	}
	type wardDay struct{ scans, paper, people, venues int64 }
	perWardDay := map[uint64]*wardDay{} // ward << dayBits | day
	perDay := map[uint64]*[2]int64{}    // scans, people
	at := func(ward uint32, day uint64) *wardDay {
		k := uint64(ward)<<dayBits | day
		if perWardDay[k] == nil {
			perWardDay[k] = &wardDay{}
		}
		return perWardDay[k]
	}
	dayAt := func(day uint64) *[2]int64 {
		if perDay[day] == nil {
			perDay[day] = &[2]int64{}
		}
		return perDay[day]
	}
	for k, c := range t.venueDay {
		v, day := uint32(k>>dayBits), k&(1<<dayBits-1)
		dayAt(day)[0] += int64(c[0])
		if w := wardOf[v]; w != noWard {
			wd := at(w, day)
			wd.scans += int64(c[0])
			wd.paper += int64(c[1])
			wd.venues++
		}
	}
	// Distinct people: re-key each visit by ward, sort, count changes.
	const low = 1<<venueBits - 1
	for i, k := range t.visits {
		t.visits[i] = k&^low | uint64(wardOf[k&low])
	}
	slices.Sort(t.visits)
	for i, k := range t.visits {
		day := k >> (personBits + venueBits)
		if i == 0 || t.visits[i-1]>>venueBits != k>>venueBits {
			dayAt(day)[1]++ // first visit of this person this day
		}
		if w := uint32(k & low); w != noWard && (i == 0 || t.visits[i-1] != k) {
			at(w, day).people++
		}
	}

	days := maps.Clone(t.tombDays)
	for d := range perDay {
		days[d] = true
	}
	for _, d := range slices.Sorted(maps.Keys(days)) {
		for _, q := range []string{`DELETE FROM rollup_venue_day WHERE day = ?`,
			`DELETE FROM rollup_ward_day WHERE day = ?`, `DELETE FROM rollup_day WHERE day = ?`} {
			if _, err := tx.ExecContext(ctx, q, dayText(d)); err != nil {
				return false, err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM checkin_tombstone`); err != nil {
		return false, err
	}
	if t.tombstones {
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_tombstone(rid) SELECT rid FROM checkin WHERE deleted_at IS NOT NULL`); err != nil {
			return false, err
		}
	}
	ins := inserter{ctx: ctx, tx: tx}
	for k, c := range t.venueDay {
		ins.add(`rollup_venue_day(venue_id, day, scans)`, t.venueIDs[k>>dayBits][:], dayText(k&(1<<dayBits-1)), int64(c[0]))
	}
	for k, c := range perWardDay {
		ins.add(`rollup_ward_day(ward_code, day, scans, paper, people, venues_scanned)`,
			wards[k>>dayBits], dayText(k&(1<<dayBits-1)), c.scans, c.paper, c.people, c.venues)
	}
	for d, c := range perDay {
		ins.add(`rollup_day(day, scans, people)`, dayText(d), c[0], c[1])
	}
	if err := ins.flush(); err != nil {
		return false, err
	}
	return true, nil
}

// inserter writes rows of one table at a time in multi-row INSERTs.
type inserter struct {
	ctx   context.Context
	tx    *sql.Tx
	into  string
	width int
	args  []any
	err   error
}

func (in *inserter) add(into string, vals ...any) {
	if in.into != into {
		in.flush()
		in.into, in.width = into, len(vals)
	}
	in.args = append(in.args, vals...)
	if len(in.args) >= 500*in.width {
		in.flush()
	}
}

func (in *inserter) flush() error {
	if in.err != nil || len(in.args) == 0 {
		in.args = in.args[:0]
		return in.err
	}
	q := `INSERT INTO ` + in.into + ` VALUES ` + valueRows(in.width, len(in.args)/in.width)
	if _, err := in.tx.ExecContext(in.ctx, q, in.args...); err != nil {
		in.err = fmt.Errorf("write rollups: %w", err)
	}
	in.args = in.args[:0]
	return in.err
}

// addRow tallies an applied check-in row of plan p.
func (t *checkinTally) addRow(vals []any, p *plan) {
	timeIn, ok := vals[p.checkin.timeIn].(int64)
	if !ok || p.checkin.person < 0 || p.checkin.source < 0 || p.checkin.deleted < 0 {
		t.rows++
		t.overflow = true // a column list the tally does not understand
		return
	}
	t.add(vals[p.checkin.venue], vals[p.checkin.person], timeIn, vals[p.checkin.source], vals[p.checkin.deleted] != nil)
}
