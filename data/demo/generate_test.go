package demo

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/sqlite"
)

var demoNow = time.Date(2021, 9, 20, 18, 0, 0, 0, time.FixedZone("ICT", 7*3600))

func generate(t *testing.T, seed uint64, checkins int) (string, Result) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := Generate(t.Context(), s, Options{Seed: seed, VenuesPerWard: 40, Checkins: checkins, Now: demoNow})
	if err != nil {
		t.Fatal(err)
	}
	return path, res
}

// contentHash hashes the generated rows (ids included) in a fixed order.
func contentHash(t *testing.T, path string) string {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	for _, q := range []string{
		`SELECT hex(id), code, name, category, address, ward_code, hex(owner_id), status, qr_serial, last_checkin_at FROM venue ORDER BY id`,
		`SELECT hex(id), full_name, phone, id_number, qid, birth_date FROM person ORDER BY id`,
		`SELECT hex(id), hex(venue_id), hex(person_id), time_in, time_out, source, risk_flags FROM checkin ORDER BY id`,
		`SELECT hex(id), hex(person_id), confirmed_on, window_start, window_end FROM case_f0 ORDER BY id`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			fmt.Fprintln(h, vals...)
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestGenerateCountsAndDeterminism(t *testing.T) {
	pathA, res := generate(t, 7, 20_000)
	if res.Wards != 13 || res.Venues != 13*40 || res.Checkins != 20_000 || res.Cases != 5 {
		t.Fatalf("result %+v", res)
	}
	s, err := sqlite.Open(pathA)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Counts(t.Context())
	if c.Venues != 520 || c.Checkins != 20_000 || c.Cases != 5 || c.Outbox != 0 {
		t.Errorf("counts %+v", c)
	}
	// Realism checks: every category present, a share of venues silent,
	// popular venues much busier than the median, daytime peak.
	idx, _ := s.VenueIndex(t.Context())
	cats := map[string]bool{}
	for i := 0; i < idx.Len(); i++ {
		cats[idx.Row(i).Category] = true
	}
	for _, cat := range data.Categories {
		if !cats[cat.Key] {
			t.Errorf("no venue of category %s", cat.Key)
		}
	}
	silent := len(idx.Search(data.VenueFilter{SilentDays: 21, Now: demoNow}))
	if silent < 520/6 || silent > 520/2 {
		t.Errorf("%d silent venues of 520", silent)
	}
	if hits := idx.Search(data.VenueFilter{Query: "cho han"}); len(hits) == 0 || idx.Row(hits[0]).Name != "Chợ Hàn" {
		t.Errorf("Chợ Hàn is not the first hit of %d", len(hits))
	}
	s.Close()
	// Same seed, same bytes; another seed, other data.
	pathB, _ := generate(t, 7, 20_000)
	pathC, _ := generate(t, 8, 20_000)
	a, b, cc := contentHash(t, pathA), contentHash(t, pathB), contentHash(t, pathC)
	if a != b {
		t.Error("same seed gave different replicas")
	}
	if a == cc {
		t.Error("different seeds gave the same replica")
	}
}

func TestGenerateRefusesNonEmptyReplica(t *testing.T) {
	path, _ := generate(t, 1, 1000)
	s, _ := sqlite.Open(path)
	defer s.Close()
	_, err := Generate(t.Context(), s, Options{Seed: 1, VenuesPerWard: 5, Checkins: 10, Now: demoNow})
	if data.ErrorCode(err) != data.EConflict {
		t.Errorf("second generate: %v", err)
	}
}

func BenchmarkGenerate(b *testing.B) {
	const checkins = 1_000_000
	for i := 0; i < b.N; i++ {
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		res, err := Generate(b.Context(), s, Options{Seed: 1, Checkins: checkins})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.ReportMetric(float64(res.Checkins+res.Venues+res.People)/res.Elapsed.Seconds(), "rows/s")
	}
}
