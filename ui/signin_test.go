package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
)

func init() { sqlite.SetTestKDF() }

func TestSetupBannerThenSignInAndLock(t *testing.T) {
	_, _, store := newTestScreen(t)
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	sh := newShell(a, w, store)
	// Given a replica in set-up mode, the window warns that data is unprotected.
	sh.rebuild()
	if !contains(renderedLabels(w), i18n.T("setup.banner")) {
		t.Fatal("set-up banner missing")
	}
	// When the office is set up, the banner goes and locking shows the sign-in screen.
	if _, err := store.SetupOffice(t.Context(), "UBND phường Hải Châu I", "20236",
		data.User{Username: "lan", DisplayName: "Nguyễn Thị Lan"}, "mật khẩu của Lan"); err != nil {
		t.Fatal(err)
	}
	sh.rebuild()
	if contains(renderedLabels(w), i18n.T("setup.banner")) {
		t.Error("banner still shown after set-up")
	}
	sh.lock()
	if sh.tabs != nil && contains(renderedLabels(w), "Chợ Hàn") {
		t.Fatal("venues visible while locked")
	}
	signin := newSignInScreen(sh, sh.rebuild)
	w.SetContent(signin.content)
	test.Type(signin.username, "lan")
	test.Type(signin.pass, "sai mật khẩu")
	signin.submit()
	if !signin.message.Visible() || signin.message.Text != i18n.T("err.signin_failed") {
		t.Errorf("wrong passphrase message %q", signin.message.Text)
	}
	test.Type(signin.pass, "mật khẩu của Lan")
	signin.submit()
	if store.Locked() || store.Session().User.Username != "lan" {
		t.Fatal("not signed in")
	}
	if !contains(renderedLabels(w), "Chợ Hàn") {
		t.Error("venues not shown after sign-in")
	}
}

func TestAuditViewForAdministratorsOnly(t *testing.T) {
	_, _, store := newTestScreen(t)
	if newAuditView(store) != nil {
		t.Error("audit view shown in set-up mode (nobody signed in)")
	}
	if _, err := store.SetupOffice(t.Context(), "UBND phường Hải Châu I", "20236",
		data.User{Username: "lan", DisplayName: "Lan"}, "mật khẩu của Lan"); err != nil {
		t.Fatal(err)
	}
	a := newAuditView(store)
	if a == nil {
		t.Fatal("no audit view for the administrator")
	}
	w := test.NewTempWindow(t, a.content)
	a.verify()
	if !strings.HasPrefix(a.status.Text, "Nhật ký toàn vẹn") {
		t.Errorf("verify: %q", a.status.Text)
	}
	found := false
	for _, l := range renderedLabels(w) {
		found = found || strings.Contains(l, "setup_office")
	}
	if !found {
		t.Errorf("entries: %q", renderedLabels(w))
	}
}
