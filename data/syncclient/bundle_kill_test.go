package syncclient

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/hub/hubtest"
	"qrward/data/sqlite"
)

// The bundle kill -9 tests import a chain of USB bundles in a child
// process (this test binary again, in helper mode) and SIGKILL it at
// random moments, 30–40 rounds; then one clean import must leave exactly
// what a run without kills leaves, and importing everything again must
// report nothing new. Both directions: a device importing the hub's down
// bundles, and the hub importing a device's up bundles.

const bundleHelperEnv = "QRWARD_BUNDLE_HELPER"

// TestBundleHelperProcess is not a test: it is the child of the bundle
// kill tests. It prints "ready" once its store is open, imports the
// bundles of $QRWARD_BUNDLES in order and exits 0.
func TestBundleHelperProcess(t *testing.T) {
	mode := os.Getenv(bundleHelperEnv)
	if mode == "" {
		t.Skip("helper process for the bundle kill -9 tests")
	}
	ctx := context.Background()
	files := strings.Split(os.Getenv("QRWARD_BUNDLES"), string(os.PathListSeparator))
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
	switch mode {
	case "device":
		s, err := sqlite.Open(os.Getenv("QRWARD_DB"))
		if err != nil {
			fail(err)
		}
		fmt.Println("ready")
		for _, f := range files {
			if _, err := ImportBundle(ctx, s, f); err != nil {
				fail(err)
			}
		}
	case "hub":
		h, err := hub.Open(ctx, os.Getenv("QRWARD_HUB_DB"), district)
		if err != nil {
			fail(err)
		}
		fmt.Println("ready")
		for _, f := range files {
			if _, err := h.ImportBundle(ctx, f); err != nil {
				fail(err)
			}
		}
	}
	os.Exit(0)
}

// killLoop runs the child rounds times and kills it at a random moment:
// one round in five while it starts up (opening the store, recovering
// the WAL), the others up to maxWork after it is ready. It returns how
// many rounds were killed before the child finished on its own.
func killLoop(t *testing.T, r *rand.Rand, rounds int, maxWork time.Duration, env ...string) int {
	t.Helper()
	killed := 0
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBundleHelperProcess$")
		cmd.Env = append(os.Environ(), env...)
		out, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		go func() {
			line, _ := bufio.NewReader(out).ReadString('\n')
			if strings.HasPrefix(line, "ready") {
				close(ready)
			}
			io.Copy(io.Discard, out)
		}()
		if r.IntN(5) == 0 {
			time.Sleep(time.Duration(r.IntN(80)) * time.Millisecond)
		} else {
			select {
			case <-ready:
			case <-time.After(10 * time.Second):
				t.Fatalf("round %d: the child did not start: %s", round, stderr.String())
			}
			time.Sleep(time.Duration(r.Int64N(int64(maxWork) + 1)))
		}
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed++
		} else if err != nil {
			t.Fatalf("round %d: the child failed on its own: %v: %s", round, err, stderr.String())
		}
	}
	return killed
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func cursors(t *testing.T, s *sqlite.Store, wards []string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, w := range wards {
		c, err := s.StreamCursor(context.Background(), sqlite.DownStream(w))
		if err != nil {
			t.Fatal(err)
		}
		out[w] = c
	}
	return out
}

