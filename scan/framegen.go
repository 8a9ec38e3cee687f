package scan

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/makiuchi-d/gozxing/common"
	qrcode "github.com/skip2/go-qrcode"
)

// FrameCondition names the difficulty a generated frame simulates.
type FrameCondition string

const (
	CondClean       FrameCondition = "clean"
	CondPerspective FrameCondition = "perspective"
	CondBlur        FrameCondition = "blur"
	CondNoise       FrameCondition = "noise"
	CondLowContrast FrameCondition = "low_contrast"
	CondRotation    FrameCondition = "rotation"
	CondGlare       FrameCondition = "glare"
	CondSmall       FrameCondition = "small"
	CondScreen      FrameCondition = "phone_screen"
	CondMulti       FrameCondition = "multi"
	CondDarkMode    FrameCondition = "dark_mode"
	CondEmpty       FrameCondition = "empty"
	// CondDamaged scribbles and blots over the code, pushing Reed-Solomon
	// to its limit: the condition under which misreads would appear. Not in
	// AllConditions (a person often cannot read these either); used by the
	// misread stress test.
	CondDamaged FrameCondition = "damaged"
)

// AllConditions lists every condition GenerateFrames produces, in order.
var AllConditions = []FrameCondition{CondClean, CondPerspective, CondBlur, CondNoise, CondLowContrast,
	CondRotation, CondGlare, CondSmall, CondScreen, CondMulti, CondDarkMode, CondEmpty}

// TruthCode is a code placed in a generated frame.
type TruthCode struct {
	Text    string
	Corners Quad
}

// GeneratedFrame is a synthetic camera frame with known content.
type GeneratedFrame struct {
	Name      string
	Condition FrameCondition
	// Image is *image.Gray or *image.YCbCr (alternating), like camera output.
	Image image.Image
	Truth []TruthCode
}

// FrameSetOptions configures GenerateFrames.
type FrameSetOptions struct {
	Seed uint64
	// PerCondition frames for each condition (default 10).
	PerCondition int
	// Sizes to cycle through (default 640×480, 640×480, 1280×720).
	Sizes []image.Point
	// Conditions to generate (default AllConditions).
	Conditions []FrameCondition
}

// GenerateFrames builds a deterministic synthetic frame set: go-qrcode
// symbols of realistic payloads (national personal QR, CCCD, signed venue
// codes) warped into textured camera-like frames under each condition.
func GenerateFrames(opts FrameSetOptions) []GeneratedFrame {
	if opts.PerCondition == 0 {
		opts.PerCondition = 10
	}
	if len(opts.Sizes) == 0 {
		opts.Sizes = []image.Point{{640, 480}, {640, 480}, {1280, 720}}
	}
	if len(opts.Conditions) == 0 {
		opts.Conditions = AllConditions
	}
	var out []GeneratedFrame
	n := 0
	for ci, cond := range opts.Conditions {
		for i := 0; i < opts.PerCondition; i++ {
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(ci)<<32|uint64(i)))
			size := opts.Sizes[n%len(opts.Sizes)]
			f := generateFrame(rng, cond, size.X, size.Y)
			f.Name = fmt.Sprintf("%s_%03d_%dx%d", cond, i, size.X, size.Y)
			if n%2 == 1 {
				f.Image = grayToYCbCr(f.Image.(*image.Gray))
			}
			out = append(out, f)
			n++
		}
	}
	return out
}

// canvas is a float luminance image used while composing a frame.
type canvas struct {
	w, h int
	v    []float64
}

func newCanvas(w, h int) *canvas { return &canvas{w: w, h: h, v: make([]float64, w*h)} }

