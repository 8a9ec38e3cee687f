package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"qrward/data"
	"qrward/data/protect"
)

// audit appends one entry to the hash-chained audit log inside tx. The
// writer connection is single and transactions are IMMEDIATE, so reading
// the last hash and appending cannot interleave with another append.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, actor, action, entity, entityID, detail string) error {
	var prev []byte
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e := protect.AuditEntry{Seq: seq + 1, At: s.Now().Unix(), Actor: actor, Action: action,
		Entity: entity, EntityID: entityID, Detail: detail}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.Detail,
		prev, protect.ChainHash(prev, e))
	return err
}

// Audit appends an entry in its own transaction, as the signed-in user
// (prints, exports, views of personal data decided at the edge).
func (s *Store) Audit(ctx context.Context, action, entity, entityID, detail string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, s.actor(), action, entity, entityID, detail) })
}

// AuditRecord is one audit entry as stored.
type AuditRecord struct {
	protect.AuditEntry
	Time time.Time
}

// AuditLog lists the newest entries first (administrators only).
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditRecord, error) {
	if err := s.Require(data.PermAudit); err != nil {
		return nil, err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT seq, at, actor, action, entity, entity_id, detail FROM audit_log
		ORDER BY seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		if err := rows.Scan(&r.Seq, &r.At, &r.Actor, &r.Action, &r.Entity, &r.EntityID, &r.Detail); err != nil {
			return nil, err
		}
		r.Time = time.Unix(r.At, 0)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AuditProblem is the first entry where the chain breaks.
type AuditProblem struct {
	Seq    int64
	Reason string // "edited", "missing", "reordered"
}

// VerifyAudit recomputes the whole chain. It returns how many entries it
// checked and the first problem: an edited entry (its hash no longer
// matches), a removed one (a gap in the sequence, or a next entry whose
// prev_hash does not match).
func (s *Store) VerifyAudit(ctx context.Context) (int, *AuditProblem, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var prev []byte
	var expectSeq int64 = 1
	n := 0
	for rows.Next() {
		var e protect.AuditEntry
		var storedPrev, hash []byte
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &storedPrev, &hash); err != nil {
			return n, nil, err
		}
		n++
		switch {
		case e.Seq != expectSeq:
			return n, &AuditProblem{Seq: expectSeq, Reason: "missing"}, nil
		case string(storedPrev) != string(prev):
			return n, &AuditProblem{Seq: e.Seq, Reason: "missing"}, nil
		case string(protect.ChainHash(prev, e)) != string(hash):
			return n, &AuditProblem{Seq: e.Seq, Reason: "edited"}, nil
		}
		prev, expectSeq = hash, e.Seq+1
	}
	return n, nil, rows.Err()
}
