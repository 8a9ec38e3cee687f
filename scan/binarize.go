package scan

import (
	"github.com/makiuchi-d/gozxing"
)

// binarizer turns a luminance plane into the black/white matrix that the
// gozxing detector reads.
type binarizer int

const (
	// binHybrid is gozxing's HybridBinarizer (8×8 blocks, 5×5 block
	// neighbourhood): robust to blur and shadows, the measured default.
	binHybrid binarizer = iota
	// binGlobal is gozxing's GlobalHistogramBinarizer: fast on clean frames.
	binGlobal
	// binLocalMean thresholds each pixel against the mean of a large
	// window (radius 1/16 of the smaller image side by default) minus a small bias: handles
	// codes whose modules are larger than Hybrid's 40-px neighbourhood, and
	// glare gradients.
	binLocalMean
)

func (b binarizer) String() string {
	return [...]string{"hybrid", "global", "localmean"}[b]
}

func (l lumaPlane) source() (gozxing.LuminanceSource, error) {
	return gozxing.NewPlanarYUVLuminanceSource(l.pix, l.w, l.h, 0, 0, l.w, l.h, false)
}

// binarize returns the bit matrix of l (true = black). window is the
// local-mean window as a divisor of the smaller side (0 = 16).
func (l lumaPlane) binarize(b binarizer, window int) (*gozxing.BitMatrix, error) {
	switch b {
	case binGlobal, binHybrid:
		src, err := l.source()
		if err != nil {
			return nil, err
		}
		var bin gozxing.Binarizer
		if b == binGlobal {
			bin = gozxing.NewGlobalHistgramBinarizer(src)
		} else {
			bin = gozxing.NewHybridBinarizer(src)
		}
		return bin.GetBlackMatrix()
	default:
		if window <= 0 {
			window = 16
		}
		return l.localMeanMatrix(window)
	}
}

// localMeanMatrix: integral-image local mean over a square window.
func (l lumaPlane) localMeanMatrix(window int) (*gozxing.BitMatrix, error) {
	w, h := l.w, l.h
	m, err := gozxing.NewBitMatrix(w, h)
	if err != nil {
		return nil, err
	}
	side := w
	if h < side {
		side = h
	}
	r := side / window
	if r < 8 {
		r = 8
	}
	// Integral image with a zero first row/column.
	iw := w + 1
	integral := make([]uint32, iw*(h+1))
	for y := 0; y < h; y++ {
		var rowSum uint32
		row := l.pix[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			rowSum += uint32(row[x])
			integral[(y+1)*iw+x+1] = integral[y*iw+x+1] + rowSum
		}
	}
	// Rows are assembled as 32-bit words and stored with SetRow: setting
	// bits one by one through BitMatrix.Set was the dominant cost.
	row := gozxing.NewBitArray(w)
	words := row.GetBitArray()
	for y := 0; y < h; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, h)
		top, bot := integral[y0*iw:(y0+1)*iw], integral[y1*iw:(y1+1)*iw]
		pix := l.pix[y*w : (y+1)*w]
		clear(words)
		for x := 0; x < w; x++ {
			x0, x1 := max(x-r, 0), min(x+r+1, w)
			sum := bot[x1] - top[x1] - bot[x0] + top[x0]
			n := uint32((x1 - x0) * (y1 - y0))
			// black when darker than 92% of the local mean (the bias keeps
			// flat paper white instead of speckled)
			if uint32(pix[x])*n*100 < sum*92 {
				words[x>>5] |= 1 << uint(x&31)
			}
		}
		m.SetRow(y, row)
	}
	return m, nil
}
