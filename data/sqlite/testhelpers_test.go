package sqlite

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"qrward/data"
)

// newTestStore opens a real replica file in a temp dir.
func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "replica.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var fixedNow = time.Date(2021, 9, 15, 10, 0, 0, 0, time.Local)

// validVenue is a venue that passes validation in the bundled dataset.
func validVenue(name string) *data.Venue {
	return &data.Venue{
		Name:       name,
		Category:   "restaurant",
		Address:    "12 Bạch Đằng",
		WardCode:   "20236",
		OwnerName:  "Nguyễn Văn An",
		OwnerPhone: "+84 905 123 456",
	}
}

func openTestdata(name string) (*os.File, error) { return os.Open(filepath.Join("testdata", name)) }
