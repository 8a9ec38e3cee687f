package scan

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Venue code format v1 (docs/VENUE-QR.md has the byte table and rationale):
//
//	"QRW1:" + base45(body || signature)
//	body = venueID[16] | ward uint24 | issueDay uint16 | serial uint8 |
//	       keyID[8] | nameLen uint8 | name[nameLen]
//	signature = Ed25519(office key, "QRW1:" || body)
//
// Everything is in the QR alphanumeric set, so the code is encoded at
// 5.5 bits per character; see TestVenueCodeEncodingChoice for the measured
// comparison with base32 and base64url.
const (
	venueCodePrefix = "QRW1:"
	// MaxVenueShortNameLen bounds the folded name so a code stays ≤ version 8-M.
	MaxVenueShortNameLen = 20
	venueFixedLen        = 16 + 3 + 2 + 1 + 8 + 1
	venueSigLen          = ed25519.SignatureSize
)

// venueEpoch is day 0 of the issue-day counter.
var venueEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// VenueCodeFields is what a venue code states.
type VenueCodeFields struct {
	// VenueID is the venue's UUIDv7 (16 bytes) from the venue register.
	VenueID [16]byte
	// WardCode is the 5-digit commune code of the venue.
	WardCode string
	// ShortName is a human hint only; EncodeVenueCode folds it to upper-case
	// ASCII (A–Z, 0–9, space, '-', '.') and truncates it.
	ShortName string
	// IssueDate: only the civil date (year, month, day, read in UTC) is kept.
	IssueDate time.Time
	// Serial distinguishes re-issues on the same venue (0 for the first).
	Serial uint8
}

// VenueCode is a parsed (not yet verified) qrward venue code.
type VenueCode struct {
	raw    string
	Fields VenueCodeFields
	KeyID  KeyID
	// signed is the exact message the signature covers.
	signed    []byte
	signature []byte
}

func (v *VenueCode) Kind() Kind  { return KindQrwardVenue }
func (v *VenueCode) Raw() string { return v.raw }

// FoldVenueShortName applies the short-name rule of the format.
func FoldVenueShortName(name string) string {
	folded := strings.ToUpper(FoldName(name))
	var b strings.Builder
	for _, r := range folded {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == ' ', r == '-', r == '.':
			b.WriteRune(r)
		}
	}
	s := collapseSpaces(b.String())
	if len(s) > MaxVenueShortNameLen {
		s = strings.TrimSpace(s[:MaxVenueShortNameLen])
	}
	return s
}

// EncodeVenueCode builds and signs the text of a venue QR code.
func EncodeVenueCode(f VenueCodeFields, key *OfficeKey) (string, error) {
	if key == nil {
		return "", errors.New("scan: no office key")
	}
	body, err := venueBody(f, key.KeyID())
	if err != nil {
		return "", err
	}
	msg := append([]byte(venueCodePrefix), body...)
	sig := key.sign(msg)
	return venueCodePrefix + base45Encode(append(body, sig...)), nil
}

func venueBody(f VenueCodeFields, id KeyID) ([]byte, error) {
	if !isWardCode(f.WardCode) {
		return nil, newPayloadError(ErrBadWardCode, KindQrwardVenue, fieldWardCode, "")
	}
	y, m, d := f.IssueDate.UTC().Date()
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(venueEpoch).Hours() / 24
	if days < 0 || days > 0xffff {
		return nil, newPayloadError(ErrBadDate, KindQrwardVenue, fieldIssueDate, "issue date outside 2020-01-01..2199-06-05")
	}
	name := FoldVenueShortName(f.ShortName)
	ward := 0
	for i := 0; i < 5; i++ {
		ward = ward*10 + int(f.WardCode[i]-'0')
	}
	body := make([]byte, 0, venueFixedLen+len(name))
	body = append(body, f.VenueID[:]...)
	body = append(body, byte(ward>>16), byte(ward>>8), byte(ward))
	body = binary.BigEndian.AppendUint16(body, uint16(days))
	body = append(body, f.Serial)
	body = append(body, id[:]...)
	body = append(body, byte(len(name)))
	body = append(body, name...)
	return body, nil
}

