package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/syncproto"
)

// Sync apply: rows from the hub land here, generically over every table in
// the syncproto registry. Columns come from PRAGMA table_info, so a table
// added by a later migration syncs once it is registered, and column values
// (ciphertext included) pass through untouched.

// Page is one unit of rows from the hub for one ward stream: an HTTP pull
// page, a snapshot, or a ward section of a bundle. Rows have sequence
// numbers in (From, To]; applying the page moves the stream's cursor to To
// in the same transaction.
type Page struct {
	Ward     string
	From, To int64
	Snapshot bool
	Columns  map[string][]string // table → names of the values of its rows
	Rows     []syncproto.Row
}

// ApplyResult says what a page did.
type ApplyResult struct {
	Applied int  // rows written
	Pending int  // rows left alone because local edits are waiting for the hub
	Already bool // the page was applied before: nothing changed
}

// DownStream names a ward's down stream in sync_state.
func DownStream(ward string) string { return "down:" + ward }

// UpStream is the outbox stream in sync_state (its cursor: the last
// acknowledged outbox seq).
const UpStream = "up"

// ErrGap builds the error for a page that starts after the local cursor:
// rows in between would be lost.
func errGap(ward string, cursor, from int64) error {
	return &data.Error{Code: data.EConflict, Key: "err.sync_gap", Args: []any{ward, cursor, from}}
}

// ApplyPage writes a page and its new cursor in one transaction: a crash
// keeps whole pages only, and applying a page again (or an older one)
// changes nothing. A page starting after the cursor is refused (a gap),
// unless it is a snapshot.
func (s *Store) ApplyPage(ctx context.Context, p *Page) (ApplyResult, error) {
	w, err := s.BeginPage(ctx, p.Ward, p.From, p.Snapshot, len(p.Rows))
	if err != nil {
		return ApplyResult{}, err
	}
	for i := range p.Rows {
		if err := w.Row(&p.Rows[i], p.Columns[p.Rows[i].Table]); err != nil {
			w.Abort()
			return ApplyResult{}, err
		}
	}
	return w.Commit(p.To)
}

// PageWriter streams one page (or a whole snapshot) into a single
// transaction; Commit moves the stream's cursor in the same transaction.
// It holds the replica's writer until Commit or Abort.
type PageWriter struct {
	s        *Store
	ctx      context.Context
	conn     *sql.Conn
	tx       *sql.Tx
	ward     string
	cursor   int64
	snapshot bool
	a        *applier
	restore  []string
	n        int
	done     bool
	bigCache bool
	// recount: the rollup triggers were dropped for a big snapshot and
	// Commit re-creates them and recounts once.
	recount bool
	tallied bool // the rollups came from the tally (tests)
}

