package protect

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// KeySize is the size of every symmetric key here.
const KeySize = 32

// ErrWrongSecret means a passphrase or recovery secret did not unwrap the
// data key (or the wrapped key was tampered with).
var ErrWrongSecret = errors.New("protect: wrong passphrase or damaged key")

// DataKey is an unlocked office data key. Keep it in memory only.
type DataKey struct {
	key   [KeySize]byte
	index [KeySize]byte // blind-index key, derived
	aead  cipherAEAD
}

type cipherAEAD interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
	NonceSize() int
	Overhead() int
}

// NewDataKey makes a fresh random data key.
func NewDataKey() (*DataKey, error) {
	var k [KeySize]byte
	if _, err := io.ReadFull(rand.Reader, k[:]); err != nil {
		return nil, err
	}
	return dataKeyFrom(k)
}

func dataKeyFrom(k [KeySize]byte) (*DataKey, error) {
	aead, err := chacha20poly1305.NewX(k[:])
	if err != nil {
		return nil, err
	}
	d := &DataKey{key: k, aead: aead}
	r := hkdf.New(sha256.New, k[:], nil, []byte("qrward blind index v1"))
	if _, err := io.ReadFull(r, d.index[:]); err != nil {
		return nil, err
	}
	return d, nil
}

// ID is a short public fingerprint of the key (which key encrypted a
// replica), safe to show and log.
func (d *DataKey) ID() string {
	m := hmac.New(sha256.New, d.key[:])
	m.Write([]byte("qrward key id"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:9])
}

// KDFParams are Argon2id's cost parameters, stored with each wrap so they
// can be raised later without breaking old wraps.
type KDFParams struct {
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
}

// DefaultKDF follows OWASP's Argon2id guidance (19 MiB, 2 passes), about
// 50 ms on a 2-core laptop: slow for guessing, quick for signing in.
var DefaultKDF = KDFParams{Time: 2, Memory: 19 * 1024, Threads: 1}

// Wrapped is the data key encrypted under a key derived from a secret.
type Wrapped struct {
	Version int       `json:"v"`
	KDF     KDFParams `json:"kdf"`
	Salt    []byte    `json:"salt"`
	Nonce   []byte    `json:"nonce"`
	Box     []byte    `json:"box"`
}

// Wrap encrypts the data key under a key derived from secret (a user's
// passphrase, or a recovery secret).
func (d *DataKey) Wrap(secret []byte, p KDFParams) (Wrapped, error) {
	w := Wrapped{Version: 1, KDF: p, Salt: make([]byte, 16)}
	if _, err := io.ReadFull(rand.Reader, w.Salt); err != nil {
		return w, err
	}
	aead, err := chacha20poly1305.NewX(kek(secret, w.Salt, p))
	if err != nil {
		return w, err
	}
	w.Nonce = make([]byte, aead.NonceSize())
	if _, err := io.ReadFull(rand.Reader, w.Nonce); err != nil {
		return w, err
	}
	w.Box = aead.Seal(nil, w.Nonce, d.key[:], []byte("qrward data key v1"))
	return w, nil
}

func kek(secret, salt []byte, p KDFParams) []byte {
	return argon2.IDKey(secret, salt, p.Time, p.Memory, p.Threads, KeySize)
}

// Unwrap recovers the data key with secret.
func Unwrap(w Wrapped, secret []byte) (*DataKey, error) {
	if w.Version != 1 || w.KDF.Time == 0 || w.KDF.Memory == 0 || w.KDF.Threads == 0 {
		return nil, fmt.Errorf("protect: unsupported wrapped key v%d", w.Version)
	}
	aead, err := chacha20poly1305.NewX(kek(secret, w.Salt, w.KDF))
	if err != nil {
		return nil, err
	}
	if len(w.Nonce) != aead.NonceSize() {
		return nil, ErrWrongSecret
	}
	raw, err := aead.Open(nil, w.Nonce, w.Box, []byte("qrward data key v1"))
	if err != nil || len(raw) != KeySize {
		return nil, ErrWrongSecret
	}
	var k [KeySize]byte
	copy(k[:], raw)
	return dataKeyFrom(k)
}

// Marshal encodes a wrapped key for storage.
func (w Wrapped) Marshal() []byte {
	b, _ := json.Marshal(w)
	return b
}

// ParseWrapped decodes a stored wrapped key.
func ParseWrapped(b []byte) (Wrapped, error) {
	var w Wrapped
	err := json.Unmarshal(b, &w)
	return w, err
}

// NewRecoverySecret makes a random recovery secret, printed once as
// groups of letters for the district to keep (offline escrow).
func NewRecoverySecret() (string, error) {
	b := make([]byte, 20)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return "", err
	}
	s := base32NoPad(b)
	out := ""
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			out += "-"
		}
		out += s[i:min(i+4, len(s))]
	}
	return out, nil
}
