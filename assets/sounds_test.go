package assets

import (
	"encoding/binary"
	"testing"
)

func TestBeepIsAPlayableWAV(t *testing.T) {
	b := Beep
	if string(b[:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("header %q", b[:44])
	}
	le := binary.LittleEndian
	if le.Uint32(b[4:]) != uint32(len(b)-8) || le.Uint32(b[40:]) != uint32(len(b)-44) {
		t.Error("chunk sizes do not match the file")
	}
	if rate, bits := le.Uint32(b[24:]), le.Uint16(b[34:]); rate != 22050 || bits != 16 {
		t.Errorf("rate %d, bits %d", rate, bits)
	}
	if ms := (len(b) - 44) / 2 * 1000 / 22050; ms != 120 {
		t.Errorf("%d ms", ms)
	}
	// Fades: the first and last samples are silent, the middle is loud.
	first, mid := int16(le.Uint16(b[44:])), 0
	for i := 44 + 2*1000; i < 44+2*1100; i += 2 {
		mid = max(mid, int(int16(le.Uint16(b[i:]))))
	}
	if first != 0 || mid < 15000 {
		t.Errorf("first sample %d, peak %d", first, mid)
	}
}
