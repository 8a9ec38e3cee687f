package syncclient

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"qrward/data"
	"qrward/data/hub"
)

// Personal data leaves a device only sealed: neither the USB bundle, nor
// what the hub stores and exports upstream, holds a name or phone number
// in clear (the sealed form is the same ciphertext as in the replica).
func TestBundlesAndHubHoldNoPersonalDataInClear(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a, _ := h.enrolled(t, "a", hub.RoleWard, "20236")
	v := venue("Quán Cơm Niêu", "20236")
	v.OwnerName, v.OwnerPhone = "Trịnh Công Sơn", "0912000111"
	if err := a.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	p := &data.Person{FullName: "Khánh Ly Nguyễn", Phone: "0389765432", IDNumber: "048190123456"}
	if err := a.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := a.AddCheckin(ctx, &data.Checkin{VenueID: v.ID, PersonID: p.ID, TimeIn: a.Now(), Source: data.SourceStaffScan}); err != nil {
		t.Fatal(err)
	}
	up := filepath.Join(t.TempDir(), "a-up.qrb")
	if _, err := ExportBundle(ctx, a, up); err != nil {
		t.Fatal(err)
	}
	if _, err := h.ImportBundle(ctx, up); err != nil {
		t.Fatal(err)
	}
	var upstream bytes.Buffer
	if _, err := h.ExportUpstream(ctx, &upstream, hub.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if upstream.Len() == 0 {
		t.Fatal("empty upstream export")
	}
	bundle, _ := os.ReadFile(up)
	for _, secret := range []string{"Trịnh Công Sơn", "0912000111", "Khánh Ly", "0389765432", "048190123456", data.Fold("Trịnh Công Sơn")} {
		for name, b := range map[string][]byte{"bundle": bundle, "upstream export": upstream.Bytes()} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q in clear", name, secret)
			}
		}
	}
}
