package assets

import (
	"bytes"
	"encoding/binary"
	"math"
)

// Beep is the scan station's read confirmation: a 120 ms 1.5 kHz tone,
// as handheld scanners make, as a 16-bit mono PCM WAV. It is generated
// rather than shipped so the repository carries no binary sound file and
// its parameters are readable here.
var Beep = beepWAV(1500, 120, 22050)

// beepWAV synthesises a sine tone of freq Hz lasting ms milliseconds with
// 5 ms fades (no click at either end).
func beepWAV(freq float64, ms, rate int) []byte {
	n := rate * ms / 1000
	fade := rate * 5 / 1000
	samples := make([]int16, n)
	for i := range samples {
		amp := 0.6
		if i < fade {
			amp *= float64(i) / float64(fade)
		} else if n-i < fade {
			amp *= float64(n-i) / float64(fade)
		}
		samples[i] = int16(amp * math.MaxInt16 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(36+2*n))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(2 * rate), uint16(2), uint16(16)} {
		binary.Write(&b, le, v) // fmt chunk: PCM, mono, rate, byte rate, block align, bits
	}
	b.WriteString("data")
	binary.Write(&b, le, uint32(2*n))
	binary.Write(&b, le, samples)
	return b.Bytes()
}
