package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
	"qrward/ui/widgets"
)

// The selected case's visits: the F0's check-ins in the window and the
// visits tracers add by hand (paper registers, interviews). Manual visits
// are added through visitForm and deleted after a confirmation; the
// estimate and the list are read again after each change, and the next
// "Lập danh sách" uses them.

// buildVisits makes the visits panel (title, add button, list).
func (s *tracingScreen) buildVisits() fyne.CanvasObject {
	s.visitsTitle = widget.NewLabelWithStyle(i18n.T("trace.visits.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.addVisit = widget.NewButtonWithIcon(i18n.T("trace.visits.add"), theme.ContentAddIcon(), s.openVisitForm)
	s.visitsEmpty = widget.NewLabel(i18n.T("trace.visits.none"))
	s.visitsEmpty.Importance = widget.LowImportance
	s.visitsEmpty.Hide()
	s.visitList = widget.NewList(
		func() int { return len(s.visits) },
		func() fyne.CanvasObject {
			line := widget.NewLabel("")
			line.Truncation = fyne.TextTruncateEllipsis
			del := widget.NewButtonWithIcon(i18n.T("trace.visits.delete"), theme.DeleteIcon(), nil)
			del.Importance = widget.DangerImportance
			return container.NewBorder(nil, nil, nil, del, line)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.visits) {
				return
			}
			v := s.visits[i]
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(visitLine(v))
			del := row.Objects[1].(*widget.Button)
			if v.Source == trace.VisitManual {
				del.OnTapped = func() { s.confirmDeleteVisit(v) }
				del.Show()
			} else {
				del.OnTapped = nil
				del.Hide()
			}
		},
	)
	head := container.NewBorder(nil, nil, nil, s.addVisit, s.visitsTitle)
	return container.NewBorder(container.NewVBox(head, s.visitsEmpty), nil, nil, nil, s.visitList)
}

// visitTimes is "12/09/2021 09:00 – 10:30" (the out date only when it
// differs), or the time in alone when no time out is known.
func visitTimes(in time.Time, out *time.Time) string {
	in = in.In(trace.Vietnam)
	text := in.Format(timeEntryLayout)
	if out != nil {
		o := out.In(trace.Vietnam)
		if o.Format("02/01/2006") == in.Format("02/01/2006") {
			text += " – " + o.Format("15:04")
		} else {
			text += " – " + o.Format(timeEntryLayout)
		}
	}
	return text
}

// visitLine is one visit's row: times, venue code and name, source and
// the tracer's note.
func visitLine(v trace.Visit) string {
	source := i18n.T("trace.visits.source_checkin")
	if v.Source == trace.VisitManual {
		source = i18n.T("trace.visits.source_manual")
	}
	venue := v.VenueName
	if v.VenueCode != "" {
		venue = v.VenueCode + " " + venue
	}
	line := visitTimes(v.In, v.Out) + " · " + venue + " · " + source
	if note := strings.Join(strings.Fields(v.Note), " "); note != "" {
		line += " · " + note
	}
	return line
}

// refreshVisits reads the selected case's visits off the UI thread.
func (s *tracingScreen) refreshVisits() {
	if s.current == nil {
		s.visits = nil
		s.visitList.Refresh()
		return
	}
	id := s.current.ID
	background(func(ctx context.Context) ([]trace.Visit, error) {
		return s.store.CaseVisits(ctx, id)
	}, func(vs []trace.Visit, err error) {
		if s.current == nil || s.current.ID != id {
			return
		}
		if err != nil {
			s.visits = nil
			s.visitsTitle.SetText(i18n.T("trace.visits.title"))
			s.visitsEmpty.SetText(i18n.Error(err))
			s.visitsEmpty.Show()
			s.visitList.Refresh()
			return
		}
		s.visits = vs
		manual := 0
		for _, v := range vs {
			if v.Source == trace.VisitManual {
				manual++
			}
		}
		s.visitsTitle.SetText(i18n.T("trace.visits.title_count", len(vs), len(vs)-manual, manual))
		s.visitsEmpty.SetText(i18n.T("trace.visits.none"))
		if len(vs) == 0 {
			s.visitsEmpty.Show()
		} else {
			s.visitsEmpty.Hide()
		}
		s.visitList.UnselectAll()
		s.visitList.Refresh()
	})
}

// visitsChanged reads the visits and the estimate again and tells the
// tracer that a list on screen predates the change.
func (s *tracingScreen) visitsChanged(msg string) {
	s.refreshVisits()
	s.refreshEstimate()
	if s.result != nil {
		msg += " " + i18n.T("trace.visits.rerun")
	}
	s.status.SetText(msg)
}

// confirmDeleteVisit asks before deleting a manual visit.
func (s *tracingScreen) confirmDeleteVisit(v trace.Visit) {
	if v.Source != trace.VisitManual {
		return
	}
	when := v.In.In(trace.Vietnam).Format(timeEntryLayout)
	d := dialog.NewConfirm(i18n.T("trace.visits.delete_title"), i18n.T("trace.visits.delete_confirm", v.VenueName, when),
		func(ok bool) {
			if ok {
				s.deleteVisit(v)
			}
		}, s.win)
	d.SetConfirmText(i18n.T("trace.visits.delete"))
	d.SetDismissText(i18n.T("trace.ui.cancel"))
	d.Show()
}

// deleteVisit removes a manual visit.
func (s *tracingScreen) deleteVisit(v trace.Visit) {
	background(func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.store.DeleteManualVisit(ctx, v.ID)
	}, func(_ struct{}, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.visitsChanged(i18n.T("trace.visits.deleted", v.VenueName, v.In.In(trace.Vietnam).Format(timeEntryLayout)))
	})
}

