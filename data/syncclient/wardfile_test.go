package syncclient

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/sqlite"
)

// wardFileHub is a hub with ward files on, holding what device a made in
// both wards (fillWard).
func wardFileHub(t *testing.T) (*testHub, *hub.WardFiles, *sqlite.Store, *Client) {
	t.Helper()
	h := newHub(t)
	cache := withWardFiles(t, h)
	a, ca := h.enrolled(t, "a", hub.RoleWard, wardsAB...)
	fillWard(t, a, ca)
	return h, cache, a, ca
}

// withWardFiles turns ward files on for h, cached in a fresh directory.
func withWardFiles(t *testing.T, h *testHub) *hub.WardFiles {
	t.Helper()
	h.WardFiles = &hub.WardFiles{Dir: t.TempDir()}
	return h.WardFiles
}

// fillWard gives the wards a bit of everything a snapshot carries: venues,
// people, check-ins with and without a person, a withdrawn check-in (a
// tombstone) and a deleted venue.
func fillWard(t *testing.T, s *sqlite.Store, c *Client) {
	t.Helper()
	ctx := context.Background()
	at := time.Now().Add(-48 * time.Hour).Truncate(time.Hour)
	var venues []data.ID
	for i, w := range []string{"20236", "20236", "20239"} {
		v := venue(fmt.Sprintf("Quán số %d", i), w)
		if err := s.CreateVenue(ctx, v); err != nil {
			t.Fatal(err)
		}
		venues = append(venues, v.ID)
	}
	people := []data.ID{newPerson(t, s, "Lê Văn Cường", "0905111222"), newPerson(t, s, "Phạm Thị Dung", "0914333444")}
	var checkins []data.ID
	for i := range 40 {
		person := data.NilID
		if i%4 != 0 {
			person = people[i%2]
		}
		checkins = append(checkins, checkinAt(t, s, venues[i%3], person, at.Add(time.Duration(i)*17*time.Minute)))
	}
	if err := s.UndoCheckin(ctx, checkins[3], "test", "quét nhầm"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVenue(ctx, venues[1]); err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
}

// rollups dumps the rollup tables and the check-in tombstones of a replica
// file, sorted, for comparing.
func rollups(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]string{}
	for _, tbl := range []string{"rollup_day", "rollup_registration", "rollup_venue_day", "rollup_violation",
		"rollup_ward_day", "rollup_ward_venue", "checkin_tombstone"} {
		rows, err := db.Query(`SELECT * FROM ` + tbl)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[tbl] = append(out[tbl], fmt.Sprint(vals...))
		}
		rows.Close()
		slices.Sort(out[tbl])
	}
	return out
}

