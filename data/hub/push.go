package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"qrward/data"
	"qrward/data/syncproto"
)

// PushBatch is a slice of a device's outbox: rows with their column lists,
// covering device seqs FromSeq..ToSeq.
type PushBatch struct {
	FromSeq, ToSeq int64
	Columns        map[string][]string
	Rows           []syncproto.Row
	// Gapless refuses a batch that starts after the acknowledged seq + 1
	// (an up bundle imported before an earlier one).
	Gapless bool
}

// PushResult is the acknowledgement of a batch.
type PushResult struct {
	AckedSeq  int64
	Applied   int
	Conflicts int
	Already   bool // every entry had been acknowledged before
	// Expired rows were past retention (a device that had not purged yet,
	// or was offline), or belong to a purged violation file (holdPurged):
	// acknowledged, not stored.
	Expired int
}

// fieldVer says which version last changed a field and which device did.
type fieldVer struct {
	V int64  `json:"v"`
	D string `json:"d"`
}

// incoming is a validated pushed row.
type incoming struct {
	table  syncproto.Table
	ward   string
	id     []byte
	ver    int64
	del    *int64
	names  []string
	values syncproto.Values
	base   int64
	// retainAt and personRef feed the retention purge (purge.go).
	retainAt  *int64
	personRef []byte
}