func generateFrame(rng *rand.Rand, cond FrameCondition, w, h int) GeneratedFrame {
	c := newCanvas(w, h)
	c.background(rng)
	f := GeneratedFrame{Condition: cond}
	place := func(p placement) {
		text := randomPayload(rng)
		q, err := qrcode.New(text, qrcode.Medium)
		if err != nil {
			return
		}
		f.Truth = append(f.Truth, TruthCode{Text: text, Corners: c.drawCode(rng, q, p)})
	}
	module := func(lo, hi float64) float64 { return lo + rng.Float64()*(hi-lo) }
	base := placement{cx: float64(w) * (0.35 + 0.3*rng.Float64()), cy: float64(h) * (0.35 + 0.3*rng.Float64()),
		modulePx: module(3.5, 7), angle: (rng.Float64() - 0.5) * 0.3, tilt: 0.15 * rng.Float64(),
		ink: 15 + 30*rng.Float64(), paper: 215 + 35*rng.Float64()}
	if w > 1000 {
		base.modulePx *= 1.6
	}
	switch cond {
	case CondClean, CondEmpty:
		if cond == CondClean {
			place(base)
		}
	case CondPerspective:
		base.tilt = (25 + 30*rng.Float64()) * math.Pi / 180 // 25–55° off axis
		base.angle = (rng.Float64() - 0.5) * 0.8
		base.modulePx *= 1.2
		place(base)
	case CondBlur:
		base.modulePx = module(4.5, 8)
		place(base)
		c.blur(2 + rng.IntN(2))
	case CondNoise:
		place(base)
		c.noise(rng, 14+10*rng.Float64())
	case CondLowContrast:
		place(base)
	case CondRotation:
		base.angle = rng.Float64() * 2 * math.Pi
		place(base)
	case CondGlare:
		place(base)
		t := f.Truth[0].Corners
		side := t.SideLength()
		ctr := t.Center()
		// A specular spot off the centre, as from a ceiling lamp.
		c.glare(ctr.X+(rng.Float64()-0.5)*side*0.6, ctr.Y+(rng.Float64()-0.5)*side*0.6,
			side*(0.12+0.08*rng.Float64()), 170+60*rng.Float64())
	case CondSmall:
		base.modulePx = module(2.2, 2.8)
		if w > 1000 {
			base.modulePx = module(2.4, 3.2)
		}
		place(base)
	case CondScreen:
		base.modulePx = module(3.5, 6)
		base.ink, base.paper = 20+15*rng.Float64(), 225+25*rng.Float64()
		base.screen = true
		place(base)
		c.noise(rng, 4)
	case CondMulti:
		base.modulePx = module(3, 4.5)
		base.cx, base.cy = float64(w)*0.27, float64(h)*0.5
		place(base)
		second := base
		second.cx, second.angle = float64(w)*0.73, (rng.Float64()-0.5)*0.6
		place(second)
	case CondDamaged:
		place(base)
		t := f.Truth[0].Corners
		side := t.SideLength()
		for k := 0; k < 3+rng.IntN(6); k++ {
			p := t.Center()
			x := p.X + (rng.Float64()-0.5)*side
			y := p.Y + (rng.Float64()-0.5)*side
			v := 20.0
			if rng.IntN(2) == 0 {
				v = 240
			}
			c.blot(x, y, side*(0.03+0.08*rng.Float64()), v)
		}
	case CondDarkMode:
		base.ink, base.paper = 235, 25+20*rng.Float64()
		base.screen = true
		place(base)
	}
	if cond == CondLowContrast {
		// Under- or over-exposed frame: the whole scene squeezed into a
		// narrow grey range (30–55 levels between ink and paper).
		k := 0.15 + 0.1*rng.Float64()
		mid := 50 + 150*rng.Float64()
		for i, v := range c.v {
			c.v[i] = mid + (v-128)*k
		}
	}
	// Every camera adds a little optical blur and sensor noise.
	c.blur(1)
	c.noise(rng, 2.5)
	f.Image = c.gray()
	return f
}

type placement struct {
	cx, cy, modulePx, angle, tilt float64
	ink, paper                    float64
	screen                        bool
}

