package scan

import "strings"

// Identity is what a code says about who a person is, reduced to the keys
// used to match people across codes (QRQG names have no diacritics and may
// carry masked IDs; CCCD codes have full names and IDs).
type Identity struct {
	// QID is the national platform's stable key (QRQG only).
	QID string
	// IDNumber is the citizen ID; '*' marks masked digits.
	IDNumber string
	// FoldedName is FoldName of the name.
	FoldedName string
	// BirthYear is 0 when unknown.
	BirthYear int
	// Phone is a normalised mobile number, or "".
	Phone string
}

// MatchReason says on which evidence two identities were matched.
type MatchReason int

const (
	// MatchNone: the identities were not matched.
	MatchNone MatchReason = iota
	// MatchQID: both carry the same QID.
	MatchQID
	// MatchIDNumber: both carry the same full ID number.
	MatchIDNumber
	// MatchMaskedID: the visible digits of a masked ID agree with the other
	// ID and the folded names and birth years agree.
	MatchMaskedID
	// MatchNameBirthPhone: folded name, birth year and phone all agree.
	MatchNameBirthPhone
)

// String returns a stable machine name.
func (r MatchReason) String() string {
	return [...]string{"none", "qid", "id_number", "masked_id", "name_birth_phone"}[r]
}

// LabelVI explains the reason to the user in Vietnamese.
func (r MatchReason) LabelVI() string {
	return [...]string{
		"không khớp",
		"khớp theo mã QID",
		"khớp theo số giấy tờ",
		"khớp theo các số giấy tờ còn hiện, họ tên và năm sinh",
		"khớp theo họ tên, năm sinh và số điện thoại",
	}[r]
}

// Match is the outcome of MatchIdentity.
type Match struct {
	Reason MatchReason
}

// MatchIdentity decides whether a and b are the same person, trying in order:
// QID, full ID number, masked ID (visible digits agree and name and birth year
// agree), then folded name + birth year + phone. Contradicting strong keys
// (two different QIDs, two different full IDs) mean "not the same person"
// whatever the weaker keys say, because a namesake born the same year is
// common enough to matter.
func MatchIdentity(a, b Identity) (Match, bool) {
	if a.QID != "" && b.QID != "" {
		if a.QID == b.QID {
			return Match{MatchQID}, true
		}
		return Match{MatchNone}, false
	}
	aID, bID := normalizeIDNumber(a.IDNumber), normalizeIDNumber(b.IDNumber)
	if aID != "" && bID != "" {
		aMasked, bMasked := strings.Contains(aID, "*"), strings.Contains(bID, "*")
		switch {
		case !aMasked && !bMasked:
			if aID == bID {
				return Match{MatchIDNumber}, true
			}
			return Match{MatchNone}, false
		case !maskedIDsAgree(aID, bID):
			return Match{MatchNone}, false
		case a.FoldedName != "" && a.FoldedName == b.FoldedName &&
			a.BirthYear != 0 && a.BirthYear == b.BirthYear:
			return Match{MatchMaskedID}, true
		}
	}
	if a.FoldedName != "" && a.FoldedName == b.FoldedName &&
		a.BirthYear != 0 && a.BirthYear == b.BirthYear &&
		a.Phone != "" && normalizePhoneOrSelf(a.Phone) == normalizePhoneOrSelf(b.Phone) {
		return Match{MatchNameBirthPhone}, true
	}
	return Match{MatchNone}, false
}

func normalizeIDNumber(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

func normalizePhoneOrSelf(s string) string {
	if p := normalizePhone(s); p != "" {
		return p
	}
	return s
}

// maskedIDsAgree compares two IDs of the same length where '*' matches any
// digit; at least three digits must be visible in both at the same place so
// that an all-star ID never matches.
func maskedIDsAgree(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	visible := 0
	for i := 0; i < len(a); i++ {
		if a[i] == '*' || b[i] == '*' {
			continue
		}
		if a[i] != b[i] {
			return false
		}
		visible++
	}
	return visible >= 3
}
