package data

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes tell the edge (GUI, CLI) what kind of failure happened, so it
// can choose a message and an exit code without parsing text.
const (
	EInvalid      = "invalid"      // input failed validation; see Fields
	ENotFound     = "not_found"    // no such row
	EConflict     = "conflict"     // a unique value is taken, or a stale version
	ESchemaNewer  = "schema_newer" // the replica was written by a newer qrward
	EUnauthorized = "unauthorized" // the signed-in user's role may not do this
	EInternal     = "internal"     // a bug or an I/O failure
	EUnsupported  = "unsupported"  // a file format or version we do not read
	ECancelled    = "cancelled"    // the user cancelled a long job
	ECorrupt      = "corrupt"      // a file or record failed an integrity check
)

// Error is a domain error. Key names a message in the translation files
// (assets/i18n); Args fill its placeholders. Field names the input field
// it concerns, when there is one.
type Error struct {
	Code  string
	Field string
	Key   string
	Args  []any
	// Fields holds per-field problems for EInvalid.
	Fields []FieldError
	Err    error // wrapped cause, never shown to users verbatim
}

// FieldError is one validation problem, shown next to its field.
type FieldError struct {
	Field string
	Key   string
	Args  []any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Field != "" {
		b.WriteString(" (" + e.Field + ")")
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Key)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of a domain error, EInternal for any other
// error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Errorf builds a domain error with a message key.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Validation collects field errors; its Err is nil when nothing was added.
type Validation struct{ fields []FieldError }

// Add records a problem with field.
func (v *Validation) Add(field, key string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Key: key, Args: args})
}

// Err returns an EInvalid *Error carrying every problem, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Key: "err.invalid_input", Fields: v.fields}
}

// FieldErrors extracts the per-field problems of an EInvalid error.
func FieldErrors(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