// drawCode renders q into the canvas and returns the symbol's outer corners
// (quiet zone excluded).
func (c *canvas) drawCode(rng *rand.Rand, q *qrcode.QRCode, p placement) Quad {
	bits := q.Bitmap() // includes a 4-module quiet zone
	n := len(bits)
	half := float64(n) * p.modulePx / 2
	// Tilt the code plane in 3-D about a random in-plane axis, project it
	// with a pinhole camera 3 code-sizes away, then rotate in the image.
	sq := [4]Point{{-half, -half}, {half, -half}, {half, half}, {-half, half}}
	axis := rng.Float64() * math.Pi
	sa, ca := math.Sincos(axis)
	st, ct := math.Sincos(p.tilt)
	focal := 6 * half
	var quad [4]Point
	for i, s := range sq {
		// coordinates along (u) and across (v) the tilt axis
		u, v := s.X*ca+s.Y*sa, -s.X*sa+s.Y*ca
		z := v * st
		v *= ct
		k := focal / (focal + z)
		x, y := (u*ca-v*sa)*k, (u*sa+v*ca)*k
		sin, cos := math.Sincos(p.angle)
		quad[i] = Point{p.cx + x*cos - y*sin, p.cy + x*sin + y*cos}
	}
	fn := float64(n)
	toModule := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		quad[0].X, quad[0].Y, quad[1].X, quad[1].Y, quad[2].X, quad[2].Y, quad[3].X, quad[3].Y,
		0, 0, fn, 0, fn, fn, 0, fn)
	toImage := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		0, 0, fn, 0, fn, fn, 0, fn,
		quad[0].X, quad[0].Y, quad[1].X, quad[1].Y, quad[2].X, quad[2].Y, quad[3].X, quad[3].Y)
	minX, minY, maxX, maxY := quad[0].X, quad[0].Y, quad[0].X, quad[0].Y
	for _, pt := range quad[1:] {
		minX, maxX = math.Min(minX, pt.X), math.Max(maxX, pt.X)
		minY, maxY = math.Min(minY, pt.Y), math.Max(maxY, pt.Y)
	}
	if p.screen {
		c.phone(minX, minY, maxX, maxY, p.paper)
	}
	const ss = 3 // supersampling per axis: anti-aliased module edges
	pts := make([]float64, 2*ss*ss)
	for y := max(int(minY), 0); y <= min(int(maxY)+1, c.h-1); y++ {
		for x := max(int(minX), 0); x <= min(int(maxX)+1, c.w-1); x++ {
			for j := 0; j < ss; j++ {
				for i := 0; i < ss; i++ {
					k := 2 * (j*ss + i)
					pts[k] = float64(x) + (float64(i)+0.5)/ss
					pts[k+1] = float64(y) + (float64(j)+0.5)/ss
				}
			}
			toModule.TransformPoints(pts)
			inside, dark := 0, 0
			for k := 0; k < len(pts); k += 2 {
				mx, my := int(math.Floor(pts[k])), int(math.Floor(pts[k+1]))
				if mx < 0 || my < 0 || mx >= n || my >= n {
					continue
				}
				inside++
				if bits[my][mx] {
					dark++
				}
			}
			if inside == 0 {
				continue
			}
			val := p.paper + (p.ink-p.paper)*float64(dark)/float64(inside)
			if p.screen && y%3 == 0 {
				val *= 0.93 // visible pixel rows of a phone screen
			}
			a := float64(inside) / (ss * ss)
			c.v[y*c.w+x] = c.v[y*c.w+x]*(1-a) + val*a
		}
	}
	qz := 4.0
	corners := []float64{qz, qz, fn - qz, qz, fn - qz, fn - qz, qz, fn - qz}
	toImage.TransformPoints(corners)
	return Quad{{corners[0], corners[1]}, {corners[2], corners[3]}, {corners[4], corners[5]}, {corners[6], corners[7]}}
}

// phone draws a dark phone body around a code shown on its screen.
func (c *canvas) phone(minX, minY, maxX, maxY, screen float64) {
	pad := (maxX - minX) * 0.35
	for y := max(int(minY-pad*1.8), 0); y < min(int(maxY+pad*1.8), c.h); y++ {
		for x := max(int(minX-pad), 0); x < min(int(maxX+pad), c.w); x++ {
			c.v[y*c.w+x] = 20
		}
	}
	in := pad * 0.8
	for y := max(int(minY-in*1.6), 0); y < min(int(maxY+in*1.6), c.h); y++ {
		for x := max(int(minX-in), 0); x < min(int(maxX+in), c.w); x++ {
			c.v[y*c.w+x] = screen
		}
	}
}

// background paints a lit gradient with clutter (desk, papers, shadows).
func (c *canvas) background(rng *rand.Rand) {
	base := 60 + 120*rng.Float64()
	gx, gy := (rng.Float64()-0.5)*80/float64(c.w), (rng.Float64()-0.5)*80/float64(c.h)
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			c.v[y*c.w+x] = base + gx*float64(x) + gy*float64(y)
		}
	}
	for k := 0; k < 6+rng.IntN(10); k++ {
		x0, y0 := rng.IntN(c.w), rng.IntN(c.h)
		rw, rh := 20+rng.IntN(c.w/3), 10+rng.IntN(c.h/3)
		v := 20 + 220*rng.Float64()
		for y := y0; y < min(y0+rh, c.h); y++ {
			for x := x0; x < min(x0+rw, c.w); x++ {
				c.v[y*c.w+x] = v
			}
		}
	}
	// A few text-like stripes: high-frequency clutter that makes false
	// finder-pattern candidates, as printed notices around a poster do.
	for k := 0; k < 3; k++ {
		y0 := rng.IntN(c.h)
		x0 := rng.IntN(c.w)
		for y := y0; y < min(y0+40, c.h); y++ {
			if (y/4)%2 == 0 {
				continue
			}
			for x := x0; x < min(x0+150, c.w); x++ {
				if (x/3+y/5)%3 == 0 {
					c.v[y*c.w+x] = 30
				}
			}
		}
	}
	c.blur(1)
}