// visitForm adds a manual visit to the selected case: a venue found by
// code or name, the time in, an optional time out and a note. Every
// problem is shown under its field; the dialog stays open until saved.
type visitForm struct {
	screen *tracingScreen
	caseID data.ID
	dlg    dialog.Dialog

	index   *data.VenueIndex
	search  *widget.Entry
	hits    *widget.Select
	rows    []data.VenueRow
	venue   *data.VenueRow
	chosen  *widget.Label
	in, out *widget.Entry
	note    *widget.Entry
	fields  map[string]*widgets.Field
	summary *widget.Label
	save    *widget.Button
}

func (s *tracingScreen) openVisitForm() {
	if s.current == nil {
		return
	}
	f := s.newVisitForm()
	s.vform = f
	f.dlg.Resize(fyne.NewSize(620, 560))
	f.dlg.Show()
	f.loadVenues()
}

func (s *tracingScreen) newVisitForm() *visitForm {
	f := &visitForm{screen: s, caseID: s.current.ID, fields: map[string]*widgets.Field{}}
	f.search = widget.NewEntry()
	f.search.SetPlaceHolder(i18n.T("trace.visit_form.venue_search"))
	f.search.OnChanged = func(q string) { f.searchVenues(q) }
	f.search.OnSubmitted = func(q string) { f.searchVenues(q) }
	f.hits = widget.NewSelect(nil, func(label string) {
		for i := range f.rows {
			if venueLabel(f.rows[i]) == label {
				r := f.rows[i]
				f.pickVenue(&r)
			}
		}
	})
	f.hits.PlaceHolder = i18n.T("trace.visit_form.venue_pick")
	f.chosen = widget.NewLabel(i18n.T("trace.visit_form.no_venue"))
	f.chosen.Wrapping = fyne.TextWrapWord
	f.in, f.out = widget.NewEntry(), widget.NewEntry()
	f.in.SetPlaceHolder("dd/mm/yyyy HH:MM")
	f.out.SetPlaceHolder("dd/mm/yyyy HH:MM")
	f.note = widget.NewMultiLineEntry()
	f.note.SetMinRowsVisible(2)
	add := func(name, hint string, input fyne.CanvasObject) fyne.CanvasObject {
		fl := widgets.NewField(name, i18n.T("field."+name), hint, input)
		f.fields[name] = fl
		return fl.Box
	}
	f.summary = widget.NewLabel("")
	f.summary.Importance = widget.DangerImportance
	f.summary.Wrapping = fyne.TextWrapWord
	f.summary.Hide()
	venueBox := container.NewVBox(container.NewGridWithColumns(2, f.search, f.hits), f.chosen)
	body := container.NewVBox(f.summary,
		add("venue", i18n.T("trace.visit_form.venue_hint"), venueBox),
		container.NewGridWithColumns(2,
			add("time_in", i18n.T("trace.visit_form.in_hint"), f.in),
			add("time_out", i18n.T("trace.visit_form.out_hint"), f.out)),
		add("note", i18n.T("trace.visit_form.note_hint"), f.note),
	)
	f.save = widget.NewButtonWithIcon(i18n.T("trace.visit_form.save"), theme.ConfirmIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	cancel := widget.NewButton(i18n.T("trace.ui.cancel"), func() { f.dlg.Hide() })
	content := container.NewBorder(nil, container.NewHBox(layoutSpacer(), cancel, f.save), nil, nil, container.NewVScroll(body))
	title := i18n.T("trace.visit_form.title", s.names[s.current.PersonID])
	f.dlg = dialog.NewCustomWithoutButtons(title, content, s.win)
	return f
}

// loadVenues builds the in-memory venue index once per form (searching
// then costs nothing per keystroke).
func (f *visitForm) loadVenues() {
	f.chosen.SetText(i18n.T("trace.visit_form.loading"))
	background(func(ctx context.Context) (*data.VenueIndex, error) {
		return f.screen.store.VenueIndex(ctx)
	}, func(idx *data.VenueIndex, err error) {
		if err != nil {
			f.chosen.SetText(i18n.Error(err))
			return
		}
		f.index = idx
		if f.venue == nil {
			f.chosen.SetText(i18n.T("trace.visit_form.no_venue"))
		}
		if q := f.search.Text; q != "" {
			f.searchVenues(q)
		}
	})
}

func venueLabel(r data.VenueRow) string {
	label := r.Code + " · " + r.Name
	if r.Address != "" {
		label += " · " + r.Address
	}
	return label
}

// searchVenues lists the venues matching q (code, name, address, owner
// phone; diacritics ignored); a single hit is chosen at once.
func (f *visitForm) searchVenues(q string) {
	if f.index == nil {
		return
	}
	q = strings.TrimSpace(q)
	if len([]rune(q)) < 2 {
		f.rows = nil
		f.hits.SetOptions(nil)
		return
	}
	hits := f.index.Search(data.VenueFilter{Query: q})
	if len(hits) > 30 {
		hits = hits[:30]
	}
	f.rows = f.rows[:0]
	var labels []string
	for _, h := range hits {
		r := f.index.Row(h)
		f.rows = append(f.rows, r)
		labels = append(labels, venueLabel(r))
	}
	f.hits.ClearSelected()
	f.hits.SetOptions(labels)
	switch len(f.rows) {
	case 0:
		if f.venue == nil {
			f.chosen.SetText(i18n.T("trace.visit_form.no_hits", q))
		}
	case 1:
		f.hits.SetSelected(labels[0])
	}
}

func (f *visitForm) pickVenue(r *data.VenueRow) {
	f.venue = r
	f.chosen.SetText(i18n.T("trace.visit_form.chosen", venueLabel(*r)))
	f.fields["venue"].SetError("")
}

// parseVisitTime reads "dd/mm/yyyy HH:MM" (or "yyyy-mm-dd HH:MM") in
// Vietnam time; with day set, a bare "HH:MM" is that day.
func parseVisitTime(text string, day *time.Time) (time.Time, error) {
	text = strings.Join(strings.Fields(text), " ")
	for _, layout := range []string{timeEntryLayout, "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, text, trace.Vietnam); err == nil {
			return t, nil
		}
	}
	if day != nil {
		if t, err := time.ParseInLocation("15:04", text, trace.Vietnam); err == nil {
			d := day.In(trace.Vietnam)
			return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, trace.Vietnam), nil
		}
	}
	return time.Time{}, data.Errorf(data.EInvalid, "err.visit_time_invalid", text)
}

