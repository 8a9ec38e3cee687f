package syncproto

import (
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Frame is one unit of a sync stream; exactly one field is set.
// Protobuf: message Frame { Header header = 1; Columns columns = 2;
// Row row = 3; Ack ack = 4; Trailer trailer = 5; Signature signature = 6; }
type Frame struct {
	Header    *Header    `json:"header,omitempty"`
	Columns   *Columns   `json:"columns,omitempty"`
	Row       *Row       `json:"row,omitempty"`
	Ack       *Ack       `json:"ack,omitempty"`
	Trailer   *Trailer   `json:"trailer,omitempty"`
	Signature *Signature `json:"signature,omitempty"`
}

// Directions and kinds of a stream.
const (
	Up   = "up"   // device → hub: outbox
	Down = "down" // hub → device: pages, snapshots, acks

	KindPull     = "pull"
	KindSnapshot = "snapshot"
	KindPush     = "push"
	KindBundle   = "bundle"
)

// SchemaVersion is the version of this frame format.
const SchemaVersion = 1

// Header opens a stream or bundle.
type Header struct {
	BundleID      string        `json:"bundle_id,omitempty"`      // 1
	Direction     string        `json:"direction,omitempty"`      // 2
	Kind          string        `json:"kind,omitempty"`           // 3
	Sender        string        `json:"sender,omitempty"`         // 4: device id, or "hub:<district>"
	Recipient     string        `json:"recipient,omitempty"`      // 5
	District      string        `json:"district,omitempty"`       // 6
	Streams       []StreamRange `json:"streams,omitempty"`        // 7: down ranges per ward
	SchemaVersion int64         `json:"schema_version,omitempty"` // 8
	CreatedAt     int64         `json:"created_at,omitempty"`     // 9 (unix seconds)
	Role          string        `json:"role,omitempty"`           // 10
	FromSeq       int64         `json:"from_seq,omitempty"`       // 12: up, first device seq
	ToSeq         int64         `json:"to_seq,omitempty"`         // 13: up, last device seq
	Cursors       []StreamRange `json:"cursors,omitempty"`        // 14: up, the device's down cursors (To)
	Rows          int64         `json:"rows,omitempty"`           // 15: expected rows (a snapshot's size)
}

// StreamRange is a ward stream's sequence range (From, To]; a snapshot
// holds every live row up to To.
type StreamRange struct {
	Ward     string `json:"ward"`               // 1
	From     int64  `json:"from"`               // 2
	To       int64  `json:"to"`                 // 3
	Snapshot bool   `json:"snapshot,omitempty"` // 4
}

// Columns names the values of the rows of a table that follow it.
// message Columns { string table = 1; repeated string names = 2; }
type Columns struct {
	Table string   `json:"table"`
	Names []string `json:"names"`
}

// Row is one row version. Values are positional per the last Columns
// frame of the table: int64, float64, string, []byte or nil.
// message Row { string table = 1; string ward = 2; int64 seq = 3;
// int64 base_version = 4; int64 device_seq = 5; repeated Value values = 6; }
// message Value { sint64 int = 1; double real = 2; string text = 3; bytes blob = 4; } (none set = NULL)
type Row struct {
	Table       string `json:"table"`
	Ward        string `json:"ward,omitempty"`
	Seq         int64  `json:"seq,omitempty"`
	BaseVersion int64  `json:"base_version,omitempty"`
	DeviceSeq   int64  `json:"device_seq,omitempty"`
	Values      Values `json:"values"`
	// Raw, when set, is the already encoded values (field 6 entries) and
	// is written instead of Values: the hub streams stored rows as is.
	Raw []byte `json:"-"`
}

// Ack acknowledges a device's outbox up to AckedSeq.
type Ack struct {
	DeviceID  []byte `json:"device_id,omitempty"` // 1
	AckedSeq  int64  `json:"acked_seq"`           // 2
	Applied   int64  `json:"applied,omitempty"`   // 3
	Conflicts int64  `json:"conflicts,omitempty"` // 4
}

// Trailer closes a stream: the number of rows and the SHA-256 of every
// encoded frame before it, and where a pull continues.
type Trailer struct {
	Count     int64  `json:"count"`                // 1
	SHA256    []byte `json:"sha256,omitempty"`     // 2
	NextAfter int64  `json:"next_after,omitempty"` // 3
	HighWater int64  `json:"high_water,omitempty"` // 4
	More      bool   `json:"more,omitempty"`       // 5
}

// Signature is the sender's Ed25519 signature of the SHA-256 of every
// encoded frame before it.
type Signature struct {
	KeyID string `json:"key_id,omitempty"` // 1
	Sig   []byte `json:"sig"`              // 2
}

// Values is a row's column values.
type Values []any

var errMalformed = errors.New("syncproto: malformed frame")

// appendFrame encodes f as a protobuf Frame message.
func appendFrame(b []byte, f *Frame) []byte {
	switch {
	case f.Header != nil:
		return appendMsg(b, 1, func(b []byte) []byte { return appendHeader(b, f.Header) })
	case f.Columns != nil:
		return appendMsg(b, 2, func(b []byte) []byte {
			b = appendString(b, 1, f.Columns.Table)
			for _, n := range f.Columns.Names {
				b = protowire.AppendTag(b, 2, protowire.BytesType)
				b = protowire.AppendString(b, n)
			}
			return b
		})
	case f.Row != nil:
		return appendMsg(b, 3, func(b []byte) []byte { return appendRow(b, f.Row) })
	case f.Ack != nil:
		return appendMsg(b, 4, func(b []byte) []byte {
			b = appendBytes(b, 1, f.Ack.DeviceID)
			b = appendInt(b, 2, f.Ack.AckedSeq)
			b = appendInt(b, 3, f.Ack.Applied)
			return appendInt(b, 4, f.Ack.Conflicts)
		})
	case f.Trailer != nil:
		return appendMsg(b, 5, func(b []byte) []byte {
			b = appendInt(b, 1, f.Trailer.Count)
			b = appendBytes(b, 2, f.Trailer.SHA256)
			b = appendInt(b, 3, f.Trailer.NextAfter)
			b = appendInt(b, 4, f.Trailer.HighWater)
			return appendBool(b, 5, f.Trailer.More)
		})
	case f.Signature != nil:
		return appendMsg(b, 6, func(b []byte) []byte {
			b = appendString(b, 1, f.Signature.KeyID)
			return appendBytes(b, 2, f.Signature.Sig)
		})
	}
	return b
}

func appendHeader(b []byte, h *Header) []byte {
	b = appendString(b, 1, h.BundleID)
	b = appendString(b, 2, h.Direction)
	b = appendString(b, 3, h.Kind)
	b = appendString(b, 4, h.Sender)
	b = appendString(b, 5, h.Recipient)
	b = appendString(b, 6, h.District)
	for _, s := range h.Streams {
		b = appendMsg(b, 7, func(b []byte) []byte { return appendRange(b, s) })
	}
	b = appendInt(b, 8, h.SchemaVersion)
	b = appendInt(b, 9, h.CreatedAt)
	b = appendString(b, 10, h.Role)
	b = appendInt(b, 12, h.FromSeq)
	b = appendInt(b, 13, h.ToSeq)
	for _, s := range h.Cursors {
		b = appendMsg(b, 14, func(b []byte) []byte { return appendRange(b, s) })
	}
	return appendInt(b, 15, h.Rows)
}

func appendRange(b []byte, s StreamRange) []byte {
	b = appendString(b, 1, s.Ward)
	b = appendInt(b, 2, s.From)
	b = appendInt(b, 3, s.To)
	return appendBool(b, 4, s.Snapshot)
}

func appendRow(b []byte, r *Row) []byte {
	b = appendString(b, 1, r.Table)
	b = appendString(b, 2, r.Ward)
	b = appendInt(b, 3, r.Seq)
	b = appendInt(b, 4, r.BaseVersion)
	b = appendInt(b, 5, r.DeviceSeq)
	if r.Raw != nil {
		return append(b, r.Raw...)
	}
	return AppendValues(b, r.Values)
}

// AppendValues encodes values as Row field 6 entries.
func AppendValues(b []byte, vals Values) []byte {
	for _, v := range vals {
		b = protowire.AppendTag(b, 6, protowire.BytesType)
		switch x := v.(type) {
		case nil:
			b = protowire.AppendVarint(b, 0)
		case int64:
			z := protowire.EncodeZigZag(x)
			b = protowire.AppendVarint(b, uint64(1+protowire.SizeVarint(z)))
			b = protowire.AppendTag(b, 1, protowire.VarintType)
			b = protowire.AppendVarint(b, z)
		case float64:
			b = protowire.AppendVarint(b, 9)
			b = protowire.AppendTag(b, 2, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, math.Float64bits(x))
		case string:
			n := protowire.SizeBytes(len(x))
			b = protowire.AppendVarint(b, uint64(1+n))
			b = protowire.AppendTag(b, 3, protowire.BytesType)
			b = protowire.AppendString(b, x)
		case []byte:
			n := protowire.SizeBytes(len(x))
			b = protowire.AppendVarint(b, uint64(1+n))
			b = protowire.AppendTag(b, 4, protowire.BytesType)
			b = protowire.AppendBytes(b, x)
		default:
			panic(fmt.Sprintf("syncproto: unsupported value type %T", v))
		}
	}
	return b
}

// EncodeValues returns the encoded values (the form Row.Raw holds).
func EncodeValues(vals Values) []byte { return AppendValues(nil, vals) }

// DecodeValues reads values encoded by EncodeValues.
func DecodeValues(raw []byte) (Values, error) {
	var out Values
	for len(raw) > 0 {
		num, typ, n := protowire.ConsumeTag(raw)
		if n < 0 || num != 6 || typ != protowire.BytesType {
			return nil, errMalformed
		}
		raw = raw[n:]
		v, n := protowire.ConsumeBytes(raw)
		if n < 0 {
			return nil, errMalformed
		}
		raw = raw[n:]
		val, err := decodeValue(v)
		if err != nil {
			return nil, err
		}
		out = append(out, val)
	}
	return out, nil
}

func decodeValue(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 {
		return nil, errMalformed
	}
	b = b[n:]
	switch {
	case num == 1 && typ == protowire.VarintType:
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return nil, errMalformed
		}
		return protowire.DecodeZigZag(v), nil
	case num == 2 && typ == protowire.Fixed64Type:
		v, n := protowire.ConsumeFixed64(b)
		if n < 0 {
			return nil, errMalformed
		}
		return math.Float64frombits(v), nil
	case num == 3 && typ == protowire.BytesType:
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return nil, errMalformed
		}
		return string(v), nil
	case num == 4 && typ == protowire.BytesType:
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return nil, errMalformed
		}
		return append([]byte{}, v...), nil
	}
	return nil, errMalformed
}

