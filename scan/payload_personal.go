package scan

import (
	"strings"
)

// PersonalQR is the national personal QR code (QRQG, Decision 1405/QĐ-BTTTT
// v1.1): SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT.
type PersonalQR struct {
	raw string
	// DocumentNumber is the ID number as printed; a display may mask digits
	// with '*' (usually the first six). May be empty.
	DocumentNumber string
	// Name is the holder's name as printed: upper case without diacritics.
	Name string
	// BirthDate may have month and day masked (zero).
	BirthDate Date
	// OnBehalf is true when LoaiDinhDanh is 1: declared by someone else.
	OnBehalf bool
	// QID is the identifier issued by the national platform: the stable key.
	QID string
	// Ext holds everything after the QID, split on '|' (the EXT separator is
	// unverified, so nothing is discarded).
	Ext []string
	// Phone is the first valid Vietnamese mobile number found in Ext,
	// normalised to 0xxxxxxxxx; empty when none.
	Phone string
}

func (p *PersonalQR) Kind() Kind  { return KindPersonalQR }
func (p *PersonalQR) Raw() string { return p.raw }

// Masked reports whether the ID number or the birth date is partly hidden.
func (p *PersonalQR) Masked() bool {
	return strings.Contains(p.DocumentNumber, "*") || (p.BirthDate.Year != 0 && !p.BirthDate.Complete())
}

// Identity returns the matching key of the holder.
func (p *PersonalQR) Identity() Identity {
	return Identity{
		QID:        p.QID,
		IDNumber:   p.DocumentNumber,
		FoldedName: FoldName(p.Name),
		BirthYear:  p.BirthDate.Year,
		Phone:      p.Phone,
	}
}

func parsePersonalQR(raw string, f []string) (*PersonalQR, error) {
	const kind = KindPersonalQR
	if len(f) < 5 {
		return nil, newPayloadError(ErrFieldCount, kind, fieldNone, "")
	}
	p := &PersonalQR{raw: raw}
	id := strings.ToUpper(f[0])
	if !isIDLike(id) || (id != "" && countDigits(id) < 3) {
		return nil, newPayloadError(ErrBadIDNumber, kind, fieldIDNumber, "")
	}
	p.DocumentNumber = id
	if f[1] == "" || hasControl(f[1]) || len(f[1]) > 200 {
		return nil, newPayloadError(ErrBadName, kind, fieldName, "")
	}
	p.Name = collapseSpaces(f[1])
	d, ok := parseISODate(f[2], true)
	if !ok {
		return nil, newPayloadError(ErrBadDate, kind, fieldBirthDate, "")
	}
	p.BirthDate = d
	switch f[3] {
	case "0":
	case "1":
		p.OnBehalf = true
	default:
		return nil, newPayloadError(ErrBadField, kind, fieldIDType, "")
	}
	if !isAllDigits(f[4]) || len(f[4]) < 6 || len(f[4]) > 30 {
		return nil, newPayloadError(ErrBadQID, kind, fieldQID, "")
	}
	p.QID = f[4]
	if len(f) > 5 {
		p.Ext = append([]string(nil), f[5:]...)
		for _, v := range p.Ext {
			// EXT may use its own separator; look inside each value too.
			for _, tok := range strings.FieldsFunc(v, func(r rune) bool {
				return r == ';' || r == ',' || r == '#' || r == '^'
			}) {
				if ph := normalizePhone(tok); ph != "" {
					p.Phone = ph
					break
				}
			}
			if p.Phone != "" {
				break
			}
		}
	}
	return p, nil
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
