package trace

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"qrward/data"
)

var base = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func at(min int) int64 { return base.Add(time.Duration(min) * time.Minute).Unix() }

func visitAt(category string, in int, out *int) Visit {
	v := Visit{VenueID: data.NewID(), VenueName: "Chợ Hàn", Category: category, In: base.Add(time.Duration(in) * time.Minute)}
	if out != nil {
		t := base.Add(time.Duration(*out) * time.Minute)
		v.Out = &t
	}
	return v
}

func intp(i int) *int { return &i }

func TestBuiltinProfiles(t *testing.T) {
	ps := Builtin()
	for _, name := range []string{"vietnam", "overlap30", "category_stay", "f2_direct"} {
		p, err := ps.Get(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s invalid: %v", name, err)
		}
		if p.TitleIn("vi") == name || p.TitleIn("en") == name {
			t.Errorf("%s has no title", name)
		}
	}
	if p, _ := ps.Get(""); p.Name != DefaultProfile || p.WindowMinutes != 60 {
		t.Errorf("default profile %+v", p)
	}
	if names := ps.Names(); names[0] != DefaultProfile {
		t.Errorf("names %v", names)
	}
	if _, err := ps.Get("nope"); data.ErrorCode(err) != data.ENotFound {
		t.Errorf("unknown profile: %v", err)
	}
}

// Vietnam ±60 min, scan times only: the boundaries are inclusive.
func TestScanWindowBoundaries(t *testing.T) {
	p, _ := Builtin().Get("vietnam")
	v := visitAt("market", 0, nil)
	cases := []struct {
		sec  int64
		want bool
	}{
		{-3601, false}, {-3600, true}, {-1, true}, {0, true}, {3600, true}, {3601, false},
	}
	for _, c := range cases {
		e, ok := p.Match(v, Presence{PersonID: data.NewID(), In: v.In.Unix() + c.sec})
		if ok != c.want {
			t.Errorf("delta %ds: got %v, want %v", c.sec, ok, c.want)
		}
		if ok && e.DeltaSeconds != c.sec {
			t.Errorf("delta %ds reported as %d", c.sec, e.DeltaSeconds)
		}
	}
	// A check-out plays no part in scan_window.
	e, ok := p.Match(visitAt("market", 0, intp(600)), Presence{In: at(120)})
	if ok {
		t.Errorf("scan 2 h later matched: %+v", e)
	}
	lo, hi := p.Range(v)
	if lo != at(-60) || hi != at(60) {
		t.Errorf("range %d..%d", lo-v.In.Unix(), hi-v.In.Unix())
	}
}

// Stay overlap with a 30-minute buffer after the F0 leaves.
func TestStayOverlapBuffer(t *testing.T) {
	p, _ := Builtin().Get("overlap30")
	// F0 at a restaurant 0..90 (check-out recorded): exposure window 0..120.
	v := visitAt("restaurant", 0, intp(90))
	cases := []struct {
		name    string
		in, out int // minutes; out -1 = no check-out (restaurant default 90 min)
		want    bool
		overlap int // minutes
	}{
		{"arrives during the stay", 30, 40, true, 10},
		{"arrives within the buffer", 110, 130, true, 10},
		{"arrives exactly when the buffer ends", 120, 130, false, 0},
		{"arrives one minute before the buffer ends", 119, 130, true, 1},
		{"left exactly when F0 arrived", -30, 0, false, 0},
		{"left one minute after F0 arrived", -30, 1, true, 1},
		{"no check-out: default 90 min stay reaches F0", -89, -1, true, 1},
		{"no check-out: default stay ends as F0 arrives", -90, -1, false, 0},
		{"long stay around F0", -60, 300, true, 120},
	}
	for _, c := range cases {
		pr := Presence{PersonID: data.NewID(), In: at(c.in)}
		if c.out != -1 {
			pr.Out = at(c.out)
		}
		e, ok := p.Match(v, pr)
		if ok != c.want {
			t.Errorf("%s: got %v, want %v (%+v)", c.name, ok, c.want, e)
			continue
		}
		if ok && e.OverlapSeconds != int64(c.overlap)*60 {
			t.Errorf("%s: overlap %ds, want %d min", c.name, e.OverlapSeconds, c.overlap)
		}
		// Every match lies inside the index range the store reads.
		lo, hi := p.Range(v)
		if ok && (pr.In < lo || pr.In > hi) {
			t.Errorf("%s: %d outside range %d..%d", c.name, pr.In, lo, hi)
		}
	}
	if e, _ := p.Match(v, Presence{In: at(30), Out: at(40)}); e.F0Out != at(90) || e.ContactOut != at(40) {
		t.Errorf("reported stays %+v", e)
	}
}

