package protect

import (
	"crypto/sha256"
	"encoding/json"
)

// AuditEntry is one line of the append-only audit log. Detail never holds
// personal data: counts, ids and codes only.
type AuditEntry struct {
	Seq      int64  `json:"seq"`
	At       int64  `json:"at"`
	Actor    string `json:"actor"`
	Action   string `json:"action"`
	Entity   string `json:"entity"`
	EntityID string `json:"entity_id"`
	Detail   string `json:"detail"`
}

// ChainHash is SHA-256(prev ‖ canonical JSON of e): editing, removing or
// reordering any entry changes every hash after it.
func ChainHash(prev []byte, e AuditEntry) []byte {
	b, _ := json.Marshal(e) // struct field order makes the JSON canonical
	h := sha256.New()
	h.Write(prev)
	h.Write(b)
	return h.Sum(nil)
}
