package data

import (
	"testing"
	"time"
)

// The check-in cut falls on a Vietnamese midnight, whatever the zone of
// the clock that asks: a replica and the hub cut at the same instant.
func TestCheckinRetentionCutoff(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	// 23:30 UTC on 30 September is already 1 October in Vietnam.
	now := time.Date(2021, 9, 30, 23, 30, 0, 0, time.UTC)
	want := time.Date(2021, 9, 10, 0, 0, 0, 0, ict)
	for _, at := range []time.Time{now, now.In(ict), now.In(time.FixedZone("CET", 3600))} {
		if got := CheckinRetentionCutoff(at, 21); !got.Equal(want) {
			t.Errorf("cutoff at %v = %v, want %v", at, got, want)
		}
	}
	if got := CheckinRetentionCutoff(now, 0); !got.Equal(want) {
		t.Errorf("default period: %v", got)
	}
	if got := CheckinRetentionCutoff(now, 14); !got.Equal(want.AddDate(0, 0, 7)) {
		t.Errorf("14 days: %v", got)
	}
	if got := ViolationRetentionCutoff(now, 0); !got.Equal(now.AddDate(0, 0, -DefaultRetentionViolations)) {
		t.Errorf("violations: %v", got)
	}
}

// A follow-up's id depends on its case and person only, and differs for
// another person of the same case.
func TestFollowUpID(t *testing.T) {
	c, p, q := NewID(), NewID(), NewID()
	if FollowUpID(c, p) != FollowUpID(c, p) || FollowUpID(c, p) == FollowUpID(c, q) || FollowUpID(c, p).IsZero() {
		t.Fatal("follow-up ids are not derived from (case, person)")
	}
	id := FollowUpID(c, p)
	if id[6]>>4 != 7 || id[8]>>6 != 2 {
		t.Fatalf("%s is not a UUIDv7", id)
	}
}
