package scan

import (
	"encoding/hex"
	"errors"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }

func TestParsePersonalQR(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantID    string
		wantName  string
		wantBirth Date
		onBehalf  bool
		wantQID   string
		wantPhone string
		masked    bool
	}{
		{"full", "001093029317|NGUYEN LE KHA HAN|1987-01-18|0|162979388586171100|",
			"001093029317", "NGUYEN LE KHA HAN", Date{1987, 1, 18}, false, "162979388586171100", "", false},
		{"masked id and birth", "******029317|NGUYEN LE KHA HAN|1987-**-**|0|162979388586171100|",
			"******029317", "NGUYEN LE KHA HAN", Date{Year: 1987}, false, "162979388586171100", "", true},
		{"on behalf with ext phone", "001093029317|TRAN  VAN   AN|2015-06-30|1|162979388586171101|162979388586171100|1|0905123456",
			"001093029317", "TRAN VAN AN", Date{2015, 6, 30}, true, "162979388586171101", "0905123456", false},
		{"no ext field", "123456789|LE THI B|1990-12-01|0|99887766554433",
			"123456789", "LE THI B", Date{1990, 12, 1}, false, "99887766554433", "", false},
		{"ext phone +84 in composite", "001093029317|A B|1987-01-18|0|162979388586171100|x;+84 905 123 456",
			"001093029317", "A B", Date{1987, 1, 18}, false, "162979388586171100", "0905123456", false},
		{"surrounding space and CRLF", "  001093029317|NGUYEN VAN C|2000-02-29|0|1629793885861711\r\n",
			"001093029317", "NGUYEN VAN C", Date{2000, 2, 29}, false, "1629793885861711", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			q, ok := p.(*PersonalQR)
			if !ok || p.Kind() != KindPersonalQR {
				t.Fatalf("got %T kind %v", p, p.Kind())
			}
			if q.DocumentNumber != tc.wantID || q.Name != tc.wantName || q.BirthDate != tc.wantBirth ||
				q.OnBehalf != tc.onBehalf || q.QID != tc.wantQID || q.Phone != tc.wantPhone || q.Masked() != tc.masked {
				t.Errorf("got %+v masked=%v", q, q.Masked())
			}
			id := q.Identity()
			if id.QID != tc.wantQID || id.BirthYear != tc.wantBirth.Year || id.FoldedName != FoldName(tc.wantName) {
				t.Errorf("identity %+v", id)
			}
		})
	}
}

func TestParseCCCD(t *testing.T) {
	in := "001093029317|012345678|Nguyễn Lê Khả Hân|18011987|Nữ|Số 1 Hùng Vương, Ba Đình, Hà Nội|10072021"
	p, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	c := p.(*CCCDCard)
	if c.IDNumber != "001093029317" || c.OldIDNumber != "012345678" || c.Name != "Nguyễn Lê Khả Hân" ||
		c.BirthDate != (Date{1987, 1, 18}) || c.Sex != SexFemale || c.IssueDate != (Date{2021, 7, 10}) ||
		c.Address != "Số 1 Hùng Vương, Ba Đình, Hà Nội" {
		t.Errorf("got %+v", c)
	}

	// Empty old ID, missing address and issue date, decomposed (NFD) input.
	p, err = Parse(norm.NFD.String("048201000123||Đặng Văn Đức|01012001|Nam"))
	if err != nil {
		t.Fatal(err)
	}
	c = p.(*CCCDCard)
	if c.OldIDNumber != "" || c.Sex != SexMale || c.Name != "Đặng Văn Đức" || !norm.NFC.IsNormalString(c.Raw()) {
		t.Errorf("got %+v", c)
	}
	if c.Identity().FoldedName != "dang van duc" {
		t.Errorf("folded %q", c.Identity().FoldedName)
	}

	// Extra fields are kept.
	p, err = Parse("048201000123||Đặng Văn Đức|01012001|Nam|Đà Nẵng|01022022|extra1|extra2")
	if err != nil {
		t.Fatal(err)
	}
	if c := p.(*CCCDCard); len(c.Extra) != 2 || c.Extra[1] != "extra2" {
		t.Errorf("extra %+v", c.Extra)
	}
}

