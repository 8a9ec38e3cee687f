package syncproto

import (
	"bytes"
	"crypto/ed25519"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"qrward/data"
)

func sampleFrames() []*Frame {
	return []*Frame{
		{Header: &Header{Direction: Down, Kind: KindPull, Sender: "hub:492", Streams: []StreamRange{{Ward: "20236", From: 7, To: 9}}, Rows: 2}},
		{Columns: &Columns{Table: "checkin", Names: []string{"id", "time_in", "note", "blob", "score", "gone"}}},
		{Row: &Row{Table: "checkin", Ward: "20236", Seq: 8, Values: Values{[]byte{1, 2, 3}, int64(-1631664000), "Phường Hải Châu I", []byte{}, 1.5, nil}}},
		{Row: &Row{Table: "checkin", Ward: "20236", Seq: 9, BaseVersion: 3, DeviceSeq: 77, Values: Values{[]byte{4}, int64(0), "", nil, 0.0, nil}}},
		{Ack: &Ack{DeviceID: []byte{9}, AckedSeq: 42, Conflicts: 1}},
		{Trailer: &Trailer{NextAfter: 9, HighWater: 12, More: true}},
	}
}

func roundTrip(t *testing.T, format Format) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf, format)
	for _, f := range sampleFrames() {
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
	}
	enc.Close()
	d, err := NewDecoder(&buf, format)
	if err != nil {
		t.Fatal(err)
	}
	want := sampleFrames()
	for i := 0; ; i++ {
		f, err := d.Decode()
		if err == io.EOF {
			if i != len(want) {
				t.Fatalf("%d frames, want %d", i, len(want))
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.Trailer != nil {
			if f.Trailer.Count != 2 || len(f.Trailer.SHA256) != 32 {
				t.Fatalf("trailer %+v", f.Trailer)
			}
			f.Trailer.Count, f.Trailer.SHA256 = 0, nil
		}
		if f.Row != nil && format == JSON {
			// JSON cannot tell an empty blob from a missing one.
			for j, v := range f.Row.Values {
				if b, ok := v.([]byte); ok && len(b) == 0 {
					f.Row.Values[j] = []byte{}
				}
			}
		}
		if !reflect.DeepEqual(f, want[i]) {
			t.Fatalf("frame %d:\n got %#v\nwant %#v", i, f, want[i])
		}
	}
}

func TestFramesRoundTripProto(t *testing.T) { roundTrip(t, Proto) }
func TestFramesRoundTripJSON(t *testing.T)  { roundTrip(t, JSON) }

// Raw values (as the hub stores them) encode like decoded ones.
func TestRawValuesEqualEncoded(t *testing.T) {
	vals := sampleFrames()[2].Row.Values
	raw := EncodeValues(vals)
	a := appendRow(nil, &Row{Table: "x", Values: vals})
	b := appendRow(nil, &Row{Table: "x", Raw: raw})
	if !bytes.Equal(a, b) {
		t.Fatal("raw and decoded rows encode differently")
	}
	back, err := DecodeValues(raw)
	if err != nil || !reflect.DeepEqual(back, vals) {
		t.Fatalf("decode values: %v %v", back, err)
	}
}

// A trailer that does not match the frames before it is refused.
func TestTrailerMismatchIsCorrupt(t *testing.T) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf, JSON)
	for _, f := range sampleFrames()[:3] {
		enc.Encode(f)
	}
	enc.Encode(&Frame{Trailer: &Trailer{}})
	enc.Close()
	text := strings.Replace(buf.String(), "Phường Hải Châu I", "Phường Hải Châu X", 1)
	d, _ := NewDecoder(strings.NewReader(text), JSON)
	for {
		_, err := d.Decode()
		if err == io.EOF {
			t.Fatal("altered stream accepted")
		}
		if err != nil {
			if data.ErrorCode(err) != data.ECorrupt {
				t.Fatalf("error %v", err)
			}
			return
		}
	}
}

func TestBundleSignedAndEncrypted(t *testing.T) {
	dir := t.TempDir()
	sender, _ := NewKeys()
	receiver, _ := NewKeys()
	other, _ := NewKeys()
	path := filepath.Join(dir, "b.qrb")
	f, _ := os.Create(path)
	err := WriteBundle(f, []string{receiver.Recipient()}, sender, "dev", func(enc *Encoder) error {
		for _, fr := range sampleFrames()[:4] {
			if err := enc.Encode(fr); err != nil {
				return err
			}
		}
		return enc.Encode(&Frame{Trailer: &Trailer{}})
	})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pub := func(*Header) (ed25519.PublicKey, error) { return sender.SignPrivate.Public().(ed25519.PublicKey), nil }
	b, err := OpenBundle(path, receiver.AgeIdentity, pub)
	if err != nil || b.Rows != 2 || b.Header.Streams[0].Ward != "20236" {
		t.Fatalf("open: %+v %v", b, err)
	}
	n := 0
	b.Frames(func(f *Frame) error { n++; return nil })
	if n != 4 { // columns, 2 rows, trailer
		t.Fatalf("frames after header: %d", n)
	}
	key := func(err error) string {
		if de, ok := err.(*data.Error); ok {
			return de.Key
		}
		return ""
	}
	if _, err := OpenBundle(path, other.AgeIdentity, pub); key(err) != "err.bundle_wrong_recipient" {
		t.Fatalf("wrong recipient: %v", err)
	}
	wrongSigner := func(*Header) (ed25519.PublicKey, error) { return other.SignPrivate.Public().(ed25519.PublicKey), nil }
	if _, err := OpenBundle(path, receiver.AgeIdentity, wrongSigner); key(err) != "err.bundle_signature" {
		t.Fatalf("wrong signer: %v", err)
	}
	raw, _ := os.ReadFile(path)
	raw[len(raw)-20] ^= 1
	os.WriteFile(path, raw, 0o600)
	if _, err := OpenBundle(path, receiver.AgeIdentity, pub); key(err) != "err.bundle_damaged" {
		t.Fatalf("tampered: %v", err)
	}
	if k, err := ParseKeys(sender.Marshal()); err != nil || k.Recipient() != sender.Recipient() || k.SignPublic() != sender.SignPublic() {
		t.Fatalf("keys round trip: %v", err)
	}
}
