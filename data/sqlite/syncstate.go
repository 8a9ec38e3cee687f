package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/protect"
	"qrward/data/syncproto"
)

// StreamState is the bookkeeping of one sync stream ("up", "down:<ward>").
type StreamState struct {
	Stream      string
	Cursor      int64
	StartedAt   *time.Time
	CompletedAt *time.Time
	Error       string
}

func streamCursor(ctx context.Context, tx *sql.Tx, stream string) (int64, error) {
	var c int64
	err := tx.QueryRowContext(ctx, `SELECT cursor FROM sync_state WHERE stream = ?`, stream).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return c, err
}

// setCursor moves a stream's cursor forward (never back) and marks it
// completed.
func setCursor(ctx context.Context, tx *sql.Tx, stream string, cursor, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_state(stream, cursor, completed_at, error) VALUES (?, ?, ?, '')
		ON CONFLICT(stream) DO UPDATE SET cursor = MAX(sync_state.cursor, excluded.cursor),
			completed_at = excluded.completed_at, error = ''`, stream, cursor, now)
	return err
}

// StreamCursor is a stream's cursor (0 when never synced).
func (s *Store) StreamCursor(ctx context.Context, stream string) (int64, error) {
	var c int64
	err := s.ro.QueryRowContext(ctx, `SELECT cursor FROM sync_state WHERE stream = ?`, stream).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return c, err
}

// SyncStates lists every stream's state, by name.
func (s *Store) SyncStates(ctx context.Context) ([]StreamState, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT stream, cursor, started_at, completed_at, error FROM sync_state ORDER BY stream`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StreamState
	for rows.Next() {
		var st StreamState
		var started, completed sql.NullInt64
		if err := rows.Scan(&st.Stream, &st.Cursor, &started, &completed, &st.Error); err != nil {
			return nil, err
		}
		st.StartedAt, st.CompletedAt = timePtr(started), timePtr(completed)
		out = append(out, st)
	}
	return out, rows.Err()
}

// MarkSyncStarted stamps a stream's start.
func (s *Store) MarkSyncStarted(ctx context.Context, stream string) error {
	_, err := s.rw.ExecContext(ctx, `INSERT INTO sync_state(stream, started_at) VALUES (?, ?)
		ON CONFLICT(stream) DO UPDATE SET started_at = excluded.started_at`, stream, s.Now().Unix())
	return err
}

// MarkSyncFailed records a stream's last error (a translated sentence,
// never personal data).
func (s *Store) MarkSyncFailed(ctx context.Context, stream, msg string) error {
	_, err := s.rw.ExecContext(ctx, `INSERT INTO sync_state(stream, error) VALUES (?, ?)
		ON CONFLICT(stream) DO UPDATE SET error = excluded.error`, stream, msg)
	return err
}

// SyncConfig is this device's link to its hub.
type SyncConfig struct {
	HubURL     string   `json:"hub_url"`
	CertSHA256 string   `json:"cert_sha256,omitempty"` // pinned hub certificate; empty = system CAs
	Token      string   `json:"-"`
	Keys       string   `json:"-"` // syncproto.Keys.Marshal()
	District   string   `json:"district"`
	Wards      []string `json:"wards"`
	Role       string   `json:"role"` // "ward" or "district"
	// The hub's identity, learnt at enrolment: bundles from it are checked
	// with HubSignPublic and bundles to it are encrypted to HubRecipient.
	HubSignPublic string `json:"hub_sign_public"`
	HubRecipient  string `json:"hub_recipient"`
	AutoSync      bool   `json:"auto_sync"`
}

// Enrolled reports whether the device has a hub credential.
func (c SyncConfig) Enrolled() bool { return c.HubURL != "" && c.Token != "" }

// HomeWard is the ward of rows that carry none (people): the first ward of
// the device's scope.
func (c SyncConfig) HomeWard() string {
	if len(c.Wards) == 0 {
		return ""
	}
	return c.Wards[0]
}

// The device's hub credential (the bearer token) and its private keys are
// sealed in sync_config with the replica's data key, bound to their name
// and to this device, so a copied replica file does not give away the
// device's access to the hub: they are readable only while a user is
// signed in. In set-up mode they stay in clear, as personal data does: the
// data key is then wrapped with no passphrase beside the data (sealing
// would protect nothing) and joining the district key may still replace it.
// Values stored in clear (enrolled in set-up mode, or by an older version)
// are sealed on the first read once set-up is over and a user is signed in.
var syncSecrets = map[string]bool{"token": true, "keys": true}

func syncSecretContext(s *Store, k string) string {
	return "sync_config|" + k + "|" + s.deviceID.String()
}

// syncSealKey is the data key when secrets are to be sealed: a user is
// signed in (so set-up is over). nil in set-up mode, when locked, and for
// token sessions (which never hold the data key).
func (s *Store) syncSealKey() *protect.DataKey {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.session == nil || s.session.Token != "" {
		return nil
	}
	return s.key
}

