package protect

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var fastKDF = KDFParams{Time: 1, Memory: 1024, Threads: 1}

func TestWrapUnwrap(t *testing.T) {
	d, err := NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	w, err := d.Wrap([]byte("mật khẩu của Lan"), fastKDF)
	if err != nil {
		t.Fatal(err)
	}
	stored := w.Marshal()
	if bytes.Contains(stored, d.key[:]) {
		t.Fatal("wrapped form contains the raw key")
	}
	w2, _ := ParseWrapped(stored)
	got, err := Unwrap(w2, []byte("mật khẩu của Lan"))
	if err != nil || got.ID() != d.ID() {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := Unwrap(w2, []byte("sai")); !errors.Is(err, ErrWrongSecret) {
		t.Errorf("wrong passphrase: %v", err)
	}
	w2.Box[0] ^= 1
	if _, err := Unwrap(w2, []byte("mật khẩu của Lan")); !errors.Is(err, ErrWrongSecret) {
		t.Errorf("tampered wrap: %v", err)
	}
}

func TestSealOpenBindsContext(t *testing.T) {
	d, _ := NewDataKey()
	a := d.Seal([]byte("0905123456"), "person|A")
	b := d.Seal([]byte("0905123456"), "person|A")
	if bytes.Equal(a, b) {
		t.Error("same plaintext gave the same ciphertext (nonce reuse)")
	}
	if bytes.Contains(a, []byte("0905123456")) {
		t.Error("plaintext visible in ciphertext")
	}
	if pt, err := d.Open(a, "person|A"); err != nil || string(pt) != "0905123456" {
		t.Errorf("open: %q %v", pt, err)
	}
	if _, err := d.Open(a, "person|B"); !errors.Is(err, ErrTampered) {
		t.Error("ciphertext moved to another row was accepted")
	}
	other, _ := NewDataKey()
	if _, err := other.Open(a, "person|A"); !errors.Is(err, ErrTampered) {
		t.Error("another key opened the value")
	}
	a[len(a)-1] ^= 1
	if _, err := d.Open(a, "person|A"); !errors.Is(err, ErrTampered) {
		t.Error("flipped bit accepted")
	}
}

func TestBlindIndex(t *testing.T) {
	d, _ := NewDataKey()
	other, _ := NewDataKey()
	if !bytes.Equal(d.BlindIndex("phone", "0905123456"), d.BlindIndex("phone", "0905123456")) {
		t.Error("blind index not deterministic")
	}
	if bytes.Equal(d.BlindIndex("phone", "0905123456"), d.BlindIndex("id", "0905123456")) {
		t.Error("kinds not separated")
	}
	if bytes.Equal(d.BlindIndex("phone", "0905123456"), other.BlindIndex("phone", "0905123456")) {
		t.Error("blind index independent of the key")
	}
	if d.BlindIndex("phone", "") != nil {
		t.Error("empty value indexed")
	}
}

func TestRecoverySecret(t *testing.T) {
	s, err := NewRecoverySecret()
	if err != nil || len(strings.ReplaceAll(s, "-", "")) != 32 {
		t.Fatalf("%q %v", s, err)
	}
	d, _ := NewDataKey()
	w, _ := d.Wrap([]byte(s), fastKDF)
	if got, err := Unwrap(w, []byte(s)); err != nil || got.ID() != d.ID() {
		t.Error("recovery secret does not unwrap")
	}
}

func TestAuditChain(t *testing.T) {
	e1 := AuditEntry{Seq: 1, At: 100, Actor: "admin", Action: "signin"}
	e2 := AuditEntry{Seq: 2, At: 101, Actor: "admin", Action: "purge", Detail: `{"checkins":12}`}
	h1 := ChainHash(nil, e1)
	h2 := ChainHash(h1, e2)
	e2.Detail = `{"checkins":11}`
	if bytes.Equal(ChainHash(h1, e2), h2) {
		t.Error("edited entry keeps its hash")
	}
}
