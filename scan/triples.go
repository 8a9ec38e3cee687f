package scan

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// gozxing's multi-code finder only pairs finder patterns whose estimated
// module sizes differ by less than 5 %, so a code seen at an angle (its
// near finder patterns look bigger than its far one) is often never tried,
// or its patterns are paired with another code's. The triple search below
// takes every finder-pattern candidate the finder saw, forms the triples
// that could be one code under perspective (module sizes within a factor,
// a roughly right-angled corner, sides of compatible length), and hands the
// most plausible ones to the detector. Reed-Solomon and the format checks
// still decide what is accepted, so a bad triple costs time, not accuracy.

// maxTripleCandidates caps the patterns considered (by confirmation count):
// the search is cubic in it.
const maxTripleCandidates = 24

type tripleCandidate struct {
	info  *detector.FinderPatternInfo
	score float64 // lower is more plausible
}

// plausibleTriples returns candidate triples from centers, best first,
// excluding patterns inside codes already decoded (in matrix coordinates).
func plausibleTriples(centers []*detector.FinderPattern, decoded []rawCode, limit int) []*detector.FinderPatternInfo {
	var cs []*detector.FinderPattern
	for _, c := range centers {
		p := Point{c.GetX(), c.GetY()}
		inside := false
		for _, d := range decoded {
			if pointInPolygon(p, expandPolygon(d.corners[:], 1.1)) {
				inside = true
				break
			}
		}
		if !inside {
			cs = append(cs, c)
		}
	}
	if len(cs) < 3 {
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].GetCount() > cs[j].GetCount() })
	if len(cs) > maxTripleCandidates {
		cs = cs[:maxTripleCandidates]
	}
	var out []tripleCandidate
	for i := 0; i < len(cs); i++ {
		for j := i + 1; j < len(cs); j++ {
			for k := j + 1; k < len(cs); k++ {
				if t, ok := scoreTriple(cs[i], cs[j], cs[k]); ok && !enclosesOther(t.info, cs) {
					out = append(out, t)
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].score < out[b].score })
	if len(out) > limit {
		out = out[:limit]
	}
	infos := make([]*detector.FinderPatternInfo, len(out))
	for i, t := range out {
		infos[i] = t.info
	}
	return infos
}

func scoreTriple(a, b, c *detector.FinderPattern) (tripleCandidate, bool) {
	ma, mb, mc := a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize()
	mMin, mMax := math.Min(ma, math.Min(mb, mc)), math.Max(ma, math.Max(mb, mc))
	if mMin <= 0 || mMax/mMin > 1.6 {
		return tripleCandidate{}, false
	}
	p0, p1, p2 := gozxing.ResultPoint_OrderBestPatterns(a, b, c) // bottom-left, top-left, top-right
	bl, tl, tr := p0.(*detector.FinderPattern), p1.(*detector.FinderPattern), p2.(*detector.FinderPattern)
	d1 := gozxing.ResultPoint_Distance(tl, tr)
	d2 := gozxing.ResultPoint_Distance(tl, bl)
	hyp := gozxing.ResultPoint_Distance(tr, bl)
	short, long := math.Min(d1, d2), math.Max(d1, d2)
	if short <= 0 || long/short > 1.8 {
		return tripleCandidate{}, false
	}
	// angle at the top-left corner: 90° for a flat code, wider or narrower
	// under perspective
	cos := (d1*d1 + d2*d2 - hyp*hyp) / (2 * d1 * d2)
	if math.Abs(cos) > 0.45 { // about 63°–117°
		return tripleCandidate{}, false
	}
	module := (ma + mb + mc) / 3
	dim := (d1+d2)/2/module + 7
	if dim < 19 || dim > 181 {
		return tripleCandidate{}, false
	}
	score := math.Abs(cos) + (long/short - 1) + (mMax/mMin - 1)
	// prefer confirmed patterns
	score -= 0.02 * float64(min(a.GetCount(), 5)+min(b.GetCount(), 5)+min(c.GetCount(), 5))
	return tripleCandidate{info: detector.NewFinderPatternInfo(bl, tl, tr), score: score}, true
}

// enclosesOther reports whether another candidate pattern lies inside the
// code the triple would span: then the triple joins patterns of different
// codes (sheets of many codes), and sampling it would waste time.
func enclosesOther(info *detector.FinderPatternInfo, cs []*detector.FinderPattern) bool {
	bl, tl, tr := info.GetBottomLeft(), info.GetTopLeft(), info.GetTopRight()
	br := Point{tr.GetX() + bl.GetX() - tl.GetX(), tr.GetY() + bl.GetY() - tl.GetY()}
	poly := []Point{{tl.GetX(), tl.GetY()}, {tr.GetX(), tr.GetY()}, br, {bl.GetX(), bl.GetY()}}
	// shrink slightly so the triple's own patterns (at the corners) and
	// near-duplicates of them do not count
	inner := expandPolygon(poly, 0.8)
	for _, c := range cs {
		if c == bl || c == tl || c == tr {
			continue
		}
		if pointInPolygon(Point{c.GetX(), c.GetY()}, inner) {
			return true
		}
	}
	return false
}
