package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/protect"
)

// Session is who is signed in to an open replica, and whether the office
// data key is available.
type Session struct {
	User data.User
	// Token is set when an unattended job signed in with an API token.
	Token string
}

// kdf is the Argon2id cost for user wraps; tests lower it.
var kdf = protect.DefaultKDF

// SetTestKDF lowers the passphrase-hashing cost for tests in other
// packages; never call it in the application.
func SetTestKDF() { kdf = protect.KDFParams{Time: 1, Memory: 1024, Threads: 1} }

// SetupMode reports whether the replica has no administrator yet. Until
// then its data key is wrapped for set-up only and personal data is not
// protected: the window asks to create the office and an administrator.
func (s *Store) SetupMode(ctx context.Context) (bool, error) {
	var n int
	err := s.rw.QueryRowContext(ctx, `SELECT COUNT(*) FROM app_user`).Scan(&n)
	return n == 0, err
}

// initKey unlocks the data key of a replica in set-up mode (creating the
// key in a new replica). A replica with users stays locked until Unlock.
func (s *Store) initKey(ctx context.Context) error {
	setup, err := s.SetupMode(ctx)
	if err != nil || !setup {
		return err
	}
	var wrapped []byte
	err = s.rw.QueryRowContext(ctx, `SELECT wrapped FROM key_wrap WHERE holder = 'setup'`).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		key, err := protect.NewDataKey()
		if err != nil {
			return err
		}
		w, err := key.Wrap(nil, protect.KDFParams{Time: 1, Memory: 1024, Threads: 1})
		if err != nil {
			return err
		}
		if _, err := s.rw.ExecContext(ctx, `INSERT INTO key_wrap(holder, key_id, wrapped, created_at) VALUES ('setup', ?, ?, ?)`,
			key.ID(), w.Marshal(), s.Now().Unix()); err != nil {
			return err
		}
		s.setKey(key, nil)
		return s.protectLegacyPeople(ctx)
	}
	if err != nil {
		return err
	}
	w, err := protect.ParseWrapped(wrapped)
	if err != nil {
		return err
	}
	key, err := protect.Unwrap(w, nil)
	if err != nil {
		return &data.Error{Code: data.ECorrupt, Key: "err.key_damaged", Err: err}
	}
	s.setKey(key, nil)
	return s.protectLegacyPeople(ctx)
}

func (s *Store) setKey(key *protect.DataKey, sess *Session) {
	s.mu.Lock()
	s.key, s.session = key, sess
	s.mu.Unlock()
}

// dataKey returns the unlocked data key, or an error a user understands.
func (s *Store) dataKey() (*protect.DataKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.key == nil {
		return nil, data.Errorf(data.EUnauthorized, "err.locked")
	}
	return s.key, nil
}

// Session returns the signed-in user (nil in set-up mode or when locked).
func (s *Store) Session() *Session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.session
}

// Locked reports whether the replica needs a sign-in.
func (s *Store) Locked() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.key == nil && s.session == nil
}

// actor names who acts, for the audit log: the signed-in user or token,
// "setup" before an administrator exists, else "system" (jobs such as the
// retention purge that run while the window is locked).
func (s *Store) actor() string {
	s.mu.RLock()
	sess, key := s.session, s.key
	s.mu.RUnlock()
	switch {
	case sess != nil && sess.Token != "":
		return "token:" + sess.Token
	case sess != nil:
		return sess.User.Username
	case key != nil:
		return "setup"
	}
	return "system"
}

// Require fails unless the signed-in user's role holds perm. In set-up
// mode (no users yet) everything is allowed: there is nobody to check.
func (s *Store) Require(perm data.Permission) error {
	s.mu.RLock()
	sess, key := s.session, s.key
	s.mu.RUnlock()
	if sess == nil {
		if key != nil { // set-up mode
			return nil
		}
		return data.Errorf(data.EUnauthorized, "err.locked")
	}
	if !sess.User.Role.Can(perm) {
		return data.Errorf(data.EUnauthorized, "err.forbidden", string(sess.User.Role), string(perm))
	}
	return nil
}

