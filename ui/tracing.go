package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
	"qrward/reports"
	"qrward/scan"
	"qrward/scan/camera"
)

// tracingScreen is "Truy vết": the F0 cases on the left; for the selected
// case its infectious window, the rule, the size of the job before it
// runs, and the F1 (and F2) list with the reason for every row and its
// follow-up, with PDF, XLSX and call-list exports.
type tracingScreen struct {
	store    *sqlite.Store
	win      fyne.Window
	profiles trace.Profiles

	cases    []data.Case
	names    map[data.ID]string
	caseList *widget.List
	current  *data.Case

	title            *widget.Label
	winStart, winEnd *widget.Entry
	rule             *widget.Select
	ruleNames        []string
	f2               *widget.Check
	estimate         *widget.Label
	runBtn           *widget.Button
	status           *widget.Label

	result *trace.Result
	rows   []trace.Row
	list   *widget.List
	picked int // row being followed up, -1 for none

	steps   map[string]*widget.Check
	note    *widget.Entry
	saveFU  *widget.Button
	exports []*widget.Button

	// The selected case's visits (check-ins and manual visits).
	visits      []trace.Visit
	visitList   *widget.List
	visitsTitle *widget.Label
	visitsEmpty *widget.Label
	addVisit    *widget.Button
	vform       *visitForm   // the last "Thêm nơi đã đến" form opened
	caseForm    *newCaseForm // the last "Thêm ca F0" dialog's inputs

	// cams is where "Quét bằng camera" looks for cameras.
	cams camera.Provider

	content fyne.CanvasObject
}

// timeEntryLayout is how window times are typed (Vietnam time).
const timeEntryLayout = "02/01/2006 15:04"