// Push applies a batch from a device in one transaction and acknowledges
// its last seq. Entries already acknowledged are skipped, so a retry after
// a lost answer changes nothing. Every row must be in the device's wards;
// one row outside refuses the whole batch. Events are inserted (a newer
// version replaces an older one); mutable rows merge field by field.
func (h *Hub) Push(ctx context.Context, dev *Device, b *PushBatch) (PushResult, error) {
	var res PushResult
	ins, err := h.validate(dev, b)
	if err != nil {
		return res, err
	}
	wards := map[string]bool{}
	cutoff := h.checkinCutoff()
	err = pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
		// Shared: many pushes at once, but never beside the purge step that
		// retires people (purge.go).
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, h.purgeLockKey()); err != nil {
			return err
		}
		var acked int64
		if err := tx.QueryRow(ctx, `SELECT acked_seq FROM device WHERE district = $1 AND id = $2 FOR UPDATE`,
			h.District, dev.ID[:]).Scan(&acked); err != nil {
			return err
		}
		res.AckedSeq = acked
		if b.ToSeq <= acked {
			res.Already = true
			return nil
		}
		if b.Gapless && b.FromSeq > acked+1 {
			return &data.Error{Code: data.EConflict, Key: "err.sync_up_gap", Args: []any{acked, b.FromSeq}}
		}
		// Rows past retention are not stored: the hub purged them (or will),
		// every replica purges them by the same rule, and storing one again
		// would bring it back to every device. The people they name are
		// checked by the next purge.
		kept := ins[:0:0]
		var orphans [][]byte
		for _, in := range ins {
			if in.retainAt != nil && *in.retainAt < cutoff {
				res.Expired++
				if in.personRef != nil {
					orphans = append(orphans, in.personRef)
				}
				continue
			}
			kept = append(kept, in)
		}
		if len(orphans) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO purge_candidate(district, id) SELECT $1, unnest($2::bytea[])
				ON CONFLICT DO NOTHING`, h.District, orphans); err != nil {
				return err
			}
		}
		// Nor are the rows of purged violation files and new parts of them
		// (holdPurged): the hub's only write of those tables is below.
		kept, held, err := h.holdPurged(ctx, tx, kept)
		if err != nil {
			return err
		}
		res.Expired += held
		// Retired people named again come back first, so refile finds them
		// in their own ward.
		restored, err := h.restoreRetired(ctx, tx, kept)
		if err != nil {
			return err
		}
		for _, w := range restored {
			wards[w] = true
		}
		if err := h.refile(ctx, tx, dev, kept); err != nil {
			return err
		}
		var events []*incoming
		for _, in := range kept {
			wards[in.ward] = true
			if in.table.Kind == syncproto.Event {
				events = append(events, in)
				continue
			}
			c, err := h.merge(ctx, tx, dev, in)
			if err != nil {
				return err
			}
			res.Conflicts += c
			res.Applied++
		}
		n, err := h.insertEvents(ctx, tx, events)
		if err != nil {
			return err
		}
		res.Applied += n
		if _, err := tx.Exec(ctx, `UPDATE device SET acked_seq = $3 WHERE district = $1 AND id = $2`,
			h.District, dev.ID[:], b.ToSeq); err != nil {
			return err
		}
		res.AckedSeq = b.ToSeq
		return nil
	})
	if err != nil {
		return PushResult{}, err
	}
	for w := range wards {
		if _, err := h.Stamp(ctx, w); err != nil {
			return res, err
		}
	}
	return res, nil
}

// validate checks every row before anything is written.
func (h *Hub) validate(dev *Device, b *PushBatch) ([]*incoming, error) {
	var out []*incoming
	for i := range b.Rows {
		r := &b.Rows[i]
		t, ok := syncproto.Lookup(r.Table)
		if !ok {
			continue // a table this hub does not sync yet: acknowledged, not stored
		}
		names := b.Columns[r.Table]
		bad := func(key string, args ...any) error {
			return &data.Error{Code: data.EInvalid, Key: key, Args: append([]any{r.Table, i + 1}, args...)}
		}
		if len(names) == 0 || len(names) != len(r.Values) {
			return nil, bad("err.sync_push_row")
		}
		if !dev.InScope(r.Ward) {
			return nil, &data.Error{Code: data.EUnauthorized, Key: "err.sync_scope_push", Args: []any{r.Ward, r.Table, i + 1}}
		}
		if t.Name == syncproto.ConflictTable && dev.Role != RoleDistrict {
			return nil, data.Errorf(data.EUnauthorized, "err.sync_conflict_role")
		}
		in := &incoming{table: t, ward: r.Ward, names: names, values: r.Values, base: r.BaseVersion}
		for j, n := range names {
			switch n {
			case "id":
				in.id, _ = r.Values[j].([]byte)
			case "version":
				in.ver, _ = r.Values[j].(int64)
			case "deleted_at":
				if v, ok := r.Values[j].(int64); ok {
					in.del = &v
				}
			}
			if t.WardColumn != "" && n == t.WardColumn && r.Values[j] != r.Ward {
				// The row's own ward column must agree with the ward it is
				// filed under, or a device could write into another ward.
				return nil, &data.Error{Code: data.EUnauthorized, Key: "err.sync_scope_push", Args: []any{r.Values[j], r.Table, i + 1}}
			}
		}
		if len(in.id) != 16 {
			return nil, bad("err.sync_push_id")
		}
		if in.ver < 1 {
			in.ver = 1
		}
		in.retainAt, in.personRef = retentionOf(t.Name, names, r.Values)
		out = append(out, in)
	}
	return out, nil
}

// insertEvents writes event rows through COPY into a temporary table and
// one INSERT … ON CONFLICT: a newer version replaces an older one, the
// same version again changes nothing.
func (h *Hub) insertEvents(ctx context.Context, tx pgx.Tx, events []*incoming) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	// One row per key (the newest), or ON CONFLICT would touch a row twice.
	type key struct{ ward, tbl, id string }
	latest := map[key]*incoming{}
	for _, e := range events {
		k := key{e.ward, e.table.Name, string(e.id)}
		if old, ok := latest[k]; !ok || e.ver >= old.ver {
			latest[k] = e
		}
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE push_in (ward text, tbl text, id bytea, version bigint,
		deleted_at bigint, schema_id bigint, body bytea, retain_at bigint, person_ref bytea) ON COMMIT DROP`); err != nil {
		return 0, err
	}
	rows := make([][]any, 0, len(latest))
	for _, e := range latest {
		sid, err := h.ensureSchema(ctx, tx, e.table.Name, e.names)
		if err != nil {
			return 0, err
		}
		rows = append(rows, []any{e.ward, e.table.Name, e.id, e.ver, e.del, sid, syncproto.EncodeValues(e.values),
			e.retainAt, e.personRef})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"push_in"},
		[]string{"ward", "tbl", "id", "version", "deleted_at", "schema_id", "body", "retain_at", "person_ref"},
		pgx.CopyFromRows(rows)); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO sync_row(district, ward, tbl, id, version, deleted_at, schema_id, body, retain_at, person_ref)
		SELECT $1, ward, tbl, id, version, deleted_at, schema_id, body, retain_at, person_ref FROM push_in
		ON CONFLICT (district, ward, tbl, id) DO UPDATE SET version = excluded.version, change_seq = NULL,
			deleted_at = excluded.deleted_at, schema_id = excluded.schema_id, body = excluded.body, hub_at = now(),
			retain_at = excluded.retain_at, person_ref = excluded.person_ref
		WHERE sync_row.version < excluded.version`, h.District)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// merge applies one mutable row against the hub's current version.
// Fields the device changed since its base and the hub did not are taken;
// a field changed on both sides to different values keeps the hub's value
// and records a conflict. The row is always renumbered, so the device,
// which kept its own edit on top while the edit was in flight, receives
// the merged result.
func (h *Hub) merge(ctx context.Context, tx pgx.Tx, dev *Device, in *incoming) (int, error) {
	devHex := hex.EncodeToString(dev.ID[:])
	var curVer int64
	var sid int64
	var body, fvJSON []byte
	err := tx.QueryRow(ctx, `SELECT version, schema_id, body, field_ver FROM sync_row
		WHERE district = $1 AND ward = $2 AND tbl = $3 AND id = $4 FOR UPDATE`,
		h.District, in.ward, in.table.Name, in.id).Scan(&curVer, &sid, &body, &fvJSON)
	if errors.Is(err, pgx.ErrNoRows) {
		fv := map[string]fieldVer{}
		for _, n := range in.names {
			if !syncproto.MetaColumns[n] {
				fv[n] = fieldVer{in.ver, devHex}
			}
		}
		return 0, h.writeMutable(ctx, tx, in.ward, in.table.Name, in.id, in.ver, in.names, in.values, fv, true)
	}
	if err != nil {
		return 0, err
	}
	cur, err := h.rowMap(ctx, sid, body)
	if err != nil {
		return 0, err
	}
	fv := map[string]fieldVer{}
	if len(fvJSON) > 0 {
		json.Unmarshal(fvJSON, &fv)
	}
	var base map[string]any
	if in.base > 0 {
		var bsid int64
		var bbody []byte
		err := tx.QueryRow(ctx, `SELECT schema_id, body FROM row_rev
			WHERE district = $1 AND ward = $2 AND tbl = $3 AND id = $4 AND version = $5`,
			h.District, in.ward, in.table.Name, in.id, in.base).Scan(&bsid, &bbody)
		if err == nil {
			base, err = h.rowMap(ctx, bsid, bbody)
		}
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return 0, err
		}
	}
	prevStatus := cur["status"] // of a conflict row: was it still open?
	newVer := curVer + 1
	changed := false
	var conflicts []conflictField
	for j, n := range in.names {
		if _, derived := in.table.Derived[n]; syncproto.MetaColumns[n] || derived {
			continue
		}
		v := in.values[j]
		if bv, ok := base[n]; ok && syncproto.EqualValues(v, bv) {
			continue // the device did not touch this field
		}
		if syncproto.EqualValues(v, cur[n]) {
			continue
		}
		last := fv[n]
		if last.V > in.base && last.D != devHex {
			conflicts = append(conflicts, conflictField{n, cur[n], v})
			continue
		}
		cur[n] = v
		fv[n] = fieldVer{newVer, devHex}
		changed = true
	}
	derive(in.table, cur)
	for _, c := range conflicts {
		if err := h.recordConflict(ctx, tx, dev, in, c, curVer); err != nil {
			return 0, err
		}
	}
	ver := curVer
	if changed {
		ver = newVer
		if u, ok := in.valueOf("updated_at"); ok {
			if cu, ok := cur["updated_at"].(int64); !ok || u.(int64) > cu {
				cur["updated_at"] = u
			}
		}
	}
	names := mergedNames(in.names, cur)
	vals := make(syncproto.Values, len(names))
	for i, n := range names {
		vals[i] = cur[n]
	}
	setValue(names, vals, "version", ver)
	if err := h.writeMutable(ctx, tx, in.ward, in.table.Name, in.id, ver, names, vals, fv, changed); err != nil {
		return 0, err
	}
	if in.table.Name == syncproto.ConflictTable && changed && prevStatus == "open" && cur["status"] == "took_device" {
		if err := h.applyResolution(ctx, tx, dev, cur); err != nil {
			return 0, err
		}
	}
	return len(conflicts), nil
}

// refile puts the rows that carry no ward of their own where they belong,
// whichever device pushes them. A device files such a row under its home
// ward (the first of its scope): right for a ward office, wrong for a
// district device editing a row of another ward, which would otherwise
// get a second copy filed under the wrong ward. So on the hub a row stays
// in the ward it was first filed under; a new row goes under its parent's
// ward (a follow-up under its F0 case's, an evidence snapshot without a
// venue under its inspection's); only a row with neither known keeps the
// device's home ward. Every ward looked at is in the device's scope. A
// device with a single ward has nowhere else to file: nothing is looked up.
func (h *Hub) refile(ctx context.Context, tx pgx.Tx, dev *Device, ins []*incoming) error {
	if len(dev.Wards) < 2 {
		return nil
	}
	type ref struct {
		tbl string
		id  string
	}
	type job struct {
		in     *incoming
		parent *ref
	}
	var jobs []job
	var tbls []string
	var ids [][]byte
	ask := func(tbl string, id []byte) *ref {
		tbls, ids = append(tbls, tbl), append(ids, id)
		return &ref{tbl, string(id)}
	}
	inBatch := map[ref]*incoming{}
	for _, in := range ins {
		inBatch[ref{in.table.Name, string(in.id)}] = in
		t := in.table
		if t.WardColumn != "" {
			continue
		}
		home := t.HomeWarded()
		var parent *ref
		if t.ParentTable != "" {
			if pid := in.blob(t.ParentColumn); pid != nil {
				if home {
					parent = ask(t.ParentTable, pid)
				}
			} else {
				for _, fp := range t.FallbackParents {
					if pid := in.blob(fp.Column); pid != nil {
						parent = ask(fp.Table, pid)
						break
					}
				}
			}
		}
		if !home && parent == nil {
			continue // the device found the ward from the row's columns
		}
		ask(t.Name, in.id)
		jobs = append(jobs, job{in, parent})
	}
	if len(jobs) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT s.tbl, s.id, s.ward FROM sync_row s
		JOIN unnest($3::text[], $4::bytea[]) AS u(tbl, id) ON s.tbl = u.tbl AND s.id = u.id
		WHERE s.district = $1 AND s.ward = ANY($2) ORDER BY s.ward`, h.District, dev.Wards, tbls, ids)
	if err != nil {
		return err
	}
	found := map[ref][]string{}
	for rows.Next() {
		var tbl, ward string
		var id []byte
		if err := rows.Scan(&tbl, &id, &ward); err != nil {
			rows.Close()
			return err
		}
		k := ref{tbl, string(id)}
		found[k] = append(found[k], ward)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// pick keeps the declared ward when the row is there (older hubs may
	// hold copies in several wards), else the first ward found.
	pick := func(k ref, declared string) (string, bool) {
		ws := found[k]
		for _, w := range ws {
			if w == declared {
				return w, true
			}
		}
		if len(ws) > 0 {
			return ws[0], true
		}
		return "", false
	}
	var later []job
	for _, j := range jobs {
		if w, ok := pick(ref{j.in.table.Name, string(j.in.id)}, j.in.ward); ok {
			j.in.ward = w
			continue
		}
		if j.parent != nil {
			if w, ok := pick(*j.parent, j.in.ward); ok {
				j.in.ward = w
				continue
			}
			later = append(later, j)
		}
	}
	// A parent new in this very batch: its (settled) ward, parents first.
	sort.SliceStable(later, func(a, b int) bool { return later[a].in.table.Order < later[b].in.table.Order })
	for _, j := range later {
		if p, ok := inBatch[*j.parent]; ok {
			j.in.ward = p.ward
		}
	}
	return nil
}

