package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"qrward/assets"
	"qrward/assets/i18n"
	"qrward/data/sqlite"
)

// AppID identifies qrward to the OS (preferences, settings folder); it
// matches FyneApp.toml.
const AppID = "vn.qrward.desktop"

const (
	prefLanguage    = "language"
	prefLastReplica = "lastReplica"
)

// LastReplica returns the replica the user opened last ("" if none). It
// reads the app's preferences, so the CLI can default to the same file.
func LastReplica(a fyne.App) string { return a.Preferences().String(prefLastReplica) }

// Run opens the main window on the replica at path (or the last one
// opened when path is "") and blocks until the window closes.
func Run(path string) error {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	if path == "" {
		path = LastReplica(a)
	}
	if path == "" {
		path = sqlite.DefaultPath()
	}
	useLanguage(a.Preferences().StringWithFallback(prefLanguage, "vi"))
	store, err := sqlite.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %s", path, i18n.Error(err))
	}
	a.Preferences().SetString(prefLastReplica, path)
	w := a.NewWindow(i18n.T("app.title"))
	sh := newShell(a, w, store)
	w.SetContent(sh.content())
	w.Resize(fyne.NewSize(1366, 768))
	// Ctrl+L locks at once (leaving the laptop during a visit).
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { sh.lock() })
	w.Canvas().SetOnTypedKey(func(*fyne.KeyEvent) { sh.touch() })
	sh.watchIdle()
	go purgeDaily(store)
	w.SetOnClosed(func() {
		sh.stop()
		sh.store.Close()
	})
	w.ShowAndRun()
	return nil
}

// useLanguage switches qrward's text and Fyne's own dialog strings. Fyne
// picks translations by OS locale and cannot be forced, so the chosen
// language is registered under both locales we may run in.
func useLanguage(code string) {
	i18n.SetLanguage(code)
	table, err := i18n.Table(i18n.Language())
	if err != nil {
		log.Printf("translations: %v", err)
		return
	}
	b, _ := json.Marshal(table)
	for _, locale := range []string{"en", "vi"} {
		if err := lang.AddTranslationsForLocale(b, fyne.Locale(locale)); err != nil {
			log.Printf("translations for Fyne: %v", err)
		}
	}
}

// inline makes background run work and done in the caller. Headless
// tests set it: Fyne's test driver runs fyne.Do callbacks on the calling
// goroutine, so a real background goroutine would race the test.
var inline bool

// background runs slow work off the UI thread and hands its result back
// on the UI thread.
func background[T any](work func(ctx context.Context) (T, error), done func(T, error)) {
	if inline {
		done(work(context.Background()))
		return
	}
	go func() {
		v, err := work(context.Background())
		fyne.Do(func() { done(v, err) })
	}()
}

// purgeDaily deletes data past its retention period at start and then
// every day, whether or not anyone is signed in.
func purgeDaily(store *sqlite.Store) {
	for {
		if _, err := store.Purge(context.Background()); err != nil {
			log.Printf("retention purge: %s", i18n.Error(err))
		}
		time.Sleep(24 * time.Hour)
	}
}
