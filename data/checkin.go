package data

import "time"

// Check-in sources: how the person was recorded.
const (
	SourceStaffScan = "staff_scan" // venue staff scanned the person's personal QR
	SourceSelfScan  = "self_scan"  // the person scanned the venue QR
	SourcePaper     = "paper"      // paper declaration typed in
	SourceManual    = "manual"     // entered by an official (interview, register)
)

// Declared risk flags (khai báo y tế), a bit set.
const (
	RiskFever = 1 << iota
	RiskCough
	RiskBreath
	RiskOutbreakArea // came from an outbreak zone
	RiskContact      // contact of a suspected case
)

// Checkin is one scan of a person at a venue at a time.
type Checkin struct {
	ID        ID
	VenueID   ID
	PersonID  ID
	TimeIn    time.Time
	TimeOut   *time.Time
	Source    string
	CodeKind  string // payload kind scanned (scan.Kind name), "" for paper
	RiskFlags int
	StationID ID // scanning device or station
	SyncMeta
}

// DayCount is a number of check-ins on one local day.
type DayCount struct {
	Day   time.Time
	Count int
}
