package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"qrward/data"
	"qrward/data/inspect"
)

type violationChange struct {
	ID           data.ID `json:"id"`
	VenueID      data.ID `json:"venue_id"`
	InspectionID data.ID `json:"inspection_id"`
	RuleID       string  `json:"rule_id"`
	RuleVersion  string  `json:"rule_version"`
	FoundAt      int64   `json:"found_at"`
	Amount       int64   `json:"amount"`
	Status       string  `json:"status"`
	Description  string  `json:"description"`
	Subject      string  `json:"subject"`
	Item         string  `json:"item"`
	Reminders    int     `json:"reminders"`
	HearingDue   any     `json:"hearing_due"`
	ExplainDue   any     `json:"explain_due"`
	PayDue       any     `json:"pay_due"`
	SignerRole   string  `json:"signer_role"`
	ReferredTo   string  `json:"referred_to"`
	Version      int64   `json:"version"`
}

func violationChangeOf(v *inspect.Violation) violationChange {
	return violationChange{v.ID, v.VenueID, v.InspectionID, v.RuleID, v.RuleVersion, v.FoundAt.Unix(), v.Amount, v.Status,
		v.Description, v.Subject, v.Item, v.Reminders, unixOrNil(v.HearingDue), unixOrNil(v.ExplainDue), unixOrNil(v.PayDue),
		v.SignerRole, v.ReferredTo, v.Version}
}

// insertViolation writes a new violation (status "found") inside tx.
func (s *Store) insertViolation(ctx context.Context, tx *sql.Tx, v *inspect.Violation, actor string) error {
	now := s.Now()
	if v.ID.IsZero() {
		v.ID = data.NewID()
	}
	if v.Subject == "" {
		v.Subject = inspect.SubjectIndividual
	}
	v.Status = inspect.StatusFound
	v.Description = data.Clean(v.Description)
	v.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
	var insp any
	if !v.InspectionID.IsZero() {
		insp = v.InspectionID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO violation(id, venue_id, inspection_id, rule_id, rule_version, found_at,
		amount, status, description, subject, item, device_id, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, v.ID, v.VenueID, insp, v.RuleID, v.RuleVersion,
		v.FoundAt.Unix(), v.Amount, v.Status, v.Description, v.Subject, v.Item, s.deviceID, now.Unix(), now.Unix()); err != nil {
		return wrapDB(err, "insert violation")
	}
	if err := recordChange(ctx, tx, "violation", v.ID, "insert", 1, violationChangeOf(v), now.Unix()); err != nil {
		return err
	}
	return s.appendAudit(ctx, tx, auditEntry{Actor: actor, Action: "violation.found", Entity: "violation",
		EntityID: v.ID.String(), Detail: v.RuleID + " " + strconv.FormatInt(v.Amount, 10)})
}

// CreateViolation records a violation found outside a checklist (e.g. a
// citizen report confirmed on site), with the rule's default amount.
func (s *Store) CreateViolation(ctx context.Context, v *inspect.Violation, actor string) error {
	lib, err := s.InspectLibrary(ctx)
	if err != nil {
		return err
	}
	if v.FoundAt.IsZero() {
		v.FoundAt = s.Now()
	}
	rule, err := lib.Rules.Rule(v.RuleID, v.FoundAt)
	if err != nil {
		return err
	}
	if v.Subject == "" {
		v.Subject = inspect.SubjectIndividual
	}
	if v.Amount == 0 {
		v.Amount = lib.Rules.DefaultAmount(rule, v.Subject)
	} else if err := lib.Rules.CheckAmount(rule, v.Subject, v.Amount); err != nil {
		return err
	}
	if v.Description == "" {
		v.Description = rule.Act
	}
	v.RuleVersion = lib.Rules.Version
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.venueInTx(ctx, tx, v.VenueID); err != nil {
			return err
		}
		return s.insertViolation(ctx, tx, v, actor)
	})
}

