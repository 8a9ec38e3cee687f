package scan

import (
	"image"
	"image/color"
	"image/draw"
)

// lumaPlane is an 8-bit luminance image with stride == width. Every decode
// strategy works on one of these, so camera frames (*image.YCbCr) and
// *image.Gray cost no colour conversion.
type lumaPlane struct {
	pix  []byte
	w, h int
}

// toLuma extracts luminance with fast paths for the common frame types.
// The Y plane is copied (not aliased) because strategies modify planes.
func toLuma(img image.Image) lumaPlane {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	l := lumaPlane{pix: make([]byte, w*h), w: w, h: h}
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(l.pix[y*w:(y+1)*w], m.Pix[off:off+w])
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(l.pix[y*w:(y+1)*w], m.Y[off:off+w])
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				p := row[x*4 : x*4+3 : x*4+3]
				l.pix[y*w+x] = lumaOf(p[0], p[1], p[2])
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				p := row[x*4 : x*4+4 : x*4+4]
				// Transparent pixels read as white paper, as a viewer shows them.
				a := uint32(p[3])
				r := (uint32(p[0])*a + 255*(255-a)) / 255
				g := (uint32(p[1])*a + 255*(255-a)) / 255
				bb := (uint32(p[2])*a + 255*(255-a)) / 255
				l.pix[y*w+x] = lumaOf(uint8(r), uint8(g), uint8(bb))
			}
		}
	default:
		g := image.NewGray(image.Rect(0, 0, w, h))
		draw.Draw(g, g.Bounds(), &image.Uniform{color.White}, image.Point{}, draw.Src)
		draw.Draw(g, g.Bounds(), img, b.Min, draw.Over)
		copy(l.pix, g.Pix)
	}
	return l
}

