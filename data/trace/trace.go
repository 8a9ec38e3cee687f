package trace

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
	"time"

	"qrward/data"
)

// Visit sources.
const (
	VisitCheckin = "checkin" // from the replica's check-ins
	VisitManual  = "manual"  // added by a tracer (paper register, interview)
)

// Visit is one stay of the traced person (the F0, or an F1 for F2 lists)
// at a venue.
type Visit struct {
	// ID is the manual visit's id; zero for a visit read from check-ins
	// (a trace reads those from an index that holds where and when only).
	ID        data.ID
	Source    string // VisitCheckin or VisitManual
	VenueID   data.ID
	VenueCode string
	VenueName string
	Category  string
	WardCode  string
	In        time.Time
	Out       *time.Time
	Note      string
}

// Presence is a check-in of someone else at the visit's venue: the raw
// material the profile judges. Times are unix seconds; Out is 0 when no
// check-out was recorded.
type Presence struct {
	PersonID data.ID
	In, Out  int64
}

// Exposure explains why one presence counts: which visit, where, and the
// times compared. Times are unix seconds. The venue is the visit's: a
// trace keeps thousands of exposures, so they stay small and hold no
// pointer for the garbage collector to scan.
type Exposure struct {
	// Visit is the index of the traced person's visit in Result.Visits
	// (for F2: in the F1's visits, see Contact.Via).
	Visit int `json:"visit"`
	// F0In/F0Out: the traced person's scan and stay end (without buffer);
	// for scan_window both are the scan time.
	F0In  int64 `json:"f0_in"`
	F0Out int64 `json:"f0_out"`
	// ContactIn/ContactOut: the contact's scan and assumed stay end.
	ContactIn  int64 `json:"contact_in"`
	ContactOut int64 `json:"contact_out"`
	// DeltaSeconds is contact scan − F0 scan; OverlapSeconds the shared
	// time for stay_overlap profiles (0 for scan_window).
	DeltaSeconds   int64 `json:"delta_seconds"`
	OverlapSeconds int64 `json:"overlap_seconds"`
}

