package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/inspect"
)

// nextDocNumber takes the next number of a series (issuing body, symbol,
// year) inside tx. The counter only grows: a number handed out is never
// handed out again, even if its document is later cancelled, as
// Nghị định 30/2020 Art. 15 requires. Concurrent issuers are serialised by
// SQLite's single writer (IMMEDIATE transactions, also across processes).
func nextDocNumber(ctx context.Context, tx *sql.Tx, issuer, symbol string, year int) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO doc_counter(issuer, symbol, year, last) VALUES (?, ?, ?, 1)
		ON CONFLICT(issuer, symbol, year) DO UPDATE SET last = last + 1
		RETURNING last`, issuer, symbol, year).Scan(&n)
	return n, err
}

type documentChange struct {
	ID        data.ID `json:"id"`
	Kind      string  `json:"kind"`
	Issuer    string  `json:"issuer"`
	Symbol    string  `json:"symbol"`
	Year      int     `json:"year"`
	Number    int     `json:"number"`
	IssuedAt  int64   `json:"issued_at"`
	SubjectID data.ID `json:"subject_id"`
	Payload   string  `json:"payload"`
	Version   int64   `json:"version"`
}

// issueDocument numbers and saves d inside tx, with its outbox entry and
// an audit line. d.Kind, d.Issuer, d.IssuedAt and d.Facts must be set.
func (s *Store) issueDocument(ctx context.Context, tx *sql.Tx, d *inspect.Document, actor string) error {
	if d.Issuer == "" || d.Kind == "" || d.IssuedAt.IsZero() {
		return data.Errorf(data.EInvalid, "err.document_incomplete")
	}
	if d.Symbol == "" {
		d.Symbol = inspect.DocSymbol(d.Kind)
	}
	d.Year = d.IssuedAt.Year()
	n, err := nextDocNumber(ctx, tx, d.Issuer, d.Symbol, d.Year)
	if err != nil {
		return wrapDB(err, "number document")
	}
	d.Number = n
	if d.ID.IsZero() {
		d.ID = data.NewID()
	}
	facts, err := inspect.MarshalFacts(d.Facts)
	if err != nil {
		return err
	}
	// The facts name the violator (a person): sealed like other personal data.
	payload, err := s.sealText("document", d.ID, string(facts))
	if err != nil {
		return err
	}
	now := s.Now()
	d.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
	_, err = tx.ExecContext(ctx, `INSERT INTO document(id, kind, issuer, symbol, year, number, issued_at, subject_id,
		payload, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		d.ID, d.Kind, d.Issuer, d.Symbol, d.Year, d.Number, d.IssuedAt.Unix(), d.SubjectID, payload, s.deviceID,
		now.Unix(), now.Unix())
	if err != nil {
		return wrapDB(err, "insert document")
	}
	if err := recordChange(ctx, tx, "document", d.ID, "insert", 1, documentChange{d.ID, d.Kind, d.Issuer, d.Symbol,
		d.Year, d.Number, d.IssuedAt.Unix(), d.SubjectID, payload, 1}, now.Unix()); err != nil {
		return err
	}
	return s.appendAudit(ctx, tx, auditEntry{Actor: actor, Action: "document.issue", Entity: "document",
		EntityID: d.ID.String(), Detail: d.Kind + " " + d.Issuer + " " + d.NumberText() + " subject " + d.SubjectID.String()})
}

// IssueDocument numbers and saves a document in its own transaction.
func (s *Store) IssueDocument(ctx context.Context, d *inspect.Document, actor string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.issueDocument(ctx, tx, d, actor) })
}

const documentColumns = `id, kind, issuer, symbol, year, number, issued_at, subject_id, payload,
	device_id, version, created_at, updated_at, deleted_at`

func (s *Store) scanDocument(row interface{ Scan(...any) error }) (inspect.Document, error) {
	var d inspect.Document
	var issued, created, updated int64
	var deleted sql.NullInt64
	var payload string
	err := row.Scan(&d.ID, &d.Kind, &d.Issuer, &d.Symbol, &d.Year, &d.Number, &issued, &d.SubjectID, &payload,
		&d.DeviceID, &d.Version, &created, &updated, &deleted)
	if err != nil {
		return d, err
	}
	d.IssuedAt, d.CreatedAt, d.UpdatedAt, d.DeletedAt = time.Unix(issued, 0), time.Unix(created, 0), time.Unix(updated, 0), timePtr(deleted)
	if err := json.Unmarshal([]byte(s.openText("document", d.ID, payload)), &d.Facts); err != nil {
		return d, &data.Error{Code: data.ECorrupt, Key: "err.document_payload", Args: []any{d.NumberText()}, Err: err}
	}
	return d, nil
}

// Document reads one issued document.
func (s *Store) Document(ctx context.Context, id data.ID) (inspect.Document, error) {
	d, err := s.scanDocument(s.ro.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM document WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, data.Errorf(data.ENotFound, "err.document_not_found")
	}
	return d, wrapDB(err, "read document")
}

// DocumentsFor lists the documents issued about a subject (violation,
// inspection, schedule), oldest first; kind "" means every kind.
func (s *Store) DocumentsFor(ctx context.Context, subject data.ID, kind string) ([]inspect.Document, error) {
	return s.queryDocuments(ctx, `subject_id = ? AND (? = '' OR kind = ?)`, subject, kind, kind)
}

// DocumentsIssuedOn lists the documents of the given kinds issued on the
// local day of day (the clerk's batch of a day's notices), by number.
func (s *Store) DocumentsIssuedOn(ctx context.Context, day time.Time, kinds ...string) ([]inspect.Document, error) {
	y, m, d := day.Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, day.Location())
	to := from.AddDate(0, 0, 1)
	where := `issued_at >= ? AND issued_at < ?`
	args := []any{from.Unix(), to.Unix()}
	if len(kinds) > 0 {
		where += ` AND kind IN (?` + strings.Repeat(", ?", len(kinds)-1) + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	return s.queryDocuments(ctx, where, args...)
}

func (s *Store) queryDocuments(ctx context.Context, where string, args ...any) ([]inspect.Document, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+documentColumns+` FROM document WHERE deleted_at IS NULL AND `+
		where+` ORDER BY issued_at, kind, number`, args...)
	if err != nil {
		return nil, wrapDB(err, "list documents")
	}
	defer rows.Close()
	var out []inspect.Document
	for rows.Next() {
		d, err := s.scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// AuditCount counts audit lines of an action on an entity (tests, checks).
func (s *Store) AuditCount(ctx context.Context, action, entityID string) (int, error) {
	var n int
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND (? = '' OR entity_id = ?)`,
		action, entityID, entityID).Scan(&n)
	return n, err
}
