package scan

import (
	"fmt"

	"github.com/makiuchi-d/gozxing"
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
// multi it uses gozxing's multi-code finder, then the single-code finder
// (which ranks finder patterns differently and rescues some single codes).
// gozxing panics on some degenerate inputs; a panic is treated as "nothing
// found", never propagated.
func decodeMatrix(bm *gozxing.BitMatrix, multi, tryHarder bool) (codes []rawCode) {
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
	var infos []*detector.FinderPatternInfo
	if multi {
		infos, _ = multidetector.NewMultiFinderPatternFinder(bm, nil).FindMulti(hints)
	}
	if single, err := detector.NewFinderPatternFinder(bm, nil).Find(hints); err == nil {
		infos = append(infos, single)
	}
	seen := map[string]bool{}
	for _, info := range infos {
		c, ok := decodeFinderInfo(det, dec, info, hints)
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
	return codes
}

func decodeFinderInfo(det *detector.Detector, dec *decoder.Decoder, info *detector.FinderPatternInfo,
	hints map[gozxing.DecodeHintType]interface{}) (rawCode, bool) {
	dr, err := det.ProcessFinderPatternInfo(info)
	if err != nil {
		return rawCode{}, false
	}
	res, err := dec.Decode(dr.GetBits(), hints)
	if err != nil {
		return rawCode{}, false
	}
	dim := dr.GetBits().GetWidth()
	pts := dr.GetPoints()
	if len(pts) < 3 {
		return rawCode{}, false
	}
	var align *detector.AlignmentPattern
	if len(pts) > 3 {
		align, _ = pts[3].(*detector.AlignmentPattern)
	}
	corners := symbolCorners(info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft(), align, dim)
	return rawCode{
		text:            res.GetText(),
		corners:         corners,
		version:         (dim - 17) / 4,
		errorsCorrected: res.GetErrorsCorrected(),
	}, true
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
