// Package sqlite is qrward's local replica: one SQLite file per replica
// (WAL, foreign keys on), schema migrations embedded and applied at open,
// a single-connection read-write pool and a read-only pool, and the domain
// operations the GUI and CLI call. Every local edit of a synced row writes
// its outbox entry in the same transaction, ready for the sync issue's
// district hub.
//
// One piece is C: the qrward_presences aggregate (presenceagg.go), which
// packs the check-ins a trace reads, registered on every connection.
package sqlite