// blob is the value of a blob column of the row (nil when NULL or absent).
func (in *incoming) blob(name string) []byte {
	for j, n := range in.names {
		if n == name && j < len(in.values) {
			if b, ok := in.values[j].([]byte); ok && len(b) > 0 {
				return b
			}
		}
	}
	return nil
}

func (in *incoming) valueOf(name string) (any, bool) {
	for j, n := range in.names {
		if n == name {
			v := in.values[j]
			_, isInt := v.(int64)
			return v, isInt
		}
	}
	return nil, false
}

// mergedNames is the device's column list plus any column only the hub
// has (a newer replica's), so no one's data is dropped.
func mergedNames(names []string, cur map[string]any) []string {
	out := append([]string{}, names...)
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	var extra []string
	for n := range cur {
		if !have[n] {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

func setValue(names []string, vals syncproto.Values, name string, v any) {
	for i, n := range names {
		if n == name {
			vals[i] = v
		}
	}
}

func (h *Hub) rowMap(ctx context.Context, sid int64, body []byte) (map[string]any, error) {
	names, vals, err := h.decodeRow(ctx, sid, body)
	if err != nil {
		return nil, err
	}
	m := make(map[string]any, len(vals))
	for i, n := range names {
		if i < len(vals) {
			m[n] = vals[i]
		}
	}
	return m, nil
}

// writeMutable stores a mutable row (unnumbered, so the stamper numbers it)
// and, when newVersion, keeps that version as a future merge base.
func (h *Hub) writeMutable(ctx context.Context, tx pgx.Tx, ward, table string, id []byte, ver int64,
	names []string, vals syncproto.Values, fv map[string]fieldVer, newVersion bool) error {
	sid, err := h.ensureSchema(ctx, tx, table, names)
	if err != nil {
		return err
	}
	body := syncproto.EncodeValues(vals)
	var del *int64
	for i, n := range names {
		if n == "deleted_at" {
			if v, ok := vals[i].(int64); ok {
				del = &v
			}
		}
	}
	fvJSON, _ := json.Marshal(fv)
	retain, person := retentionOf(table, names, vals)
	if _, err := tx.Exec(ctx, `INSERT INTO sync_row(district, ward, tbl, id, version, deleted_at, schema_id, body, field_ver,
			retain_at, person_ref)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (district, ward, tbl, id) DO UPDATE SET version = excluded.version, change_seq = NULL,
			deleted_at = excluded.deleted_at, schema_id = excluded.schema_id, body = excluded.body,
			field_ver = excluded.field_ver, hub_at = now(), retain_at = excluded.retain_at, person_ref = excluded.person_ref`,
		h.District, ward, table, id, ver, del, sid, body, fvJSON, retain, person); err != nil {
		return err
	}
	if !newVersion {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO row_rev(district, ward, tbl, id, version, schema_id, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, h.District, ward, table, id, ver, sid, body)
	return err
}

type conflictField struct {
	field          string
	hubVal, devVal any
}

// conflictColumns is sync_conflict's column list (migration 0006).
var conflictColumns = []string{"id", "ward", "tbl", "row_id", "field", "hub_value", "device_value", "base_version",
	"hub_version", "from_device", "status", "resolved_by", "resolved_at", "device_id", "version", "created_at",
	"updated_at", "deleted_at"}

// recordConflict files a conflict row in the ward's stream. Its id is
// derived from what conflicts, so the same clash pushed again (a retry, a
// later edit of another field) is recorded once.
func (h *Hub) recordConflict(ctx context.Context, tx pgx.Tx, dev *Device, in *incoming, c conflictField, hubVer int64) error {
	devValue := syncproto.EncodeValueJSON(c.devVal)
	sum := sha256.Sum256([]byte(in.table.Name + "\x00" + string(in.id) + "\x00" + c.field + "\x00" + string(dev.ID[:]) + "\x00" + devValue))
	id := sum[:16]
	id[6] = 0x80 | id[6]&0x0f // UUIDv8: application-defined
	id[8] = 0x80 | id[8]&0x3f
	now := time.Now().Unix()
	vals := syncproto.Values{id, in.ward, in.table.Name, in.id, c.field, syncproto.EncodeValueJSON(c.hubVal), devValue,
		in.base, hubVer, dev.ID[:], "open", "", nil, h.hubDeviceID(), int64(1), now, now, nil}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sync_row WHERE district = $1 AND ward = $2 AND tbl = $3 AND id = $4)`,
		h.District, in.ward, syncproto.ConflictTable, id).Scan(&exists); err != nil || exists {
		return err
	}
	fv := map[string]fieldVer{}
	return h.writeMutable(ctx, tx, in.ward, syncproto.ConflictTable, id, 1, conflictColumns, vals, fv, true)
}

// applyResolution writes the device's value chosen by a district user into
// the conflicting row, as a new version.
func (h *Hub) applyResolution(ctx context.Context, tx pgx.Tx, dev *Device, c map[string]any) error {
	ward, _ := c["ward"].(string)
	table, _ := c["tbl"].(string)
	rowID, _ := c["row_id"].([]byte)
	field, _ := c["field"].(string)
	devValue, _ := c["device_value"].(string)
	var curVer, sid int64
	var body, fvJSON []byte
	err := tx.QueryRow(ctx, `SELECT version, schema_id, body, field_ver FROM sync_row
		WHERE district = $1 AND ward = $2 AND tbl = $3 AND id = $4 FOR UPDATE`, h.District, ward, table, rowID).
		Scan(&curVer, &sid, &body, &fvJSON)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // the row is gone (purged): nothing to apply
	}
	if err != nil {
		return err
	}
	names, vals, err := h.decodeRow(ctx, sid, body)
	if err != nil {
		return err
	}
	fv := map[string]fieldVer{}
	json.Unmarshal(fvJSON, &fv)
	ver := curVer + 1
	setValue(names, vals, field, syncproto.DecodeValueJSON(devValue))
	if t, ok := syncproto.Lookup(table); ok {
		for col, d := range t.Derived {
			if d.From == field {
				setValue(names, vals, col, d.Fn(syncproto.DecodeValueJSON(devValue)))
			}
		}
	}
	setValue(names, vals, "version", ver)
	setValue(names, vals, "updated_at", time.Now().Unix())
	fv[field] = fieldVer{ver, hex.EncodeToString(dev.ID[:])}
	return h.writeMutable(ctx, tx, ward, table, rowID, ver, names, vals, fv, true)
}

// derive recomputes a row's derived columns from their merged sources.
func derive(t syncproto.Table, row map[string]any) {
	for col, d := range t.Derived {
		if _, ok := row[col]; ok {
			row[col] = d.Fn(row[d.From])
		}
	}
}
