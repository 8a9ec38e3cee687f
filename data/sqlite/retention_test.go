package sqlite

import (
	"os"
	"strconv"
	"testing"
	"time"

	"qrward/data"
)

func TestPurgeDeletesWhatOutlivedRetention(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	clock := time.Date(2021, 9, 1, 10, 0, 0, 0, time.Local)
	s.Now = func() time.Time { return clock }
	v := validVenue("Siêu thị Hoa Sen")
	v.Category = "supermarket"
	if err := s.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	// Old visitors (checked in on day 0) and a recent one (day 20).
	var old []*data.Person
	for i := 0; i < 300; i++ {
		p := &data.Person{FullName: "Khách Cũ", Phone: "0905" + pad6(i)}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, PersonID: p.ID, TimeIn: clock, Source: data.SourceStaffScan}); err != nil {
			t.Fatal(err)
		}
		old = append(old, p)
	}
	recent := &data.Person{FullName: "Khách Mới", Phone: "0935000001"}
	s.CreatePerson(ctx, recent)
	s.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, PersonID: recent.ID, TimeIn: clock.AddDate(0, 0, 20), Source: data.SourceStaffScan})
	var before int64
	s.ro.QueryRow(`SELECT COALESCE(SUM(scans), 0) FROM rollup_day`).Scan(&before)
	sizeBefore := fileSize(t, s.Path())

	// A fake clock 22 days later: day-0 check-ins are past the 21 days.
	clock = clock.AddDate(0, 0, 22)
	res, err := s.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Checkins != 300 || res.People != 300 {
		t.Errorf("purged %+v", res)
	}
	if got, _ := s.FindPeople(ctx, PersonQuery{Phone: old[0].Phone}); len(got) != 0 {
		t.Error("an old visitor survived the purge")
	}
	if got, _ := s.FindPeople(ctx, PersonQuery{Phone: "0935000001"}); len(got) != 1 {
		t.Error("a recent visitor was purged")
	}
	if got, _ := s.Venue(ctx, v.ID); got.OwnerName == "" {
		t.Error("the venue owner was purged")
	}
	// Counts without personal data stay for the steering committee's history.
	var after int64
	s.ro.QueryRow(`SELECT COALESCE(SUM(scans), 0) FROM rollup_day`).Scan(&after)
	if after != before {
		t.Errorf("rollups changed by the purge: %d → %d", before, after)
	}
	// The purge is recorded as counts, and the file shrank.
	var detail string
	s.ro.QueryRow(`SELECT detail FROM audit_log WHERE action = 'retention_purge'`).Scan(&detail)
	if detail == "" || !res.Vacuumed {
		t.Errorf("audit %q, vacuumed %v", detail, res.Vacuumed)
	}
	if sizeAfter := fileSize(t, s.Path()); sizeAfter >= sizeBefore {
		t.Errorf("file did not shrink: %d → %d", sizeBefore, sizeAfter)
	}
	// A second purge finds nothing more.
	if res, _ := s.Purge(ctx); res.Checkins != 0 || res.People != 0 {
		t.Errorf("second purge %+v", res)
	}
	if err := s.SetRetention(ctx, 0, 10); len(data.FieldErrors(err)) != 2 {
		t.Errorf("bad retention accepted: %v", err)
	}
}

func pad6(i int) string {
	s := "000000" + strconv.Itoa(i)
	return s[len(s)-6:]
}

func fileSize(t *testing.T, path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := os.Stat(path + "-wal")
	if w != nil {
		return st.Size() + w.Size()
	}
	return st.Size()
}
