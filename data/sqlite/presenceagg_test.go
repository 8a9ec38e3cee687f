package sqlite

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"qrward/data"
)

// TestPresencesAggregate reads qrward_presences back from a real SQLite
// connection: check-ins packed in the order given, an anonymous one as
// zeros, a missing check-out as 0, no rows as NULL, and a person id of
// the wrong size as an error rather than a shifted list.
func TestPresencesAggregate(t *testing.T) {
	s := newTestStore(t)
	a, b := data.NewID(), data.NewID()
	var got []byte
	err := s.ro.QueryRow(`SELECT qrward_presences(p, i, o) FROM (
		SELECT ? AS p, 1631415600 AS i, 1631419200 AS o UNION ALL
		SELECT NULL, 1631415700, NULL UNION ALL
		SELECT ?, -5, 7)`, a, b).Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	entry := func(id data.ID, in, out int64) []byte {
		e := append([]byte{}, id[:]...)
		e = binary.LittleEndian.AppendUint64(e, uint64(in))
		return binary.LittleEndian.AppendUint64(e, uint64(out))
	}
	want := bytes.Join([][]byte{entry(a, 1631415600, 1631419200), entry(data.ID{}, 1631415700, 0), entry(b, -5, 7)}, nil)
	if presenceSize != 32 || !bytes.Equal(got, want) {
		t.Fatalf("packed\n%x\nwant\n%x", got, want)
	}

	var none []byte
	if err := s.ro.QueryRow(`SELECT qrward_presences(person_id, time_in, time_out) FROM checkin WHERE 0`).Scan(&none); err != nil || none != nil {
		t.Fatalf("no rows: %x %v", none, err)
	}
	err = s.ro.QueryRow(`SELECT qrward_presences(x'0102', 1, 2)`).Scan(&got)
	if err == nil || !strings.Contains(err.Error(), "not 16 bytes") {
		t.Fatalf("short person id: %v", err)
	}
	// Many rows: the buffer grows.
	var n int
	err = s.ro.QueryRow(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 5000)
		SELECT length(qrward_presences(NULL, i, i)) FROM k`).Scan(&n)
	if err != nil || n != 5000*presenceSize {
		t.Fatalf("5000 rows: %d bytes, %v", n, err)
	}
}
