package scan

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"qrward/data"
)

// FoldName reduces a personal name to a matching key: lower case, without
// diacritics, with đ/Đ folded to d and runs of white space collapsed to one
// space. "Nguyễn  Lê Khả Hân" and "NGUYEN LE KHA HAN" fold to the same key,
// which is how QRQG names (no diacritics) meet CCCD names (with diacritics).
// It is data.Fold, the key search uses everywhere in qrward.
func FoldName(s string) string { return data.Fold(s) }

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