// BeginPage opens a page of ward's stream starting after from. rowsHint
// is the expected number of rows: a snapshot of many rows drops the
// indexes of the synced tables and builds them again at Commit, several
// times faster than maintaining them row by row.
func (s *Store) BeginPage(ctx context.Context, ward string, from int64, snapshot bool, rowsHint int) (*PageWriter, error) {
	conn, err := s.rw.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// Foreign keys off: the hub is authoritative and a stream orders rows
	// by their last change, so a venue edited today arrives after last
	// week's check-ins that refer to it. The pragma cannot change inside a
	// transaction, hence the dedicated connection.
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		conn.Close()
		return nil, err
	}
	w := &PageWriter{s: s, ctx: ctx, conn: conn, ward: ward, snapshot: snapshot}
	fail := func(err error) (*PageWriter, error) {
		w.Abort()
		return nil, err
	}
	if w.tx, err = conn.BeginTx(ctx, nil); err != nil {
		return fail(err)
	}
	if w.cursor, err = streamCursor(ctx, w.tx, DownStream(ward)); err != nil {
		return fail(err)
	}
	if !snapshot && from > w.cursor {
		return fail(errGap(ward, w.cursor, from))
	}
	if snapshot && rowsHint >= snapshotIndexThreshold {
		// A big page cache keeps the load from spilling dirty pages into
		// the WAL a few at a time (as the bulk loader does); Abort puts the
		// usual size back.
		if _, err := w.tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return fail(err)
		}
		w.bigCache = true
		if w.restore, err = dropIndexes(ctx, w.tx, rowsHint); err != nil {
			return fail(err)
		}
		// The check-in trigger asks the (person, time) index whether the
		// visitor was already counted that day; with the index gone each
		// row would scan the table (quadratic: a 30 k-row snapshot took
		// 7.5 s). Count once at Commit instead, as the bulk loader does.
		if err := dropRollupTriggers(ctx, w.tx); err != nil {
			return fail(err)
		}
		w.recount = true
	}
	w.a = newApplier(ctx, w.tx)
	if w.recount {
		var any bool
		if err := w.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM checkin)`).Scan(&any); err != nil {
			return fail(err)
		}
		if !any { // a first load: its check-ins are all there will be
			w.a.tally = newCheckinTally(rowsHint)
		}
	}
	return w, nil
}

// Cursor is the stream's cursor when the page began.
func (w *PageWriter) Cursor() int64 { return w.cursor }

// Row applies one row; names is the column list of its table.
func (w *PageWriter) Row(r *syncproto.Row, names []string) error {
	if r.Seq != 0 && r.Seq <= w.cursor {
		// Already here at exactly this version (a row's seq is that of its
		// latest change): an overlapping page, a replayed bundle, or the
		// part of a resync snapshot the replica already holds.
		return nil
	}
	w.n++
	if w.n%4096 == 0 {
		if err := w.ctx.Err(); err != nil {
			return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
		}
	}
	return w.a.apply(r, names)
}

// Commit finishes the page, moves the cursor to to (never backwards) and
// commits.
func (w *PageWriter) Commit(to int64) (ApplyResult, error) {
	var res ApplyResult
	if to <= w.cursor && w.a.applied == 0 {
		res.Already = true
	}
	err := w.a.flush()
	if err == nil {
		err = w.a.finish()
	}
	for _, q := range w.restore {
		if err != nil {
			break
		}
		if _, err = w.tx.ExecContext(w.ctx, q); err != nil {
			err = fmt.Errorf("rebuild index: %w", err)
		}
	}
	if err == nil && w.recount {
		err = w.recountRollups()
	}
	if err == nil {
		err = setCursor(w.ctx, w.tx, DownStream(w.ward), to, w.s.Now().Unix())
	}
	if err == nil {
		w.a.close()
		err = w.tx.Commit()
		w.tx = nil
	}
	res.Applied, res.Pending = w.a.applied, w.a.pending
	w.Abort()
	return res, err
}

// recountRollups brings the rollups up to date after a load with their
// triggers off (from the tally when it is exact, else by a full recount)
// and re-creates the triggers.
func (w *PageWriter) recountRollups() error {
	done := false
	if t := w.a.tally; t != nil {
		var err error
		if done, err = t.write(w.ctx, w.tx); err != nil {
			return err
		}
		if done {
			q, err := migrationSection("rebuild_other")
			if err != nil {
				return err
			}
			if _, err := w.tx.ExecContext(w.ctx, q); err != nil {
				return fmt.Errorf("rebuild rollups: %w", err)
			}
		}
	}
	w.tallied = done
	if !done {
		if err := rebuildRollups(w.ctx, w.tx); err != nil {
			return err
		}
	}
	return createRollupTriggers(w.ctx, w.tx)
}

// Abort rolls the page back (after Commit it only releases the writer).
func (w *PageWriter) Abort() {
	if w.done {
		return
	}
	w.done = true
	if w.a != nil {
		w.a.close()
	}
	if w.tx != nil {
		w.tx.Rollback()
	}
	w.conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`)
	if w.bigCache {
		w.conn.ExecContext(context.Background(), `PRAGMA cache_size = -8192`)
	}
	w.conn.Close()
}

// snapshotIndexThreshold: below this many rows rebuilding indexes costs
// more than maintaining them.
const snapshotIndexThreshold = 20000

// dropIndexes drops the explicit indexes of the synced tables holding
// fewer rows than the load brings (rebuilding the index of a big table for
// a small load would cost more than it saves) and returns the statements
// that rebuild them.
func dropIndexes(ctx context.Context, tx *sql.Tx, rowsHint int) ([]string, error) {
	var restore []string
	for _, t := range syncproto.Tables() {
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.Name)).Scan(&have); err != nil {
			continue // a registered table this replica does not have yet
		}
		if have >= rowsHint {
			continue
		}
		rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
			WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, t.Name)
		if err != nil {
			return nil, err
		}
		var names []string
		for rows.Next() {
			var name, q string
			if err := rows.Scan(&name, &q); err != nil {
				rows.Close()
				return nil, err
			}
			names, restore = append(names, name), append(restore, q)
		}
		rows.Close()
		for _, n := range names {
			if _, err := tx.ExecContext(ctx, `DROP INDEX `+quoteIdent(n)); err != nil {
				return nil, err
			}
		}
	}
	return restore, nil
}

