package data

import "time"

// Retention of personal data (NĐ 13/2023 art. 16.7: deleted irreversibly
// once its purpose is served). One rule, applied by every replica
// (data/sqlite retention.go) and by the district hub (data/hub purge.go)
// on its own: purges are never shipped as deletes, so both sides must cut
// at the same place.
const (
	// SettingRetentionCheckins and SettingRetentionViolations are the
	// replica settings holding the periods in days (the district sets them).
	SettingRetentionCheckins   = "retention.checkins_days"   // check-ins, manual visits, tracing contacts
	SettingRetentionViolations = "retention.violations_days" // closed violation files
	// DefaultRetentionCheckins is the check-in period in days: the usual
	// 21-day F0 look-back (and the NHS venue-data window).
	DefaultRetentionCheckins = 21
	// DefaultRetentionViolations is the period of closed violation files.
	DefaultRetentionViolations = 5 * 365
)

// retentionZone is Vietnamese time (UTC+7, no daylight saving): retention
// days are Vietnamese calendar days, like the rollups'.
var retentionZone = time.FixedZone("ICT", 7*3600)

// CheckinRetentionCutoff is the instant before which check-in class rows
// are purged at now: Vietnamese midnight of now's day, days days back.
// Whole days go, so the day rollups a replica keeps are never left
// describing half a day of rows. days < 1 means the default.
func CheckinRetentionCutoff(now time.Time, days int) time.Time {
	if days < 1 {
		days = DefaultRetentionCheckins
	}
	n := now.In(retentionZone)
	midnight := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, retentionZone)
	return midnight.AddDate(0, 0, -days)
}

// ViolationRetentionCutoff is the instant before which closed violation
// files are purged at now. days < 1 means the default.
func ViolationRetentionCutoff(now time.Time, days int) time.Time {
	if days < 1 {
		days = DefaultRetentionViolations
	}
	return now.In(retentionZone).AddDate(0, 0, -days)
}

// CheckinRetained lists the tables purged by the check-in period and, for
// each, the column (unix seconds) the period runs from: a row whose time
// is before CheckinRetentionCutoff goes.
var CheckinRetained = map[string]string{
	"checkin":       "time_in",
	"trace_visit":   "time_in",
	"trace_contact": "created_at",
}

// ViolationFileParts lists the rows of a violation file besides the
// violation itself, each table with the column naming the violation: a
// closed violation found before ViolationRetentionCutoff goes with them.
var ViolationFileParts = map[string]string{
	"violation_event": "violation_id",
	"document":        "subject_id",
}

// PersonReferences lists the columns that keep a person: a person named by
// a purged row is purged too once none of these refers to them any more.
var PersonReferences = map[string]string{
	"checkin":       "person_id",
	"venue":         "owner_id",
	"case_f0":       "person_id",
	"trace_contact": "person_id",
}
