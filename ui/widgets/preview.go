package widgets

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Outline is a detected code's four corners in frame pixels.
type Outline [4]fyne.Position

// Preview shows live camera frames, scaled to fit, with the outline of
// each code in view drawn over it. Update it only on the UI thread.
type Preview struct {
	widget.BaseWidget
	frame       image.Image
	outlines    []Outline
	placeholder string
	// Frames counts SetFrame calls (the screen's frame-rate readout).
	Frames uint64
}

// outlineColor is a saturated green that stands out on paper and screens.
var outlineColor = color.NRGBA{R: 0x00, G: 0xE6, B: 0x4C, A: 0xFF}

// NewPreview returns an empty preview showing placeholder text.
func NewPreview(placeholder string) *Preview {
	p := &Preview{placeholder: placeholder}
	p.ExtendBaseWidget(p)
	return p
}

// SetFrame shows img with the given outlines.
func (p *Preview) SetFrame(img image.Image, outlines []Outline) {
	p.frame, p.outlines = img, outlines
	p.Frames++
	p.Refresh()
}

// SetPlaceholder clears the frame and shows text instead (no camera,
// camera lost).
func (p *Preview) SetPlaceholder(text string) {
	p.frame, p.outlines, p.placeholder = nil, nil, text
	p.Refresh()
}

// Frame is the frame shown (nil when none), for an evidence snapshot.
func (p *Preview) Frame() image.Image { return p.frame }

// Outlines are the outlines drawn.
func (p *Preview) Outlines() []Outline { return p.outlines }

// Placeholder is the text shown when there is no frame.
func (p *Preview) Placeholder() string { return p.placeholder }

// MinSize keeps room for a 4:3 picture.
func (p *Preview) MinSize() fyne.Size { return fyne.NewSize(320, 240) }

// CreateRenderer implements fyne.Widget.
func (p *Preview) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.NRGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xFF})
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleFastest // a 30 fps preview needs no smoothing
	text := canvas.NewText("", color.White)
	text.Alignment = fyne.TextAlignCenter
	text.TextSize = theme.TextSize() * 1.3
	r := &previewRenderer{p: p, bg: bg, img: img, text: text}
	r.Refresh()
	return r
}

type previewRenderer struct {
	p     *Preview
	bg    *canvas.Rectangle
	img   *canvas.Image
	text  *canvas.Text
	lines []*canvas.Line
	size  fyne.Size
}

func (r *previewRenderer) Destroy() {}

func (r *previewRenderer) MinSize() fyne.Size { return r.p.MinSize() }

func (r *previewRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.img, r.text}
	for _, l := range r.lines {
		objs = append(objs, l)
	}
	return objs
}

func (r *previewRenderer) Layout(size fyne.Size) {
	r.size = size
	r.bg.Resize(size)
	r.img.Resize(size)
	r.text.Resize(fyne.NewSize(size.Width, r.text.MinSize().Height))
	r.text.Move(fyne.NewPos(0, (size.Height-r.text.MinSize().Height)/2))
	r.placeLines()
}

// placeLines maps the outlines from frame pixels to the fitted picture.
func (r *previewRenderer) placeLines() {
	f := r.p.frame
	if f == nil || r.size.Width == 0 {
		return
	}
	b := f.Bounds()
	iw, ih := float32(b.Dx()), float32(b.Dy())
	scale := min(r.size.Width/iw, r.size.Height/ih)
	ox, oy := (r.size.Width-iw*scale)/2, (r.size.Height-ih*scale)/2
	at := func(p fyne.Position) fyne.Position { return fyne.NewPos(ox+p.X*scale, oy+p.Y*scale) }
	for i, o := range r.p.outlines {
		for k := 0; k < 4; k++ {
			l := r.lines[i*4+k]
			l.Position1, l.Position2 = at(o[k]), at(o[(k+1)%4])
		}
	}
}

func (r *previewRenderer) Refresh() {
	p := r.p
	for len(r.lines) < 4*len(p.outlines) {
		l := canvas.NewLine(outlineColor)
		l.StrokeWidth = 4
		r.lines = append(r.lines, l)
	}
	for i, l := range r.lines {
		if i < 4*len(p.outlines) {
			l.Show()
		} else {
			l.Hide()
		}
	}
	if p.frame != nil {
		r.img.Image = p.frame
		r.img.Show()
		r.text.Hide()
	} else {
		r.img.Image = nil
		r.img.Hide()
		r.text.Text = p.placeholder
		r.text.Show()
	}
	r.Layout(r.size)
	r.img.Refresh()
	r.text.Refresh()
	for _, l := range r.lines {
		l.Refresh()
	}
}
