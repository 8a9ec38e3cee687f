package ui

import (
	"context"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"qrward/assets/i18n"
	"qrward/data/protect"
)

// confirmRemovable runs write at once, unless path (a file of personal
// data the user just chose) is on a USB stick or memory card: then it asks
// first, and removes the empty file if the user declines.
func confirmRemovable(win fyne.Window, path string, write func()) {
	if !protect.OnRemovableMedia(path) {
		write()
		return
	}
	dialog.ShowConfirm(i18n.T("removable.title"), i18n.T("removable.text", path), func(ok bool) {
		if ok {
			write()
			return
		}
		os.Remove(path)
	}, win)
}

// savePersonalFile asks where to save a file of personal data, suggesting
// a name that says so (protect.PersonalFileName), confirms a removable
// destination, then runs write off the UI thread and hands its message to
// done (errors go to an error dialog).
func savePersonalFile(win fyne.Window, suggested string, write func(ctx context.Context, path string) (string, error), done func(msg string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		confirmRemovable(win, path, func() {
			background(func(ctx context.Context) (string, error) { return write(ctx, path) },
				func(msg string, err error) {
					if err != nil {
						dialog.ShowError(errorFor(err), win)
						return
					}
					done(msg)
				})
		})
	}, win)
	d.SetFileName(protect.PersonalFileName(suggested))
	d.SetFilter(storage.NewExtensionFileFilter([]string{filepath.Ext(suggested)}))
	d.Show()
}
