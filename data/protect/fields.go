package protect

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"io"
)

// ErrTampered means a ciphertext failed authentication: it was changed,
// moved to another row, or made with another key.
var ErrTampered = errors.New("protect: encrypted value failed authentication")

const fieldVersion = 1

// Seal encrypts plaintext bound to context (e.g. "person|<row id>"). The
// result is version ‖ nonce ‖ ciphertext ‖ tag.
func (d *DataKey) Seal(plaintext []byte, context string) []byte {
	nonce := make([]byte, d.aead.NonceSize())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		panic("protect: no randomness: " + err.Error())
	}
	out := make([]byte, 0, 1+len(nonce)+len(plaintext)+d.aead.Overhead())
	out = append(out, fieldVersion)
	out = append(out, nonce...)
	return d.aead.Seal(out, nonce, plaintext, []byte(context))
}

// Open decrypts a value sealed with the same context.
func (d *DataKey) Open(sealed []byte, context string) ([]byte, error) {
	ns := d.aead.NonceSize()
	if len(sealed) < 1+ns+d.aead.Overhead() || sealed[0] != fieldVersion {
		return nil, ErrTampered
	}
	pt, err := d.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(context))
	if err != nil {
		return nil, ErrTampered
	}
	return pt, nil
}

// BlindIndex is a keyed tag of an already-normalised value (kind keeps
// equal values of different kinds apart). Equal inputs give equal tags,
// so an index on the tag finds exact matches; without the key the tag
// reveals nothing but equality. Empty values have no tag (nil).
func (d *DataKey) BlindIndex(kind, normalised string) []byte {
	if normalised == "" {
		return nil
	}
	m := hmac.New(sha256.New, d.index[:])
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(normalised))
	return m.Sum(nil)[:16]
}

func base32NoPad(b []byte) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
