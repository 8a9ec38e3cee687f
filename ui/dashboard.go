package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/stats"
	"qrward/data/trace"
	"qrward/reports"
)

// dashboardScreen is "Báo cáo": compliance figures from the rollups (never
// a scan of check-ins), a daily trend, bars per ward, and the silent
// venues with a reminder file for the SMS gateway; filters by period and
// ward.
type dashboardScreen struct {
	store *sqlite.Store
	win   fyne.Window

	days   []int
	period *widget.Select
	wards  []choice
	ward   *widget.Select

	summary *widget.Label
	stale   *fyne.Container
	trend   *canvas.Image
	bars    *canvas.Image

	st         *sqlite.Stats
	silentList *widget.List
	chosen     map[data.ID]bool
	remind     *widget.Button

	content fyne.CanvasObject
}

func newDashboardScreen(store *sqlite.Store, win fyne.Window) *dashboardScreen {
	s := &dashboardScreen{store: store, win: win, days: []int{1, 7, 14, 30}, chosen: map[data.ID]bool{}}
	var periods []string
	for _, d := range s.days {
		periods = append(periods, i18n.T("dash.period_days", d))
	}
	s.period = widget.NewSelect(periods, func(string) { s.refresh() })
	s.wards = withAny(wardChoices(store.Units().Wards()))
	s.ward = widget.NewSelect(labels(s.wards), func(string) { s.refresh() })
	s.summary = widget.NewLabel(i18n.T("venues.loading"))
	s.summary.Wrapping = fyne.TextWrapWord
	rebuild := widget.NewButtonWithIcon(i18n.T("dash.rebuild"), theme.ViewRefreshIcon(), s.rebuild)
	warn := widget.NewLabel(i18n.T("dash.stale"))
	warn.Importance = widget.WarningImportance
	s.stale = container.NewBorder(nil, nil, nil, rebuild, warn)
	s.stale.Hide()

	newImage := func() *canvas.Image {
		img := canvas.NewImageFromImage(nil)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(480, 230))
		return img
	}
	s.trend, s.bars = newImage(), newImage()

	s.silentList = widget.NewList(
		func() int { return s.silentCount() },
		func() fyne.CanvasObject {
			check := widget.NewCheck("", nil)
			info := widget.NewLabel("")
			info.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, check, nil, info)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if s.st == nil || i >= len(s.st.Silent) {
				return
			}
			v := s.st.Silent[i]
			box := o.(*fyne.Container)
			info, check := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Check)
			last := i18n.T("dash.never")
			if v.LastCheckin != nil {
				last = v.LastCheckin.In(trace.Vietnam).Format("02/01/2006")
			}
			info.SetText(fmt.Sprintf("%s · %s · %s · %s", v.Code, v.Name, s.wardName(v.Ward), i18n.T("dash.last_scan", last)))
			check.OnChanged = nil
			check.SetChecked(s.chosen[v.ID])
			id := v.ID
			check.OnChanged = func(on bool) {
				if on {
					s.chosen[id] = true
				} else {
					delete(s.chosen, id)
				}
			}
		},
	)
	s.remind = widget.NewButtonWithIcon(i18n.T("dash.remind"), theme.MailSendIcon(), s.remindDialog)
	s.remind.Importance = widget.HighImportance
	all := widget.NewButton(i18n.T("dash.select_all"), func() {
		if s.st != nil {
			for _, v := range s.st.Silent {
				s.chosen[v.ID] = true
			}
			s.silentList.Refresh()
		}
	})

	filters := container.NewHBox(widget.NewLabel(i18n.T("dash.period")), s.period, widget.NewLabel(i18n.T("dash.ward")), s.ward)
	charts := container.NewGridWithColumns(2, s.trend, s.bars)
	silent := container.NewBorder(
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(i18n.T("dash.silent_title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewHBox(all, s.remind)),
		nil, nil, nil, s.silentList)
	top := container.NewVBox(filters, s.stale, s.summary, charts)
	s.content = container.NewBorder(top, nil, nil, nil, silent)
	s.ward.Selected = s.wards[0].label // all wards, without a refresh of its own
	s.period.SetSelectedIndex(1)       // 7 days; triggers the first refresh
	return s
}

func (s *dashboardScreen) silentCount() int {
	if s.st == nil {
		return 0
	}
	return len(s.st.Silent)
}

func (s *dashboardScreen) wardName(code string) string {
	if u, ok := s.store.Units().Ward(code); ok {
		return u.FullName()
	}
	return code
}

// query is the filters as a StatsQuery.
func (s *dashboardScreen) query() sqlite.StatsQuery {
	days := 7
	if i := s.period.SelectedIndex(); i >= 0 && i < len(s.days) {
		days = s.days[i]
	}
	now := s.store.Now()
	q := sqlite.StatsQuery{From: now.AddDate(0, 0, 1-days), To: now}
	if s.ward != nil {
		if k := keyOf(s.wards, s.ward.Selected); k != "" {
			q.Wards = []string{k}
		}
	}
	return q
}

// refresh reads the figures off the UI thread (they come from the rollups:
// tens of milliseconds over ten million check-ins) and draws the charts.
func (s *dashboardScreen) refresh() {
	if s.ward == nil {
		return // still building
	}
	q := s.query()
	background(func(ctx context.Context) (*sqlite.Stats, error) {
		return s.store.Stats(ctx, q)
	}, func(st *sqlite.Stats, err error) {
		if err != nil {
			s.summary.SetText(i18n.Error(err))
			return
		}
		s.show(st)
	})
}

// show puts a result on screen.
func (s *dashboardScreen) show(st *sqlite.Stats) {
	s.st = st
	s.chosen = map[data.ID]bool{}
	var reg, qr, scans, people, scanned, insp, viol, susp int
	for _, w := range st.Wards {
		reg, qr, susp = reg+w.Registered, qr+w.WithQR, susp+w.Suspended
	}
	for _, d := range st.Days {
		scans, people, scanned, insp, viol = scans+d.Scans, people+d.People, scanned+d.VenuesScanned, insp+d.Inspections, viol+d.Violations
	}
	avg := 0
	if len(st.Days) > 0 {
		avg = scanned / len(st.Days)
	}
	s.summary.SetText(i18n.T("dash.summary", reg, qr, avg, st.SilentTotal, st.SilentDays, scans, people, insp, viol, susp) +
		" · " + i18n.T("trace.ui.took", st.Elapsed.Round(time.Millisecond/10)))
	if st.Stale != "" {
		s.stale.Show()
	} else {
		s.stale.Hide()
	}
	var dayLabels []string
	var dScans, dPeople, dVenues []float64
	for _, d := range st.Days {
		t, _ := time.Parse("2006-01-02", d.Day)
		dayLabels = append(dayLabels, t.Format("02/01"))
		dScans = append(dScans, float64(d.Scans))
		dPeople = append(dPeople, float64(d.People))
		dVenues = append(dVenues, float64(d.VenuesScanned))
	}
	kind := reports.ChartLines
	if len(dayLabels) == 1 {
		kind = reports.ChartBars
	}
	if img, err := (reports.Chart{Kind: kind, Title: i18n.T("report.chart.trend"), Labels: dayLabels, Width: 960, Height: 460,
		Series: []reports.Series{{Name: i18n.T("report.col.scans"), Values: dScans}, {Name: i18n.T("report.col.people"), Values: dPeople},
			{Name: i18n.T("report.col.venues_scanned"), Values: dVenues}}}).Image(); err == nil {
		s.trend.Image = img
		s.trend.Refresh()
	}
	var wardLabels []string
	var wScanned, wSilent []float64
	for _, w := range st.Wards {
		wardLabels = append(wardLabels, strings.TrimPrefix(strings.TrimPrefix(w.Name, "Phường "), "Xã "))
		a := 0.0
		if len(w.Days) > 0 {
			a = float64(w.Total.VenuesScanned) / float64(len(w.Days))
		}
		wScanned = append(wScanned, a)
		wSilent = append(wSilent, float64(w.Silent))
	}
	if img, err := (reports.Chart{Kind: reports.ChartBars, Title: i18n.T("dash.ward_chart"), Labels: wardLabels, Width: 960, Height: 460,
		Series: []reports.Series{{Name: i18n.T("report.col.venues_scanned_avg"), Values: wScanned},
			{Name: i18n.T("report.col.silent"), Values: wSilent}}}).Image(); err == nil {
		s.bars.Image = img
		s.bars.Refresh()
	}
	s.silentList.Refresh()
}

// rebuild recounts the rollups (after a venue changed ward) and refreshes.
func (s *dashboardScreen) rebuild() {
	s.summary.SetText(i18n.T("dash.rebuilding"))
	background(func(ctx context.Context) (time.Duration, error) {
		return s.store.RebuildRollups(ctx)
	}, func(_ time.Duration, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
		}
		s.refresh()
	})
}

// writeReminders writes the SMS gateway file for the chosen silent venues
// (all of them when none is ticked) and returns the status line.
func (s *dashboardScreen) writeReminders(ctx context.Context, path string) (string, error) {
	q := s.query()
	only := map[data.ID]bool{}
	for id := range s.chosen {
		only[id] = true
	}
	if len(only) == 0 && s.st != nil {
		for _, v := range s.st.Silent {
			only[v.ID] = true
		}
	}
	list, err := stats.Reminders(ctx, s.store, q, only)
	if err != nil {
		return "", err
	}
	f, err := os.Create(path)
	if err != nil {
		return "", data.Errorf(data.EInternal, "err.file_create", path)
	}
	if err := stats.WriteCSV(f, list.Rows); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return i18n.T("cli.smslist.done", len(list.Rows), list.NoPhone), nil
}

func (s *dashboardScreen) remindDialog() {
	// Owners' phone numbers: a file of personal data.
	savePersonalFile(s.win, "nhac-nho-sms.csv", s.writeReminders,
		func(msg string) { dialog.ShowInformation(i18n.T("dash.remind"), msg, s.win) })
}
