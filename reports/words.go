package reports

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var digitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// readTriple reads a group of three digits. full is true when the group is
// not the leading one, so "không trăm" and "linh" are spoken.
func readTriple(n int64, full bool) []string {
	h, t, u := n/100, (n/10)%10, n%10
	var w []string
	if h > 0 || full {
		w = append(w, digitWords[h], "trăm")
	}
	switch {
	case t == 0:
		if u > 0 {
			if len(w) > 0 {
				w = append(w, "linh")
			}
			w = append(w, digitWords[u])
		}
	case t == 1:
		w = append(w, "mười")
		switch u {
		case 0:
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	default:
		w = append(w, digitWords[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	}
	return w
}

// numberWords reads n ≥ 0 in lower-case Vietnamese.
func numberWords(n int64) []string {
	if n == 0 {
		return []string{"không"}
	}
	var w []string
	if n >= 1_000_000_000 {
		w = append(w, numberWords(n/1_000_000_000)...)
		w = append(w, "tỷ")
		n %= 1_000_000_000
		if n == 0 {
			return w
		}
		return append(w, below1e9(n, true)...)
	}
	return below1e9(n, false)
}

// below1e9 reads 0 < n < 1e9; full means a higher group precedes it.
func below1e9(n int64, full bool) []string {
	groups := []struct {
		div  int64
		name string
	}{{1_000_000, "triệu"}, {1_000, "nghìn"}, {1, ""}}
	var w []string
	for _, g := range groups {
		v := (n / g.div) % 1000
		if v == 0 {
			continue
		}
		w = append(w, readTriple(v, full || len(w) > 0)...)
		if g.name != "" {
			w = append(w, g.name)
		}
	}
	return w
}

// NumberInWords reads an integer in lower-case Vietnamese, e.g. 1005000 →
// "một triệu không trăm linh năm nghìn". Negative numbers start with "âm".
func NumberInWords(n int64) string {
	if n < 0 {
		if n == -n { // math.MinInt64
			return "âm " + strings.Join(numberWords(-(n+1)), " ")
		}
		return "âm " + strings.Join(numberWords(-n), " ")
	}
	return strings.Join(numberWords(n), " ")
}

// AmountInWords writes a VND amount in Vietnamese words with a capital
// first letter, as printed next to the figures in a penalty decision:
// 5000000 → "Năm triệu đồng", 21 → "Hai mươi mốt đồng",
// 105 → "Một trăm linh năm đồng".
func AmountInWords(vnd int64) string {
	s := NumberInWords(vnd) + " đồng"
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// FormatVND formats an amount with dots between thousands, as written in
// Vietnamese documents: 5000000 → "5.000.000".
func FormatVND(vnd int64) string {
	neg := vnd < 0
	s := strconv.FormatInt(vnd, 10)
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}
