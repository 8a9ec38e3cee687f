package ui

import (
	"bytes"
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"qrward/data/inspect"
	"qrward/data/inspect/printout"
	"qrward/data/sqlite"
)

// saveDocumentPDF renders an official document (the same PDF as
// "qrward print …") and saves it where the user chooses.
func saveDocumentPDF(win fyne.Window, store *sqlite.Store, d inspect.Document) {
	save := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		var buf bytes.Buffer
		if err := printout.Write(context.Background(), store, &buf, d); err != nil {
			dialog.ShowError(errorFor(err), win)
			return
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			dialog.ShowError(errorFor(err), win)
		}
	}, win)
	save.SetFileName(d.Kind + "-" + fmtInt(int64(d.Number)) + "-" + fmtInt(int64(d.Year)) + ".pdf")
	save.Show()
}
