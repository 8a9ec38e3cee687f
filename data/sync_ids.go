package data

// FollowUpID is the id of a contact's follow-up row (trace_contact): there
// is one row per (case, person), so every device must derive the same id
// for it. Then two tracers following up the same contact offline write one
// row, which the hub merges field by field, instead of two rows that clash
// on the replica's (case, person) uniqueness when they meet (a sync that
// could never apply again). The id is the case id's first half (its time
// and sequence) followed by the person id's second half (its random bits
// and variant): a valid, time-ordered UUIDv7, computable in SQL, which is
// how replica migration 0011 re-keys the follow-ups written before.
func FollowUpID(caseID, personID ID) ID {
	var id ID
	copy(id[:8], caseID[:8])
	copy(id[8:], personID[8:])
	return id
}
