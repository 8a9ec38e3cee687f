package demo

import (
	"path/filepath"
	"testing"

	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

// A small demo replica with its history shows violations at every
// lifecycle step, numbered documents and a suspended venue.
func TestGenerateHistory(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Generate(t.Context(), s, Options{Seed: 7, VenuesPerWard: 30, Checkins: 3000, Now: demoNow}); err != nil {
		t.Fatal(err)
	}
	res, err := GenerateHistory(t.Context(), s, 7, demoNow)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	if res.Schedules != 3 || res.Inspections < 20 || res.Violations < 11 {
		t.Errorf("history too small: %+v", res)
	}
	for _, st := range inspect.Statuses {
		if res.ByStatus[st] == 0 {
			t.Errorf("no violation in status %s", st)
		}
	}
	sus, _ := s.SearchVenues(t.Context(), dataFilterSuspended())
	if len(sus) == 0 {
		t.Error("no venue shows as suspended")
	}
	docs, _ := s.DocumentsFor(t.Context(), mustFirst(t, s, inspect.StatusClosed), "")
	kinds := map[string]bool{}
	for _, d := range docs {
		kinds[d.Kind] = true
	}
	if !kinds[inspect.DocRecord] || !kinds[inspect.DocDecision] {
		t.Errorf("closed case lacks its record or decision: %v", kinds)
	}
	// Deterministic content per seed: same statuses on a second replica.
	s2, _ := sqlite.Open(filepath.Join(t.TempDir(), "again.db"))
	defer s2.Close()
	Generate(t.Context(), s2, Options{Seed: 7, VenuesPerWard: 30, Checkins: 3000, Now: demoNow})
	res2, err := GenerateHistory(t.Context(), s2, 7, demoNow)
	if err != nil || res2.Violations != res.Violations || res2.Documents != res.Documents {
		t.Errorf("second run differs: %+v vs %+v (%v)", res2, res, err)
	}
}

func dataFilterSuspended() data.VenueFilter { return data.VenueFilter{Status: data.VenueSuspended} }

func mustFirst(t *testing.T, s *sqlite.Store, status string) data.ID {
	t.Helper()
	vs, err := s.Violations(t.Context(), sqlite.RegisterFilter{Status: status})
	if err != nil || len(vs) == 0 {
		t.Fatalf("no %s violation: %v", status, err)
	}
	return vs[0].ID
}