// visit checks the inputs and builds the manual visit.
func (f *visitForm) visit() (sqlite.ManualVisit, error) {
	var v data.Validation
	m := sqlite.ManualVisit{CaseID: f.caseID, Note: f.note.Text}
	if f.venue == nil {
		v.Add("venue", "err.required")
	} else {
		m.VenueID = f.venue.ID
	}
	var inOK bool
	switch in := strings.TrimSpace(f.in.Text); {
	case in == "":
		v.Add("time_in", "err.required")
	default:
		t, err := parseVisitTime(in, nil)
		if err != nil {
			v.Add("time_in", "err.visit_time_invalid", in)
		} else {
			m.TimeIn, inOK = t, true
		}
	}
	if out := strings.TrimSpace(f.out.Text); out != "" {
		var day *time.Time
		if inOK {
			day = &m.TimeIn
		}
		t, err := parseVisitTime(out, day)
		switch {
		case err != nil:
			v.Add("time_out", "err.visit_time_invalid", out)
		case inOK && t.Before(m.TimeIn):
			v.Add("time_out", "err.time_out_before_in")
		default:
			m.TimeOut = &t
		}
	}
	return m, v.Err()
}

// submit stores the visit, or shows each problem next to its field.
func (f *visitForm) submit() {
	for _, fl := range f.fields {
		fl.SetError("")
	}
	f.summary.Hide()
	m, err := f.visit()
	if err != nil {
		f.showError(err)
		return
	}
	f.save.Disable()
	venue := f.venue.Name
	background(func(ctx context.Context) (sqlite.ManualVisit, error) {
		err := f.screen.store.AddManualVisit(ctx, &m)
		return m, err
	}, func(m sqlite.ManualVisit, err error) {
		f.save.Enable()
		if err != nil {
			f.showError(err)
			return
		}
		f.dlg.Hide()
		f.screen.visitsChanged(i18n.T("trace.visits.added", venue, m.TimeIn.In(trace.Vietnam).Format(timeEntryLayout)))
	})
}

func (f *visitForm) showError(err error) {
	if problems := data.FieldErrors(err); len(problems) > 0 {
		other := false
		for _, p := range problems {
			if fl, ok := f.fields[p.Field]; ok {
				fl.SetError(i18n.Field(p))
			} else {
				other = true
			}
		}
		msg := i18n.T("form.fix_errors")
		if other {
			msg = i18n.Error(err)
		}
		f.summary.SetText(msg)
	} else {
		f.summary.SetText(i18n.Error(err))
	}
	f.summary.Show()
	f.dlg.Refresh()
}
