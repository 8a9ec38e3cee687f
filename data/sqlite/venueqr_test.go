package sqlite

import (
	"strings"
	"testing"
	"time"

	"qrward/data"
	"qrward/scan"
)

func TestIssueVerifyAndRevokeVenueQR(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	day := time.Date(2021, 9, 1, 9, 0, 0, 0, time.Local)
	s.Now = func() time.Time { return day }
	if _, err := s.OfficeKey(ctx, []byte("whatever1")); data.ErrorCode(err) != data.ENotFound {
		t.Fatalf("no key yet: %v", err)
	}
	if _, err := s.CreateOfficeKey(ctx, "UBND phường Hải Châu I", "20236", []byte("short")); fieldKeys(err)["passphrase"] != "err.passphrase_short" {
		t.Fatalf("short passphrase accepted: %v", err)
	}
	if _, err := s.CreateOfficeKey(ctx, "UBND phường Hải Châu I", "20236", []byte("mật khẩu dài")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OfficeKey(ctx, []byte("sai mật khẩu")); data.ErrorCode(err) != data.EUnauthorized {
		t.Fatalf("wrong passphrase: %v", err)
	}
	key, err := s.OfficeKey(ctx, []byte("mật khẩu dài"))
	if err != nil {
		t.Fatal(err)
	}
	v := validVenue("Nhà hàng Phố Biển")
	other := validVenue("Cà phê Sáng")
	for _, x := range []*data.Venue{v, other} {
		if err := s.CreateVenue(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	issued, first, err := s.IssueVenueQR(ctx, v.ID, key)
	if err != nil || issued.QRSerial != 1 || !strings.HasPrefix(first, "QRW") {
		t.Fatalf("issue: %+v %q %v", issued, first, err)
	}
	kr, err := s.Keyring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	here := [16]byte(v.ID)
	if got := scan.VerifyVenueCode(first, kr, scan.Expectation{VenueID: &here, Issues: s}); got.Status != scan.VerdictGenuine {
		t.Errorf("fresh poster: %v", got.Status)
	}
	elsewhere := [16]byte(other.ID)
	if got := scan.VerifyVenueCode(first, kr, scan.Expectation{VenueID: &elsewhere, Issues: s}); got.Status != scan.VerdictOtherVenue {
		t.Errorf("poster at another venue: %v", got.Status)
	}
	// Re-issue the next day: the first poster is now revoked.
	s.Now = func() time.Time { return day.AddDate(0, 0, 1) }
	_, second, err := s.IssueVenueQR(ctx, v.ID, key)
	if err != nil {
		t.Fatal(err)
	}
	if got := scan.VerifyVenueCode(first, kr, scan.Expectation{VenueID: &here, Issues: s}); got.Status != scan.VerdictRevoked {
		t.Errorf("old poster after re-issue: %v", got.Status)
	}
	if got := scan.VerifyVenueCode(second, kr, scan.Expectation{VenueID: &here, Issues: s}); got.Status != scan.VerdictGenuine {
		t.Errorf("new poster: %v", got.Status)
	}
	// A poster signed by an office we do not know.
	stranger, _ := scan.OfficeKeyFromSeed(make([]byte, 32))
	forged, _ := scan.EncodeVenueCode(scan.VenueCodeFields{VenueID: here, WardCode: "20236", ShortName: "X", IssueDate: day}, stranger)
	if got := scan.VerifyVenueCode(forged, kr, scan.Expectation{VenueID: &here, Issues: s}); got.Status != scan.VerdictUnknownIssuer {
		t.Errorf("unknown issuer: %v", got.Status)
	}
	// Other offices' public keys are importable.
	line, _ := stranger.TrustedKey("UBND phường Thạch Thang", "20233").MarshalText()
	if n, err := s.ImportTrustedKeys(ctx, "# từ quận\n"+string(line)+"\n"); err != nil || n != 1 {
		t.Fatalf("import: %d %v", n, err)
	}
	kr, _ = s.Keyring(ctx)
	if got := scan.VerifyVenueCode(forged, kr, scan.Expectation{}); got.Status != scan.VerdictGenuine {
		t.Errorf("imported issuer: %v", got.Status)
	}
	if _, err := s.ImportTrustedKeys(ctx, "not a key"); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("bad key line: %v", err)
	}
}
