package reports

import (
	"errors"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// ECLevel is the QR error-correction level used for printed codes.
type ECLevel int

// Error-correction levels. M suits clean indoor posters; Q survives more
// dirt and creases at the cost of smaller modules.
const (
	ECMedium   ECLevel = iota // level M, ~15 % recovery
	ECQuartile                // level Q, ~25 % recovery
)

func (l ECLevel) recovery() qrcode.RecoveryLevel {
	if l == ECQuartile {
		return qrcode.High // go-qrcode's "High" is level Q
	}
	return qrcode.Medium
}

// ErrEmptyPayload is returned when a QR payload is empty.
var ErrEmptyPayload = errors.New("reports: empty QR payload")

// qrMatrix encodes payload and returns the module matrix without quiet zone
// (matrix[y][x], true = dark).
func qrMatrix(payload string, level ECLevel) ([][]bool, error) {
	if strings.TrimSpace(payload) == "" {
		return nil, ErrEmptyPayload
	}
	q, err := qrcode.New(payload, level.recovery())
	if err != nil {
		return nil, fmt.Errorf("reports: encode QR: %w", err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// drawQR paints the matrix as vector rectangles (one filled path, so no
// hairline seams between modules) with its top-left corner at (x, y) and a
// side of size mm. The quiet zone is the caller's job: keep it white.
func drawQR(p *fpdf.Fpdf, m [][]bool, x, y, size float64) {
	n := len(m)
	if n == 0 {
		return
	}
	k := p.GetConversionRatio()
	_, pageH := p.GetPageSize()
	mod := size / float64(n)
	var b strings.Builder
	b.WriteString("q 0 g\n")
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if !m[row][col] {
				col++
				continue
			}
			start := col
			for col < n && m[row][col] {
				col++
			}
			rx := (x + float64(start)*mod) * k
			ry := (pageH - (y + float64(row+1)*mod)) * k
			fmt.Fprintf(&b, "%.3f %.3f %.3f %.3f re\n", rx, ry, float64(col-start)*mod*k, mod*k)
		}
	}
	b.WriteString("f Q")
	p.RawWriteStr(b.String())
}
