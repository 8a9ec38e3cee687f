package widgets

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// BarChart shows one bar per value with its label underneath and the
// value above; bars scale to the largest value.
type BarChart struct {
	widget.BaseWidget
	Values []int
	Labels []string
	Height float32
}

// NewBarChart makes a chart; labels may be shorter than values.
func NewBarChart(values []int, labels []string) *BarChart {
	c := &BarChart{Values: values, Labels: labels, Height: 90}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	maxV := 1
	for _, v := range c.Values {
		maxV = max(maxV, v)
	}
	cols := make([]fyne.CanvasObject, len(c.Values))
	for i, v := range c.Values {
		bar := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		h := c.Height * float32(v) / float32(maxV)
		if v > 0 {
			h = max(h, 2)
		}
		bar.SetMinSize(fyne.NewSize(8, h))
		value := canvas.NewText(fmt.Sprint(v), theme.Color(theme.ColorNameForeground))
		value.TextSize = theme.CaptionTextSize()
		value.Alignment = fyne.TextAlignCenter
		label := ""
		if i < len(c.Labels) {
			label = c.Labels[i]
		}
		caption := canvas.NewText(label, theme.Color(theme.ColorNamePlaceHolder))
		caption.TextSize = theme.CaptionTextSize()
		caption.Alignment = fyne.TextAlignCenter
		spacer := canvas.NewRectangle(nil)
		spacer.SetMinSize(fyne.NewSize(1, c.Height-h))
		cols[i] = container.NewVBox(value, spacer, bar, caption)
	}
	return widget.NewSimpleRenderer(container.NewGridWithColumns(max(1, len(cols)), cols...))
}
