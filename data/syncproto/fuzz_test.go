package syncproto

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"

	"qrward/data"
)

// FuzzDecode: any byte stream, in either framing, ends in frames or an
// error — never a panic or an endless loop.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf, Proto)
	enc.Encode(&Frame{Header: &Header{BundleID: "seed"}})
	enc.Close()
	f.Add(buf.Bytes(), false)
	f.Add([]byte(`{"header":{"bundle_id":"x"}}`+"\n"), true)
	f.Add([]byte{0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0}, false)
	f.Fuzz(func(t *testing.T, b []byte, json bool) {
		format := Proto
		if json {
			format = JSON
		}
		d, err := NewDecoder(bytes.NewReader(b), format)
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			if _, err := d.Decode(); err != nil {
				return
			}
		}
	})
}

// FuzzOpenBundle: a damaged or forged bundle file is refused with a typed
// error naming the problem.
func FuzzOpenBundle(f *testing.F) {
	f.Add([]byte("age-encryption.org/v1\n-> X25519 abc\n"))
	f.Add([]byte("not a bundle"))
	keys, err := NewKeys()
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "b.qrwb")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := OpenBundle(path, keys.AgeIdentity, func(*Header) (ed25519.PublicKey, error) {
			return keys.SignPrivate.Public().(ed25519.PublicKey), nil
		})
		if err == nil {
			t.Fatal("random bytes opened as a bundle")
		}
		if data.ErrorCode(err) == data.EInternal {
			t.Fatalf("untyped refusal: %v", err)
		}
	})
}