// stronger reports whether e is a better reason than o: a longer overlap,
// else a closer scan, else an earlier one.
func (e Exposure) stronger(o Exposure) bool {
	if e.OverlapSeconds != o.OverlapSeconds {
		return e.OverlapSeconds > o.OverlapSeconds
	}
	if a, b := abs(e.DeltaSeconds), abs(o.DeltaSeconds); a != b {
		return a < b
	}
	return e.ContactIn < o.ContactIn
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Contact is one person on a tracing list, once however many visits put
// them there.
type Contact struct {
	PersonID data.ID `json:"person_id"`
	// Via is the F1 through whom an F2 was exposed (zero for F1).
	Via data.ID `json:"via,omitempty"`
	// Level is 1 for F1, 2 for F2.
	Level int `json:"level"`
	// Exposures are all the person's exposures in time order (one per
	// visit at most, never empty); Strongest indexes the one that is the
	// Reason. (An index rather than a copy: a heavy trace returns
	// thousands of contacts.)
	Exposures []Exposure `json:"exposures"`
	Strongest int        `json:"strongest"`
}

// Reason is the strongest exposure: the longest overlap, else the closest
// scan, else the earliest.
func (c Contact) Reason() Exposure { return c.Exposures[c.Strongest] }

// FirstContact is the earliest time the person met the traced one.
func (c Contact) FirstContact() int64 { return c.Exposures[0].ContactIn }

// Collector gathers exposures and keeps one contact per person. It is on
// the hot path of a trace (thousands of presences per F0): its working
// state is flat, pointer-free and reused from one trace to the next, so a
// trace allocates little more than the list it returns.
type Collector struct {
	level   int
	exclude []data.ID // the F0 (and F1s for F2): a few, or a few thousand
	// excludeSet is exclude as a set once it is too long to scan.
	excludeSet map[data.ID]bool
	*collectorState
}

// collectorState is the reusable part of a Collector.
type collectorState struct {
	index  personIndex
	people []collectedPerson
	exps   []collected
	// Scratch for Contacts.
	counts  []int32
	order   []sortKey
	scratch []sortKey
	bounds  []int
}

// sortKey orders contacts by first contact time, then person id (its
// bytes as two big-endian words: integer compares instead of
// bytes.Compare calls).
type sortKey struct {
	first      int64
	idHi, idLo uint64
	contact    int32
}

type collectedPerson struct {
	id, via data.ID
	reason  int32 // index in exps of the strongest exposure
	last    int32 // index in exps of the latest exposure
}

type collected struct {
	contact int32
	e       Exposure
}

var collectorStates = sync.Pool{New: func() any { return new(collectorState) }}

// NewCollector starts a list of the given level; people in exclude (the
// F0, or F0 and F1s for F2) never appear on it.
func NewCollector(level int, exclude ...data.ID) *Collector {
	c := &Collector{level: level, exclude: exclude, collectorState: collectorStates.Get().(*collectorState)}
	if len(exclude) > 8 {
		c.excludeSet = make(map[data.ID]bool, len(exclude))
		for _, id := range exclude {
			c.excludeSet[id] = true
		}
	}
	return c
}

func (col *Collector) excluded(id data.ID) bool {
	if col.excludeSet != nil {
		return col.excludeSet[id]
	}
	return slices.Contains(col.exclude, id)
}

// Add judges a presence at visit number vi under profile p and records it
// if it is an exposure. via is the F1 for F2 lists.
func (col *Collector) Add(p Profile, vi int, v Visit, pr Presence, via data.ID) {
	rule := p.forVisit(v)
	col.add(&rule, vi, pr, via)
}

// AddVisit is Add for every presence read for visit number vi, in order;
// it returns how many of them name no person (paper entries without a
// name), which are never contacts.
func (col *Collector) AddVisit(p Profile, vi int, v Visit, found []Presence, via data.ID) (anonymous int) {
	rule := p.forVisit(v)
	for i := range found {
		if found[i].PersonID.IsZero() {
			anonymous++
			continue
		}
		col.add(&rule, vi, found[i], via)
	}
	return anonymous
}

func (col *Collector) add(rule *visitRule, vi int, pr Presence, via data.ID) {
	if pr.PersonID.IsZero() || col.excluded(pr.PersonID) {
		return
	}
	e, ok := rule.match(pr)
	if !ok {
		return
	}
	e.Visit = vi
	ci, slot := col.index.find(pr.PersonID, col.people)
	if ci < 0 {
		ci = int32(len(col.people))
		col.index.put(slot, ci)
		at := int32(len(col.exps))
		col.people = append(col.people, collectedPerson{id: pr.PersonID, via: via, reason: at, last: at})
		col.exps = append(col.exps, collected{ci, e})
		col.index.grew(col.people)
		return
	}
	c := &col.people[ci]
	// Visits are judged one after another, so a second scan of the same
	// person within one visit's range is the contact's latest exposure:
	// one meeting, keep the stronger reason.
	if last := &col.exps[c.last]; last.e.Visit == vi {
		if e.stronger(last.e) {
			last.e = e
			if c.reason == c.last {
				c.via = via
			}
		}
	} else {
		c.last = int32(len(col.exps))
		col.exps = append(col.exps, collected{ci, e})
	}
	if c.reason != c.last && col.exps[c.last].e.stronger(col.exps[c.reason].e) {
		c.reason, c.via = c.last, via
	}
}

// Grow makes room for n more presences, so a trace of thousands of rows
// does not regrow its slices and map on the way.
func (col *Collector) Grow(n int) {
	col.exps = slices.Grow(col.exps, n)
	col.people = slices.Grow(col.people, n)
	col.index.reserve(len(col.people)+n, col.people)
}

// Len is the number of distinct people collected.
func (col *Collector) Len() int { return len(col.people) }

// Contacts returns the list sorted by first contact time (the earliest
// exposure kept, as FirstContact), then person id, each contact's
// exposures in time order. It ends the collection: the
// collector's working state goes back for the next trace.
func (col *Collector) Contacts() []Contact {
	st := col.collectorState
	if st == nil {
		return nil
	}
	col.collectorState = nil
	defer func() {
		st.index.reset()
		st.people, st.exps = st.people[:0], st.exps[:0]
		collectorStates.Put(st)
	}()
	n := len(st.people)
	// Exposures grouped by contact (a counting sort), in one block that
	// the contacts' Exposures slice.
	st.counts = append(st.counts[:0], make([]int32, n+1)...)
	counts := st.counts
	for _, x := range st.exps {
		counts[x.contact+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	flat := make([]Exposure, len(st.exps))
	fill := counts[:n] // advanced per contact below, then restored
	for _, x := range st.exps {
		flat[fill[x.contact]] = x.e
		fill[x.contact]++
	}
	for i := n - 1; i > 0; i-- {
		counts[i] = counts[i-1]
	}
	if n > 0 {
		counts[0] = 0
	}
	people := st.people
	st.order = st.order[:0]
	for j := range n {
		es := flat[counts[j]:counts[j+1]]
		if len(es) > 1 {
			slices.SortStableFunc(es, func(a, b Exposure) int { return cmp.Compare(a.ContactIn, b.ContactIn) })
		}
		id := &people[j].id
		st.order = append(st.order, sortKey{first: es[0].ContactIn, contact: int32(j),
			idHi: binary.BigEndian.Uint64(id[:8]), idLo: binary.BigEndian.Uint64(id[8:])})
	}
	st.scratch, st.bounds = sortKeys(st.order, st.scratch, st.bounds)
	out := make([]Contact, n)
	for i, k := range st.order {
		j := k.contact
		p := &people[j]
		c := &out[i]
		c.PersonID, c.Via, c.Level = p.id, p.via, col.level
		c.Exposures = flat[counts[j]:counts[j+1]:counts[j+1]]
		if len(c.Exposures) > 1 {
			// Exposures of one person differ at least by visit.
			c.Strongest = slices.Index(c.Exposures, st.exps[p.reason].e)
		}
	}
	return out
}

func (a sortKey) less(b sortKey) bool {
	if a.first != b.first {
		return a.first < b.first
	}
	if a.idHi != b.idHi {
		return a.idHi < b.idHi
	}
	return a.idLo < b.idLo
}

// sortKeys sorts the contacts' keys by merging the ascending runs they
// come in. People are numbered as they are first met, visit after visit,
// each visit's presences in time order: the keys come as about one run per
// visit (a heavy F0's 2,169 keys: 19 runs), which a merge of runs sorts in
// a few passes where a general sort spent ~0.1 ms. Any order sorts
// correctly, at worst in log2(n) passes. scratch and bounds are working
// space, returned for reuse.
func sortKeys(keys, scratch []sortKey, bounds []int) ([]sortKey, []int) {
	bounds = append(bounds[:0], 0)
	for i := 1; i < len(keys); i++ {
		if keys[i].less(keys[i-1]) {
			bounds = append(bounds, i)
		}
	}
	bounds = append(bounds, len(keys))
	if len(bounds) <= 2 {
		return scratch, bounds
	}
	scratch = slices.Grow(scratch[:0], len(keys))[:len(keys)]
	src, dst := keys, scratch
	for len(bounds) > 2 {
		// Merge runs pairwise from src into dst; bounds is rewritten in
		// place (each write lands before the next read).
		runs, w := len(bounds)-1, 1
		for r := 0; r+1 < runs; r += 2 {
			lo, mid, hi := bounds[r], bounds[r+1], bounds[r+2]
			mergeKeys(dst[lo:hi], src[lo:mid], src[mid:hi])
			bounds[w] = hi
			w++
		}
		if runs%2 == 1 {
			lo, hi := bounds[runs-1], bounds[runs]
			copy(dst[lo:hi], src[lo:hi])
			bounds[w] = hi
			w++
		}
		bounds = bounds[:w]
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	return scratch, bounds
}

// mergeKeys merges the sorted a and b into dst, a's keys first on ties.
func mergeKeys(dst, a, b []sortKey) {
	i, j := 0, 0
	for k := range dst {
		if j >= len(b) || (i < len(a) && !b[j].less(a[i])) {
			dst[k] = a[i]
			i++
		} else {
			dst[k] = b[j]
			j++
		}
	}
}

// personIndex finds a person's number among the collected people: open
// addressing on the id's bits, slots holding number+1 (0 is empty), kept
// at most half full. A trace looks up every presence, and this is about
// three times faster than a Go map keyed by the 16-byte id.
type personIndex struct {
	slots []int32
	shift uint // 64 − log2(len(slots))
}

func (x *personIndex) hash(id data.ID) uint64 {
	lo, hi := binary.LittleEndian.Uint64(id[:8]), binary.LittleEndian.Uint64(id[8:])
	return ((hi ^ lo*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9) >> x.shift
}

// find returns the person's number, or −1 and the empty slot to put it in.
func (x *personIndex) find(id data.ID, people []collectedPerson) (int32, int) {
	if len(x.slots) == 0 {
		x.reserve(256, people)
	}
	mask := len(x.slots) - 1
	for i := int(x.hash(id)); ; i = (i + 1) & mask {
		n := x.slots[i]
		if n == 0 {
			return -1, i
		}
		if people[n-1].id == id {
			return n - 1, i
		}
	}
}

func (x *personIndex) put(slot int, n int32) { x.slots[slot] = n + 1 }

// grew keeps the table at most half full after people grew by one.
func (x *personIndex) grew(people []collectedPerson) {
	if 2*len(people) > len(x.slots) {
		x.reserve(2*len(people), people)
	}
}

// reserve makes room for n people without growing again.
func (x *personIndex) reserve(n int, people []collectedPerson) {
	size := 256
	for size < 2*n {
		size *= 2
	}
	if size <= len(x.slots) {
		return
	}
	x.slots = make([]int32, size)
	x.shift = uint(64 - bits.TrailingZeros(uint(size)))
	mask := size - 1
	for n, p := range people {
		i := int(x.hash(p.id))
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = int32(n) + 1
	}
}

func (x *personIndex) reset() { clear(x.slots) }

// Result is a computed tracing list.
type Result struct {
	CaseID      data.ID   `json:"case_id"`
	F0PersonID  data.ID   `json:"f0_person_id"`
	Profile     Profile   `json:"profile"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
	Visits      []Visit   `json:"visits"`
	F1          []Contact `json:"f1"`
	// F2 is computed only on request, under F2Rule.
	F2     []Contact `json:"f2,omitempty"`
	F2Rule *Profile  `json:"f2_rule,omitempty"`
	// F1Visits are the F1s' visits F2 was traced from, indexed by
	// Exposure.Visit of F2 contacts.
	F1Visits []Visit `json:"f1_visits,omitempty"`
	// Candidates is how many check-ins were read and judged; Anonymous
	// how many of them had no person (paper entries without a name).
	Candidates int           `json:"candidates"`
	Anonymous  int           `json:"anonymous"`
	Elapsed    time.Duration `json:"elapsed_ns"`
}

// Estimate is what the tracer sees before computing: how much work a
// trace will do.
type Estimate struct {
	Visits       int `json:"visits"`
	ManualVisits int `json:"manual_visits"`
	// Candidates is the number of check-ins inside the visits' ranges
	// (an upper bound on the list's length).
	Candidates int `json:"candidates"`
}
