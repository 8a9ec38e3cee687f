package syncproto

// JSON bodies of the hub's HTTP API (the frames carry the rows).

// EnrolRequest is what a device sends with its one-time code.
type EnrolRequest struct {
	Code       string `json:"code"`
	DeviceID   string `json:"device_id"`
	Name       string `json:"name"`
	SignPublic string `json:"sign_public"`
	Recipient  string `json:"recipient"`
}

// EnrolResponse is the device's credential and scope, and the hub's keys.
type EnrolResponse struct {
	Token         string   `json:"token"`
	District      string   `json:"district"`
	Role          string   `json:"role"`
	Wards         []string `json:"wards"`
	HubSignPublic string   `json:"hub_sign_public"`
	HubRecipient  string   `json:"hub_recipient"`
}

// ErrorBody is the JSON answer of a failed request: the domain error's
// code, message key and arguments, so the app shows it in its language.
type ErrorBody struct {
	Code string `json:"code"`
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// StatusBody answers GET /v1/status.
type StatusBody struct {
	DeviceID string           `json:"device_id"`
	Role     string           `json:"role"`
	Wards    []string         `json:"wards"`
	AckedSeq int64            `json:"acked_seq"`
	Streams  map[string]int64 `json:"streams"`
}

// ResyncKey is the error key of a pull the hub answers with 410 Gone: the
// cursor is 0 or older than the tombstone horizon, load a snapshot.
const ResyncKey = "err.sync_resync"

// DefaultPageRows is the pull page size: smaller pages measured 10–35 %
// slower end to end.
const DefaultPageRows = 50000

// Headers of the ward-file answer (GET /v1/wardfile): the ward stream's
// position the file holds, its synced rows, the replica schema version it
// was built with, and the SHA-256 of the compressed body.
const (
	HeaderWardCursor = "X-Qrward-Cursor"
	HeaderWardRows   = "X-Qrward-Rows"
	HeaderWardSchema = "X-Qrward-Schema"
	HeaderWardSHA256 = "X-Qrward-Sha256"
)
