package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/ui/widgets"
)

// venueDetail is the right-hand pane of the venues screen.
type venueDetail struct {
	store   *sqlite.Store
	win     fyne.Window
	onEdit  func(data.Venue)
	onPrint func(data.Venue)
	box     *fyne.Container
	content fyne.CanvasObject
	current data.ID
}

const historyDays = 14

func newVenueDetail(store *sqlite.Store, win fyne.Window, onEdit, onPrint func(data.Venue)) *venueDetail {
	d := &venueDetail{store: store, win: win, onEdit: onEdit, onPrint: onPrint}
	hint := widget.NewLabel(i18n.T("venues.select_hint"))
	hint.Wrapping = fyne.TextWrapWord
	d.box = container.NewVBox(hint)
	d.content = container.NewVScroll(container.NewPadded(d.box))
	return d
}

type venueWithHistory struct {
	venue   data.Venue
	history data.VenueHistory
}

// show loads the venue and its history off the UI thread.
func (d *venueDetail) show(id data.ID) {
	d.current = id
	background(func(ctx context.Context) (venueWithHistory, error) {
		v, err := d.store.Venue(ctx, id)
		if err != nil {
			return venueWithHistory{}, err
		}
		h, err := d.store.VenueHistory(ctx, id, historyDays)
		return venueWithHistory{v, h}, err
	}, func(vh venueWithHistory, err error) {
		if id != d.current {
			return // the user moved on meanwhile
		}
		if err != nil {
			d.box.Objects = []fyne.CanvasObject{widget.NewLabel(i18n.Error(err))}
			d.box.Refresh()
			return
		}
		d.render(vh.venue, vh.history)
	})
}

func heading(key string) *widget.Label {
	return widget.NewLabelWithStyle(i18n.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func dateText(t interface{ Format(string) string }) string { return t.Format("02/01/2006") }

func (d *venueDetail) render(v data.Venue, h data.VenueHistory) {
	units := d.store.Units()
	wardName := v.WardCode
	if w, ok := units.Ward(v.WardCode); ok {
		wardName = w.FullName()
		if dist, ok := units.District(v.WardCode); ok {
			wardName += ", " + dist.FullName()
		}
	}
	title := widget.NewLabelWithStyle(v.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	title.Wrapping = fyne.TextWrapWord
	status := widget.NewLabel(i18n.T("status." + v.Status))
	if v.Status == data.VenueSuspended {
		status.Importance = widget.DangerImportance
	} else {
		status.Importance = widget.SuccessImportance
	}
	edit := widget.NewButtonWithIcon(i18n.T("venues.edit"), theme.DocumentCreateIcon(), func() { d.onEdit(v) })
	print := widget.NewButtonWithIcon(i18n.T("venues.print_one"), theme.DocumentPrintIcon(), func() { d.onPrint(v) })

	control := wrapped(i18n.T("venue.control_ok"))
	control.Importance = widget.SuccessImportance
	if !v.ControlCompliant() {
		control = wrapped(i18n.T("venue.control_wrong"))
		control.Importance = widget.DangerImportance
	}
	qr := i18n.T("venue.qr_none")
	if v.HasQR() && v.QRIssuedOn != nil {
		qr = i18n.T("venue.qr_issued", v.QRSerial, dateText(v.QRIssuedOn))
	}
	last := i18n.T("venue.never_checked_in")
	if v.LastCheckinAt != nil {
		last = i18n.T("venue.last_checkin", v.LastCheckinAt.Format("15:04 02/01/2006"))
	}

	values := make([]int, len(h.CheckinsPerDay))
	days := make([]string, len(h.CheckinsPerDay))
	total := 0
	for i, c := range h.CheckinsPerDay {
		values[i], days[i] = c.Count, c.Day.Format("02/01")
		total += c.Count
	}

	objects := []fyne.CanvasObject{
		container.NewBorder(nil, nil, nil, container.NewHBox(print, edit), title),
		status,
		heading("venue.section.identity"),
		wrapped(i18n.T("venue.code", v.Code)),
		wrapped(i18n.T("category." + v.Category)),
		wrapped(v.Address + ", " + wardName),
		wrapped(i18n.T("venue.registered_on", dateText(v.RegisteredOn))),
		heading("venue.section.control"),
		wrapped(i18n.T("venue.required_control", i18n.T("control."+v.RequiredControl()))),
		wrapped(i18n.T("venue.control_in_use", i18n.T("control."+v.ControlMethod))),
		control,
		wrapped(qr),
		wrapped(i18n.T("venue.commitment", i18n.T("commitment."+v.Commitment))),
		heading("venue.section.owner"),
		wrapped(v.OwnerName),
		wrapped(data.FormatPhone(v.OwnerPhone)),
		heading("venue.section.checkins"),
		wrapped(last + " · " + i18n.T("venue.checkins_total", total)),
		widgets.NewBarChart(values, days),
		heading("venue.section.inspections"),
	}
	if len(h.Inspections) == 0 {
		objects = append(objects, wrapped(i18n.T("venue.no_inspections")))
	}
	for _, in := range h.Inspections {
		objects = append(objects, wrapped(fmt.Sprintf("%s · %s · %s", dateText(in.StartedAt), in.Status, in.Inspector)))
	}
	objects = append(objects, heading("venue.section.violations"))
	if len(h.Violations) == 0 {
		objects = append(objects, wrapped(i18n.T("venue.no_violations")))
	}
	for _, vi := range h.Violations {
		objects = append(objects, wrapped(fmt.Sprintf("%s · %s · %s · %d ₫", dateText(vi.FoundAt), vi.RuleID, vi.Status, vi.Amount)))
	}
	if v.Notes != "" {
		objects = append(objects, heading("field.notes"), wrapped(v.Notes))
	}
	d.box.Objects = objects
	d.box.Refresh()
}