const violationColumns = `x.id, x.venue_id, x.inspection_id, x.rule_id, x.rule_version, x.found_at, x.amount, x.status,
	x.description, x.subject, x.item, x.reminders, x.hearing_due, x.explain_due, x.pay_due, x.signer_role, x.referred_to,
	x.device_id, x.version, x.created_at, x.updated_at, v.code, v.name, v.address, v.ward_code`

func scanViolation(row interface{ Scan(...any) error }) (inspect.Violation, error) {
	var v inspect.Violation
	var found, created, updated int64
	var hearing, explain, pay sql.NullInt64
	err := row.Scan(&v.ID, &v.VenueID, &v.InspectionID, &v.RuleID, &v.RuleVersion, &found, &v.Amount, &v.Status,
		&v.Description, &v.Subject, &v.Item, &v.Reminders, &hearing, &explain, &pay, &v.SignerRole, &v.ReferredTo,
		&v.DeviceID, &v.Version, &created, &updated, &v.VenueCode, &v.VenueName, &v.VenueAddress, &v.WardCode)
	v.FoundAt, v.CreatedAt, v.UpdatedAt = time.Unix(found, 0), time.Unix(created, 0), time.Unix(updated, 0)
	v.HearingDue, v.ExplainDue, v.PayDue = timePtr(hearing), timePtr(explain), timePtr(pay)
	return v, err
}

func (s *Store) readViolation(ctx context.Context, q querier, id data.ID) (inspect.Violation, error) {
	v, err := scanViolation(q.QueryRowContext(ctx, `SELECT `+violationColumns+` FROM violation x
		JOIN venue v ON v.id = x.venue_id WHERE x.id = ? AND x.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, data.Errorf(data.ENotFound, "err.violation_not_found")
	}
	return v, wrapDB(err, "read violation")
}

// Violation reads a violation with its events, oldest first.
func (s *Store) Violation(ctx context.Context, id data.ID) (inspect.Violation, error) {
	v, err := s.readViolation(ctx, s.ro, id)
	if err != nil {
		return v, err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT id, step, at, by_user, document_id, note FROM violation_event
		WHERE violation_id = ? AND deleted_at IS NULL ORDER BY at, created_at, id`, id)
	if err != nil {
		return v, wrapDB(err, "read events")
	}
	defer rows.Close()
	for rows.Next() {
		e := inspect.Event{ViolationID: id}
		var at int64
		if err := rows.Scan(&e.ID, &e.Step, &at, &e.By, &e.DocumentID, &e.Note); err != nil {
			return v, err
		}
		e.At = time.Unix(at, 0)
		v.Events = append(v.Events, e)
	}
	return v, rows.Err()
}

// RegisterFilter narrows the violation register; zero values mean any.
type RegisterFilter struct {
	WardCode string
	RuleID   string
	Status   string
	OpenOnly bool
	VenueID  data.ID
	From, To time.Time // found between
}

// Violations lists violations for the register, newest first.
func (s *Store) Violations(ctx context.Context, f RegisterFilter) ([]inspect.Violation, error) {
	q := `SELECT ` + violationColumns + ` FROM violation x JOIN venue v ON v.id = x.venue_id WHERE x.deleted_at IS NULL`
	var args []any
	if f.WardCode != "" {
		q, args = q+` AND v.ward_code = ?`, append(args, f.WardCode)
	}
	if f.RuleID != "" {
		q, args = q+` AND x.rule_id = ?`, append(args, f.RuleID)
	}
	if f.Status != "" {
		q, args = q+` AND x.status = ?`, append(args, f.Status)
	}
	if f.OpenOnly {
		q, args = q+` AND x.status <> ?`, append(args, inspect.StatusClosed)
	}
	if !f.VenueID.IsZero() {
		q, args = q+` AND x.venue_id = ?`, append(args, f.VenueID)
	}
	if !f.From.IsZero() {
		q, args = q+` AND x.found_at >= ?`, append(args, f.From.Unix())
	}
	if !f.To.IsZero() {
		q, args = q+` AND x.found_at < ?`, append(args, f.To.Unix())
	}
	rows, err := s.ro.QueryContext(ctx, q+` ORDER BY x.found_at DESC, x.id`, args...)
	if err != nil {
		return nil, wrapDB(err, "list violations")
	}
	return scanAll(rows, scanViolation)
}

// SuspendAfter is the office's reminder threshold (setting
// "violations.suspend_after", default 3: suspension after more than 3).
func (s *Store) SuspendAfter(ctx context.Context) int {
	if v, _ := s.Setting(ctx, "violations.suspend_after"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return n
		}
	}
	return inspect.DefaultSuspendAfter
}

