package syncproto

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"sync"

	"qrward/data"
)

// Kind says how concurrent changes to a table's rows combine.
type Kind int

const (
	// Event rows (check-ins, inspections, violations, documents) are facts:
	// they are created once and never conflict; a newer version of the same
	// row replaces an older one.
	Event Kind = iota
	// Mutable rows (venue details and status, people, cases) merge field by
	// field against the version the editing device started from; a field
	// changed on both sides keeps the hub's value and records a conflict.
	Mutable
)

// Table describes one synced table. Every synced table has the columns id
// (UUIDv7 blob), device_id, version, created_at, updated_at, deleted_at.
type Table struct {
	Name string
	Kind Kind
	// WardColumn holds the row's ward code, when the row carries it.
	WardColumn string
	// ParentTable and ParentColumn find the ward through a referenced row
	// (a check-in is in its venue's ward).
	ParentTable, ParentColumn string
	// FallbackParents find the ward, in order, when ParentColumn is NULL
	// (evidence attached to an inspection rather than a venue).
	FallbackParents []Parent
	// LocalColumns are never shipped: local keys and caches derived on each
	// replica (an INTEGER PRIMARY KEY rowid alias is skipped without being
	// listed).
	LocalColumns []string
	// Order loads parents before children (lower first).
	Order int
	// Derived columns are computed from another column (a folded name for
	// search): they never conflict on their own, the hub recomputes them
	// from the merged source.
	Derived map[string]Derivation
}

// Parent is a referenced table and the column holding the reference.
type Parent struct{ Table, Column string }

// HomeWarded reports whether t's rows carry no ward of their own: no ward
// column on them or up their parent chain (people, F0 cases and what hangs
// from them, outbreak areas). The device files such a row under its home
// ward; the hub keeps a row in the ward it was first filed under, and files
// a child under its parent's ward (data/hub refile).
func (t Table) HomeWarded() bool {
	for depth := 0; depth < 8; depth++ {
		if t.WardColumn != "" {
			return false
		}
		if t.ParentTable == "" {
			return true
		}
		p, ok := Lookup(t.ParentTable)
		if !ok {
			return true
		}
		t = p
	}
	return true
}

// Derivation computes a derived column from its source column.
type Derivation struct {
	From string
	Fn   func(any) any
}

func foldValue(v any) any {
	if s, ok := v.(string); ok {
		return data.Fold(s)
	}
	return v
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Table{}
)

// Register adds or replaces a synced table. Packages that add tables
// register them in init().
func Register(t Table) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry[t.Name] = t
}

// Lookup finds a registered table.
func Lookup(name string) (Table, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	t, ok := registry[name]
	return t, ok
}

// Tables lists the registered tables, parents first.
func Tables() []Table {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]Table, 0, len(registry))
	for _, t := range registry {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// TableNames lists the registered table names, parents first.
func TableNames() []string {
	ts := Tables()
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

// IsLocal reports whether a column stays on the replica.
func (t Table) IsLocal(col string) bool {
	for _, c := range t.LocalColumns {
		if c == col {
			return true
		}
	}
	return false
}

// MetaColumns are managed by the sync itself and never merged field by
// field: the hub assigns versions, the creator stays the creator.
var MetaColumns = map[string]bool{"id": true, "device_id": true, "version": true, "created_at": true, "updated_at": true}

// ConflictTable is the synced table of merge conflicts: created by the hub,
// resolved by a district user, resolution pushed back like any edit.
const ConflictTable = "sync_conflict"

func init() {
	Register(Table{Name: "person", Kind: Mutable, Order: 10})
	Register(Table{Name: "venue", Kind: Mutable, WardColumn: "ward_code", LocalColumns: []string{"last_checkin_at"}, Order: 20,
		Derived: map[string]Derivation{"name_folded": {From: "name", Fn: foldValue}}})
	Register(Table{Name: "case_f0", Kind: Mutable, Order: 30})
	Register(Table{Name: "inspection_schedule", Kind: Mutable, WardColumn: "ward_code", Order: 30})
	Register(Table{Name: "checkin", Kind: Event, ParentTable: "venue", ParentColumn: "venue_id", Order: 40})
	Register(Table{Name: "inspection", Kind: Event, ParentTable: "venue", ParentColumn: "venue_id", Order: 40})
	Register(Table{Name: "violation", Kind: Event, ParentTable: "venue", ParentColumn: "venue_id", Order: 50})
	Register(Table{Name: "violation_event", Kind: Event, ParentTable: "violation", ParentColumn: "violation_id", Order: 60})
	Register(Table{Name: "document", Kind: Event, Order: 60})
	Register(Table{Name: ConflictTable, Kind: Mutable, WardColumn: "ward", Order: 90})
	// Tables added by the tracing, inspection and scan-station work, each
	// filed under the ward of the venue (or inspection) it belongs to.
	Register(Table{Name: "trace_visit", Kind: Mutable, ParentTable: "venue", ParentColumn: "venue_id", Order: 45})
	Register(Table{Name: "inspection_round_venue", Kind: Mutable, ParentTable: "venue", ParentColumn: "venue_id", Order: 45})
	Register(Table{Name: "poster_check", Kind: Event, ParentTable: "venue", ParentColumn: "venue_id", Order: 45})
	Register(Table{Name: "citizen_report", Kind: Mutable, ParentTable: "venue", ParentColumn: "venue_id", Order: 45})
	Register(Table{Name: "inspection_photo", Kind: Event, ParentTable: "inspection", ParentColumn: "inspection_id", Order: 50})
	// Tracing follow-ups hang from their F0 case (which, like people, has
	// no ward of its own: see HomeWarded); evidence snapshots from their
	// venue, or from their inspection when they have no venue; outbreak
	// areas are kept by an office for its stations and filed under the
	// office's (home) ward.
	Register(Table{Name: "trace_contact", Kind: Mutable, ParentTable: "case_f0", ParentColumn: "case_id", Order: 40})
	Register(Table{Name: "evidence", Kind: Event, ParentTable: "venue", ParentColumn: "venue_id",
		FallbackParents: []Parent{{Table: "inspection", Column: "inspection_id"}}, Order: 50})
	Register(Table{Name: "outbreak_area", Kind: Mutable, Order: 30,
		Derived: map[string]Derivation{"name_folded": {From: "name", Fn: foldValue}}})
}

// RowHash is a digest of a row's content independent of column order, so
// a replica and the hub can be compared whatever their column lists.
func RowHash(names []string, vals Values) string {
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return names[idx[a]] < names[idx[b]] })
	var b []byte
	for _, i := range idx {
		b = append(b, names[i]...)
		b = append(b, 0)
		b = AppendValues(b, Values{vals[i]})
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}
