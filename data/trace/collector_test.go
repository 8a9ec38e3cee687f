package trace

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"qrward/data"
)

// referenceContacts is the collector's contract written plainly: per
// person, the strongest exposure of each visit; the reason is the
// strongest of those (the first met on a tie) and names its via; the list
// in order of first contact, then person id; exposures in time order.
func referenceContacts(level int, exclude map[data.ID]bool, adds []refAdd) []Contact {
	type person struct {
		via     data.ID
		reason  Exposure
		byVisit map[int]Exposure
		order   []int
	}
	people := map[data.ID]*person{}
	var ids []data.ID
	for _, a := range adds {
		if a.pr.PersonID.IsZero() || exclude[a.pr.PersonID] {
			continue
		}
		e, ok := a.p.Match(a.v, a.pr)
		if !ok {
			continue
		}
		e.Visit = a.vi
		pp := people[a.pr.PersonID]
		if pp == nil {
			pp = &person{via: a.via, reason: e, byVisit: map[int]Exposure{}}
			people[a.pr.PersonID] = pp
			ids = append(ids, a.pr.PersonID)
		} else if e.stronger(pp.reason) {
			pp.reason, pp.via = e, a.via
		}
		if old, ok := pp.byVisit[a.vi]; !ok {
			pp.order = append(pp.order, a.vi)
			pp.byVisit[a.vi] = e
		} else if e.stronger(old) {
			pp.byVisit[a.vi] = e
		}
	}
	var out []Contact
	for _, id := range ids {
		pp := people[id]
		c := Contact{PersonID: id, Via: pp.via, Level: level}
		for _, vi := range pp.order {
			c.Exposures = append(c.Exposures, pp.byVisit[vi])
		}
		slices.SortStableFunc(c.Exposures, func(a, b Exposure) int { return cmp.Compare(a.ContactIn, b.ContactIn) })
		c.Strongest = slices.Index(c.Exposures, pp.reason)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Contact) int {
		if c := cmp.Compare(a.FirstContact(), b.FirstContact()); c != 0 {
			return c
		}
		return bytes.Compare(a.PersonID[:], b.PersonID[:])
	})
	return out
}

type refAdd struct {
	p   Profile
	vi  int
	v   Visit
	pr  Presence
	via data.ID
}

