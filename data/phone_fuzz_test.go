package data

import (
	"testing"
	"unicode/utf8"
)

// FuzzNormalizePhone: any input either fails with a typed phone error or
// gives a valid 10-digit mobile that normalises to itself.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"0905123456", "+84 905 123 456", "01621234567", "0084905123456", "abc", "", "+1 415"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := NormalizePhone(s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Field != "phone" || e.Code != EInvalid {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !mobileRe.MatchString(p) {
			t.Fatalf("%q → invalid %q", s, p)
		}
		if again, err := NormalizePhone(p); err != nil || again != p {
			t.Fatalf("not idempotent: %q → %q → %q %v", s, p, again, err)
		}
	})
}

// FuzzFold: folding never panics, is idempotent and keeps valid UTF-8.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Chợ Hàn", "ĐỐNG ĐA", "a\u0301", "  x  y "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Fold(s)
		if Fold(a) != a {
			t.Fatalf("Fold not idempotent on %q: %q → %q", s, a, Fold(a))
		}
		if utf8.ValidString(s) && !utf8.ValidString(a) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
	})
}
