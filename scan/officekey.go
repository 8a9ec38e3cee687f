package scan

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/crypto/scrypt"
)

// KeyID names an office key inside a venue code: the first 8 bytes of
// SHA-256 of the Ed25519 public key. Eight bytes make an accidental clash
// between offices negligible while keeping the code small; the signature,
// not the id, is what proves authenticity.
type KeyID [8]byte

// String returns the id in lower-case hex.
func (id KeyID) String() string { return hex.EncodeToString(id[:]) }

// KeyIDOf computes the KeyID of a public key.
func KeyIDOf(pub ed25519.PublicKey) KeyID {
	sum := sha256.Sum256(pub)
	var id KeyID
	copy(id[:], sum[:8])
	return id
}

// OfficeKey is a ward office's Ed25519 signing key for venue codes.
type OfficeKey struct {
	priv ed25519.PrivateKey
}

// ErrWrongPassphrase is returned when an office key file cannot be opened:
// the passphrase is wrong or the file was damaged.
var ErrWrongPassphrase = errors.New("scan: sai mật khẩu hoặc tệp khoá bị hỏng (wrong passphrase or damaged key file)")

// GenerateOfficeKey creates a new key from rand (crypto/rand.Reader in
// production).
func GenerateOfficeKey(rand io.Reader) (*OfficeKey, error) {
	_, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("scan: generating office key: %w", err)
	}
	return &OfficeKey{priv: priv}, nil
}

// OfficeKeyFromSeed rebuilds a key from its 32-byte seed (test vectors).
func OfficeKeyFromSeed(seed []byte) (*OfficeKey, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("scan: office key seed must be %d bytes", ed25519.SeedSize)
	}
	return &OfficeKey{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// PublicKey returns the verification key to share with other offices.
func (k *OfficeKey) PublicKey() ed25519.PublicKey {
	return k.priv.Public().(ed25519.PublicKey)
}

// KeyID returns the id embedded in the codes this key signs.
func (k *OfficeKey) KeyID() KeyID { return KeyIDOf(k.PublicKey()) }

// TrustedKey returns the public half as a keyring entry.
func (k *OfficeKey) TrustedKey(officeName, wardCode string) TrustedKey {
	return TrustedKey{KeyID: k.KeyID(), PublicKey: k.PublicKey(), OfficeName: officeName, WardCode: wardCode}
}

func (k *OfficeKey) sign(msg []byte) []byte { return ed25519.Sign(k.priv, msg) }

// scrypt cost: N=2^15, r=8, p=1 (about 32 MiB, ~0.1 s here): the file is
// opened once per session, and a stolen file should resist guessing.
const (
	officeKeyPEMType = "QRWARD OFFICE KEY"
	scryptN          = 1 << 15
	scryptR          = 8
	scryptP          = 1
)

// MarshalEncrypted seals the private key with a passphrase: scrypt derives
// an AES-256-GCM key; the public key travels in clear in a header and is also
// the GCM additional data, so a swapped header is detected. Output is PEM.
func (k *OfficeKey) MarshalEncrypted(passphrase []byte, rand io.Reader) ([]byte, error) {
	salt := make([]byte, 16)
	nonce := make([]byte, 12)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return nil, err
	}
	aead, err := officeKeyAEAD(passphrase, salt, scryptN, scryptR, scryptP)
	if err != nil {
		return nil, err
	}
	pub := k.PublicKey()
	sealed := aead.Seal(nil, nonce, k.priv.Seed(), pub)
	block := &pem.Block{
		Type: officeKeyPEMType,
		Headers: map[string]string{
			"Kdf":        "scrypt",
			"Scrypt-N":   strconv.Itoa(scryptN),
			"Scrypt-R":   strconv.Itoa(scryptR),
			"Scrypt-P":   strconv.Itoa(scryptP),
			"Salt":       hex.EncodeToString(salt),
			"Nonce":      hex.EncodeToString(nonce),
			"Cipher":     "AES-256-GCM",
			"Public-Key": base64.RawURLEncoding.EncodeToString(pub),
		},
		Bytes: sealed,
	}
	return pem.EncodeToMemory(block), nil
}

// UnmarshalOfficeKey opens a file written by MarshalEncrypted.
func UnmarshalOfficeKey(data, passphrase []byte) (*OfficeKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != officeKeyPEMType || block.Headers["Kdf"] != "scrypt" ||
		block.Headers["Cipher"] != "AES-256-GCM" {
		return nil, errors.New("scan: not a qrward office key file")
	}
	atoi := func(name string) int {
		v, err := strconv.Atoi(block.Headers[name])
		if err != nil {
			return -1
		}
		return v
	}
	n, r, p := atoi("Scrypt-N"), atoi("Scrypt-R"), atoi("Scrypt-P")
	if n < 1<<14 || n > 1<<22 || r < 1 || r > 32 || p < 1 || p > 16 {
		return nil, errors.New("scan: office key file has unsupported KDF parameters")
	}
	salt, err1 := hex.DecodeString(block.Headers["Salt"])
	nonce, err2 := hex.DecodeString(block.Headers["Nonce"])
	pub, err3 := base64.RawURLEncoding.DecodeString(block.Headers["Public-Key"])
	if err1 != nil || err2 != nil || err3 != nil || len(nonce) != 12 || len(pub) != ed25519.PublicKeySize {
		return nil, errors.New("scan: damaged office key file header")
	}
	aead, err := officeKeyAEAD(passphrase, salt, n, r, p)
	if err != nil {
		return nil, err
	}
	seed, err := aead.Open(nil, nonce, block.Bytes, pub)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, ErrWrongPassphrase
	}
	k := &OfficeKey{priv: ed25519.NewKeyFromSeed(seed)}
	if !bytes.Equal(k.PublicKey(), pub) {
		return nil, ErrWrongPassphrase
	}
	return k, nil
}

func officeKeyAEAD(passphrase, salt []byte, n, r, p int) (cipher.AEAD, error) {
	key, err := scrypt.Key(passphrase, salt, n, r, p, 32)
	if err != nil {
		return nil, fmt.Errorf("scan: deriving key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
