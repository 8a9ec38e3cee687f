package syncproto

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"

	"filippo.io/age"

	"qrward/data"
)

// BundleMagic starts every bundle file, before the age ciphertext, so a
// wrong file is named as such instead of failing deep in decryption.
const BundleMagic = "QRWARD-BUNDLE 1\n"

// Keys is one party's (a device's or the hub's) sync identity: an Ed25519
// key that signs what it sends and an age X25519 identity that decrypts
// what it receives.
type Keys struct {
	SignPrivate ed25519.PrivateKey
	AgeIdentity *age.X25519Identity
}

// NewKeys generates a fresh identity.
func NewKeys() (*Keys, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	return &Keys{SignPrivate: priv, AgeIdentity: id}, nil
}

// SignPublic is the public half of the signing key, base64.
func (k *Keys) SignPublic() string {
	return base64.StdEncoding.EncodeToString(k.SignPrivate.Public().(ed25519.PublicKey))
}

// Recipient is the age recipient ("age1…") others encrypt to.
func (k *Keys) Recipient() string { return k.AgeIdentity.Recipient().String() }

// Marshal gives the secret form stored by the owner: "<ed25519 seed
// base64> <AGE-SECRET-KEY-…>".
func (k *Keys) Marshal() string {
	return base64.StdEncoding.EncodeToString(k.SignPrivate.Seed()) + " " + k.AgeIdentity.String()
}

// ParseKeys reads Marshal's form.
func ParseKeys(s string) (*Keys, error) {
	var seedText, ageText string
	if _, err := fmt.Sscan(s, &seedText, &ageText); err != nil {
		return nil, fmt.Errorf("sync keys: %w", err)
	}
	seed, err := base64.StdEncoding.DecodeString(seedText)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("sync keys: bad signing seed")
	}
	id, err := age.ParseX25519Identity(ageText)
	if err != nil {
		return nil, err
	}
	return &Keys{SignPrivate: ed25519.NewKeyFromSeed(seed), AgeIdentity: id}, nil
}

// ParseSignPublic reads a base64 Ed25519 public key.
func ParseSignPublic(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("sync keys: bad public signing key")
	}
	return ed25519.PublicKey(b), nil
}

// WriteBundle writes a bundle to w: the magic line, then, encrypted to the
// recipients, the frames that write produces (it must start with a Header
// and end with a Trailer) followed by the sender's signature.
func WriteBundle(w io.Writer, recipients []string, sender *Keys, keyID string, write func(*Encoder) error) error {
	var rs []age.Recipient
	for _, r := range recipients {
		rec, err := age.ParseX25519Recipient(r)
		if err != nil {
			return &data.Error{Code: data.EInvalid, Key: "err.bundle_recipient", Args: []any{r}, Err: err}
		}
		rs = append(rs, rec)
	}
	if _, err := io.WriteString(w, BundleMagic); err != nil {
		return err
	}
	aw, err := age.Encrypt(w, rs...)
	if err != nil {
		return err
	}
	enc := NewEncoder(aw, Proto)
	if err := write(enc); err != nil {
		return err
	}
	if err := enc.Sign(keyID, sender.SignPrivate); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return aw.Close()
}

// Bundle is a verified bundle file; Frames reads it again to apply it, so
// nothing is applied before the whole file has been checked.
type Bundle struct {
	Header   *Header
	Rows     int64
	path     string
	identity age.Identity
}

// OpenBundle decrypts the bundle at path with identity, checks its
// trailer, and verifies its signature with the key senderKey returns for
// the header's sender. Every failure is a *data.Error naming the problem:
// not a bundle, not for this receiver, damaged, unknown sender, bad
// signature.
func OpenBundle(path string, identity *age.X25519Identity, senderKey func(*Header) (ed25519.PublicKey, error)) (*Bundle, error) {
	b := &Bundle{path: path, identity: identity}
	var sig *Signature
	var digest []byte
	err := b.read(func(d *Decoder, f *Frame) error {
		switch {
		case f.Header != nil && b.Header == nil:
			b.Header = f.Header
		case b.Header == nil:
			return &data.Error{Code: data.ECorrupt, Key: "err.bundle_damaged", Args: []any{path}}
		case f.Signature != nil:
			sig, digest = f.Signature, d.DigestBefore()
		case sig != nil:
			return &data.Error{Code: data.ECorrupt, Key: "err.bundle_damaged", Args: []any{path}}
		}
		b.Rows = d.Rows()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if b.Header == nil || sig == nil {
		return nil, &data.Error{Code: data.ECorrupt, Key: "err.bundle_damaged", Args: []any{path}}
	}
	pub, err := senderKey(b.Header)
	if err != nil {
		return nil, err
	}
	if !ed25519.Verify(pub, digest, sig.Sig) {
		return nil, &data.Error{Code: data.ECorrupt, Key: "err.bundle_signature", Args: []any{path}}
	}
	return b, nil
}

// Frames calls fn with every frame after the header, up to and including
// the trailer (the signature is not passed).
func (b *Bundle) Frames(fn func(*Frame) error) error {
	first := true
	return b.read(func(_ *Decoder, f *Frame) error {
		if first {
			first = false
			return nil
		}
		if f.Signature != nil {
			return nil
		}
		return fn(f)
	})
}

func (b *Bundle) read(fn func(*Decoder, *Frame) error) error {
	file, err := os.Open(b.path)
	if err != nil {
		return &data.Error{Code: data.ENotFound, Key: "err.bundle_open", Args: []any{b.path}, Err: err}
	}
	defer file.Close()
	r := bufio.NewReader(file)
	magic := make([]byte, len(BundleMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != BundleMagic {
		return &data.Error{Code: data.EUnsupported, Key: "err.bundle_not_bundle", Args: []any{b.path}}
	}
	ar, err := age.Decrypt(r, b.identity)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return &data.Error{Code: data.EUnauthorized, Key: "err.bundle_wrong_recipient", Args: []any{b.path}, Err: err}
		}
		return &data.Error{Code: data.ECorrupt, Key: "err.bundle_damaged", Args: []any{b.path}, Err: err}
	}
	d, err := NewDecoder(ar, Proto)
	if err != nil {
		return &data.Error{Code: data.ECorrupt, Key: "err.bundle_damaged", Args: []any{b.path}, Err: err}
	}
	for {
		f, err := d.Decode()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var de *data.Error
			if errors.As(err, &de) && de.Key == "err.sync_trailer" {
				return err
			}
			// age authenticates every 64 KiB chunk: a flipped byte surfaces
			// here as a read error.
			return &data.Error{Code: data.ECorrupt, Key: "err.bundle_damaged", Args: []any{b.path}, Err: err}
		}
		if err := fn(d, f); err != nil {
			return err
		}
	}
}