// SetupOffice ends set-up mode: it records the office, creates the first
// administrator, wraps the data key for them and for a recovery secret
// (returned once, to be escrowed at the district), and destroys the
// set-up wrap. The administrator is signed in afterwards.
func (s *Store) SetupOffice(ctx context.Context, officeName, officeCode string, admin data.User, passphrase string) (recovery string, err error) {
	setup, err := s.SetupMode(ctx)
	if err != nil {
		return "", err
	}
	if !setup {
		return "", data.Errorf(data.EConflict, "err.setup_done")
	}
	admin.Role = data.RoleAdmin
	var val data.Validation
	if data.Clean(officeName) == "" {
		val.Add("office_name", "err.required")
	}
	if _, ok := s.units.Unit(officeCode); !ok {
		val.Add("office_code", "err.unit_unknown", officeCode)
	}
	if err := admin.Normalize(passphrase); err != nil {
		for _, f := range data.FieldErrors(err) {
			val.Add(f.Field, f.Key, f.Args...)
		}
	}
	if err := val.Err(); err != nil {
		return "", err
	}
	key, err := s.dataKey()
	if err != nil {
		return "", err
	}
	recovery, err = protect.NewRecoverySecret()
	if err != nil {
		return "", err
	}
	userWrap, err := key.Wrap([]byte(passphrase), kdf)
	if err != nil {
		return "", err
	}
	recWrap, err := key.Wrap([]byte(recovery), kdf)
	if err != nil {
		return "", err
	}
	unit, _ := s.units.Unit(officeCode)
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		admin.ID = data.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO app_user(id, username, display_name, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, admin.ID, admin.Username, admin.DisplayName, string(admin.Role), now, now); err != nil {
			return err
		}
		for holder, w := range map[string]protect.Wrapped{"user:" + admin.ID.String(): userWrap, "recovery": recWrap} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO key_wrap(holder, key_id, wrapped, created_at) VALUES (?, ?, ?, ?)`,
				holder, key.ID(), w.Marshal(), now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM key_wrap WHERE holder = 'setup'`); err != nil {
			return err
		}
		for k, v := range map[string]string{"office.name": data.Clean(officeName), "office.code": officeCode, "office.level": unit.Level} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO setting(key, value) VALUES (?, ?)
				ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, admin.Username, "setup_office", "office", officeCode, fmt.Sprintf(`{"key_id":%q}`, key.ID()))
	})
	if err != nil {
		return "", wrapDB(err, "set up office")
	}
	s.setKey(key, &Session{User: admin})
	// The set-up wrap must survive neither in free pages nor in WAL frames.
	if err := s.scrub(ctx); err != nil {
		return "", err
	}
	return recovery, nil
}