// valueRows is the placeholder list of a multi-row INSERT: rows tuples of
// width "?"s each.
func valueRows(width, rows int) string {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(tuple+", ", rows), ", ")
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// tableColumns lists the columns of a synced table that travel: all but
// the registered local ones and an INTEGER PRIMARY KEY rowid alias.
func tableColumns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, t syncproto.Table) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?)`, t.Name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		var pk int
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			return nil, err
		}
		if t.IsLocal(name) || (pk == 1 && strings.EqualFold(typ, "INTEGER") && name != "id") {
			continue
		}
		cols = append(cols, name)
	}
	return cols, rows.Err()
}

// applier upserts rows, a batch of rows per statement per table.
type applier struct {
	ctx     context.Context
	tx      *sql.Tx
	plans   map[string]*plan
	cur     *plan
	applied int
	pending int
	hasBase bool
	// venue → latest check-in seen, folded into venue.last_checkin_at.
	lastCheckin map[any]int64
	// tally counts the check-ins of a first big load for the rollups.
	tally *checkinTally
}

// plan is how one table's rows (under one column list) are written.
type plan struct {
	table   syncproto.Table
	names   []string // incoming column names
	pick    []int    // incoming position of each local column written
	cols    []string // local columns written
	idAt    int      // incoming position of id
	one     *sql.Stmt
	many    *sql.Stmt
	batch   int
	pending []any
	checkin struct{ venue, timeIn, person, source, deleted int }
}

func newApplier(ctx context.Context, tx *sql.Tx) *applier {
	a := &applier{ctx: ctx, tx: tx, plans: map[string]*plan{}, lastCheckin: map[any]int64{}}
	var n int
	tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sync_base`).Scan(&n)
	a.hasBase = n > 0
	return a
}

func (a *applier) close() {
	for _, p := range a.plans {
		if p.one != nil {
			p.one.Close()
		}
		if p.many != nil {
			p.many.Close()
		}
	}
}

func planKey(table string, names []string) string {
	return table + "\x00" + strings.Join(names, "\x00")
}

