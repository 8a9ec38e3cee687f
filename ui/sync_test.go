package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
)

func newSyncTestScreen(t *testing.T) (*syncScreen, *sqlite.Store) {
	t.Helper()
	i18n.SetLanguage("vi")
	inline = true
	test.NewTempApp(t)
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "sync.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	w := test.NewTempWindow(t, nil)
	s := newSyncScreen(store, w)
	w.SetContent(s.content)
	w.Resize(fyne.NewSize(1366, 768))
	return s, store
}

func TestSyncScreenNotEnrolled(t *testing.T) {
	s, store := newSyncTestScreen(t)
	if s.enrolInfo.Text != i18n.T("sync.not_enrolled") || !s.syncBtn.Disabled() {
		t.Fatalf("not enrolled: %q, sync enabled=%v", s.enrolInfo.Text, !s.syncBtn.Disabled())
	}
	v := &data.Venue{Name: "Chợ Hàn", Category: "market", Address: "119 Trần Phú", WardCode: "20236",
		OwnerName: "Lê Thị Hồng", OwnerPhone: "0905123456"}
	if err := store.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	s.refresh()
	// The venue and its owner wait in the outbox.
	if s.pending.Text != i18n.T("sync.pending", 2) {
		t.Fatalf("pending = %q", s.pending.Text)
	}
	// A wrong hub address is refused with a Vietnamese message naming it.
	test.Type(s.hubURL, "ftp://quan")
	test.Type(s.code, "ABCD-EFGH-JKLM")
	s.enrol()
	if !strings.Contains(s.status.Text, "ftp://quan") || !strings.Contains(s.status.Text, "máy chủ") {
		t.Fatalf("bad address message: %q", s.status.Text)
	}
	// Importing a file that is not a bundle says so.
	bad := filepath.Join(t.TempDir(), "x.qrb")
	if err := writeFile(bad, "hello"); err != nil {
		t.Fatal(err)
	}
	if err := store.SetSyncConfig(t.Context(), sqlite.SyncConfig{HubURL: "https://h", Token: "t", District: "492",
		Wards: []string{"20236"}, Role: "district", HubSignPublic: "x", HubRecipient: "y"}); err != nil {
		t.Fatal(err)
	}
	s.refresh()
	if s.conflictBox.Hidden || s.syncBtn.Disabled() {
		t.Fatal("a district device must see the conflict list and be able to sync")
	}
	s.importBundleFile(bad)
	if !strings.Contains(s.status.Text, bad) {
		t.Fatalf("not a bundle: %q", s.status.Text)
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }
