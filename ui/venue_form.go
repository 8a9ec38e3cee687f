package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/ui/widgets"
)

// venueForm creates or edits one venue. Every validation problem is shown
// under its field; the dialog stays open until the venue is saved.
type venueForm struct {
	screen *venuesScreen
	orig   *data.Venue // nil when creating
	dlg    dialog.Dialog

	code, name, address, owner, phone, notes *widget.Entry
	category, ward, control, status, commit  *widget.Select
	fields                                   map[string]*widgets.Field
	summary                                  *widget.Label
	save                                     *widget.Button
}

func (s *venuesScreen) openForm(v *data.Venue) {
	f := newVenueForm(s, v)
	f.dlg.Resize(fyne.NewSize(720, 640))
	f.dlg.Show()
}

func newVenueForm(s *venuesScreen, v *data.Venue) *venueForm {
	f := &venueForm{screen: s, orig: v, fields: map[string]*widgets.Field{}}
	entry := func(multi bool) *widget.Entry {
		if multi {
			e := widget.NewMultiLineEntry()
			e.SetMinRowsVisible(2)
			return e
		}
		return widget.NewEntry()
	}
	f.code, f.name, f.address = entry(false), entry(false), entry(false)
	f.owner, f.phone, f.notes = entry(false), entry(false), entry(true)
	cats, wards := categoryChoices(), wardChoices(s.store.Units().Wards())
	controls, statuses, commits := controlChoices(), statusChoices(), commitmentChoices()
	f.category = widget.NewSelect(labels(cats), func(label string) {
		// A new venue starts with the control method its category requires.
		if f.orig == nil {
			f.control.SetSelected(labelOf(controls, data.RequiredControl(keyOf(cats, label))))
		}
	})
	f.ward = widget.NewSelect(labels(wards), nil)
	f.control = widget.NewSelect(labels(controls), nil)
	f.status = widget.NewSelect(labels(statuses), nil)
	f.commit = widget.NewSelect(labels(commits), nil)
	f.status.SetSelected(labelOf(statuses, data.VenueOpen))
	f.commit.SetSelected(labelOf(commits, data.CommitmentNone))
	if s.filter.WardCode != "" {
		f.ward.SetSelected(labelOf(wards, s.filter.WardCode))
	}
	title := i18n.T("form.venue.new_title")
	if v != nil {
		title = i18n.T("form.venue.edit_title", v.Code)
		f.code.SetText(v.Code)
		f.name.SetText(v.Name)
		f.address.SetText(v.Address)
		f.owner.SetText(v.OwnerName)
		f.phone.SetText(v.OwnerPhone)
		f.notes.SetText(v.Notes)
		f.category.SetSelected(labelOf(cats, v.Category))
		f.ward.SetSelected(labelOf(wards, v.WardCode))
		f.control.SetSelected(labelOf(controls, v.ControlMethod))
		f.status.SetSelected(labelOf(statuses, v.Status))
		f.commit.SetSelected(labelOf(commits, v.Commitment))
	}
	add := func(name, hint string, input fyne.CanvasObject) fyne.CanvasObject {
		fl := widgets.NewField(name, i18n.T("field."+name), hint, input)
		f.fields[name] = fl
		return fl.Box
	}
	f.summary = widget.NewLabel("")
	f.summary.Importance = widget.DangerImportance
	f.summary.Hide()
	grid := container.NewGridWithColumns(2,
		add("name", "", f.name), add("code", i18n.T("form.code_hint"), f.code),
		add("category", "", f.category), add("ward", "", f.ward),
		add("address", "", f.address), add("control_method", "", f.control),
		add("owner_name", "", f.owner), add("owner_phone", i18n.T("form.phone_hint"), f.phone),
		add("status", "", f.status), add("commitment", "", f.commit),
	)
	body := container.NewVBox(f.summary, grid, add("notes", "", f.notes))
	f.save = widget.NewButton(i18n.T("form.save"), f.submit)
	f.save.Importance = widget.HighImportance
	cancel := widget.NewButton(i18n.T("form.cancel"), func() { f.dlg.Hide() })
	content := container.NewBorder(nil, container.NewHBox(layoutSpacer(), cancel, f.save), nil, nil, container.NewVScroll(body))
	f.dlg = dialog.NewCustomWithoutButtons(title, content, s.win)
	for _, sel := range []*widget.Select{f.category, f.ward, f.control, f.status, f.commit} {
		sel.PlaceHolder = i18n.T("form.select")
	}
	return f
}

// venue builds the venue from the inputs.
func (f *venueForm) venue() data.Venue {
	var v data.Venue
	if f.orig != nil {
		v = *f.orig
	}
	v.Code, v.Name, v.Address = f.code.Text, f.name.Text, f.address.Text
	v.OwnerName, v.OwnerPhone, v.Notes = f.owner.Text, f.phone.Text, f.notes.Text
	v.Category = keyOf(categoryChoices(), f.category.Selected)
	v.WardCode = keyOf(wardChoices(f.screen.store.Units().Wards()), f.ward.Selected)
	v.ControlMethod = keyOf(controlChoices(), f.control.Selected)
	v.Status = keyOf(statusChoices(), f.status.Selected)
	v.Commitment = keyOf(commitmentChoices(), f.commit.Selected)
	return v
}

// submit saves the venue, or shows each problem next to its field.
func (f *venueForm) submit() {
	v := f.venue()
	for _, fl := range f.fields {
		fl.SetError("")
	}
	f.summary.Hide()
	var err error
	ctx := context.Background()
	if f.orig == nil {
		err = f.screen.store.CreateVenue(ctx, &v)
	} else {
		err = f.screen.store.UpdateVenue(ctx, &v)
	}
	if problems := data.FieldErrors(err); len(problems) > 0 {
		for _, p := range problems {
			if fl, ok := f.fields[p.Field]; ok {
				fl.SetError(i18n.Field(p))
			}
		}
		f.summary.SetText(i18n.T("form.fix_errors"))
		f.summary.Show()
		f.dlg.Refresh()
		return
	}
	if err != nil {
		f.summary.SetText(i18n.Error(err))
		f.summary.Show()
		return
	}
	f.dlg.Hide()
	f.screen.reload(v.ID)
}
