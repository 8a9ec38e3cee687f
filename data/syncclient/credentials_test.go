package syncclient

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/sqlite"
)

const credPass = "mật khẩu đủ dài 2021"

// secretsOnDisk lists which of the device's sync secrets appear in clear
// in the replica's files (database and WAL), scanning raw bytes.
func secretsOnDisk(t *testing.T, path string, secrets map[string]string) []string {
	t.Helper()
	var found []string
	for _, f := range []string{path, path + "-wal", path + "-journal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for name, secret := range secrets {
			if secret != "" && bytes.Contains(b, []byte(secret)) {
				found = append(found, name+" in "+filepath.Base(f))
			}
		}
	}
	return found
}

// deviceSecrets are the values a copied replica must not give away: the
// bearer token, the signing seed and the age identity.
func deviceSecrets(t *testing.T, s *sqlite.Store, token string) map[string]string {
	t.Helper()
	k, err := s.DeviceKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"token": token, "signing seed": base64.StdEncoding.EncodeToString(k.SignPrivate.Seed()),
		"age identity": k.AgeIdentity.String()}
}

// rawConfig reads sync_config with a plain database/sql connection, as
// someone holding a copy of the file would.
func rawConfig(t *testing.T, path, key string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT value FROM sync_config WHERE key = ?`, key).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func setUpOffice(t *testing.T, s *sqlite.Store) {
	t.Helper()
	if _, err := s.SetupOffice(context.Background(), "UBND phường Hải Châu I", "20236",
		data.User{Username: "lan", DisplayName: "Nguyễn Thị Lan"}, credPass); err != nil {
		t.Fatal(err)
	}
}

func reopen(t *testing.T, s *sqlite.Store) *sqlite.Store {
	t.Helper()
	path := s.Path()
	s.Close()
	s2, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

func syncVenue(t *testing.T, s *sqlite.Store, name string) {
	t.Helper()
	ctx := context.Background()
	if err := s.CreateVenue(ctx, venue(name, "20236")); err != nil {
		t.Fatal(err)
	}
	c, err := New(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	if n, _ := s.PendingCount(ctx); n != 0 {
		t.Fatalf("%d changes not pushed", n)
	}
}

// The hub credential and the device's private keys are sealed with the
// replica's data key: a copy of the file does not hold them, a locked
// replica cannot use them, and sync works after reopening and signing in.
func TestSyncCredentialSealedAtRest(t *testing.T) {
	sqlite.SetTestKDF()
	h := newHub(t)
	ctx := context.Background()
	s := newStore(t, "sealed")
	setUpOffice(t, s)
	code, err := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "a", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Enrol(ctx, s, h.srv.URL, code, "", "a")
	if err != nil || cfg.Token == "" {
		t.Fatalf("enrol: %+v %v", cfg, err)
	}
	secrets := deviceSecrets(t, s, cfg.Token)
	if found := secretsOnDisk(t, s.Path(), secrets); len(found) > 0 {
		t.Fatalf("in clear on disk after enrolment: %v", found)
	}
	for _, k := range []string{"token", "keys"} {
		if v := rawConfig(t, s.Path(), k); !strings.HasPrefix(v, "qrw-enc1:") {
			t.Errorf("sync_config %s stored as %.12q…", k, v)
		}
	}
	syncVenue(t, s, "Quán Niêm Phong")

	// Reopened, the replica is locked: the credential cannot be used.
	s = reopen(t, s)
	if _, err := New(ctx, s); data.ErrorCode(err) != data.EUnauthorized {
		t.Fatalf("sync client on a locked replica: %v", err)
	}
	if err := s.SetSyncConfig(ctx, sqlite.SyncConfig{HubURL: "https://x", Token: "t"}); data.ErrorCode(err) != data.EUnauthorized {
		t.Fatalf("writing the credential while locked: %v", err)
	}
	if _, err := s.Unlock(ctx, "lan", credPass); err != nil {
		t.Fatal(err)
	}
	got, err := s.SyncConfig(ctx)
	if err != nil || got.Token != cfg.Token || got.HubURL != cfg.HubURL {
		t.Fatalf("after unlock: %+v %v", got, err)
	}
	syncVenue(t, s, "Quán Mở Khóa")
	// The bundle path uses the sealed keys too.
	if _, err := ExportBundle(ctx, s, filepath.Join(t.TempDir(), "up.qrb")); err != nil {
		t.Fatal(err)
	}
	if found := secretsOnDisk(t, s.Path(), secrets); len(found) > 0 {
		t.Fatalf("in clear on disk after sync: %v", found)
	}
}

// Credentials stored in clear (enrolled in set-up mode, or written by an
// older version) are sealed on first use once a user is signed in, and
// leave no clear copy in the file or its WAL.
func TestSyncCredentialMigratesOnUnlock(t *testing.T) {
	sqlite.SetTestKDF()
	h := newHub(t)
	ctx := context.Background()

	// Enrolled in set-up mode: clear, like every personal field then.
	s := newStore(t, "setup")
	code, _ := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "a", time.Hour)
	cfg, err := Enrol(ctx, s, h.srv.URL, code, "", "a")
	if err != nil {
		t.Fatal(err)
	}
	secrets := deviceSecrets(t, s, cfg.Token)
	if v := rawConfig(t, s.Path(), "token"); v != cfg.Token {
		t.Fatalf("set-up mode: token stored as %.12q…", v)
	}
	setUpOffice(t, s)
	syncVenue(t, s, "Quán Sau Cài Đặt") // first use after set-up seals
	if found := secretsOnDisk(t, s.Path(), secrets); len(found) > 0 {
		t.Fatalf("in clear on disk after set-up and sync: %v", found)
	}

	// An older version wrote the values in clear into a set-up replica.
	path := s.Path()
	s.Close()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for key, v := range map[string]string{"token": cfg.Token, "keys": secrets["signing seed"] + " " + secrets["age identity"]} {
		if _, err := db.Exec(`UPDATE sync_config SET value = ? WHERE key = ?`, v, key); err != nil {
			t.Fatal(err)
		}
	}
	db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	db.Close()
	if found := secretsOnDisk(t, path, secrets); len(found) != 3 {
		t.Fatalf("the simulated old replica should hold the secrets in clear: %v", found)
	}
	s, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Unlock(ctx, "lan", credPass); err != nil {
		t.Fatal(err)
	}
	syncVenue(t, s, "Quán Nâng Cấp")
	if found := secretsOnDisk(t, path, secrets); len(found) > 0 {
		t.Fatalf("in clear on disk after the first use: %v", found)
	}
	if n, err := s.AuditCount(ctx, "protect_sync_config", ""); err != nil || n != 2 {
		t.Errorf("sealing audited %d times (want once per migration): %v", n, err)
	}
}
