package data

import (
	"sort"
	"strings"
	"time"
)

// VenueRow is the slice of a venue the list screen and searches need.
// Keeping only this in memory lets 20,000 venues filter per keystroke in a
// few milliseconds without touching SQLite.
type VenueRow struct {
	ID            ID
	Code          string
	Name          string
	Category      string
	Address       string
	WardCode      string
	WardName      string
	OwnerPhone    string
	ControlMethod string
	Status        string
	HasQR         bool
	LastCheckinAt *time.Time

	name string // folded name, for ranking
	key  string // folded name, address, ward, code and phone: the search haystack
}

// VenueIndex is an in-memory, read-only search index over venue rows.
type VenueIndex struct {
	rows []VenueRow
}

// NewVenueIndex builds the index; rows are kept sorted by folded name.
func NewVenueIndex(rows []VenueRow) *VenueIndex {
	for i := range rows {
		r := &rows[i]
		r.name = Fold(r.Name)
		r.key = r.name + " | " + Fold(r.Address) + " | " + Fold(r.WardName) +
			" | " + strings.ToLower(r.Code) + " | " + r.OwnerPhone
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].key < rows[j].key })
	return &VenueIndex{rows: rows}
}

// Len is the number of venues indexed.
func (x *VenueIndex) Len() int { return len(x.rows) }

// Row returns the i-th row in index order.
func (x *VenueIndex) Row(i int) VenueRow { return x.rows[i] }

// Search returns the indexes (into Row) of the rows matching f. Every word
// of the query must appear in the row, ignoring case and diacritics (đ
// too); a word that looks like a phone number (+84…, 84…) also matches in
// its 0… form. Venues whose name is the query, then those whose name
// starts with it, come first; the rest keep name order.
func (x *VenueIndex) Search(f VenueFilter) []int {
	tokens := queryTokens(f.Query)
	var silentBefore time.Time
	if f.SilentDays > 0 {
		now := f.Now
		if now.IsZero() {
			now = time.Now()
		}
		silentBefore = now.AddDate(0, 0, -f.SilentDays)
	}
	out := make([]int, 0, 64)
rows:
	for i := range x.rows {
		r := &x.rows[i]
		if f.WardCode != "" && r.WardCode != f.WardCode ||
			f.Category != "" && r.Category != f.Category ||
			f.Status != "" && r.Status != f.Status ||
			f.ControlMethod != "" && r.ControlMethod != f.ControlMethod ||
			f.HasQR != nil && r.HasQR != *f.HasQR {
			continue
		}
		if f.SilentDays > 0 && r.LastCheckinAt != nil && !r.LastCheckinAt.Before(silentBefore) {
			continue
		}
		for _, alts := range tokens {
			if !strings.Contains(r.key, alts[0]) && (len(alts) == 1 || !strings.Contains(r.key, alts[1])) {
				continue rows
			}
		}
		out = append(out, i)
	}
	if len(tokens) > 0 {
		// Rank in one pass into three buckets (exact name, name prefix,
		// other), keeping name order inside each.
		q := Fold(f.Query)
		var exact, prefix []int
		rest := out[:0]
		for _, i := range out {
			switch n := x.rows[i].name; {
			case n == q:
				exact = append(exact, i)
			case strings.HasPrefix(n, q):
				prefix = append(prefix, i)
			default:
				rest = append(rest, i)
			}
		}
		ranked := make([]int, 0, len(out))
		ranked = append(append(append(ranked, exact...), prefix...), rest...)
		out = ranked
	}
	return out
}

// queryTokens folds the query and splits it into words, each with the
// alternatives that may match it: a phone-like word also matches without
// its separators and with +84/84 turned into 0.
func queryTokens(q string) [][]string {
	words := strings.Fields(Fold(q))
	out := make([][]string, len(words))
	for i, w := range words {
		out[i] = []string{w}
		d := Digits(w)
		if len(d) >= 4 && strings.Trim(w, "0123456789+.-()") == "" {
			switch {
			case strings.HasPrefix(w, "+84"):
				d = "0" + d[2:]
			case strings.HasPrefix(d, "84") && len(d) >= 11:
				d = "0" + d[2:]
			}
			if d != w {
				out[i] = append(out[i], d)
			}
		}
	}
	return out
}
