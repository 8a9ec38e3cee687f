package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	sqlite3 "github.com/mattn/go-sqlite3"

	"qrward/data"
	"qrward/data/syncproto"
)

// Ward files: a first bootstrap without a row loop.
//
// Loading a ward's snapshot row by row costs ~5 µs a row in bindings and
// inserts, and building the check-in indexes afterwards as much again; a
// million-row ward took 9.5 s (docs/perf/sync.md). A ward file is a whole
// replica holding one ward's snapshot, built once by the hub with this
// package's own apply code (BuildWardFile) and shared by the ward's
// devices. A new device copies its own local tables (users, keys, sync
// credentials, settings) into the downloaded file and then takes the file
// as its replica, page by page with SQLite's online backup, in one write
// transaction: readers carry on, a crash leaves the old replica, and no
// index is built on the device. It then pulls what changed after the
// file's cursor like any device.
//
// This only works for a replica with no synced rows yet (a new device);
// anything else takes the snapshot stream.

// derivedTables hold what triggers and the applier compute from synced
// rows: the ward file's are right for its rows.
var derivedTables = []string{
	"checkin_tombstone",
	"rollup_day", "rollup_registration", "rollup_venue_day", "rollup_violation", "rollup_ward_day", "rollup_ward_venue",
}

// localTables belong to the device and never travel: they are copied from
// the replica into the ward file before it is taken. A table that is in
// none of the three lists (synced, derived, local) makes LoadWardFile
// refuse, so a new table cannot be lost by forgetting it here
// (TestWardFileTablesAreClassified).
var localTables = []string{
	"admin_unit", "admin_unit_lineage", "api_token", "app_user", "audit_log", "doc_counter", "key_wrap",
	"office_key", "outbox", "schema_migrations", "setting", "station_setting", "sync_base", "sync_config",
	"sync_state", "unit_dataset", "sqlite_sequence",
}

// WardFileInfo describes a built ward file.
type WardFileInfo struct {
	Ward   string `json:"ward"`
	Cursor int64  `json:"cursor"` // the ward stream's position the file holds
	Rows   int64  `json:"rows"`   // synced rows in it
	Schema int    `json:"schema"` // replica schema version: a device loads only its own
}

// BuildWardFile writes at path (which must not exist) a replica holding
// ward's snapshot stream read from r, through the same apply code as a
// device's bootstrap, and leaves it self-contained (no WAL beside it).
func BuildWardFile(ctx context.Context, path, ward string, r io.Reader, format syncproto.Format) (WardFileInfo, error) {
	info := WardFileInfo{Ward: ward, Schema: LatestSchemaVersion()}
	if _, err := os.Stat(path); err == nil {
		return info, fmt.Errorf("ward file %s exists", path)
	}
	s, err := Open(path)
	if err != nil {
		return info, err
	}
	res, err := s.ApplyStream(ctx, r, format, ward, nil)
	if err == nil {
		info.Cursor, err = s.StreamCursor(ctx, DownStream(ward))
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return info, err
	}
	info.Rows = int64(res.Applied)
	// Leaving WAL mode as the only connection checkpoints and removes the
	// WAL: the file travels alone.
	db, err := sql.Open(driverName, "file:"+path)
	if err != nil {
		return info, err
	}
	defer db.Close()
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil || mode != "delete" {
		return info, fmt.Errorf("ward file journal mode %q: %v", mode, err)
	}
	return info, nil
}

// WardFileWanted tells whether this replica would take a ward file: it
// holds no synced row and has nothing waiting to be pushed.
func (s *Store) WardFileWanted(ctx context.Context) (bool, error) {
	return replicaEmpty(ctx, s.rw)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func replicaEmpty(ctx context.Context, q queryRower) (bool, error) {
	for _, t := range append(syncproto.TableNames(), "outbox") {
		var any bool
		err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+quoteIdent(t)+`)`).Scan(&any)
		if err != nil && strings.Contains(err.Error(), "no such table") {
			continue // a replica stopped at an older schema (tests of upgrades)
		}
		if err != nil || any {
			return false, err
		}
	}
	return true, nil
}

// ErrWardFileUnusable means a ward file cannot be taken here (this replica
// is not empty any more, or the file is of another schema): the caller
// loads the snapshot stream instead.
var ErrWardFileUnusable = errors.New("ward file not usable for this replica")

