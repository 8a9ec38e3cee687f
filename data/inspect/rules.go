package inspect

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"

	"qrward/data"
)

// Violator kinds: organisations pay OrgFactor times the individual band
// and signers' caps double for them too.
const (
	SubjectIndividual   = "individual"
	SubjectOrganisation = "organisation"
)

// Rule is one sanctioned act with its fine band for an individual, valid
// from EffectiveFrom to EffectiveTo (inclusive; nil = still in force). The
// same ID may appear several times with periods that do not overlap, when
// an amending decree changed the band.
type Rule struct {
	ID            string `json:"id"`
	Decree        string `json:"decree"`
	AmendedBy     string `json:"amended_by,omitempty"`
	Article       int    `json:"article"`
	Clause        int    `json:"clause"`
	Point         string `json:"point"`
	Act           string `json:"act"`
	ActEN         string `json:"act_en"`
	IndividualMin int64  `json:"individual_min"`
	IndividualMax int64  `json:"individual_max"`
	EffectiveFrom string `json:"effective_from"`
	EffectiveTo   string `json:"effective_to,omitempty"`
	// Verified is false for readings taken from the press, shown as a
	// warning next to the provision.
	Verified bool `json:"verified"`

	from, to time.Time
}

// Signer is a sanctioning official with the largest fine they may impose
// on an individual (organisations: times the table's OrgFactor).
type Signer struct {
	Role          string `json:"role"`
	Title         string `json:"title"`
	TitleEN       string `json:"title_en"`
	IndividualCap int64  `json:"individual_cap"`
	// ReferTo is the role a case goes to when the amount is above the cap.
	ReferTo string `json:"refer_to,omitempty"`
}

// RuleTable is one versioned rule file.
type RuleTable struct {
	ID        string   `json:"id"`
	Version   string   `json:"version"`
	Title     string   `json:"title"`
	Field     string   `json:"field"` // "y tế dự phòng": the "Về …" line of a record
	Source    string   `json:"source"`
	OrgFactor int64    `json:"org_factor"`
	Rules     []Rule   `json:"rules"`
	Signers   []Signer `json:"signers"`
}

var ruleIDRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,63}$`)

// ParseRuleTable decodes and validates a rule file.
func ParseRuleTable(file string, b []byte) (*RuleTable, error) {
	var t RuleTable
	if err := decodeStrict(file, b, &t); err != nil {
		return nil, err
	}
	if err := t.validate(file); err != nil {
		return nil, err
	}
	return &t, nil
}

func (t *RuleTable) validate(file string) error {
	p := problems{file: file}
	if strings.TrimSpace(t.ID) == "" {
		p.add("id", "err.inspect_required")
	}
	if strings.TrimSpace(t.Version) == "" {
		p.add("version", "err.inspect_required")
	}
	if t.OrgFactor < 1 {
		p.add("org_factor", "err.inspect_org_factor", t.OrgFactor)
	}
	if len(t.Rules) == 0 {
		p.add("rules", "err.inspect_empty")
	}
	for i := range t.Rules {
		r := &t.Rules[i]
		place := func(f string) string { return at("rules[%d].%s", i, f) }
		r.Act = data.Clean(r.Act)
		if !ruleIDRe.MatchString(r.ID) {
			p.add(place("id"), "err.inspect_id_format", r.ID)
		}
		if strings.TrimSpace(r.Decree) == "" {
			p.add(place("decree"), "err.inspect_required")
		}
		if r.Article <= 0 {
			p.add(place("article"), "err.inspect_required")
		}
		if r.Act == "" {
			p.add(place("act"), "err.inspect_required")
		}
		if r.IndividualMin <= 0 || r.IndividualMax < r.IndividualMin {
			p.add(place("individual_max"), "err.inspect_band", r.IndividualMin, r.IndividualMax)
		}
		var err error
		if r.from, err = time.Parse(dateLayout, r.EffectiveFrom); err != nil {
			p.add(place("effective_from"), "err.inspect_date", r.EffectiveFrom)
		}
		if r.EffectiveTo != "" {
			if r.to, err = time.Parse(dateLayout, r.EffectiveTo); err != nil {
				p.add(place("effective_to"), "err.inspect_date", r.EffectiveTo)
			} else if r.to.Before(r.from) {
				p.add(place("effective_to"), "err.inspect_period", r.EffectiveFrom, r.EffectiveTo)
			}
		}
		for j := 0; j < i; j++ {
			o := &t.Rules[j]
			if o.ID == r.ID && overlaps(o, r) {
				p.add(place("effective_from"), "err.inspect_rule_overlap", r.ID, j)
			}
		}
	}
	roles := map[string]bool{}
	for i, s := range t.Signers {
		place := func(f string) string { return at("signers[%d].%s", i, f) }
		if !ruleIDRe.MatchString(s.Role) {
			p.add(place("role"), "err.inspect_id_format", s.Role)
		} else if roles[s.Role] {
			p.add(place("role"), "err.inspect_duplicate", s.Role)
		}
		roles[s.Role] = true
		if strings.TrimSpace(s.Title) == "" {
			p.add(place("title"), "err.inspect_required")
		}
		if s.IndividualCap <= 0 {
			p.add(place("individual_cap"), "err.inspect_required")
		}
	}
	for i, s := range t.Signers {
		if s.ReferTo != "" && !roles[s.ReferTo] {
			p.add(at("signers[%d].refer_to", i), "err.inspect_signer_unknown", s.ReferTo)
		}
	}
	if len(t.Signers) == 0 {
		p.add("signers", "err.inspect_empty")
	}
	return p.err()
}

func overlaps(a, b *Rule) bool {
	end := func(r *Rule) time.Time {
		if r.to.IsZero() {
			return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return r.to
	}
	return !a.from.After(end(b)) && !b.from.After(end(a))
}

// Rule returns the version of rule id in force on day.
func (t *RuleTable) Rule(id string, day time.Time) (Rule, error) {
	d := dateOnly(day)
	found := false
	for _, r := range t.Rules {
		if r.ID != id {
			continue
		}
		found = true
		if !d.Before(r.from) && (r.to.IsZero() || !d.After(r.to)) {
			return r, nil
		}
	}
	if found {
		return Rule{}, data.Errorf(data.ENotFound, "err.rule_not_in_force", id, d.Format("02/01/2006"))
	}
	return Rule{}, data.Errorf(data.ENotFound, "err.rule_unknown", id)
}

// Has reports whether some version of rule id exists.
func (t *RuleTable) Has(id string) bool {
	for _, r := range t.Rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

// Band is the fine band for subject ("individual" or "organisation").
func (t *RuleTable) Band(r Rule, subject string) (lo, hi int64) {
	if subject == SubjectOrganisation {
		return r.IndividualMin * t.OrgFactor, r.IndividualMax * t.OrgFactor
	}
	return r.IndividualMin, r.IndividualMax
}

// DefaultAmount is the middle of the band (the Law's starting point before
// mitigating or aggravating circumstances), rounded down to 1,000 VND.
func (t *RuleTable) DefaultAmount(r Rule, subject string) int64 {
	lo, hi := t.Band(r, subject)
	return (lo + hi) / 2 / 1000 * 1000
}

// CheckAmount refuses an amount outside the band.
func (t *RuleTable) CheckAmount(r Rule, subject string, amount int64) error {
	lo, hi := t.Band(r, subject)
	if amount < lo || amount > hi {
		return &data.Error{Code: data.EInvalid, Key: "err.invalid_input", Fields: []data.FieldError{
			{Field: "amount", Key: "err.amount_outside_band", Args: []any{amount, lo, hi}}}}
	}
	return nil
}

// Provision cites the rule as a record writes it: "điểm a khoản 1 Điều 12
// Nghị định số 117/2020/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số
// 124/2021/NĐ-CP".
func (r Rule) Provision() string {
	var b strings.Builder
	if r.Point != "" {
		fmt.Fprintf(&b, "điểm %s ", r.Point)
	}
	if r.Clause > 0 {
		fmt.Fprintf(&b, "khoản %d ", r.Clause)
	}
	fmt.Fprintf(&b, "Điều %d %s", r.Article, r.Decree)
	if r.AmendedBy != "" {
		fmt.Fprintf(&b, ", được sửa đổi, bổ sung bởi %s", r.AmendedBy)
	}
	return b.String()
}

// Signer finds a signer by role.
func (t *RuleTable) Signer(role string) (Signer, bool) {
	for _, s := range t.Signers {
		if s.Role == role {
			return s, true
		}
	}
	return Signer{}, false
}

// Cap is the largest fine role may impose on subject.
func (t *RuleTable) Cap(s Signer, subject string) int64 {
	if subject == SubjectOrganisation {
		return s.IndividualCap * t.OrgFactor
	}
	return s.IndividualCap
}

// SignerRefusal explains why a signer may not sign a decision: the amount
// is above their cap, so the case goes to ReferTo.
type SignerRefusal struct {
	Signer  Signer
	Cap     int64
	Amount  int64
	ReferTo string
}

// CheckSigner returns nil when role may impose amount on subject, or an
// EUnauthorized error carrying a *SignerRefusal (see RefusalOf) whose
// message gives the cap and the amount.
func (t *RuleTable) CheckSigner(role, subject string, amount int64) error {
	s, ok := t.Signer(role)
	if !ok {
		return data.Errorf(data.EInvalid, "err.signer_unknown", role)
	}
	c := t.Cap(s, subject)
	if amount <= c {
		return nil
	}
	ref := &SignerRefusal{Signer: s, Cap: c, Amount: amount, ReferTo: s.ReferTo}
	return &data.Error{Code: data.EUnauthorized, Key: "err.signer_cap", Args: []any{s.Title, c, amount}, Err: ref}
}

func (r *SignerRefusal) Error() string {
	return fmt.Sprintf("%s: cap %d below amount %d, refer to %s", r.Signer.Role, r.Cap, r.Amount, r.ReferTo)
}

// RefusalOf extracts the refusal of CheckSigner from an error chain.
func RefusalOf(err error) (*SignerRefusal, bool) {
	var r *SignerRefusal
	ok := errors.As(err, &r)
	return r, ok
}

// LoadRuleTable reads the one rule file of dir in fsys (the newest version
// when an office keeps several files: the greatest "version").
func LoadRuleTable(fsys fs.FS, dir string) (*RuleTable, error) {
	files, err := readDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var best *RuleTable
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		t, err := ParseRuleTable(f, b)
		if err != nil {
			return nil, err
		}
		if best == nil || t.Version > best.Version {
			best = t
		}
	}
	if best == nil {
		return nil, data.Errorf(data.ENotFound, "err.inspect_dir_missing", dir)
	}
	return best, nil
}

const dateLayout = "2006-01-02"

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
