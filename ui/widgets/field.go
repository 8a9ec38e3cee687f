package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Field is a form input with its label, a hint and an error line that
// appears under the input when validation fails.
type Field struct {
	Name  string // field key, matching data.FieldError.Field
	Input fyne.CanvasObject
	Error *widget.Label
	Box   *fyne.Container
}

// NewField lays out a labelled input with a hidden error line.
func NewField(name, label, hint string, input fyne.CanvasObject) *Field {
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Wrapping = fyne.TextWrapWord
	errLabel.Hide()
	title := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	items := []fyne.CanvasObject{title, input}
	if hint != "" {
		h := widget.NewLabel(hint)
		h.Importance = widget.LowImportance
		h.SizeName = theme.SizeNameCaptionText
		items = append(items, h)
	}
	items = append(items, errLabel)
	return &Field{Name: name, Input: input, Error: errLabel, Box: container.NewVBox(items...)}
}

// SetError shows msg under the input, or hides the line when msg is "".
func (f *Field) SetError(msg string) {
	f.Error.SetText(msg)
	if msg == "" {
		f.Error.Hide()
	} else {
		f.Error.Show()
	}
	f.Box.Refresh() // the box must lay out again when a line appears
}
