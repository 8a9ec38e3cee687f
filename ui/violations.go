package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/inspect/printout"
	"qrward/data/sqlite"
)

// violationsScreen is "Vi phạm": the register of violations, filterable by
// ward and status, and one case with its dated steps, the buttons of the
// steps allowed next, and its documents to print.
type violationsScreen struct {
	store *sqlite.Store
	win   fyne.Window

	filter  sqlite.RegisterFilter
	rows    []inspect.Violation
	list    *widget.List
	count   *widget.Label
	detail  *fyne.Container
	content fyne.CanvasObject
	current inspect.Violation
}

func newViolationsScreen(store *sqlite.Store, win fyne.Window) *violationsScreen {
	s := &violationsScreen{store: store, win: win, filter: sqlite.RegisterFilter{OpenOnly: true}}
	s.list = widget.NewList(func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			info.Truncation = fyne.TextTruncateEllipsis
			info.SizeName = theme.SizeNameCaptionText
			return container.NewVBox(name, info)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.rows) {
				return
			}
			v := s.rows[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(v.VenueName)
			info := box.Objects[1].(*widget.Label)
			info.SetText(v.FoundAt.Format("02/01/2006") + " · " + i18n.T("vstatus."+v.Status) + " · " + formatVND(v.Amount))
			info.Importance = widget.MediumImportance
			if v.Status == inspect.StatusSuspended {
				info.Importance = widget.DangerImportance
			}
			info.Refresh()
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.rows) {
			s.show(s.rows[i].ID)
		}
	}
	s.count = widget.NewLabel("")
	hint := widget.NewLabel(i18n.T("violations.select_hint"))
	hint.Wrapping = fyne.TextWrapWord
	s.detail = container.NewVBox(hint)
	wards := withAny(wardChoices(store.Units().Wards()))
	statuses := withAny(translated("vstatus", inspect.Statuses))
	ward := widget.NewSelect(labels(wards), func(l string) { s.filter.WardCode = keyOf(wards, l); s.reload() })
	status := widget.NewSelect(labels(statuses), func(l string) { s.filter.Status = keyOf(statuses, l); s.reload() })
	open := widget.NewCheck(i18n.T("violations.open_only"), func(b bool) { s.filter.OpenOnly = b; s.reload() })
	open.SetChecked(true)
	export := widget.NewButtonWithIcon(i18n.T("violations.export"), theme.DownloadIcon(), s.export)
	filters := container.NewGridWithColumns(4, ward, status, open, export)
	split := container.NewHSplit(container.NewBorder(nil, s.count, nil, nil, s.list),
		container.NewVScroll(container.NewPadded(s.detail)))
	split.Offset = 0.4
	s.content = container.NewBorder(filters, nil, nil, nil, split)
	s.reload()
	return s
}

func formatVND(n int64) string { return formatAmount(n) + " đ" }

func formatAmount(n int64) string {
	digits := []rune(fmtInt(n))
	out := make([]rune, 0, len(digits)+len(digits)/3)
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, c)
	}
	return string(out)
}

func fmtInt(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func (s *violationsScreen) reload() {
	f := s.filter
	background(func(ctx context.Context) ([]inspect.Violation, error) { return s.store.Violations(ctx, f) },
		func(rows []inspect.Violation, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			s.rows = rows
			s.count.SetText(i18n.T("violations.count", len(rows)))
			s.list.UnselectAll()
			s.list.Refresh()
		})
}

// show loads one case with its events and documents.
func (s *violationsScreen) show(id data.ID) {
	type loaded struct {
		v    inspect.Violation
		docs []inspect.Document
	}
	background(func(ctx context.Context) (loaded, error) {
		v, err := s.store.Violation(ctx, id)
		if err != nil {
			return loaded{}, err
		}
		docs, err := s.store.DocumentsFor(ctx, id, "")
		return loaded{v, docs}, err
	}, func(l loaded, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.current = l.v
		v := l.v
		status := widget.NewLabel(i18n.T("vstatus." + v.Status))
		if v.Status == inspect.StatusSuspended {
			status.Importance = widget.DangerImportance
		}
		items := []fyne.CanvasObject{
			widget.NewLabelWithStyle(v.VenueName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabel(v.VenueCode + " · " + v.VenueAddress), status,
			wrapLabel(v.Description),
			widget.NewLabel(i18n.T("violations.amount", formatVND(v.Amount))),
		}
		if v.ExplainDue != nil {
			items = append(items, widget.NewLabel(i18n.T("violations.explain_due", v.ExplainDue.Format("02/01/2006"))))
		}
		if v.Reminders > 0 {
			items = append(items, widget.NewLabel(i18n.T("violations.reminders", v.Reminders)))
		}
		items = append(items, widget.NewSeparator(), widget.NewLabelWithStyle(i18n.T("violations.steps"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, e := range v.Events {
			items = append(items, widget.NewLabel(e.At.Format("02/01/2006 15:04")+" · "+i18n.T("action."+e.Step)+" · "+e.By))
		}
		var buttons []fyne.CanvasObject
		for _, a := range inspect.Allowed(v.Status) {
			a := a
			buttons = append(buttons, widget.NewButton(i18n.T("action."+a), func() { s.askStep(a) }))
		}
		items = append(items, container.NewGridWithColumns(3, buttons...), widget.NewSeparator())
		for _, d := range l.docs {
			d := d
			items = append(items, widget.NewButtonWithIcon(i18n.T("violations.print", i18n.T("doc."+d.Kind), d.NumberText()),
				theme.DocumentPrintIcon(), func() { s.print(d) }))
		}
		s.detail.Objects = items
		s.detail.Refresh()
	})
}

func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// askStep collects what a step needs (the signer for a decision) and
// applies it.
func (s *violationsScreen) askStep(action string) {
	if action != inspect.ActDecide {
		s.apply(sqlite.StepInput{Action: action})
		return
	}
	lib, err := s.store.InspectLibrary(context.Background())
	if err != nil {
		dialog.ShowError(errorFor(err), s.win)
		return
	}
	var roles []choice
	for _, sg := range lib.Rules.Signers {
		roles = append(roles, choice{sg.Role, sg.Title})
	}
	role := widget.NewSelect(labels(roles), nil)
	role.SetSelectedIndex(0)
	name := widget.NewEntry()
	dialog.ShowForm(i18n.T("action.decide"), i18n.T("violations.ok"), i18n.T("violations.cancel"), []*widget.FormItem{
		widget.NewFormItem(i18n.T("field.signer"), role), widget.NewFormItem(i18n.T("violations.signer_name"), name),
	}, func(ok bool) {
		if ok {
			r := keyOf(roles, role.Selected)
			s.apply(sqlite.StepInput{Action: action, SignerRole: r, Signer: inspect.Official{Name: name.Text, Title: role.Selected}})
		}
	}, s.win)
}

func (s *violationsScreen) apply(in sqlite.StepInput) {
	id := s.current.ID
	background(func(ctx context.Context) (sqlite.StepResult, error) { return s.store.ApplyStep(ctx, id, in) },
		func(_ sqlite.StepResult, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
			}
			s.show(id) // a refused decision still shows the referral
			s.reload()
		})
}

// print saves a document's PDF where the user chooses.
func (s *violationsScreen) print(d inspect.Document) { saveDocumentPDF(s.win, s.store, d) }

func (s *violationsScreen) export() {
	save := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		if _, err := printout.WriteRegisterXLSX(context.Background(), s.store, w, s.filter); err != nil {
			dialog.ShowError(errorFor(err), s.win)
		}
	}, s.win)
	save.SetFileName("so-vi-pham.xlsx")
	save.Show()
}
