package scan

import (
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// HealthInsuranceCard is the QR code of a health-insurance (BHYT) card:
// card no.|hex(UTF-8 name)|birth date or year|sex|hex(address)|registration
// place|valid from|valid to|... The layout is unverified (FORMATS.md §1), so
// only the card number and the name are required; later fields are parsed
// when present and kept raw in Fields.
type HealthInsuranceCard struct {
	raw        string
	CardNumber string
	Name       string
	BirthDate  Date
	Sex        Sex
	Address    string
	// RegistrationPlace is the facility code where the holder registered.
	RegistrationPlace string
	ValidFrom         Date
	ValidTo           Date
	// Fields are all pipe-separated fields as scanned.
	Fields []string
}

func (h *HealthInsuranceCard) Kind() Kind  { return KindHealthInsurance }
func (h *HealthInsuranceCard) Raw() string { return h.raw }

// Identity returns the matching key of the holder (no national ID on BHYT).
func (h *HealthInsuranceCard) Identity() Identity {
	return Identity{FoldedName: FoldName(h.Name), BirthYear: h.BirthDate.Year}
}

// isHealthInsuranceCardNo: two letters (beneficiary group) + 13 digits, or
// the 10-digit social-insurance number used on newer cards.
func isHealthInsuranceCardNo(s string) bool {
	if len(s) == 15 && isUpperAlpha(s[:2]) && isAllDigits(s[2:]) {
		return true
	}
	return len(s) == 10 && isAllDigits(s)
}

func isUpperAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

func decodeHexText(s string) (string, bool) {
	b, err := hex.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	t := normalizeText(string(b))
	if hasControl(t) {
		return "", false
	}
	return collapseSpaces(t), true
}

// optionalDate parses a date field where "-" or "" means not stated.
func optionalDate(s string) (Date, bool) {
	if s == "" || s == "-" {
		return Date{}, true
	}
	return parseLooseDate(s)
}

func parseHealthInsurance(raw string, f []string) (*HealthInsuranceCard, error) {
	const kind = KindHealthInsurance
	if len(f) < 2 {
		return nil, newPayloadError(ErrFieldCount, kind, fieldNone, "")
	}
	h := &HealthInsuranceCard{raw: raw, Fields: append([]string(nil), f...)}
	if !isHealthInsuranceCardNo(f[0]) {
		return nil, newPayloadError(ErrBadIDNumber, kind, fieldCardNumber, "")
	}
	h.CardNumber = f[0]
	name, ok := decodeHexText(f[1])
	if !ok || name == "" {
		return nil, newPayloadError(ErrBadHex, kind, fieldName, "")
	}
	h.Name = name
	if len(f) > 2 {
		d, ok := optionalDate(f[2])
		if !ok {
			return nil, newPayloadError(ErrBadDate, kind, fieldBirthDate, "")
		}
		h.BirthDate = d
	}
	if len(f) > 3 && f[3] != "" {
		s, ok := parseSexDigit(f[3])
		if !ok {
			return nil, newPayloadError(ErrBadField, kind, fieldSex, "")
		}
		h.Sex = s
	}
	if len(f) > 4 && f[4] != "" {
		addr, ok := decodeHexText(f[4])
		if !ok {
			return nil, newPayloadError(ErrBadHex, kind, fieldAddress, "")
		}
		h.Address = addr
	}
	if len(f) > 5 {
		h.RegistrationPlace = strings.TrimSpace(f[5])
	}
	if len(f) > 6 {
		d, ok := optionalDate(f[6])
		if !ok {
			return nil, newPayloadError(ErrBadDate, kind, fieldValidFrom, "")
		}
		h.ValidFrom = d
	}
	if len(f) > 7 {
		d, ok := optionalDate(f[7])
		if !ok {
			return nil, newPayloadError(ErrBadDate, kind, fieldValidTo, "")
		}
		h.ValidTo = d
	}
	return h, nil
}
