package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data/sqlite"
)

// settingsScreen is "Cài đặt": language and the replica in use.
type settingsScreen struct {
	shell   *shell
	content fyne.CanvasObject
}

func newSettingsScreen(sh *shell) *settingsScreen {
	s := &settingsScreen{shell: sh}
	langs := []choice{{"vi", i18n.T("settings.language.vi")}, {"en", i18n.T("settings.language.en")}}
	langSel := widget.NewSelect(labels(langs), nil)
	langSel.SetSelected(labelOf(langs, i18n.Language()))
	langSel.OnChanged = func(label string) {
		code := keyOf(langs, label)
		if code == i18n.Language() {
			return
		}
		sh.app.Preferences().SetString(prefLanguage, code)
		useLanguage(code)
		sh.rebuild()
		sh.tabs.SelectIndex(len(sh.tabs.Items) - 1)
	}

	info := widget.NewLabel("")
	info.Wrapping = fyne.TextWrapWord
	s.describe(info)
	open := widget.NewButton(i18n.T("settings.open_replica"), s.openReplica)
	objects := []fyne.CanvasObject{heading("settings.language"), langSel,
		heading("settings.replica"), widget.NewLabel(sh.store.Path()), info, open}
	if sess := sh.store.Session(); sess != nil {
		lock := widget.NewButton(i18n.T("settings.lock"), sh.lock)
		objects = append(objects, heading("settings.account"),
			widget.NewLabel(i18n.T("settings.signed_in", sess.User.DisplayName, i18n.T("role."+string(sess.User.Role)))), lock)
	}
	objects = append(objects, newOutbreakAreas(sh.store).content)
	if audit := newAuditView(sh.store); audit != nil {
		objects = append(objects, audit.content)
	}
	s.content = container.NewVScroll(container.NewPadded(container.NewVBox(objects...)))
	return s
}

// describe fills the replica summary off the UI thread.
func (s *settingsScreen) describe(info *widget.Label) {
	st := s.shell.store
	background(func(ctx context.Context) (string, error) {
		c, err := st.Counts(ctx)
		if err != nil {
			return "", err
		}
		v, _ := st.SchemaVersion(ctx)
		office, _ := st.Setting(ctx, "office.name")
		text := i18n.T("settings.replica_info", c.Wards, c.Venues, c.Checkins, c.Outbox) + "\n" +
			i18n.T("settings.units", st.Units().Dataset) + "\n" +
			i18n.T("settings.schema", v) + "\n" + i18n.T("settings.device", st.DeviceID().String())
		if office != "" {
			text += "\n" + i18n.T("settings.office", office)
		}
		return text, nil
	}, func(text string, err error) {
		if err != nil {
			text = i18n.Error(err)
		}
		info.SetText(text)
	})
}

// openReplica switches the window to another replica file.
func (s *settingsScreen) openReplica() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		store, err := sqlite.Open(path)
		if err != nil {
			dialog.ShowError(fmt.Errorf("%s: %s", path, i18n.Error(err)), s.shell.win)
			return
		}
		s.shell.store.Close()
		s.shell.store = store
		s.shell.app.Preferences().SetString(prefLastReplica, path)
		s.shell.rebuild()
	}, s.shell.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".sqlite"}))
	d.Show()
}