// Unlock signs a user in with their passphrase and unlocks the data key.
// Failures are counted and audited; the reason is never more specific
// than "wrong name or passphrase".
func (s *Store) Unlock(ctx context.Context, username, passphrase string) (data.User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	var u data.User
	var role string
	var disabled int
	err := s.rw.QueryRowContext(ctx, `SELECT id, username, display_name, role, disabled FROM app_user WHERE username = ?`,
		username).Scan(&u.ID, &u.Username, &u.DisplayName, &role, &disabled)
	u.Role, u.Disabled = data.Role(role), disabled != 0
	var wrapped []byte
	if err == nil {
		err = s.rw.QueryRowContext(ctx, `SELECT wrapped FROM key_wrap WHERE holder = ?`, "user:"+u.ID.String()).Scan(&wrapped)
	}
	var key *protect.DataKey
	if err == nil && !u.Disabled {
		var w protect.Wrapped
		if w, err = protect.ParseWrapped(wrapped); err == nil {
			key, err = protect.Unwrap(w, []byte(passphrase))
		}
	}
	if err != nil || u.Disabled || key == nil {
		s.withTx(ctx, func(tx *sql.Tx) error {
			tx.ExecContext(ctx, `UPDATE app_user SET failed_signins = failed_signins + 1 WHERE username = ?`, username)
			return s.audit(ctx, tx, username, "signin_failed", "user", "", "")
		})
		return data.User{}, data.Errorf(data.EUnauthorized, "err.signin_failed")
	}
	s.setKey(key, &Session{User: u})
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE app_user SET last_signin_at = ?, failed_signins = 0 WHERE id = ?`,
			s.Now().Unix(), u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u.Username, "signin", "user", u.ID.String(), "")
	})
	if err != nil {
		return u, err
	}
	return u, s.protectLegacyPeople(ctx)
}

// Lock forgets the data key and the session (idle lock, or on request).
func (s *Store) Lock(ctx context.Context) {
	if sess := s.Session(); sess != nil {
		s.withTx(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, s.actor(), "lock", "user", sess.User.ID.String(), "") })
	}
	s.setKey(nil, nil)
}

// CreateUser adds a user (administrators only); the data key is wrapped
// with the new user's passphrase.
func (s *Store) CreateUser(ctx context.Context, u *data.User, passphrase string) error {
	if err := s.Require(data.PermManageUsers); err != nil {
		return err
	}
	if err := u.Normalize(passphrase); err != nil {
		return err
	}
	key, err := s.dataKey()
	if err != nil {
		return err
	}
	w, err := key.Wrap([]byte(passphrase), kdf)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		u.ID = data.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO app_user(id, username, display_name, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, u.ID, u.Username, u.DisplayName, string(u.Role), now, now); err != nil {
			return &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
				Fields: []data.FieldError{{Field: "username", Key: "err.username_taken", Args: []any{u.Username}}}}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO key_wrap(holder, key_id, wrapped, created_at) VALUES (?, ?, ?, ?)`,
			"user:"+u.ID.String(), key.ID(), w.Marshal(), now); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.actor(), "create_user", "user", u.ID.String(), fmt.Sprintf(`{"role":%q}`, u.Role))
	})
}

