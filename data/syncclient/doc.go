// Package syncclient is the device side of the sync with the district
// hub: enrolment with a one-time code (pinning the hub's certificate),
// push of the outbox in batches, pull of ward pages and snapshots into the
// replica, a background loop with progress and cancellation, and USB
// bundles in both directions. The replica's apply code (data/sqlite
// syncapply.go) is shared by the HTTP pull and bundle import.
package syncclient
