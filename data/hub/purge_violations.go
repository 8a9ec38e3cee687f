package hub

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/syncproto"
)

// Retention of closed violation files. Every replica deletes a closed
// violation found before the violation period's cutoff, with its events
// and the documents issued for it (data/sqlite retention.go); the hub
// deletes the same rows from its copy. Unlike check-ins the rule reads a
// status that changes, so no column filled at write time can say when a
// file expires: the purge decodes the violations (a few per venue), and
// their events and documents only when some file expires. The files name
// no person (data.PersonReferences), so no one becomes a candidate.
//
// A purged row's key goes to purged_row (migration 3). The push, the only
// path that writes these tables, skips a pushed row whose key is there,
// and holds back a new event or document of a purged violation, adding
// its key (holdPurged). Both are acknowledged, not stored, like a
// check-in past retention. This is done in Go rather than by a trigger
// (dropped in migration 4): the distributed engines the hub is meant to
// run on restrict triggers on distributed tables (docs/SCALING.md).

// rowsQuerier is a pool or a transaction.
type rowsQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// fileKey is one stored row of a violation file.
type fileKey struct {
	ward, tbl string
	id        []byte
}

// purgeViolationFiles deletes the district's closed violation files found
// before the cutoff, returning the rows deleted per table.
func (h *Hub) purgeViolationFiles(ctx context.Context, wards []string, now time.Time) (map[string]int64, error) {
	if h.Retention.ViolationDays < 1 {
		return nil, nil
	}
	cutoff := data.ViolationRetentionCutoff(now, h.Retention.ViolationDays).Unix()
	// A look without the lock first: most runs find nothing, and pushes
	// need not wait for them.
	expired, err := h.expiredViolations(ctx, h.pool, wards, cutoff)
	if err != nil || len(expired) == 0 {
		return nil, err
	}
	counts := map[string]int64{}
	err = pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
		// Alone: no push commits a new event or document of a file between
		// the reads and the delete, and every later push sees the keys.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, h.purgeLockKey()); err != nil {
			return err
		}
		expired, err := h.expiredViolations(ctx, tx, wards, cutoff)
		if err != nil || len(expired) == 0 {
			return err
		}
		keys := make([]fileKey, 0, len(expired))
		ids := map[string]bool{}
		for _, k := range expired {
			keys = append(keys, k)
			ids[string(k.id)] = true
		}
		parts := make([]string, 0, len(data.ViolationFileParts))
		for t := range data.ViolationFileParts {
			parts = append(parts, t)
		}
		sort.Strings(parts)
		err = h.decodeRows(ctx, tx, wards, parts, func(k fileKey, names []string, vals syncproto.Values) {
			if ref, ok := valueNamed(names, vals, data.ViolationFileParts[k.tbl]).([]byte); ok && ids[string(ref)] {
				keys = append(keys, k)
			}
		})
		if err != nil {
			return err
		}
		var kw, kt []string
		var ki [][]byte
		for _, k := range keys {
			kw, kt, ki = append(kw, k.ward), append(kt, k.tbl), append(ki, k.id)
		}
		// Deleted with their past versions and not as tombstones (every
		// replica purges them by the same rule); their keys are kept.
		rows, err := tx.Query(ctx, `WITH k AS (SELECT * FROM unnest($2::text[], $3::text[], $4::bytea[]) AS k(ward, tbl, id)),
				d AS (DELETE FROM sync_row s USING k WHERE s.district = $1 AND s.ward = k.ward AND s.tbl = k.tbl AND s.id = k.id
					RETURNING s.ward, s.tbl, s.id),
				r AS (DELETE FROM row_rev v USING d WHERE v.district = $1 AND v.ward = d.ward AND v.tbl = d.tbl AND v.id = d.id),
				p AS (INSERT INTO purged_row(district, tbl, id, purged_at) SELECT DISTINCT $1::text, tbl, id, $5::bigint FROM d
					ON CONFLICT (district, tbl, id) DO UPDATE SET purged_at = excluded.purged_at)
			SELECT tbl, COUNT(*) FROM d GROUP BY tbl`, h.District, kw, kt, ki, now.Unix())
		if err != nil {
			return err
		}
		return addCounts(rows, counts)
	})
	return counts, err
}

// expiredViolations finds the district's closed violations found before
// cutoff (unix seconds): the replicas' status = 'closed' AND found_at < cutoff,
// tombstones included.
func (h *Hub) expiredViolations(ctx context.Context, q rowsQuerier, wards []string, cutoff int64) ([]fileKey, error) {
	var out []fileKey
	err := h.decodeRows(ctx, q, wards, []string{"violation"}, func(k fileKey, names []string, vals syncproto.Values) {
		status, _ := valueNamed(names, vals, "status").(string)
		found, ok := valueNamed(names, vals, "found_at").(int64)
		if status == inspect.StatusClosed && ok && found < cutoff {
			out = append(out, k)
		}
	})
	return out, err
}

