package scan

import (
	"bufio"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
)

// TrustedKey is an office public key an inspector's laptop trusts: its own
// office's, or one imported from another office.
type TrustedKey struct {
	KeyID      KeyID
	PublicKey  ed25519.PublicKey
	OfficeName string
	// WardCode is the 5-digit commune code of the issuing office.
	WardCode string
}

// trustedKeyTag starts a public-key line. Format (one line, UTF-8):
//
//	qrward-pubkey-v1 <base64url public key> <ward code> <office name ...>
const trustedKeyTag = "qrward-pubkey-v1"

// MarshalText returns the one-line text form of the key, for export to other
// offices (the key id is derived, so it is not written).
func (k TrustedKey) MarshalText() ([]byte, error) {
	if len(k.PublicKey) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("scan: public key must be %d bytes", ed25519.PublicKeySize)
	}
	if !isWardCode(k.WardCode) {
		return nil, newPayloadError(ErrBadWardCode, KindUnknown, fieldWardCode, "")
	}
	name := collapseSpaces(normalizeText(k.OfficeName))
	return []byte(fmt.Sprintf("%s %s %s %s", trustedKeyTag,
		base64.RawURLEncoding.EncodeToString(k.PublicKey), k.WardCode, name)), nil
}

// ParseTrustedKey reads one line written by MarshalText.
func ParseTrustedKey(line string) (TrustedKey, error) {
	parts := strings.Fields(normalizeText(line))
	if len(parts) < 3 || parts[0] != trustedKeyTag {
		return TrustedKey{}, fmt.Errorf("scan: not a qrward public key line")
	}
	pub, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return TrustedKey{}, fmt.Errorf("scan: malformed public key")
	}
	if !isWardCode(parts[2]) {
		return TrustedKey{}, newPayloadError(ErrBadWardCode, KindUnknown, fieldWardCode, "")
	}
	return TrustedKey{
		KeyID:      KeyIDOf(pub),
		PublicKey:  ed25519.PublicKey(pub),
		WardCode:   parts[2],
		OfficeName: strings.Join(parts[3:], " "),
	}, nil
}

// Keyring is the set of office keys whose venue codes are trusted. The zero
// value is an empty keyring.
type Keyring struct {
	keys map[KeyID]TrustedKey
}

// NewKeyring builds a keyring from keys (see Add).
func NewKeyring(keys ...TrustedKey) (Keyring, error) {
	var kr Keyring
	for _, k := range keys {
		if err := kr.Add(k); err != nil {
			return Keyring{}, err
		}
	}
	return kr, nil
}

// Add trusts a key. The key id is recomputed from the public key so a
// mislabelled entry cannot vouch for another office's codes.
func (kr *Keyring) Add(k TrustedKey) error {
	if len(k.PublicKey) != ed25519.PublicKeySize {
		return fmt.Errorf("scan: public key must be %d bytes", ed25519.PublicKeySize)
	}
	k.KeyID = KeyIDOf(k.PublicKey)
	if kr.keys == nil {
		kr.keys = make(map[KeyID]TrustedKey)
	}
	kr.keys[k.KeyID] = k
	return nil
}

// Remove stops trusting a key (e.g. a compromised office key).
func (kr *Keyring) Remove(id KeyID) { delete(kr.keys, id) }

// Lookup finds a trusted key by id.
func (kr Keyring) Lookup(id KeyID) (TrustedKey, bool) {
	k, ok := kr.keys[id]
	return k, ok
}

// Keys lists the trusted keys ordered by ward code then key id.
func (kr Keyring) Keys() []TrustedKey {
	out := make([]TrustedKey, 0, len(kr.keys))
	for _, k := range kr.keys {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].WardCode != out[j].WardCode {
			return out[i].WardCode < out[j].WardCode
		}
		return out[i].KeyID.String() < out[j].KeyID.String()
	})
	return out
}

// MarshalText writes one key per line (see TrustedKey.MarshalText).
func (kr Keyring) MarshalText() ([]byte, error) {
	var b strings.Builder
	for _, k := range kr.Keys() {
		line, err := k.MarshalText()
		if err != nil {
			return nil, err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return []byte(b.String()), nil
}

// ParseKeyring reads lines written by MarshalText; blank lines and lines
// starting with '#' are ignored.
func ParseKeyring(text string) (Keyring, error) {
	var kr Keyring
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		k, err := ParseTrustedKey(s)
		if err != nil {
			return Keyring{}, fmt.Errorf("line %d: %w", line, err)
		}
		if err := kr.Add(k); err != nil {
			return Keyring{}, fmt.Errorf("line %d: %w", line, err)
		}
	}
	return kr, sc.Err()
}

func isWardCode(s string) bool { return len(s) == 5 && isAllDigits(s) }
