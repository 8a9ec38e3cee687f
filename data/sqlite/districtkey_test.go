package sqlite

import (
	"path/filepath"
	"testing"

	"qrward/data"
)

// A person created on the district's replica is readable on a ward device
// that joined the district key, after its row travels (as sync does).
func TestDistrictKeySharedAcrossDevices(t *testing.T) {
	ctx := t.Context()
	district := setUp(t, filepath.Join(t.TempDir(), "district.db"))
	defer district.Close()
	p := &data.Person{FullName: "Ngô Thị Hồng", Phone: "0905246810"}
	if err := district.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := district.SetupOffice(ctx, "UBND quận Hải Châu", "492", data.User{Username: "admin", DisplayName: "Quản trị"}, adminPass); err != nil {
		t.Fatal(err)
	}
	file, err := district.ExportDataKey(ctx, "chuyển giao khóa 2021")
	if err != nil {
		t.Fatal(err)
	}

	ward := setUp(t, filepath.Join(t.TempDir(), "ward.db"))
	defer ward.Close()
	local := &data.Person{FullName: "Phan Văn Lộc", Phone: "0935135790"} // made before joining
	if err := ward.CreatePerson(ctx, local); err != nil {
		t.Fatal(err)
	}
	if err := ward.JoinDistrictKey(ctx, file, "sai mật khẩu chuyển giao"); data.ErrorCode(err) != data.EUnauthorized {
		t.Fatalf("wrong transfer passphrase: %v", err)
	}
	if err := ward.JoinDistrictKey(ctx, file, "chuyển giao khóa 2021"); err != nil {
		t.Fatal(err)
	}
	// The district's row, as a pull would apply it: ciphertext and tags untouched.
	var pii, phoneBI, nameBI []byte
	district.ro.QueryRow(`SELECT pii, phone_bi, name_bi FROM person WHERE id = ?`, p.ID).Scan(&pii, &phoneBI, &nameBI)
	if _, err := ward.rw.Exec(`INSERT INTO person(id, pii, phone_bi, name_bi, device_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)`,
		p.ID, pii, phoneBI, nameBI, district.DeviceID()); err != nil {
		t.Fatal(err)
	}
	got, err := ward.FindPeople(ctx, PersonQuery{Phone: "0905246810"})
	if err != nil || len(got) != 1 || got[0].FullName != "Ngô Thị Hồng" {
		t.Errorf("district person on the ward device: %+v %v", got, err)
	}
	// The ward's own earlier person was re-encrypted, not lost.
	if got, _ := ward.FindPeople(ctx, PersonQuery{Name: "phan van loc"}); len(got) != 1 {
		t.Error("person made before joining is unreadable")
	}
	// After set-up, joining is refused (users' wraps would be orphaned).
	if _, err := ward.SetupOffice(ctx, "UBND phường Hải Châu I", "20236", data.User{Username: "lan", DisplayName: "Lan"}, adminPass); err != nil {
		t.Fatal(err)
	}
	if err := ward.JoinDistrictKey(ctx, file, "chuyển giao khóa 2021"); data.ErrorCode(err) != data.EConflict {
		t.Errorf("join after set-up: %v", err)
	}
}