// LoadWardFile makes the ward file at path (from BuildWardFile, checked
// by the caller) this replica, keeping the replica's local tables, and
// sets the ward's cursor to cursor. It writes into the file and returns
// the number of synced rows taken. The store's writer is held throughout,
// so no write of this process is lost between copying the local tables
// and taking the file; a write by another process in that window makes it
// refuse (ErrWardFileUnusable).
func (s *Store) LoadWardFile(ctx context.Context, path, ward string, cursor int64) (int64, error) {
	conn, err := s.rw.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	empty, err := replicaEmpty(ctx, conn)
	if err != nil {
		return 0, err
	}
	if !empty {
		return 0, ErrWardFileUnusable
	}
	version := func() (int64, error) {
		var v int64
		err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
		return v, err
	}
	before, err := version()
	if err != nil {
		return 0, err
	}

	src, err := sql.Open(driverName, "file:"+path+"?"+url.Values{"_foreign_keys": {"off"}, "_secure_delete": {"on"}}.Encode())
	if err != nil {
		return 0, err
	}
	defer src.Close()
	sc, err := src.Conn(ctx)
	if err != nil {
		return 0, &data.Error{Code: data.ECorrupt, Key: "err.sync_wardfile", Err: err}
	}
	defer sc.Close()
	rows, err := s.prepareWardFile(ctx, conn, sc, ward, cursor)
	if err != nil {
		return 0, err
	}
	if after, err := version(); err != nil || after != before {
		if err == nil {
			err = ErrWardFileUnusable // another process wrote meanwhile
		}
		return 0, err
	}
	err = conn.Raw(func(dst any) error {
		return sc.Raw(func(from any) error {
			b, err := dst.(*sqlite3.SQLiteConn).Backup("main", from.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			// One step: the whole copy is one write transaction.
			done, err := b.Step(-1)
			if ferr := b.Finish(); err == nil {
				err = ferr
			}
			if err == nil && !done {
				err = errors.New("backup stopped before the end")
			}
			return err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("take ward file: %w", err)
	}
	return rows, nil
}

// prepareWardFile checks that the file on sc fits this replica, copies the
// replica's local tables into it and sets the ward's cursor there.
func (s *Store) prepareWardFile(ctx context.Context, live *sql.Conn, sc *sql.Conn, ward string, cursor int64) (int64, error) {
	var fileSchema, filePage, livePage int
	if err := sc.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&fileSchema); err != nil {
		return 0, &data.Error{Code: data.ECorrupt, Key: "err.sync_wardfile", Err: err}
	}
	liveSchema, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if err := sc.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&filePage); err != nil {
		return 0, err
	}
	if err := live.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&livePage); err != nil {
		return 0, err
	}
	if fileSchema != liveSchema || filePage != livePage {
		return 0, ErrWardFileUnusable
	}
	names, err := tableNames(ctx, live)
	if err != nil {
		return 0, err
	}
	synced := syncproto.TableNames()
	var local []string
	for _, n := range names {
		switch {
		case slices.Contains(localTables, n):
			local = append(local, n)
		case slices.Contains(synced, n), slices.Contains(derivedTables, n), strings.HasPrefix(n, "sqlite_stat"):
		default:
			return 0, fmt.Errorf("table %s is neither synced, derived nor local: %w", n, ErrWardFileUnusable)
		}
	}
	var rows int64
	for _, t := range synced {
		var n int64
		if err := sc.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t)).Scan(&n); err == nil {
			rows += n
		}
	}
	// The file's connection reads the live replica (attached read-only) and
	// writes the local tables into the file, in one transaction.
	if _, err := sc.ExecContext(ctx, `ATTACH DATABASE ? AS live`, "file:"+s.path+"?mode=ro"); err != nil {
		return 0, err
	}
	defer sc.ExecContext(context.Background(), `DETACH DATABASE live`)
	tx, err := sc.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, t := range local {
		q := quoteIdent(t)
		if _, err := tx.ExecContext(ctx, `DELETE FROM main.`+q); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO main.`+q+` SELECT * FROM live.`+q); err != nil {
			return 0, err
		}
	}
	if err := setCursor(ctx, tx, DownStream(ward), cursor, s.Now().Unix()); err != nil {
		return 0, err
	}
	return rows, tx.Commit()
}

func tableNames(ctx context.Context, c *sql.Conn) ([]string, error) {
	rows, err := c.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var n string
		return n, r.Scan(&n)
	})
}