// lumaOf is the BT.601 luma used by JPEG and by camera Y planes.
func lumaOf(r, g, b uint8) uint8 {
	return uint8((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
}

// resize returns the plane scaled to (nw, nh): area averaging when
// shrinking (it doubles as denoising and blur-tolerance), bilinear when
// enlarging (for codes whose modules are smaller than ~2 px).
func (l lumaPlane) resize(nw, nh int) lumaPlane {
	if nw == l.w && nh == l.h {
		return l
	}
	if nw > l.w || nh > l.h {
		return l.resizeBilinear(nw, nh)
	}
	// Horizontal pass into 16-bit sums, then vertical.
	tmp := make([]uint16, nw*l.h)
	xs := spans(l.w, nw)
	for y := 0; y < l.h; y++ {
		row := l.pix[y*l.w : (y+1)*l.w]
		out := tmp[y*nw : (y+1)*nw]
		for x := 0; x < nw; x++ {
			s := 0
			for i := xs[x]; i < xs[x+1]; i++ {
				s += int(row[i])
			}
			out[x] = uint16(s * 16 / (xs[x+1] - xs[x]))
		}
	}
	ys := spans(l.h, nh)
	out := lumaPlane{pix: make([]byte, nw*nh), w: nw, h: nh}
	acc := make([]int, nw)
	for y := 0; y < nh; y++ {
		for x := range acc {
			acc[x] = 0
		}
		for j := ys[y]; j < ys[y+1]; j++ {
			row := tmp[j*nw : (j+1)*nw]
			for x, v := range row {
				acc[x] += int(v)
			}
		}
		n := (ys[y+1] - ys[y]) * 16
		dst := out.pix[y*nw : (y+1)*nw]
		for x := range dst {
			dst[x] = uint8((acc[x] + n/2) / n)
		}
	}
	return out
}

// spans splits n source pixels into m runs, returning m+1 boundaries.
func spans(n, m int) []int {
	b := make([]int, m+1)
	for i := 0; i <= m; i++ {
		b[i] = i * n / m
	}
	for i := 1; i <= m; i++ {
		if b[i] <= b[i-1] {
			b[i] = b[i-1] + 1
		}
	}
	return b
}

func (l lumaPlane) resizeBilinear(nw, nh int) lumaPlane {
	out := lumaPlane{pix: make([]byte, nw*nh), w: nw, h: nh}
	sx := float64(l.w) / float64(nw)
	sy := float64(l.h) / float64(nh)
	for y := 0; y < nh; y++ {
		fy := (float64(y)+0.5)*sy - 0.5
		y0 := int(fy)
		if fy < 0 {
			fy, y0 = 0, 0
		}
		y1 := y0 + 1
		if y1 >= l.h {
			y1 = l.h - 1
		}
		wy := fy - float64(y0)
		for x := 0; x < nw; x++ {
			fx := (float64(x)+0.5)*sx - 0.5
			x0 := int(fx)
			if fx < 0 {
				fx, x0 = 0, 0
			}
			x1 := x0 + 1
			if x1 >= l.w {
				x1 = l.w - 1
			}
			wx := fx - float64(x0)
			a := float64(l.pix[y0*l.w+x0])*(1-wx) + float64(l.pix[y0*l.w+x1])*wx
			b := float64(l.pix[y1*l.w+x0])*(1-wx) + float64(l.pix[y1*l.w+x1])*wx
			out.pix[y*nw+x] = uint8(a*(1-wy) + b*wy + 0.5)
		}
	}
	return out
}

// inverted returns the negative, for light-on-dark codes (phone dark mode).
func (l lumaPlane) inverted() lumaPlane {
	out := lumaPlane{pix: make([]byte, len(l.pix)), w: l.w, h: l.h}
	for i, v := range l.pix {
		out.pix[i] = 255 - v
	}
	return out
}

// sharpened applies an unsharp mask (3×3 box) with the given amount, which
// restores edges of slightly out-of-focus codes before binarisation.
func (l lumaPlane) sharpened(amount int) lumaPlane {
	blur := l.boxBlur3()
	out := lumaPlane{pix: make([]byte, len(l.pix)), w: l.w, h: l.h}
	for i, v := range l.pix {
		s := int(v) + (int(v)-int(blur.pix[i]))*amount/4
		out.pix[i] = clamp8(s)
	}
	return out
}

// boxBlur3 is a 3×3 mean filter; it removes sensor noise and screen pixel
// grids (moiré) that break finder-pattern run lengths.
func (l lumaPlane) boxBlur3() lumaPlane {
	w, h := l.w, l.h
	tmp := make([]uint16, w*h)
	for y := 0; y < h; y++ {
		row := l.pix[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			a, c := x-1, x+1
			if a < 0 {
				a = 0
			}
			if c >= w {
				c = w - 1
			}
			tmp[y*w+x] = uint16(row[a]) + uint16(row[x]) + uint16(row[c])
		}
	}
	out := lumaPlane{pix: make([]byte, w*h), w: w, h: h}
	for y := 0; y < h; y++ {
		a, c := y-1, y+1
		if a < 0 {
			a = 0
		}
		if c >= h {
			c = h - 1
		}
		for x := 0; x < w; x++ {
			out.pix[y*w+x] = uint8((int(tmp[a*w+x]) + int(tmp[y*w+x]) + int(tmp[c*w+x]) + 4) / 9)
		}
	}
	return out
}

// stretched maps the 1st..99th percentile range to 0..255 (contrast
// stretch), helping dark and washed-out frames.
func (l lumaPlane) stretched() lumaPlane {
	var hist [256]int
	for _, v := range l.pix {
		hist[v]++
	}
	lo, hi := percentile(&hist, len(l.pix), 0.01), percentile(&hist, len(l.pix), 0.99)
	if hi-lo < 8 {
		return l
	}
	var lut [256]byte
	for i := range lut {
		lut[i] = clamp8((i - lo) * 255 / (hi - lo))
	}
	out := lumaPlane{pix: make([]byte, len(l.pix)), w: l.w, h: l.h}
	for i, v := range l.pix {
		out.pix[i] = lut[v]
	}
	return out
}

func percentile(hist *[256]int, total int, q float64) int {
	target := int(float64(total) * q)
	acc := 0
	for i, n := range hist {
		acc += n
		if acc > target {
			return i
		}
	}
	return 255
}

func clamp8(v int) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

func (l lumaPlane) clone() lumaPlane {
	return lumaPlane{pix: append([]byte(nil), l.pix...), w: l.w, h: l.h}
}

// fillQuad paints the quadrilateral q, enlarged by factor about its
// centre, with value v (used to hide codes already read).
func (l lumaPlane) fillQuad(q Quad, factor float64, v byte) {
	poly := expandPolygon(q[:], factor)
	minX, minY, maxX, maxY := poly[0].X, poly[0].Y, poly[0].X, poly[0].Y
	for _, p := range poly[1:] {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	x0, y0 := max(int(minX), 0), max(int(minY), 0)
	x1, y1 := min(int(maxX)+1, l.w-1), min(int(maxY)+1, l.h-1)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			if pointInPolygon(Point{float64(x) + 0.5, float64(y) + 0.5}, poly) {
				l.pix[y*l.w+x] = v
			}
		}
	}
}