func newTracingScreen(store *sqlite.Store, win fyne.Window) *tracingScreen {
	s := &tracingScreen{store: store, win: win, profiles: trace.Builtin(), names: map[data.ID]string{}, picked: -1,
		cams: tracingCameras()}
	s.caseList = widget.NewList(
		func() int { return len(s.cases) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			info.SizeName = theme.SizeNameCaptionText
			return container.NewVBox(name, info)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.cases) {
				return
			}
			c := s.cases[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(s.names[c.PersonID])
			box.Objects[1].(*widget.Label).SetText(i18n.T("trace.ui.case_line", c.ConfirmedOn.Format("02/01/2006"),
				c.WindowStart.In(trace.Vietnam).Format(timeEntryLayout), c.WindowEnd.In(trace.Vietnam).Format(timeEntryLayout)))
		},
	)
	s.caseList.OnSelected = func(i widget.ListItemID) {
		if i < len(s.cases) {
			c := s.cases[i]
			s.selectCase(&c)
		}
	}
	newCase := widget.NewButtonWithIcon(i18n.T("trace.ui.new_case"), theme.ContentAddIcon(), s.newCaseDialog)
	newCase.Importance = widget.HighImportance
	left := container.NewBorder(container.NewVBox(widget.NewLabelWithStyle(i18n.T("trace.ui.cases"), fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), newCase), nil, nil, nil, s.caseList)

	s.title = widget.NewLabelWithStyle(i18n.T("trace.ui.pick_case"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.winStart, s.winEnd = widget.NewEntry(), widget.NewEntry()
	s.winStart.SetPlaceHolder(timeEntryLayout)
	s.winEnd.SetPlaceHolder(timeEntryLayout)
	saveWin := widget.NewButtonWithIcon(i18n.T("trace.ui.save_window"), theme.DocumentSaveIcon(), s.saveWindow)
	s.rule = widget.NewSelect(nil, func(string) { s.refreshEstimate() })
	s.setRuleOptions()
	s.rule.SetSelectedIndex(0)
	loadRules := widget.NewButtonWithIcon(i18n.T("trace.ui.load_rules"), theme.FolderOpenIcon(), s.loadRulesDialog)
	s.f2 = widget.NewCheck(i18n.T("trace.ui.f2"), nil)
	s.estimate = widget.NewLabel("")
	s.estimate.Wrapping = fyne.TextWrapWord
	s.runBtn = widget.NewButtonWithIcon(i18n.T("trace.ui.run"), theme.SearchIcon(), s.compute)
	s.runBtn.Importance = widget.HighImportance
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem(i18n.T("trace.ui.window_start"), s.winStart),
		widget.NewFormItem(i18n.T("trace.ui.window_end"), container.NewBorder(nil, nil, nil, saveWin, s.winEnd)),
		widget.NewFormItem(i18n.T("trace.ui.rule"), container.NewBorder(nil, nil, nil, loadRules, s.rule)),
		widget.NewFormItem("", s.f2),
	)

	s.list = widget.NewList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			head.Truncation = fyne.TextTruncateEllipsis
			reason := widget.NewLabel("")
			reason.Truncation = fyne.TextTruncateEllipsis
			reason.SizeName = theme.SizeNameCaptionText
			return container.NewVBox(head, reason)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.rows) {
				return
			}
			r := s.rows[i]
			box := o.(*fyne.Container)
			head := fmt.Sprintf("%d. F%d · %s · %s · %s", r.No, r.Level, r.Name, r.Phone, r.VenueName)
			if fu := strings.Join(stepsText(r.FollowUp), ", "); fu != "" {
				head += " · " + fu
			}
			box.Objects[0].(*widget.Label).SetText(head)
			reason := r.Reason
			if r.Via != "" {
				reason = i18n.T("trace.ui.via", r.Via) + " · " + reason
			}
			box.Objects[1].(*widget.Label).SetText(reason)
		},
	)
	s.list.OnSelected = func(i widget.ListItemID) { s.pick(i) }

	s.steps = map[string]*widget.Check{}
	var checks []fyne.CanvasObject
	for _, step := range trace.FollowUpSteps {
		c := widget.NewCheck(i18n.T("trace.followup."+step), nil)
		s.steps[step] = c
		checks = append(checks, c)
	}
	s.note = widget.NewEntry()
	s.note.SetPlaceHolder(i18n.T("trace.ui.note"))
	s.saveFU = widget.NewButtonWithIcon(i18n.T("trace.ui.save_followup"), theme.ConfirmIcon(), s.saveFollowUp)
	followUp := container.NewBorder(nil, nil, container.NewHBox(checks...), s.saveFU, s.note)

	pdf := widget.NewButtonWithIcon(i18n.T("trace.ui.export_pdf"), theme.DocumentPrintIcon(), func() { s.exportDialog("pdf") })
	xlsx := widget.NewButtonWithIcon(i18n.T("trace.ui.export_xlsx"), theme.DownloadIcon(), func() { s.exportDialog("xlsx") })
	calls := widget.NewButtonWithIcon(i18n.T("trace.ui.export_calls"), theme.MailSendIcon(), func() { s.exportDialog("csv") })
	s.exports = []*widget.Button{pdf, xlsx, calls}

	top := container.NewVBox(s.title, form, s.estimate, container.NewHBox(s.runBtn, pdf, xlsx, calls), s.status)
	lists := container.NewVSplit(s.buildVisits(), s.list)
	lists.Offset = 0.4
	right := container.NewBorder(top, followUp, nil, nil, lists)
	split := container.NewHSplit(left, right)
	split.Offset = 0.25
	s.content = split
	s.setEnabled()
	s.reload(data.NilID)
	return s
}

// setRuleOptions fills the rule picker with the profiles' titles.
func (s *tracingScreen) setRuleOptions() {
	s.ruleNames = s.profiles.Names()
	var labels []string
	for _, n := range s.ruleNames {
		p, _ := s.profiles.Get(n)
		labels = append(labels, p.TitleIn(i18n.Language()))
	}
	s.rule.Options = labels
	s.rule.Refresh()
}

// selectRule picks a profile by name (false if there is none).
func (s *tracingScreen) selectRule(name string) bool {
	for i, n := range s.ruleNames {
		if n == name {
			s.rule.SetSelectedIndex(i)
			return true
		}
	}
	return false
}

// loadRules adds the profiles of a user file (one profile or a list, as
// data/trace/profiles/*.json); a bad file changes nothing.
func (s *tracingScreen) loadRules(path string) error {
	if err := s.profiles.LoadFile(path); err != nil {
		return err
	}
	current := s.profile().Name
	s.setRuleOptions()
	s.selectRule(current)
	return nil
}

func (s *tracingScreen) loadRulesDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		if err := s.loadRules(path); err != nil {
			dialog.ShowError(errorFor(err), s.win)
		}
	}, s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Show()
}

