package data

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Clean normalises text entering qrward (keyboard, import, sync): Unicode
// NFC, trimmed, inner runs of white space collapsed. NFD Vietnamese renders
// with misplaced marks in PDFs and breaks equality, so every stored string
// passes through here.
func Clean(s string) string {
	s = norm.NFC.String(s)
	if !needsSpaceFix(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func needsSpaceFix(s string) bool {
	prevSpace := true
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (prevSpace || r != ' ') {
			return true
		}
		prevSpace = sp
	}
	return prevSpace && s != ""
}

// Fold turns text into its search key: lower case, Vietnamese diacritics
// removed, đ/Đ mapped to d (Unicode does not decompose đ, so a plain
// "remove marks" misses it), white space collapsed. "Chợ Hàn" → "cho han",
// "Đống Đa" → "dong da".
func Fold(s string) string {
	// Invalid UTF-8 would fold differently on a second pass (its bytes
	// become U+FFFD only then): replace it first so Fold is idempotent.
	s = strings.ToValidUTF8(s, "\uFFFD")
	// Fast path: ASCII and precomposed Vietnamese letters fold through a
	// table; anything else (NFD input, other scripts) takes the slow path.
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		var f rune
		switch {
		case r < 0x80:
			f = r
			if 'A' <= r && r <= 'Z' {
				f = r + 'a' - 'A'
			}
		default:
			var ok bool
			if f, ok = foldTable[r]; !ok {
				return foldSlow(s)
			}
		}
		if f < 0x20 || f == ' ' || f == 0x7f {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(f)
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// foldTable maps each precomposed letter of Vietnamese (and Latin-1) to
// its folded base letter, computed once with foldSlow.
var foldTable = func() map[rune]rune {
	m := map[rune]rune{}
	for r := rune(0xC0); r < 0x1F00; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		f := []rune(foldSlow(string(r)))
		if len(f) == 1 && f[0] < 0x80 {
			m[r] = f[0]
		}
	}
	return m
}()

// foldSlow is Fold through Unicode decomposition.
func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading space
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r) || unicode.IsControl(r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// Digits keeps only the ASCII digits of s.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
