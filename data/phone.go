package data

import (
	"regexp"
	"strings"
)

// mobileRe is the set of valid 10-digit Vietnamese mobile numbers after the
// 2018 renumbering (FORMATS.md §6).
var mobileRe = regexp.MustCompile(`^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$`)

// oldPrefixes maps the 11-digit prefixes retired in 2018 to their 10-digit
// replacements. Owners still write the old numbers in registers.
var oldPrefixes = map[string]string{
	"0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
	"0167": "037", "0168": "038", "0169": "039",
	"0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
	"0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
	"0186": "056", "0188": "058", "0199": "059",
}

// NormalizePhone returns the canonical 10-digit form (0xxxxxxxxx) of a
// Vietnamese mobile number written in any common way: spaces, dots, dashes
// and brackets, +84 / 84 / 0084 prefixes, old 11-digit numbers. It returns
// an EInvalid error naming the field "phone" when the result is not a valid
// mobile number.
func NormalizePhone(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", &Error{Code: EInvalid, Field: "phone", Key: "err.phone_empty"}
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789+ .-()", r) {
			return "", &Error{Code: EInvalid, Field: "phone", Key: "err.phone_chars", Args: []any{raw}}
		}
	}
	plus := strings.HasPrefix(s, "+")
	d := Digits(s)
	switch {
	case strings.HasPrefix(d, "0084"):
		d = "0" + d[4:]
	case strings.HasPrefix(d, "84") && (plus || len(d) == 11 || len(d) == 12):
		d = "0" + d[2:]
	case plus:
		return "", &Error{Code: EInvalid, Field: "phone", Key: "err.phone_foreign", Args: []any{raw}}
	case len(d) >= 9 && d[0] != '0':
		// "905123456": the leading zero dropped, as Excel does to numbers.
		d = "0" + d
	}
	if len(d) == 11 {
		if repl, ok := oldPrefixes[d[:4]]; ok {
			d = repl + d[4:]
		}
	}
	if !mobileRe.MatchString(d) {
		return "", &Error{Code: EInvalid, Field: "phone", Key: "err.phone_invalid", Args: []any{raw}}
	}
	return d, nil
}

// FormatPhone groups a normalised number for display: 0905 123 456.
func FormatPhone(p string) string {
	if len(p) != 10 {
		return p
	}
	return p[:4] + " " + p[4:7] + " " + p[7:]
}
