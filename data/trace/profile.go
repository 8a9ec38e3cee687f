package trace

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"qrward/data"
)

// Methods a profile may use to decide that two visits at one venue were
// close enough in time.
const (
	// MethodScanWindow compares scan times only: the contact scanned in at
	// most WindowMinutes before or after the F0's scan (PC-Covid, NZ).
	MethodScanWindow = "scan_window"
	// MethodStayOverlap compares stays: the contact's stay overlaps the
	// F0's stay, whose end is extended by BufferMinutes (CWA, CLEA).
	MethodStayOverlap = "stay_overlap"
)

// DefaultProfile is the rule used when none is named: Vietnam's ±1 hour.
const DefaultProfile = "vietnam"

// F2Profile is the tighter rule F2 lists use.
const F2Profile = "f2_direct"

// Profile is a named exposure rule. Profiles are data (embedded JSON under
// profiles/, or a user file) so an office can adjust them without a
// release.
//
// Boundaries, all inclusive unless said otherwise:
//   - scan_window: |contact scan − F0 scan| ≤ WindowMinutes.
//   - stay_overlap: the F0's stay is [in, end + BufferMinutes], the
//     contact's [in, end]; a stay without a check-out ends after the
//     category's default stay (CategoryStay) or StayMinutes; stays are cut
//     at MaxStayMinutes. The overlap must be ≥ MinOverlapMinutes and, when
//     that is 0, longer than zero: stays that only touch (one leaves the
//     second the other arrives) do not count.
type Profile struct {
	Name  string            `json:"name"`
	Title map[string]string `json:"title"`
	// Method is MethodScanWindow or MethodStayOverlap.
	Method            string `json:"method"`
	WindowMinutes     int    `json:"window_minutes,omitempty"`
	BufferMinutes     int    `json:"buffer_minutes,omitempty"`
	StayMinutes       int    `json:"stay_minutes,omitempty"`
	CategoryStay      bool   `json:"category_stay,omitempty"`
	MinOverlapMinutes int    `json:"min_overlap_minutes,omitempty"`
	MaxStayMinutes    int    `json:"max_stay_minutes,omitempty"`
}

// Default stay lengths when a profile names none.
const (
	fallbackStayMinutes = 60
	fallbackMaxStay     = 720
)

// TitleIn returns the profile's title in a language, falling back to
// Vietnamese and then to the name.
func (p Profile) TitleIn(lang string) string {
	if t := p.Title[lang]; t != "" {
		return t
	}
	if t := p.Title["vi"]; t != "" {
		return t
	}
	return p.Name
}

// Validate checks a profile read from a file; problems name the field.
func (p *Profile) Validate() error {
	var v data.Validation
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		v.Add("name", "err.required")
	}
	switch p.Method {
	case MethodScanWindow:
		if p.WindowMinutes <= 0 {
			v.Add("window_minutes", "err.trace_profile_minutes", p.WindowMinutes)
		}
	case MethodStayOverlap:
		if p.BufferMinutes < 0 {
			v.Add("buffer_minutes", "err.trace_profile_minutes", p.BufferMinutes)
		}
		if p.StayMinutes < 0 {
			v.Add("stay_minutes", "err.trace_profile_minutes", p.StayMinutes)
		}
		if p.MinOverlapMinutes < 0 {
			v.Add("min_overlap_minutes", "err.trace_profile_minutes", p.MinOverlapMinutes)
		}
		if p.MaxStayMinutes < 0 {
			v.Add("max_stay_minutes", "err.trace_profile_minutes", p.MaxStayMinutes)
		}
	default:
		v.Add("method", "err.value_unknown", p.Method)
	}
	return v.Err()
}

// maxStay is the longest stay the profile considers, in seconds.
func (p Profile) maxStay() int64 {
	if p.MaxStayMinutes > 0 {
		return int64(p.MaxStayMinutes) * 60
	}
	return fallbackMaxStay * 60
}

// stay is the assumed stay in seconds at a venue of category when no
// check-out was recorded.
func (p Profile) stay(category string) int64 {
	if p.CategoryStay {
		if c, ok := data.CategoryByKey(category); ok && c.DefaultStayMinutes > 0 {
			return min(int64(c.DefaultStayMinutes)*60, p.maxStay())
		}
	}
	if p.StayMinutes > 0 {
		return min(int64(p.StayMinutes)*60, p.maxStay())
	}
	return min(fallbackStayMinutes*60, p.maxStay())
}

// stayEnd is the end of a stay starting at in: the check-out when there is
// a sensible one, else the default stay; never beyond the profile's cap.
func (p Profile) stayEnd(in int64, out int64, category string) int64 {
	return stayEnd(in, out, p.stay(category), p.maxStay())
}

// stayEnd is Profile.stayEnd with the default stay and the cap worked out.
func stayEnd(in, out, stay, maxStay int64) int64 {
	if out > in {
		return min(out, in+maxStay)
	}
	if out == in && out != 0 {
		return in
	}
	return in + stay
}

// Range returns the inclusive bounds on a co-present check-in's time_in
// (unix seconds) for a visit: everything outside can never match, so the
// store reads only this slice of the venue's (venue, time_in) index.
func (p Profile) Range(v Visit) (lo, hi int64) {
	in := v.In.Unix()
	switch p.Method {
	case MethodScanWindow:
		w := int64(p.WindowMinutes) * 60
		return in - w, in + w
	default:
		end := p.stayEnd(in, outUnix(v), v.Category) + int64(p.BufferMinutes)*60
		// A contact overlapping [in, end] started before end and ended
		// after in; stays last at most maxStay.
		return in - p.maxStay(), end
	}
}