// TestCollectorMatchesReference feeds random visits and presences (repeat
// scans, the F0, anonymous rows, both rule kinds, F2 vias and exclusions,
// hundreds of people) to collectors
// one after another, so each reuses the working state the previous one
// left, and compares every list with the plain reference.
func TestCollectorMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	profiles := Builtin()
	names := profiles.Names()
	for round := range 200 {
		p, _ := profiles.Get(names[rng.IntN(len(names))])
		f0 := data.NewID()
		size, per := 1+rng.IntN(40), 60
		if round%4 == 0 { // enough people to grow the index
			size, per = 300+rng.IntN(500), 400
		}
		pool := make([]data.ID, size)
		for i := range pool {
			pool[i] = data.NewID()
		}
		vias := []data.ID{{}, data.NewID(), data.NewID()}
		// Half the rounds hand the presences over as the store does: per
		// visit, in time order, one via per visit (AddVisit).
		perVisit := round%4 >= 2
		var adds []refAdd
		var visits [][]refAdd
		nVisits := 1 + rng.IntN(6)
		for vi := range nVisits {
			out := vi*120 + 20 + rng.IntN(90)
			v := visitAt([]string{"market", "cafe", "clinic"}[rng.IntN(3)], vi*120, []*int{nil, &out}[rng.IntN(2)])
			visitVia := vias[rng.IntN(len(vias))]
			first := len(adds)
			for range rng.IntN(per) {
				who := pool[rng.IntN(len(pool))]
				switch rng.IntN(20) {
				case 0:
					who = f0
				case 1:
					who = data.ID{}
				}
				in := vi*120 + rng.IntN(200) - 100
				pr := Presence{PersonID: who, In: at(in)}
				if rng.IntN(2) == 0 {
					pr.Out = at(in + rng.IntN(120))
				}
				via := vias[rng.IntN(len(vias))]
				if perVisit {
					via = visitVia
				}
				adds = append(adds, refAdd{p, vi, v, pr, via})
			}
			if perVisit {
				slices.SortStableFunc(adds[first:], func(a, b refAdd) int { return cmp.Compare(a.pr.In, b.pr.In) })
			}
			visits = append(visits, adds[first:])
		}
		exclude := []data.ID{f0}
		if round%3 == 0 { // F2: the F0 and many F1s
			for range 12 {
				exclude = append(exclude, pool[rng.IntN(len(pool))])
			}
		}
		excluded := map[data.ID]bool{}
		for _, id := range exclude {
			excluded[id] = true
		}
		col := NewCollector(1+round%2, exclude...)
		if round%2 == 0 {
			col.Grow(len(adds))
		}
		if perVisit {
			for _, va := range visits {
				if len(va) == 0 {
					continue
				}
				var found []Presence
				anonymous := 0
				for _, a := range va {
					found = append(found, a.pr)
					if a.pr.PersonID.IsZero() {
						anonymous++
					}
				}
				if got := col.AddVisit(p, va[0].vi, va[0].v, found, va[0].via); got != anonymous {
					t.Fatalf("round %d: AddVisit counted %d anonymous, want %d", round, got, anonymous)
				}
			}
		} else {
			for _, a := range adds {
				col.Add(a.p, a.vi, a.v, a.pr, a.via)
			}
		}
		got := col.Contacts()
		want := referenceContacts(1+round%2, excluded, adds)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d (%s): collector\n%+v\nreference\n%+v", round, p.Name, got, want)
		}
	}
}

// TestSortKeys: the merge of runs sorts like a general sort, on keys in
// order, in a few runs (ties in the same second, a few met earlier at a
// later visit), reversed and random, reusing its working space.
func TestSortKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cmpKeys := func(a, b sortKey) int {
		if a.less(b) {
			return -1
		}
		if b.less(a) {
			return 1
		}
		return 0
	}
	key := func(first int64) sortKey {
		return sortKey{first: first, idHi: rng.Uint64() % 4, idLo: rng.Uint64()}
	}
	shapes := map[string]func(n int) []sortKey{
		"sorted": func(n int) []sortKey {
			ks := make([]sortKey, n)
			for i := range ks {
				ks[i] = key(int64(i))
			}
			return ks
		},
		"nearly": func(n int) []sortKey {
			ks := make([]sortKey, n)
			for i := range ks {
				ks[i] = key(int64(i / 3)) // ties, in random id order
				if rng.IntN(50) == 0 {
					ks[i].first -= int64(rng.IntN(40)) // met earlier elsewhere
				}
			}
			return ks
		},
		"visits": func(n int) []sortKey { // sorted runs whose times overlap
			ks := make([]sortKey, n)
			for i := range ks {
				run, at := i*19/max(n, 1), i%max(n/19, 1)
				ks[i] = key(int64(run*50 + at))
			}
			return ks
		},
		"reversed": func(n int) []sortKey {
			ks := make([]sortKey, n)
			for i := range ks {
				ks[i] = key(int64(n - i))
			}
			return ks
		},
		"random": func(n int) []sortKey {
			ks := make([]sortKey, n)
			for i := range ks {
				ks[i] = key(rng.Int64N(100))
			}
			return ks
		},
	}
	var scratch []sortKey
	var bounds []int
	for name, shape := range shapes {
		for _, n := range []int{0, 1, 2, 3, 7, 100, 3000} {
			ks := shape(n)
			want := slices.Clone(ks)
			slices.SortFunc(want, cmpKeys)
			scratch, bounds = sortKeys(ks, scratch, bounds)
			if !slices.Equal(ks, want) {
				t.Fatalf("%s, %d keys: not sorted like slices.SortFunc", name, n)
			}
		}
	}
}
