package scan

import "regexp"

var mobilePattern = regexp.MustCompile(`^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$`)

// normalizePhone returns a Vietnamese mobile number in its 10-digit 0xxx
// form, or "" when s is not one. Spaces, dots and dashes are ignored and a
// +84/84 prefix becomes 0. Old 11-digit numbers are not converted here: the
// data layer owns that table; identity matching only needs equal forms.
func normalizePhone(s string) string {
	digits := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')':
		case c == '+' && len(digits) == 0:
		default:
			return ""
		}
	}
	d := string(digits)
	if len(d) == 11 && d[:2] == "84" {
		d = "0" + d[2:]
	}
	if !mobilePattern.MatchString(d) {
		return ""
	}
	return d
}