// decodeRows hands every stored row (tombstones too) of tables in wards
// to fn with its column names and values.
func (h *Hub) decodeRows(ctx context.Context, q rowsQuerier, wards, tables []string,
	fn func(k fileKey, names []string, vals syncproto.Values)) error {
	rows, err := q.Query(ctx, `SELECT ward, tbl, id, schema_id, body FROM sync_row
		WHERE district = $1 AND ward = ANY($2) AND tbl = ANY($3)`, h.District, wards, tables)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k fileKey
		var sid int64
		var body []byte
		if err := rows.Scan(&k.ward, &k.tbl, &k.id, &sid, &body); err != nil {
			return err
		}
		names, vals, err := h.decodeRow(ctx, sid, body)
		if err != nil {
			return err
		}
		fn(k, names, vals)
	}
	return rows.Err()
}

// valueNamed is the value of column name (nil when absent).
func valueNamed(names []string, vals syncproto.Values, name string) any {
	for i, n := range names {
		if n == name && i < len(vals) {
			return vals[i]
		}
	}
	return nil
}

// holdPurged runs inside a push, under the shared purge lock, before
// anything is stored, and returns the rows to store and how many it held
// back. It holds back every pushed row of violation, violation_event or
// document whose key is in purged_row (a device that still held the file
// pushed it), and every event or document of a purged violation (written
// by such a device), whose key it adds, so it stays out like the file's
// own rows. Storing either would ship it to devices that purged the file,
// which would keep it for good: their rule finds parts through the
// violation, which they no longer hold. One query per push (none without
// such rows); an insert only when a part is held for the first time.
func (h *Hub) holdPurged(ctx context.Context, tx pgx.Tx, ins []*incoming) ([]*incoming, int, error) {
	var tbls []string
	var ids, refs [][]byte
	seen := map[string]bool{}
	for _, in := range ins {
		t := in.table.Name
		col, part := data.ViolationFileParts[t]
		if t != "violation" && !part {
			continue
		}
		var ref []byte // the violation a part belongs to (NULL: none)
		if part {
			ref = in.blob(col)
		}
		// Once per key and violation: a batch may carry several versions.
		if k := t + "\x00" + string(in.id) + "\x00" + string(ref); !seen[k] {
			seen[k] = true
			tbls, ids, refs = append(tbls, t), append(ids, in.id), append(refs, ref)
		}
	}
	if len(ids) == 0 {
		return ins, 0, nil
	}
	// Both joins probe purged_row's primary key (at most one row each).
	rows, err := tx.Query(ctx, `SELECT u.tbl, u.id, o.id IS NULL
		FROM unnest($2::text[], $3::bytea[], $4::bytea[]) AS u(tbl, id, ref)
		LEFT JOIN purged_row o ON o.district = $1 AND o.tbl = u.tbl AND o.id = u.id
		LEFT JOIN purged_row v ON v.district = $1 AND v.tbl = 'violation' AND v.id = u.ref
		WHERE o.id IS NOT NULL OR v.id IS NOT NULL`, h.District, tbls, ids, refs)
	if err != nil {
		return nil, 0, err
	}
	type key struct{ tbl, id string }
	held := map[key]bool{}
	var newTbls []string
	var newIDs [][]byte
	for rows.Next() {
		var tbl string
		var id []byte
		var fresh bool
		if err := rows.Scan(&tbl, &id, &fresh); err != nil {
			rows.Close()
			return nil, 0, err
		}
		k := key{tbl, string(id)}
		if fresh && !held[k] {
			newTbls, newIDs = append(newTbls, tbl), append(newIDs, id)
		}
		held[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(held) == 0 {
		return ins, 0, nil
	}
	if len(newIDs) > 0 {
		// Kept for the offline period from now, like a purged file's keys.
		if _, err := tx.Exec(ctx, `INSERT INTO purged_row(district, tbl, id, purged_at)
			SELECT $1, tbl, id, $4 FROM unnest($2::text[], $3::bytea[]) AS u(tbl, id)
			ON CONFLICT DO NOTHING`, h.District, newTbls, newIDs, h.now().Unix()); err != nil {
			return nil, 0, err
		}
	}
	kept := ins[:0:0]
	n := 0
	for _, in := range ins {
		if held[key{in.table.Name, string(in.id)}] {
			n++
			continue
		}
		kept = append(kept, in)
	}
	return kept, n, nil
}