func (s *Store) sealSyncSecret(k, v string) (string, error) {
	if v == "" || !syncSecrets[k] || strings.HasPrefix(v, sealedTextPrefix) {
		return v, nil
	}
	if key := s.syncSealKey(); key != nil {
		return s.sealSyncWith(key, k, v), nil
	}
	if setup, err := s.SetupMode(context.Background()); err != nil || setup {
		return v, err
	}
	// Set-up is over and nobody is signed in: never write it in clear.
	return "", data.Errorf(data.EUnauthorized, "err.locked")
}

func (s *Store) sealSyncWith(key *protect.DataKey, k, v string) string {
	return sealedTextPrefix + base64.RawStdEncoding.EncodeToString(key.Seal([]byte(v), syncSecretContext(s, k)))
}

func (s *Store) openSyncSecret(k, v string) (string, error) {
	rest, ok := strings.CutPrefix(v, sealedTextPrefix)
	if !ok {
		return v, nil
	}
	key, err := s.dataKey()
	if err != nil {
		return "", err
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil {
		return "", &data.Error{Code: data.ECorrupt, Key: "err.key_damaged", Err: err}
	}
	plain, err := key.Open(b, syncSecretContext(s, k))
	if err != nil {
		return "", &data.Error{Code: data.ECorrupt, Key: "err.key_damaged", Err: err}
	}
	return string(plain), nil
}

// SyncConfig reads the device's hub settings (zero when not enrolled). The
// credential is sealed once set-up is over: reading it then needs a
// signed-in user (err.locked otherwise).
func (s *Store) SyncConfig(ctx context.Context) (SyncConfig, error) {
	c, clear, err := s.readSyncConfig(ctx)
	if err == nil && clear && s.syncSealKey() != nil {
		err = s.ProtectSyncConfig(ctx)
	}
	return c, err
}

func (s *Store) readSyncConfig(ctx context.Context) (SyncConfig, bool, error) {
	var c SyncConfig
	clear := false
	rows, err := s.ro.QueryContext(ctx, `SELECT key, value FROM sync_config`)
	if err != nil {
		return c, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return c, false, err
		}
		if syncSecrets[k] && v != "" {
			if !strings.HasPrefix(v, sealedTextPrefix) {
				clear = true
			} else if v, err = s.openSyncSecret(k, v); err != nil {
				return SyncConfig{}, false, err
			}
		}
		switch k {
		case "hub_url":
			c.HubURL = v
		case "cert_sha256":
			c.CertSHA256 = v
		case "token":
			c.Token = v
		case "keys":
			c.Keys = v
		case "district":
			c.District = v
		case "wards":
			if v != "" {
				c.Wards = strings.Split(v, ",")
			}
		case "role":
			c.Role = v
		case "hub_sign_public":
			c.HubSignPublic = v
		case "hub_recipient":
			c.HubRecipient = v
		case "auto_sync":
			c.AutoSync = v == "1"
		}
	}
	return c, clear, rows.Err()
}

