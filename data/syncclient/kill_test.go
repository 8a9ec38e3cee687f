package syncclient

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/hub/hubtest"
	"qrward/data/sqlite"
)

// The kill -9 tests run the client, or the hub, as a child process (this
// test binary again, in helper mode) and SIGKILL it at random moments of
// push, pull and apply, 50 rounds; then one clean sync must leave the hub
// and the replica identical, with nothing lost and nothing twice.

const helperEnv = "QRWARD_SYNC_HELPER"

// TestHelperProcess is not a test: it is the child of the kill tests.
func TestHelperProcess(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "client":
		ctx := context.Background()
		s, err := sqlite.Open(os.Getenv("QRWARD_DB"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		c, err := New(ctx, s)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		c.PushRows, c.PageRows = 150, 200 // many small transactions: many places to die
		for {
			if _, err := c.Sync(ctx); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(4)
			}
		}
	case "hub":
		ctx := context.Background()
		h, err := hub.Open(ctx, os.Getenv("QRWARD_HUB_DB"), district)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		l, err := net.Listen("tcp", os.Getenv("QRWARD_HUB_ADDR"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Println("ready")
		http.Serve(l, h.Handler())
	default:
		t.Skip("helper process for the kill -9 tests")
	}
}

func helper(t *testing.T, mode string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), append([]string{helperEnv + "=" + mode}, env...)...)
	return cmd
}

func addCheckins(t *testing.T, s *sqlite.Store, venue data.ID, n int, r *rand.Rand) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := s.AddCheckin(context.Background(), &data.Checkin{VenueID: venue,
			TimeIn: time.Unix(1631664000+int64(r.IntN(86400)), 0), Source: data.SourceStaffScan}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestKill9ClientDuringSync(t *testing.T) {
	if testing.Short() {
		t.Skip("50 rounds of kill -9")
	}
	h := newHub(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 9))
	// Device a fills the hub: b will pull it in many pages.
	a, ca := h.enrolled(t, "a", hub.RoleWard, "20236")
	va := venue("Chợ Hàn", "20236")
	if err := a.CreateVenue(ctx, va); err != nil {
		t.Fatal(err)
	}
	addCheckins(t, a, va.ID, 3000, r)
	mustSync(t, ca)
	// Device b, the one killed, has its own outbox to push.
	b, _ := h.enrolled(t, "b", hub.RoleWard, "20236")
	vb := venue("Quán Bờ Kè", "20236")
	if err := b.CreateVenue(ctx, vb); err != nil {
		t.Fatal(err)
	}
	addCheckins(t, b, vb.ID, 2000, r)
	path := b.Path()
	b.Close()
	made := 2000
	for round := 0; round < 50; round++ {
		cmd := helper(t, "client", "QRWARD_DB="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+r.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		// Between deaths the user keeps working.
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("round %d: replica does not open after kill -9: %v", round, err)
		}
		addCheckins(t, s, vb.ID, 5, r)
		made += 5
		s.Close()
	}
	b = syncOpened(t, path)
	mustSync(t, ca)
	sameContentWards(t, h, []string{"20236"}, a, b)
	hashes, _ := h.RowHashes(ctx, []string{"20236"})
	if got := len(hashes["checkin"]); got != 3000+made {
		t.Fatalf("hub check-ins = %d, want %d", got, 3000+made)
	}
	if n, _ := b.PendingCount(ctx); n != 0 {
		t.Fatalf("outbox left: %d", n)
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startHubProcess(t *testing.T, dsn, addr string) *exec.Cmd {
	t.Helper()
	cmd := helper(t, "hub", "QRWARD_HUB_DB="+dsn, "QRWARD_HUB_ADDR="+addr)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if !strings.HasPrefix(line, "ready") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("hub child did not start: %q", line)
	}
	return cmd
}

func TestKill9HubDuringSync(t *testing.T) {
	if testing.Short() {
		t.Skip("50 rounds of kill -9")
	}
	ctx := context.Background()
	dsn := hubtest.DB(t)
	h, err := hub.Open(ctx, dsn, district)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	addr := freeAddr(t)
	child := startHubProcess(t, dsn, addr)
	url := "http://" + addr
	enrol := func(name string) (*sqlite.Store, *Client) {
		s := newStore(t, name)
		code, err := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Enrol(ctx, s, url, code, "", name); err != nil {
			t.Fatal(err)
		}
		c, err := New(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		c.PushRows, c.PageRows = 150, 200
		return s, c
	}
	a, ca := enrol("a")
	b, cb := enrol("b")
	r := rand.New(rand.NewPCG(7, 7))
	va, vb := venue("Chợ Hàn", "20236"), venue("Quán Bờ Kè", "20236")
	a.CreateVenue(ctx, va)
	b.CreateVenue(ctx, vb)
	made := 0
	for round := 0; round < 50; round++ {
		addCheckins(t, a, va.ID, 40, r)
		addCheckins(t, b, vb.ID, 40, r)
		made += 80
		done := make(chan struct{})
		go func() {
			ca.Sync(ctx) // errors expected: the hub dies under it
			cb.Sync(ctx)
			close(done)
		}()
		time.Sleep(time.Duration(r.IntN(120)) * time.Millisecond)
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		<-done
		child = startHubProcess(t, dsn, addr)
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	for _, c := range []*Client{ca, cb, ca} {
		if _, err := c.Sync(ctx); err != nil {
			t.Fatalf("final sync: %v", err)
		}
	}
	sameContentWards(t, &testHub{Hub: h}, []string{"20236"}, a, b)
	hashes, _ := h.RowHashes(ctx, []string{"20236"})
	if got := len(hashes["checkin"]); got != made {
		t.Fatalf("hub check-ins = %d, want %d", got, made)
	}
	var acked int64
	h.Pool().QueryRow(ctx, `SELECT max(acked_seq) FROM device`).Scan(&acked)
	for _, s := range []*sqlite.Store{a, b} {
		if n, _ := s.PendingCount(ctx); n != 0 {
			t.Fatalf("outbox left: %d", n)
		}
	}
	if strconv.FormatInt(acked, 10) == "0" {
		t.Fatal("no acknowledgement recorded")
	}
}

// syncOpened opens the replica at path (closed at the end of the test)
// and syncs it once.
func syncOpened(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := New(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	return s
}
