package scan

import (
	"image"
	"math"
	"sort"
	"time"
)

// Code is one QR code found in an image.
type Code struct {
	// Text is the payload (UTF-8).
	Text string `json:"text"`
	// Corners are the outer corners of the symbol in image pixels,
	// relative to the image's Bounds().Min.
	Corners Quad `json:"corners"`
	// Version is the QR version (1–40).
	Version int `json:"version"`
	// Strategy names the pre-processing that read it (diagnostics).
	Strategy string `json:"strategy"`
}

// DecoderOptions tune a Decoder. The zero value suits live camera frames.
type DecoderOptions struct {
	// Budget is the time allowed per frame. Strategies are tried in order of
	// measured usefulness until one finds a code or the budget is spent; a
	// strategy that has started is finished. Zero means 30 ms (a 30 fps
	// camera frame). Negative means no limit.
	Budget time.Duration
	// Thorough selects the photo ladder (slower strategies chosen on real
	// photos) and keeps trying after a code is found, to find every code.
	Thorough bool
	// MaxCodes stops the search once this many distinct codes are found
	// (0 = no limit).
	MaxCodes int
}

// Decoder reads QR codes from images. It is not safe for concurrent use
// (it keeps running cost estimates of its strategies); give each goroutine
// its own. Frame-to-frame memory lives in Tracker.
type Decoder struct {
	opts       DecoderOptions
	strategies []strategy
	// nsPerPixel is a running estimate of each strategy's cost, used to
	// skip a strategy that would overrun the budget.
	nsPerPixel []float64
}

// NewDecoder returns a decoder with the measured strategy ladder.
func NewDecoder(opts DecoderOptions) *Decoder {
	if opts.Budget == 0 {
		opts.Budget = 30 * time.Millisecond
	}
	s := cameraStrategies
	if opts.Thorough {
		s = photoStrategies
	}
	est := make([]float64, len(s))
	for i := range est {
		est[i] = 10 // ns per source pixel: a typical first guess, refined per frame
	}
	return &Decoder{opts: opts, strategies: s, nsPerPixel: est}
}

// Decode returns every code found in img (possibly none). It never panics
// on any input image.
func (d *Decoder) Decode(img image.Image) []Code {
	codes, _ := d.decode(toLuma(img), nil)
	return codes
}

// decodeReport tells the Tracker which strategies ran on a frame.
type decodeReport struct {
	// tried lists the indices of strategies run; failed those that ran and
	// found nothing new.
	tried, failed []int
}

// decode runs the strategy ladder on a luminance plane. skip marks
// strategies not to run (the Tracker uses it on near-identical frames).
func (d *Decoder) decode(src lumaPlane, skip map[int]bool) ([]Code, decodeReport) {
	var rep decodeReport
	if src.w < 21 || src.h < 21 {
		return nil, rep
	}
	start := time.Now()
	cache := planeCache{src: src, planes: map[planeKey]lumaPlane{}}
	var found []Code
	for i, s := range d.strategies {
		if skip[i] {
			continue
		}
		elapsed := time.Since(start)
		if d.opts.Budget > 0 && i > 0 {
			if elapsed > d.opts.Budget {
				break
			}
			if elapsed+time.Duration(d.nsPerPixel[i]*float64(len(src.pix))) > d.opts.Budget {
				continue // would overrun; a cheaper later strategy may still fit
			}
		}
		if s.minSide > 0 && max(src.w, src.h) < s.minSide {
			continue
		}
		rep.tried = append(rep.tried, i)
		newCodes := applyStrategy(&cache, s, &found)
		cost := float64(time.Since(start)-elapsed) / float64(len(src.pix))
		d.nsPerPixel[i] = 0.8*d.nsPerPixel[i] + 0.2*cost
		if newCodes == 0 {
			rep.failed = append(rep.failed, i)
		}
		if d.opts.MaxCodes > 0 && len(found) >= d.opts.MaxCodes {
			break
		}
		if newCodes > 0 && !d.opts.Thorough {
			break
		}
	}
	return found, rep
}

// applyStrategy runs one strategy (with its mask-and-retry passes) and
// appends the new codes to found, returning how many were added.
func applyStrategy(cache *planeCache, s strategy, found *[]Code) int {
	view := cache.get(s)
	plane := view.plane
	newCodes := 0
	for pass := 0; pass <= s.maskPasses; pass++ {
		added := 0
		for _, rc := range runStrategy(plane, s) {
			c := Code{Text: rc.text, Corners: view.quadToSrc(rc.corners), Version: rc.version, Strategy: s.name}
			if !plausibleCorners(c.Corners, cache.src.w, cache.src.h) {
				continue
			}
			if addCode(found, c) {
				added++
			}
		}
		newCodes += added
		if added == 0 || pass == s.maskPasses {
			break
		}
		// Hide what was found and look again: the multi finder ranks
		// finder patterns by size, so big codes crowd out small ones.
		plane = plane.clone()
		for _, c := range *found {
			plane.fillQuad(view.quadFromSrc(c.Corners), 1.15, 255)
		}
	}
	return newCodes
}

// addCode appends c unless the same text was already found at about the
// same place. Two different texts at the same place would mean a misread
// by one strategy; the first (most reliable strategy) wins.
func addCode(found *[]Code, c Code) bool {
	ctr := c.Corners.Center()
	r := c.Corners.SideLength() / 2
	for _, f := range *found {
		if dist(f.Corners.Center(), ctr) < math.Max(r, f.Corners.SideLength()/2) {
			return false
		}
	}
	*found = append(*found, c)
	return true
}

// plausibleCorners rejects geometry no real code has (a symptom of a
// detector lock on noise): corners far outside the image or a degenerate
// quadrilateral.
func plausibleCorners(q Quad, w, h int) bool {
	margin := 0.25 * float64(max(w, h))
	for _, p := range q {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || p.X < -margin || p.Y < -margin ||
			p.X > float64(w)+margin || p.Y > float64(h)+margin {
			return false
		}
	}
	side := q.SideLength()
	return side >= 10 && q.Area() > side*side*0.2
}

// SortCodes orders codes top-to-bottom then left-to-right (stable output).
func SortCodes(codes []Code) {
	sort.SliceStable(codes, func(i, j int) bool {
		a, b := codes[i].Corners.Center(), codes[j].Corners.Center()
		if math.Abs(a.Y-b.Y) > 20 {
			return a.Y < b.Y
		}
		return a.X < b.X
	})
}
