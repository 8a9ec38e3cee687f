package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"qrward/data"
)

// Retention periods (NĐ 13/2023 art. 16.7: personal data is deleted
// irreversibly once its purpose is served). The district sets them; both
// the hub and every replica apply the same rule, so purges are never
// shipped as deletes.
// The rule itself lives in package data, shared with the hub.
const (
	SettingRetentionCheckins   = data.SettingRetentionCheckins
	SettingRetentionViolations = data.SettingRetentionViolations
	DefaultRetentionCheckins   = data.DefaultRetentionCheckins
	DefaultRetentionViolations = data.DefaultRetentionViolations
)

// PurgeResult counts what a purge deleted.
type PurgeResult struct {
	Cutoff          time.Time `json:"cutoff"`
	Checkins        int64     `json:"checkins"`
	ManualVisits    int64     `json:"manual_visits"`
	TracingContacts int64     `json:"tracing_contacts"`
	Violations      int64     `json:"violations"`
	People          int64     `json:"people"`
	Vacuumed        bool      `json:"vacuumed"`
}

func (s *Store) retentionDays(ctx context.Context, key string, def int) int {
	v, _ := s.Setting(ctx, key)
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return def
}

// SetRetention changes the retention periods (administrators, on the
// district's instruction); the change is audited.
func (s *Store) SetRetention(ctx context.Context, checkinDays, violationDays int) error {
	if err := s.Require(data.PermManageUsers); err != nil {
		return err
	}
	var val data.Validation
	if checkinDays < 1 || checkinDays > 365 {
		val.Add("checkins_days", "err.retention_range", 1, 365)
	}
	if violationDays < 30 || violationDays > 36500 {
		val.Add("violations_days", "err.retention_range", 30, 36500)
	}
	if err := val.Err(); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]int{SettingRetentionCheckins: checkinDays, SettingRetentionViolations: violationDays} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO setting(key, value) VALUES (?, ?)
				ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, strconv.Itoa(v)); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, s.actor(), "set_retention", "setting", "",
			`{"checkins_days":`+strconv.Itoa(checkinDays)+`,"violations_days":`+strconv.Itoa(violationDays)+`}`)
	})
}

// Purge irreversibly deletes what has outlived its retention period:
// check-ins, manual visits and tracing contacts older than the check-in
// period, closed violation files older than theirs, and then every person
// nothing refers to any more. Compliance rollups (counts without personal
// data) are kept: the rollup triggers are suspended during the purge. The
// counts go to the audit log; the file is vacuumed when the purge left
// more than a tenth of it free (secure_delete already zeroes what was
// deleted, so nothing is recoverable either way).
func (s *Store) Purge(ctx context.Context) (PurgeResult, error) {
	// Cut at a Vietnamese midnight (data.CheckinRetentionCutoff, the hub's
	// rule too): whole days go, so the day rollups the purge keeps are
	// never left describing half a day of rows.
	res := PurgeResult{Cutoff: data.CheckinRetentionCutoff(s.Now(), s.retentionDays(ctx, SettingRetentionCheckins, DefaultRetentionCheckins))}
	violationCutoff := data.ViolationRetentionCutoff(s.Now(), s.retentionDays(ctx, SettingRetentionViolations, DefaultRetentionViolations))
	cut := res.Cutoff.Unix()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := dropRollupTriggers(ctx, tx); err != nil {
			return err
		}
		// The purged check-ins are found per venue through the covering
		// (venue, time_in, time_out, person) index, never by scanning the
		// table; the people they name are the only candidates for deletion.
		steps := []struct {
			sql   string
			args  []any
			count *int64
		}{
			{`CREATE TEMP TABLE purge_checkin (rid INTEGER PRIMARY KEY, person_id BLOB)`, nil, nil},
			{`CREATE TEMP TABLE purge_person (id BLOB PRIMARY KEY) WITHOUT ROWID`, nil, nil},
			{`INSERT INTO purge_checkin SELECT c.rid, c.person_id FROM venue v
				JOIN checkin c INDEXED BY checkin_venue_time ON c.venue_id = v.id AND c.time_in < ?`, []any{cut}, nil},
			{`INSERT OR IGNORE INTO purge_person SELECT person_id FROM purge_checkin WHERE person_id IS NOT NULL`, nil, nil},
			{`INSERT OR IGNORE INTO purge_person SELECT person_id FROM trace_contact WHERE created_at < ?`, []any{cut}, nil},
			{`DELETE FROM checkin_tombstone WHERE rid IN (SELECT rid FROM purge_checkin)`, nil, nil},
			{`DELETE FROM checkin WHERE rid IN (SELECT rid FROM purge_checkin)`, nil, &res.Checkins},
			{`DELETE FROM trace_visit WHERE time_in < ?`, []any{cut}, &res.ManualVisits},
			{`DELETE FROM trace_contact WHERE created_at < ?`, []any{cut}, &res.TracingContacts},
			{`DELETE FROM outbox WHERE tbl IN ('checkin', 'trace_visit', 'trace_contact') AND created_at < ?`, []any{cut}, nil},
			{`DELETE FROM violation_event WHERE violation_id IN
				(SELECT id FROM violation WHERE status = 'closed' AND found_at < ?)`, []any{violationCutoff.Unix()}, nil},
			{`DELETE FROM document WHERE subject_id IN
				(SELECT id FROM violation WHERE status = 'closed' AND found_at < ?)`, []any{violationCutoff.Unix()}, nil},
			{`DELETE FROM violation WHERE status = 'closed' AND found_at < ?`, []any{violationCutoff.Unix()}, &res.Violations},
			{`DELETE FROM person WHERE id IN (SELECT id FROM purge_person) AND
				NOT EXISTS (SELECT 1 FROM checkin c WHERE c.person_id = person.id) AND
				NOT EXISTS (SELECT 1 FROM venue v WHERE v.owner_id = person.id) AND
				NOT EXISTS (SELECT 1 FROM case_f0 f WHERE f.person_id = person.id) AND
				NOT EXISTS (SELECT 1 FROM trace_contact t WHERE t.person_id = person.id)`, nil, &res.People},
			{`DROP TABLE purge_checkin`, nil, nil},
			{`DROP TABLE purge_person`, nil, nil},
		}
		for _, st := range steps {
			r, err := tx.ExecContext(ctx, st.sql, st.args...)
			if err != nil {
				return err
			}
			if st.count != nil {
				*st.count, _ = r.RowsAffected()
			}
		}
		if err := createRollupTriggers(ctx, tx); err != nil {
			return err
		}
		detail, _ := json.Marshal(res)
		return s.audit(ctx, tx, s.actor(), "retention_purge", "", "", string(detail))
	})
	if err != nil {
		return res, wrapDB(err, "purge")
	}
	var free, pages int64
	s.rw.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free)
	s.rw.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages)
	if pages > 0 && free*10 > pages {
		if err := s.scrub(ctx); err != nil {
			return res, err
		}
		res.Vacuumed = true
	} else if err := s.Checkpoint(ctx); err != nil {
		return res, err
	}
	return res, nil
}
