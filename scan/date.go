package scan

import (
	"fmt"
	"time"
)

// Date is a civil date whose parts may be unknown: a QRQG display masks the
// day and month of birth, and some cards give only a year. A zero part means
// unknown or masked.
type Date struct {
	Year, Month, Day int
}

// IsZero reports whether nothing of the date is known.
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

// Complete reports whether year, month and day are all known.
func (d Date) Complete() bool { return d.Year != 0 && d.Month != 0 && d.Day != 0 }

// String formats the date as YYYY-MM-DD with ** for unknown parts.
func (d Date) String() string {
	part := func(v, width int) string {
		if v == 0 {
			if width == 4 {
				return "****"
			}
			return "**"
		}
		return fmt.Sprintf("%0*d", width, v)
	}
	return part(d.Year, 4) + "-" + part(d.Month, 2) + "-" + part(d.Day, 2)
}

// Time returns the date at midnight UTC when it is complete.
func (d Date) Time() (time.Time, bool) {
	if !d.Complete() {
		return time.Time{}, false
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC), true
}

// validDate checks that the known parts form a possible calendar date.
func validDate(year, month, day int) bool {
	if year != 0 && (year < 1850 || year > 2200) {
		return false
	}
	if month != 0 && (month < 1 || month > 12) {
		return false
	}
	if day == 0 {
		return true
	}
	if day < 1 || day > 31 {
		return false
	}
	if year == 0 || month == 0 {
		return true
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return t.Day() == day
}

// digitsValue parses an all-digit string; masked ("**") parts return 0, ok.
// Anything else returns ok == false.
func digitsValue(s string, allowMask bool) (int, bool) {
	if s == "" {
		return 0, false
	}
	masked, digits := 0, 0
	v := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			v = v*10 + int(c-'0')
			digits++
		case c == '*' && allowMask:
			masked++
		default:
			return 0, false
		}
	}
	if masked > 0 {
		if digits > 0 {
			return 0, false // half-masked part: refuse rather than guess
		}
		return 0, true
	}
	return v, true
}

// parseISODate parses YYYY-MM-DD (parts may be masked with *) or YYYY.
func parseISODate(s string, allowMask bool) (Date, bool) {
	if len(s) == 4 {
		y, ok := digitsValue(s, false)
		return Date{Year: y}, ok && y != 0 && validDate(y, 0, 0)
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	y, ok1 := digitsValue(s[0:4], false)
	m, ok2 := digitsValue(s[5:7], allowMask)
	d, ok3 := digitsValue(s[8:10], allowMask)
	if !ok1 || !ok2 || !ok3 || y == 0 || (m == 0 && d != 0) || !validDate(y, m, d) {
		return Date{}, false
	}
	return Date{y, m, d}, true
}

// parseDMYCompact parses ddmmyyyy as printed on CCCD codes.
func parseDMYCompact(s string) (Date, bool) {
	if len(s) != 8 {
		return Date{}, false
	}
	d, ok1 := digitsValue(s[0:2], false)
	m, ok2 := digitsValue(s[2:4], false)
	y, ok3 := digitsValue(s[4:8], false)
	if !ok1 || !ok2 || !ok3 || y == 0 || m == 0 || d == 0 || !validDate(y, m, d) {
		return Date{}, false
	}
	return Date{y, m, d}, true
}

// parseLooseDate accepts the forms seen on health-insurance cards:
// dd/mm/yyyy, yyyy, ddmmyyyy and YYYY-MM-DD.
func parseLooseDate(s string) (Date, bool) {
	switch {
	case len(s) == 10 && s[2] == '/' && s[5] == '/':
		d, ok1 := digitsValue(s[0:2], false)
		m, ok2 := digitsValue(s[3:5], false)
		y, ok3 := digitsValue(s[6:10], false)
		if !ok1 || !ok2 || !ok3 || y == 0 || d == 0 || m == 0 || !validDate(y, m, d) {
			return Date{}, false
		}
		return Date{y, m, d}, true
	case len(s) == 8:
		return parseDMYCompact(s)
	default:
		return parseISODate(s, false)
	}
}
