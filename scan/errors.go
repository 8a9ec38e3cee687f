package scan

import "fmt"

// ErrorCode classifies why a payload was rejected. Values are stable.
type ErrorCode int

const (
	// ErrEmpty: the text is empty or only white space.
	ErrEmpty ErrorCode = iota + 1
	// ErrUnknownFormat: the text matches no known kind.
	ErrUnknownFormat
	// ErrFieldCount: a known kind with too few fields.
	ErrFieldCount
	// ErrBadDate: a date field is not a valid date in the expected layout.
	ErrBadDate
	// ErrBadIDNumber: an ID/document number has the wrong shape.
	ErrBadIDNumber
	// ErrBadName: the name is missing or contains control characters.
	ErrBadName
	// ErrBadQID: the QID of a personal code is not a digit string.
	ErrBadQID
	// ErrBadField: an enumerated field (type, sex) has an unexpected value.
	ErrBadField
	// ErrBadHex: a hex-encoded field is not valid hex or not UTF-8.
	ErrBadHex
	// ErrBadVenueID: a venue identifier has the wrong shape.
	ErrBadVenueID
	// ErrBadEncoding: a binary part of a code could not be decoded.
	ErrBadEncoding
	// ErrBadWardCode: the ward code is not five digits.
	ErrBadWardCode
	// ErrTooLong: the text is longer than any QR code can carry.
	ErrTooLong
)

// PayloadError explains why a text could not be parsed. Kind is the kind the
// text looked like (KindUnknown when nothing matched) and Field names the
// offending field in English (FieldVI in Vietnamese).
type PayloadError struct {
	Code    ErrorCode
	Kind    Kind
	Field   string
	FieldVI string
	// Detail is a short English technical note for logs; may be empty.
	Detail string
}

// errorText gives, per code, the default subject (used when no field is
// named) and the predicate, in Vietnamese and English, so a message reads
// "<field> <predicate>", e.g. "ngày sinh sai định dạng".
type errorText struct{ subjectVI, predicateVI, subjectEN, predicateEN string }

var errorTexts = map[ErrorCode]errorText{
	ErrEmpty:         {"mã", "trống", "code", "is empty"},
	ErrUnknownFormat: {"", "không nhận dạng được mã", "", "unrecognised code"},
	ErrFieldCount:    {"mã", "thiếu trường dữ liệu", "code", "has missing fields"},
	ErrBadDate:       {"ngày", "sai định dạng", "date", "is malformed"},
	ErrBadIDNumber:   {"số giấy tờ", "sai định dạng", "document number", "is malformed"},
	ErrBadName:       {"họ tên", "không hợp lệ", "name", "is invalid"},
	ErrBadQID:        {"mã QID", "sai định dạng", "QID", "is malformed"},
	ErrBadField:      {"trường dữ liệu", "có giá trị không hợp lệ", "field", "has an invalid value"},
	ErrBadHex:        {"dữ liệu hex", "không hợp lệ", "hex data", "is invalid"},
	ErrBadVenueID:    {"mã địa điểm", "sai định dạng", "venue id", "is malformed"},
	ErrBadEncoding:   {"dữ liệu mã hoá", "không hợp lệ", "encoded data", "is invalid"},
	ErrBadWardCode:   {"mã phường/xã", "sai định dạng", "ward code", "is malformed"},
	ErrTooLong:       {"mã", "quá dài", "code", "is too long"},
}

// String returns a stable machine name for the code.
func (c ErrorCode) String() string {
	names := map[ErrorCode]string{
		ErrEmpty: "empty", ErrUnknownFormat: "unknown_format", ErrFieldCount: "field_count",
		ErrBadDate: "bad_date", ErrBadIDNumber: "bad_id_number", ErrBadName: "bad_name",
		ErrBadQID: "bad_qid", ErrBadField: "bad_field", ErrBadHex: "bad_hex",
		ErrBadVenueID: "bad_venue_id", ErrBadEncoding: "bad_encoding",
		ErrBadWardCode: "bad_ward_code", ErrTooLong: "too_long",
	}
	if n, ok := names[c]; ok {
		return n
	}
	return fmt.Sprintf("error_%d", int(c))
}

// MessageVI is the message shown to a Vietnamese user, e.g.
// "mã không hợp lệ: ngày sinh sai định dạng".
func (e *PayloadError) MessageVI() string {
	t, ok := errorTexts[e.Code]
	if !ok {
		return "mã không hợp lệ"
	}
	if e.Code == ErrUnknownFormat {
		return t.predicateVI
	}
	subject := t.subjectVI
	if e.FieldVI != "" {
		subject = e.FieldVI
	}
	return "mã không hợp lệ: " + subject + " " + t.predicateVI
}

// MessageEN is the English variant of MessageVI, e.g.
// "invalid code: date of birth is malformed".
func (e *PayloadError) MessageEN() string {
	t, ok := errorTexts[e.Code]
	if !ok {
		return "invalid code"
	}
	if e.Code == ErrUnknownFormat {
		return t.predicateEN
	}
	subject := t.subjectEN
	if e.Field != "" {
		subject = e.Field
	}
	return "invalid code: " + subject + " " + t.predicateEN
}

// Error implements error with the English message and the technical detail.
func (e *PayloadError) Error() string {
	msg := "scan: " + e.MessageEN()
	if e.Kind != KindUnknown {
		msg += " (" + e.Kind.String() + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// field describes a payload field in both languages for error messages.
type field struct{ en, vi string }

var (
	fieldIDNumber   = field{"document number", "số giấy tờ"}
	fieldName       = field{"name", "họ tên"}
	fieldBirthDate  = field{"date of birth", "ngày sinh"}
	fieldIDType     = field{"identity type", "loại định danh"}
	fieldQID        = field{"QID", "mã QID"}
	fieldSex        = field{"sex", "giới tính"}
	fieldIssueDate  = field{"issue date", "ngày cấp"}
	fieldCardNumber = field{"card number", "số thẻ"}
	fieldAddress    = field{"address", "địa chỉ"}
	fieldValidFrom  = field{"valid from", "giá trị từ ngày"}
	fieldValidTo    = field{"valid to", "giá trị đến ngày"}
	fieldGroupID    = field{"venue id", "mã địa điểm"}
	fieldVenueCode  = field{"venue code", "mã địa điểm"}
	fieldWardCode   = field{"ward code", "mã phường/xã"}
	fieldNone       = field{}
)

func newPayloadError(code ErrorCode, kind Kind, f field, detail string) *PayloadError {
	return &PayloadError{Code: code, Kind: kind, Field: f.en, FieldVI: f.vi, Detail: detail}
}
