// Package stats turns the replica's compliance figures (data/sqlite
// Stats, ReminderVenues) into outputs shared by the CLI and the window:
// the SMS reminder list for venue owners.
package stats
