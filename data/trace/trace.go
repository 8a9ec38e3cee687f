package trace

import (
	"bytes"
	"cmp"
	"slices"
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
	// ID is the check-in's or the manual visit's id.
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
// times compared. Times are unix seconds.
type Exposure struct {
	// Visit is the index of the traced person's visit in Result.Visits
	// (for F2: in the F1's visits, see Contact.Via).
	Visit     int     `json:"visit"`
	VenueID   data.ID `json:"venue_id"`
	VenueName string  `json:"venue_name"`
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
	// Level is 1 for F1, 2 for F2.
	Level int `json:"level"`
	// Via is the F1 through whom an F2 was exposed (zero for F1).
	Via data.ID `json:"via,omitempty"`
	// Reason is the strongest exposure; Exposures all of them in time
	// order (one per visit at most).
	Reason    Exposure   `json:"reason"`
	Exposures []Exposure `json:"exposures"`
}

// FirstContact is the earliest time the person met the traced one.
func (c Contact) FirstContact() int64 {
	t := c.Reason.ContactIn
	for _, e := range c.Exposures {
		t = min(t, e.ContactIn)
	}
	return t
}

// Collector gathers exposures and keeps one contact per person. It is on
// the hot path of a trace (thousands of presences per F0), so it keeps
// flat slices and allocates per call, not per presence.
type Collector struct {
	level    int
	exclude  map[data.ID]bool
	index    map[data.ID]int32
	contacts []Contact
	first    []int64 // earliest contact time per contact
	last     []int32 // index in exps of each contact's latest exposure
	exps     []collected
}

type collected struct {
	contact int32
	e       Exposure
}

// NewCollector starts a list of the given level; people in exclude (the
// F0, or F0 and F1s for F2) never appear on it.
func NewCollector(level int, exclude ...data.ID) *Collector {
	c := &Collector{level: level, exclude: map[data.ID]bool{}, index: make(map[data.ID]int32, 256)}
	for _, id := range exclude {
		c.exclude[id] = true
	}
	return c
}

// Add judges a presence at visit number vi under profile p and records it
// if it is an exposure. via is the F1 for F2 lists.
func (col *Collector) Add(p Profile, vi int, v Visit, pr Presence, via data.ID) bool {
	if pr.PersonID.IsZero() || col.exclude[pr.PersonID] {
		return false
	}
	e, ok := p.Match(v, pr)
	if !ok {
		return false
	}
	e.Visit = vi
	ci, seen := col.index[pr.PersonID]
	if !seen {
		ci = int32(len(col.contacts))
		col.index[pr.PersonID] = ci
		col.contacts = append(col.contacts, Contact{PersonID: pr.PersonID, Level: col.level, Via: via, Reason: e})
		col.first = append(col.first, e.ContactIn)
		col.last = append(col.last, int32(len(col.exps)))
		col.exps = append(col.exps, collected{ci, e})
		return true
	}
	c := &col.contacts[ci]
	if e.stronger(c.Reason) {
		c.Reason, c.Via = e, via
	}
	col.first[ci] = min(col.first[ci], e.ContactIn)
	// Visits are judged one after another, so a second scan of the same
	// person within one visit's range is the contact's latest exposure:
	// one meeting, keep the stronger reason.
	if last := &col.exps[col.last[ci]]; last.e.Visit == vi {
		if e.stronger(last.e) {
			last.e = e
		}
		return true
	}
	col.last[ci] = int32(len(col.exps))
	col.exps = append(col.exps, collected{ci, e})
	return true
}

// Grow makes room for n more presences, so a trace of thousands of rows
// does not regrow its slices and map on the way.
func (col *Collector) Grow(n int) {
	col.exps = slices.Grow(col.exps, n)
	col.contacts = slices.Grow(col.contacts, n)
	col.first = slices.Grow(col.first, n)
	col.last = slices.Grow(col.last, n)
	if len(col.index) == 0 && n > 256 {
		col.index = make(map[data.ID]int32, n)
	}
}

// Len is the number of distinct people collected.
func (col *Collector) Len() int { return len(col.contacts) }

// Contacts returns the list sorted by first contact time, then person id,
// each contact's exposures in time order.
func (col *Collector) Contacts() []Contact {
	counts := make([]int32, len(col.contacts)+1)
	for _, x := range col.exps {
		counts[x.contact+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	flat := make([]Exposure, len(col.exps))
	fill := append([]int32(nil), counts[:len(col.contacts)]...)
	for _, x := range col.exps {
		flat[fill[x.contact]] = x.e
		fill[x.contact]++
	}
	order := make([]int32, len(col.contacts))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(col.first[a], col.first[b]); c != 0 {
			return c
		}
		return bytes.Compare(col.contacts[a].PersonID[:], col.contacts[b].PersonID[:])
	})
	out := make([]Contact, len(order))
	for i, j := range order {
		out[i] = col.contacts[j]
		es := flat[counts[j]:counts[j+1]:counts[j+1]]
		if len(es) > 1 {
			slices.SortStableFunc(es, func(a, b Exposure) int { return cmp.Compare(a.ContactIn, b.ContactIn) })
		}
		out[i].Exposures = es
	}
	return out
}

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
