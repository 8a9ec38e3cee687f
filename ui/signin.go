package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
)

// idleLock is how long the window may sit unused before it locks.
const idleLock = 10 * time.Minute

// signInScreen asks for a user name and passphrase; the replica stays
// locked (no personal data, no screens) until they unlock it.
type signInScreen struct {
	content  fyne.CanvasObject
	username *widget.Entry
	pass     *widget.Entry
	message  *widget.Label
	submit   func()
}

func newSignInScreen(sh *shell, onDone func()) *signInScreen {
	s := &signInScreen{username: widget.NewEntry(), pass: widget.NewPasswordEntry(), message: widget.NewLabel("")}
	s.message.Importance = widget.DangerImportance
	s.message.Hide()
	office, _ := sh.store.Setting(context.Background(), "office.name")
	s.submit = func() {
		if _, err := sh.store.Unlock(context.Background(), s.username.Text, s.pass.Text); err != nil {
			s.pass.SetText("")
			s.message.SetText(i18n.Error(err))
			s.message.Show()
			return
		}
		onDone()
	}
	s.pass.OnSubmitted = func(string) { s.submit() }
	s.username.OnSubmitted = func(string) { sh.win.Canvas().Focus(s.pass) }
	btn := widget.NewButton(i18n.T("signin.button"), s.submit)
	btn.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(i18n.T("app.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	form := container.NewVBox(title, widget.NewLabelWithStyle(office, fyne.TextAlignCenter, fyne.TextStyle{}),
		heading("field.username"), s.username, heading("signin.passphrase"), s.pass, s.message, btn)
	s.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 380), form))
	return s
}

// securityBanner warns, in set-up mode, that personal data is not yet
// protected, and offers to set the office up.
func securityBanner(sh *shell) fyne.CanvasObject {
	setup, err := sh.store.SetupMode(context.Background())
	if err != nil || !setup {
		return nil
	}
	text := widget.NewLabel(i18n.T("setup.banner"))
	text.Importance = widget.DangerImportance
	text.Wrapping = fyne.TextWrapWord
	btn := widget.NewButton(i18n.T("setup.button"), func() { showSetupDialog(sh) })
	btn.Importance = widget.DangerImportance
	return container.NewBorder(nil, nil, nil, btn, text)
}

// showSetupDialog creates the office and its first administrator, then
// shows the recovery secret once.
func showSetupDialog(sh *shell) {
	// The office may be a district (its code first) or one of its wards.
	var units []choice
	seen := map[string]bool{}
	for _, w := range sh.store.Units().Wards() {
		if d, ok := sh.store.Units().District(w.Code); ok && !seen[d.Code] {
			seen[d.Code] = true
			units = append(units, choice{d.Code, d.FullName() + " (" + d.Code + ")"})
		}
	}
	units = append(units, wardChoices(sh.store.Units().Wards())...)
	unit := widget.NewSelect(labels(units), nil)
	unit.PlaceHolder = i18n.T("form.select")
	code, _ := sh.store.Setting(context.Background(), "office.code")
	unit.SetSelected(labelOf(units, code))
	office := widget.NewEntry()
	office.Text, _ = sh.store.Setting(context.Background(), "office.name")
	username, display := widget.NewEntry(), widget.NewEntry()
	username.SetText("admin")
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
		rec, err := sh.store.SetupOffice(context.Background(), office.Text, keyOf(units, unit.Selected),
			data.User{Username: username.Text, DisplayName: display.Text}, p1.Text)
		if err != nil {
			msg.SetText(i18n.Error(err))
			msg.Show()
			return
		}
		dlg.Hide()
		secret := widget.NewEntry()
		secret.SetText(rec)
		dialog.ShowCustom(i18n.T("setup.recovery_title"), i18n.T("setup.recovery_ok"),
			container.NewVBox(wrapped(i18n.T("setup.recovery_text")), secret), sh.win)
		sh.rebuild()
	}
	ok := widget.NewButton(i18n.T("setup.create"), create)
	ok.Importance = widget.HighImportance
	body := container.NewVBox(wrapped(i18n.T("setup.intro")),
		heading("field.office_code"), unit, heading("field.office_name"), office,
		heading("field.username"), username, heading("field.display_name"), display,
		heading("signin.passphrase"), p1, heading("print.passphrase_again"), p2, msg,
		container.NewHBox(layoutSpacer(), widget.NewButton(i18n.T("form.cancel"), func() { dlg.Hide() }), ok))
	dlg = dialog.NewCustomWithoutButtons(i18n.T("setup.title"), container.NewVScroll(body), sh.win)
	dlg.Resize(fyne.NewSize(620, 680))
	dlg.Show()
}

// activity is a transparent layer under the screens that sees the mouse
// move over the window, so the idle lock knows someone is there.
type activity struct {
	widget.BaseWidget
	touch func()
}

func newActivity(touch func()) *activity {
	a := &activity{touch: touch}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activity) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack())
}
func (a *activity) MouseIn(*desktop.MouseEvent)    { a.touch() }
func (a *activity) MouseMoved(*desktop.MouseEvent) { a.touch() }
func (a *activity) MouseOut()                      {}
