package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"qrward/data"
	"qrward/data/protect"
)

// Store is an open replica. It is safe for concurrent use: writes go
// through one connection (SQLite has one writer anyway, and IMMEDIATE
// transactions avoid upgrade deadlocks), reads through a read-only pool
// that WAL lets run beside the writer.
type Store struct {
	path     string
	rw       *sql.DB
	ro       *sql.DB
	deviceID data.ID
	units    *UnitSet

	mu      sync.RWMutex
	key     *protect.DataKey // nil while locked
	session *Session         // nil in set-up mode or while locked

	roStmts stmtCache // hot read queries, prepared once

	// Now is the store's clock; tests replace it.
	Now func() time.Time
}

// Options tune Open.
type Options struct {
	// MigrateTo stops migrations at this version (tests of upgrades); 0 = all.
	MigrateTo int
	// SkipBundledUnits leaves the unit tables empty (tests of imports).
	SkipBundledUnits bool
}

// driverName is go-sqlite3 with every connection keeping temporary tables
// and sort files in memory: they can hold personal data in clear (a sort
// of decrypted values never happens in SQL, but a temp index of blind
// tags or ids should not leak either).
const driverName = "qrward_sqlite3"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(`PRAGMA temp_store = MEMORY`, nil)
		return err
	}})
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	// Deleted rows are overwritten, and temporary tables and sorts stay in
	// memory, so purged personal data leaves no readable remnants on disk.
	q.Set("_secure_delete", "on")
	if readOnly {
		q.Set("mode", "ro")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the replica at path, applies pending
// migrations and loads the bundled administrative units into a new file.
func Open(path string) (*Store, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, opt Options) (*Store, error) {
	ctx := context.Background()
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, &data.Error{Code: data.EInternal, Key: "err.db_open", Args: []any{path}, Err: err}
		}
	}
	rw, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		return nil, err
	}
	rw.SetMaxOpenConns(1)
	rw.SetConnMaxIdleTime(0)
	if err := rw.PingContext(ctx); err != nil {
		rw.Close()
		return nil, &data.Error{Code: data.EInternal, Key: "err.db_open", Args: []any{path}, Err: err}
	}
	if err := migrateTo(ctx, rw, opt.MigrateTo); err != nil {
		rw.Close()
		var de *data.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, &data.Error{Code: data.ECorrupt, Key: "err.db_migrate", Args: []any{path}, Err: err}
	}
	ro, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		rw.Close()
		return nil, err
	}
	ro.SetMaxOpenConns(4)
	// Idle read connections stay open: a new one reads the schema again
	// and starts with an empty page cache, and a trace reads on two.
	ro.SetMaxIdleConns(4)
	s := &Store{path: path, rw: rw, ro: ro, Now: time.Now}
	if opt.MigrateTo > 0 && opt.MigrateTo < LatestSchemaVersion() {
		return s, nil // partial schema: a test will add rows, then reopen
	}
	if err := s.initDevice(ctx); err != nil {
		s.Close()
		return nil, err
	}

	if !opt.SkipBundledUnits {
		if err := s.ensureBundledUnits(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.ReloadUnits(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.initKey(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.roStmts.close(), s.ro.Close(), s.rw.Close())
}

// Path is the replica's file.
func (s *Store) Path() string { return s.path }

// DeviceID identifies this replica's device in every row it creates.
func (s *Store) DeviceID() data.ID { return s.deviceID }

func (s *Store) initDevice(ctx context.Context) error {
	v, err := s.Setting(ctx, "device_id")
	if err != nil {
		return err
	}
	if v != "" {
		s.deviceID, err = data.ParseID(v)
		return err
	}
	s.deviceID = data.NewID()
	return s.SetSetting(ctx, "device_id", s.deviceID.String())
}

// Setting reads a replica setting ("" when unset).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.rw.QueryRowContext(ctx, `SELECT value FROM setting WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting writes a replica setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.rw.ExecContext(ctx, `INSERT INTO setting(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// withTx runs fn in an IMMEDIATE transaction on the writer and commits, or
// rolls back on error or panic: nothing is ever saved half-way.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Checkpoint folds the WAL into the main file (after bulk loads).
func (s *Store) Checkpoint(ctx context.Context) error {
	_, err := s.rw.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

func unixOrNil(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.Unix()
}

func dateOrNil(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.Format(dateLayout)
}

const dateLayout = "2006-01-02"

func timePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.Unix(v.Int64, 0)
	return &t
}

func datePtr(v sql.NullString) *time.Time {
	if !v.Valid || v.String == "" {
		return nil
	}
	t, err := time.ParseInLocation(dateLayout, v.String, time.Local)
	if err != nil {
		return nil
	}
	return &t
}

func wrapDB(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *data.Error
	if errors.As(err, &de) {
		return err
	}
	return &data.Error{Code: data.EInternal, Key: "err.db", Args: []any{what}, Err: fmt.Errorf("%s: %w", what, err)}
}

// DefaultPath is where the replica lives when none is named:
// $QRWARD_DB, else qrward/qrward.db in the user's config directory.
func DefaultPath() string {
	if p := os.Getenv("QRWARD_DB"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "qrward", "qrward.db")
}

// scanAll reads every row with scan and closes rows.
func scanAll[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
