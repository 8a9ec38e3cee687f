package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

// shell is the main window's frame: the navigation rail and the screen
// shown beside it. Switching language or replica rebuilds it.
type shell struct {
	app   fyne.App
	win   fyne.Window
	store *sqlite.Store
	tabs  *container.AppTabs

	venues *venuesScreen
	scan   *scanScreen
	sync   *syncScreen

	lastActive time.Time // for the idle lock
}

func newShell(a fyne.App, w fyne.Window, store *sqlite.Store) *shell {
	return &shell{app: a, win: w, store: store}
}

// content shows the sign-in screen while the replica is locked, else the
// rail with every screen.
func (s *shell) content() fyne.CanvasObject {
	if s.store.Locked() {
		return newSignInScreen(s, s.rebuild).content
	}
	return s.screens()
}

// screens builds the rail with every screen, Vietnamese labels first.
func (s *shell) screens() fyne.CanvasObject {
	s.stop()
	s.venues = newVenuesScreen(s.store, s.win)
	s.scan = newScanScreen(s.store, s.win)
	s.sync = newSyncScreen(s.store, s.win)
	inspections := newInspectionsScreen(s.store, s.win)
	inspections.posters = storePosters{s.store}
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.T("nav.venues"), theme.HomeIcon(), s.venues.content),
		container.NewTabItemWithIcon(i18n.T("nav.scan"), theme.SearchIcon(), s.scan.content),
		container.NewTabItemWithIcon(i18n.T("nav.inspections"), theme.ListIcon(), inspections.content),
		container.NewTabItemWithIcon(i18n.T("nav.violations"), theme.WarningIcon(), newViolationsScreen(s.store, s.win).content),
		container.NewTabItemWithIcon(i18n.T("nav.tracing"), theme.AccountIcon(), newTracingScreen(s.store, s.win).content),
		container.NewTabItemWithIcon(i18n.T("nav.reports"), theme.DocumentIcon(), newDashboardScreen(s.store, s.win).content),
		container.NewTabItemWithIcon(i18n.T("nav.sync"), theme.ViewRefreshIcon(), s.sync.content),
		container.NewTabItemWithIcon(i18n.T("nav.settings"), theme.SettingsIcon(), newSettingsScreen(s).content),
	)
	s.tabs.SetTabLocation(container.TabLocationLeading)
	s.tabs.OnSelected = func(*container.TabItem) { s.touch() }
	s.touch()
	body := container.NewStack(newActivity(s.touch), s.tabs)
	if banner := securityBanner(s); banner != nil {
		return container.NewBorder(banner, nil, nil, nil, body)
	}
	return body
}

func (s *shell) touch() { s.lastActive = time.Now() }

// lock forgets the data key and shows the sign-in screen.
func (s *shell) lock() {
	if setup, _ := s.store.SetupMode(context.Background()); setup {
		return // nothing to lock with before an administrator exists
	}
	s.store.Lock(context.Background())
	s.rebuild()
}

// watchIdle locks the window after idleLock without activity.
func (s *shell) watchIdle() {
	go func() {
		for range time.Tick(30 * time.Second) {
			fyne.Do(func() {
				if !s.store.Locked() && time.Since(s.lastActive) > idleLock {
					s.lock()
				}
			})
		}
	}()
}

// stop releases what running screens hold (the camera).
func (s *shell) stop() {
	if s.scan != nil {
		s.scan.stopCapture()
		s.scan = nil
	}
	if s.sync != nil {
		s.sync.stopAuto()
		s.sync = nil
	}
}

// rebuild redraws every screen (after a language or replica change).
func (s *shell) rebuild() {
	s.stop()
	s.win.SetTitle(i18n.T("app.title"))
	s.win.SetContent(s.content())
}

// storePosters verifies posters scanned during an inspection with the
// replica's trusted keys and issue register.
type storePosters struct{ store *sqlite.Store }

func (p storePosters) VerifyPoster(text string, venue data.ID) inspect.PosterCheck {
	kr, err := p.store.Keyring(context.Background())
	if err != nil {
		return inspect.PosterCheck{Status: inspect.PosterUnreadable, Detail: i18n.Error(err), Text: text}
	}
	c := sqlite.ClassifyPoster(text, kr, venue, p.store).Inspect()
	c.Text = text
	return c
}
