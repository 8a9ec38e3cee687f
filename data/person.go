package data

// Person is someone qrward holds personal data about: a visitor, a case, a
// contact, a venue owner. Every field except ID is personal data: never
// logged, encrypted at rest by the accounts issue, purged with retention.
type Person struct {
	ID        ID
	FullName  string
	Phone     string // normalised
	IDNumber  string // CCCD (12 digits) or CMND (9)
	QID       string // national QR platform identifier
	BirthDate string // YYYY-MM-DD, or YYYY
	Sex       string
	Address   string
	SyncMeta
}
