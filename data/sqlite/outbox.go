package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"qrward/data"
)

// recordChange appends a local edit to the outbox inside the edit's own
// transaction, so a change can never be saved without being queued for the
// hub, nor queued without being saved.
func recordChange(ctx context.Context, tx *sql.Tx, table string, id data.ID, op string, version int64, row any, at int64) error {
	payload, err := json.Marshal(row)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox(tbl, row_id, op, row_version, payload, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, table, id, op, version, string(payload), at)
	return err
}

// OutboxEntry is one queued local change.
type OutboxEntry struct {
	Seq        int64
	Table      string
	RowID      data.ID
	Op         string
	RowVersion int64
	Payload    string
}

// PendingChanges returns up to limit outbox entries after seq, oldest first.
func (s *Store) PendingChanges(ctx context.Context, afterSeq int64, limit int) ([]OutboxEntry, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT seq, tbl, row_id, op, row_version, payload FROM outbox
		WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.Seq, &e.Table, &e.RowID, &e.Op, &e.RowVersion, &e.Payload); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// PendingCount is the number of queued local changes.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&n)
	return n, err
}

// TrimOutbox removes entries the hub has acknowledged (seq ≤ ackSeq).
func (s *Store) TrimOutbox(ctx context.Context, ackSeq int64) error {
	_, err := s.rw.ExecContext(ctx, `DELETE FROM outbox WHERE seq <= ?`, ackSeq)
	return err
}
