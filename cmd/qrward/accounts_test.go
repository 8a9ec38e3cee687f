package main

import (
	"path/filepath"
	"strings"
	"testing"

	"qrward/data/sqlite"
)

func init() { sqlite.SetTestKDF() }

func TestCLIAccountsSignInRolesAndAudit(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "acc.db")
	if code, _, stderr := qrward(t, "demo", "--db", db, "--venues-per-ward", "5", "--checkins", "100"); code != 0 {
		t.Fatal(stderr)
	}
	t.Setenv("QRWARD_NEW_PASSPHRASE", "mật khẩu quản trị dài")
	code, out, stderr := qrward(t, "setup", "--db", db, "--office-code", "492", "--office-name", "UBND quận Hải Châu",
		"--admin", "admin", "--admin-name", "Trần Quản Trị")
	if code != 0 || !strings.Contains(out, "admin") {
		t.Fatalf("setup: %d %q %q", code, out, stderr)
	}
	// Protected now: commands need a sign-in.
	t.Setenv("QRWARD_PASSPHRASE", "")
	if code, _, stderr := qrward(t, "venues", "search", "--db", db, "cho"); code != 1 || !strings.Contains(stderr, "QRWARD_PASSPHRASE") {
		t.Errorf("unsigned search: %d %q", code, stderr)
	}
	t.Setenv("QRWARD_USER", "admin")
	t.Setenv("QRWARD_PASSPHRASE", "sai rồi sai rồi")
	if code, _, stderr := qrward(t, "venues", "search", "--db", db, "cho"); code != 1 || !strings.Contains(stderr, "Sai tên đăng nhập") {
		t.Errorf("wrong passphrase: %d %q", code, stderr)
	}
	t.Setenv("QRWARD_PASSPHRASE", "mật khẩu quản trị dài")
	if code, out, _ := qrward(t, "venues", "search", "--db", db, "--json", "cho", "han"); code != 0 || !strings.Contains(out, `"owner_phone": "0`) {
		t.Errorf("admin search: %d %q", code, out)
	}
	t.Setenv("QRWARD_NEW_PASSPHRASE", "mật khẩu cán bộ kiểm tra")
	if code, _, stderr := qrward(t, "users", "add", "--db", db, "--username", "thanh", "--name", "Lê Văn Thành", "--role", "inspector"); code != 0 {
		t.Fatalf("users add: %s", stderr)
	}
	code, token, _ := qrward(t, "users", "token", "--db", db, "--role", "viewer", "--label", "báo cáo")
	if code != 0 {
		t.Fatal("token")
	}
	// A viewer token lists venues without owners' phones and cannot edit.
	t.Setenv("QRWARD_USER", "")
	t.Setenv("QRWARD_TOKEN", strings.TrimSpace(token))
	if code, out, _ := qrward(t, "venues", "search", "--db", db, "--json", "cho", "han"); code != 0 || !strings.Contains(out, `"owner_phone": ""`) {
		t.Errorf("viewer search: %d %q", code, out)
	}
	if code, _, stderr := qrward(t, "audit", "verify", "--db", db); code != 1 || !strings.Contains(stderr, "không được phép") {
		t.Errorf("viewer audit: %d %q", code, stderr)
	}
	t.Setenv("QRWARD_TOKEN", "")
	t.Setenv("QRWARD_USER", "admin")
	if code, out, stderr := qrward(t, "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "toàn vẹn") {
		t.Errorf("audit verify: %d %q %q", code, out, stderr)
	}
	if code, out, _ := qrward(t, "audit", "export", "--db", db); code != 0 || !strings.Contains(out, "signin") || strings.Contains(out, "0905") {
		t.Errorf("audit export: %d %q", code, out)
	}
}
