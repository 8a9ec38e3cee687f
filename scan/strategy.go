package scan

import "math"

// prep is a pre-processing step applied before binarisation.
type prep int

const (
	prepNone prep = iota
	prepStretch
	prepSharpen
	prepBlur
)

func (p prep) String() string {
	return [...]string{"none", "stretch", "sharpen", "blur"}[p]
}

// strategy is one attempt at reading an image: a scale, a pre-processing
// step, a binariser and detector options.
type strategy struct {
	name string
	// side is the longer image side to work at, in pixels: the image is
	// shrunk (area average) or enlarged (bilinear) to it; 0 = as is.
	side int
	// maxScale caps enlargement (side on a small image); 0 = no enlarging.
	maxScale float64
	// minSide skips the strategy on images smaller than this.
	minSide int
	prep    prep
	bin     binarizer
	// window is the local-mean radius as a divisor of the smaller side.
	window int
	invert bool
	// rotate turns the image by this many degrees before detection: the
	// gozxing finder-pattern scan is row-wise, and codes near 45° give it
	// the least clean runs.
	rotate     float64
	multi      bool
	tryHarder  bool
	maskPasses int
	// triples is the number of extra finder-pattern triples tried (see
	// triples.go); 0 disables the search.
	triples int
}

// runStrategy binarises and decodes; a panic anywhere in gozxing (the
// binarisers included) means "nothing found" for this strategy.
func runStrategy(l lumaPlane, s strategy) (codes []rawCode) {
	defer func() {
		if r := recover(); r != nil {
			codes = nil
		}
	}()
	bm, err := l.binarize(s.bin, s.window)
	if err != nil {
		return nil
	}
	return decodeMatrix(bm, s.multi, s.tryHarder, s.triples)
}

type planeKey struct {
	w, h   int
	prep   prep
	invert bool
	rotate float64
}

// planeView is a working plane and the mapping between its pixel
// coordinates and the source image's.
type planeView struct {
	plane   lumaPlane
	toSrc   func(Point) Point
	fromSrc func(Point) Point
}

func (v planeView) quadToSrc(q Quad) Quad {
	for i := range q {
		q[i] = v.toSrc(q[i])
	}
	return q
}

func (v planeView) quadFromSrc(q Quad) Quad {
	for i := range q {
		q[i] = v.fromSrc(q[i])
	}
	return q
}

// planeCache shares resized and pre-processed planes between strategies of
// one frame.
type planeCache struct {
	src    lumaPlane
	planes map[planeKey]lumaPlane
}

// get returns the working plane for s.
func (c *planeCache) get(s strategy) planeView {
	w, h := c.src.w, c.src.h
	scale := 1.0
	if s.side > 0 {
		long := max(w, h)
		scale = float64(s.side) / float64(long)
		if scale > 1 {
			if s.maxScale <= 1 {
				scale = 1
			} else if scale > s.maxScale {
				scale = s.maxScale
			}
		}
		w = int(float64(w)*scale + 0.5)
		h = int(float64(h)*scale + 0.5)
		if w == c.src.w {
			scale = 1
		}
	}
	sx, sy := float64(w)/float64(c.src.w), float64(h)/float64(c.src.h)
	view := planeView{
		toSrc:   func(p Point) Point { return Point{p.X / sx, p.Y / sy} },
		fromSrc: func(p Point) Point { return Point{p.X * sx, p.Y * sy} },
	}
	key := planeKey{w: w, h: h, prep: s.prep, invert: s.invert, rotate: s.rotate}
	if s.rotate != 0 {
		rot := rotation(w, h, s.rotate)
		view.toSrc = func(p Point) Point { q := rot.toSrc(p); return Point{q.X / sx, q.Y / sy} }
		view.fromSrc = func(p Point) Point { return rot.fromSrc(Point{p.X * sx, p.Y * sy}) }
	}
	if p, ok := c.planes[key]; ok {
		view.plane = p
		return view
	}
	base, ok := c.planes[planeKey{w: w, h: h}]
	if !ok {
		base = c.src.resize(w, h)
		c.planes[planeKey{w: w, h: h}] = base
	}
	p := base
	switch s.prep {
	case prepStretch:
		p = p.stretched()
	case prepSharpen:
		p = p.sharpened(4)
	case prepBlur:
		p = p.boxBlur3()
	}
	if s.invert {
		p = p.inverted()
	}
	if s.rotate != 0 {
		p = p.rotated(rotation(w, h, s.rotate))
	}
	c.planes[key] = p
	view.plane = p
	return view
}

// rotationMap describes an in-plane rotation of a w×h plane about its
// centre onto a canvas large enough to hold all of it.
type rotationMap struct {
	w, h, nw, nh int
	sin, cos     float64
}

func rotation(w, h int, degrees float64) rotationMap {
	sin, cos := math.Sincos(degrees * math.Pi / 180)
	nw := int(math.Ceil(math.Abs(float64(w)*cos) + math.Abs(float64(h)*sin)))
	nh := int(math.Ceil(math.Abs(float64(w)*sin) + math.Abs(float64(h)*cos)))
	return rotationMap{w: w, h: h, nw: nw, nh: nh, sin: sin, cos: cos}
}

func (r rotationMap) fromSrc(p Point) Point {
	x, y := p.X-float64(r.w)/2, p.Y-float64(r.h)/2
	return Point{x*r.cos - y*r.sin + float64(r.nw)/2, x*r.sin + y*r.cos + float64(r.nh)/2}
}