func (c *canvas) blur(passes int) {
	tmp := make([]float64, len(c.v))
	for p := 0; p < passes; p++ {
		for y := 0; y < c.h; y++ {
			for x := 0; x < c.w; x++ {
				a, b := max(x-1, 0), min(x+1, c.w-1)
				tmp[y*c.w+x] = (c.v[y*c.w+a] + c.v[y*c.w+x] + c.v[y*c.w+b]) / 3
			}
		}
		for y := 0; y < c.h; y++ {
			a, b := max(y-1, 0), min(y+1, c.h-1)
			for x := 0; x < c.w; x++ {
				c.v[y*c.w+x] = (tmp[a*c.w+x] + tmp[y*c.w+x] + tmp[b*c.w+x]) / 3
			}
		}
	}
}

func (c *canvas) noise(rng *rand.Rand, sigma float64) {
	for i := range c.v {
		c.v[i] += rng.NormFloat64() * sigma
	}
}

func (c *canvas) glare(cx, cy, radius, amp float64) {
	r3 := radius * 3
	for y := max(int(cy-r3), 0); y < min(int(cy+r3), c.h); y++ {
		for x := max(int(cx-r3), 0); x < min(int(cx+r3), c.w); x++ {
			d2 := ((float64(x)-cx)*(float64(x)-cx) + (float64(y)-cy)*(float64(y)-cy)) / (radius * radius)
			c.v[y*c.w+x] += amp * math.Exp(-d2/2)
		}
	}
}

// blot paints a filled disc (ink stain, sticker, torn corner).
func (c *canvas) blot(cx, cy, r, v float64) {
	for y := max(int(cy-r), 0); y < min(int(cy+r)+1, c.h); y++ {
		for x := max(int(cx-r), 0); x < min(int(cx+r)+1, c.w); x++ {
			if (float64(x)-cx)*(float64(x)-cx)+(float64(y)-cy)*(float64(y)-cy) <= r*r {
				c.v[y*c.w+x] = v
			}
		}
	}
}

func (c *canvas) gray() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, c.w, c.h))
	for i, v := range c.v {
		g.Pix[i] = clamp8(int(math.Round(v)))
	}
	return g
}

func grayToYCbCr(g *image.Gray) *image.YCbCr {
	b := g.Bounds()
	y := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	copy(y.Y, g.Pix)
	for i := range y.Cb {
		y.Cb[i], y.Cr[i] = 128, 128
	}
	return y
}

var (
	givenNames = []string{"NGUYEN VAN AN", "TRAN THI BICH NGOC", "LE HOANG LONG", "PHAM MINH CHAU",
		"HOANG THI THU HA", "VU DUC THANG", "DANG THI MAI", "BUI QUOC KHANH", "DO THANH TUNG", "NGO THI LAN ANH"}
	fullNames = []string{"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Long", "Phạm Minh Châu",
		"Đặng Thị Mai", "Đỗ Thành Tùng"}
	streets = []string{"Hùng Vương", "Lê Duẩn", "Bạch Đằng", "Trần Phú", "Nguyễn Chí Thanh"}
)

var frameGenKey, _ = OfficeKeyFromSeed(make([]byte, 32))

// randomPayload returns a realistic payload: mostly national personal codes
// (what visitors show), some CCCD codes and signed venue codes.
func randomPayload(rng *rand.Rand) string {
	digits := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		return b.String()
	}
	year := 1940 + rng.IntN(80)
	switch k := rng.IntN(10); {
	case k < 6:
		id := digits(12)
		if rng.IntN(3) == 0 {
			id = "******" + id[6:]
		}
		ext := ""
		if rng.IntN(2) == 0 {
			ext = fmt.Sprintf("%d|09%s", rng.IntN(3), digits(8))
		}
		return fmt.Sprintf("%s|%s|%04d-%02d-%02d|%d|%s|%s", id, givenNames[rng.IntN(len(givenNames))],
			year, 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(2), "1629"+digits(14), ext)
	case k < 8:
		sex := "Nam"
		if rng.IntN(2) == 0 {
			sex = "Nữ"
		}
		return fmt.Sprintf("%s|%s|%s|%02d%02d%04d|%s|Số %d %s, Hải Châu, Đà Nẵng|%02d%02d2021",
			"048"+digits(9), digits(9), fullNames[rng.IntN(len(fullNames))], 1+rng.IntN(28), 1+rng.IntN(12), year,
			sex, 1+rng.IntN(200), streets[rng.IntN(len(streets))], 1+rng.IntN(28), 1+rng.IntN(12))
	default:
		var id [16]byte
		for i := range id {
			id[i] = byte(rng.IntN(256))
		}
		code, _ := EncodeVenueCode(VenueCodeFields{VenueID: id, WardCode: "20" + digits(3),
			ShortName: "Quan " + digits(3), IssueDate: time.Date(2021, 8, 1+rng.IntN(28), 0, 0, 0, 0, time.UTC),
			Serial: uint8(rng.IntN(3))}, frameGenKey)
		return code
	}
}
