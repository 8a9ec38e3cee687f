package scan

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// FoldName reduces a personal name to a matching key: lower case, without
// diacritics, with đ/Đ folded to d and runs of white space collapsed to one
// space. "Nguyễn  Lê Khả Hân" and "NGUYEN LE KHA HAN" fold to the same key,
// which is how QRQG names (no diacritics) meet CCCD names (with diacritics).
func FoldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining mark: the diacritic we fold away
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r) || unicode.IsControl(r):
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// asciiFold is FoldName restricted to printable ASCII; other runes are
// dropped. Used where a payload must stay in a small character set.
func asciiFold(s string) string {
	folded := FoldName(s)
	var b strings.Builder
	for _, r := range folded {
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// normalizeText brings text entering the package to NFC, as the rest of
// qrward expects (decomposed Vietnamese breaks equality and PDF output).
func normalizeText(s string) string {
	return norm.NFC.String(s)
}
