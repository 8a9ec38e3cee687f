package scan

import (
	"fmt"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// rawCode is one decoded symbol in the coordinates of the matrix it was
// found in.
type rawCode struct {
	text    string
	corners Quad
	version int
	// errorsCorrected is the number of codewords Reed-Solomon repaired.
	errorsCorrected int
}

var qrHints = map[gozxing.DecodeHintType]interface{}{
	gozxing.DecodeHintType_CHARACTER_SET: "UTF-8",
}

var qrHintsTryHarder = map[gozxing.DecodeHintType]interface{}{
	gozxing.DecodeHintType_CHARACTER_SET: "UTF-8",
	gozxing.DecodeHintType_TRY_HARDER:    true,
}

// decodeMatrix finds and decodes the QR codes in a binarised image. With
// multi it uses gozxing's multi-code finder first, then up to triples
// attempts of the triple search (triples.go), then (if all that read
// nothing) the single-code finder.
// gozxing panics on some degenerate inputs; a panic is treated as "nothing
// found", never propagated.
func decodeMatrix(bm *gozxing.BitMatrix, multi, tryHarder bool, triples int) (codes []rawCode) {
	defer func() {
		if r := recover(); r != nil {
			codes = nil
		}
	}()
	hints := qrHints
	if tryHarder {
		hints = qrHintsTryHarder
	}
	dec := decoder.NewDecoder()
	det := detector.NewDetector(bm)
	seen := map[string]bool{}
	try := func(infos []*detector.FinderPatternInfo, speculative bool) {
		for _, info := range infos {
			c, ok := decodeFinderInfo(det, dec, info, hints, !speculative)
			if !ok {
				continue
			}
			key := fmt.Sprintf("%s@%.0f,%.0f", c.text, c.corners.Center().X/8, c.corners.Center().Y/8)
			if seen[key] {
				continue
			}
			seen[key] = true
			codes = append(codes, c)
		}
	}
	var centers []*detector.FinderPattern
	if multi {
		mf := multidetector.NewMultiFinderPatternFinder(bm, nil)
		infos, _ := mf.FindMulti(hints)
		try(infos, len(infos) > 3)
		centers = mf.GetPossibleCenters()
	}
	if triples > 0 && len(centers) >= 3 {
		try(plausibleTriples(centers, codes, triples), true)
	}
	// The single-code finder ranks finder patterns differently and rescues
	// some codes the multi finder pairs wrongly; it is only worth its cost
	// when the multi finder found nothing.
	if len(codes) == 0 {
		if single, err := detector.NewFinderPatternFinder(bm, nil).Find(hints); err == nil {
			try([]*detector.FinderPatternInfo{single}, false)
		}
	}
	return codes
}

// decodeFinderInfo decodes the code a finder-pattern triple points at;
// with retry it also tries neighbouring symbol sizes (retryDimensions).
func decodeFinderInfo(det *detector.Detector, dec *decoder.Decoder, info *detector.FinderPatternInfo,
	hints map[gozxing.DecodeHintType]interface{}, retry bool) (rawCode, bool) {
	dr, err := det.ProcessFinderPatternInfo(info)
	if err == nil {
		if res, err := dec.Decode(dr.GetBits(), hints); err == nil &&
			trustworthy(res, dr.GetBits().GetWidth(), !retry) {
			dim := dr.GetBits().GetWidth()
			pts := dr.GetPoints()
			var align *detector.AlignmentPattern
			if len(pts) > 3 {
				align, _ = pts[3].(*detector.AlignmentPattern)
			}
			return newRawCode(res, info, align, dim), true
		}
	}
	if !retry {
		return rawCode{}, false
	}
	return retryDimensions(det.GetImage(), dec, info, hints)
}

func newRawCode(res *common.DecoderResult, info *detector.FinderPatternInfo, align *detector.AlignmentPattern, dim int) rawCode {
	return rawCode{
		text:            res.GetText(),
		corners:         symbolCorners(info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft(), align, dim),
		version:         (dim - 17) / 4,
		errorsCorrected: res.GetErrorsCorrected(),
	}
}

// retryDimensions handles the commonest detector failure on tilted codes:
// the symbol size estimated from finder-pattern distances is off by one
// version under perspective. It samples the grid at the neighbouring sizes
// (without an alignment pattern) and lets Reed-Solomon and the format and
// version checks decide; nothing is accepted without them.
func retryDimensions(img *gozxing.BitMatrix, dec *decoder.Decoder, info *detector.FinderPatternInfo,
	hints map[gozxing.DecodeHintType]interface{}) (rawCode, bool) {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	module := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	if module < 1 {
		return rawCode{}, false
	}
	span := (gozxing.ResultPoint_Distance(tl, tr) + gozxing.ResultPoint_Distance(tl, bl)) / 2
	estimate := int(span/module+0.5) + 7
	// snap to the nearest valid size 4k+1
	base := ((estimate-17+2)/4)*4 + 17
	for _, dim := range []int{base, base - 4, base + 4, base - 8, base + 8} {
		if dim < 21 || dim > 177 {
			continue
		}
		t := detector.Detector_createTransform(tl, tr, bl, nil, dim)
		bits, err := detector.Detector_sampleGrid(img, t, dim)
		if err != nil {
			continue
		}
		res, err := dec.Decode(bits, hints)
		if err != nil || !trustworthy(res, dim, true) {
			continue
		}
		return newRawCode(res, info, nil, dim), true
	}
	return rawCode{}, false
}

// symbolCorners maps the module-grid corners (0,0)…(dim,dim) into the image
// with the same perspective transform the detector sampled with, giving the
// code's outer corners (gozxing itself reports only finder-pattern centres).
func symbolCorners(tl, tr, bl gozxing.ResultPoint, align *detector.AlignmentPattern, dim int) Quad {
	t := detector.Detector_createTransform(tl, tr, bl, align, dim)
	d := float64(dim)
	pts := []float64{0, 0, d, 0, d, d, 0, d}
	t.TransformPoints(pts)
	return Quad{{pts[0], pts[1]}, {pts[2], pts[3]}, {pts[4], pts[5]}, {pts[6], pts[7]}}
}

// trustworthy guards against misreads. An empty payload is never accepted.
// A decode from speculative geometry (a guessed finder-pattern triple or a
// guessed symbol size) is tried many times per image, so Reed-Solomon's
// small chance of "correcting" noise into a valid codeword adds up: the
// stress test found a version-1 code read from the data area of a damaged
// larger code. Such decodes must have used at most half of the correction
// capacity (errors ≤ EC codewords / 4).
func trustworthy(res *common.DecoderResult, dim int, speculative bool) bool {
	if res.GetText() == "" {
		return false
	}
	if !speculative {
		return true
	}
	v, err := decoder.Version_GetVersionForNumber((dim - 17) / 4)
	if err != nil {
		return false
	}
	for _, level := range []decoder.ErrorCorrectionLevel{decoder.ErrorCorrectionLevel_L,
		decoder.ErrorCorrectionLevel_M, decoder.ErrorCorrectionLevel_Q, decoder.ErrorCorrectionLevel_H} {
		if level.String() == res.GetECLevel() {
			total := v.GetECBlocksForLevel(level).GetTotalECCodewords()
			return res.GetErrorsCorrected()*4 <= total
		}
	}
	return false
}
