package sqlite

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"qrward/data"
)

// A check-in withdrawn here comes back from the hub and is applied with an
// upsert over the tombstoned row: the tombstone trigger must not fail on
// the tombstone already there (it did, and the device could not pull any
// more). Also after a bulk load, which re-creates the triggers.
func TestWithdrawnCheckinAppliesAgain(t *testing.T) {
	ctx := context.Background()
	a := newTestStore(t)
	v := seedVenueAndCheckins(t, a, 3)
	c := &data.Checkin{VenueID: v.ID, TimeIn: fixedNow.Add(time.Hour), Source: data.SourceStaffScan}
	if err := a.AddCheckin(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := a.UndoCheckin(ctx, c.ID, "test", "quét nhầm"); err != nil {
		t.Fatal(err)
	}
	p := pageFrom(t, a, "20236")
	for round := range 2 {
		if _, err := a.ApplyPage(ctx, p); err != nil {
			t.Fatalf("round %d: own withdrawn check-in pulled back: %v", round, err)
		}
		p.From, p.To = p.To, 2*p.To
		for i := range p.Rows {
			p.Rows[i].Seq += int64(len(p.Rows))
		}
	}
	var tombs int
	a.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM checkin_tombstone`).Scan(&tombs)
	if tombs != 1 {
		t.Fatalf("%d tombstones, want 1", tombs)
	}

	// The trigger text bulk loads re-create is the migrated one.
	trigger := func() string {
		var q string
		a.rw.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE name = 'trace_tombstone_upd'`).Scan(&q)
		return q
	}
	migrated := trigger()
	if err := a.withTx(ctx, func(tx *sql.Tx) error {
		if err := dropRollupTriggers(ctx, tx); err != nil {
			return err
		}
		return createRollupTriggers(ctx, tx)
	}); err != nil {
		t.Fatal(err)
	}
	if got := trigger(); got != migrated || got == "" {
		t.Fatalf("re-created trigger differs from the migrated one:\n%s\n%s", got, migrated)
	}
}
