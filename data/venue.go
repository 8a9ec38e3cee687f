package data

import (
	"regexp"
	"strings"
	"time"
)

// Venue statuses.
const (
	VenueOpen      = "open"
	VenueSuspended = "suspended" // dừng hoạt động, by a suspension decision
	VenueClosed    = "closed"    // ceased trading; kept for history
)

// VenueStatuses lists every venue status, in display order.
var VenueStatuses = []string{VenueOpen, VenueSuspended, VenueClosed}

// Commitment statuses (cam kết): a venue may reopen only with a signed
// commitment approved by the ward.
const (
	CommitmentNone     = "none"
	CommitmentSigned   = "signed"
	CommitmentApproved = "approved"
)

// CommitmentStatuses lists every commitment status, in display order.
var CommitmentStatuses = []string{CommitmentNone, CommitmentSigned, CommitmentApproved}

// Venue is a place people come and go that must control check-ins.
// Owner name and phone are personal data: the store keeps them in the
// people table, not in the venue row.
type Venue struct {
	ID            ID
	Code          string // office-facing venue code, e.g. "20236-0042"; unique
	Name          string
	Category      string
	Address       string // street address as printed, without the ward
	WardDataset   string // unit dataset the ward code belongs to
	WardCode      string
	OwnerID       ID
	OwnerName     string
	OwnerPhone    string // normalised 10-digit mobile, or ""
	ControlMethod string
	Status        string
	QRSerial      int        // 0 = no qrward venue QR issued; +1 at each re-issue
	QRIssuedOn    *time.Time // date of the current poster
	Commitment    string
	CommitmentOn  *time.Time
	RegisteredOn  time.Time
	LastCheckinAt *time.Time // maintained with each check-in
	Notes         string
	SyncMeta
}

// HasQR reports whether a venue QR has been issued.
func (v Venue) HasQR() bool { return v.QRSerial > 0 }

// RequiredControl is the control method the venue's category demands.
func (v Venue) RequiredControl() string { return RequiredControl(v.Category) }

// ControlCompliant reports whether the method in use satisfies the rules.
func (v Venue) ControlCompliant() bool { return ControlAllowed(v.Category, v.ControlMethod) }

var venueCodeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$`)

// Maximum lengths keep printed posters and registers readable.
const (
	maxVenueName = 150
	maxAddress   = 250
	maxOwnerName = 100
	maxNotes     = 2000
)

// Normalize cleans every text field (NFC, spaces) and the phone number in
// place and fills defaults, then validates. All problems come back at once
// in an EInvalid error, each with its field, so a form can show them next
// to their inputs.
func (v *Venue) Normalize(wards WardLookup) error {
	var val Validation
	v.Code = strings.ToUpper(Clean(v.Code))
	v.Name = Clean(v.Name)
	v.Category = strings.TrimSpace(v.Category)
	v.Address = Clean(v.Address)
	v.WardCode = strings.TrimSpace(v.WardCode)
	v.OwnerName = Clean(v.OwnerName)
	v.Notes = Clean(v.Notes)
	if v.Status == "" {
		v.Status = VenueOpen
	}
	if v.Commitment == "" {
		v.Commitment = CommitmentNone
	}
	if v.ControlMethod == "" {
		v.ControlMethod = RequiredControl(v.Category)
	}

	if v.Code != "" && !venueCodeRe.MatchString(v.Code) {
		val.Add("code", "err.venue_code_format")
	}
	switch {
	case v.Name == "":
		val.Add("name", "err.required")
	case len([]rune(v.Name)) > maxVenueName:
		val.Add("name", "err.too_long", maxVenueName)
	}
	if _, ok := CategoryByKey(v.Category); !ok {
		if v.Category == "" {
			val.Add("category", "err.required")
		} else {
			val.Add("category", "err.category_unknown", v.Category)
		}
	}
	switch {
	case v.Address == "":
		val.Add("address", "err.required")
	case len([]rune(v.Address)) > maxAddress:
		val.Add("address", "err.too_long", maxAddress)
	}
	if v.WardCode == "" {
		val.Add("ward", "err.required")
	} else if wards != nil {
		if w, ok := wards.Ward(v.WardCode); !ok {
			val.Add("ward", "err.ward_unknown", v.WardCode)
		} else {
			v.WardDataset = w.Dataset
		}
	}
	if v.OwnerName == "" {
		val.Add("owner_name", "err.required")
	} else if len([]rune(v.OwnerName)) > maxOwnerName {
		val.Add("owner_name", "err.too_long", maxOwnerName)
	}
	if strings.TrimSpace(v.OwnerPhone) == "" {
		v.OwnerPhone = ""
		val.Add("owner_phone", "err.required")
	} else if p, err := NormalizePhone(v.OwnerPhone); err != nil {
		e := err.(*Error)
		val.Add("owner_phone", e.Key, e.Args...)
	} else {
		v.OwnerPhone = p
	}
	if !contains(VenueStatuses, v.Status) {
		val.Add("status", "err.value_unknown", v.Status)
	}
	if !contains(CommitmentStatuses, v.Commitment) {
		val.Add("commitment", "err.value_unknown", v.Commitment)
	}
	// An empty method follows from an unknown category, already reported.
	if v.ControlMethod != "" && !contains(ControlMethods, v.ControlMethod) {
		val.Add("control_method", "err.value_unknown", v.ControlMethod)
	}
	if len([]rune(v.Notes)) > maxNotes {
		val.Add("notes", "err.too_long", maxNotes)
	}
	return val.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// VenueFilter narrows the venue list. Zero values mean "any".
type VenueFilter struct {
	Query         string // free text: name, address, code, owner phone
	WardCode      string
	Category      string
	Status        string
	ControlMethod string
	HasQR         *bool
	// SilentDays > 0 keeps only venues with no check-in in the last
	// SilentDays days before Now (silent venues: a warning sign).
	SilentDays int
	Now        time.Time
}
