package hub

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"qrward/data"
	"qrward/data/syncproto"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Hub serves one district from a PostgreSQL database.
type Hub struct {
	District string
	pool     *pgxpool.Pool
	keys     *syncproto.Keys

	schemaMu sync.RWMutex
	schemas  map[int64]schema

	// Retention is the district's retention rule (data/retention.go). The
	// zero value applies none (see Retention.CheckinDays); set it before
	// serving.
	Retention Retention
	// Now is the hub's clock for retention decisions (tests replace it);
	// nil is time.Now.
	Now func() time.Time
	// WardFiles, when set, serves new devices whole ward files
	// (GET /v1/wardfile); nil offers none and devices load the snapshot
	// stream.
	WardFiles *WardFiles
}

type schema struct {
	table string
	names []string
}

// Open connects to PostgreSQL (a libpq URL or key=value string), applies
// the hub's migrations and loads (creating on first use) the district's
// keys.
func Open(ctx context.Context, dsn, district string) (*Hub, error) {
	if district == "" {
		return nil, data.Errorf(data.EInvalid, "err.hub_district_required")
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, &data.Error{Code: data.EInternal, Key: "err.hub_connect", Err: err}
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, &data.Error{Code: data.EInternal, Key: "err.hub_connect", Err: err}
	}
	h := &Hub{District: district, pool: pool, schemas: map[int64]schema{}}
	if err := h.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := h.loadIdentity(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return h, nil
}

// Close releases the connections.
func (h *Hub) Close() { h.pool.Close() }

// Pool is the connection pool (tools and tests).
func (h *Hub) Pool() *pgxpool.Pool { return h.pool }

// Migrate applies pending embedded migrations, each in its own
// transaction under an advisory lock so two hub processes starting
// together do not race.
func (h *Hub) Migrate(ctx context.Context) error {
	conn, err := h.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(4242001)`); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock(4242001)`)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS hub_migrations (
		version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	var current int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM hub_migrations`).Scan(&current); err != nil {
		return err
	}
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return fmt.Errorf("hub migration %s: name must start with NNNN_", e.Name())
		}
		if v <= current {
			continue
		}
		body, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("hub migration %s: %w", e.Name(), err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO hub_migrations(version, name) VALUES ($1, $2)`, v, e.Name())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (h *Hub) loadIdentity(ctx context.Context) error {
	k, err := syncproto.NewKeys()
	if err != nil {
		return err
	}
	if _, err := h.pool.Exec(ctx, `INSERT INTO hub_identity(district, keys) VALUES ($1, $2)
		ON CONFLICT (district) DO NOTHING`, h.District, k.Marshal()); err != nil {
		return err
	}
	var text string
	if err := h.pool.QueryRow(ctx, `SELECT keys FROM hub_identity WHERE district = $1`, h.District).Scan(&text); err != nil {
		return err
	}
	h.keys, err = syncproto.ParseKeys(text)
	return err
}

// Keys is the hub's sync identity for its district.
func (h *Hub) Keys() *syncproto.Keys { return h.keys }

// Sender names the hub in bundle headers.
func (h *Hub) Sender() string { return "hub:" + h.District }

// hubDeviceID is the device_id of rows the hub creates (conflicts).
func (h *Hub) hubDeviceID() []byte {
	sum := sha256.Sum256([]byte("qrward-hub:" + h.District))
	return sum[:16]
}

// schemaID is the id of a column list: a hash, so no sequence is needed
// and every hub computes the same one.
func schemaID(table string, names []string) int64 {
	sum := sha256.Sum256([]byte(table + "\x00" + strings.Join(names, "\x00")))
	return int64(binary.BigEndian.Uint64(sum[:8]) >> 1)
}

// ensureSchema records a column list once.
func (h *Hub) ensureSchema(ctx context.Context, q querier, table string, names []string) (int64, error) {
	id := schemaID(table, names)
	h.schemaMu.RLock()
	_, ok := h.schemas[id]
	h.schemaMu.RUnlock()
	if ok {
		return id, nil
	}
	if _, err := q.Exec(ctx, `INSERT INTO col_schema(id, tbl, names) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
		id, table, names); err != nil {
		return 0, err
	}
	h.schemaMu.Lock()
	h.schemas[id] = schema{table, append([]string{}, names...)}
	h.schemaMu.Unlock()
	return id, nil
}

// schema returns a column list by id.
func (h *Hub) schema(ctx context.Context, id int64) (schema, error) {
	h.schemaMu.RLock()
	s, ok := h.schemas[id]
	h.schemaMu.RUnlock()
	if ok {
		return s, nil
	}
	if err := h.pool.QueryRow(ctx, `SELECT tbl, names FROM col_schema WHERE id = $1`, id).Scan(&s.table, &s.names); err != nil {
		return s, fmt.Errorf("column list %d: %w", id, err)
	}
	h.schemaMu.Lock()
	h.schemas[id] = s
	h.schemaMu.Unlock()
	return s, nil
}

// decodeRow reads a stored body with its column list.
func (h *Hub) decodeRow(ctx context.Context, sid int64, body []byte) ([]string, syncproto.Values, error) {
	sc, err := h.schema(ctx, sid)
	if err != nil {
		return nil, nil, err
	}
	vals, err := syncproto.DecodeValues(body)
	return sc.names, vals, err
}

type querier interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}

// ErrResync is returned by Pull when the cursor is 0 or older than the
// tombstone horizon: the device must load a snapshot instead.
var ErrResync = &data.Error{Code: data.EConflict, Key: syncproto.ResyncKey}

func isResync(err error) bool { return errors.Is(err, ErrResync) }