func stepsText(f trace.FollowUp) []string {
	var out []string
	for _, step := range f.Steps() {
		out = append(out, i18n.T("trace.followup."+step))
	}
	return out
}

// setEnabled greys out what needs a case or a list.
func (s *tracingScreen) setEnabled() {
	toggle := func(w fyne.Disableable, on bool) {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	toggle(s.runBtn, s.current != nil)
	toggle(s.addVisit, s.current != nil)
	for _, b := range s.exports {
		toggle(b, s.result != nil && len(s.rows) > 0)
	}
	toggle(s.saveFU, s.picked >= 0)
	for _, c := range s.steps {
		toggle(c, s.picked >= 0)
	}
	toggle(s.note, s.picked >= 0)
}

// reload reads the cases (and their F0's names) off the UI thread, then
// selects the case named by keep.
func (s *tracingScreen) reload(keep data.ID) {
	type loaded struct {
		cases []data.Case
		names map[data.ID]string
	}
	background(func(ctx context.Context) (loaded, error) {
		cases, err := s.store.Cases(ctx)
		if err != nil {
			return loaded{}, err
		}
		ids := make([]data.ID, len(cases))
		for i, c := range cases {
			ids[i] = c.PersonID
		}
		people, err := s.store.PeopleByIDs(ctx, ids)
		if err != nil {
			return loaded{}, err
		}
		names := map[data.ID]string{}
		for id, p := range people {
			names[id] = p.FullName
		}
		return loaded{cases, names}, nil
	}, func(l loaded, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.cases, s.names = l.cases, l.names
		s.caseList.Refresh()
		for i, c := range s.cases {
			if c.ID == keep {
				s.caseList.Select(i)
			}
		}
	})
}

func (s *tracingScreen) selectCase(c *data.Case) {
	s.current = c
	s.result, s.rows, s.picked = nil, nil, -1
	s.list.UnselectAll()
	s.list.Refresh()
	s.title.SetText(i18n.T("trace.ui.case_title", s.names[c.PersonID], c.ConfirmedOn.Format("02/01/2006")))
	s.winStart.SetText(c.WindowStart.In(trace.Vietnam).Format(timeEntryLayout))
	s.winEnd.SetText(c.WindowEnd.In(trace.Vietnam).Format(timeEntryLayout))
	s.status.SetText("")
	s.setEnabled()
	s.refreshVisits()
	s.refreshEstimate()
}

func (s *tracingScreen) profile() trace.Profile {
	i := s.rule.SelectedIndex()
	if i < 0 || i >= len(s.ruleNames) {
		i = 0
	}
	p, _ := s.profiles.Get(s.ruleNames[i])
	return p
}

// refreshEstimate shows how much a trace will read before it runs.
func (s *tracingScreen) refreshEstimate() {
	if s.current == nil {
		return
	}
	id, p := s.current.ID, s.profile()
	s.estimate.SetText(i18n.T("trace.ui.counting"))
	background(func(ctx context.Context) (trace.Estimate, error) {
		return s.store.TraceEstimate(ctx, id, p)
	}, func(est trace.Estimate, err error) {
		if s.current == nil || s.current.ID != id {
			return // another case was picked meanwhile
		}
		if err != nil {
			s.estimate.SetText(i18n.Error(err))
			return
		}
		s.estimate.SetText(i18n.T("cli.trace.estimate", est.Visits, est.ManualVisits, est.Candidates))
	})
}

func parseWindowTime(text string) (time.Time, error) {
	return time.ParseInLocation(timeEntryLayout, strings.TrimSpace(text), trace.Vietnam)
}

func (s *tracingScreen) saveWindow() {
	if s.current == nil {
		return
	}
	var v data.Validation
	start, err1 := parseWindowTime(s.winStart.Text)
	if err1 != nil {
		v.Add("window_start", "err.case_date_invalid", s.winStart.Text)
	}
	end, err2 := parseWindowTime(s.winEnd.Text)
	if err2 != nil {
		v.Add("window_end", "err.case_date_invalid", s.winEnd.Text)
	}
	if err := v.Err(); err != nil {
		dialog.ShowError(errorFor(err), s.win)
		return
	}
	id := s.current.ID
	background(func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.store.SetCaseWindow(ctx, id, start, end)
	}, func(_ struct{}, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.reload(id)
	})
}