func TestNewDeviceTakesTheWardFile(t *testing.T) {
	ctx := context.Background()
	h, cache, a, ca := wardFileHub(t)

	// B has an office set up (users, its data key) before its first sync:
	// all of that is its own and must survive taking the file.
	b := newStore(t, "b")
	setUpOffice(t, b)
	if _, err := b.Unlock(ctx, "lan", credPass); err != nil {
		t.Fatal(err)
	}
	device := b.DeviceID()
	code, err := h.IssueCode(ctx, hub.RoleWard, wardsAB, "b", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Enrol(ctx, b, h.srv.URL, code, "", "b"); err != nil {
		t.Fatal(err)
	}
	cb, err := New(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, cb)
	if !reflect.DeepEqual(rep.WardFiles, []string{"20236"}) || !reflect.DeepEqual(rep.Snapshots, wardsAB) {
		// The first ward comes as a file; the second finds the replica no
		// longer empty and loads the snapshot stream.
		t.Fatalf("ward files %v, snapshots %v", rep.WardFiles, rep.Snapshots)
	}
	sameContent(t, h, a, b)
	if b.DeviceID() != device {
		t.Fatal("device id changed")
	}
	if users, err := b.Users(ctx); err != nil || len(users) != 1 || users[0].Username != "lan" {
		t.Fatalf("users after the ward file: %v, %v", users, err)
	}
	var mode string
	if db, err := sql.Open("sqlite3", "file:"+b.Path()); err == nil {
		db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
		db.Close()
	}
	if mode != "wal" {
		t.Fatalf("journal mode after the ward file: %q", mode)
	}
	if _, err := os.Stat(b.Path() + ".wardfile"); !os.IsNotExist(err) {
		t.Fatalf("downloaded ward file left behind: %v", err)
	}

	// The rollups and tombstones that came with the file are what a recount
	// of the replica's rows gives.
	got := rollups(t, b.Path())
	if len(got["rollup_ward_day"]) == 0 || len(got["rollup_venue_day"]) == 0 {
		t.Fatalf("no rollups came with the file: %v", got)
	}
	if _, err := b.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	if want := rollups(t, b.Path()); !reflect.DeepEqual(got, want) {
		t.Fatalf("rollups from the ward file differ from a recount:\n got %v\nwant %v", got, want)
	}

	// B goes on like any device: its credential still works, its edits go
	// up, A's come down.
	if err := b.CreateVenue(ctx, venue("Quán của B", "20236")); err != nil {
		t.Fatal(err)
	}
	checkinAt(t, a, mustVenue(t, a, "Quán số 0"), data.NilID, time.Now().Add(-time.Hour))
	mustSync(t, ca)
	mustSync(t, cb)
	mustSync(t, ca)
	sameContent(t, h, a, b)

	// C comes later: the cached file is behind by A's latest rows, which C
	// pulls after taking it.
	c, cc := h.enrolled(t, "c", hub.RoleWard, "20236")
	builds := cachedFiles(t, cache)
	rep = mustSync(t, cc)
	if !reflect.DeepEqual(rep.WardFiles, []string{"20236"}) || rep.Pulled["20236"] == 0 {
		t.Fatalf("C: %+v", rep)
	}
	if after := cachedFiles(t, cache); !reflect.DeepEqual(after, builds) {
		t.Fatalf("the file was rebuilt for C although fresh enough: %v → %v", builds, after)
	}
	want, _ := h.RowHashes(ctx, []string{"20236"})
	gotC, _ := c.SyncRowHashes(ctx)
	if d := diff(want, gotC); d != "" {
		t.Fatalf("C differs from the hub: %s", d)
	}
}

func mustVenue(t *testing.T, s *sqlite.Store, name string) data.ID {
	t.Helper()
	var id data.ID
	s.Venues(context.Background(), func(v data.Venue) error {
		if v.Name == name {
			id = v.ID
		}
		return nil
	})
	if id == data.NilID {
		t.Fatalf("no venue %q", name)
	}
	return id
}

// cachedFiles lists the compressed files in the cache.
func cachedFiles(t *testing.T, c *hub.WardFiles) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(c.Dir, "*.zst"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWardFileFallsBackToTheStream(t *testing.T) {
	ctx := context.Background()
	h, cache, _, _ := wardFileHub(t)

	t.Run("replica with local edits", func(t *testing.T) {
		s, c := h.enrolled(t, "edits", hub.RoleWard, "20236")
		if err := s.CreateVenue(ctx, venue("Quán chưa gửi", "20236")); err != nil {
			t.Fatal(err)
		}
		got, err := c.Pull(ctx, "20236")
		if err != nil || got.WardFile || !got.Snapshot {
			t.Fatalf("%+v, %v", got, err)
		}
	})

	t.Run("damaged file", func(t *testing.T) {
		s, c := h.enrolled(t, "damaged", hub.RoleWard, "20236")
		// Build the file, then flip a byte in it on the hub's disk.
		_, cf := h.enrolled(t, "first", hub.RoleWard, "20236")
		if got, err := cf.Pull(ctx, "20236"); err != nil || !got.WardFile {
			t.Fatalf("first: %+v, %v", got, err)
		}
		files := cachedFiles(t, cache)
		if len(files) != 1 {
			t.Fatalf("cache holds %v", files)
		}
		b, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0x40
		if err := os.WriteFile(files[0], b, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := c.Pull(ctx, "20236")
		if err != nil || got.WardFile || !got.Snapshot {
			t.Fatalf("%+v, %v", got, err)
		}
		want, _ := h.RowHashes(ctx, []string{"20236"})
		gotRows, _ := s.SyncRowHashes(ctx)
		if d := diff(want, gotRows); d != "" {
			t.Fatalf("replica differs from the hub: %s", d)
		}
	})

	t.Run("file of an older schema is rebuilt", func(t *testing.T) {
		// A file cached by an older release of the hub.
		cache.Invalidate()
		_, cf := h.enrolled(t, "builder", hub.RoleWard, "20236")
		if got, err := cf.Pull(ctx, "20236"); err != nil || !got.WardFile {
			t.Fatalf("builder: %+v, %v", got, err)
		}
		metas, _ := filepath.Glob(filepath.Join(cache.Dir, "ward-*-20236.json"))
		if len(metas) != 1 {
			t.Fatalf("metadata files %v", metas)
		}
		b, _ := os.ReadFile(metas[0])
		b = []byte(strings.Replace(string(b), fmt.Sprintf(`"schema":%d`, sqlite.LatestSchemaVersion()), `"schema":1`, 1))
		os.WriteFile(metas[0], b, 0o600)
		// The hub rebuilds a file of a schema it does not write: fresh
		// again, so the device takes it.
		_, c := h.enrolled(t, "schema", hub.RoleWard, "20236")
		got, err := c.Pull(ctx, "20236")
		if err != nil || !got.WardFile {
			t.Fatalf("%+v, %v", got, err)
		}
	})
}

func TestWardFileIsScoped(t *testing.T) {
	ctx := context.Background()
	h, _, _, _ := wardFileHub(t)
	_, other := h.enrolled(t, "other", hub.RoleWard, "20239")
	_, ok, err := other.loadWardFile(ctx, "20236")
	if ok || data.ErrorCode(err) != data.EUnauthorized {
		t.Fatalf("another ward's file: ok %v, %v", ok, err)
	}
}

func TestWardFileRebuilds(t *testing.T) {
	ctx := context.Background()
	h, cache, a, ca := wardFileHub(t)
	cfg, _ := a.SyncConfig(ctx)
	dev, err := h.Authenticate(ctx, cfg.Token)
	if err != nil {
		t.Fatal(err)
	}
	build := func() hub.WardFileMeta {
		t.Helper()
		m, f, err := h.WardFile(ctx, dev, "20236")
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		return m
	}
	first := build()
	if again := build(); !again.BuiltAt.Equal(first.BuiltAt) {
		t.Fatal("a fresh file was rebuilt")
	}
	// Past its age.
	cache.MaxAge = time.Nanosecond
	second := build()
	if second.BuiltAt.Equal(first.BuiltAt) {
		t.Fatal("an old file was served")
	}
	cache.MaxAge = 0
	// Behind the tombstone horizon: a device taking it could not pull on.
	// A check-in withdrawn after the build, its tombstone purged:
	id := checkinAt(t, a, mustVenue(t, a, "Quán số 0"), data.NilID, time.Now().Add(-time.Hour))
	if err := a.UndoCheckin(ctx, id, "test", "quét nhầm"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, ca)
	if again := build(); !again.BuiltAt.Equal(second.BuiltAt) {
		t.Fatal("a file two rows behind was rebuilt")
	}
	if _, err := h.PurgeTombstones(ctx, "20236", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if third := build(); third.BuiltAt.Equal(second.BuiltAt) {
		t.Fatal("a file behind the tombstone horizon was served")
	}
	// Invalidated (a retention purge).
	cache.Invalidate()
	if len(cachedFiles(t, cache)) != 0 {
		t.Fatal("files left after Invalidate")
	}
	if m := build(); m.Rows == 0 || len(cachedFiles(t, cache)) != 1 {
		t.Fatalf("rebuild after Invalidate: %+v", m)
	}
}

// kill -9 a new device while it takes the ward file (download, copy of its
// local tables, backup): after each death the replica opens, passes an
// integrity check, still holds its credential, and holds either none of
// the ward or all of it; then one sync makes it equal to the hub.
func TestKill9ClientDuringWardFile(t *testing.T) {
	if testing.Short() {
		t.Skip("rounds of kill -9")
	}
	ctx := context.Background()
	h := newHub(t)
	withWardFiles(t, h)
	r := rand.New(rand.NewPCG(5, 5))
	a, ca := h.enrolled(t, "a", hub.RoleWard, "20236")
	va := venue("Chợ Cồn", "20236")
	if err := a.CreateVenue(ctx, va); err != nil {
		t.Fatal(err)
	}
	addCheckins(t, a, va.ID, 20000, r)
	mustSync(t, ca)
	want, _ := h.RowHashes(ctx, []string{"20236"})

	// The hub's file is built beforehand (a build outlives the request
	// anyway): the rounds die in the device's part.
	_, first := h.enrolled(t, "first", hub.RoleWard, "20236")
	if got, err := first.Pull(ctx, "20236"); err != nil || !got.WardFile {
		t.Fatalf("first device: %+v, %v", got, err)
	}
	// One enrolled, empty replica; every round starts from a copy of it.
	pristine, _ := h.enrolled(t, "b", hub.RoleWard, "20236")
	template := pristine.Path()
	pristine.Close()
	path := filepath.Join(t.TempDir(), "b.db")
	outcomes := map[string]int{}
	for round := 0; round < 20; round++ {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		copyFile(t, template, path)
		cmd := helper(t, "client", "QRWARD_DB="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.IntN(150)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("round %d: replica does not open after kill -9: %v", round, err)
		}
		var check string
		if db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro"); err == nil {
			db.QueryRow(`PRAGMA integrity_check`).Scan(&check)
			db.Close()
		}
		if check != "ok" {
			t.Fatalf("round %d: integrity check: %q", round, check)
		}
		if cfg, err := s.SyncConfig(ctx); err != nil || cfg.Token == "" {
			t.Fatalf("round %d: credential lost: %v", round, err)
		}
		counts, _ := s.Counts(ctx)
		switch counts.Checkins {
		case 0:
			outcomes["none"]++
		case 20000:
			outcomes["whole"]++
		default:
			t.Fatalf("round %d: %d of 20000 check-ins after kill -9", round, counts.Checkins)
		}
		s.Close()
	}
	t.Logf("after kill -9: %v", outcomes)
	b := syncOpened(t, path)
	got, _ := b.SyncRowHashes(ctx)
	if d := diff(want, got); d != "" {
		t.Fatalf("replica differs from the hub: %s", d)
	}
	if _, err := os.Stat(path + ".wardfile"); !os.IsNotExist(err) {
		t.Fatalf("downloaded ward file left behind: %v", err)
	}
}

// A retention purge drops the cached files: they may hold purged rows.
func TestPurgeDropsWardFiles(t *testing.T) {
	ctx := context.Background()
	h, cache, _, _ := wardFileHub(t)
	_, c := h.enrolled(t, "c", hub.RoleWard, "20236")
	if got, err := c.Pull(ctx, "20236"); err != nil || !got.WardFile {
		t.Fatalf("%+v, %v", got, err)
	}
	if len(cachedFiles(t, cache)) != 1 {
		t.Fatal("no file cached")
	}
	h.Retention = hub.Retention{CheckinDays: data.DefaultRetentionCheckins}
	if _, err := h.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if files := cachedFiles(t, cache); len(files) != 0 {
		t.Fatalf("files left after a purge: %v", files)
	}
}