func TestParseHealthInsurance(t *testing.T) {
	in := "DN4797915123456|" + hexOf("Nguyễn Văn Ánh") + "|01/02/1990|1|" + hexOf("Hải Châu, Đà Nẵng") +
		"|48 - 001|01/01/2021|31/12/2021|extra|$"
	p, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	h := p.(*HealthInsuranceCard)
	if h.CardNumber != "DN4797915123456" || h.Name != "Nguyễn Văn Ánh" || h.BirthDate != (Date{1990, 2, 1}) ||
		h.Sex != SexMale || h.Address != "Hải Châu, Đà Nẵng" || h.RegistrationPlace != "48 - 001" ||
		h.ValidFrom != (Date{2021, 1, 1}) || h.ValidTo != (Date{2021, 12, 31}) {
		t.Errorf("got %+v", h)
	}
	// Birth year only, open-ended validity.
	p, err = Parse("HC4010123456789|" + hexOf("LE VAN B") + "|1975|2|" + hexOf("x") + "|01 - 002|01/01/2021|-")
	if err != nil {
		t.Fatal(err)
	}
	if h := p.(*HealthInsuranceCard); h.BirthDate != (Date{Year: 1975}) || h.Sex != SexFemale || !h.ValidTo.IsZero() {
		t.Errorf("got %+v", h)
	}
}

