package hubtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	once    sync.Once
	cluster *Cluster
	initErr error
	dbSeq   atomic.Int64
)

// Cluster is a running throwaway PostgreSQL.
type Cluster struct {
	Dir  string
	Port int
	cmd  *exec.Cmd
}

// BinDir finds the PostgreSQL server binaries ("" when not installed).
func BinDir() string {
	if d := os.Getenv("QRWARD_PG_BIN"); d != "" {
		return d
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

// asServer runs a PostgreSQL binary, as the postgres user when we are
// root (set directly on the child, so signals reach postgres itself).
func asServer(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if os.Geteuid() == 0 {
		if u, err := user.Lookup("postgres"); err == nil {
			uid, _ := strconv.Atoi(u.Uid)
			gid, _ := strconv.Atoi(u.Gid)
			cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
			cmd.Env = append(os.Environ(), "HOME="+u.HomeDir)
			cmd.Dir = "/"
		}
	}
	return cmd
}

// Start initialises and starts a cluster.
func Start() (*Cluster, error) {
	bin := BinDir()
	if bin == "" {
		return nil, fmt.Errorf("PostgreSQL server binaries not found (install the Debian package postgresql)")
	}
	dir, err := os.MkdirTemp("", "qrward-pg-")
	if err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs the postgres system user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asServer(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "qrward", "-E", "UTF8",
		"--no-sync", "--locale=C").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	c := &Cluster{Dir: dir, Port: port}
	// Durability settings off: a test cluster is thrown away, and fsync on
	// a shared 2-core machine would dominate every test.
	c.cmd = asServer(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=128MB", "-c", "log_min_duration_statement=300")
	// Pdeathsig: a test binary killed by its -timeout still takes the
	// server down (SIGINT: fast shutdown).
	c.cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
	logf, _ := os.Create(filepath.Join(dir, "server.log"))
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	if err := c.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(context.Background(), c.DSN("postgres"))
		if err == nil {
			conn.Close(context.Background())
			return c, nil
		}
		if time.Now().After(deadline) {
			c.Stop()
			return nil, fmt.Errorf("postgres did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// DSN is the connection string of a database of the cluster.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://qrward@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

// Stop shuts the server down (fast shutdown: SIGINT to the process group
// we started) and removes its directory.
func (c *Cluster) Stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		syscall.Kill(-c.cmd.Process.Pid, syscall.SIGINT)
		done := make(chan struct{})
		go func() { c.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	if os.Getenv("QRWARD_PG_KEEPLOG") != "" {
		exec.Command("cp", filepath.Join(c.Dir, "server.log"), os.Getenv("QRWARD_PG_KEEPLOG")).Run()
	}
	os.RemoveAll(c.Dir)
}

// Main runs a package's tests and stops the shared cluster afterwards. Use
// it from TestMain: func TestMain(m *testing.M) { hubtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if cluster != nil {
		cluster.Stop()
	}
	os.Exit(code)
}

// DB creates a fresh database in the shared cluster (started on first use)
// and returns its connection string; the test is skipped with a clear
// message only when PostgreSQL is not installed.
func DB(t testing.TB) string {
	t.Helper()
	if BinDir() == "" {
		t.Skip("PostgreSQL server binaries not found: install the Debian package postgresql (scripts/install-deps.sh)")
	}
	once.Do(func() { cluster, initErr = Start() })
	if initErr != nil {
		t.Fatal(initErr)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	conn, err := pgx.Connect(context.Background(), cluster.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return cluster.DSN(name)
}