func appendMsg(b []byte, num protowire.Number, body func([]byte) []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	// Reserve one length byte, write the body, then move it if the length
	// needs more bytes: avoids encoding every message twice.
	at := len(b)
	b = append(b, 0)
	b = body(b)
	n := len(b) - at - 1
	if n < 128 {
		b[at] = byte(n)
		return b
	}
	size := protowire.SizeVarint(uint64(n))
	b = append(b, make([]byte, size-1)...)
	copy(b[at+size:], b[at+1:at+1+n])
	protowire.AppendVarint(b[:at], uint64(n))
	return b
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendBytes(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func appendInt(b []byte, num protowire.Number, v int64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

func appendBool(b []byte, num protowire.Number, v bool) []byte {
	if !v {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, 1)
}

// field walks a message's fields, calling fn with each field's number,
// type, and (for varints) value or (for length-delimited) bytes.
func fields(b []byte, fn func(num protowire.Number, v uint64, data []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errMalformed
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return errMalformed
			}
			b = b[n:]
			if err := fn(num, v, nil); err != nil {
				return err
			}
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errMalformed
			}
			b = b[n:]
			if err := fn(num, 0, v); err != nil {
				return err
			}
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return errMalformed
			}
			b = b[n:] // unknown field of a newer sender: skipped
		}
	}
	return nil
}