// UsesCheckOut reports whether the rule looks at check-out times: a
// scan window compares scan times only, so a trace under it need not
// read them.
func (p Profile) UsesCheckOut() bool { return p.Method != MethodScanWindow }

// UsesCategory reports whether a visit's venue category changes the range
// of check-ins the rule looks at (a default stay per category).
func (p Profile) UsesCategory() bool { return p.Method == MethodStayOverlap && p.CategoryStay }

// Match decides whether a presence at the visit's venue is an exposure
// and, if so, explains it.
func (p Profile) Match(v Visit, c Presence) (Exposure, bool) {
	m := p.forVisit(v)
	return m.match(c)
}

// visitRule is a profile applied to one visit, with everything that does
// not depend on the contact worked out once: a heavy visit judges
// thousands of presences.
type visitRule struct {
	scanWindow bool
	in         int64 // the traced person's scan
	window     int64 // scan_window: seconds either side of in
	// stay_overlap: the traced person's stay end without and with the
	// buffer, the venue's default stay, the cap on stays and the overlap
	// needed.
	f0Out, f0End, stay, maxStay, need int64
}

func (p Profile) forVisit(v Visit) visitRule {
	r := visitRule{scanWindow: p.Method == MethodScanWindow, in: v.In.Unix()}
	if r.scanWindow {
		r.window = int64(p.WindowMinutes) * 60
		return r
	}
	r.stay, r.maxStay = p.stay(v.Category), p.maxStay()
	r.f0Out = stayEnd(r.in, outUnix(v), r.stay, r.maxStay)
	r.f0End = r.f0Out + int64(p.BufferMinutes)*60
	r.need = int64(p.MinOverlapMinutes) * 60
	return r
}

func (r *visitRule) match(c Presence) (Exposure, bool) {
	e := Exposure{F0In: r.in, ContactIn: c.In}
	if r.scanWindow {
		d := c.In - r.in
		if d < -r.window || d > r.window {
			return e, false
		}
		e.DeltaSeconds = d
		e.F0Out, e.ContactOut = r.in, c.In
		return e, true
	}
	e.F0Out = r.f0Out
	cEnd := stayEnd(c.In, c.Out, r.stay, r.maxStay)
	e.ContactOut = cEnd
	overlap := min(r.f0End, cEnd) - max(r.in, c.In)
	if overlap <= 0 || overlap < r.need {
		return e, false
	}
	e.OverlapSeconds = overlap
	e.DeltaSeconds = c.In - r.in
	return e, true
}

func outUnix(v Visit) int64 {
	if v.Out == nil {
		return 0
	}
	return v.Out.Unix()
}

//go:embed profiles/*.json
var builtin embed.FS

// Profiles are the available rule profiles by name.
type Profiles map[string]Profile

// Builtin returns the profiles shipped with qrward.
func Builtin() Profiles {
	ps := Profiles{}
	entries, _ := fs.ReadDir(builtin, "profiles")
	for _, e := range entries {
		b, _ := builtin.ReadFile("profiles/" + e.Name())
		var p Profile
		if err := json.Unmarshal(b, &p); err != nil {
			panic(fmt.Sprintf("trace: embedded profile %s: %v", e.Name(), err)) // a build error, caught by tests
		}
		ps[p.Name] = p
	}
	return ps
}

// LoadFile reads user profiles from a JSON file holding one profile or a
// list of them and adds them to ps, replacing built-in ones of the same
// name. Nothing is added when any profile is invalid.
func (ps Profiles) LoadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return &data.Error{Code: data.ENotFound, Key: "err.file_open", Args: []any{path}, Err: err}
	}
	return ps.Load(b, path)
}

// Load is LoadFile for bytes; source names them in messages.
func (ps Profiles) Load(b []byte, source string) error {
	var list []Profile
	trimmed := strings.TrimSpace(string(b))
	var err error
	if strings.HasPrefix(trimmed, "[") {
		err = json.Unmarshal(b, &list)
	} else {
		var p Profile
		err = json.Unmarshal(b, &p)
		list = []Profile{p}
	}
	if err != nil {
		return &data.Error{Code: data.EInvalid, Key: "err.trace_profile_file", Args: []any{source}, Err: err}
	}
	for i := range list {
		if err := list[i].Validate(); err != nil {
			e := err.(*data.Error)
			e.Key, e.Args = "err.trace_profile_invalid", []any{source, i + 1}
			return e
		}
	}
	for _, p := range list {
		ps[p.Name] = p
	}
	return nil
}

// Get returns a profile by name ("" = the default).
func (ps Profiles) Get(name string) (Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	p, ok := ps[name]
	if !ok {
		return p, data.Errorf(data.ENotFound, "err.trace_profile_unknown", name, strings.Join(ps.Names(), ", "))
	}
	return p, nil
}

// Names lists the profile names, the default first, then alphabetically.
func (ps Profiles) Names() []string {
	out := make([]string, 0, len(ps))
	for n := range ps {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i] == DefaultProfile) != (out[j] == DefaultProfile) {
			return out[i] == DefaultProfile
		}
		return out[i] < out[j]
	})
	return out
}