// A device importing a chain of down bundles (a snapshot, then pages of
// two wards, each carrying the acknowledgement of its own outbox) is
// killed 40 times; a clean import then leaves the same rows, cursors and
// outbox as a replica that imported the chain undisturbed.
func TestKill9DeviceDuringBundleImport(t *testing.T) {
	if testing.Short() {
		t.Skip("40 rounds of kill -9")
	}
	h := newHub(t)
	ctx := context.Background()
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(11, 11))
	a, ca := h.enrolled(t, "a", hub.RoleWard, wardsAB...)
	b, _ := h.enrolled(t, "b", hub.RoleWard, wardsAB...)

	// b's own work goes up on a stick: the down bundles acknowledge it.
	vb := venue("Quán Gói Lên", wardsAB[0])
	if err := b.CreateVenue(ctx, vb); err != nil {
		t.Fatal(err)
	}
	addCheckins(t, b, vb.ID, 100, r)
	up := filepath.Join(dir, "b-up.qrb")
	if _, err := ExportBundle(ctx, b, up); err != nil {
		t.Fatal(err)
	}
	if _, err := h.ImportBundle(ctx, up); err != nil {
		t.Fatal(err)
	}

	// The chain: after each round of a's work, the hub writes b's next
	// bundle, starting where the previous one ended.
	var files []string
	var venues []data.ID
	for i := 0; i < 25; i++ {
		v := venue(fmt.Sprintf("Quán %d", i), wardsAB[i%2])
		if err := a.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		venues = append(venues, v.ID)
		for j := 0; j < 3; j++ {
			addCheckins(t, a, venues[r.IntN(len(venues))], 100, r)
		}
		if i%4 == 3 {
			ev, _ := a.Venue(ctx, venues[r.IntN(len(venues))])
			if ev.OwnerName == "" {
				ev.OwnerID, ev.OwnerName, ev.OwnerPhone = data.NilID, "Trần Thị Bình", "0905000111"
			}
			ev.Address = fmt.Sprintf("%d Lê Duẩn", i)
			if err := a.UpdateVenue(ctx, &ev); err != nil {
				t.Fatal(err)
			}
		}
		mustSync(t, ca)
		f := filepath.Join(dir, fmt.Sprintf("b-%02d.qrb", i))
		exportDown(t, h, b, f)
		files = append(files, f)
	}
	path := b.Path()
	b.Close()

	// The undisturbed run, on a copy of the same replica.
	refPath := filepath.Join(dir, "reference.db")
	copyFile(t, path, refPath)
	ref, err := sqlite.Open(refPath)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	start := time.Now()
	for _, f := range files {
		if _, err := ImportBundle(ctx, ref, f); err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(start)
	want, _ := ref.SyncRowHashes(ctx)
	wantCursors := cursors(t, ref, wardsAB)

	const rounds = 40
	killed := killLoop(t, r, rounds, max(6*took/rounds, 20*time.Millisecond),
		bundleHelperEnv+"=device", "QRWARD_DB="+path, "QRWARD_BUNDLES="+strings.Join(files, string(os.PathListSeparator)))
	t.Logf("%d of %d rounds killed before the import finished", killed, rounds)
	if killed < rounds/2 {
		t.Errorf("only %d of %d rounds were killed before the import finished", killed, rounds)
	}

	b, err = sqlite.Open(path)
	if err != nil {
		t.Fatalf("replica does not open after the kills: %v", err)
	}
	defer b.Close()
	t.Logf("after the kills: cursors %v of %v", cursors(t, b, wardsAB), wantCursors)
	for _, f := range files {
		if _, err := ImportBundle(ctx, b, f); err != nil {
			t.Fatalf("clean import of %s: %v", filepath.Base(f), err)
		}
	}
	got, _ := b.SyncRowHashes(ctx)
	if d := diff(want, got); d != "" {
		t.Fatalf("after the kills the replica differs from an undisturbed import: %s", d)
	}
	if c := cursors(t, b, wardsAB); fmt.Sprint(c) != fmt.Sprint(wantCursors) {
		t.Fatalf("cursors %v, want %v", c, wantCursors)
	}
	if n, _ := b.PendingCount(ctx); n != 0 {
		t.Fatalf("outbox after the acknowledgements: %d", n)
	}
	sameContentWards(t, h, wardsAB, b)
	hashes, _ := h.RowHashes(ctx, wardsAB)
	if got := len(got["checkin"]); got != len(hashes["checkin"]) || got != 100+25*300 {
		t.Fatalf("check-ins: replica %d, hub %d, made %d", got, len(hashes["checkin"]), 100+25*300)
	}
	for _, f := range files {
		rep, err := ImportBundle(ctx, b, f)
		if err != nil || !rep.Already || rep.AckedSeq == 0 {
			t.Fatalf("re-import of %s: %+v %v", filepath.Base(f), rep, err)
		}
		for w, n := range rep.Applied {
			if n != 0 {
				t.Fatalf("re-import of %s applied %d rows of %s", filepath.Base(f), n, w)
			}
		}
	}
}

