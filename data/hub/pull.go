package hub

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"qrward/data"
	"qrward/data/syncproto"
)

// Stamp numbers a ward's committed, unnumbered rows. The ward's
// ward_stream row is locked for the whole step, so stampers of one ward run
// one after another and each commits its numbers before the next hands out
// higher ones: a reader never sees seq N+1 before seq N, which is what a
// plain sequence or a commit timestamp cannot promise. Within one step,
// parent tables come first.
func (h *Hub) Stamp(ctx context.Context, ward string) (int64, error) {
	var last int64
	err := pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO ward_stream(district, ward) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			h.District, ward); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT last_seq FROM ward_stream WHERE district = $1 AND ward = $2 FOR UPDATE`,
			h.District, ward).Scan(&last); err != nil {
			return err
		}
		// Read the unnumbered rows in stamping order, then number them by
		// primary key: two index-driven statements, the same plan on every
		// PostgreSQL-compatible engine (a joined UPDATE … FROM a window
		// query was planned as a quadratic loop: 9–15 s for 5,000 rows).
		rows, err := tx.Query(ctx, `SELECT tbl, id FROM sync_row WHERE district = $1 AND ward = $2 AND change_seq IS NULL
			ORDER BY COALESCE(array_position($3::text[], tbl), 1000), id`, h.District, ward, syncproto.TableNames())
		if err != nil {
			return err
		}
		var tbls []string
		var ids [][]byte
		var seqs []int64
		for rows.Next() {
			var t string
			var id []byte
			if err := rows.Scan(&t, &id); err != nil {
				rows.Close()
				return err
			}
			tbls, ids, seqs = append(tbls, t), append(ids, id), append(seqs, last+int64(len(seqs))+1)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		var top *int64
		err = tx.QueryRow(ctx, `WITH u AS (UPDATE sync_row r SET change_seq = u.seq
				FROM unnest($3::text[], $4::bytea[], $5::bigint[]) AS u(tbl, id, seq)
				WHERE r.district = $1 AND r.ward = $2 AND r.tbl = u.tbl AND r.id = u.id AND r.change_seq IS NULL
				RETURNING r.change_seq)
			SELECT MAX(change_seq) FROM u`, h.District, ward, tbls, ids, seqs).Scan(&top)
		if err != nil || top == nil {
			return err
		}
		last = *top
		_, err = tx.Exec(ctx, `UPDATE ward_stream SET last_seq = $3 WHERE district = $1 AND ward = $2`, h.District, ward, last)
		return err
	})
	return last, err
}

// StampAll stamps every ward with unnumbered rows (the background stamper).
func (h *Hub) StampAll(ctx context.Context) error {
	rows, err := h.pool.Query(ctx, `SELECT DISTINCT ward FROM sync_row WHERE district = $1 AND change_seq IS NULL`, h.District)
	if err != nil {
		return err
	}
	wards, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, w := range wards {
		if _, err := h.Stamp(ctx, w); err != nil {
			return err
		}
	}
	return nil
}

// RunStamper stamps every interval until ctx ends: rows written outside a
// push (imports, resolutions) reach the streams within a second.
func (h *Hub) RunStamper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.StampAll(ctx)
		}
	}
}

func (h *Hub) checkScope(dev *Device, ward string) error {
	if !dev.InScope(ward) {
		return &data.Error{Code: data.EUnauthorized, Key: "err.sync_scope_pull", Args: []any{ward}}
	}
	return nil
}

// streamState is a ward stream's last number and tombstone horizon.
func (h *Hub) streamState(ctx context.Context, q pgx.Tx, ward string) (last, horizon int64, err error) {
	row := h.pool.QueryRow
	if q != nil {
		row = q.QueryRow
	}
	err = row(ctx, `SELECT last_seq, horizon_seq FROM ward_stream WHERE district = $1 AND ward = $2`, h.District, ward).
		Scan(&last, &horizon)
	if err == pgx.ErrNoRows {
		return 0, 0, nil
	}
	return last, horizon, err
}

// Pull writes to enc the rows of ward changed after the cursor after, at
// most limit, in stream order: Header, then Columns and Row frames, then a
// Trailer with the next cursor. A cursor of 0 or one older than the
// tombstone horizon gets ErrResync: load a snapshot instead.
func (h *Hub) Pull(ctx context.Context, dev *Device, ward string, after int64, limit int, enc *syncproto.Encoder) error {
	if err := h.checkScope(dev, ward); err != nil {
		return err
	}
	if _, err := h.Stamp(ctx, ward); err != nil {
		return err
	}
	last, horizon, err := h.streamState(ctx, nil, ward)
	if err != nil {
		return err
	}
	if after <= 0 || after < horizon {
		return ErrResync
	}
	h.noteCursor(ctx, dev, ward, after)
	if err := enc.Encode(&syncproto.Frame{Header: &syncproto.Header{Direction: syncproto.Down, Kind: syncproto.KindPull,
		Sender: h.Sender(), District: h.District, SchemaVersion: syncproto.SchemaVersion, CreatedAt: time.Now().Unix(),
		Streams: []syncproto.StreamRange{{Ward: ward, From: after}}}}); err != nil {
		return err
	}
	rows, err := h.pool.Query(ctx, `SELECT tbl, change_seq, schema_id, body FROM sync_row
		WHERE district = $1 AND ward = $2 AND change_seq > $3 ORDER BY change_seq LIMIT $4`, h.District, ward, after, limit)
	if err != nil {
		return err
	}
	next, n, err := h.writeRows(ctx, rows, ward, after, enc)
	if err != nil {
		return err
	}
	return enc.Encode(&syncproto.Frame{Trailer: &syncproto.Trailer{NextAfter: next, HighWater: last, More: n == limit}})
}

// writeRows streams stored rows as frames, announcing each column list
// once; it returns the last seq written and the row count.
func (h *Hub) writeRows(ctx context.Context, rows pgx.Rows, ward string, after int64, enc *syncproto.Encoder) (int64, int, error) {
	defer rows.Close()
	sent := map[int64]bool{}
	next, n := after, 0
	var tbl string
	var seq, sid int64
	var body []byte
	for rows.Next() {
		if err := rows.Scan(&tbl, &seq, &sid, &body); err != nil {
			return 0, 0, err
		}
		if !sent[sid] {
			sc, err := h.schema(ctx, sid)
			if err != nil {
				return 0, 0, err
			}
			if err := enc.Encode(&syncproto.Frame{Columns: &syncproto.Columns{Table: sc.table, Names: sc.names}}); err != nil {
				return 0, 0, err
			}
			sent[sid] = true
		}
		if err := enc.Encode(&syncproto.Frame{Row: &syncproto.Row{Table: tbl, Ward: ward, Seq: seq, Raw: body}}); err != nil {
			return 0, 0, err
		}
		next, n = seq, n+1
	}
	return next, n, rows.Err()
}

// Snapshot writes every live row of ward as of one consistent moment, for
// a new device or one whose cursor is older than the tombstone horizon.
// The header's stream range ends at the sequence the device continues
// from.
func (h *Hub) Snapshot(ctx context.Context, dev *Device, ward string, enc *syncproto.Encoder) error {
	if err := h.checkScope(dev, ward); err != nil {
		return err
	}
	last, err := h.writeSnapshot(ctx, ward, enc)
	if err == nil {
		h.noteCursor(ctx, dev, ward, last)
	}
	return err
}

// writeSnapshot writes ward's snapshot stream (no scope check: Snapshot
// and the ward-file builder do theirs) and returns where it ends.
func (h *Hub) writeSnapshot(ctx context.Context, ward string, enc *syncproto.Encoder) (int64, error) {
	if _, err := h.Stamp(ctx, ward); err != nil {
		return 0, err
	}
	var last int64
	err := pgx.BeginTxFunc(ctx, h.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		last, _, err = h.streamState(ctx, tx, ward)
		if err != nil {
			return err
		}
		// The row count is only a hint for the device (is it worth dropping
		// indexes?): the stream length bounds it without a counting scan.
		count := last
		if err := enc.Encode(&syncproto.Frame{Header: &syncproto.Header{Direction: syncproto.Down, Kind: syncproto.KindSnapshot,
			Sender: h.Sender(), District: h.District, SchemaVersion: syncproto.SchemaVersion, CreatedAt: time.Now().Unix(),
			Rows: count, Streams: []syncproto.StreamRange{{Ward: ward, To: last, Snapshot: true}}}}); err != nil {
			return err
		}
		if err := h.snapshotRows(ctx, tx, ward, last, enc); err != nil {
			return err
		}
		return enc.Encode(&syncproto.Frame{Trailer: &syncproto.Trailer{NextAfter: last, HighWater: last}})
	})
	return last, err
}

func (h *Hub) snapshotRows(ctx context.Context, tx pgx.Tx, ward string, last int64, enc *syncproto.Encoder) error {
	rows, err := tx.Query(ctx, `SELECT tbl, change_seq, schema_id, body FROM sync_row
		WHERE district = $1 AND ward = $2 AND change_seq <= $3 AND deleted_at IS NULL ORDER BY change_seq`, h.District, ward, last)
	if err != nil {
		return err
	}
	_, _, err = h.writeRows(ctx, rows, ward, 0, enc)
	return err
}

// noteCursor remembers what a device holds of a ward (where its next down
// bundle starts). Best effort: it only saves bytes on the next bundle.
func (h *Hub) noteCursor(ctx context.Context, dev *Device, ward string, cursor int64) {
	h.pool.Exec(ctx, `INSERT INTO device_cursor(district, device_id, ward, cursor) VALUES ($1, $2, $3, $4)
		ON CONFLICT (district, device_id, ward) DO UPDATE SET cursor = excluded.cursor`, h.District, dev.ID[:], ward, cursor)
}

// PurgeTombstones removes tombstones last changed before cutoff (older
// than the longest time a device may stay offline) and raises the
// horizon: a device whose cursor is below it reloads a snapshot, as it
// would otherwise miss those deletes. It returns how many it removed.
func (h *Hub) PurgeTombstones(ctx context.Context, ward string, cutoff time.Time) (int64, error) {
	var purged int64
	err := pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
		var top *int64
		err := tx.QueryRow(ctx, `WITH d AS (DELETE FROM sync_row WHERE district = $1 AND ward = $2
			AND deleted_at IS NOT NULL AND change_seq IS NOT NULL AND hub_at < $3 RETURNING tbl, id, change_seq),
			r AS (DELETE FROM row_rev v USING d WHERE v.district = $1 AND v.ward = $2 AND v.tbl = d.tbl AND v.id = d.id)
			SELECT COUNT(*), MAX(change_seq) FROM d`, h.District, ward, cutoff).Scan(&purged, &top)
		if err != nil || top == nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE ward_stream SET horizon_seq = GREATEST(horizon_seq, $3)
			WHERE district = $1 AND ward = $2`, h.District, ward, *top)
		return err
	})
	return purged, err
}
