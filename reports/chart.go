package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Charts are drawn as PNG images in pure Go (image + x/image: the vector
// rasteriser for bars and lines, opentype for Vietnamese labels in Noto
// Sans), so the same image shows in the dashboard and embeds in a PDF.

// Series is one named row of values of a chart.
type Series struct {
	Name   string
	Values []float64
}

// Chart kinds.
const (
	ChartBars  = "bars"
	ChartLines = "lines"
)

// Chart is a bar or line chart over labelled categories (wards, days).
type Chart struct {
	Kind   string // ChartBars or ChartLines
	Title  string
	Labels []string
	Series []Series
	// Width and Height in pixels; 0 means 1200×560.
	Width, Height int
}

// chartColors are the series colours, distinguishable in grey print.
var chartColors = []color.RGBA{
	{0x1f, 0x4e, 0x99, 0xff}, {0xd9, 0x5f, 0x02, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0x8c, 0x2d, 0x04, 0xff}, {0x6a, 0x3d, 0x9a, 0xff},
}

var (
	faceOnce    sync.Once
	faceFont    *opentype.Font
	faceErr     error
	facesMu     sync.Mutex
	facesBySize = map[float64]font.Face{}
)

// chartFace returns Noto Sans at size px (cached).
func chartFace(size float64) (font.Face, error) {
	faceOnce.Do(func() { faceFont, faceErr = opentype.Parse(NotoSans().Regular) })
	if faceErr != nil {
		return nil, faceErr
	}
	facesMu.Lock()
	defer facesMu.Unlock()
	if f, ok := facesBySize[size]; ok {
		return f, nil
	}
	f, err := opentype.NewFace(faceFont, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	facesBySize[size] = f
	return f, nil
}

// niceMax rounds v up to 1, 2 or 5 × 10^n, so axis ticks are round.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// formatTick writes an axis value with thousands separated by dots, the
// Vietnamese way.
func formatTick(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// PNG renders the chart.
func (c Chart) PNG() ([]byte, error) {
	img, err := c.Image()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Image renders the chart into an RGBA image.
func (c Chart) Image() (*image.RGBA, error) {
	w, h := c.Width, c.Height
	if w <= 0 || h <= 0 {
		w, h = 1200, 560
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	title, err := chartFace(26)
	if err != nil {
		return nil, err
	}
	small, _ := chartFace(18)
	text := func(f font.Face, s string, x, y int, col color.Color, align int) int {
		d := &font.Drawer{Dst: img, Src: image.NewUniform(col), Face: f}
		wd := d.MeasureString(s).Round()
		switch align {
		case 1:
			x -= wd / 2
		case 2:
			x -= wd
		}
		d.Dot = fixed.P(x, y)
		d.DrawString(s)
		return wd
	}
	grey := color.RGBA{0x80, 0x80, 0x80, 0xff}
	light := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	text(title, c.Title, w/2, 34, color.Black, 1)
	// Legend under the title.
	lx := 80
	for i, s := range c.Series {
		col := chartColors[i%len(chartColors)]
		fill(img, image.Rect(lx, 52, lx+18, 70), col)
		lx += 26 + text(small, s.Name, lx+26, 68, color.Black, 0) + 24
	}
	left, right, top, bottom := 100, w-60, 90, h-70
	maxV := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			maxV = math.Max(maxV, v)
		}
	}
	maxV = niceMax(maxV)
	y := func(v float64) float64 { return float64(bottom) - v/maxV*float64(bottom-top) }
	for i := 0; i <= 5; i++ {
		v := maxV * float64(i) / 5
		yy := int(y(v))
		fill(img, image.Rect(left, yy, right, yy+1), light)
		text(small, formatTick(v), left-8, yy+6, grey, 2)
	}
	fill(img, image.Rect(left, top, left+2, bottom+1), color.Black)
	fill(img, image.Rect(left, bottom, right, bottom+2), color.Black)
	n := len(c.Labels)
	if n == 0 {
		return img, nil
	}
	slot := float64(right-left) / float64(n)
	// Labels: every k-th so they do not overlap.
	every := 1
	for every < n {
		widest := 0
		for i := 0; i < n; i += every {
			widest = max(widest, font.MeasureString(small, c.Labels[i]).Round())
		}
		if float64(widest)+8 <= slot*float64(every) {
			break
		}
		every++
	}
	for i := 0; i < n; i += every {
		text(small, c.Labels[i], left+int(slot*(float64(i)+0.5)), bottom+26, color.Black, 1)
	}
	switch c.Kind {
	case ChartLines:
		for si, s := range c.Series {
			col := chartColors[si%len(chartColors)]
			var r vector.Rasterizer
			r.Reset(w, h)
			for i := 1; i < len(s.Values) && i < n; i++ {
				x0, x1 := float64(left)+slot*(float64(i-1)+0.5), float64(left)+slot*(float64(i)+0.5)
				strokeSegment(&r, x0, y(s.Values[i-1]), x1, y(s.Values[i]), 3)
			}
			r.Draw(img, img.Bounds(), image.NewUniform(col), image.Point{})
			// Points in a pass of their own: overlapping the segments in one
			// path would cancel out under the non-zero rule.
			r.Reset(w, h)
			for i := 0; i < len(s.Values) && i < n; i++ {
				x := float64(left) + slot*(float64(i)+0.5)
				dot(&r, x, y(s.Values[i]), 5)
			}
			r.Draw(img, img.Bounds(), image.NewUniform(col), image.Point{})
		}
	default:
		k := max(1, len(c.Series))
		bw := slot * 0.8 / float64(k)
		for si, s := range c.Series {
			col := chartColors[si%len(chartColors)]
			for i := 0; i < len(s.Values) && i < n; i++ {
				x0 := float64(left) + slot*float64(i) + slot*0.1 + bw*float64(si)
				fill(img, image.Rect(int(x0), int(y(s.Values[i])), int(x0+bw)-1, bottom), col)
			}
		}
	}
	return img, nil
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// strokeSegment adds a line of the given width as a filled quadrilateral.
func strokeSegment(r *vector.Rasterizer, x0, y0, x1, y1, width float64) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	r.MoveTo(float32(x0+nx), float32(y0+ny))
	r.LineTo(float32(x1+nx), float32(y1+ny))
	r.LineTo(float32(x1-nx), float32(y1-ny))
	r.LineTo(float32(x0-nx), float32(y0-ny))
	r.ClosePath()
}

// dot adds a filled octagon.
func dot(r *vector.Rasterizer, x, y, rad float64) {
	for i := 0; i < 8; i++ {
		a := float64(i) * math.Pi / 4
		px, py := float32(x+rad*math.Cos(a)), float32(y+rad*math.Sin(a))
		if i == 0 {
			r.MoveTo(px, py)
		} else {
			r.LineTo(px, py)
		}
	}
	r.ClosePath()
}

var imageSeq struct {
	sync.Mutex
	n int
}

// Image places a PNG across widthMM (centred; 0 = the text width) at the
// current position, moving to a new page if it does not fit, with an
// optional italic caption below.
func (d *Document) Image(pngData []byte, widthMM float64, caption string) {
	cfg, err := png.DecodeConfig(bytes.NewReader(pngData))
	if err != nil {
		d.pdf.SetError(fmt.Errorf("image: %w", err))
		return
	}
	if widthMM <= 0 || widthMM > d.textW {
		widthMM = d.textW
	}
	h := widthMM * float64(cfg.Height) / float64(cfg.Width)
	capH := 0.0
	if caption != "" {
		capH = lineHeight(12) + 2
	}
	d.ensure(h + capH)
	imageSeq.Lock()
	imageSeq.n++
	name := "chart" + strconv.Itoa(imageSeq.n)
	imageSeq.Unlock()
	d.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(pngData))
	x := d.m.Left + (d.textW-widthMM)/2
	d.pdf.ImageOptions(name, x, d.y, widthMM, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	d.y += h + 1
	if caption != "" {
		d.Para(ParaStyle{Align: AlignCenter, NoIndent: true, Size: 12, SpaceAfter: 4}, I(caption))
	}
}
