package data

import "time"

// Case is a confirmed infection (F0) with the window in which the person
// was infectious; tracing lists everyone co-present in that window.
type Case struct {
	ID          ID
	PersonID    ID
	ConfirmedOn time.Time
	OnsetOn     *time.Time
	WindowStart time.Time
	WindowEnd   time.Time
	Status      string
	Notes       string
	SyncMeta
}

// DefaultWindow starts the infectious window two days before symptom onset
// (or the test date when there are no symptoms) and ends at confirmation.
func DefaultWindow(onsetOrTest, confirmed time.Time) (start, end time.Time) {
	return onsetOrTest.AddDate(0, 0, -2), confirmed.AddDate(0, 0, 1)
}
