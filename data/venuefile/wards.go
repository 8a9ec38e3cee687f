package venuefile

import (
	"strings"

	"qrward/data"
)

// Wards is what reading needs to know about wards: lookup by code (for
// validation) and the full list (to find a ward by its name).
// *sqlite.UnitSet implements it.
type Wards interface {
	data.WardLookup
	Wards() []data.AdminUnit
}

// wardNames finds wards by name. A name matches when its match key equals
// the key of the ward's name ("Hải Châu I") or full name ("Phường Hải
// Châu I"). The key ignores case, diacritics and punctuation, writes a
// final Roman numeral I–X as a number ("hai chau i" → "hai chau 1") and
// drops a leading type word or its abbreviation (Phường, P., Xã, X., Thị
// trấn, TT.) when the name is not found with it. A name that several wards
// share is ambiguous and must be given as a code.
type wardNames map[string][]string // key → ward codes

func newWardNames(w Wards) wardNames {
	m := wardNames{}
	if w == nil {
		return m
	}
	for _, u := range w.Wards() {
		if u.Level != "" && u.Level != data.LevelWard {
			continue
		}
		keys := []string{wardKey(u.Name), wardKey(u.FullName())}
		if keys[1] == keys[0] {
			keys = keys[:1]
		}
		for _, k := range keys {
			if k != "" && !containsStr(m[k], u.Code) {
				m[k] = append(m[k], u.Code)
			}
		}
	}
	return m
}

// find returns the codes of the wards a name may mean.
func (m wardNames) find(name string) []string {
	k := wardKey(name)
	if codes, ok := m[k]; ok {
		return codes
	}
	for _, p := range wardTypePrefixes {
		if rest, ok := strings.CutPrefix(k, p); ok {
			if codes, ok := m[rest]; ok {
				return codes
			}
		}
	}
	return nil
}

var wardTypePrefixes = []string{"phuong ", "p ", "xa ", "x ", "thi tran ", "tt "}

var romans = map[string]string{"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5",
	"vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}

func wardKey(name string) string {
	k := foldKey(name)
	if i := strings.LastIndexByte(k, ' '); i > 0 {
		if n, ok := romans[k[i+1:]]; ok {
			k = k[:i+1] + n
		}
	}
	return k
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// wardCodeCell cleans a ward code cell: spreadsheets drop leading zeros of
// numbers ("00001" → 1) and may write "20236.0", so digits-only codes
// shorter than five digits are padded back.
func wardCodeCell(s string) string {
	s = numberText(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return s
		}
	}
	if len(s) < 5 {
		s = strings.Repeat("0", 5-len(s)) + s
	}
	return s
}
