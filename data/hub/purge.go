package hub

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"qrward/data"
	"qrward/data/syncproto"
)

// The retention purge. Every replica deletes check-ins, manual visits and
// tracing contacts older than the check-in period, closed violation files
// older than theirs (purge_violations.go), and then the people nothing
// refers to any more (data/sqlite retention.go); the hub applies the same
// rule (data/retention.go) to its own copy, so the purge is never shipped
// as deletes. A purged row does not come back: it is gone from
// every stream and snapshot, and a device that still holds it (it has not
// purged yet, or was offline) and pushes it gets it acknowledged without
// it being stored.

// Retention is the district's retention rule as the hub applies it.
type Retention struct {
	// CheckinDays is the check-in period in days, the replicas'
	// data.SettingRetentionCheckins (data.DefaultRetentionCheckins unless
	// the district changed it). 0 turns the rule off: nothing is purged
	// for age and pushes store every row. That is the zero value, for
	// tools and tests replaying old data; qrward-hub always sets it.
	CheckinDays int
	// ViolationDays is the period of closed violation files in days, the
	// replicas' data.SettingRetentionViolations
	// (data.DefaultRetentionViolations unless the district changed it). 0
	// turns the rule off: no file is purged for age (files purged earlier
	// stay out). That is the zero value; qrward-hub always sets it.
	ViolationDays int
	// OfflineDays is the longest a device may stay offline: tombstones,
	// people the purge retired and the keys of purged violation files are
	// kept this long; 0 means DefaultOfflineDays.
	OfflineDays int
}

// DefaultOfflineDays is the longest offline period assumed when none is set.
const DefaultOfflineDays = 60

func (r Retention) offline() time.Duration {
	d := r.OfflineDays
	if d < 1 {
		d = DefaultOfflineDays
	}
	return time.Duration(d) * 24 * time.Hour
}

func (h *Hub) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// checkinCutoff is the unix time before which check-in class rows are past
// retention now (the smallest time when the rule is off).
func (h *Hub) checkinCutoff() int64 {
	if h.Retention.CheckinDays < 1 {
		return math.MinInt64
	}
	return data.CheckinRetentionCutoff(h.now(), h.Retention.CheckinDays).Unix()
}

