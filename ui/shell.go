package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
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
	s.venues = newVenuesScreen(s.store, s.win)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.T("nav.venues"), theme.HomeIcon(), s.venues.content),
		container.NewTabItemWithIcon(i18n.T("nav.scan"), theme.SearchIcon(), comingSoon("coming.scan")),
		container.NewTabItemWithIcon(i18n.T("nav.inspections"), theme.ListIcon(), comingSoon("coming.inspections")),
		container.NewTabItemWithIcon(i18n.T("nav.violations"), theme.WarningIcon(), comingSoon("coming.violations")),
		container.NewTabItemWithIcon(i18n.T("nav.tracing"), theme.AccountIcon(), comingSoon("coming.tracing")),
		container.NewTabItemWithIcon(i18n.T("nav.reports"), theme.DocumentIcon(), comingSoon("coming.reports")),
		container.NewTabItemWithIcon(i18n.T("nav.sync"), theme.ViewRefreshIcon(), comingSoon("coming.sync")),
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

// rebuild redraws every screen (after a language or replica change).
func (s *shell) rebuild() {
	s.win.SetTitle(i18n.T("app.title"))
	s.win.SetContent(s.content())
}

// comingSoon is the placeholder of a screen a later release builds.
func comingSoon(key string) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(i18n.T("coming.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(i18n.T(key))
	text.Wrapping = fyne.TextWrapWord
	return container.NewPadded(container.NewVBox(title, text))
}