func TestParseVenues(t *testing.T) {
	p, err := Parse("https://tokhaiyte.vn/?page=Group.checkin&groupId=60F1A2B3C4D5E6F708192A3B")
	if err != nil {
		t.Fatal(err)
	}
	if nv := p.(*NationalVenue); nv.GroupID != "60f1a2b3c4d5e6f708192a3b" {
		t.Errorf("group %q", nv.GroupID)
	}
	foreign := map[string]Kind{
		"https://e.coronawarn.app?v=1#CAESJQgBEgpBZ2VudHVyIE1ZGhExMyBMYWJvcmF0b3J5IFJk": KindForeignVenueDE,
		"UKC19TRACING:1:eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjEyMyJ9.sig":      KindForeignVenueUK,
		"NZCOVIDTRACER:eyJnbG4iOiI5NDI5MDQ4NjI0MDAwIn0=":                                KindForeignVenueNZ,
	}
	for in, kind := range foreign {
		p, err := Parse(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		fv, ok := p.(*ForeignVenue)
		if !ok || fv.Kind() != kind || !kind.IsForeignVenue() || fv.Country == "" {
			t.Errorf("%s: got %T %v", in, p, p.Kind())
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		code  ErrorCode
		kind  Kind
		field string
	}{
		{"empty", "   ", ErrEmpty, KindUnknown, ""},
		{"plain text", "hello world", ErrUnknownFormat, KindUnknown, ""},
		{"other url", "https://example.com/x", ErrUnknownFormat, KindUnknown, ""},
		{"qrqg bad date", "001093029317|NGUYEN VAN A|1987-13-18|0|162979388586171100|", ErrBadDate, KindPersonalQR, "date of birth"},
		{"qrqg feb 30", "001093029317|NGUYEN VAN A|1987-02-30|0|162979388586171100|", ErrBadDate, KindPersonalQR, "date of birth"},
		{"qrqg half masked day", "001093029317|NGUYEN VAN A|1987-01-1*|0|162979388586171100|", ErrBadDate, KindPersonalQR, "date of birth"},
		{"qrqg bad type", "001093029317|NGUYEN VAN A|1987-01-18|7|162979388586171100|", ErrBadField, KindPersonalQR, "identity type"},
		{"qrqg bad qid", "001093029317|NGUYEN VAN A|1987-01-18|0|16297A|", ErrBadQID, KindPersonalQR, "QID"},
		{"qrqg empty name", "001093029317||1987-01-18|0|162979388586171100|", ErrBadName, KindPersonalQR, "name"},
		{"qrqg all masked id", "************|NGUYEN VAN A|1987-01-18|0|162979388586171100|", ErrBadIDNumber, KindPersonalQR, "document number"},
		{"cccd bad birth", "001093029317||Nguyễn Văn A|32011987|Nam|x|01012021", ErrBadDate, KindCCCD, "date of birth"},
		{"cccd bad sex", "001093029317||Nguyễn Văn A|18011987|Male?|x|01012021", ErrBadField, KindCCCD, "sex"},
		{"cccd bad issue", "001093029317||Nguyễn Văn A|18011987|Nam|x|0101202", ErrBadDate, KindCCCD, "issue date"},
		{"bhyt bad hex", "DN4797915123456|4e67zz|01/02/1990", ErrUnknownFormat, KindUnknown, ""},
		{"bhyt non-utf8 name", "DN4797915123456|ff00|01/02/1990", ErrBadHex, KindHealthInsurance, "name"},
		{"bhyt bad birth", "DN4797915123456|" + hexOf("A") + "|31/02/1990", ErrBadDate, KindHealthInsurance, "date of birth"},
		{"vhd short id", "https://tokhaiyte.vn/?page=Group.checkin&groupId=60f1a2", ErrBadVenueID, KindNationalVenue, "venue id"},
		{"vhd wrong page", "https://tokhaiyte.vn/?page=Home&groupId=60f1a2b3c4d5e6f708192a3b", ErrBadField, KindNationalVenue, "page"},
		{"qrw bad base45", "QRW1:~~~", ErrBadEncoding, KindQrwardVenue, "venue code"},
		{"qrw too short", "QRW1:" + base45Encode([]byte("short")), ErrFieldCount, KindQrwardVenue, "venue code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("want error, got %T %+v", p, p)
			}
			var pe *PayloadError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *PayloadError", err)
			}
			if pe.Code != tc.code || pe.Kind != tc.kind || pe.Field != tc.field {
				t.Errorf("got code=%v kind=%v field=%q (%v)", pe.Code, pe.Kind, pe.Field, err)
			}
			if pe.MessageVI() == "" || pe.MessageEN() == "" {
				t.Error("empty message")
			}
		})
	}
}

func TestPayloadErrorMessages(t *testing.T) {
	_, err := Parse("001093029317|NGUYEN VAN A|1987-13-18|0|162979388586171100|")
	pe := err.(*PayloadError)
	if got := pe.MessageVI(); got != "mã không hợp lệ: ngày sinh sai định dạng" {
		t.Errorf("VI %q", got)
	}
	if got := pe.MessageEN(); got != "invalid code: date of birth is malformed" {
		t.Errorf("EN %q", got)
	}
	_, err = Parse("xyz")
	if got := err.(*PayloadError).MessageVI(); got != "không nhận dạng được mã" {
		t.Errorf("VI unknown %q", got)
	}
}

func TestKindNamesStable(t *testing.T) {
	want := map[Kind]string{KindUnknown: "unknown", KindPersonalQR: "personal_qr", KindCCCD: "cccd",
		KindHealthInsurance: "bhyt", KindNationalVenue: "national_venue", KindQrwardVenue: "qrward_venue",
		KindForeignVenueDE: "foreign_venue_de", KindForeignVenueUK: "foreign_venue_uk", KindForeignVenueNZ: "foreign_venue_nz"}
	for k, name := range want {
		if k.String() != name {
			t.Errorf("%d: %q", k, k.String())
		}
		if back, ok := ParseKind(name); !ok || back != k {
			t.Errorf("ParseKind(%q)", name)
		}
	}
	if Kind(99).String() != "unknown" {
		t.Error("out of range kind")
	}
}

