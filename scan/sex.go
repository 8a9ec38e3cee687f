package scan

import "strings"

// Sex as stated on a card or code.
type Sex int

const (
	SexUnknown Sex = iota
	SexMale
	SexFemale
	SexOther
)

// String returns a stable machine name.
func (s Sex) String() string {
	switch s {
	case SexMale:
		return "male"
	case SexFemale:
		return "female"
	case SexOther:
		return "other"
	}
	return "unknown"
}

// LabelVI is the Vietnamese word for the sex.
func (s Sex) LabelVI() string {
	switch s {
	case SexMale:
		return "Nam"
	case SexFemale:
		return "Nữ"
	case SexOther:
		return "Khác"
	}
	return "Không rõ"
}

func isSexWord(s string) bool {
	_, ok := parseSexWord(s)
	return ok
}

// parseSexWord reads "Nam"/"Nữ" as printed on CCCD codes (any case, with or
// without diacritics).
func parseSexWord(s string) (Sex, bool) {
	switch FoldName(s) {
	case "nam", "male", "m":
		return SexMale, true
	case "nu", "female", "f":
		return SexFemale, true
	case "khac", "other":
		return SexOther, true
	}
	return SexUnknown, false
}

// parseSexDigit reads the numeric codes used by QRQG EXT (0 unknown/other,
// 1 male, 2 female; unverified) and BHYT (1 male, 2 female; also 0/1 seen).
func parseSexDigit(s string) (Sex, bool) {
	switch strings.TrimSpace(s) {
	case "1":
		return SexMale, true
	case "2":
		return SexFemale, true
	case "0":
		return SexUnknown, true
	}
	return parseSexWord(s)
}