func (a *applier) plan(table string, names []string) (*plan, error) {
	key := planKey(table, names)
	if p, ok := a.plans[key]; ok {
		return p, nil
	}
	t, ok := syncproto.Lookup(table)
	p := &plan{table: t, names: names, idAt: -1}
	p.checkin.venue, p.checkin.timeIn, p.checkin.person, p.checkin.source, p.checkin.deleted = -1, -1, -1, -1, -1
	a.plans[key] = p
	if !ok {
		return p, nil // a table this build does not know: its rows are skipped
	}
	local, err := tableColumns(a.ctx, a.tx, t)
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i, n := range names {
		at[n] = i
	}
	for _, c := range local {
		if i, ok := at[c]; ok {
			p.pick = append(p.pick, i)
			p.cols = append(p.cols, c)
		}
	}
	if i, ok := at["id"]; ok {
		p.idAt = i
	}
	if len(p.cols) == 0 || p.idAt < 0 {
		return p, nil
	}
	if table == "checkin" {
		if i, ok := at["venue_id"]; ok {
			p.checkin.venue = i
		}
		if i, ok := at["time_in"]; ok {
			p.checkin.timeIn = i
		}
		for col, dst := range map[string]*int{"person_id": &p.checkin.person, "source": &p.checkin.source, "deleted_at": &p.checkin.deleted} {
			if i, ok := at[col]; ok {
				*dst = i
			}
		}
	}
	quoted := make([]string, len(p.cols))
	sets := make([]string, 0, len(p.cols))
	for i, c := range p.cols {
		quoted[i] = quoteIdent(c)
		if c != "id" {
			sets = append(sets, quoted[i]+" = excluded."+quoted[i])
		}
	}
	// An older event version never overwrites a newer one. Mutable rows
	// take the hub's state as it is: the hub is their authority (a local
	// edit it found already in place comes back with the hub's version),
	// and rows with edits still in flight are not applied at all.
	tail := ` ON CONFLICT(id) DO UPDATE SET ` + strings.Join(sets, ", ")
	if t.Kind == syncproto.Event {
		tail += ` WHERE excluded.version >= ` + quoteIdent(table) + `.version`
	}
	head := `INSERT INTO ` + quoteIdent(table) + `(` + strings.Join(quoted, ", ") + `) VALUES `
	if p.one, err = a.tx.PrepareContext(a.ctx, head+valueRows(len(p.cols), 1)+tail); err != nil {
		return nil, err
	}
	p.batch = 30000 / len(p.cols)
	if p.batch > 200 {
		p.batch = 200
	}
	if p.batch > 1 {
		many := head + valueRows(len(p.cols), p.batch) + tail
		if p.many, err = a.tx.PrepareContext(a.ctx, many); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (a *applier) apply(r *syncproto.Row, names []string) error {
	p, err := a.plan(r.Table, names)
	if err != nil {
		return err
	}
	if p.one == nil || len(r.Values) != len(p.names) {
		return nil
	}
	if p != a.cur {
		if err := a.flush(); err != nil {
			return err
		}
		a.cur = p
	}
	id := r.Values[p.idAt]
	if p.table.Kind == syncproto.Mutable {
		var one int
		err := a.tx.QueryRowContext(a.ctx, `SELECT 1 FROM outbox WHERE row_id = ? AND tbl = ? LIMIT 1`, id, p.table.Name).Scan(&one)
		if err == nil {
			// Local edits wait for the hub: they stay on top; the hub's merge
			// of them comes back in a later page.
			a.pending++
			return nil
		}
		if err != sql.ErrNoRows {
			return err
		}
		if a.hasBase {
			if _, err := a.tx.ExecContext(a.ctx, `DELETE FROM sync_base WHERE tbl = ? AND row_id = ?`, p.table.Name, id); err != nil {
				return err
			}
		}
	}
	if p.checkin.venue >= 0 && p.checkin.timeIn >= 0 {
		if a.tally != nil {
			a.tally.addRow(r.Values, p)
		}
		if t, ok := r.Values[p.checkin.timeIn].(int64); ok {
			v := r.Values[p.checkin.venue]
			if b, ok := v.([]byte); ok {
				v = string(b) // map key
			}
			if t > a.lastCheckin[v] {
				a.lastCheckin[v] = t
			}
		}
	}
	for _, i := range p.pick {
		p.pending = append(p.pending, r.Values[i])
	}
	a.applied++
	if p.many != nil && len(p.pending) == p.batch*len(p.cols) {
		_, err := p.many.Exec(p.pending...)
		p.pending = p.pending[:0]
		return wrapDB(err, "apply "+p.table.Name)
	}
	return nil
}

func (a *applier) flush() error {
	p := a.cur
	if p == nil {
		return nil
	}
	var err error
	if p.many != nil && len(p.pending) == p.batch*len(p.cols) {
		_, err = p.many.Exec(p.pending...)
	} else {
		for i := 0; i < len(p.pending) && err == nil; i += len(p.cols) {
			_, err = p.one.Exec(p.pending[i : i+len(p.cols)]...)
		}
	}
	p.pending = p.pending[:0]
	return wrapDB(err, "apply "+p.table.Name)
}

// finish refreshes the caches derived from applied rows.
func (a *applier) finish() error {
	if len(a.lastCheckin) == 0 {
		return nil
	}
	st, err := a.tx.PrepareContext(a.ctx, `UPDATE venue SET last_checkin_at = ?
		WHERE id = ? AND (last_checkin_at IS NULL OR last_checkin_at < ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for v, t := range a.lastCheckin {
		id := v
		if s, ok := v.(string); ok {
			id = []byte(s)
		}
		if _, err := st.Exec(t, id, t); err != nil {
			return err
		}
	}
	return nil
}

// PushBatch is a slice of the outbox ready to send: one row per changed
// row, its current full state, the device seq of its last edit and, for
// mutable rows, the hub version the edits started from.
type PushBatch struct {
	FromSeq, ToSeq int64
	Columns        map[string][]string
	Rows           []syncproto.Row
}

// PreparePush reads up to limit outbox entries and the current state of
// the rows they touch. homeWard is the ward of rows whose ward cannot be
// found from their columns (people). The bases it hands out are remembered
// in sync_base so a retry sends the same ones.
func (s *Store) PreparePush(ctx context.Context, limit int, homeWard string) (*PushBatch, error) {
	entries, err := s.PendingChanges(ctx, 0, limit)
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	b := &PushBatch{FromSeq: entries[0].Seq, ToSeq: entries[len(entries)-1].Seq, Columns: map[string][]string{}}
	type key struct {
		tbl string
		id  data.ID
	}
	first := map[key]OutboxEntry{}
	last := map[key]int64{}
	var order []key
	for _, e := range entries {
		k := key{e.Table, e.RowID}
		if _, ok := first[k]; !ok {
			first[k] = e
			order = append(order, k)
		}
		last[k] = e.Seq
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		selects := map[string]*sql.Stmt{}
		defer func() {
			for _, st := range selects {
				st.Close()
			}
		}()
		wards := &wardFinder{ctx: ctx, tx: tx, home: homeWard, cache: map[string]string{}}
		for _, k := range order {
			t, ok := syncproto.Lookup(k.tbl)
			if !ok {
				continue // not synced (yet): acknowledged with the batch
			}
			st := selects[k.tbl]
			if st == nil {
				cols, err := tableColumns(ctx, tx, t)
				if err != nil {
					return err
				}
				b.Columns[k.tbl] = cols
				quoted := make([]string, len(cols))
				for i, c := range cols {
					quoted[i] = quoteIdent(c)
				}
				st, err = tx.PrepareContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM `+quoteIdent(k.tbl)+` WHERE id = ?`)
				if err != nil {
					return err
				}
				selects[k.tbl] = st
			}
			cols := b.Columns[k.tbl]
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := st.QueryRowContext(ctx, k.id).Scan(ptrs...); err == sql.ErrNoRows {
				continue
			} else if err != nil {
				return err
			}
			for i, v := range vals {
				vals[i] = normalizeValue(v)
			}
			r := syncproto.Row{Table: k.tbl, DeviceSeq: last[k], Values: vals}
			if r.Ward, err = wards.ward(t, cols, vals); err != nil {
				return err
			}
			if t.Kind == syncproto.Mutable {
				if r.BaseVersion, err = pushBase(ctx, tx, first[k]); err != nil {
					return err
				}
			}
			b.Rows = append(b.Rows, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// pushBase is the hub version a row's pending edits started from: the
// remembered one, or the version before the first pending edit (every
// local edit adds one), or 0 for a row created here.
func pushBase(ctx context.Context, tx *sql.Tx, e OutboxEntry) (int64, error) {
	var base int64
	err := tx.QueryRowContext(ctx, `SELECT version FROM sync_base WHERE tbl = ? AND row_id = ?`, e.Table, e.RowID).Scan(&base)
	if err == nil {
		return base, nil
	}
	if err != sql.ErrNoRows {
		return 0, err
	}
	if e.Op != "insert" {
		base = e.RowVersion - 1
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO sync_base(tbl, row_id, version) VALUES (?, ?, ?)`, e.Table, e.RowID, base)
	return base, err
}

// wardFinder finds the ward of a row: its ward column, or its parent's
// ward, or the device's home ward.
type wardFinder struct {
	ctx   context.Context
	tx    *sql.Tx
	home  string
	cache map[string]string // table + id → ward
}

func (w *wardFinder) ward(t syncproto.Table, cols []string, vals []any) (string, error) {
	for i, c := range cols {
		if t.WardColumn != "" && c == t.WardColumn {
			if s, ok := vals[i].(string); ok && s != "" {
				return s, nil
			}
		}
		if t.ParentTable != "" && c == t.ParentColumn {
			if id, ok := vals[i].([]byte); ok {
				return w.parentWard(t.ParentTable, id, 0)
			}
		}
	}
	return w.home, nil
}

func (w *wardFinder) parentWard(table string, id []byte, depth int) (string, error) {
	key := table + "\x00" + string(id)
	if ward, ok := w.cache[key]; ok {
		return ward, nil
	}
	t, ok := syncproto.Lookup(table)
	if !ok || depth > 4 {
		return w.home, nil
	}
	ward := w.home
	switch {
	case t.WardColumn != "":
		var s sql.NullString
		err := w.tx.QueryRowContext(w.ctx, `SELECT `+quoteIdent(t.WardColumn)+` FROM `+quoteIdent(table)+` WHERE id = ?`, id).Scan(&s)
		if err != nil && err != sql.ErrNoRows {
			return "", err
		}
		if s.Valid && s.String != "" {
			ward = s.String
		}
	case t.ParentTable != "":
		var parent []byte
		err := w.tx.QueryRowContext(w.ctx, `SELECT `+quoteIdent(t.ParentColumn)+` FROM `+quoteIdent(table)+` WHERE id = ?`, id).Scan(&parent)
		if err != nil && err != sql.ErrNoRows {
			return "", err
		}
		if parent != nil {
			var err error
			if ward, err = w.parentWard(t.ParentTable, parent, depth+1); err != nil {
				return "", err
			}
		}
	}
	w.cache[key] = ward
	return ward, nil
}

// normalizeValue maps what the driver returns onto the wire's types.
func normalizeValue(v any) any {
	switch x := v.(type) {
	case nil, int64, float64, string, []byte:
		return v
	case int:
		return int64(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05")
	default:
		return fmt.Sprint(v)
	}
}

// AckPush removes the outbox entries the hub acknowledged and records the
// acknowledgement, in one transaction.
func (s *Store) AckPush(ctx context.Context, ackedSeq int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE seq <= ?`, ackedSeq); err != nil {
			return err
		}
		return setCursor(ctx, tx, UpStream, ackedSeq, s.Now().Unix())
	})
}