// ResetPassphrase gives a user a new passphrase (administrators only): a
// forgotten passphrase is replaced, never bypassed, and the old wrap is
// destroyed.
func (s *Store) ResetPassphrase(ctx context.Context, username, passphrase string) error {
	if err := s.Require(data.PermManageUsers); err != nil {
		return err
	}
	if len([]rune(passphrase)) < data.MinPassphrase {
		return &data.Error{Code: data.EInvalid, Key: "err.invalid_input",
			Fields: []data.FieldError{{Field: "passphrase", Key: "err.passphrase_short", Args: []any{data.MinPassphrase}}}}
	}
	key, err := s.dataKey()
	if err != nil {
		return err
	}
	w, err := key.Wrap([]byte(passphrase), kdf)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var id data.ID
		if err := tx.QueryRowContext(ctx, `SELECT id FROM app_user WHERE username = ?`, strings.ToLower(username)).Scan(&id); err != nil {
			return data.Errorf(data.ENotFound, "err.user_not_found", username)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO key_wrap(holder, key_id, wrapped, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(holder) DO UPDATE SET wrapped = excluded.wrapped, key_id = excluded.key_id, created_at = excluded.created_at`,
			"user:"+id.String(), key.ID(), w.Marshal(), s.Now().Unix()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE app_user SET failed_signins = 0, disabled = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.actor(), "reset_passphrase", "user", id.String(), "")
	})
}

// Users lists the replica's users.
func (s *Store) Users(ctx context.Context) ([]data.User, error) {
	if err := s.Require(data.PermManageUsers); err != nil {
		return nil, err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT id, username, display_name, role, disabled, created_at FROM app_user ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.User
	for rows.Next() {
		var u data.User
		var role string
		var disabled int
		var created int64
		if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &disabled, &created); err != nil {
			return nil, err
		}
		u.Role, u.Disabled, u.CreatedAt = data.Role(role), disabled != 0, time.Unix(created, 0)
		out = append(out, u)
	}
	return out, rows.Err()
}

// RecoverWithSecret unlocks the data key with the escrowed recovery secret
// and sets a new passphrase for an administrator (the district's way back
// in when every administrator forgot theirs).
func (s *Store) RecoverWithSecret(ctx context.Context, secret, adminUsername, newPassphrase string) error {
	var wrapped []byte
	if err := s.rw.QueryRowContext(ctx, `SELECT wrapped FROM key_wrap WHERE holder = 'recovery'`).Scan(&wrapped); err != nil {
		return data.Errorf(data.ENotFound, "err.no_recovery")
	}
	w, _ := protect.ParseWrapped(wrapped)
	key, err := protect.Unwrap(w, []byte(strings.ToUpper(strings.TrimSpace(secret))))
	if err != nil {
		s.withTx(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, "recovery", "recovery_failed", "", "", "") })
		return data.Errorf(data.EUnauthorized, "err.signin_failed")
	}
	var u data.User
	var role string
	if err := s.rw.QueryRowContext(ctx, `SELECT id, username, display_name, role FROM app_user WHERE username = ? AND role = 'admin'`,
		strings.ToLower(adminUsername)).Scan(&u.ID, &u.Username, &u.DisplayName, &role); err != nil {
		return data.Errorf(data.ENotFound, "err.user_not_found", adminUsername)
	}
	u.Role = data.Role(role)
	s.setKey(key, &Session{User: u})
	return s.ResetPassphrase(ctx, u.Username, newPassphrase)
}

// CreateToken issues a token for unattended jobs with a narrow role. Only
// roles without access to personal data may be given to tokens, so a
// token never needs the data key.
func (s *Store) CreateToken(ctx context.Context, role data.Role, label string, ttl time.Duration) (string, error) {
	if err := s.Require(data.PermManageUsers); err != nil {
		return "", err
	}
	if !role.Valid() || role.Can(data.PermViewPersonal) {
		return "", data.Errorf(data.EInvalid, "err.token_role", string(role))
	}
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	id := data.NewID().Short()
	token := id + "." + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(token))
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_token(id, role, label, secret_hash, expires_at, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, string(role), data.Clean(label), sum[:], now.Add(ttl).Unix(), s.actor(), now.Unix()); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.actor(), "create_token", "token", id, fmt.Sprintf(`{"role":%q}`, role))
	})
	return token, err
}

// UnlockToken signs an unattended job in with a token.
func (s *Store) UnlockToken(ctx context.Context, token string) error {
	id, _, _ := strings.Cut(token, ".")
	var role string
	var hash []byte
	var expires int64
	var revoked sql.NullInt64
	err := s.rw.QueryRowContext(ctx, `SELECT role, secret_hash, expires_at, revoked_at FROM api_token WHERE id = ?`, id).
		Scan(&role, &hash, &expires, &revoked)
	sum := sha256.Sum256([]byte(token))
	if err != nil || revoked.Valid || s.Now().Unix() > expires || subtle.ConstantTimeCompare(hash, sum[:]) != 1 {
		return data.Errorf(data.EUnauthorized, "err.token_invalid")
	}
	s.setKey(nil, &Session{User: data.User{Username: "token:" + id, Role: data.Role(role)}, Token: id})
	return nil
}

// scrub rewrites the file without free pages and empties the WAL, so
// deleted secrets leave no copy on disk.
func (s *Store) scrub(ctx context.Context) error {
	if _, err := s.rw.ExecContext(ctx, `VACUUM`); err != nil {
		return err
	}
	return s.Checkpoint(ctx)
}
