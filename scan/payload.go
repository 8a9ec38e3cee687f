package scan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Payload is the typed result of Parse. Use a type switch on the concrete
// types (*PersonalQR, *CCCDCard, *HealthInsuranceCard, *NationalVenue,
// *VenueCode, *ForeignVenue) or look at Kind.
type Payload interface {
	// Kind names the payload family.
	Kind() Kind
	// Raw is the NFC-normalised text as scanned (outer white space trimmed).
	Raw() string
}

// PersonCode is implemented by payloads that identify a person.
type PersonCode interface {
	Payload
	// Identity returns what the code says about who the person is.
	Identity() Identity
}

// maxPayloadLen is the largest text a QR code can carry (version 40-L,
// numeric); anything longer did not come from a scan.
const maxPayloadLen = 7089

// Parse recognises and parses one scanned text. It never panics. Foreign
// venue codes are recognised (a *ForeignVenue, no error) but not parsed.
// Every failure is a *PayloadError: ErrUnknownFormat when the text matches
// no known kind, or a field-level code when it looks like a known kind but
// a field is malformed (then PayloadError.Kind says which kind).
//
// A *VenueCode is only parsed here: call VerifyVenueCode to check it.
func Parse(text string) (Payload, error) {
	if len(text) > maxPayloadLen*4 || utf8.RuneCountInString(text) > maxPayloadLen {
		return nil, newPayloadError(ErrTooLong, KindUnknown, fieldNone, "")
	}
	text = strings.TrimFunc(normalizeText(text), func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff'
	})
	if text == "" {
		return nil, newPayloadError(ErrEmpty, KindUnknown, fieldNone, "")
	}
	if p, ok := parseForeignVenue(text); ok {
		return p, nil
	}
	if strings.HasPrefix(text, venueCodePrefix) {
		return asPayload(ParseVenueCode(text))
	}
	if looksLikeURL(text) {
		if isNationalVenueURL(text) {
			return asPayload(parseNationalVenue(text))
		}
		return nil, newPayloadError(ErrUnknownFormat, KindUnknown, fieldNone, "unrecognised URL")
	}
	if strings.Contains(text, "|") {
		fields := strings.Split(text, "|")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		switch classifyPipeFields(fields) {
		case KindCCCD:
			return asPayload(parseCCCD(text, fields))
		case KindPersonalQR:
			return asPayload(parsePersonalQR(text, fields))
		case KindHealthInsurance:
			return asPayload(parseHealthInsurance(text, fields))
		}
	}
	return nil, newPayloadError(ErrUnknownFormat, KindUnknown, fieldNone, "")
}

// classifyPipeFields guesses the kind of a pipe-separated payload from the
// shape of its fields, leniently, so that a malformed field later yields a
// precise error for the right kind instead of "unknown".
func classifyPipeFields(f []string) Kind {
	n := len(f)
	// BHYT: card number, then a hex-encoded name.
	if n >= 3 && isHealthInsuranceCardNo(f[0]) && isHex(f[1]) && len(f[1]) >= 2 {
		return KindHealthInsurance
	}
	// CCCD: 12 (or 9) digit ID, old ID (may be empty), name, ddmmyyyy, ...
	if n >= 4 && isAllDigits(f[0]) && (len(f[0]) == 12 || len(f[0]) == 9) &&
		(f[1] == "" || isAllDigits(f[1])) && !isAllDigits(f[2]) && f[2] != "" &&
		(len(f[3]) == 8 && isAllDigits(f[3]) || n >= 5 && isSexWord(f[4])) {
		return KindCCCD
	}
	// QRQG: ID (maybe masked), NAME, YYYY-MM-DD (maybe masked), 0/1, QID, ...
	if n >= 5 && (strings.Count(f[2], "-") == 2 || f[3] == "0" || f[3] == "1") &&
		isIDLike(f[0]) {
		return KindPersonalQR
	}
	return KindUnknown
}

func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") ||
		strings.HasPrefix(l, "tokhaiyte.vn/") || strings.HasPrefix(l, "www.")
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	if s == "" || len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// isIDLike accepts a document number as it may appear in a QRQG code:
// digits with some masked by '*', or a passport-style letter+digits form,
// or empty (the QID is the key).
func isIDLike(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '*' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// hasControl reports control characters, which no genuine name contains.
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

// asPayload converts a typed parse result, so that a failed parse returns a
// nil interface rather than an interface holding a nil pointer.
func asPayload[T Payload](p T, err error) (Payload, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}
