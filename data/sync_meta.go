package data

import "time"

// SyncMeta is carried by every row that travels between devices and the
// district hub. Version counts edits of the row (the base version a merge
// compares against); DeletedAt marks a tombstone, which is synced like an
// edit so other replicas learn of the delete.
type SyncMeta struct {
	DeviceID  ID
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt *time.Time
}

// Deleted reports whether the row is a tombstone.
func (m SyncMeta) Deleted() bool { return m.DeletedAt != nil }
