package ui

import (
	"bytes"
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/posters"
	"qrward/reports"
)

// printQR is "In mã QR": posters for one venue or the listed venues. The
// office key is unlocked once per session with its passphrase; an office
// without a key is offered to create one.
func (s *venuesScreen) printQR(ids []data.ID) {
	if len(ids) == 0 {
		dialog.ShowInformation(i18n.T("print.title"), i18n.Error(data.Errorf(data.EInvalid, "err.posters_none")), s.win)
		return
	}
	if s.officeKey != nil {
		s.askPosterOptions(ids)
		return
	}
	has, err := s.store.HasOfficeKey(context.Background())
	if err != nil {
		dialog.ShowError(errorFor(err), s.win)
		return
	}
	if !has {
		s.createOfficeKey(func() { s.printQR(ids) })
		return
	}
	pass := widget.NewPasswordEntry()
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Hide()
	var dlg dialog.Dialog
	unlock := func() {
		key, err := s.store.OfficeKey(context.Background(), []byte(pass.Text))
		if err != nil {
			msg.SetText(i18n.Error(err))
			msg.Show()
			return
		}
		s.officeKey = key
		dlg.Hide()
		s.askPosterOptions(ids)
	}
	pass.OnSubmitted = func(string) { unlock() }
	ok := widget.NewButton(i18n.T("print.unlock"), unlock)
	ok.Importance = widget.HighImportance
	body := container.NewVBox(widget.NewLabel(i18n.T("print.passphrase_prompt")), pass, msg,
		container.NewHBox(layoutSpacer(), widget.NewButton(i18n.T("form.cancel"), func() { dlg.Hide() }), ok))
	dlg = dialog.NewCustomWithoutButtons(i18n.T("print.title"), body, s.win)
	dlg.Resize(fyne.NewSize(460, 200))
	dlg.Show()
	s.win.Canvas().Focus(pass)
}

// createOfficeKey asks for the office name, its ward and a passphrase
// (twice), then creates the signing key.
func (s *venuesScreen) createOfficeKey(then func()) {
	office := widget.NewEntry()
	name, _ := s.store.Setting(context.Background(), "office.name")
	office.SetText(name)
	wards := wardChoices(s.store.Units().Wards())
	ward := widget.NewSelect(labels(wards), nil)
	ward.PlaceHolder = i18n.T("form.select")
	p1, p2 := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	msg.Hide()
	var dlg dialog.Dialog
	create := func() {
		if p1.Text != p2.Text {
			msg.SetText(i18n.T("err.passphrase_mismatch"))
			msg.Show()
			return
		}
		key, err := s.store.CreateOfficeKey(context.Background(), office.Text, keyOf(wards, ward.Selected), []byte(p1.Text))
		if err != nil {
			msg.SetText(i18n.Error(err))
			msg.Show()
			return
		}
		s.officeKey = key
		dlg.Hide()
		then()
	}
	ok := widget.NewButton(i18n.T("print.create_key"), create)
	ok.Importance = widget.HighImportance
	body := container.NewVBox(
		wrapped(i18n.T("print.no_key")),
		heading("field.office_name"), office, heading("field.ward"), ward,
		heading("field.passphrase"), p1, heading("print.passphrase_again"), p2, msg,
		container.NewHBox(layoutSpacer(), widget.NewButton(i18n.T("form.cancel"), func() { dlg.Hide() }), ok))
	dlg = dialog.NewCustomWithoutButtons(i18n.T("print.title"), body, s.win)
	dlg.Resize(fyne.NewSize(560, 520))
	dlg.Show()
}

// askPosterOptions chooses paper and re-issue, then the destination file.
func (s *venuesScreen) askPosterOptions(ids []data.ID) {
	sizes := []choice{{"a4", "A4"}, {"a5", "A5"}}
	size := widget.NewRadioGroup(labels(sizes), nil)
	size.Horizontal = true
	size.SetSelected("A4")
	reissue := widget.NewCheck(i18n.T("print.reissue"), nil)
	var dlg dialog.Dialog
	next := widget.NewButton(i18n.T("print.choose_file"), func() {
		dlg.Hide()
		req := posters.Request{Venues: ids, Reissue: reissue.Checked, Size: reports.PaperA4}
		if keyOf(sizes, size.Selected) == "a5" {
			req.Size = reports.PaperA5
		}
		s.writePosters(req)
	})
	next.Importance = widget.HighImportance
	body := container.NewVBox(wrapped(i18n.T("print.count", len(ids))), size, reissue,
		container.NewHBox(layoutSpacer(), widget.NewButton(i18n.T("form.cancel"), func() { dlg.Hide() }), next))
	dlg = dialog.NewCustomWithoutButtons(i18n.T("print.title"), body, s.win)
	dlg.Show()
}

// writePosters renders the PDF with a progress bar and saves it.
func (s *venuesScreen) writePosters(req posters.Request) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		p := newProgressDialog(i18n.T("print.title"), i18n.T("print.progress", 0, len(req.Venues)), s.win, cancel)
		key := s.officeKey
		req.Progress = func(done, total int) { p.set(i18n.T("print.progress", done, total), done, total) }
		go func() {
			var buf bytes.Buffer
			err := posters.Write(ctx, s.store, key, req, &buf)
			if err == nil {
				_, err = buf.WriteTo(wc)
			}
			if cerr := wc.Close(); err == nil {
				err = cerr
			}
			fyne.Do(func() {
				p.dlg.Hide()
				if err != nil {
					dialog.ShowError(errorFor(err), s.win)
					return
				}
				dialog.ShowInformation(i18n.T("print.title"), i18n.T("print.done", len(req.Venues), wc.URI().Path()), s.win)
				s.reload(data.NilID)
			})
		}()
	}, s.win)
	d.SetFileName("ma-qr-dia-diem.pdf")
	d.Show()
}

// listedIDs are the venues the list currently shows.
func (s *venuesScreen) listedIDs() []data.ID {
	ids := make([]data.ID, len(s.hits))
	for i, h := range s.hits {
		ids[i] = s.index.Row(h).ID
	}
	return ids
}
