package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/scan"
)

// venuesScreen is "Địa điểm": a virtualised, filterable list of the area's
// venues beside the selected venue's details.
type venuesScreen struct {
	store *sqlite.Store
	win   fyne.Window

	index  *data.VenueIndex
	filter data.VenueFilter
	hits   []int // rows of index matching filter, in display order

	search  *widget.Entry
	list    *widget.List
	count   *widget.Label
	detail  *venueDetail
	content fyne.CanvasObject

	wards, categories, statuses, controls []choice

	officeKey *scan.OfficeKey // unlocked once per session for printing posters
}

func newVenuesScreen(store *sqlite.Store, win fyne.Window) *venuesScreen {
	s := &venuesScreen{store: store, win: win, index: data.NewVenueIndex(nil)}
	s.wards = withAny(wardChoices(store.Units().Wards()))
	s.categories = withAny(categoryChoices())
	s.statuses = withAny(statusChoices())
	s.controls = withAny(controlChoices())

	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(i18n.T("venues.search_placeholder"))
	s.search.OnChanged = func(q string) { s.filter.Query = q; s.apply() }

	s.count = widget.NewLabel(i18n.T("venues.loading"))
	s.list = widget.NewList(
		func() int { return len(s.hits) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			info.Truncation = fyne.TextTruncateEllipsis
			info.SizeName = theme.SizeNameCaptionText
			return container.NewVBox(name, info)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.hits) {
				return
			}
			r := s.index.Row(s.hits[i])
			box := o.(*fyne.Container)
			name, info := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
			name.SetText(r.Name)
			info.SetText(r.Code + " · " + r.Address + " · " + r.WardName + " · " + i18n.T("status."+r.Status))
			if r.Status == data.VenueSuspended {
				info.Importance = widget.DangerImportance
			} else {
				info.Importance = widget.MediumImportance
			}
			info.Refresh()
		},
	)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.hits) {
			s.detail.show(s.index.Row(s.hits[i]).ID)
		}
	}
	s.detail = newVenueDetail(store, win, func(v data.Venue) { s.openForm(&v) },
		func(v data.Venue) { s.printQR([]data.ID{v.ID}) })

	split := container.NewHSplit(container.NewBorder(nil, s.count, nil, nil, s.list), s.detail.content)
	split.Offset = 0.45
	s.content = container.NewBorder(container.NewVBox(s.toolbar(), s.filters()), nil, nil, nil, split)
	s.reload(data.NilID)
	return s
}

func (s *venuesScreen) toolbar() fyne.CanvasObject {
	add := widget.NewButtonWithIcon(i18n.T("venues.add"), theme.ContentAddIcon(), func() { s.openForm(nil) })
	add.Importance = widget.HighImportance
	imp := widget.NewButtonWithIcon(i18n.T("venues.import"), theme.UploadIcon(), s.importFile)
	tmpl := widget.NewButtonWithIcon(i18n.T("venues.template"), theme.FileIcon(), s.saveTemplate)
	exp := widget.NewButtonWithIcon(i18n.T("venues.export"), theme.DownloadIcon(), s.export)
	print := widget.NewButtonWithIcon(i18n.T("venues.print_list"), theme.DocumentPrintIcon(), func() { s.printQR(s.listedIDs()) })
	return container.NewBorder(nil, nil, nil, container.NewHBox(add, imp, tmpl, exp, print), s.search)
}

func (s *venuesScreen) filters() fyne.CanvasObject {
	sel := func(cs []choice, set func(key string)) *widget.Select {
		w := widget.NewSelect(labels(cs), func(label string) { set(keyOf(cs, label)); s.apply() })
		w.SetSelectedIndex(0)
		return w
	}
	ward := sel(s.wards, func(k string) { s.filter.WardCode = k })
	cat := sel(s.categories, func(k string) { s.filter.Category = k })
	status := sel(s.statuses, func(k string) { s.filter.Status = k })
	control := sel(s.controls, func(k string) { s.filter.ControlMethod = k })
	qr := sel([]choice{{"", i18n.T("venues.filter.any")}, {"yes", i18n.T("venues.filter.qr_yes")}, {"no", i18n.T("venues.filter.qr_no")}},
		func(k string) {
			switch k {
			case "":
				s.filter.HasQR = nil
			default:
				v := k == "yes"
				s.filter.HasQR = &v
			}
		})
	silentChoices := []choice{{"", i18n.T("venues.filter.any")}}
	for _, d := range []int{3, 7, 14} {
		silentChoices = append(silentChoices, choice{strconv.Itoa(d), i18n.T("venues.filter.silent_days", d)})
	}
	silent := sel(silentChoices, func(k string) { s.filter.SilentDays, _ = strconv.Atoi(k) })
	labelled := func(key string, w fyne.CanvasObject) fyne.CanvasObject {
		l := widget.NewLabel(i18n.T(key))
		l.SizeName = theme.SizeNameCaptionText
		return container.NewVBox(l, w)
	}
	return container.NewGridWithColumns(6,
		labelled("venues.filter.ward", ward), labelled("venues.filter.category", cat),
		labelled("venues.filter.status", status), labelled("venues.filter.control", control),
		labelled("venues.filter.qr", qr), labelled("venues.filter.silent", silent))
}

// apply re-runs the in-memory search; fast enough (a few ms for 20,000
// venues) to run on every keystroke on the UI thread.
func (s *venuesScreen) apply() {
	s.hits = s.index.Search(s.filter)
	s.count.SetText(i18n.T("venues.count", len(s.hits), s.index.Len()))
	s.list.UnselectAll()
	s.list.Refresh()
	if len(s.hits) == 0 && s.index.Len() > 0 {
		s.count.SetText(i18n.T("venues.empty"))
	}
}

// reload rebuilds the index from the replica in the background, then
// selects venue select (if any).
func (s *venuesScreen) reload(selectID data.ID) {
	background(func(ctx context.Context) (*data.VenueIndex, error) { return s.store.VenueIndex(ctx) },
		func(idx *data.VenueIndex, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			s.index = idx
			s.apply()
			if !selectID.IsZero() {
				s.selectVenue(selectID)
			}
		})
}

func (s *venuesScreen) selectVenue(id data.ID) {
	for i, h := range s.hits {
		if s.index.Row(h).ID == id {
			s.list.Select(i)
			s.list.ScrollTo(i)
			return
		}
	}
	s.detail.show(id)
}
