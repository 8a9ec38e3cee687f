package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"qrward/data"
	"qrward/data/syncproto"
)

// Roles a device is enrolled with.
const (
	RoleWard     = "ward"     // a ward/commune office: its own wards
	RoleDistrict = "district" // district staff: resolves conflicts
)

// Device is an enrolled device and its scope.
type Device struct {
	ID         data.ID
	Name       string
	Role       string
	Wards      []string
	SignPublic string
	Recipient  string
	AckedSeq   int64
}

// InScope reports whether the device may read and write ward.
func (d *Device) InScope(ward string) bool {
	for _, w := range d.Wards {
		if w == ward {
			return true
		}
	}
	return false
}

// codeEncoding leaves out characters read alike on paper (0/O, 1/I).
var codeEncoding = base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding)

// normalizeCode makes typed codes comparable: upper case, no separators.
func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r == '-' || r == ' ':
			return -1
		}
		return r
	}, code)
}

func hashSecret(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// IssueCode creates a one-time enrolment code for a device of the given
// role and wards, valid for ttl. Only its hash is stored.
func (h *Hub) IssueCode(ctx context.Context, role string, wards []string, name string, ttl time.Duration) (string, error) {
	if role != RoleWard && role != RoleDistrict {
		return "", &data.Error{Code: data.EInvalid, Key: "err.hub_role", Args: []any{role}}
	}
	if len(wards) == 0 {
		return "", data.Errorf(data.EInvalid, "err.hub_wards_required")
	}
	var raw [8]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	code := codeEncoding.EncodeToString(raw[:])[:12]
	_, err := h.pool.Exec(ctx, `INSERT INTO enrol_code(district, code_hash, role, wards, name, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, h.District, hashSecret(code), role, wards, name, time.Now().Add(ttl))
	if err != nil {
		return "", err
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:], nil
}

// EnrolRequest and EnrolResponse are the enrolment exchange.
type (
	EnrolRequest  = syncproto.EnrolRequest
	EnrolResponse = syncproto.EnrolResponse
)

// Enrol spends a one-time code and registers the device with its own
// token (only its hash is stored). A device enrolling again (a new code)
// keeps its acknowledged outbox position.
func (h *Hub) Enrol(ctx context.Context, req EnrolRequest) (EnrolResponse, error) {
	var resp EnrolResponse
	id, err := data.ParseID(req.DeviceID)
	if err != nil || id.IsZero() {
		return resp, data.Errorf(data.EInvalid, "err.hub_enrol_device")
	}
	if req.SignPublic == "" || req.Recipient == "" {
		return resp, data.Errorf(data.EInvalid, "err.hub_enrol_keys")
	}
	var token [32]byte
	if _, err := rand.Read(token[:]); err != nil {
		return resp, err
	}
	resp.Token = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(token[:])
	err = pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
		var expires time.Time
		var used *time.Time
		err := tx.QueryRow(ctx, `SELECT role, wards, expires_at, used_at FROM enrol_code
			WHERE district = $1 AND code_hash = $2 FOR UPDATE`, h.District, hashSecret(normalizeCode(req.Code))).
			Scan(&resp.Role, &resp.Wards, &expires, &used)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && (used != nil || time.Now().After(expires))) {
			return data.Errorf(data.EUnauthorized, "err.hub_enrol_code")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO device(district, id, name, role, wards, token_hash, sign_public, recipient)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (district, id) DO UPDATE SET name = excluded.name, role = excluded.role, wards = excluded.wards,
				token_hash = excluded.token_hash, sign_public = excluded.sign_public, recipient = excluded.recipient,
				revoked_at = NULL`,
			h.District, id[:], req.Name, resp.Role, resp.Wards, hashSecret(resp.Token), req.SignPublic, req.Recipient); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE enrol_code SET used_at = now(), device_id = $3 WHERE district = $1 AND code_hash = $2`,
			h.District, hashSecret(normalizeCode(req.Code)), id[:])
		return err
	})
	if err != nil {
		return EnrolResponse{}, err
	}
	resp.District = h.District
	resp.HubSignPublic = h.keys.SignPublic()
	resp.HubRecipient = h.keys.Recipient()
	return resp, nil
}

// Authenticate finds the device holding a bearer token.
func (h *Hub) Authenticate(ctx context.Context, token string) (*Device, error) {
	if token == "" {
		return nil, data.Errorf(data.EUnauthorized, "err.hub_token")
	}
	d, err := h.device(ctx, `token_hash = $2`, hashSecret(token))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, data.Errorf(data.EUnauthorized, "err.hub_token")
	}
	return d, err
}

// Device reads an enrolled device by id.
func (h *Hub) Device(ctx context.Context, id data.ID) (*Device, error) {
	d, err := h.device(ctx, `id = $2`, id[:])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &data.Error{Code: data.EUnauthorized, Key: "err.hub_device_unknown", Args: []any{id.String()}}
	}
	return d, err
}

func (h *Hub) device(ctx context.Context, where string, arg any) (*Device, error) {
	d := &Device{}
	var id []byte
	err := h.pool.QueryRow(ctx, `SELECT id, name, role, wards, sign_public, recipient, acked_seq FROM device
		WHERE district = $1 AND revoked_at IS NULL AND `+where, h.District, arg).
		Scan(&id, &d.Name, &d.Role, &d.Wards, &d.SignPublic, &d.Recipient, &d.AckedSeq)
	if err != nil {
		return nil, err
	}
	copy(d.ID[:], id)
	return d, nil
}

// Revoke disables a device's credential (a lost laptop).
func (h *Hub) Revoke(ctx context.Context, id data.ID) error {
	_, err := h.pool.Exec(ctx, `UPDATE device SET revoked_at = now() WHERE district = $1 AND id = $2`, h.District, id[:])
	return err
}