// Per-category default stays when neither side checked out.
func TestCategoryStay(t *testing.T) {
	p, _ := Builtin().Get("category_stay")
	// Grocery: 15 min. F0 0..15; a contact at 14 overlaps 1 min, at 15 none.
	g := visitAt("grocery", 0, nil)
	if _, ok := p.Match(g, Presence{In: at(14)}); !ok {
		t.Error("grocery +14 min not matched")
	}
	if _, ok := p.Match(g, Presence{In: at(15)}); ok {
		t.Error("grocery +15 min matched (stays only touch)")
	}
	// Hotel: 720 min, the profile's cap.
	h := visitAt("hotel", 0, nil)
	if e, ok := p.Match(h, Presence{In: at(700)}); !ok || e.OverlapSeconds != 20*60 {
		t.Errorf("hotel +700 min: %v %+v", ok, e)
	}
	// A recorded check-out 3 days later is cut at the 12 h cap.
	if _, ok := p.Match(visitAt("hotel", 0, intp(3*24*60)), Presence{In: at(721)}); ok {
		t.Error("stay beyond the cap matched")
	}
	// An unknown category falls back to 60 min.
	if _, ok := p.Match(visitAt("nope", 0, nil), Presence{In: at(59)}); !ok {
		t.Error("fallback stay")
	}
}

// F2: direct overlap of at least 15 minutes, inclusive.
func TestF2MinOverlap(t *testing.T) {
	p, _ := Builtin().Get(F2Profile)
	v := visitAt("cafe", 0, intp(60))
	if _, ok := p.Match(v, Presence{In: at(45), Out: at(80)}); !ok {
		t.Error("exactly 15 min overlap not matched")
	}
	if _, ok := p.Match(v, Presence{In: at(46), Out: at(80)}); ok {
		t.Error("14 min overlap matched")
	}
	// No buffer: arriving right after the F1 left is nothing.
	if _, ok := p.Match(v, Presence{In: at(61), Out: at(120)}); ok {
		t.Error("after the F1 left matched")
	}
}

func TestCollectorDeduplicates(t *testing.T) {
	p, _ := Builtin().Get("vietnam")
	f0, a, b := data.NewID(), data.NewID(), data.NewID()
	v0, v1 := visitAt("market", 0, nil), visitAt("cafe", 300, nil)
	col := NewCollector(1, f0)
	col.Add(p, 0, v0, Presence{PersonID: a, In: at(50)}, data.ID{})
	col.Add(p, 0, v0, Presence{PersonID: a, In: at(-5)}, data.ID{}) // closer scan, same visit
	col.Add(p, 1, v1, Presence{PersonID: a, In: at(330)}, data.ID{})
	col.Add(p, 0, v0, Presence{PersonID: f0, In: at(0)}, data.ID{})  // the F0 themself
	col.Add(p, 0, v0, Presence{PersonID: b, In: at(61)}, data.ID{})  // outside the window
	col.Add(p, 1, v1, Presence{PersonID: b, In: at(360)}, data.ID{}) // at the edge
	got := col.Contacts()
	if len(got) != 2 {
		t.Fatalf("contacts %d, want 2: %+v", len(got), got)
	}
	if got[0].PersonID != a || len(got[0].Exposures) != 2 || got[0].Reason().DeltaSeconds != -300 || got[0].Reason().Visit != 0 {
		t.Errorf("contact a: %+v", got[0])
	}
	if got[1].PersonID != b || got[1].Reason().Visit != 1 || got[1].Reason().DeltaSeconds != 3600 {
		t.Errorf("contact b: %+v", got[1])
	}
}

func TestLoadUserProfiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "rules.json")
	os.WriteFile(good, []byte(`[{"name":"nz","method":"scan_window","window_minutes":30,"title":{"vi":"NZ"}},
		{"name":"vietnam","method":"scan_window","window_minutes":90}]`), 0o644)
	ps := Builtin()
	if err := ps.LoadFile(good); err != nil {
		t.Fatal(err)
	}
	if p, _ := ps.Get("nz"); p.WindowMinutes != 30 {
		t.Errorf("nz %+v", p)
	}
	if p, _ := ps.Get("vietnam"); p.WindowMinutes != 90 {
		t.Errorf("override %+v", p)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"name":"ok","method":"scan_window","window_minutes":5},{"name":"x","method":"radius"}]`), 0o644)
	ps = Builtin()
	err := ps.LoadFile(bad)
	fe := data.FieldErrors(err)
	if data.ErrorCode(err) != data.EInvalid || len(fe) != 1 || fe[0].Field != "method" {
		t.Fatalf("bad file: %v", err)
	}
	if _, err := ps.Get("ok"); err == nil {
		t.Error("a valid profile from a bad file was kept")
	}
	os.WriteFile(bad, []byte(`{nope`), 0o644)
	if err := ps.LoadFile(bad); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("syntax: %v", err)
	}
}
