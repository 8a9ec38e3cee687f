package data

import "time"

// Inspection is one site visit to a venue. The checklist and its answers
// are data (templates under assets/), stored as JSON; the inspections
// issue builds the workflow on these rows.
type Inspection struct {
	ID            ID
	VenueID       ID
	ScheduleID    ID
	Status        string // draft, done
	StartedAt     time.Time
	FinishedAt    *time.Time
	Template      string
	PosterVerdict string
	Inspector     string
	Notes         string
	SyncMeta
}

// Violation is a breach found at a venue, following its lifecycle from
// "found" to "closed" through violation events.
type Violation struct {
	ID           ID
	VenueID      ID
	InspectionID ID
	RuleID       string
	FoundAt      time.Time
	Amount       int64
	Status       string
	Description  string
	SyncMeta
}

// VenueHistory is what the venue detail pane shows besides the venue.
type VenueHistory struct {
	CheckinsPerDay []DayCount
	Inspections    []Inspection
	Violations     []Violation
}
