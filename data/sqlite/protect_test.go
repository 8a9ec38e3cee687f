package sqlite

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qrward/data"
)

func init() { SetTestKDF() }

const adminPass = "mật khẩu quản trị 2021"

// setUp opens a replica, adds personal data in set-up mode, then creates
// the office and its administrator.
func setUp(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if setup, _ := s.SetupMode(t.Context()); !setup {
		t.Fatal("new replica not in set-up mode")
	}
	return s
}

// Known personal values must not appear in any file qrward leaves on
// disk: the database, its WAL and shared-memory files, and the temp dir.
func TestPersonalDataIsUnreadableOnDisk(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	path := filepath.Join(dir, "secret.db")
	s := setUp(t, path)
	ctx := t.Context()
	secrets := []string{"Hoàng Thị Phương Thảo", "0912345678", "048301012345", "162979388586171100", "Kiệt 12/3 Ông Ích Khiêm"}
	v := validVenue("Quán Bún Chả Cá")
	v.OwnerName, v.OwnerPhone = "Trịnh Văn Quyết", "0987654321"
	secrets = append(secrets, v.OwnerName, v.OwnerPhone)
	if err := s.CreateVenue(ctx, v); err != nil {
		t.Fatal(err)
	}
	p := &data.Person{FullName: secrets[0], Phone: secrets[1], IDNumber: secrets[2], QID: secrets[3], Address: secrets[4]}
	if err := s.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	// Free text about people: case notes and a contact's follow-up note.
	caseNote, followNote := "Bệnh nhân khai đi đám cưới nhà ông Tư", "Đã gọi, vợ là Lê Thị Mận nghe máy"
	secrets = append(secrets, caseNote, followNote)
	f0 := &data.Case{PersonID: p.ID, ConfirmedOn: fixedNow, WindowStart: fixedNow.AddDate(0, 0, -3), WindowEnd: fixedNow, Notes: caseNote}
	if err := s.CreateCase(ctx, f0); err != nil {
		t.Fatal(err)
	}
	owner, _ := s.Venue(ctx, v.ID)
	if err := s.SetFollowUp(ctx, FollowUp{CaseID: f0.ID, PersonID: owner.OwnerID, Called: true, Note: followNote}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Case(ctx, f0.ID); got.Notes != caseNote {
		t.Errorf("case notes read back %q", got.Notes)
	}
	if fu, _ := s.FollowUps(ctx, f0.ID); fu[owner.OwnerID].Note != followNote {
		t.Errorf("follow-up note read back %+v", fu)
	}
	rec, err := s.SetupOffice(ctx, "UBND phường Hải Châu I", "20236", data.User{Username: "lan", DisplayName: "Nguyễn Thị Lan"}, adminPass)
	if err != nil || len(rec) < 30 {
		t.Fatalf("setup: %q %v", rec, err)
	}
	// More personal data after set-up, then close with the WAL still full.
	p2 := &data.Person{FullName: "Lý Thường Kiệt", Phone: "0356789012"}
	secrets = append(secrets, p2.FullName, p2.Phone)
	if err := s.CreatePerson(ctx, p2); err != nil {
		t.Fatal(err)
	}
	found, err := s.FindPeople(ctx, PersonQuery{Phone: "+84912345678"})
	if err != nil || len(found) != 1 || found[0].FullName != secrets[0] || found[0].Address != secrets[4] {
		t.Fatalf("lookup while unlocked: %+v %v", found, err)
	}
	s.Close()

	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no files to scan")
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, secret := range secrets {
			for _, form := range []string{secret, data.Fold(secret), strings.ToUpper(data.Fold(secret))} {
				if len(form) > 3 && bytes.Contains(b, []byte(form)) {
					t.Errorf("%s contains %q in clear", filepath.Base(f), form)
				}
			}
		}
	}

	// Reopened, the replica is locked: no personal data without signing in.
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.Locked() {
		t.Fatal("replica with users opened unlocked")
	}
	if _, err := s.FindPeople(ctx, PersonQuery{Phone: "0912345678"}); data.ErrorCode(err) != data.EUnauthorized {
		t.Errorf("locked lookup: %v", err)
	}
	if err := s.CreateVenue(ctx, validVenue("X")); data.ErrorCode(err) != data.EUnauthorized {
		t.Errorf("locked write: %v", err)
	}
	if _, err := s.Unlock(ctx, "lan", "sai mật khẩu rồi"); data.ErrorCode(err) != data.EUnauthorized {
		t.Errorf("wrong passphrase: %v", err)
	}
	if _, err := s.Unlock(ctx, "lan", adminPass); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Venue(ctx, v.ID)
	if got.OwnerName != "Trịnh Văn Quyết" || got.OwnerPhone != "0987654321" {
		t.Errorf("owner after unlock: %+v", got)
	}
	rows, _ := s.SearchVenues(ctx, data.VenueFilter{Query: "0987654"})
	if len(rows) != 1 {
		t.Errorf("search by owner phone after unlock: %d", len(rows))
	}
	// The recovery secret escrowed at the district gets an administrator back in.
	s.Lock(ctx)
	if err := s.RecoverWithSecret(ctx, rec, "lan", "mật khẩu mới dài hơn"); err != nil {
		t.Fatal(err)
	}
	s.Lock(ctx)
	if _, err := s.Unlock(ctx, "lan", "mật khẩu mới dài hơn"); err != nil {
		t.Errorf("new passphrase after recovery: %v", err)
	}
}