// purgeLockKey is the district's advisory lock: pushes hold it shared, the
// step that retires people holds it alone, so a person is never retired
// while a push naming them is committing.
func (h *Hub) purgeLockKey() int64 {
	sum := sha256.Sum256([]byte("qrward-purge:" + h.District))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// retentionOf reads a row's retention time (check-in class tables:
// data.CheckinRetained) and the person it keeps (data.PersonReferences).
func retentionOf(table string, names []string, vals syncproto.Values) (retain *int64, person []byte) {
	timeCol, timed := data.CheckinRetained[table]
	personCol, refers := data.PersonReferences[table]
	if !timed && !refers {
		return nil, nil
	}
	for i, n := range names {
		if i >= len(vals) {
			break
		}
		switch {
		case timed && n == timeCol:
			if v, ok := vals[i].(int64); ok {
				retain = &v
			}
		case refers && n == personCol:
			if v, ok := vals[i].([]byte); ok && len(v) > 0 {
				person = v
			}
		}
	}
	return retain, person
}

// PurgeResult counts what a purge removed.
type PurgeResult struct {
	Cutoff time.Time `json:"cutoff"`
	// ViolationCutoff is the cut of closed violation files (zero when
	// that rule is off).
	ViolationCutoff time.Time `json:"violation_cutoff"`
	// Rows are the rows deleted for age, per table: the check-in class,
	// then the violation files' violation, violation_event and document.
	Rows map[string]int64 `json:"rows"`
	// Violations are the closed violation files deleted (Rows["violation"]),
	// the count a replica's purge reports.
	Violations int64 `json:"violations"`
	// People were named only by purged rows: they leave every stream and
	// are held for the offline period (a late push naming one brings them
	// back), then Erased.
	People     int64 `json:"people"`
	Erased     int64 `json:"erased"`
	Tombstones int64 `json:"tombstones"`
	Backfilled int64 `json:"backfilled,omitempty"`
}

// Purge applies the retention rule (h.Retention) to the district's rows:
// check-in class rows older than the check-in period and closed violation
// files older than theirs go (not as tombstones: devices purge by the same
// rule), then the people nothing refers to any more leave the streams,
// people retired longer ago than the offline period are erased, and
// tombstones older than the offline period are removed (raising their
// ward's horizon). It is safe to run at any
// time and from several processes.
func (h *Hub) Purge(ctx context.Context) (PurgeResult, error) {
	now := h.now()
	res := PurgeResult{Rows: map[string]int64{}}
	if h.Retention.CheckinDays > 0 {
		res.Cutoff = data.CheckinRetentionCutoff(now, h.Retention.CheckinDays)
	}
	if h.Retention.ViolationDays > 0 {
		res.ViolationCutoff = data.ViolationRetentionCutoff(now, h.Retention.ViolationDays)
	}
	var err error
	if res.Backfilled, err = h.backfillRetention(ctx); err != nil {
		return res, err
	}
	if err := h.StampAll(ctx); err != nil {
		return res, err
	}
	rows, err := h.pool.Query(ctx, `SELECT ward FROM ward_stream WHERE district = $1 ORDER BY ward`, h.District)
	if err != nil {
		return res, err
	}
	wards, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return res, err
	}
	tables := make([]string, 0, len(data.CheckinRetained))
	for t := range data.CheckinRetained {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	if h.Retention.CheckinDays > 0 {
		// One statement for the district: a single pass over its rows (no
		// index on retain_at, so pushes pay nothing; a chunked or per-ward
		// delete would scan once per chunk or ward). The daily purge
		// removes one day's rows.
		err := pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `WITH d AS (
					DELETE FROM sync_row WHERE district = $1 AND ward = ANY($2) AND tbl = ANY($3) AND retain_at < $4
					RETURNING ward, tbl, id, person_ref),
				c AS (INSERT INTO purge_candidate(district, id)
					SELECT DISTINCT $1::text, person_ref FROM d WHERE person_ref IS NOT NULL
					ON CONFLICT DO NOTHING),
				r AS (DELETE FROM row_rev v USING d WHERE v.district = $1 AND v.ward = d.ward AND v.tbl = d.tbl AND v.id = d.id)
				SELECT tbl, COUNT(*) FROM d GROUP BY tbl`, h.District, wards, tables, h.checkinCutoff())
			if err != nil {
				return err
			}
			return addCounts(rows, res.Rows)
		})
		if err != nil {
			return res, err
		}
	}
	files, err := h.purgeViolationFiles(ctx, wards, now)
	if err != nil {
		return res, err
	}
	for tbl, c := range files {
		res.Rows[tbl] += c
	}
	res.Violations = files["violation"]
	if res.People, err = h.retirePeople(ctx, wards, now); err != nil {
		return res, err
	}
	tag, err := h.pool.Exec(ctx, `DELETE FROM retired_row WHERE district = $1 AND retired_at < $2`,
		h.District, now.Add(-h.Retention.offline()).Unix())
	if err != nil {
		return res, err
	}
	res.Erased = tag.RowsAffected()
	// So are the keys of purged violation files, on the same assumption.
	if _, err := h.pool.Exec(ctx, `DELETE FROM purged_row WHERE district = $1 AND purged_at < $2`,
		h.District, now.Add(-h.Retention.offline()).Unix()); err != nil {
		return res, err
	}
	// Tombstones of the whole district in one pass, each ward's horizon
	// raised past its own (PurgeTombstones does one ward).
	err = h.pool.QueryRow(ctx, `WITH d AS (DELETE FROM sync_row WHERE district = $1 AND ward = ANY($2)
			AND deleted_at IS NOT NULL AND change_seq IS NOT NULL AND hub_at < $3 RETURNING ward, tbl, id, change_seq),
		r AS (DELETE FROM row_rev v USING d WHERE v.district = $1 AND v.ward = d.ward AND v.tbl = d.tbl AND v.id = d.id),
		u AS (UPDATE ward_stream w SET horizon_seq = GREATEST(w.horizon_seq, m.top)
			FROM (SELECT ward, MAX(change_seq) AS top FROM d GROUP BY ward) m
			WHERE w.district = $1 AND w.ward = m.ward)
		SELECT COUNT(*) FROM d`, h.District, wards, now.Add(-h.Retention.offline())).Scan(&res.Tombstones)
	// Cached ward files may hold what was just purged.
	h.WardFiles.Invalidate()
	return res, err
}