// ParseVenueCode decodes the structure of a venue code without checking the
// signature. Errors are *PayloadError with Kind KindQrwardVenue.
func ParseVenueCode(text string) (*VenueCode, error) {
	const kind = KindQrwardVenue
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, venueCodePrefix) {
		return nil, newPayloadError(ErrUnknownFormat, KindUnknown, fieldNone, "")
	}
	raw, err := base45Decode(text[len(venueCodePrefix):])
	if err != nil {
		return nil, newPayloadError(ErrBadEncoding, kind, fieldVenueCode, err.Error())
	}
	if len(raw) < venueFixedLen+venueSigLen {
		return nil, newPayloadError(ErrFieldCount, kind, fieldVenueCode, "too short")
	}
	nameLen := int(raw[venueFixedLen-1])
	if nameLen > MaxVenueShortNameLen || len(raw) != venueFixedLen+nameLen+venueSigLen {
		return nil, newPayloadError(ErrBadEncoding, kind, fieldVenueCode, "length mismatch")
	}
	body := raw[:venueFixedLen+nameLen]
	v := &VenueCode{raw: text}
	copy(v.Fields.VenueID[:], body[0:16])
	ward := int(body[16])<<16 | int(body[17])<<8 | int(body[18])
	if ward > 99999 {
		return nil, newPayloadError(ErrBadWardCode, kind, fieldWardCode, "")
	}
	v.Fields.WardCode = fmt.Sprintf("%05d", ward)
	days := binary.BigEndian.Uint16(body[19:21])
	v.Fields.IssueDate = venueEpoch.AddDate(0, 0, int(days))
	v.Fields.Serial = body[21]
	copy(v.KeyID[:], body[22:30])
	name := string(body[venueFixedLen:])
	if FoldVenueShortName(name) != name {
		return nil, newPayloadError(ErrBadName, kind, field{"short name", "tên viết tắt"}, "")
	}
	v.Fields.ShortName = name
	v.signed = append([]byte(venueCodePrefix), body...)
	v.signature = append([]byte(nil), raw[len(body):]...)
	return v, nil
}

// VerdictStatus is the outcome of verifying a venue code.
type VerdictStatus int

const (
	// VerdictGenuine: signed by a trusted office, current, and (if the
	// expectation names a venue) for this venue.
	VerdictGenuine VerdictStatus = iota + 1
	// VerdictOtherVenue: genuine, but issued for a different venue than the
	// one expected here (a poster moved or copied from elsewhere).
	VerdictOtherVenue
	// VerdictRevoked: genuine, but an older issue of a re-issued poster, or
	// the venue's codes were withdrawn.
	VerdictRevoked
	// VerdictUnknownIssuer: well formed, but the key id is not in the keyring.
	VerdictUnknownIssuer
	// VerdictForged: the signature does not match (tampered or forged).
	VerdictForged
	// VerdictMalformed: not a well-formed qrward venue code.
	VerdictMalformed
)

// String returns a stable machine name.
func (s VerdictStatus) String() string {
	switch s {
	case VerdictGenuine:
		return "genuine"
	case VerdictOtherVenue:
		return "other_venue"
	case VerdictRevoked:
		return "revoked"
	case VerdictUnknownIssuer:
		return "unknown_issuer"
	case VerdictForged:
		return "forged"
	case VerdictMalformed:
		return "malformed"
	}
	return "invalid"
}

// IssueRef identifies one issue of a venue's poster.
type IssueRef struct {
	IssueDate time.Time
	Serial    uint8
	// Withdrawn means every code of the venue is revoked (venue closed).
	Withdrawn bool
}

// IssueRegistry answers, for a venue, which issue is current. The data layer
// implements it; ok == false means the venue is not in the register, in
// which case no revocation is assumed.
type IssueRegistry interface {
	CurrentIssue(venueID [16]byte) (current IssueRef, ok bool)
}

// IssueRegistryFunc adapts a function to IssueRegistry.
type IssueRegistryFunc func(venueID [16]byte) (IssueRef, bool)

// CurrentIssue calls f.
func (f IssueRegistryFunc) CurrentIssue(venueID [16]byte) (IssueRef, bool) { return f(venueID) }

