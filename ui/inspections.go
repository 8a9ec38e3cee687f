package ui

import (
	"context"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

// inspectionsScreen is "Kiểm tra": open a venue by search (or by its
// posted QR through posters), run its category's checklist on site with
// every answer saved the moment it is given, and finish the visit, which
// numbers the inspection record and proposes violations.
type inspectionsScreen struct {
	store *sqlite.Store
	win   fyne.Window
	// posters verifies a scanned poster; nil until the QR engine is
	// wired in (the inspector then types the verdict's text).
	posters inspect.PosterVerifier

	index   *data.VenueIndex
	hits    []int
	search  *widget.Entry
	list    *widget.List
	pane    *fyne.Container
	status  *widget.Label
	content fyne.CanvasObject

	venue    data.Venue
	visit    inspect.Visit
	template *inspect.Template
	radios   map[string]*widget.RadioGroup
}

var answerValues = []string{inspect.AnswerYes, inspect.AnswerNo, inspect.AnswerNA}

func newInspectionsScreen(store *sqlite.Store, win fyne.Window) *inspectionsScreen {
	s := &inspectionsScreen{store: store, win: win, index: data.NewVenueIndex(nil)}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(i18n.T("inspect.search_placeholder"))
	s.search.OnChanged = func(string) { s.apply() }
	s.list = widget.NewList(func() int { return len(s.hits) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.hits) {
				r := s.index.Row(s.hits[i])
				o.(*widget.Label).SetText(r.Code + " · " + r.Name + " · " + i18n.T("status."+r.Status))
			}
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.hits) {
			s.openVenue(s.index.Row(s.hits[i]).ID)
		}
	}
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(i18n.T("inspect.select_hint"))
	hint.Wrapping = fyne.TextWrapWord
	s.pane = container.NewVBox(hint)
	left := container.NewBorder(s.search, s.status, nil, nil, s.list)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(s.pane)))
	split.Offset = 0.35
	s.content = split
	background(func(ctx context.Context) (*data.VenueIndex, error) { return store.VenueIndex(ctx) },
		func(idx *data.VenueIndex, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), win)
				return
			}
			s.index = idx
			s.apply()
		})
	return s
}

func (s *inspectionsScreen) apply() {
	s.hits = s.index.Search(data.VenueFilter{Query: s.search.Text})
	if len(s.hits) > 200 {
		s.hits = s.hits[:200]
	}
	s.list.Refresh()
}

