package ui

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

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
