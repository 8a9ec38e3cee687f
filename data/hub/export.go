package hub

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"qrward/data/syncproto"
)

// UpstreamTables are exported to the city/national system by default:
// venue data and check-ins. Check-ins name people by an opaque id only;
// the person table stays in the district unless asked for explicitly.
var UpstreamTables = []string{"venue", "checkin"}

// ExportOptions select an upstream export.
type ExportOptions struct {
	Tables []string         // default UpstreamTables
	Wards  []string         // default every ward of the district
	After  map[string]int64 // per ward: export rows changed after this seq (incremental exports)
}

// UpstreamRecord is one line of the upstream export (NDJSON): a row as a
// JSON object of its columns. Ids (16-byte blobs in id and *_id columns)
// are UUID text, other blobs base64, times unix seconds as stored.
type UpstreamRecord struct {
	Table   string         `json:"table"`
	Ward    string         `json:"ward"`
	Seq     int64          `json:"seq"`
	Deleted bool           `json:"deleted,omitempty"`
	Row     map[string]any `json:"row"`
}

// UpstreamEnd is the last line: how many records, and per ward the seq to
// pass as After next time.
type UpstreamEnd struct {
	Count     int64            `json:"count"`
	HighWater map[string]int64 `json:"high_water"`
}

// ExportUpstream writes the upstream export as NDJSON, ward by ward in
// stream order, ending with an UpstreamEnd line.
func (h *Hub) ExportUpstream(ctx context.Context, w io.Writer, opt ExportOptions) (*UpstreamEnd, error) {
	if len(opt.Tables) == 0 {
		opt.Tables = UpstreamTables
	}
	if len(opt.Wards) == 0 {
		if err := h.StampAll(ctx); err != nil {
			return nil, err
		}
		rows, err := h.pool.Query(ctx, `SELECT ward FROM ward_stream WHERE district = $1 ORDER BY ward`, h.District)
		if err != nil {
			return nil, err
		}
		if opt.Wards, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return nil, err
		}
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	end := &UpstreamEnd{HighWater: map[string]int64{}}
	for _, ward := range opt.Wards {
		if _, err := h.Stamp(ctx, ward); err != nil {
			return nil, err
		}
		after := opt.After[ward]
		end.HighWater[ward] = after
		rows, err := h.pool.Query(ctx, `SELECT tbl, change_seq, schema_id, body, deleted_at IS NOT NULL FROM sync_row
			WHERE district = $1 AND ward = $2 AND change_seq > $3 AND tbl = ANY($4) ORDER BY change_seq`,
			h.District, ward, after, opt.Tables)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var rec UpstreamRecord
			var sid int64
			var body []byte
			if err := rows.Scan(&rec.Table, &rec.Seq, &sid, &body, &rec.Deleted); err != nil {
				rows.Close()
				return nil, err
			}
			m, err := h.rowMap(ctx, sid, body)
			if err != nil {
				rows.Close()
				return nil, err
			}
			for k, v := range m {
				if b, ok := v.([]byte); ok {
					if len(b) == 16 && (k == "id" || strings.HasSuffix(k, "_id")) {
						m[k] = uuid.UUID(b).String()
					} else {
						m[k] = base64.StdEncoding.EncodeToString(b)
					}
				}
			}
			rec.Ward, rec.Row = ward, m
			if err := enc.Encode(rec); err != nil {
				rows.Close()
				return nil, err
			}
			end.Count++
			end.HighWater[ward] = rec.Seq
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if err := enc.Encode(end); err != nil {
		return nil, err
	}
	return end, bw.Flush()
}

// RowHashes digests every live stored row like sqlite.Store.SyncRowHashes:
// table → row id (hex) → content hash (tests and `qrward-hub verify`).
func (h *Hub) RowHashes(ctx context.Context, wards []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	rows, err := h.pool.Query(ctx, `SELECT tbl, id, schema_id, body FROM sync_row WHERE district = $1 AND ward = ANY($2) AND deleted_at IS NULL`, h.District, wards)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var tbl string
		var id, body []byte
		var sid int64
		if err := rows.Scan(&tbl, &id, &sid, &body); err != nil {
			return nil, err
		}
		names, vals, err := h.decodeRow(ctx, sid, body)
		if err != nil {
			return nil, err
		}
		if out[tbl] == nil {
			out[tbl] = map[string]string{}
		}
		out[tbl][hex.EncodeToString(id)] = syncproto.RowHash(names, vals)
	}
	return out, rows.Err()
}
