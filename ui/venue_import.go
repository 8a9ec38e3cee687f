package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/protect"
	"qrward/data/venuefile"
)

// progressDialog shows a bar for long work, updated from any goroutine.
type progressDialog struct {
	bar   *widget.ProgressBar
	label *widget.Label
	dlg   dialog.Dialog
}

func newProgressDialog(title, text string, win fyne.Window, cancel func()) *progressDialog {
	p := &progressDialog{bar: widget.NewProgressBar(), label: widget.NewLabel(text)}
	btn := widget.NewButton(i18n.T("form.cancel"), cancel)
	p.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(p.label, p.bar, btn), win)
	p.dlg.Resize(fyne.NewSize(420, 160))
	p.dlg.Show()
	return p
}

// set moves the bar; safe from worker goroutines.
func (p *progressDialog) set(text string, done, total int) {
	fyne.Do(func() {
		p.label.SetText(text)
		if total > 0 {
			p.bar.SetValue(float64(done) / float64(total))
		}
	})
}

// importFile reads a CSV/XLSX file, previews every row with its problems
// and writes nothing until the user confirms; the save is one transaction.
func (s *venuesScreen) importFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		name := r.URI().Name()
		format, err := venuefile.FormatFromName(name)
		if err != nil {
			r.Close()
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		p := newProgressDialog(i18n.T("import.title"), i18n.T("import.reading", name), s.win, cancel)
		go func() {
			defer r.Close()
			preview, err := venuefile.Read(r, format, s.store.Units(), venuefile.ReadOptions{Context: ctx,
				Progress: func(done, total int) { p.set(i18n.T("import.rows", done, total), done, total) }})
			if err == nil {
				taken := map[string]bool{}
				for i := 0; i < s.index.Len(); i++ {
					taken[s.index.Row(i).Code] = true
				}
				preview.CheckExisting(func(code string) bool { return taken[code] })
			}
			fyne.Do(func() {
				p.dlg.Hide()
				if err != nil {
					dialog.ShowError(errorFor(err), s.win)
					return
				}
				s.showPreview(name, preview)
			})
		}()
	}, s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".xlsx", ".CSV", ".XLSX"}))
	d.Show()
}

// showPreview lists the file's rows, errors first, and offers the import.
func (s *venuesScreen) showPreview(name string, p *venuefile.Preview) {
	rows := p.Rows
	order := make([]int, 0, len(rows))
	for i := range rows { // rows with problems first, so they are seen
		if !rows[i].OK() {
			order = append(order, i)
		}
	}
	for i := range rows {
		if rows[i].OK() {
			order = append(order, i)
		}
	}
	headers := []string{i18n.T("import.col.line"), i18n.T("field.name"), i18n.T("field.ward"), i18n.T("field.owner_phone"), i18n.T("import.col.problems")}
	table := widget.NewTable(
		func() (int, int) { return len(order) + 1, len(headers) },
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Truncation = fyne.TextTruncateEllipsis; return l },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle = fyne.TextStyle{Bold: id.Row == 0}
			l.Importance = widget.MediumImportance
			if id.Row == 0 {
				l.SetText(headers[id.Col])
				return
			}
			r := rows[order[id.Row-1]]
			switch id.Col {
			case 0:
				l.SetText(fmt.Sprint(r.Line))
			case 1:
				l.SetText(r.Venue.Name)
			case 2:
				l.SetText(r.Venue.WardCode)
			case 3:
				l.SetText(r.Venue.OwnerPhone)
			case 4:
				msgs := make([]string, len(r.Problems))
				for i, pr := range r.Problems {
					msgs[i] = i18n.T("field."+pr.Field) + ": " + i18n.Field(pr)
				}
				l.SetText(strings.Join(msgs, "; "))
				if len(msgs) > 0 {
					l.Importance = widget.DangerImportance
				}
			}
			l.Refresh()
		})
	for col, w := range []float32{60, 240, 80, 120, 520} {
		table.SetColumnWidth(col, w)
	}
	valid := p.Valid()
	bad := p.ErrorCount()
	summary := widget.NewLabel(i18n.T("import.summary", len(valid), bad))
	var dlg dialog.Dialog
	confirmText := i18n.T("import.confirm", len(valid))
	if bad > 0 {
		confirmText = i18n.T("import.confirm_skip", len(valid), bad)
	}
	confirm := widget.NewButton(confirmText, func() { dlg.Hide(); s.saveImport(valid) })
	confirm.Importance = widget.HighImportance
	if len(valid) == 0 {
		confirm.SetText(i18n.T("import.nothing"))
		confirm.Disable()
	}
	cancel := widget.NewButton(i18n.T("form.cancel"), func() { dlg.Hide() })
	content := container.NewBorder(summary, container.NewHBox(layoutSpacer(), cancel, confirm), nil, nil, table)
	dlg = dialog.NewCustomWithoutButtons(i18n.T("import.title")+": "+name, content, s.win)
	dlg.Resize(fyne.NewSize(1100, 620))
	dlg.Show()
}