// compute runs the trace off the UI thread; the button is disabled while
// it runs so the window never blocks and never runs two at once.
func (s *tracingScreen) compute() {
	if s.current == nil {
		return
	}
	c, p, f2 := *s.current, s.profile(), s.f2.Checked
	s.runBtn.Disable()
	s.status.SetText(i18n.T("trace.ui.running"))
	type out struct {
		res  *trace.Result
		rows []trace.Row
	}
	background(func(ctx context.Context) (out, error) {
		res, err := s.store.Trace(ctx, c.ID, p, sqlite.TraceOptions{F2: f2})
		if err != nil {
			return out{}, err
		}
		rows, err := traceRows(ctx, s.store, res)
		return out{res, rows}, err
	}, func(o out, err error) {
		s.runBtn.Enable()
		if err != nil {
			s.status.SetText("")
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		if s.current == nil || s.current.ID != c.ID {
			return
		}
		s.result, s.rows, s.picked = o.res, o.rows, -1
		s.list.UnselectAll()
		s.list.Refresh()
		s.status.SetText(i18n.T("cli.trace.summary_line", len(o.res.Visits), len(o.res.F1), len(o.res.F2), o.res.Candidates) +
			" · " + i18n.T("trace.ui.took", o.res.Elapsed.Round(time.Millisecond/10)))
		s.setEnabled()
	})
}

// traceRows resolves names, phones and follow-ups of a result.
func traceRows(ctx context.Context, store *sqlite.Store, res *trace.Result) ([]trace.Row, error) {
	ids := []data.ID{}
	for _, c := range res.F1 {
		ids = append(ids, c.PersonID)
	}
	for _, c := range res.F2 {
		ids = append(ids, c.PersonID, c.Via)
	}
	people, err := store.PeopleByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	follow, err := store.FollowUps(ctx, res.CaseID)
	if err != nil {
		return nil, err
	}
	return trace.Rows(res, people, follow, i18n.T), nil
}

// pick shows row i's follow-up for editing.
func (s *tracingScreen) pick(i int) {
	if i < 0 || i >= len(s.rows) {
		return
	}
	s.picked = i
	f := s.rows[i].FollowUp
	s.steps["called"].SetChecked(f.Called)
	s.steps["reached"].SetChecked(f.Reached)
	s.steps["isolated"].SetChecked(f.Isolated)
	s.steps["tested"].SetChecked(f.Tested)
	s.note.SetText(f.Note)
	s.setEnabled()
}

func (s *tracingScreen) saveFollowUp() {
	if s.picked < 0 || s.picked >= len(s.rows) || s.result == nil {
		return
	}
	i := s.picked
	r := s.rows[i]
	f := trace.FollowUp{CaseID: s.result.CaseID, PersonID: r.PersonID, Level: r.Level,
		Called: s.steps["called"].Checked, Reached: s.steps["reached"].Checked,
		Isolated: s.steps["isolated"].Checked, Tested: s.steps["tested"].Checked, Note: s.note.Text}
	background(func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.store.SetFollowUp(ctx, f)
	}, func(_ struct{}, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		if i < len(s.rows) && s.rows[i].PersonID == f.PersonID {
			f.Note = data.Clean(f.Note)
			s.rows[i].FollowUp = f
			s.list.RefreshItem(i)
		}
	})
}

