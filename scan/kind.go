package scan

// Kind names the family a payload belongs to. The string form (String) is
// stable: it may be stored in the database and exported in reports.
type Kind int

const (
	// KindUnknown is text that matches no known format.
	KindUnknown Kind = iota
	// KindPersonalQR is the national personal QR code (QRQG, v1.1).
	KindPersonalQR
	// KindCCCD is the QR code printed on a chip ID card.
	KindCCCD
	// KindHealthInsurance is the QR code on a health-insurance (BHYT) card.
	KindHealthInsurance
	// KindNationalVenue is the old national venue QR (tokhaiyte.vn groupId).
	KindNationalVenue
	// KindQrwardVenue is qrward's own signed venue code (see VENUE-QR.md).
	KindQrwardVenue
	// KindForeignVenueDE is a German Corona-Warn-App event code.
	KindForeignVenueDE
	// KindForeignVenueUK is a UK NHS COVID-19 venue code.
	KindForeignVenueUK
	// KindForeignVenueNZ is a New Zealand COVID Tracer venue code.
	KindForeignVenueNZ
)

var kindNames = [...]string{
	KindUnknown:         "unknown",
	KindPersonalQR:      "personal_qr",
	KindCCCD:            "cccd",
	KindHealthInsurance: "bhyt",
	KindNationalVenue:   "national_venue",
	KindQrwardVenue:     "qrward_venue",
	KindForeignVenueDE:  "foreign_venue_de",
	KindForeignVenueUK:  "foreign_venue_uk",
	KindForeignVenueNZ:  "foreign_venue_nz",
}

var kindLabelsVI = [...]string{
	KindUnknown:         "mã không nhận dạng được",
	KindPersonalQR:      "mã QR cá nhân",
	KindCCCD:            "mã QR căn cước công dân",
	KindHealthInsurance: "mã QR thẻ bảo hiểm y tế",
	KindNationalVenue:   "mã QR địa điểm (tokhaiyte.vn)",
	KindQrwardVenue:     "mã QR địa điểm do phường cấp",
	KindForeignVenueDE:  "mã địa điểm nước ngoài (Đức)",
	KindForeignVenueUK:  "mã địa điểm nước ngoài (Anh)",
	KindForeignVenueNZ:  "mã địa điểm nước ngoài (New Zealand)",
}

var kindLabelsEN = [...]string{
	KindUnknown:         "unrecognised code",
	KindPersonalQR:      "national personal QR",
	KindCCCD:            "chip ID card QR",
	KindHealthInsurance: "health-insurance card QR",
	KindNationalVenue:   "national venue QR (tokhaiyte.vn)",
	KindQrwardVenue:     "ward-issued venue QR",
	KindForeignVenueDE:  "foreign venue code (Germany)",
	KindForeignVenueUK:  "foreign venue code (UK)",
	KindForeignVenueNZ:  "foreign venue code (New Zealand)",
}

// String returns the stable machine name of the kind.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return kindNames[KindUnknown]
	}
	return kindNames[k]
}

// LabelVI is the Vietnamese description shown to the user.
func (k Kind) LabelVI() string {
	if k < 0 || int(k) >= len(kindLabelsVI) {
		return kindLabelsVI[KindUnknown]
	}
	return kindLabelsVI[k]
}

// LabelEN is the English description shown to the user.
func (k Kind) LabelEN() string {
	if k < 0 || int(k) >= len(kindLabelsEN) {
		return kindLabelsEN[KindUnknown]
	}
	return kindLabelsEN[k]
}

// IsForeignVenue reports whether the kind is a venue code from another
// country, which qrward recognises but does not interpret.
func (k Kind) IsForeignVenue() bool {
	return k == KindForeignVenueDE || k == KindForeignVenueUK || k == KindForeignVenueNZ
}

// ParseKind maps a stable name back to its Kind.
func ParseKind(name string) (Kind, bool) {
	for i, n := range kindNames {
		if n == name {
			return Kind(i), true
		}
	}
	return KindUnknown, false
}
