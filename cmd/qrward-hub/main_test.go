package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"qrward/data"
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

// The violation period comes from --violation-days, else
// $QRWARD_HUB_VIOLATION_DAYS, else the replicas' default; it is always on.
func TestPurgeViolationDays(t *testing.T) {
	dsn := hubtest.DB(t)
	cutoff := func(args ...string) time.Time {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(append([]string{"purge", "--db", dsn, "--district", "492"}, args...), &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		var got struct{ Purge hub.PurgeResult }
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("output %q: %v", out.String(), err)
		}
		return got.Purge.ViolationCutoff
	}
	near := func(got time.Time, days int) bool {
		d := got.Sub(data.ViolationRetentionCutoff(time.Now(), days))
		return d > -time.Minute && d < time.Minute
	}
	t.Setenv("QRWARD_HUB_VIOLATION_DAYS", "")
	if got := cutoff(); !near(got, data.DefaultRetentionViolations) {
		t.Errorf("default violation cutoff %v", got)
	}
	if got := cutoff("--violation-days", "730"); !near(got, 730) {
		t.Errorf("--violation-days 730: cutoff %v", got)
	}
	t.Setenv("QRWARD_HUB_VIOLATION_DAYS", "400")
	if got := cutoff(); !near(got, 400) {
		t.Errorf("$QRWARD_HUB_VIOLATION_DAYS=400: cutoff %v", got)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"purge", "--db", dsn, "--district", "492", "--violation-days", "0"}, &out, &errb); code != 1 || errb.Len() == 0 {
		t.Fatalf("a violation period of 0 days: exit %d, %q", code, errb.String())
	}
}

func TestWardFileDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/var/cache/test")
	for in, want := range map[string]string{
		"off":          "",
		"":             "/var/cache/test/qrward-hub/492/wardfiles",
		"/srv/qrfiles": "/srv/qrfiles",
	} {
		if got := wardFileDir(in, "492"); got != want {
			t.Errorf("wardFileDir(%q) = %q, want %q", in, got, want)
		}
	}
}
