package data

import "testing"

func TestNormalizePhone(t *testing.T) {
	valid := []struct{ in, want string }{
		{"0905123456", "0905123456"},
		{"0905 123 456", "0905123456"},
		{"0905.123.456", "0905123456"},
		{"0905-123-456", "0905123456"},
		{"+84905123456", "0905123456"},
		{"+84 905 123 456", "0905123456"},
		{"84905123456", "0905123456"},
		{"0084905123456", "0905123456"},
		{"905123456", "0905123456"}, // leading zero lost by Excel
		{"(+84) 32 123 4567", "0321234567"},
		// old 11-digit numbers
		{"01621234567", "0321234567"},
		{"01691234567", "0391234567"},
		{"01201234567", "0701234567"},
		{"01211234567", "0791234567"},
		{"01221234567", "0771234567"},
		{"01261234567", "0761234567"},
		{"01281234567", "0781234567"},
		{"01231234567", "0831234567"},
		{"01241234567", "0841234567"},
		{"01251234567", "0851234567"},
		{"01271234567", "0811234567"},
		{"01291234567", "0821234567"},
		{"01861234567", "0561234567"},
		{"01881234567", "0581234567"},
		{"01991234567", "0591234567"},
		{"+841621234567", "0321234567"},
		{"0521234567", "0521234567"},
		{"0861234567", "0861234567"},
	}
	for _, c := range valid {
		got, err := NormalizePhone(c.in)
		if err != nil || got != c.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	invalid := []struct{ in, key string }{
		{"", "err.phone_empty"},
		{"abc", "err.phone_chars"},
		{"0905 12345", "err.phone_invalid"},  // too short
		{"09051234567", "err.phone_invalid"}, // too long
		{"0201234567", "err.phone_invalid"},  // landline-style prefix
		{"0311234567", "err.phone_invalid"},  // 031 not a mobile prefix
		{"01301234567", "err.phone_invalid"}, // unknown old prefix
		{"+1 415 555 0100", "err.phone_foreign"},
		{"0905x123456", "err.phone_chars"},
	}
	for _, c := range invalid {
		_, err := NormalizePhone(c.in)
		var e *Error
		if err == nil {
			t.Errorf("NormalizePhone(%q) accepted", c.in)
			continue
		}
		if ok := asError(err, &e); !ok || e.Key != c.key || e.Field != "phone" || e.Code != EInvalid {
			t.Errorf("NormalizePhone(%q) error = %v, want key %s", c.in, err, c.key)
		}
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	*target = e
	return ok
}

func TestFormatPhone(t *testing.T) {
	if got := FormatPhone("0905123456"); got != "0905 123 456" {
		t.Error(got)
	}
}
