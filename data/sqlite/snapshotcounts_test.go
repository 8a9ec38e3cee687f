package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/syncproto"
)

// A big first snapshot counts its check-ins for the rollups while loading;
// the figures must equal a full SQL recount of the same rows. The stream
// is shaped to catch the edge cases: venues arriving after their
// check-ins, a venue the replica never gets, people visiting several
// venues and wards the same day, check-ins without a person, paper ones,
// tombstones (one day with nothing but tombstones), times either side of
// midnight in Vietnam.
func TestSnapshotTallyEqualsRecount(t *testing.T) {
	for _, preloaded := range []bool{false, true} {
		t.Run(fmt.Sprintf("replica-had-checkins=%v", preloaded), func(t *testing.T) {
			ctx := context.Background()
			src := newTestStore(t)
			var venueIDs [][]byte
			for i, ward := range []string{"20236", "20236", "20239", "20242"} {
				v := validVenue(fmt.Sprintf("Quán số %d", i))
				v.WardCode = ward
				if err := src.CreateVenue(ctx, v); err != nil {
					t.Fatal(err)
				}
				venueIDs = append(venueIDs, v.ID[:])
			}
			if err := src.AddCheckin(ctx, &data.Checkin{VenueID: data.ID(venueIDs[0]), TimeIn: fixedNow, Source: data.SourceStaffScan}); err != nil {
				t.Fatal(err)
			}
			base := pageFrom(t, src, "20236")
			cols := base.Columns["checkin"]
			var venues, checkins []syncproto.Row
			for _, r := range base.Rows {
				switch r.Table {
				case "venue", "person":
					venues = append(venues, r)
				case "checkin":
					checkins = append(checkins, r)
				}
			}
			stranger := data.NewID() // a venue the replica never receives
			venueIDs = append(venueIDs, stranger[:])
			people := make([][]byte, 300)
			for i := range people {
				id := data.NewID()
				people[i] = id[:]
			}
			rng := rand.New(rand.NewPCG(5, 5))
			midnight := time.Date(2021, 9, 12, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600)).Unix()
			for i := 0; i < snapshotIndexThreshold+500; i++ {
				vals := make(syncproto.Values, len(cols))
				at := midnight + int64(rng.IntN(3*86400)) - 43200
				deleted := rng.IntN(40) == 0
				if i < 50 { // a day of tombstones only
					at, deleted = midnight-5*86400+int64(i), true
				}
				for j, c := range cols {
					switch c {
					case "id":
						id := data.NewID()
						vals[j] = id[:]
					case "venue_id":
						vals[j] = venueIDs[rng.IntN(len(venueIDs))]
					case "person_id":
						if rng.IntN(10) > 0 {
							vals[j] = people[rng.IntN(len(people))]
						}
					case "time_in", "created_at", "updated_at":
						vals[j] = at
					case "source":
						vals[j] = []string{"staff_scan", "self_scan", "paper"}[rng.IntN(3)]
					case "code_kind":
						vals[j] = ""
					case "risk_flags":
						vals[j] = int64(0)
					case "version":
						vals[j] = int64(1)
					case "device_id":
						vals[j] = src.DeviceID().String()
					case "deleted_at":
						if deleted {
							vals[j] = at + 60
						}
					}
				}
				checkins = append(checkins, syncproto.Row{Table: "checkin", Ward: "20236", Values: vals})
			}
			stream := append(checkins, venues...) // venues last: they were edited later
			for i := range stream {
				stream[i].Seq = int64(i + 1)
			}

			dst := newTestStore(t)
			if preloaded {
				seedVenueAndCheckins(t, dst, 3)
			}
			w, err := dst.BeginPage(ctx, "20236", 0, true, len(stream))
			if err != nil {
				t.Fatal(err)
			}
			for i := range stream {
				if err := w.Row(&stream[i], base.Columns[stream[i].Table]); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := w.Commit(int64(len(stream))); err != nil {
				t.Fatal(err)
			}
			if w.tallied == preloaded {
				t.Fatalf("tally used = %v for a replica that had check-ins = %v", w.tallied, preloaded)
			}
			got := snapshotRollups(t, dst)
			if len(got["rollup_ward_day"]) == 0 || len(got["checkin_tombstone"]) == 0 {
				t.Fatalf("no rollups after the snapshot: %v", got)
			}
			if _, err := dst.RebuildRollups(ctx); err != nil {
				t.Fatal(err)
			}
			if want := snapshotRollups(t, dst); !reflect.DeepEqual(got, want) {
				for tbl := range want {
					if !reflect.DeepEqual(got[tbl], want[tbl]) {
						t.Errorf("%s after the snapshot:\n%v\nfull recount:\n%v", tbl, got[tbl], want[tbl])
					}
				}
			}
			// The triggers are back: a new check-in counts at once.
			before := snapshotRollups(t, dst)["rollup_day"]
			if err := dst.AddCheckin(ctx, &data.Checkin{VenueID: data.ID(venueIDs[0]), TimeIn: fixedNow.Add(400 * 24 * time.Hour), Source: data.SourceStaffScan}); err != nil {
				t.Fatal(err)
			}
			if after := snapshotRollups(t, dst)["rollup_day"]; len(after) != len(before)+1 {
				t.Fatalf("rollup_day after a new check-in: %d rows, was %d", len(after), len(before))
			}
		})
	}
}
