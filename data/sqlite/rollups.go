package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"qrward/data"
)

// Rollups (the rollup_* tables) are kept current by the triggers of
// migration 0003 in the same transaction as the rows they count. The SQL
// that re-creates the triggers and recounts the tables lives in that
// migration, between marker comments, so there is one copy of it.

const rollupMigration = "migrations/0003_tracing_rollups.sql"

// migrationSection returns the SQL between "-- <name>:begin" and
// "-- <name>:end" of the rollup migration.
func migrationSection(name string) (string, error) {
	body, err := migrationFS.ReadFile(rollupMigration)
	if err != nil {
		return "", err
	}
	_, rest, ok := strings.Cut(string(body), "-- "+name+":begin")
	if !ok {
		return "", fmt.Errorf("%s: no %s section", rollupMigration, name)
	}
	sec, _, ok := strings.Cut(rest, "-- "+name+":end")
	if !ok {
		return "", fmt.Errorf("%s: %s section not closed", rollupMigration, name)
	}
	return sec, nil
}

// dropRollupTriggers removes the triggers that keep rollups and tombstones
// (before a bulk load, which recounts once at the end instead).
func dropRollupTriggers(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'trigger'
		AND (name LIKE 'rollup\_%' ESCAPE '\' OR name LIKE 'trace\_%' ESCAPE '\')`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER IF EXISTS "`+n+`"`); err != nil {
			return err
		}
	}
	return nil
}

// createRollupTriggers re-creates the rollup triggers (after a bulk load).
func createRollupTriggers(ctx context.Context, tx *sql.Tx) error {
	q, err := migrationSection("triggers")
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, q)
	return err
}

// rebuildRollups recounts every rollup inside tx.
func rebuildRollups(ctx context.Context, tx *sql.Tx) error {
	q, err := migrationSection("rebuild")
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	return nil
}

// RebuildRollups recounts every rollup table from the rows, in one
// transaction (readers see the old counts until it commits). It is only
// needed after a venue changed ward (RollupsStale) or to check the
// triggers; it reads every check-in, about a minute for 10 million.
func (s *Store) RebuildRollups(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	if err := s.Require(data.PermViewStats); err != nil {
		return 0, err
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error { return rebuildRollups(ctx, tx) })
	return time.Since(start), wrapDB(err, "rebuild rollups")
}

// RollupsStale reports why the rollups need a rebuild ("" when current).
func (s *Store) RollupsStale(ctx context.Context) (string, error) {
	return s.Setting(ctx, "rollups.stale")
}
