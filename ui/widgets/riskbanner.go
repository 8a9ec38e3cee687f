package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// BannerLevel is the colour of a RiskBanner.
type BannerLevel int

const (
	// BannerNeutral: grey, nothing read yet or not about a person.
	BannerNeutral BannerLevel = iota
	// BannerGreen: let in.
	BannerGreen
	// BannerAmber: let in with attention.
	BannerAmber
	// BannerRed: stop the visitor.
	BannerRed
)

// String is a stable name for tests and logs.
func (l BannerLevel) String() string { return [...]string{"neutral", "green", "amber", "red"}[l] }

// Colours chosen for reading at two metres: saturated, with text contrast
// of at least 4.5:1 (white on green and red, black on amber).
var bannerColors = [...]struct{ bg, fg color.NRGBA }{
	BannerNeutral: {color.NRGBA{0x54, 0x5B, 0x64, 0xFF}, color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}},
	BannerGreen:   {color.NRGBA{0x1B, 0x6E, 0x34, 0xFF}, color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}},
	BannerAmber:   {color.NRGBA{0xF2, 0xA9, 0x00, 0xFF}, color.NRGBA{0x00, 0x00, 0x00, 0xFF}},
	BannerRed:     {color.NRGBA{0xB7, 0x1C, 0x1C, 0xFF}, color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}},
}

// Text sizes: the verdict (title) is read from across the entrance, the
// details from the desk.
const (
	bannerTitleSize    = 40
	bannerReasonSize   = 26
	bannerSubtitleSize = 20
)

// RiskBanner is the scan station's large result card: a coloured band
// with a verdict, who and when, and the reasons in words.
type RiskBanner struct {
	widget.BaseWidget
	level    BannerLevel
	title    string
	subtitle []string
	reasons  []string
}

// NewRiskBanner returns a neutral banner showing title.
func NewRiskBanner(title string) *RiskBanner {
	b := &RiskBanner{title: title}
	b.ExtendBaseWidget(b)
	return b
}

// Set sets the banner: its colour, the verdict, detail lines (who, code
// kind, time) and the reasons for the colour.
func (b *RiskBanner) Set(level BannerLevel, title string, subtitle, reasons []string) {
	b.level, b.title, b.subtitle, b.reasons = level, title, subtitle, reasons
	b.Refresh()
}

// Level is the colour shown.
func (b *RiskBanner) Level() BannerLevel { return b.level }

// Title is the verdict shown.
func (b *RiskBanner) Title() string { return b.title }

// Subtitle lines shown.
func (b *RiskBanner) Subtitle() []string { return b.subtitle }

// Reasons shown.
func (b *RiskBanner) Reasons() []string { return b.reasons }

// CreateRenderer implements fyne.Widget.
func (b *RiskBanner) CreateRenderer() fyne.WidgetRenderer {
	r := &bannerRenderer{b: b, bg: canvas.NewRectangle(color.Black), box: container.NewVBox()}
	r.Refresh()
	return r
}

type bannerRenderer struct {
	b   *RiskBanner
	bg  *canvas.Rectangle
	box *fyne.Container
}

func (r *bannerRenderer) Destroy() {}

func (r *bannerRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.box} }

func (r *bannerRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	const pad = 16
	r.box.Move(fyne.NewPos(pad, pad))
	r.box.Resize(fyne.NewSize(size.Width-2*pad, size.Height-2*pad))
}

// bannerMinHeight fits a title, two reasons and three detail lines, so
// the card keeps its size from read to read instead of pushing the
// inputs below it up and down.
const bannerMinHeight = 300

func (r *bannerRenderer) MinSize() fyne.Size {
	m := r.box.MinSize()
	return fyne.NewSize(m.Width+32, max(m.Height+32, bannerMinHeight))
}

func (r *bannerRenderer) Refresh() {
	c := bannerColors[r.b.level]
	r.bg.FillColor = c.bg
	line := func(text string, size float32, bold bool) *canvas.Text {
		t := canvas.NewText(text, c.fg)
		t.TextSize = size
		t.TextStyle = fyne.TextStyle{Bold: bold}
		return t
	}
	objs := []fyne.CanvasObject{line(r.b.title, bannerTitleSize, true)}
	for _, s := range r.b.reasons {
		objs = append(objs, line("• "+s, bannerReasonSize, true))
	}
	for _, s := range r.b.subtitle {
		objs = append(objs, line(s, bannerSubtitleSize, false))
	}
	r.box.Objects = objs
	r.box.Refresh()
	r.bg.Refresh()
}