func TestFoldName(t *testing.T) {
	cases := map[string]string{
		"Nguyễn  Lê Khả Hân":   "nguyen le kha han",
		"NGUYEN LE KHA HAN":    "nguyen le kha han",
		"Đặng Đức\tĐạt ":       "dang duc dat",
		" đỗ   thị  ngọc  ":    "do thi ngoc",
		norm.NFD.String("Ỷ Ữ"): "y u",
		"":                     "",
	}
	for in, want := range cases {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchIdentity(t *testing.T) {
	qrqg := Identity{QID: "162979388586171100", IDNumber: "******029317", FoldedName: "nguyen le kha han", BirthYear: 1987}
	cccd := Identity{IDNumber: "001093029317", FoldedName: FoldName("Nguyễn Lê Khả Hân"), BirthYear: 1987}
	tests := []struct {
		name string
		a, b Identity
		want MatchReason
		ok   bool
	}{
		{"same qid", qrqg, Identity{QID: "162979388586171100"}, MatchQID, true},
		{"different qid wins over equal id", Identity{QID: "1", IDNumber: "001093029317"}, Identity{QID: "2", IDNumber: "001093029317"}, MatchNone, false},
		{"full id", Identity{IDNumber: "001093029317"}, cccd, MatchIDNumber, true},
		{"full id differs", Identity{IDNumber: "001093029318", FoldedName: cccd.FoldedName, BirthYear: 1987}, cccd, MatchNone, false},
		{"masked id with name and year", qrqg, cccd, MatchMaskedID, true},
		{"masked id but other year", qrqg, Identity{IDNumber: "001093029317", FoldedName: "nguyen le kha han", BirthYear: 1988}, MatchNone, false},
		{"masked id visible digits differ", qrqg, Identity{IDNumber: "001093029316", FoldedName: "nguyen le kha han", BirthYear: 1987}, MatchNone, false},
		{"masked id other length", qrqg, Identity{IDNumber: "093029317", FoldedName: "nguyen le kha han", BirthYear: 1987}, MatchNone, false},
		{"name birth phone", Identity{FoldedName: "tran van an", BirthYear: 1990, Phone: "0905123456"},
			Identity{FoldedName: "tran van an", BirthYear: 1990, Phone: "+84 905 123 456"}, MatchNameBirthPhone, true},
		{"name birth without phone", Identity{FoldedName: "tran van an", BirthYear: 1990},
			Identity{FoldedName: "tran van an", BirthYear: 1990}, MatchNone, false},
		{"empty", Identity{}, Identity{}, MatchNone, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := MatchIdentity(tc.a, tc.b)
			if ok != tc.ok || m.Reason != tc.want {
				t.Errorf("got %v %v, want %v %v", m.Reason, ok, tc.want, tc.ok)
			}
			m2, ok2 := MatchIdentity(tc.b, tc.a)
			if ok2 != ok || m2 != m {
				t.Errorf("not symmetric: %v %v", m2.Reason, ok2)
			}
		})
	}
}

func TestMatchAcrossParsedCodes(t *testing.T) {
	p1, err := Parse("******029317|NGUYEN LE KHA HAN|1987-**-**|0|162979388586171100|")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := Parse("001093029317||Nguyễn Lê Khả Hân|18011987|Nữ|Hà Nội|10072021")
	if err != nil {
		t.Fatal(err)
	}
	m, ok := MatchIdentity(p1.(PersonCode).Identity(), p2.(PersonCode).Identity())
	if !ok || m.Reason != MatchMaskedID {
		t.Errorf("got %v %v", m.Reason, ok)
	}
}

func TestNormalizePhone(t *testing.T) {
	cases := map[string]string{"0905123456": "0905123456", "+84905123456": "0905123456", "84 905.123-456": "0905123456",
		"0105123456": "", "abc": "", "090512345": ""}
	for in, want := range cases {
		if got := normalizePhone(in); got != want {
			t.Errorf("%q: %q want %q", in, got, want)
		}
	}
}
