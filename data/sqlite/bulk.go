package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"qrward/data"
)

// Bulk loads large amounts of rows that did not originate on this device
// (demo data now, the hub's snapshots later): no outbox entries, check-in
// indexes dropped during the load and rebuilt once at the end, which is
// several times faster than maintaining them row by row.
type Bulk struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	venue    *sql.Stmt
	person   *sql.Stmt
	checkin  *sql.Stmt
	caseStmt *sql.Stmt
	rows     int

	// Check-ins are inserted checkinBatch rows per statement: SQLite's
	// per-statement overhead, not the row itself, dominates a bulk load.
	checkinMany *sql.Stmt
	pending     []any
}

const (
	checkinCols  = 12
	checkinBatch = 200
)

// checkinIndexes re-creates the check-in indexes a bulk load dropped, as
// the latest migrations define them (0002, then 0012).
const checkinIndexes = `CREATE INDEX checkin_venue_time ON checkin(venue_id, time_in, time_out, person_id);
CREATE INDEX checkin_person_visit ON checkin(person_id, time_in, venue_id, time_out);`

// BeginBulk starts a bulk load in one transaction.
func (s *Store) BeginBulk(ctx context.Context) (*Bulk, error) {
	// Durability of a half-done bulk load does not matter: it is one
	// transaction that either commits or is rerun.
	// A large page cache keeps the load from spilling dirty pages into the
	// WAL a few at a time.
	// Foreign keys are checked once for the whole load in Commit instead of
	// twice per check-in row.
	for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -262144`, `PRAGMA foreign_keys = OFF`} {
		if _, err := s.rw.ExecContext(ctx, p); err != nil {
			return nil, err
		}
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	b := &Bulk{s: s, ctx: ctx, tx: tx}
	for _, stmt := range []string{`DROP INDEX IF EXISTS checkin_venue_time`, `DROP INDEX IF EXISTS checkin_person_visit`} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	// Rollup triggers would cost a few index lookups per row; Commit
	// re-creates them and recounts once.
	if err := dropRollupTriggers(ctx, tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	b.venue = prep(`INSERT INTO venue(id, code, name, name_folded, category, address, ward_dataset, ward_code,
		owner_id, control_method, status, qr_serial, qr_issued_on, commitment, commitment_on, registered_on,
		notes, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	b.person = prep(personInsertSQL)
	b.checkin = prep(`INSERT INTO checkin(id, venue_id, person_id, time_in, time_out, source, code_kind,
		risk_flags, station_id, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`)
	b.checkinMany = prep(`INSERT INTO checkin(id, venue_id, person_id, time_in, time_out, source, code_kind,
		risk_flags, station_id, device_id, version, created_at, updated_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?),", checkinBatch), ","))
	b.caseStmt = prep(`INSERT INTO case_f0(id, person_id, confirmed_on, onset_on, window_start, window_end,
		status, notes, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return b, nil
}

func deviceOr(m data.SyncMeta, fallback data.ID) data.ID {
	if m.DeviceID.IsZero() {
		return fallback
	}
	return m.DeviceID
}

func versionOr1(m data.SyncMeta) int64 {
	if m.Version == 0 {
		return 1
	}
	return m.Version
}

// Row inserts use plain Exec: with a cancellable context go-sqlite3
// starts a watcher goroutine per statement, which costs more than the
// insert itself. Callers check their context between batches.

// Venue adds a normalised venue; its owner must be added with Person.
func (b *Bulk) Venue(v *data.Venue) error {
	b.rows++
	_, err := b.venue.Exec(v.ID, v.Code, v.Name, data.Fold(v.Name), v.Category, v.Address,
		v.WardDataset, v.WardCode, v.OwnerID, v.ControlMethod, v.Status, v.QRSerial, dateOrNil(v.QRIssuedOn),
		v.Commitment, dateOrNil(v.CommitmentOn), v.RegisteredOn.Format(dateLayout), v.Notes,
		deviceOr(v.SyncMeta, b.s.deviceID), versionOr1(v.SyncMeta), v.CreatedAt.Unix(), v.UpdatedAt.Unix())
	return err
}

// Person adds a person.
func (b *Bulk) Person(p *data.Person) error {
	b.rows++
	_, err := b.person.Exec(b.s.personArgs(p, deviceOr(p.SyncMeta, b.s.deviceID), versionOr1(p.SyncMeta))...)
	return err
}

// Checkin adds a check-in.
func (b *Bulk) Checkin(c *data.Checkin) error {
	b.rows++
	var person any
	if !c.PersonID.IsZero() {
		person = c.PersonID
	}
	created := c.CreatedAt
	if created.IsZero() {
		created = c.TimeIn
	}
	b.pending = append(b.pending, c.ID, c.VenueID, person, c.TimeIn.Unix(), unixOrNil(c.TimeOut),
		c.Source, c.CodeKind, c.RiskFlags, c.StationID, deviceOr(c.SyncMeta, b.s.deviceID), created.Unix(), created.Unix())
	if len(b.pending) == checkinCols*checkinBatch {
		return b.flush()
	}
	return nil
}

// flush writes the buffered check-ins.
func (b *Bulk) flush() error {
	var err error
	if len(b.pending) == checkinCols*checkinBatch {
		_, err = b.checkinMany.Exec(b.pending...)
	} else {
		for i := 0; i < len(b.pending) && err == nil; i += checkinCols {
			_, err = b.checkin.Exec(b.pending[i : i+checkinCols]...)
		}
	}
	b.pending = b.pending[:0]
	return err
}

// Case adds an F0 case.
func (b *Bulk) Case(c *data.Case) error {
	b.rows++
	_, err := b.caseStmt.Exec(c.ID, c.PersonID, c.ConfirmedOn.Format(dateLayout), dateOrNil(c.OnsetOn),
		c.WindowStart.Unix(), c.WindowEnd.Unix(), c.Status, c.Notes, deviceOr(c.SyncMeta, b.s.deviceID),
		versionOr1(c.SyncMeta), c.CreatedAt.Unix(), c.UpdatedAt.Unix())
	return err
}

// Rows is the number of rows added so far.
func (b *Bulk) Rows() int { return b.rows }

// Abort rolls the whole load back.
func (b *Bulk) Abort() {
	b.tx.Rollback()
	b.s.restorePragmas()
}

// Commit rebuilds the check-in indexes, refreshes each venue's last
// check-in time, re-creates the rollup triggers and recounts the rollups,
// commits, refreshes the planner's statistics and folds the
// WAL into the file. indexing, if not nil, is told when index building
// starts (the slow part of a 10-million-row load).
func (b *Bulk) Commit(indexing func()) error {
	defer b.s.restorePragmas()
	if err := b.flush(); err != nil {
		b.tx.Rollback()
		return err
	}
	for _, st := range []*sql.Stmt{b.venue, b.person, b.checkin, b.checkinMany, b.caseStmt} {
		st.Close()
	}
	if indexing != nil {
		indexing()
	}
	steps := []string{checkinIndexes,
		`UPDATE venue SET last_checkin_at = (SELECT MAX(time_in) FROM checkin c
			WHERE c.venue_id = venue.id AND c.deleted_at IS NULL)`}
	for _, q := range steps {
		if _, err := b.tx.ExecContext(b.ctx, q); err != nil {
			b.tx.Rollback()
			return fmt.Errorf("bulk finish: %w", err)
		}
	}
	// One pass over the loaded rows replaces the per-row checks skipped
	// during the load; a dangling reference rolls everything back.
	var orphans int
	if err := b.tx.QueryRowContext(b.ctx, `SELECT
		(SELECT COUNT(*) FROM checkin c WHERE NOT EXISTS (SELECT 1 FROM venue v WHERE v.id = c.venue_id)) +
		(SELECT COUNT(*) FROM checkin c WHERE c.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = c.person_id)) +
		(SELECT COUNT(*) FROM venue v WHERE v.owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = v.owner_id)) +
		(SELECT COUNT(*) FROM case_f0 c WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = c.person_id))`).Scan(&orphans); err != nil {
		b.tx.Rollback()
		return err
	}
	if orphans > 0 {
		b.tx.Rollback()
		return &data.Error{Code: data.ECorrupt, Key: "err.bulk_orphans", Args: []any{orphans}}
	}
	if err := createRollupTriggers(b.ctx, b.tx); err != nil {
		b.tx.Rollback()
		return fmt.Errorf("bulk finish: %w", err)
	}
	if err := rebuildRollups(b.ctx, b.tx); err != nil {
		b.tx.Rollback()
		return err
	}
	if err := b.tx.Commit(); err != nil {
		return err
	}
	if _, err := b.s.rw.ExecContext(b.ctx, `ANALYZE`); err != nil {
		return err
	}
	return b.s.Checkpoint(b.ctx)
}

func (s *Store) restorePragmas() {
	s.rw.Exec(`PRAGMA foreign_keys = ON`)
	s.rw.Exec(`PRAGMA synchronous = NORMAL`)
	s.rw.Exec(`PRAGMA cache_size = -8192`)
}