// The hub importing a device's up bundles (each the whole outbox since
// the last acknowledgement, so they overlap) is killed 30 times; a clean
// import then holds every row once, with every edit, and importing the
// bundles again changes nothing.
func TestKill9HubDuringBundleImport(t *testing.T) {
	if testing.Short() {
		t.Skip("30 rounds of kill -9")
	}
	ctx := context.Background()
	dsn := hubtest.DB(t)
	hh, err := hub.Open(ctx, dsn, district)
	if err != nil {
		t.Fatal(err)
	}
	h := &testHub{Hub: hh}
	defer hh.Close()
	r := rand.New(rand.NewPCG(13, 13))
	a := newStore(t, "a")
	code, err := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "a", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// Enrolment over HTTP once; from then on files only.
	srv := startTestServer(t, hh)
	if _, err := Enrol(ctx, a, srv, code, "", "a"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	var venues []data.ID
	names := map[data.ID]string{}
	made := 0
	for i := 0; i < 8; i++ {
		v := venue(fmt.Sprintf("Quán Lên %d", i), "20236")
		if err := a.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		venues, names[v.ID] = append(venues, v.ID), v.Name
		addCheckins(t, a, venues[r.IntN(len(venues))], 250, r)
		made += 250
		// An edit of an earlier venue: a mutable merge in the bundle.
		ev, _ := a.Venue(ctx, venues[r.IntN(len(venues))])
		if ev.OwnerName == "" {
			ev.OwnerID, ev.OwnerName, ev.OwnerPhone = data.NilID, "Trần Thị Bình", "0905000111"
		}
		ev.Name = fmt.Sprintf("Quán Đổi Tên %d", i)
		if err := a.UpdateVenue(ctx, &ev); err != nil {
			t.Fatal(err)
		}
		names[ev.ID] = ev.Name
		f := filepath.Join(dir, fmt.Sprintf("a-up-%02d.qrb", i))
		if _, err := ExportBundle(ctx, a, f); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}

	const rounds = 30
	killed := killLoop(t, r, rounds, 80*time.Millisecond,
		bundleHelperEnv+"=hub", "QRWARD_HUB_DB="+dsn, "QRWARD_BUNDLES="+strings.Join(files, string(os.PathListSeparator)))
	t.Logf("%d of %d rounds killed before the import finished", killed, rounds)
	if killed < rounds/2 {
		t.Errorf("only %d of %d rounds were killed before the import finished", killed, rounds)
	}
	if dev, err := h.Device(ctx, a.DeviceID()); err == nil {
		t.Logf("after the kills: acknowledged up to %d", dev.AckedSeq)
	}
	var last *hub.ImportResult
	for _, f := range files {
		if last, err = h.ImportBundle(ctx, f); err != nil {
			t.Fatalf("clean import of %s: %v", filepath.Base(f), err)
		}
	}
	// Every row once: per table as many as the device has, no id twice.
	want, _ := a.SyncRowHashes(ctx)
	var dupes int
	h.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT tbl, id FROM sync_row GROUP BY tbl, id HAVING COUNT(*) > 1) d`).Scan(&dupes)
	if dupes != 0 {
		t.Fatalf("%d rows stored twice", dupes)
	}
	for tbl, rows := range want {
		var n int
		h.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM sync_row WHERE tbl = $1 AND deleted_at IS NULL`, tbl).Scan(&n)
		if n != len(rows) {
			t.Errorf("%s: hub %d rows, device %d", tbl, n, len(rows))
		}
	}
	if len(want["checkin"]) != made {
		t.Fatalf("device has %d check-ins, made %d", len(want["checkin"]), made)
	}
	// Check-ins are stored as the device sent them.
	got, _ := h.RowHashes(ctx, []string{"20236"})
	for id, hash := range want["checkin"] {
		if got["checkin"][id] != hash {
			t.Fatalf("check-in %s: hub %q device %q", id[:8], got["checkin"][id], hash)
		}
	}
	if dev, _ := h.Device(ctx, a.DeviceID()); dev == nil || dev.AckedSeq != last.Header.ToSeq {
		t.Fatalf("acknowledged %+v, want %d", dev, last.Header.ToSeq)
	}
	for _, f := range files {
		res, err := h.ImportBundle(ctx, f)
		if err != nil || !res.Replayed || res.Push.Applied != 0 {
			t.Fatalf("re-import of %s: %+v %v", filepath.Base(f), res, err)
		}
	}
	// The acknowledgement and the merged rows come back down: the device
	// keeps every edit (the last name of each venue) and equals the hub.
	down := filepath.Join(dir, "a-down.qrb")
	exportDown(t, h, a, down)
	if _, err := ImportBundle(ctx, a, down); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.PendingCount(ctx); n != 0 {
		t.Fatalf("outbox after the acknowledgement: %d", n)
	}
	for id, name := range names {
		if v, err := a.Venue(ctx, id); err != nil || v.Name != name {
			t.Errorf("venue %s: %q %v, want %q", id.Short(), v.Name, err, name)
		}
	}
	sameContentWards(t, h, []string{"20236"}, a)
}

// startTestServer serves h over HTTP for the test's duration.
func startTestServer(t *testing.T, h *hub.Hub) string {
	t.Helper()
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}
