package scan

import (
	"errors"
	"strings"
)

// base45Alphabet is RFC 9285's alphabet: exactly the QR alphanumeric set, so
// a base45 text is encoded at 5.5 bits per character by the QR encoder.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var errBase45 = errors.New("invalid base45")

// base45Encode implements RFC 9285. Note that the output never ends in a
// space (a full group's last digit is at most 65535/2025 = 32, a final
// single byte's second digit at most 5), so trimming scanners cannot damage it.
func base45Encode(src []byte) string {
	var b strings.Builder
	b.Grow(len(src)/2*3 + 2)
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		b.WriteByte(base45Alphabet[n%45])
		b.WriteByte(base45Alphabet[(n/45)%45])
		b.WriteByte(base45Alphabet[n/2025])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		b.WriteByte(base45Alphabet[n%45])
		b.WriteByte(base45Alphabet[n/45])
	}
	return b.String()
}

func base45Value(c byte) int {
	return strings.IndexByte(base45Alphabet, c)
}

// base45Decode implements RFC 9285, rejecting non-canonical input (values
// above 65535 or 255), so each byte string has exactly one text form.
func base45Decode(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, errBase45
	}
	out := make([]byte, 0, len(s)/3*2+1)
	for i := 0; i < len(s); i += 3 {
		if i+2 < len(s) {
			c, d, e := base45Value(s[i]), base45Value(s[i+1]), base45Value(s[i+2])
			if c < 0 || d < 0 || e < 0 {
				return nil, errBase45
			}
			n := c + d*45 + e*2025
			if n > 0xffff {
				return nil, errBase45
			}
			out = append(out, byte(n>>8), byte(n))
		} else {
			c, d := base45Value(s[i]), base45Value(s[i+1])
			if c < 0 || d < 0 {
				return nil, errBase45
			}
			n := c + d*45
			if n > 0xff {
				return nil, errBase45
			}
			out = append(out, byte(n))
		}
	}
	return out, nil
}
