package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data/sqlite"
)

// outbreakAreas is the settings section that keeps the list of outbreak
// areas the scan station warns about ("came from an outbreak area").
type outbreakAreas struct {
	store   *sqlite.Store
	box     *fyne.Container
	name    *widget.Entry
	message *widget.Label
	content fyne.CanvasObject
}

func newOutbreakAreas(store *sqlite.Store) *outbreakAreas {
	o := &outbreakAreas{store: store, box: container.NewVBox(), name: widget.NewEntry(), message: widget.NewLabel("")}
	o.name.SetPlaceHolder(i18n.T("outbreak.placeholder"))
	o.message.Importance = widget.DangerImportance
	o.message.Hide()
	add := widget.NewButton(i18n.T("outbreak.add"), o.add)
	o.name.OnSubmitted = func(string) { o.add() }
	o.content = container.NewVBox(heading("outbreak.title"), wrapped(i18n.T("outbreak.help")),
		container.NewBorder(nil, nil, nil, add, o.name), o.message, o.box)
	o.refresh()
	return o
}

func (o *outbreakAreas) add() {
	a := &sqlite.OutbreakArea{Name: o.name.Text}
	if err := o.store.AddOutbreakArea(context.Background(), a); err != nil {
		o.message.SetText(i18n.Error(err))
		o.message.Show()
		return
	}
	o.message.Hide()
	o.name.SetText("")
	o.refresh()
}

// refresh lists the areas active today, each with a button to end it.
func (o *outbreakAreas) refresh() {
	areas, err := o.store.OutbreakAreas(context.Background(), time.Now())
	o.box.Objects = nil
	if err != nil {
		o.box.Add(widget.NewLabel(i18n.Error(err)))
	}
	if err == nil && len(areas) == 0 {
		o.box.Add(widget.NewLabel(i18n.T("outbreak.none")))
	}
	for _, a := range areas {
		a := a
		end := widget.NewButton(i18n.T("outbreak.end"), func() {
			if err := o.store.EndOutbreakArea(context.Background(), a.ID, time.Now().AddDate(0, 0, -1)); err != nil {
				o.message.SetText(i18n.Error(err))
				o.message.Show()
				return
			}
			o.refresh()
		})
		label := a.Name + " — " + i18n.T("outbreak.since", a.ActiveFrom.Format("02/01/2006"))
		o.box.Add(container.NewBorder(nil, nil, nil, end, widget.NewLabel(label)))
	}
	o.box.Refresh()
}