func (r rotationMap) toSrc(p Point) Point {
	x, y := p.X-float64(r.nw)/2, p.Y-float64(r.nh)/2
	return Point{x*r.cos + y*r.sin + float64(r.w)/2, -x*r.sin + y*r.cos + float64(r.h)/2}
}

// rotated resamples the plane (bilinear) onto the rotated canvas; areas
// outside the source are mid grey so they make no edges.
func (l lumaPlane) rotated(r rotationMap) lumaPlane {
	out := lumaPlane{pix: make([]byte, r.nw*r.nh), w: r.nw, h: r.nh}
	for y := 0; y < r.nh; y++ {
		for x := 0; x < r.nw; x++ {
			p := r.toSrc(Point{float64(x) + 0.5, float64(y) + 0.5})
			fx, fy := p.X-0.5, p.Y-0.5
			x0, y0 := int(math.Floor(fx)), int(math.Floor(fy))
			if x0 < 0 || y0 < 0 || x0+1 >= l.w || y0+1 >= l.h {
				out.pix[y*r.nw+x] = 128
				continue
			}
			ax, ay := fx-float64(x0), fy-float64(y0)
			i := y0*l.w + x0
			top := float64(l.pix[i])*(1-ax) + float64(l.pix[i+1])*ax
			bot := float64(l.pix[i+l.w])*(1-ax) + float64(l.pix[i+l.w+1])*ax
			out.pix[y*r.nw+x] = uint8(top*(1-ay) + bot*ay + 0.5)
		}
	}
	return out
}

// The strategy ladders. Their order and content come from the measurements
// in docs/perf/scan.md: greedy selection by codes gained per millisecond,
// on the generated frame set for the camera ladder and on the qr-dev photos
// for the photo ladder (strategy_eval_test.go, QRWARD_EVAL=1).
var cameraStrategies = []strategy{
	{name: "native/global+stretch", prep: prepStretch, bin: binGlobal, multi: true},
	{name: "native/localmean", bin: binLocalMean, multi: true},
	{name: "native/hybrid+invert", bin: binHybrid, invert: true, multi: true},
	{name: "native/hybrid", bin: binHybrid, multi: true},
	{name: "native/localmean+w8+tryharder", bin: binLocalMean, window: 8, tryHarder: true, multi: true},
	{name: "native/localmean+sharpen", prep: prepSharpen, bin: binLocalMean, multi: true},
	{name: "320/localmean+sharpen", side: 320, prep: prepSharpen, bin: binLocalMean, multi: true},
	{name: "1280/localmean", side: 1280, maxScale: 2, bin: binLocalMean, multi: true},
	{name: "1280/hybrid+sharpen", side: 1280, maxScale: 2, prep: prepSharpen, bin: binHybrid, multi: true},
}

var photoStrategies = []strategy{
	{name: "2400/localmean+w8+tryharder+t16", side: 2400, bin: binLocalMean, window: 8, tryHarder: true, triples: 16, multi: true},
	{name: "1024/localmean+mask+tryharder+t16", side: 1024, bin: binLocalMean, maskPasses: 3, tryHarder: true, triples: 16, multi: true},
	{name: "720/localmean+rot45+t16", side: 720, bin: binLocalMean, rotate: 45, triples: 16, multi: true},
	{name: "720/localmean+rot-22.5+w8+t16", side: 720, bin: binLocalMean, window: 8, rotate: -22.5, triples: 16, multi: true},
	{name: "2400/hybrid+sharpen+tryharder+t16", side: 2400, prep: prepSharpen, bin: binHybrid, tryHarder: true, triples: 16, multi: true},
	{name: "720/localmean+sharpen+rot22.5+tryharder+t16", side: 720, prep: prepSharpen, bin: binLocalMean, rotate: 22.5, tryHarder: true, triples: 16, multi: true},
	{name: "720/global+t16", side: 720, bin: binGlobal, triples: 16, multi: true},
	{name: "720/global+blur+t16", side: 720, prep: prepBlur, bin: binGlobal, triples: 16, multi: true},
	{name: "480/hybrid+t16", side: 480, bin: binHybrid, triples: 16, multi: true},
	{name: "1600/hybrid+mask+t16", side: 1600, bin: binHybrid, maskPasses: 3, triples: 16, multi: true},
	{name: "1024/global+stretch+t16", side: 1024, prep: prepStretch, bin: binGlobal, triples: 16, multi: true},
	{name: "1024/localmean+w8+t16", side: 1024, bin: binLocalMean, window: 8, triples: 16, multi: true},
	{name: "1024/global+rot45+t16", side: 1024, bin: binGlobal, rotate: 45, triples: 16, multi: true},
	{name: "720/hybrid+rot-22.5+t16", side: 720, bin: binHybrid, rotate: -22.5, triples: 16, multi: true},
	{name: "1024/hybrid+sharpen+tryharder+t16", side: 1024, prep: prepSharpen, bin: binHybrid, tryHarder: true, triples: 16, multi: true},
	{name: "1600/hybrid+t16", side: 1600, bin: binHybrid, triples: 16, multi: true},
	// Not selected by qr-dev (it has no light-on-dark codes) but needed for
	// phones in dark mode; see the dark_mode condition of the generated set.
	{name: "720/hybrid+invert", side: 720, bin: binHybrid, invert: true, multi: true},
}
