package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data/sqlite"
	"qrward/data/syncclient"
)

// autoSyncEvery is how often the background sync runs while the screen's
// automatic sync is on; a failed attempt (offline) simply waits for the
// next one.
const autoSyncEvery = 5 * time.Minute

// syncScreen is "Đồng bộ": the hub link and enrolment, per-stream state,
// the pending outbox, sync now with progress and cancel, automatic
// background sync, USB bundles, and the conflict list for district users.
type syncScreen struct {
	store   *sqlite.Store
	win     fyne.Window
	content fyne.CanvasObject

	hubURL, code, fingerprint *widget.Entry
	enrolInfo                 *widget.Label
	pending                   *widget.Label
	streams                   *widget.Label
	status                    *widget.Label
	progress                  *widget.ProgressBarInfinite
	syncBtn, cancelBtn        *widget.Button
	auto                      *widget.Check
	conflictBox               *fyne.Container
	conflictList              *widget.List
	conflicts                 []sqlite.Conflict
	selected                  int

	mu      sync.Mutex
	cancel  context.CancelFunc // of the running sync, nil when idle
	stopBg  context.CancelFunc // of the automatic loop
	running bool
}

func newSyncScreen(store *sqlite.Store, win fyne.Window) *syncScreen {
	s := &syncScreen{store: store, win: win, selected: -1}
	s.hubURL = widget.NewEntry()
	s.hubURL.SetPlaceHolder("https://192.168.1.10:8443")
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("XXXX-XXXX-XXXX")
	s.fingerprint = widget.NewEntry()
	s.fingerprint.SetPlaceHolder(i18n.T("sync.fingerprint_placeholder"))
	s.enrolInfo = widget.NewLabel("")
	s.enrolInfo.Wrapping = fyne.TextWrapWord
	enrolBtn := widget.NewButton(i18n.T("sync.enrol"), s.enrol)

	s.pending = widget.NewLabel("")
	s.streams = widget.NewLabel("")
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Hide()
	s.syncBtn = widget.NewButton(i18n.T("sync.now"), func() { s.syncNow() })
	s.syncBtn.Importance = widget.HighImportance
	s.cancelBtn = widget.NewButton(i18n.T("sync.cancel"), s.cancelSync)
	s.cancelBtn.Disable()
	s.auto = widget.NewCheck(i18n.T("sync.auto"), s.setAuto)

	exportBtn := widget.NewButton(i18n.T("sync.bundle_export"), s.exportBundle)
	importBtn := widget.NewButton(i18n.T("sync.bundle_import"), s.importBundle)

	s.conflictList = widget.NewList(
		func() int { return len(s.conflicts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.conflicts) {
				o.(*widget.Label).SetText(conflictLine(s.conflicts[i]))
			}
		})
	s.conflictList.OnSelected = func(i widget.ListItemID) { s.selected = i }
	keepHub := widget.NewButton(i18n.T("sync.keep_hub"), func() { s.resolve(false) })
	takeDevice := widget.NewButton(i18n.T("sync.take_device"), func() { s.resolve(true) })
	s.conflictBox = container.NewBorder(
		widget.NewLabelWithStyle(i18n.T("sync.conflicts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(keepHub, takeDevice), nil, nil, s.conflictList)
	s.conflictBox.Hide()

	hubForm := widget.NewForm(
		widget.NewFormItem(i18n.T("sync.hub_url"), s.hubURL),
		widget.NewFormItem(i18n.T("sync.code"), s.code),
		widget.NewFormItem(i18n.T("sync.fingerprint"), s.fingerprint),
	)
	left := container.NewVBox(
		widget.NewLabelWithStyle(i18n.T("sync.hub"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		hubForm, enrolBtn, s.enrolInfo,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(i18n.T("sync.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.pending, s.streams,
		container.NewHBox(s.syncBtn, s.cancelBtn, s.auto),
		s.progress, s.status,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(i18n.T("sync.bundles"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(i18n.T("sync.bundles_help")),
		container.NewHBox(exportBtn, importBtn),
	)
	s.content = container.NewHSplit(container.NewVScroll(left), s.conflictBox)
	s.refresh()
	return s
}

// conflictLine is the side-by-side view of one conflict.
func conflictLine(c sqlite.Conflict) string {
	state := i18n.T("sync.conflict." + c.Status)
	return fmt.Sprintf("%s · %s · %s: %s  ↔  %s: %s · %s", i18n.T("sync.table."+c.Table), c.Field,
		i18n.T("sync.hub_value"), showValue(c.HubValue), i18n.T("sync.device_value"), showValue(c.DeviceValue), state)
}

func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case []byte:
		return fmt.Sprintf("%x…", x[:min(len(x), 4)])
	default:
		return fmt.Sprint(x)
	}
}

// refresh reloads the link, streams, outbox and conflicts off the UI thread.
func (s *syncScreen) refresh() {
	type state struct {
		cfg       sqlite.SyncConfig
		pending   int
		streams   []sqlite.StreamState
		conflicts []sqlite.Conflict
	}
	background(func(ctx context.Context) (state, error) {
		var st state
		var err error
		if st.cfg, err = s.store.SyncConfig(ctx); err != nil {
			return st, err
		}
		if st.pending, err = s.store.PendingCount(ctx); err != nil {
			return st, err
		}
		if st.streams, err = s.store.SyncStates(ctx); err != nil {
			return st, err
		}
		st.conflicts, err = s.store.Conflicts(ctx, true)
		return st, err
	}, func(st state, err error) {
		if err != nil {
			s.status.SetText(i18n.Error(err))
			return
		}
		if st.cfg.Enrolled() {
			s.hubURL.SetText(st.cfg.HubURL)
			s.enrolInfo.SetText(i18n.T("sync.enrolled", st.cfg.District, strings.Join(st.cfg.Wards, ", "), i18n.T("sync.role."+st.cfg.Role)))
			s.syncBtn.Enable()
		} else {
			s.enrolInfo.SetText(i18n.T("sync.not_enrolled"))
			s.syncBtn.Disable()
		}
		s.auto.OnChanged = nil
		s.auto.SetChecked(st.cfg.AutoSync)
		s.auto.OnChanged = s.setAuto
		if st.cfg.AutoSync && st.cfg.Enrolled() {
			s.startAuto()
		}
		s.pending.SetText(i18n.T("sync.pending", st.pending))
		var lines []string
		for _, x := range st.streams {
			last := i18n.T("sync.never")
			if x.CompletedAt != nil {
				last = x.CompletedAt.Format("02/01/2006 15:04")
			}
			line := i18n.T("sync.stream_line", streamName(x.Stream), last)
			if x.Error != "" {
				line += " — " + i18n.T(x.Error)
			}
			lines = append(lines, line)
		}
		s.streams.SetText(strings.Join(lines, "\n"))
		s.conflicts = st.conflicts
		s.selected = -1
		s.conflictList.UnselectAll()
		s.conflictList.Refresh()
		if st.cfg.Role == "district" {
			s.conflictBox.Show()
		} else {
			s.conflictBox.Hide()
		}
	})
}

func streamName(stream string) string {
	if ward, ok := strings.CutPrefix(stream, "down:"); ok {
		return i18n.T("sync.stream_down", ward)
	}
	return i18n.T("sync.stream_up")
}

func (s *syncScreen) enrol() {
	url, code, fp := s.hubURL.Text, s.code.Text, s.fingerprint.Text
	s.status.SetText(i18n.T("sync.enrolling"))
	background(func(ctx context.Context) (sqlite.SyncConfig, error) {
		return syncclient.Enrol(ctx, s.store, url, code, fp, "")
	}, func(cfg sqlite.SyncConfig, err error) {
		if err != nil {
			s.status.SetText(i18n.Error(err))
			return
		}
		s.code.SetText("")
		s.status.SetText(i18n.T("sync.enrol_done", cfg.District))
		s.refresh()
	})
}

// syncNow runs one sync in the background; the UI stays live and Cancel
// stops it (a page being applied rolls back whole).
func (s *syncScreen) syncNow() {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return
	}
	s.running = true
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.mu.Unlock()
	s.syncBtn.Disable()
	s.cancelBtn.Enable()
	s.progress.Show()
	s.progress.Start()
	s.status.SetText(i18n.T("sync.running"))
	work := func() (syncclient.Report, error) {
		c, err := syncclient.New(ctx, s.store)
		if err != nil {
			return syncclient.Report{}, err
		}
		c.Progress = func(p syncclient.Progress) {
			msg := i18n.T("sync.progress."+p.Stage, p.Ward, p.Rows)
			if inline {
				s.status.SetText(msg)
			} else {
				fyne.Do(func() { s.status.SetText(msg) })
			}
		}
		return c.Sync(ctx)
	}
	done := func(rep syncclient.Report, err error) {
		s.mu.Lock()
		s.running, s.cancel = false, nil
		s.mu.Unlock()
		cancel()
		s.progress.Stop()
		s.progress.Hide()
		s.cancelBtn.Disable()
		s.syncBtn.Enable()
		if err != nil {
			s.status.SetText(i18n.Error(err))
		} else {
			var pulled int64
			for _, n := range rep.Pulled {
				pulled += n
			}
			s.status.SetText(i18n.T("sync.done", rep.Pushed, pulled, rep.Conflicts))
		}
		s.refresh()
	}
	if inline {
		done(work())
		return
	}
	go func() {
		rep, err := work()
		fyne.Do(func() { done(rep, err) })
	}()
}

func (s *syncScreen) cancelSync() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *syncScreen) setAuto(on bool) {
	background(func(ctx context.Context) (struct{}, error) {
		cfg, err := s.store.SyncConfig(ctx)
		if err != nil {
			return struct{}{}, err
		}
		cfg.AutoSync = on
		return struct{}{}, s.store.SetSyncConfig(ctx, cfg)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.status.SetText(i18n.Error(err))
			return
		}
		if on {
			s.startAuto()
		} else {
			s.stopAuto()
		}
	})
}

// startAuto starts the background loop once; it triggers a sync now and
// then every autoSyncEvery.
func (s *syncScreen) startAuto() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopBg != nil || inline {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stopBg = cancel
	go func() {
		t := time.NewTicker(autoSyncEvery)
		defer t.Stop()
		for {
			fyne.Do(s.syncNow)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (s *syncScreen) stopAuto() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopBg != nil {
		s.stopBg()
		s.stopBg = nil
	}
}

func (s *syncScreen) resolve(takeDevice bool) {
	if s.selected < 0 || s.selected >= len(s.conflicts) {
		return
	}
	c := s.conflicts[s.selected]
	background(func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.store.ResolveConflict(ctx, c.ID, takeDevice, i18n.T("sync.resolver"))
	}, func(_ struct{}, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.refresh()
	})
}

func (s *syncScreen) exportBundle() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		background(func(ctx context.Context) (syncclient.BundleReport, error) {
			return syncclient.ExportBundle(ctx, s.store, path)
		}, func(rep syncclient.BundleReport, err error) {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			s.status.SetText(i18n.T("sync.bundle_exported", path, rep.Rows))
		})
	}, s.win)
	d.SetFileName(fmt.Sprintf("qrward-%s%s", time.Now().Format("20060102-1504"), bundleExt))
	d.Show()
}

const bundleExt = ".qrb"

func (s *syncScreen) importBundle() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		s.importBundleFile(path)
	}, s.win)
}

// importBundleFile applies a bundle from the hub in the background.
func (s *syncScreen) importBundleFile(path string) {
	background(func(ctx context.Context) (syncclient.BundleReport, error) {
		return syncclient.ImportBundle(ctx, s.store, path)
	}, func(rep syncclient.BundleReport, err error) {
		if err != nil {
			s.status.SetText(i18n.Error(err))
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		if rep.Already {
			s.status.SetText(i18n.T("sync.bundle_already"))
		} else {
			var n int64
			for _, x := range rep.Applied {
				n += x
			}
			s.status.SetText(i18n.T("sync.bundle_imported", n, len(rep.Applied)))
		}
		s.refresh()
	})
}
