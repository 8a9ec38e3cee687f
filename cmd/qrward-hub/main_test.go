package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"qrward/data/hub"
	"qrward/data/hub/hubtest"
)

func TestMain(m *testing.M) { hubtest.Main(m) }

// qrward-hub purge runs the retention purge and prints its counts as one
// JSON line; the retention rule comes from the common flags.
func TestPurgeCommand(t *testing.T) {
	dsn := hubtest.DB(t)
	var out, errb bytes.Buffer
	if code := run([]string{"purge", "--db", dsn, "--district", "492", "--checkin-days", "14"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got struct{ Purge hub.PurgeResult }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.Purge.Cutoff.IsZero() || got.Purge.Rows == nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"purge", "--db", dsn, "--district", "492", "--checkin-days", "0"}, &out, &errb); code != 1 || errb.Len() == 0 {
		t.Fatalf("a period of 0 days: exit %d, %q", code, errb.String())
	}
	if code := run([]string{"purge", "--db", dsn, "--district", "492", "extra"}, &out, &errb); code != 2 {
		t.Fatalf("an extra argument: exit %d", code)
	}
}
