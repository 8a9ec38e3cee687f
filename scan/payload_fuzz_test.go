package scan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedFile adds each non-empty line of testdata/<name> to the corpus, so
// the seeds stay readable and editable.
func seedFile(f *testing.F, name string) {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatalf("seed corpus: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimRight(line, "\r"); line != "" {
			f.Add(line)
		}
	}
}

func FuzzParse(f *testing.F) {
	seedFile(f, "payload_seeds.txt")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			var pe *PayloadError
			if !errors.As(err, &pe) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if p != nil {
				t.Fatal("payload and error both set")
			}
			if pe.MessageVI() == "" || pe.MessageEN() == "" || pe.Error() == "" {
				t.Fatal("empty message")
			}
			return
		}
		if p == nil || p.Kind() == KindUnknown {
			t.Fatalf("nil/unknown payload without error: %v", p)
		}
		if pc, ok := p.(PersonCode); ok {
			_ = pc.Identity()
		}
	})
}

func FuzzVerifyVenueCode(f *testing.F) {
	seedFile(f, "payload_seeds.txt")
	key, kr := testOfficeKey(f)
	code, err := EncodeVenueCode(testVenueFields(), key)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(code)
	f.Fuzz(func(t *testing.T, s string) {
		v := VerifyVenueCode(s, kr, Expectation{})
		if v.Status < VerdictGenuine || v.Status > VerdictMalformed {
			t.Fatalf("bad status %d", v.Status)
		}
		if v.Status == VerdictGenuine && s != code && strings.TrimSpace(s) != code {
			// Ed25519 is not malleable and base45 decoding is canonical, so
			// only the genuine text itself may verify.
			t.Fatalf("accepted a different text %q", s)
		}
		if v.Status == VerdictMalformed {
			var pe *PayloadError
			if !errors.As(v.Err, &pe) {
				t.Fatalf("untyped error %T", v.Err)
			}
		}
	})
}

func FuzzFoldName(f *testing.F) {
	for _, s := range []string{"Nguyễn Lê Khả Hân", "ĐẶNG  đức", "\u0300x", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := FoldName(s)
		if FoldName(a) != a {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, a, FoldName(a))
		}
		if strings.Contains(a, "  ") || strings.HasPrefix(a, " ") || strings.HasSuffix(a, " ") {
			t.Fatalf("spaces not collapsed: %q", a)
		}
	})
}