// ProtectSyncConfig seals the sync secrets still stored in clear. It
// needs a signed-in user and does nothing otherwise; SyncConfig calls it
// on its first read after set-up. secure_delete zeroes the clear values
// in the file and the WAL is truncated, so no copy of them is left.
func (s *Store) ProtectSyncConfig(ctx context.Context) error {
	key := s.syncSealKey()
	if key == nil {
		return nil
	}
	sealed := 0
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT key, value FROM sync_config WHERE key IN ('token', 'keys')`)
		if err != nil {
			return err
		}
		todo := map[string]string{}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			if v != "" && !strings.HasPrefix(v, sealedTextPrefix) {
				todo[k] = v
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for k, v := range todo {
			if _, err := tx.ExecContext(ctx, `UPDATE sync_config SET value = ? WHERE key = ?`, s.sealSyncWith(key, k, v), k); err != nil {
				return err
			}
			sealed++
		}
		if sealed == 0 {
			return nil
		}
		return s.audit(ctx, tx, s.actor(), "protect_sync_config", "sync_config", "", fmt.Sprintf(`{"values":%d}`, sealed))
	})
	if err != nil || sealed == 0 {
		return wrapDB(err, "protect sync config")
	}
	return s.Checkpoint(ctx)
}

// SetSyncConfig replaces the device's hub settings; the credential is
// sealed (see SyncConfig), and once set-up is over writing it needs a
// signed-in user.
func (s *Store) SetSyncConfig(ctx context.Context, c SyncConfig) error {
	auto := "0"
	if c.AutoSync {
		auto = "1"
	}
	token, err := s.sealSyncSecret("token", c.Token)
	if err != nil {
		return err
	}
	keys, err := s.sealSyncSecret("keys", c.Keys)
	if err != nil {
		return err
	}
	kv := map[string]string{"hub_url": c.HubURL, "cert_sha256": c.CertSHA256, "token": token, "keys": keys,
		"district": c.District, "wards": strings.Join(c.Wards, ","), "role": c.Role,
		"hub_sign_public": c.HubSignPublic, "hub_recipient": c.HubRecipient, "auto_sync": auto}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for k, v := range kv {
			if k == "keys" && v == "" {
				continue // the device's keys are never dropped by a settings save
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_config(key, value) VALUES (?, ?)
				ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeviceKeys returns the device's sync keys, creating them on first use.
func (s *Store) DeviceKeys(ctx context.Context) (*syncproto.Keys, error) {
	c, err := s.SyncConfig(ctx)
	if err != nil {
		return nil, err
	}
	if c.Keys != "" {
		return syncproto.ParseKeys(c.Keys)
	}
	k, err := syncproto.NewKeys()
	if err != nil {
		return nil, err
	}
	stored, err := s.sealSyncSecret("keys", k.Marshal())
	if err != nil {
		return nil, err
	}
	_, err = s.rw.ExecContext(ctx, `INSERT INTO sync_config(key, value) VALUES ('keys', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE sync_config.value = ''`, stored)
	if err != nil {
		return nil, err
	}
	c, err = s.SyncConfig(ctx) // another caller may have won the race
	if err != nil {
		return nil, err
	}
	return syncproto.ParseKeys(c.Keys)
}

// Conflict is a field changed both on the hub and on a device; the hub
// kept its value until a district user decides.
type Conflict struct {
	ID          data.ID
	Ward        string
	Table       string
	RowID       data.ID
	Field       string
	HubValue    any
	DeviceValue any
	BaseVersion int64
	HubVersion  int64
	FromDevice  data.ID
	Status      string // open, kept_hub, took_device
	ResolvedBy  string
	CreatedAt   time.Time
}

// Conflict statuses.
const (
	ConflictOpen       = "open"
	ConflictKeptHub    = "kept_hub"
	ConflictTookDevice = "took_device"
)

// Conflicts lists conflicts, newest first; openOnly leaves out resolved ones.
func (s *Store) Conflicts(ctx context.Context, openOnly bool) ([]Conflict, error) {
	q := `SELECT id, ward, tbl, row_id, field, hub_value, device_value, base_version, hub_version,
		from_device, status, resolved_by, created_at FROM sync_conflict WHERE deleted_at IS NULL`
	if openOnly {
		q += ` AND status = 'open'`
	}
	rows, err := s.ro.QueryContext(ctx, q+` ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		var hub, dev string
		var created int64
		if err := rows.Scan(&c.ID, &c.Ward, &c.Table, &c.RowID, &c.Field, &hub, &dev, &c.BaseVersion,
			&c.HubVersion, &c.FromDevice, &c.Status, &c.ResolvedBy, &created); err != nil {
			return nil, err
		}
		c.HubValue, c.DeviceValue = syncproto.DecodeValueJSON(hub), syncproto.DecodeValueJSON(dev)
		c.CreatedAt = time.Unix(created, 0)
		out = append(out, c)
	}
	return out, rows.Err()
}

type conflictChange struct {
	ID         data.ID `json:"id"`
	Status     string  `json:"status"`
	ResolvedBy string  `json:"resolved_by"`
	Version    int64   `json:"version"`
}

// ResolveConflict records a district user's decision: keep the hub's value
// or take the device's. The decision syncs up like any edit; the hub
// applies it and the winning value comes back down. Only a device enrolled
// with the district role may decide.
func (s *Store) ResolveConflict(ctx context.Context, id data.ID, takeDevice bool, user string) error {
	cfg, err := s.SyncConfig(ctx)
	if err != nil {
		return err
	}
	if cfg.Role != "district" {
		return data.Errorf(data.EUnauthorized, "err.sync_conflict_role")
	}
	status := ConflictKeptHub
	if takeDevice {
		status = ConflictTookDevice
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		res, err := tx.ExecContext(ctx, `UPDATE sync_conflict SET status = ?, resolved_by = ?, resolved_at = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND status = 'open'`, status, user, now, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return data.Errorf(data.ENotFound, "err.sync_conflict_not_found")
		}
		var version int64
		if err := tx.QueryRowContext(ctx, `SELECT version FROM sync_conflict WHERE id = ?`, id).Scan(&version); err != nil {
			return err
		}
		return recordChange(ctx, tx, syncproto.ConflictTable, id, "update", version,
			conflictChange{ID: id, Status: status, ResolvedBy: user, Version: version}, now)
	})
}

// SyncRowHashes digests every live synced row: table → row id (hex) →
// hash of its shipped columns. Two converged replicas, and the hub, agree.
// Tombstones are left out: a replica loaded from a snapshot never saw the
// rows deleted before it.
func (s *Store) SyncRowHashes(ctx context.Context) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, t := range syncproto.Tables() {
		cols, err := tableColumns(ctx, s.ro, t)
		if err != nil || len(cols) == 0 {
			continue
		}
		quoted := make([]string, len(cols))
		idAt := -1
		for i, c := range cols {
			quoted[i] = quoteIdent(c)
			if c == "id" {
				idAt = i
			}
		}
		rows, err := s.ro.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM `+quoteIdent(t.Name)+` WHERE deleted_at IS NULL`)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			for i, v := range vals {
				vals[i] = normalizeValue(v)
			}
			id, _ := vals[idAt].([]byte)
			m[fmt.Sprintf("%x", id)] = syncproto.RowHash(cols, vals)
		}
		rows.Close()
		if len(m) > 0 {
			out[t.Name] = m
		}
	}
	return out, nil
}
