package sqlite

import (
	"context"
	"database/sql"
)

// auditEntry is one line of the audit log written by inspections,
// violations and documents. Detail never holds personal data: ids,
// document numbers, steps and amounts only.
type auditEntry struct {
	Actor    string // used only when nobody is signed in (set-up mode, demo)
	Action   string // e.g. "document.issue", "violation.decide"
	Entity   string // table name
	EntityID string
	Detail   string
}

// appendAudit is the one function through which this feature appends to
// the audit log, inside the caller's transaction, so an action and its
// audit line are saved together or not at all. It delegates to the
// store's hash-chained writer; swapping the log's format changes only this.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, e auditEntry) error {
	actor := s.actor()
	if s.Session() == nil && e.Actor != "" {
		actor = e.Actor
	}
	return s.audit(ctx, tx, actor, e.Action, e.Entity, e.EntityID, e.Detail)
}