// parseFrame decodes a protobuf Frame message.
func parseFrame(b []byte) (*Frame, error) {
	f := &Frame{}
	err := fields(b, func(num protowire.Number, _ uint64, d []byte) error {
		switch num {
		case 1:
			h, err := parseHeader(d)
			f.Header = h
			return err
		case 2:
			c := &Columns{}
			f.Columns = c
			return fields(d, func(num protowire.Number, _ uint64, d []byte) error {
				switch num {
				case 1:
					c.Table = string(d)
				case 2:
					c.Names = append(c.Names, string(d))
				}
				return nil
			})
		case 3:
			r := &Row{}
			f.Row = r
			return fields(d, func(num protowire.Number, v uint64, d []byte) error {
				switch num {
				case 1:
					r.Table = string(d)
				case 2:
					r.Ward = string(d)
				case 3:
					r.Seq = int64(v)
				case 4:
					r.BaseVersion = int64(v)
				case 5:
					r.DeviceSeq = int64(v)
				case 6:
					val, err := decodeValue(d)
					if err != nil {
						return err
					}
					r.Values = append(r.Values, val)
				}
				return nil
			})
		case 4:
			a := &Ack{}
			f.Ack = a
			return fields(d, func(num protowire.Number, v uint64, d []byte) error {
				switch num {
				case 1:
					a.DeviceID = append([]byte{}, d...)
				case 2:
					a.AckedSeq = int64(v)
				case 3:
					a.Applied = int64(v)
				case 4:
					a.Conflicts = int64(v)
				}
				return nil
			})
		case 5:
			t := &Trailer{}
			f.Trailer = t
			return fields(d, func(num protowire.Number, v uint64, d []byte) error {
				switch num {
				case 1:
					t.Count = int64(v)
				case 2:
					t.SHA256 = append([]byte{}, d...)
				case 3:
					t.NextAfter = int64(v)
				case 4:
					t.HighWater = int64(v)
				case 5:
					t.More = v != 0
				}
				return nil
			})
		case 6:
			s := &Signature{}
			f.Signature = s
			return fields(d, func(num protowire.Number, _ uint64, d []byte) error {
				switch num {
				case 1:
					s.KeyID = string(d)
				case 2:
					s.Sig = append([]byte{}, d...)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if f.Header == nil && f.Columns == nil && f.Row == nil && f.Ack == nil && f.Trailer == nil && f.Signature == nil {
		return nil, errMalformed
	}
	return f, nil
}

func parseHeader(b []byte) (*Header, error) {
	h := &Header{}
	parseRange := func(d []byte) (StreamRange, error) {
		var s StreamRange
		err := fields(d, func(num protowire.Number, v uint64, d []byte) error {
			switch num {
			case 1:
				s.Ward = string(d)
			case 2:
				s.From = int64(v)
			case 3:
				s.To = int64(v)
			case 4:
				s.Snapshot = v != 0
			}
			return nil
		})
		return s, err
	}
	err := fields(b, func(num protowire.Number, v uint64, d []byte) error {
		switch num {
		case 1:
			h.BundleID = string(d)
		case 2:
			h.Direction = string(d)
		case 3:
			h.Kind = string(d)
		case 4:
			h.Sender = string(d)
		case 5:
			h.Recipient = string(d)
		case 6:
			h.District = string(d)
		case 7:
			s, err := parseRange(d)
			h.Streams = append(h.Streams, s)
			return err
		case 8:
			h.SchemaVersion = int64(v)
		case 9:
			h.CreatedAt = int64(v)
		case 10:
			h.Role = string(d)
		case 12:
			h.FromSeq = int64(v)
		case 13:
			h.ToSeq = int64(v)
		case 14:
			s, err := parseRange(d)
			h.Cursors = append(h.Cursors, s)
			return err
		case 15:
			h.Rows = int64(v)
		}
		return nil
	})
	return h, err
}