// saveImport writes the confirmed venues in one transaction, with a bar.
func (s *venuesScreen) saveImport(venues []data.Venue) {
	ctx, cancel := context.WithCancel(context.Background())
	p := newProgressDialog(i18n.T("import.title"), i18n.T("import.saving", 0, len(venues)), s.win, cancel)
	go func() {
		err := s.store.ImportVenues(ctx, venues, func(done, total int) {
			if done%200 == 0 || done == total {
				p.set(i18n.T("import.saving", done, total), done, total)
			}
		})
		fyne.Do(func() {
			p.dlg.Hide()
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			dialog.ShowInformation(i18n.T("import.ok"), i18n.T("import.done", len(venues)), s.win)
			s.reload(data.NilID)
		})
	}()
}

// saveFile asks for a destination and streams write into it. A file with
// personal data going to a USB stick or memory card is confirmed first.
func (s *venuesScreen) saveFile(suggested string, personal bool, write func(w io.Writer, format venuefile.Format) (string, error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		format, err := venuefile.FormatFromName(wc.URI().Name())
		if err != nil {
			wc.Close()
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		if !personal {
			s.writeFile(wc, format, write)
			return
		}
		confirmRemovable(s.win, wc.URI().Path(), func() { s.writeFile(wc, format, write) })
	}, s.win)
	if personal {
		suggested = protect.PersonalFileName(suggested)
	}
	d.SetFileName(suggested)
	d.Show()
}

// writeFile runs write into wc off the UI thread and reports the result.
func (s *venuesScreen) writeFile(wc fyne.URIWriteCloser, format venuefile.Format, write func(w io.Writer, format venuefile.Format) (string, error)) {
	path := wc.URI().Path()
	go func() {
		msg, err := write(wc, format)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(errorFor(err), s.win)
				return
			}
			dialog.ShowInformation(i18n.T("import.ok"), msg+"\n"+path, s.win)
		})
	}()
}

func (s *venuesScreen) saveTemplate() {
	s.saveFile("mau-nhap-dia-diem.xlsx", false, func(w io.Writer, f venuefile.Format) (string, error) {
		return i18n.T("template.done", ""), venuefile.WriteTemplate(w, f)
	})
}

func (s *venuesScreen) export() {
	personal := s.store.Require(data.PermViewPersonal) == nil // owners' names and phones
	s.saveFile("danh-sach-dia-diem.xlsx", personal, func(w io.Writer, f venuefile.Format) (string, error) {
		n := 0
		err := venuefile.Export(w, f, s.exportRows(&n), s.wardName)
		if err == nil {
			err = s.store.Audit(context.Background(), "export_venues", "venue", "", fmt.Sprintf(`{"rows":%d}`, n))
		}
		return i18n.T("export.done", n, ""), err
	})
}

// exportRows yields the venues currently listed (the filter applies).
func (s *venuesScreen) exportRows(n *int) func() (data.Venue, bool, error) {
	hits, idx := s.hits, s.index
	i := 0
	return func() (data.Venue, bool, error) {
		if i >= len(hits) {
			return data.Venue{}, false, nil
		}
		v, err := s.store.Venue(context.Background(), idx.Row(hits[i]).ID)
		i++
		*n++
		return v, err == nil, err
	}
}

func (s *venuesScreen) wardName(code string) string {
	if w, ok := s.store.Units().Ward(code); ok {
		return w.FullName()
	}
	return ""
}
