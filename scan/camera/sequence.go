package camera

import (
	"fmt"
	"image"
	"math/rand/v2"

	qrcode "github.com/skip2/go-qrcode"
)

// Scene is a stretch of a generated sequence: Frames frames showing Text
// as a QR code (or an empty scene when Text is "").
type Scene struct {
	Text   string
	Frames int
	// ModulePx is the size of one QR module in pixels (default 5, a phone
	// held about 30 cm from a 640×480 webcam).
	ModulePx int
}

// SequenceOptions describe a generated sequence.
type SequenceOptions struct {
	Width, Height int // default 640×480
	Seed          uint64
	Scenes        []Scene
}

// Sequence is a generated frame list with its truth: which text is in
// view in each frame ("" for none) and where.
type Sequence struct {
	Frames []image.Image
	Truth  []string
	// Boxes[i] is the code's bounding box in frame i (empty when none).
	Boxes []image.Rectangle
}

// FirstFrameWith is the index of the first frame showing text, or -1.
func (s Sequence) FirstFrameWith(text string) int {
	for i, t := range s.Truth {
		if t == text {
			return i
		}
	}
	return -1
}

// GenerateSequence renders a deterministic camera-like sequence: a lit,
// cluttered, noisy background (like a desk seen by a webcam) and, during
// each scene with a text, that text as a QR code that drifts a few pixels
// from frame to frame as a hand-held phone does. Frames are 4:2:0
// *image.YCbCr, the layout webcams deliver.
func GenerateSequence(opts SequenceOptions) (Sequence, error) {
	w, h := opts.Width, opts.Height
	if w == 0 || h == 0 {
		w, h = 640, 480
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5ca7))
	bg := background(rng, w, h)
	var seq Sequence
	for si, sc := range opts.Scenes {
		var bits [][]bool
		if sc.Text != "" {
			q, err := qrcode.New(sc.Text, qrcode.Medium)
			if err != nil {
				return Sequence{}, fmt.Errorf("scene %d: %w", si+1, err)
			}
			bits = q.Bitmap() // includes the 4-module quiet zone
		}
		module := sc.ModulePx
		if module <= 0 {
			module = 5
		}
		size := len(bits) * module
		if size > w || size > h {
			return Sequence{}, fmt.Errorf("scene %d: code of %d px does not fit a %d×%d frame", si+1, size, w, h)
		}
		x0, y0 := (w-size)/2, (h-size)/2
		for f := 0; f < sc.Frames; f++ {
			img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
			copy(img.Y, bg)
			for i := range img.Cb {
				img.Cb[i], img.Cr[i] = 128, 128
			}
			box := image.Rectangle{}
			if bits != nil {
				dx, dy := rng.IntN(7)-3, rng.IntN(7)-3
				box = drawCode(img, bits, module, x0+dx, y0+dy)
			}
			addNoise(rng, img.Y, 3)
			seq.Frames = append(seq.Frames, img)
			seq.Truth = append(seq.Truth, sc.Text)
			seq.Boxes = append(seq.Boxes, box)
		}
	}
	return seq, nil
}

// background is a gradient with a few flat rectangles of clutter.
func background(rng *rand.Rand, w, h int) []byte {
	pix := make([]byte, w*h)
	base := 90 + rng.IntN(60)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			pix[y*w+x] = clampByte(base + (x*30)/w - (y*20)/h)
		}
	}
	for k := 0; k < 8; k++ {
		rx, ry := rng.IntN(w), rng.IntN(h)
		rw, rh := 20+rng.IntN(w/4), 10+rng.IntN(h/4)
		v := byte(30 + rng.IntN(200))
		for y := ry; y < min(ry+rh, h); y++ {
			for x := rx; x < min(rx+rw, w); x++ {
				pix[y*w+x] = v
			}
		}
	}
	return pix
}

// drawCode paints the QR bitmap (quiet zone included, on white paper) and
// returns the symbol's bounding box without the quiet zone.
func drawCode(img *image.YCbCr, bits [][]bool, module, x0, y0 int) image.Rectangle {
	w := img.Rect.Dx()
	for my, row := range bits {
		for mx, dark := range row {
			v := byte(235)
			if dark {
				v = 25
			}
			for y := y0 + my*module; y < y0+(my+1)*module; y++ {
				if y < 0 || y >= img.Rect.Dy() {
					continue
				}
				for x := x0 + mx*module; x < x0+(mx+1)*module; x++ {
					if x >= 0 && x < w {
						img.Y[y*img.YStride+x] = v
					}
				}
			}
		}
	}
	qz := 4 * module
	n := len(bits) * module
	return image.Rect(x0+qz, y0+qz, x0+n-qz, y0+n-qz)
}

func addNoise(rng *rand.Rand, pix []byte, sigma float64) {
	for i, v := range pix {
		pix[i] = clampByte(int(v) + int(rng.NormFloat64()*sigma))
	}
}

func clampByte(v int) byte {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return byte(v)
}