func TestRolesAndTokens(t *testing.T) {
	s := setUp(t, filepath.Join(t.TempDir(), "roles.db"))
	defer s.Close()
	ctx := t.Context()
	if _, err := s.SetupOffice(ctx, "UBND phường Hải Châu I", "20236", data.User{Username: "admin", DisplayName: "Quản trị"}, adminPass); err != nil {
		t.Fatal(err)
	}
	for _, u := range []data.User{
		{Username: "thanh", DisplayName: "Lê Văn Thành", Role: data.RoleInspector},
		{Username: "bcd", DisplayName: "Ban Chỉ đạo", Role: data.RoleViewer},
	} {
		if err := s.CreateUser(ctx, &u, "mật khẩu của "+u.Username); err != nil {
			t.Fatal(err)
		}
	}
	bad := data.User{Username: "X Y", DisplayName: "", Role: "boss"}
	keys := fieldKeys(s.CreateUser(ctx, &bad, "ngắn"))
	if keys["username"] != "err.username_format" || keys["role"] != "err.value_unknown" || keys["passphrase"] != "err.passphrase_short" {
		t.Errorf("user validation: %v", keys)
	}
	token, err := s.CreateToken(ctx, data.RoleViewer, "báo cáo hằng ngày", 24*3600e9)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, data.RoleClerk, "x", 3600e9); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("token with personal-data role: %v", err)
	}
	s.Lock(ctx)

	// The viewer sees aggregates, never personal data, and cannot edit.
	if _, err := s.Unlock(ctx, "bcd", "mật khẩu của bcd"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindPeople(ctx, PersonQuery{Name: "x"}); data.ErrorCode(err) != data.EUnauthorized {
		t.Errorf("viewer read personal data: %v", err)
	}
	if err := s.Require(data.PermViewStats); err != nil {
		t.Errorf("viewer stats: %v", err)
	}
	if err := s.CreateUser(ctx, &data.User{Username: "z", DisplayName: "Z", Role: data.RoleAdmin}, "mật khẩu rất dài"); data.ErrorCode(err) != data.EUnauthorized {
		t.Errorf("viewer created a user: %v", err)
	}
	s.Lock(ctx)
	// The inspector may trace but not manage users; the admin resets a
	// forgotten passphrase rather than bypassing it.
	if _, err := s.Unlock(ctx, "thanh", "mật khẩu của thanh"); err != nil {
		t.Fatal(err)
	}
	if err := s.ResetPassphrase(ctx, "thanh", "mật khẩu khác nữa"); data.ErrorCode(err) != data.EUnauthorized {
		t.Errorf("inspector reset a passphrase: %v", err)
	}
	s.Lock(ctx)
	if err := s.UnlockToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	if s.Require(data.PermViewStats) != nil || s.Require(data.PermViewPersonal) == nil {
		t.Error("token role not enforced")
	}
	s.Lock(ctx)
	if err := s.UnlockToken(ctx, token+"x"); data.ErrorCode(err) != data.EUnauthorized {
		t.Errorf("forged token: %v", err)
	}
}

func TestAuditChainDetectsEditsAndRemovals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.db")
	s := setUp(t, path)
	ctx := t.Context()
	if _, err := s.SetupOffice(ctx, "UBND phường Hải Châu I", "20236", data.User{Username: "admin", DisplayName: "Quản trị"}, adminPass); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		s.Audit(ctx, "print", "document", "x", `{"pages":1}`)
	}
	n, problem, err := s.VerifyAudit(ctx)
	if err != nil || problem != nil || n < 6 {
		t.Fatalf("clean log: %d %+v %v", n, problem, err)
	}
	s.Close()
	db, _ := sql.Open("sqlite3", path)
	db.Exec(`UPDATE audit_log SET detail = '{"pages":9}' WHERE seq = 3`)
	db.Close()
	s, _ = Open(path)
	if _, problem, _ := s.VerifyAudit(ctx); problem == nil || problem.Seq != 3 || problem.Reason != "edited" {
		t.Errorf("edited entry: %+v", problem)
	}
	s.Close()
	db, _ = sql.Open("sqlite3", path)
	db.Exec(`UPDATE audit_log SET detail = '{"pages":1}' WHERE seq = 3`)
	db.Exec(`DELETE FROM audit_log WHERE seq = 4`)
	db.Close()
	s, _ = Open(path)
	defer s.Close()
	if _, problem, _ := s.VerifyAudit(ctx); problem == nil || problem.Seq != 4 || problem.Reason != "missing" {
		t.Errorf("removed entry: %+v", problem)
	}
}