// Expectation is what the inspector knows about the place being checked.
type Expectation struct {
	// VenueID, when non-nil, is the venue the poster should belong to.
	VenueID *[16]byte
	// Issues, when non-nil, is consulted for revocations.
	Issues IssueRegistry
}

// Verdict is the result of VerifyVenueCode.
type Verdict struct {
	Status VerdictStatus
	// Code is the parsed code (nil when Malformed).
	Code *VenueCode
	// Issuer is the trusted key that signed it (set when the key is known).
	Issuer *TrustedKey
	// Current is the issue the registry considers current (for Revoked).
	Current *IssueRef
	// IssuerWardMismatch: the venue's ward differs from the issuing office's
	// ward. Allowed (district-level offices issue for several wards) but
	// worth showing.
	IssuerWardMismatch bool
	// Err is the *PayloadError for Malformed.
	Err error
}

// MessageVI explains the verdict to the inspector in Vietnamese.
func (v Verdict) MessageVI() string {
	switch v.Status {
	case VerdictGenuine:
		return "mã địa điểm hợp lệ, đúng địa điểm, còn hiệu lực"
	case VerdictOtherVenue:
		return "mã hợp lệ nhưng cấp cho địa điểm khác"
	case VerdictRevoked:
		return "mã đã bị thu hồi hoặc đã được cấp lại (bản cũ)"
	case VerdictUnknownIssuer:
		return "không rõ cơ quan cấp mã (khoá chưa được tin cậy)"
	case VerdictForged:
		return "mã giả hoặc đã bị sửa (chữ ký không khớp)"
	}
	if pe, ok := v.Err.(*PayloadError); ok {
		return pe.MessageVI()
	}
	return "mã địa điểm không hợp lệ"
}

// MessageEN is the English variant of MessageVI.
func (v Verdict) MessageEN() string {
	switch v.Status {
	case VerdictGenuine:
		return "genuine venue code for this venue, current"
	case VerdictOtherVenue:
		return "genuine code, but issued for another venue"
	case VerdictRevoked:
		return "revoked or replaced code (an older issue)"
	case VerdictUnknownIssuer:
		return "unknown issuer (key not trusted)"
	case VerdictForged:
		return "forged or altered code (signature mismatch)"
	}
	if pe, ok := v.Err.(*PayloadError); ok {
		return pe.MessageEN()
	}
	return "invalid venue code"
}

// VerifyVenueCode checks a scanned venue code offline. The order of checks
// is: structure, issuer, signature, venue, revocation — so a forged code is
// never reported as merely "for another venue".
func VerifyVenueCode(text string, kr Keyring, expect Expectation) Verdict {
	code, err := ParseVenueCode(normalizeText(text))
	if err != nil {
		return Verdict{Status: VerdictMalformed, Err: err}
	}
	issuer, ok := kr.Lookup(code.KeyID)
	if !ok {
		return Verdict{Status: VerdictUnknownIssuer, Code: code}
	}
	v := Verdict{Code: code, Issuer: &issuer}
	if !ed25519.Verify(issuer.PublicKey, code.signed, code.signature) {
		v.Status = VerdictForged
		return v
	}
	v.IssuerWardMismatch = issuer.WardCode != code.Fields.WardCode
	if expect.VenueID != nil && *expect.VenueID != code.Fields.VenueID {
		v.Status = VerdictOtherVenue
		return v
	}
	if expect.Issues != nil {
		if cur, ok := expect.Issues.CurrentIssue(code.Fields.VenueID); ok {
			if cur.Withdrawn || issueBefore(code.Fields.IssueDate, code.Fields.Serial, cur) {
				v.Status = VerdictRevoked
				v.Current = &cur
				return v
			}
		}
	}
	v.Status = VerdictGenuine
	return v
}

// issueBefore orders issues by (date, serial); a code newer than the
// register is accepted (the register may not have synced yet).
func issueBefore(date time.Time, serial uint8, cur IssueRef) bool {
	cy, cm, cd := cur.IssueDate.UTC().Date()
	y, m, d := date.UTC().Date()
	a := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	b := time.Date(cy, cm, cd, 0, 0, 0, 0, time.UTC)
	if !a.Equal(b) {
		return a.Before(b)
	}
	return serial < cur.Serial
}
