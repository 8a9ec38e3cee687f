package scan

// CCCDCard is the QR code on a chip ID card:
// CCCD|oldCMND|Họ tên|ddmmyyyy|Nam/Nữ|permanent address|issue date ddmmyyyy.
// Missing trailing fields are tolerated (left zero); extra fields are kept.
type CCCDCard struct {
	raw string
	// IDNumber is the 12-digit citizen ID (9 digits on some old cards).
	IDNumber string
	// OldIDNumber is the previous CMND number; often empty.
	OldIDNumber string
	// Name with diacritics, NFC.
	Name      string
	BirthDate Date
	Sex       Sex
	Address   string
	IssueDate Date
	// Extra holds fields beyond the seventh.
	Extra []string
}

func (c *CCCDCard) Kind() Kind  { return KindCCCD }
func (c *CCCDCard) Raw() string { return c.raw }

// Identity returns the matching key of the holder.
func (c *CCCDCard) Identity() Identity {
	return Identity{
		IDNumber:   c.IDNumber,
		FoldedName: FoldName(c.Name),
		BirthYear:  c.BirthDate.Year,
	}
}

func parseCCCD(raw string, f []string) (*CCCDCard, error) {
	const kind = KindCCCD
	if len(f) < 4 {
		return nil, newPayloadError(ErrFieldCount, kind, fieldNone, "")
	}
	c := &CCCDCard{raw: raw}
	if !isAllDigits(f[0]) || (len(f[0]) != 12 && len(f[0]) != 9) {
		return nil, newPayloadError(ErrBadIDNumber, kind, fieldIDNumber, "")
	}
	c.IDNumber = f[0]
	if f[1] != "" && (!isAllDigits(f[1]) || (len(f[1]) != 9 && len(f[1]) != 12)) {
		return nil, newPayloadError(ErrBadIDNumber, kind, field{"old ID number", "số CMND cũ"}, "")
	}
	c.OldIDNumber = f[1]
	if f[2] == "" || hasControl(f[2]) || len(f[2]) > 200 {
		return nil, newPayloadError(ErrBadName, kind, fieldName, "")
	}
	c.Name = collapseSpaces(f[2])
	d, ok := parseDMYCompact(f[3])
	if !ok {
		return nil, newPayloadError(ErrBadDate, kind, fieldBirthDate, "")
	}
	c.BirthDate = d
	if len(f) > 4 && f[4] != "" {
		s, ok := parseSexWord(f[4])
		if !ok {
			return nil, newPayloadError(ErrBadField, kind, fieldSex, "")
		}
		c.Sex = s
	}
	if len(f) > 5 {
		if hasControl(f[5]) {
			return nil, newPayloadError(ErrBadField, kind, fieldAddress, "")
		}
		c.Address = collapseSpaces(f[5])
	}
	if len(f) > 6 && f[6] != "" {
		d, ok := parseDMYCompact(f[6])
		if !ok {
			return nil, newPayloadError(ErrBadDate, kind, fieldIssueDate, "")
		}
		c.IssueDate = d
	}
	if len(f) > 7 {
		c.Extra = append([]string(nil), f[7:]...)
	}
	return c, nil
}
