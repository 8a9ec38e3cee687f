// Package trace finds the people who were at the same venue at the same
// time as a confirmed case (F0 → F1, and optionally F1 → F2) under named,
// configurable exposure rules ("profiles"), and explains every row: which
// visit, which venue, which times and how much overlap.
//
// The package is pure: it judges visits and presences handed to it. The
// replica (data/sqlite, tracing.go) reads them with one index range scan
// per visit, bounded by Profile.Range, and hands them over visit by visit
// (Collector.AddVisit).
package trace