// retirePeople moves the candidate people nothing refers to any more out
// of the streams into retired_row. The whole step holds the district's
// purge lock alone, so no push naming a candidate commits meanwhile.
func (h *Hub) retirePeople(ctx context.Context, wards []string, now time.Time) (int64, error) {
	var pending bool
	if err := h.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM purge_candidate WHERE district = $1)`, h.District).
		Scan(&pending); err != nil || !pending {
		return 0, err
	}
	var n int64
	err := pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, h.purgeLockKey()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE purge_cand (id bytea PRIMARY KEY) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `WITH x AS (DELETE FROM purge_candidate WHERE district = $1 RETURNING id)
			INSERT INTO purge_cand SELECT id FROM x ON CONFLICT DO NOTHING`, h.District); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `ANALYZE purge_cand`); err != nil {
			return err
		}
		// One pass over the referring rows (a hash anti-join): person_ref
		// has no index, which keeps pushes as cheap as before.
		return tx.QueryRow(ctx, `WITH gone AS (
				DELETE FROM sync_row p USING purge_cand c
				WHERE p.district = $1 AND p.ward = ANY($2) AND p.tbl = 'person' AND p.id = c.id
					AND NOT EXISTS (SELECT 1 FROM sync_row r WHERE r.district = $1 AND r.person_ref = c.id)
				RETURNING p.ward, p.id, p.version, p.deleted_at, p.schema_id, p.body, p.field_ver),
			kept AS (INSERT INTO retired_row(district, tbl, id, ward, version, deleted_at, schema_id, body, field_ver, retired_at)
				SELECT $1, 'person', id, ward, version, deleted_at, schema_id, body, field_ver, $3 FROM gone
				ON CONFLICT (district, tbl, id, ward) DO UPDATE SET version = excluded.version,
					deleted_at = excluded.deleted_at, schema_id = excluded.schema_id, body = excluded.body,
					field_ver = excluded.field_ver, retired_at = excluded.retired_at),
			revs AS (DELETE FROM row_rev v USING gone WHERE v.district = $1 AND v.ward = gone.ward
				AND v.tbl = 'person' AND v.id = gone.id)
			SELECT COUNT(*) FROM gone`, h.District, wards, now.Unix()).Scan(&n)
	})
	return n, err
}

// restoreRetired brings back retired people that rows being stored name
// (or that are themselves pushed again): a device that was offline still
// refers to them. It runs inside a push, under the shared purge lock, and
// returns the wards that got rows back.
func (h *Hub) restoreRetired(ctx context.Context, tx pgx.Tx, ins []*incoming) ([]string, error) {
	var any bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM retired_row WHERE district = $1)`, h.District).Scan(&any); err != nil || !any {
		return nil, err
	}
	seen := map[string]bool{}
	var ids [][]byte
	add := func(id []byte) {
		if len(id) > 0 && !seen[string(id)] {
			seen[string(id)] = true
			ids = append(ids, id)
		}
	}
	for _, in := range ins {
		add(in.personRef)
		if in.table.Name == "person" {
			add(in.id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `WITH r AS (DELETE FROM retired_row WHERE district = $1 AND tbl = 'person' AND id = ANY($2)
			RETURNING ward, tbl, id, version, deleted_at, schema_id, body, field_ver, person_ref)
		INSERT INTO sync_row(district, ward, tbl, id, version, deleted_at, schema_id, body, field_ver, person_ref)
		SELECT $1, ward, tbl, id, version, deleted_at, schema_id, body, field_ver, person_ref FROM r
		ON CONFLICT (district, ward, tbl, id) DO NOTHING
		RETURNING ward`, h.District, ids)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// backfillRetention fills retain_at and person_ref of rows written before
// hub migration 2, once per district.
func (h *Hub) backfillRetention(ctx context.Context) (int64, error) {
	const job = "retention_columns"
	var done bool
	if err := h.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hub_job WHERE district = $1 AND name = $2)`,
		h.District, job).Scan(&done); err != nil || done {
		return 0, err
	}
	set := map[string]bool{}
	for t := range data.CheckinRetained {
		set[t] = true
	}
	for t := range data.PersonReferences {
		set[t] = true
	}
	var tables []string
	for t := range set {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	rows, err := h.pool.Query(ctx, `SELECT ward, tbl, id, version, schema_id, body FROM sync_row
		WHERE district = $1 AND tbl = ANY($2) AND retain_at IS NULL AND person_ref IS NULL`, h.District, tables)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		wards, tbls []string
		ids, refs   [][]byte
		vers        []int64
		retains     []*int64
		total       int64
	)
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		tag, err := h.pool.Exec(ctx, `UPDATE sync_row r SET retain_at = u.retain_at, person_ref = u.person_ref
			FROM unnest($2::text[], $3::text[], $4::bytea[], $5::bigint[], $6::bigint[], $7::bytea[])
				AS u(ward, tbl, id, version, retain_at, person_ref)
			WHERE r.district = $1 AND r.ward = u.ward AND r.tbl = u.tbl AND r.id = u.id AND r.version = u.version
				AND r.retain_at IS NULL AND r.person_ref IS NULL`, h.District, wards, tbls, ids, vers, retains, refs)
		if err != nil {
			return err
		}
		total += tag.RowsAffected()
		wards, tbls, ids, refs, vers, retains = wards[:0], tbls[:0], ids[:0], refs[:0], vers[:0], retains[:0]
		return nil
	}
	for rows.Next() {
		var ward, tbl string
		var id, body []byte
		var ver, sid int64
		if err := rows.Scan(&ward, &tbl, &id, &ver, &sid, &body); err != nil {
			return total, err
		}
		names, vals, err := h.decodeRow(ctx, sid, body)
		if err != nil {
			return total, err
		}
		retain, ref := retentionOf(tbl, names, vals)
		if retain == nil && ref == nil {
			continue
		}
		wards, tbls, ids, vers, retains, refs = append(wards, ward), append(tbls, tbl), append(ids, id),
			append(vers, ver), append(retains, retain), append(refs, ref)
		if len(ids) == 5000 {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return total, err
	}
	if err := flush(); err != nil {
		return total, err
	}
	_, err = h.pool.Exec(ctx, `INSERT INTO hub_job(district, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, h.District, job)
	return total, err
}

// RunPurger purges at once and then every interval until ctx ends,
// handing each result (or error) to report.
func (h *Hub) RunPurger(ctx context.Context, every time.Duration, report func(PurgeResult, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		res, err := h.Purge(ctx)
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			return
		}
		if report != nil {
			report(res, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// addCounts adds (table, count) rows to into.
func addCounts(rows pgx.Rows, into map[string]int64) error {
	defer rows.Close()
	for rows.Next() {
		var tbl string
		var c int64
		if err := rows.Scan(&tbl, &c); err != nil {
			return err
		}
		into[tbl] += c
	}
	return rows.Err()
}