// openVenue shows a venue with its visits and the button that starts one;
// an unfinished draft of the venue reopens as it was left.
func (s *inspectionsScreen) openVenue(id data.ID) {
	type loaded struct {
		venue  data.Venue
		visits []inspect.Visit
	}
	background(func(ctx context.Context) (loaded, error) {
		v, err := s.store.Venue(ctx, id)
		if err != nil {
			return loaded{}, err
		}
		vs, err := s.store.Visits(ctx, id)
		return loaded{v, vs}, err
	}, func(l loaded, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.venue = l.venue
		for _, v := range l.visits {
			if v.Status == "draft" {
				s.showDraft(v)
				return
			}
		}
		title := widget.NewLabelWithStyle(l.venue.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		info := widget.NewLabel(l.venue.Code + " · " + l.venue.Address + " · " + i18n.T("category."+l.venue.Category) +
			" · " + i18n.T("status."+l.venue.Status))
		info.Wrapping = fyne.TextWrapWord
		start := widget.NewButtonWithIcon(i18n.T("inspect.start"), theme.ContentAddIcon(), s.start)
		start.Importance = widget.HighImportance
		items := []fyne.CanvasObject{title, info, start, widget.NewLabel(i18n.T("inspect.visits", len(l.visits)))}
		for _, v := range l.visits {
			items = append(items, widget.NewLabel(v.StartedAt.Format("02/01/2006 15:04")+" · "+i18n.T("inspection_status."+v.Status)))
		}
		s.pane.Objects = items
		s.pane.Refresh()
	})
}

func (s *inspectionsScreen) start() {
	v := inspect.Visit{}
	v.VenueID = s.venue.ID
	background(func(ctx context.Context) (inspect.Visit, error) { return v, s.store.StartInspection(ctx, &v) },
		func(v inspect.Visit, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			s.showDraft(v)
		})
}

// showDraft lays out the checklist of a draft visit.
func (s *inspectionsScreen) showDraft(v inspect.Visit) {
	lib, err := s.store.InspectLibrary(context.Background())
	if err == nil {
		s.template, err = lib.Templates.ByID(v.Template, v.TemplateVersion)
	}
	if err != nil {
		dialog.ShowError(errorFor(err), s.win)
		return
	}
	s.visit = v
	s.radios = map[string]*widget.RadioGroup{}
	labels := make([]string, len(answerValues))
	for i, a := range answerValues {
		labels[i] = i18n.T("answer." + a)
	}
	items := []fyne.CanvasObject{
		widget.NewLabelWithStyle(s.venue.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(s.template.Title),
	}
	// The posted QR: scanned text (or nothing when unreadable) goes to the verifier.
	posterText := widget.NewEntry()
	posterText.SetPlaceHolder(i18n.T("inspect.poster_placeholder"))
	items = append(items, container.NewBorder(nil, nil, nil,
		widget.NewButtonWithIcon(i18n.T("inspect.poster_check"), theme.SearchIcon(), func() { s.checkPoster(posterText.Text) }), posterText))
	for _, it := range s.template.Items {
		it := it
		text := widget.NewLabel(it.Text)
		text.Wrapping = fyne.TextWrapWord
		radio := widget.NewRadioGroup(labels, nil)
		radio.Horizontal = true
		note := widget.NewEntry()
		note.SetPlaceHolder(i18n.T("inspect.note_placeholder"))
		if a, ok := v.Answers[it.Key]; ok {
			for i, val := range answerValues {
				if val == a.Value {
					radio.SetSelected(labels[i])
				}
			}
			note.SetText(a.Note)
		}
		save := func() {
			value := ""
			for i, l := range labels {
				if l == radio.Selected {
					value = answerValues[i]
				}
			}
			if value == "" {
				return // a note before the answer is kept in the field until one is chosen
			}
			s.saveAnswer(inspect.Answer{Item: it.Key, Value: value, Note: note.Text})
		}
		radio.OnChanged = func(string) { save() }
		note.OnChanged = func(string) { save() }
		s.radios[it.Key] = radio
		photo := widget.NewButtonWithIcon(i18n.T("inspect.add_photo"), theme.MediaPhotoIcon(), func() { s.pickPhoto(it.Key) })
		items = append(items, widget.NewSeparator(), text, radio, container.NewBorder(nil, nil, nil, photo, note))
	}
	gps := widget.NewEntry()
	gps.SetPlaceHolder(i18n.T("inspect.gps_placeholder"))
	gps.SetText(v.GPS)
	notes := widget.NewMultiLineEntry()
	notes.SetText(v.Notes)
	saveNotes := func(string) {
		id := s.visit.ID
		background(func(ctx context.Context) (inspect.Visit, error) {
			return s.store.SaveVisitNotes(ctx, id, notes.Text, s.visit.Place, gps.Text)
		}, s.saved)
	}
	gps.OnChanged, notes.OnChanged = saveNotes, saveNotes
	finish := widget.NewButtonWithIcon(i18n.T("inspect.finish"), theme.ConfirmIcon(), s.finish)
	finish.Importance = widget.HighImportance
	items = append(items, widget.NewSeparator(), widget.NewLabel(i18n.T("field.gps")), gps,
		widget.NewLabel(i18n.T("field.note")), notes, finish)
	s.pane.Objects = items
	s.pane.Refresh()
	s.status.SetText(i18n.T("inspect.draft_saved"))
}

func (s *inspectionsScreen) saved(v inspect.Visit, err error) {
	if err != nil {
		s.status.SetText(i18n.Error(err))
		return
	}
	s.visit = v
	s.status.SetText(i18n.T("inspect.saved_at", v.UpdatedAt.Format("15:04:05")))
}

// saveAnswer writes one answer at once.
func (s *inspectionsScreen) saveAnswer(a inspect.Answer) {
	id := s.visit.ID
	background(func(ctx context.Context) (inspect.Visit, error) { return s.store.SaveAnswer(ctx, id, a) }, s.saved)
}

// checkPoster verifies the scanned poster text ("" = unreadable) and
// records the verdict as the poster item's answer.
func (s *inspectionsScreen) checkPoster(text string) {
	check := inspect.PosterCheck{Status: inspect.PosterUnreadable}
	switch {
	case s.posters != nil:
		check = s.posters.VerifyPoster(text, s.venue.ID)
	case text != "":
		check = inspect.PosterCheck{Status: inspect.PosterMalformed, Text: text}
	}
	id := s.visit.ID
	background(func(ctx context.Context) (inspect.Visit, error) { return s.store.RecordPoster(ctx, id, check) },
		func(v inspect.Visit, err error) {
			s.saved(v, err)
			if err == nil {
				s.showDraft(v)
				s.status.SetText(i18n.T("poster." + check.Status))
			}
		})
}

func (s *inspectionsScreen) pickPhoto(item string) {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, sqlite.MaxPhotoBytes+1))
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.addPhoto(item, b)
	}, s.win)
}

func (s *inspectionsScreen) addPhoto(item string, b []byte) {
	id := s.visit.ID
	background(func(ctx context.Context) (data.ID, error) { return s.store.AddPhoto(ctx, id, item, b) },
		func(_ data.ID, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			s.status.SetText(i18n.T("inspect.photo_saved"))
		})
}

func (s *inspectionsScreen) finish() {
	id := s.visit.ID
	background(func(ctx context.Context) (sqlite.FinishResult, error) {
		return s.store.FinishInspection(ctx, id, sqlite.FinishInput{By: s.visit.Inspector})
	}, func(res sqlite.FinishResult, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.status.SetText(i18n.T("inspect.finished", res.Document.NumberText(), len(res.Violations)))
		s.openVenue(s.venue.ID)
		doc := res.Document
		dialog.ShowConfirm(i18n.T("inspect.print_record_title"), i18n.T("inspect.print_record_ask", doc.NumberText()),
			func(ok bool) {
				if ok {
					saveDocumentPDF(s.win, s.store, doc)
				}
			}, s.win)
	})
}