// StepInput is one lifecycle step as the user gives it.
type StepInput struct {
	Action string
	At     time.Time // default now
	By     string    // the user doing it (audit log)
	Note   string
	// Decision: who signs and the amount (0 keeps the proposed one).
	SignerRole string
	Signer     inspect.Official
	SignerFor  string // "KT. CHỦ TỊCH" when a deputy signs for the chairman
	Amount     int64
	// Record: who made it, witnesses, the violator's statement.
	Officials []inspect.Official
	Witnesses []inspect.Official
	Statement string
	// Reinspect: the follow-up visit.
	InspectionID data.ID
}

// StepResult is what a step did.
type StepResult struct {
	Violation inspect.Violation
	Event     inspect.Event
	Document  *inspect.Document // issued by the step, if any
}

// ApplyStep moves a violation one step along its lifecycle in one
// transaction: the guarded transition, the deadlines it opens, the
// numbered document it issues, the dated event, the venue's status
// (suspension, reopening), the outbox and the audit log. A decision whose
// amount is above the signer's cap is refused with the reason, and the
// case is marked for referral to the level above.
func (s *Store) ApplyStep(ctx context.Context, id data.ID, in StepInput) (StepResult, error) {
	lib, err := s.InspectLibrary(ctx)
	if err != nil {
		return StepResult{}, err
	}
	if in.At.IsZero() {
		in.At = s.Now()
	}
	in.Note, in.Statement = data.Clean(in.Note), data.Clean(in.Statement)
	perm := data.PermInspect
	if in.Action == inspect.ActDecide || in.Action == inspect.ActSuspend {
		perm = data.PermSignDecisions
	}
	if err := s.Require(perm); err != nil {
		return StepResult{}, err
	}
	threshold := s.SuspendAfter(ctx)
	var res StepResult
	var refusal error
	var statusBefore string
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		v, err := s.readViolation(ctx, tx, id)
		if err != nil {
			return err
		}
		statusBefore = v.Status
		facts := inspect.Facts{Status: v.Status, Reminders: v.Reminders, SuspendAfter: threshold, At: in.At}
		if v.ExplainDue != nil {
			facts.ExplainDue = *v.ExplainDue
		}
		tr, err := inspect.Step(facts, in.Action)
		if err != nil {
			return err
		}
		rule, err := lib.Rules.Rule(v.RuleID, v.FoundAt)
		if err != nil {
			return err
		}
		switch in.Action {
		case inspect.ActRecord:
			dl, err := lib.Calendar.RecordDeadlines(in.At)
			if err != nil {
				return err
			}
			v.HearingDue, v.ExplainDue = &dl.Hearing, &dl.Explanation
		case inspect.ActDecide:
			amount := v.Amount
			if in.Amount > 0 {
				amount = in.Amount
			}
			if err := lib.Rules.CheckAmount(rule, v.Subject, amount); err != nil {
				return err
			}
			if in.SignerRole == "" {
				return &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
					Fields: []data.FieldError{{Field: "signer", Key: "err.required"}}}
			}
			if err := lib.Rules.CheckSigner(in.SignerRole, v.Subject, amount); err != nil {
				if _, ok := inspect.RefusalOf(err); ok {
					refusal = err
					return errRefused
				}
				return err
			}
			v.Amount, v.SignerRole = amount, in.SignerRole
			due := in.At.AddDate(0, 0, inspect.PaymentDays)
			v.PayDue = &due
		case inspect.ActRemind:
			v.Reminders++
		case inspect.ActRefer:
			if s, ok := lib.Rules.Signer(in.SignerRole); ok {
				v.ReferredTo = s.ReferTo
			}
		}
		var doc *inspect.Document
		if tr.Issues != "" {
			d, err := s.documentForStep(ctx, tx, &v, rule, lib.Rules, tr.Issues, in)
			if err != nil {
				return err
			}
			doc = &d
		}
		v.Status = tr.To
		if err := s.saveViolation(ctx, tx, &v); err != nil {
			return err
		}
		switch in.Action {
		case inspect.ActSuspend:
			if err := s.setVenueStatus(ctx, tx, v.VenueID, data.VenueSuspended); err != nil {
				return err
			}
		case inspect.ActClose:
			if err := s.reopenIfLastSuspension(ctx, tx, v.VenueID, v.ID); err != nil {
				return err
			}
		}
		ev := inspect.Event{ID: data.NewID(), ViolationID: v.ID, Step: in.Action, At: in.At, By: data.Clean(in.By), Note: in.Note}
		if doc != nil {
			ev.DocumentID = doc.ID
		}
		if in.Action == inspect.ActReinspect && !in.InspectionID.IsZero() && ev.Note == "" {
			ev.Note = "inspection " + in.InspectionID.String()
		}
		if err := s.insertEvent(ctx, tx, &ev); err != nil {
			return err
		}
		detail := in.Action + " " + v.Status
		if doc != nil {
			detail += " " + doc.NumberText()
		}
		v.Events = append(v.Events, ev)
		res = StepResult{Violation: v, Event: ev, Document: doc}
		return s.appendAudit(ctx, tx, auditEntry{Actor: in.By, Action: "violation." + in.Action,
			Entity: "violation", EntityID: v.ID.String(), Detail: detail})
	})
	if errors.Is(err, errRefused) {
		// The refusal stands; the case is marked for referral in its own
		// step (unless it already was), so the refusal is on record too.
		if statusBefore != inspect.StatusReferred {
			if _, rerr := s.ApplyStep(ctx, id, StepInput{Action: inspect.ActRefer, At: in.At, By: in.By,
				SignerRole: in.SignerRole, Note: "Vượt thẩm quyền xử phạt: chuyển cấp trên"}); rerr != nil {
				return StepResult{}, rerr
			}
		}
		return StepResult{}, refusal
	}
	return res, err
}

