package inspect

import (
	"encoding/json"
	"fmt"
	"time"

	"qrward/data"
)

// Visit is an inspection with its checklist answers.
type Visit struct {
	data.Inspection
	TemplateVersion string
	Answers         Answers
	GPS             string
	Place           string
	DocumentID      data.ID // the numbered inspection record, once finished
}

// Violation is a violation case with everything its lifecycle needs.
type Violation struct {
	data.Violation
	RuleVersion string
	Subject     string // SubjectIndividual or SubjectOrganisation
	Item        string // checklist item that failed
	Reminders   int
	HearingDue  *time.Time
	ExplainDue  *time.Time
	PayDue      *time.Time
	SignerRole  string
	ReferredTo  string
	// Venue facts for lists (no personal data).
	VenueCode, VenueName, VenueAddress, WardCode string
	Events                                       []Event
}

// Event is one dated lifecycle step.
type Event struct {
	ID          data.ID
	ViolationID data.ID
	Step        string // an Act* action
	At          time.Time
	By          string
	DocumentID  data.ID
	Note        string
}

// Document is an issued, numbered official document. Number and Year are
// assigned once when it is issued and never reused; Facts freeze what it
// says (personal data is not copied: it is read from the person row when
// printing).
type Document struct {
	ID        data.ID
	Kind      string
	Issuer    string // issuing body code: the ward code
	Symbol    string
	Year      int
	Number    int
	IssuedAt  time.Time
	SubjectID data.ID // violation, inspection or schedule
	Facts     DocFacts
	data.SyncMeta
}

// NumberText is "05/BB-VPHC".
func (d Document) NumberText() string { return fmt.Sprintf("%02d/%s", d.Number, d.Symbol) }

// Official is a person acting in an official capacity on a document.
type Official struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Agency string `json:"agency,omitempty"`
}

// DocFacts is the frozen content of a document, stored as its payload.
type DocFacts struct {
	IssuerName string `json:"issuer_name"` // "Phường Hải Châu I"
	Place      string `json:"place"`       // place of the date line
	Field      string `json:"field,omitempty"`

	ViolationID  data.ID `json:"violation_id,omitempty"`
	VenueID      data.ID `json:"venue_id,omitempty"`
	InspectionID data.ID `json:"inspection_id,omitempty"`
	ScheduleID   data.ID `json:"schedule_id,omitempty"`

	RuleID      string `json:"rule_id,omitempty"`
	RuleVersion string `json:"rule_version,omitempty"`
	Provision   string `json:"provision,omitempty"`
	Act         string `json:"act,omitempty"`
	Subject     string `json:"subject,omitempty"`
	Amount      int64  `json:"amount,omitempty"`

	ViolationAt    time.Time `json:"violation_at,omitzero"`
	ViolationPlace string    `json:"violation_place,omitempty"`
	Description    string    `json:"description,omitempty"`
	Statement      string    `json:"statement,omitempty"`
	Note           string    `json:"note,omitempty"`

	Signer    Official   `json:"signer,omitzero"`
	SignerFor string     `json:"signer_for,omitempty"` // "KT. CHỦ TỊCH" when a deputy signs
	Officials []Official `json:"officials,omitempty"`
	Witnesses []Official `json:"witnesses,omitempty"`

	HearingDue time.Time `json:"hearing_due,omitzero"`
	ExplainDue time.Time `json:"explain_due,omitzero"`
	PayDue     time.Time `json:"pay_due,omitzero"`

	RecordNumber   string    `json:"record_number,omitempty"`
	RecordDate     time.Time `json:"record_date,omitzero"`
	DecisionNumber string    `json:"decision_number,omitempty"`
	DecisionDate   time.Time `json:"decision_date,omitzero"`
	Reminders      int       `json:"reminders,omitempty"`
}

// MarshalFacts encodes facts for the document payload.
func MarshalFacts(f DocFacts) (string, error) {
	b, err := json.Marshal(f)
	return string(b), err
}
