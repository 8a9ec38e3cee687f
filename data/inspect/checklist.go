package inspect

import (
	"io/fs"
	"regexp"
	"strings"
	"time"

	"qrward/data"
)

// Answer values of a checklist item.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
	AnswerNA  = "na" // not applicable
)

// Template is a versioned checklist for the venue categories it lists.
type Template struct {
	ID         string   `json:"id"`
	Version    string   `json:"version"`
	Title      string   `json:"title"`
	TitleEN    string   `json:"title_en"`
	Categories []string `json:"categories"`
	Items      []Item   `json:"items"`
}

// Item is one question of a checklist.
type Item struct {
	Key    string `json:"key"`
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
	// Rule is the rule proposed as a violation when the answer is "no";
	// empty for items that are warnings only (commitment, vaccination).
	Rule string `json:"rule,omitempty"`
	// Poster marks the item the posted-QR scan answers.
	Poster bool `json:"poster,omitempty"`
	// Photo suggests taking photo evidence.
	Photo bool `json:"photo,omitempty"`
}

// Item finds an item by key.
func (t *Template) Item(key string) (Item, bool) {
	for _, it := range t.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// Answer is the inspector's answer to one item, saved the moment it is
// given (drafts survive a closed laptop).
type Answer struct {
	Item   string    `json:"item"`
	Value  string    `json:"value"`
	Note   string    `json:"note,omitempty"`
	Photos []data.ID `json:"photos,omitempty"`
	At     time.Time `json:"at"`
	// GPS is "lat,lon" from the machine, or typed by hand where it has
	// no receiver (GPSManual).
	GPS       string `json:"gps,omitempty"`
	GPSManual bool   `json:"gps_manual,omitempty"`
}

// Answers maps item keys to answers.
type Answers map[string]Answer

var gpsRe = regexp.MustCompile(`^-?\d{1,2}(\.\d+)?,\s*-?\d{1,3}(\.\d+)?$`)

// Validate checks an answer against its template.
func (a *Answer) Validate(t *Template) error {
	var v data.Validation
	a.Note = data.Clean(a.Note)
	a.GPS = strings.TrimSpace(a.GPS)
	if _, ok := t.Item(a.Item); !ok {
		v.Add("item", "err.checklist_item_unknown", a.Item, t.ID)
	}
	switch a.Value {
	case AnswerYes, AnswerNo, AnswerNA:
	default:
		v.Add("answer", "err.value_unknown", a.Value)
	}
	if a.GPS != "" && !gpsRe.MatchString(a.GPS) {
		v.Add("gps", "err.gps_format", a.GPS)
	}
	if len([]rune(a.Note)) > 2000 {
		v.Add("note", "err.too_long", 2000)
	}
	return v.Err()
}

// Failed returns the items answered "no", in template order.
func (t *Template) Failed(ans Answers) []Item {
	var out []Item
	for _, it := range t.Items {
		if a, ok := ans[it.Key]; ok && a.Value == AnswerNo {
			out = append(out, it)
		}
	}
	return out
}

// Missing returns the items not answered yet.
func (t *Template) Missing(ans Answers) []Item {
	var out []Item
	for _, it := range t.Items {
		if _, ok := ans[it.Key]; !ok {
			out = append(out, it)
		}
	}
	return out
}

// Templates is the validated set of checklists, one per venue category.
type Templates struct {
	list       []*Template
	byCategory map[string]*Template
}

// ForCategory returns the checklist of a venue category.
func (ts *Templates) ForCategory(category string) (*Template, error) {
	if t, ok := ts.byCategory[category]; ok {
		return t, nil
	}
	return nil, data.Errorf(data.ENotFound, "err.checklist_none_for_category", category)
}

// ByID returns a template by id (and the version it must have, when
// version is not "": a draft keeps the template it was started with).
func (ts *Templates) ByID(id, version string) (*Template, error) {
	for _, t := range ts.list {
		if t.ID == id && (version == "" || t.Version == version) {
			return t, nil
		}
	}
	return nil, data.Errorf(data.ENotFound, "err.checklist_unknown", id, version)
}

// List returns every template.
func (ts *Templates) List() []*Template { return ts.list }

var itemKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,47}$`)

// ParseTemplate decodes and validates one checklist file against the rule
// table its items refer to.
func ParseTemplate(file string, b []byte, rules *RuleTable) (*Template, error) {
	var t Template
	if err := decodeStrict(file, b, &t); err != nil {
		return nil, err
	}
	p := problems{file: file}
	if !ruleIDRe.MatchString(t.ID) {
		p.add("id", "err.inspect_id_format", t.ID)
	}
	if strings.TrimSpace(t.Version) == "" {
		p.add("version", "err.inspect_required")
	}
	t.Title = data.Clean(t.Title)
	if t.Title == "" {
		p.add("title", "err.inspect_required")
	}
	if len(t.Categories) == 0 {
		p.add("categories", "err.inspect_empty")
	}
	for i, c := range t.Categories {
		if _, ok := data.CategoryByKey(c); !ok {
			p.add(at("categories[%d]", i), "err.inspect_category_unknown", c)
		}
	}
	if len(t.Items) == 0 {
		p.add("items", "err.inspect_empty")
	}
	seen := map[string]bool{}
	posters := 0
	for i := range t.Items {
		it := &t.Items[i]
		place := func(f string) string { return at("items[%d].%s", i, f) }
		it.Text = data.Clean(it.Text)
		if !itemKeyRe.MatchString(it.Key) {
			p.add(place("key"), "err.inspect_id_format", it.Key)
		} else if seen[it.Key] {
			p.add(place("key"), "err.inspect_duplicate", it.Key)
		}
		seen[it.Key] = true
		if it.Text == "" {
			p.add(place("text"), "err.inspect_required")
		}
		if it.Rule != "" && (rules == nil || !rules.Has(it.Rule)) {
			p.add(place("rule"), "err.inspect_rule_unknown", it.Rule)
		}
		if it.Poster {
			posters++
		}
	}
	if posters > 1 {
		p.add("items", "err.inspect_poster_twice")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return &t, nil
}

// LoadTemplates reads every checklist in dir, validates each, and checks
// that every venue category has exactly one checklist.
func LoadTemplates(fsys fs.FS, dir string, rules *RuleTable) (*Templates, error) {
	files, err := readDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	ts := &Templates{byCategory: map[string]*Template{}}
	owner := map[string]string{}
	p := problems{file: dir}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		t, err := ParseTemplate(f, b, rules)
		if err != nil {
			return nil, err
		}
		for _, c := range t.Categories {
			if prev, dup := owner[c]; dup {
				p.add(f, "err.checklist_category_twice", c, prev)
				continue
			}
			owner[c] = f
			ts.byCategory[c] = t
		}
		ts.list = append(ts.list, t)
	}
	for _, c := range data.Categories {
		if _, ok := ts.byCategory[c.Key]; !ok {
			p.add(dir, "err.checklist_category_missing", c.Key)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return ts, nil
}