// errRefused rolls back a decision refused for the signer's cap.
var errRefused = errors.New("decision refused: above the signer's cap")

func (s *Store) saveViolation(ctx context.Context, tx *sql.Tx, v *inspect.Violation) error {
	now := s.Now()
	res, err := tx.ExecContext(ctx, `UPDATE violation SET status = ?, amount = ?, reminders = ?, hearing_due = ?,
		explain_due = ?, pay_due = ?, signer_role = ?, referred_to = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, v.Status, v.Amount, v.Reminders, unixOrNil(v.HearingDue), unixOrNil(v.ExplainDue),
		unixOrNil(v.PayDue), v.SignerRole, v.ReferredTo, now.Unix(), v.ID, v.Version)
	if err != nil {
		return wrapDB(err, "update violation")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return data.Errorf(data.EConflict, "err.record_changed")
	}
	v.Version++
	v.UpdatedAt = now
	return recordChange(ctx, tx, "violation", v.ID, "update", v.Version, violationChangeOf(v), now.Unix())
}

func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, e *inspect.Event) error {
	now := s.Now().Unix()
	var doc any
	if !e.DocumentID.IsZero() {
		doc = e.DocumentID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO violation_event(id, violation_id, step, at, by_user, document_id, note,
		device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		e.ID, e.ViolationID, e.Step, e.At.Unix(), e.By, doc, e.Note, s.deviceID, now, now); err != nil {
		return wrapDB(err, "insert event")
	}
	return recordChange(ctx, tx, "violation_event", e.ID, "insert", 1, map[string]any{"id": e.ID,
		"violation_id": e.ViolationID, "step": e.Step, "at": e.At.Unix(), "by_user": e.By, "document_id": e.DocumentID,
		"note": e.Note}, now)
}

// documentForStep issues the document of a step with its frozen facts.
func (s *Store) documentForStep(ctx context.Context, tx *sql.Tx, v *inspect.Violation, rule inspect.Rule,
	rules *inspect.RuleTable, kind string, in StepInput) (inspect.Document, error) {
	issuer, place := s.issuerOf(ctx, tx, v.WardCode)
	f := inspect.DocFacts{IssuerName: issuer, Place: place, Field: rules.Field, ViolationID: v.ID, VenueID: v.VenueID,
		InspectionID: v.InspectionID, RuleID: rule.ID, RuleVersion: v.RuleVersion, Provision: rule.Provision(),
		Act: rule.Act, Subject: v.Subject, Amount: v.Amount, ViolationAt: v.FoundAt, ViolationPlace: v.VenueAddress,
		Description: v.Description, Statement: in.Statement, Note: in.Note, Signer: in.Signer, SignerFor: in.SignerFor,
		Officials: in.Officials, Witnesses: in.Witnesses, Reminders: v.Reminders}
	if v.HearingDue != nil {
		f.HearingDue = *v.HearingDue
	}
	if v.ExplainDue != nil {
		f.ExplainDue = *v.ExplainDue
	}
	if v.PayDue != nil {
		f.PayDue = *v.PayDue
	}
	// Later documents cite the record and the decision.
	prior, err := s.docsOf(ctx, tx, v.ID)
	if err != nil {
		return inspect.Document{}, err
	}
	for _, d := range prior {
		switch d.Kind {
		case inspect.DocRecord:
			f.RecordNumber, f.RecordDate = d.NumberText(), d.IssuedAt
			if len(f.Officials) == 0 {
				f.Officials = d.Facts.Officials
			}
		case inspect.DocDecision:
			f.DecisionNumber, f.DecisionDate = d.NumberText(), d.IssuedAt
			if f.Signer.Name == "" {
				f.Signer, f.SignerFor = d.Facts.Signer, d.Facts.SignerFor
			}
		}
	}
	d := inspect.Document{Kind: kind, Issuer: v.WardCode, IssuedAt: in.At, SubjectID: v.ID, Facts: f}
	return d, s.issueDocument(ctx, tx, &d, in.By)
}

func (s *Store) docsOf(ctx context.Context, tx *sql.Tx, subject data.ID) ([]inspect.Document, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+documentColumns+` FROM document WHERE subject_id = ? AND deleted_at IS NULL
		ORDER BY issued_at, number`, subject)
	if err != nil {
		return nil, err
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

// setVenueStatus changes a venue's status inside tx with a new version
// and its outbox entry, so every screen and replica shows it.
func (s *Store) setVenueStatus(ctx context.Context, tx *sql.Tx, venue data.ID, status string) error {
	v, err := s.venueInTx(ctx, tx, venue)
	if err != nil {
		return err
	}
	if v.Status == status {
		return nil
	}
	now := s.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE venue SET status = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		status, now.Unix(), venue); err != nil {
		return wrapDB(err, "update venue status")
	}
	v.Status = status
	v.Version++
	v.UpdatedAt = now
	return recordChange(ctx, tx, "venue", v.ID, "update", v.Version, changeOf(&v), now.Unix())
}

// reopenIfLastSuspension reopens a suspended venue when the violation
// being closed was its last suspended one.
func (s *Store) reopenIfLastSuspension(ctx context.Context, tx *sql.Tx, venue, closing data.ID) error {
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM violation WHERE venue_id = ? AND id <> ? AND status = ?
		AND deleted_at IS NULL`, venue, closing, inspect.StatusSuspended).Scan(&others); err != nil {
		return err
	}
	v, err := s.venueInTx(ctx, tx, venue)
	if err != nil || others > 0 || v.Status != data.VenueSuspended {
		return err
	}
	return s.setVenueStatus(ctx, tx, venue, data.VenueOpen)
}