// export writes the current list to path as pdf, xlsx or the call list
// (csv) and returns a line for the status bar.
func (s *tracingScreen) export(kind, path string) (string, error) {
	if s.result == nil || s.current == nil {
		return "", nil
	}
	f, err := os.Create(path)
	if err != nil {
		return "", data.Errorf(data.EInternal, "err.file_create", path)
	}
	msg := i18n.T("cli.trace.wrote", path)
	switch kind {
	case "pdf":
		issuer, place := s.store.Office(context.Background())
		doc := trace.Document(s.result, s.rows, shortCase(s.current.ID), s.current.ConfirmedOn, issuer, place, time.Now())
		err = reports.WriteTracingList(f, doc)
	case "xlsx":
		err = trace.WriteXLSX(f, i18n.T("trace.list_title", shortCase(s.current.ID)), s.rows, i18n.T)
	default:
		var n, noPhone int
		n, noPhone, err = trace.WriteCalls(f, s.rows)
		msg = i18n.T("cli.trace.wrote_calls", path, n, noPhone)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return msg, nil
}

func (s *tracingScreen) exportDialog(kind string) {
	// Names and phones of contacts: a file of personal data.
	savePersonalFile(s.win, "danh-sach-truy-vet-"+shortCase(s.current.ID)+"."+kind,
		func(ctx context.Context, path string) (string, error) { return s.export(kind, path) },
		func(msg string) { s.status.SetText(msg) })
}

// shortCase is the last 8 hex digits of a case id (the random part).
func shortCase(id data.ID) string {
	h := strings.ReplaceAll(id.String(), "-", "")
	return h[len(h)-8:]
}

// findPerson finds the person a tracer typed or scanned: a personal QR
// code's text (QRQG, CCCD, BHYT: findPersonByCode), an ID number, a phone
// number or a name (diacritics ignored).
func findPerson(ctx context.Context, store *sqlite.Store, text string) ([]data.Person, error) {
	text = strings.TrimSpace(text)
	if p, err := scan.Parse(text); err == nil {
		if pc, ok := p.(scan.PersonCode); ok {
			return findPersonByCode(ctx, store, pc)
		}
	}
	digits := data.Digits(text)
	if len(digits) == len(strings.ReplaceAll(strings.ReplaceAll(text, " ", ""), ".", "")) && len(digits) > 0 {
		if len(digits) == 9 || len(digits) == 12 {
			if people, err := store.FindPeople(ctx, sqlite.PersonQuery{IDNumber: digits}); err != nil || len(people) > 0 {
				return people, err
			}
		}
	}
	if _, err := data.NormalizePhone(text); err == nil {
		return store.FindPeople(ctx, sqlite.PersonQuery{Phone: text})
	}
	return store.FindPeople(ctx, sqlite.PersonQuery{Name: text})
}

// newCaseDialog records an F0 case for a person found by phone, ID
// number, QID, name or their personal QR code (typed, pasted, read from an
// image or a camera).
func (s *tracingScreen) newCaseDialog() {
	f := s.newCaseForm()
	s.caseForm = f
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.T("trace.ui.who"), f.whoBox()),
		widget.NewFormItem(i18n.T("trace.ui.confirmed"), f.confirmed),
		widget.NewFormItem(i18n.T("trace.ui.onset"), f.onset),
	}
	d := dialog.NewForm(i18n.T("trace.ui.new_case"), i18n.T("trace.ui.create"), i18n.T("trace.ui.cancel"), items, func(ok bool) {
		f.stopCamera()
		if !ok {
			return
		}
		s.createCase(f.who.Text, f.confirmed.Text, f.onset.Text, func(id data.ID, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			s.reload(id)
		})
	}, s.win)
	f.dlg = d
	d.Resize(newCaseSize)
	d.Show()
	f.findCameras()
}

// createCase validates the dialog's fields, finds exactly one person and
// records the case, then calls done on the UI thread.
func (s *tracingScreen) createCase(who, confirmedText, onsetText string, done func(data.ID, error)) {
	var v data.Validation
	day := func(field, text string) *time.Time {
		text = strings.TrimSpace(text)
		if text == "" {
			return nil
		}
		t, err := time.ParseInLocation("02/01/2006", text, trace.Vietnam)
		if err != nil {
			v.Add(field, "err.case_date_invalid", text)
			return nil
		}
		return &t
	}
	if strings.TrimSpace(who) == "" {
		v.Add("person", "err.required")
	}
	c := data.Case{}
	if t := day("confirmed_on", confirmedText); t != nil {
		c.ConfirmedOn = *t
	} else if strings.TrimSpace(confirmedText) == "" {
		v.Add("confirmed_on", "err.required")
	}
	c.OnsetOn = day("onset_on", onsetText)
	if err := v.Err(); err != nil {
		done(data.NilID, err)
		return
	}
	background(func(ctx context.Context) (data.ID, error) {
		people, err := findPerson(ctx, s.store, who)
		if err != nil {
			return data.NilID, err
		}
		switch len(people) {
		case 0:
			return data.NilID, data.Errorf(data.ENotFound, "err.person_not_found")
		case 1:
		default:
			return data.NilID, data.Errorf(data.EConflict, "err.person_ambiguous", len(people))
		}
		c.PersonID = people[0].ID
		err = s.store.CreateCase(ctx, &c)
		return c.ID, err
	}, done)
}
