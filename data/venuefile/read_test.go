package venuefile

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"

	"qrward/data"
)

var header = []string{"Mã địa điểm", "Tên địa điểm", "Loại hình", "Địa chỉ", "Mã phường/xã", "Phường/xã",
	"Chủ cơ sở", "Số điện thoại", "Phương thức kiểm soát", "Trạng thái", "Cam kết", "Ghi chú"}

// rowCase is one data row and what reading it must give.
type rowCase struct {
	name     string
	cells    []string // in header order
	problems string   // "field:key …", in column order
	check    func(t *testing.T, v data.Venue)
}

func wantWard(code string) func(*testing.T, data.Venue) {
	return func(t *testing.T, v data.Venue) {
		if v.WardCode != code || v.WardDataset != "vn-2021" {
			t.Errorf("ward %q (%q), want %q", v.WardCode, v.WardDataset, code)
		}
	}
}

var rowCases = []rowCase{
	{name: "good, ward code", cells: []string{"20236-0001", "Nhà hàng Biển Xanh", "Nhà hàng", "45 Bạch Đằng", "20236", "", "Nguyễn Văn An", "0905 123 456", "", "", "", ""},
		check: func(t *testing.T, v data.Venue) {
			if v.Category != "restaurant" || v.OwnerPhone != "0905123456" || v.ControlMethod != data.ControlStaffScan ||
				v.Status != data.VenueOpen || v.Commitment != data.CommitmentNone || v.Code != "20236-0001" {
				t.Errorf("venue %+v", v)
			}
			wantWard("20236")(t, v)
		}},
	{name: "ward by name", cells: []string{"", "Tạp hóa Cô Lan", "Tạp hóa", "112 Trần Phú", "", "Hải Châu I", "Trần Thị Lan", "+84 935 987 654", "Khách tự quét QR địa điểm", "Tạm dừng", "Đã ký", ""},
		check: func(t *testing.T, v data.Venue) {
			wantWard("20236")(t, v)
			if v.Category != "grocery" || v.ControlMethod != data.ControlVenueQR || v.Status != data.VenueSuspended ||
				v.Commitment != data.CommitmentSigned || v.OwnerPhone != "0935987654" {
				t.Errorf("venue %+v", v)
			}
		}},
	{name: "ward by folded name, arabic numeral", cells: []string{"", "Quán cà phê Góc Phố", "quan ca phe", "3 Lê Lợi", "", "hai chau 1", "Lê Văn Tám", "0914000111", "", "", "", ""},
		check: wantWard("20236")},
	{name: "ward by abbreviated full name", cells: []string{"", "Chợ Cồn", "Chợ", "290 Hùng Vương", "", "P. Hải Châu II", "Ban quản lý chợ Cồn", "0983 111 222", "", "", "", ""},
		check: wantWard("20239")},
	{name: "ward by full name, old-style tone mark", cells: []string{"", "Bãi biển Sơn Thủy", "Nơi công cộng (công viên, bãi biển)", "Trường Sa", "", "Phường Hòa Quý", "UBND phường", "0935 000 111", "", "", "", ""},
		check: wantWard("20287")},
	{name: "full name disambiguates", cells: []string{"", "Siêu thị Co.opmart", "Siêu thị", "478 Điện Biên Phủ", "", "Phường Phước Ninh", "Công ty Saigon Co.op", "0905 555 666", "", "", "", ""},
		check: wantWard("20242")},
	{name: "code and matching name", cells: []string{"", "Trường THCS Lê Hồng Phong", "Trường học", "10 Lê Hồng Phong", "20242", "Phước Ninh", "Hiệu trưởng", "0905 555 777", "", "", "", ""},
		check: wantWard("20242")},
	{name: "missing name", cells: []string{"", "", "Nhà hàng", "12 Bạch Đằng", "20236", "", "Nguyễn Văn Bình", "0905 123 457", "", "", "", ""},
		problems: "name:err.required"},
	{name: "unknown category", cells: []string{"", "Karaoke Sao Mai", "Karaoke", "5 Nguyễn Văn Linh", "20242", "", "Phan Văn Cường", "0905 123 458", "", "", "", ""},
		problems: "category:err.category_unknown"},
	{name: "invalid phone", cells: []string{"", "Nhà thuốc Minh Châu", "Cơ sở y tế", "9 Ông Ích Khiêm", "20233", "", "Đỗ Thị Mai", "0123", "", "", "", ""},
		problems: "owner_phone:err.phone_invalid"},
	{name: "unknown ward code", cells: []string{"", "Khách sạn Sông Hàn", "Khách sạn", "1 Bạch Đằng", "99999", "", "Võ Văn Dũng", "0905 123 459", "", "", "", ""},
		problems: "ward:err.ward_unknown"},
	{name: "unknown ward name", cells: []string{"", "Ngân hàng Á Châu", "Ngân hàng", "20 Nguyễn Văn Linh", "", "Hải Châu 9", "Trần Văn Em", "0905 123 460", "", "", "", ""},
		problems: "ward_name:err.ward_unknown"},
	{name: "ambiguous ward name", cells: []string{"", "Phòng gym Sức Sống", "Thể thao", "8 Hoàng Diệu", "", "Phước Ninh", "Lê Thị Giang", "0905 123 461", "", "", "", ""},
		problems: "ward_name:err.venuefile_ward_ambiguous"},
	{name: "code and name disagree", cells: []string{"", "Chùa Phổ Đà", "Chùa", "340 Phan Châu Trinh", "20236", "Thạch Thang", "Thích Minh Tâm", "0905 123 462", "", "", "", ""},
		problems: "ward_name:err.venuefile_ward_mismatch"},
	{name: "duplicate code", cells: []string{"20236-0001", "Nhà hàng khác", "Nhà hàng", "77 Bạch Đằng", "20236", "", "Nguyễn Văn Hải", "0905 123 463", "", "", "", ""},
		problems: "code:err.venuefile_duplicate_code"},
	{name: "duplicate name+address+ward", cells: []string{"", "NHA HANG BIEN XANH", "Nhà hàng", "45  bạch đằng", "20236", "", "Nguyễn Văn An", "0905 123 456", "", "", "", ""},
		problems: "name:err.venuefile_duplicate_venue"},
	{name: "bad venue code", cells: []string{"#1", "Cửa hàng Hoa Mai", "Cửa hàng", "2 Lý Thường Kiệt", "20236", "", "Hồ Thị Hoa", "0905 123 464", "", "", "", ""},
		problems: "code:err.venue_code_format"},
	{name: "several problems, column order", cells: []string{"", "Quán nhậu Ba Miền", "Quán ăn", "", "20236", "", "Cao Văn Khoa", "12345", "", "Mở lại", "", ""},
		problems: "address:err.required owner_phone:err.phone_invalid status:err.value_unknown"},
	{name: "NFD text is normalised", cells: []string{"", norm.NFD.String("Quán Bún Chả Cá Bà Lữ"), norm.NFD.String("Hàng ăn đường phố"), norm.NFD.String("319 Hùng Vương"), "20236", "", norm.NFD.String("Lữ Thị Ánh"), "0122 9123 456", "", "", "", ""},
		check: func(t *testing.T, v data.Venue) {
			if v.Name != "Quán Bún Chả Cá Bà Lữ" || !norm.NFC.IsNormalString(v.OwnerName) || v.Category != "street_food" {
				t.Errorf("venue %+v", v)
			}
			if v.OwnerPhone != "0779123456" { // old 0122 → 077
				t.Errorf("phone %q", v.OwnerPhone)
			}
		}},
}

func caseRecords() [][]string {
	recs := [][]string{header}
	for _, c := range rowCases {
		recs = append(recs, c.cells)
	}
	return recs
}

// Every row of the table comes back with its line number, its problems
// and its venue, whatever the file format.
func TestReadRows(t *testing.T) {
	files := []struct {
		name   string
		format Format
		file   []byte
	}{
		{"csv comma", CSV, csvFile(t, ',', false, caseRecords())},
		{"csv semicolon with BOM", CSV, csvFile(t, ';', true, caseRecords())},
		{"csv tab", CSV, csvFile(t, '\t', false, caseRecords())},
		{"xlsx", XLSX, xlsxFile(t, "Sheet1", anyRows(caseRecords()))},
		{"xlsx named csv", CSV, xlsxFile(t, "Địa điểm", anyRows(caseRecords()))},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			p, err := Read(bytes.NewReader(f.file), f.format, testWards, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Warnings) != 0 {
				t.Errorf("warnings %v", p.Warnings)
			}
			if len(p.Rows) != len(rowCases) {
				t.Fatalf("%d rows, want %d", len(p.Rows), len(rowCases))
			}
			bad := 0
			for i, c := range rowCases {
				r := p.Rows[i]
				if r.Line != i+2 {
					t.Errorf("%s: line %d, want %d", c.name, r.Line, i+2)
				}
				if got := problemsString(r.Problems); got != c.problems {
					t.Errorf("%s (line %d): problems %q, want %q", c.name, r.Line, got, c.problems)
				}
				if c.problems != "" {
					bad++
				}
				if c.check != nil {
					c.check(t, r.Venue)
				}
				if got := p.Cell(i, FieldName); got != c.cells[1] {
					t.Errorf("%s: name cell %q", c.name, got)
				}
			}
			if p.ErrorCount() != bad || len(p.Valid()) != len(rowCases)-bad {
				t.Errorf("ErrorCount %d, Valid %d; want %d bad", p.ErrorCount(), len(p.Valid()), bad)
			}
			if want, ok := map[string]rune{"csv comma": ',', "csv semicolon with BOM": ';', "csv tab": '\t'}[f.name]; ok && p.Comma != want {
				t.Errorf("comma %q, want %q", p.Comma, want)
			}
			if want := map[bool]Format{true: XLSX, false: CSV}[strings.HasPrefix(f.name, "xlsx")]; p.Format != want {
				t.Errorf("format %v, want %v", p.Format, want)
			}
		})
	}
}

// The duplicate messages name the first line.
func TestReadDuplicateArgs(t *testing.T) {
	p, err := Read(bytes.NewReader(csvFile(t, ',', false, caseRecords())), CSV, testWards, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Rows {
		for _, pr := range r.Problems {
			switch pr.Key {
			case "err.venuefile_duplicate_code":
				if fmt.Sprint(pr.Args) != "[20236-0001 2]" {
					t.Errorf("line %d: args %v", r.Line, pr.Args)
				}
			case "err.venuefile_duplicate_venue":
				if fmt.Sprint(pr.Args) != "[2]" {
					t.Errorf("line %d: args %v", r.Line, pr.Args)
				}
			}
		}
	}
}

// Line numbers are what a text editor shows: quoted cells spanning lines
// and blank lines count.
func TestReadCSVLineNumbers(t *testing.T) {
	text := "Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại,Ghi chú\r\n" +
		"Quán A,Nhà hàng,1 Lê Lợi,20236,An,0905123456,\"dòng một\r\ndòng hai\"\r\n" +
		"\r\n" +
		",,,,,,\r\n" +
		"Quán B,Nhà hàng,2 Lê Lợi,20236,Bình,0123,\r\n"
	p, err := Read(strings.NewReader(text), CSV, testWards, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 2 || p.Rows[0].Line != 2 || p.Rows[1].Line != 6 {
		t.Fatalf("rows %+v", p.Rows)
	}
	if got := problemsString(p.Rows[1].Problems); got != "owner_phone:err.phone_invalid" {
		t.Errorf("problems %q", got)
	}
	if p.Rows[0].Venue.Notes != "dòng một dòng hai" {
		t.Errorf("notes %q", p.Rows[0].Venue.Notes)
	}
}

// Headers match without case, diacritics or markers, in any order, in
// English, after title rows; unknown columns give a warning; STT is
// skipped.
func TestReadHeaderVariants(t *testing.T) {
	recs := [][]string{
		{"DANH SÁCH ĐỊA ĐIỂM PHẢI QUÉT MÃ QR - PHƯỜNG HẢI CHÂU I"},
		{},
		{"STT", "so dien thoai (*)", "TEN DIA DIEM *", "Ghi chu", "loai hinh", "dia chi (bắt buộc)", "Chủ hộ kinh doanh", "Phường", "Zalo"},
		{"1", "905123456", "Quán Mì Quảng Bà Mua", "", "Nhà hàng", "19 Trần Bình Trọng", "Trần Thị Mua", "Hải Châu I", "có"},
	}
	for _, f := range []struct {
		name   string
		format Format
		file   []byte
	}{
		{"csv", CSV, csvFile(t, ',', true, recs)},
		{"xlsx", XLSX, xlsxFile(t, "Danh sách", anyRows(recs))},
	} {
		t.Run(f.name, func(t *testing.T) {
			p, err := Read(bytes.NewReader(f.file), f.format, testWards, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if p.HeaderLine != 3 {
				t.Errorf("header line %d", p.HeaderLine)
			}
			if len(p.Rows) != 1 || p.Rows[0].Line != 4 {
				t.Fatalf("rows %+v", p.Rows)
			}
			r := p.Rows[0]
			if !r.OK() || r.Venue.OwnerPhone != "0905123456" || r.Venue.WardCode != "20236" || r.Venue.Category != "restaurant" {
				t.Errorf("row %+v", r)
			}
			if len(p.Warnings) != 1 || p.Warnings[0].Key != "warn.venuefile_unknown_column" ||
				fmt.Sprint(p.Warnings[0].Args) != "[Zalo I]" {
				t.Errorf("warnings %+v", p.Warnings)
			}
			var fields []string
			for _, c := range p.Columns {
				fields = append(fields, c.Field)
			}
			if got := strings.Join(fields, ","); got != "owner_phone,name,notes,category,address,owner_name,ward_name" {
				t.Errorf("columns %s", got)
			}
		})
	}
}

func TestReadEnglishHeaders(t *testing.T) {
	text := "name;category;address;ward_code;owner;phone;status;commitment;control_method;venue_code;has_qr\n" +
		"Highlands Coffee Bạch Đằng;cafe;74 Bạch Đằng;20236;Công ty TNHH Highlands;0905 222 333;open;approved;staff_scan;hc-01;Có\n"
	p, err := Read(strings.NewReader(text), CSV, testWards, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := p.Rows[0].Venue
	if !p.Rows[0].OK() || v.Code != "HC-01" || v.Commitment != data.CommitmentApproved || v.Category != "cafe" {
		t.Errorf("row %+v", p.Rows[0])
	}
	if p.Comma != ';' || len(p.Warnings) != 0 {
		t.Errorf("comma %q warnings %v", p.Comma, p.Warnings)
	}
}

// Excel stores typed phones and codes as numbers, dropping leading zeros.
func TestReadXLSXNumbers(t *testing.T) {
	recs := [][]any{
		{"Tên địa điểm", "Loại hình", "Địa chỉ", "Mã phường/xã", "Chủ cơ sở", "Số điện thoại"},
		{"Quán Bánh Xèo Bà Dưỡng", "Hàng ăn đường phố", "K280/23 Hoàng Diệu", 20242, "Nguyễn Thị Dưỡng", 905123456},
		{"Tạp hóa Minh Anh", "Tạp hóa", "15 Hải Phòng", 20233.0, "Lê Minh Anh", 84935123456},
	}
	p, err := Read(bytes.NewReader(xlsxFile(t, "Sheet1", recs)), XLSX, testWards, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ ward, phone string }{{"20242", "0905123456"}, {"20233", "0935123456"}} {
		r := p.Rows[i]
		if !r.OK() || r.Venue.WardCode != want.ward || r.Venue.OwnerPhone != want.phone {
			t.Errorf("row %d: %+v", i, r)
		}
	}
}

func TestReadUTF16(t *testing.T) {
	text := "Tên địa điểm\tLoại hình\tĐịa chỉ\tMã phường/xã\tChủ cơ sở\tSố điện thoại\r\n" +
		"Quán Chè Liên\tHàng ăn đường phố\t189 Hoàng Diệu\t20242\tLiên\t0905 111 222\r\n"
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	b, err := enc.Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read(bytes.NewReader(b), CSV, testWards, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Rows[0].OK() || p.Rows[0].Venue.Name != "Quán Chè Liên" || p.Comma != '\t' {
		t.Errorf("%+v", p.Rows[0])
	}
}

// A file that only names the ward takes the ward problems on that column.
func TestReadWardNameOnly(t *testing.T) {
	text := "Tên địa điểm,Loại hình,Địa chỉ,Phường/xã,Chủ cơ sở,Số điện thoại\n" +
		"Quán A,Nhà hàng,1 Lê Lợi,,An,0905123456\n" +
		"Quán B,Nhà hàng,2 Lê Lợi,Hòa Khương,Bình,0905123457\n"
	p, err := Read(strings.NewReader(text), CSV, testWards, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := problemsString(p.Rows[0].Problems); got != "ward_name:err.required" {
		t.Errorf("problems %q", got)
	}
	if !p.Rows[1].OK() || p.Rows[1].Venue.WardCode != "20332" {
		t.Errorf("row %+v", p.Rows[1])
	}
}

func TestReadFileErrors(t *testing.T) {
	good := "Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại\nQuán A,Nhà hàng,1 Lê Lợi,20236,An,0905123456\n"
	for _, tc := range []struct {
		name     string
		format   Format
		file     []byte
		opts     ReadOptions
		code     string
		key      string
		args     string
		contains string
	}{
		{name: "empty", format: CSV, file: nil, code: data.EInvalid, key: "err.venuefile_empty"},
		{name: "BOM and blank lines only", format: CSV, file: []byte("\xEF\xBB\xBF\r\n\r\n"), code: data.EInvalid, key: "err.venuefile_empty"},
		{name: "commas only", format: CSV, file: []byte(",,,\n,,\n"), code: data.EInvalid, key: "err.venuefile_empty"},
		{name: "no header", format: CSV, file: []byte("Quán A,Nhà hàng,1 Lê Lợi\nQuán B,Chợ,2 Lê Lợi\n"), code: data.EInvalid, key: "err.venuefile_no_header"},
		{name: "missing phone column", format: CSV,
			file: []byte("Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở\nQuán A,Nhà hàng,1 Lê Lợi,20236,An\n"),
			code: data.EInvalid, key: "err.venuefile_missing_column", args: "[Số điện thoại]"},
		{name: "missing several", format: CSV, file: []byte("Tên địa điểm,Ghi chú\nQuán A,\n"),
			code: data.EInvalid, key: "err.venuefile_missing_column", args: "[Loại hình, Địa chỉ, Mã phường/xã, Chủ cơ sở, Số điện thoại]"},
		{name: "one known column", format: CSV, file: []byte("Tên địa điểm,Foo\nQuán A,x\n"),
			code: data.EInvalid, key: "err.venuefile_missing_column"},
		{name: "duplicate column", format: CSV, file: []byte("Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại,SĐT\n"),
			code: data.EInvalid, key: "err.venuefile_duplicate_column", args: "[Số điện thoại F G]"},
		{name: "header only", format: CSV, file: []byte("Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại\r\n,,,,,\r\n"),
			code: data.EInvalid, key: "err.venuefile_no_rows"},
		{name: "not utf-8 (Windows-1258)", format: CSV, file: []byte("Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại\nQu\xe1n A,Nh\xe0 h\xe0ng,1,20236,An,0905123456\n"),
			code: data.EUnsupported, key: "err.venuefile_not_utf8", args: "[2]"},
		{name: "too many rows", format: CSV, file: []byte(good + strings.Repeat("Quán A,Nhà hàng,1 Lê Lợi,20236,An,0905123456\n", 3)),
			opts: ReadOptions{MaxRows: 3}, code: data.EInvalid, key: "err.venuefile_too_many_rows", args: "[3]"},
		{name: "garbage xlsx", format: XLSX, file: []byte("this is not a workbook"), code: data.ECorrupt, key: "err.venuefile_xlsx_unreadable"},
		{name: "truncated zip", format: XLSX, file: xlsxFile(t, "Sheet1", [][]any{{"a"}})[:200], code: data.ECorrupt, key: "err.venuefile_xlsx_unreadable"},
		{name: "old xls", format: XLSX, file: append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...),
			code: data.EUnsupported, key: "err.venuefile_xls_unsupported"},
		{name: "empty xlsx", format: XLSX, file: xlsxFile(t, "Sheet1", nil), code: data.EInvalid, key: "err.venuefile_empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Read(bytes.NewReader(tc.file), tc.format, testWards, tc.opts)
			if err == nil {
				t.Fatalf("no error; preview %+v", p)
			}
			e := mustDataError(t, err, tc.code, tc.key)
			if tc.args != "" && fmt.Sprint(e.Args) != tc.args {
				t.Errorf("args %v, want %s", e.Args, tc.args)
			}
		})
	}
}

func TestReadProgressAndCancel(t *testing.T) {
	venues := sampleVenues(t, 1234)
	var buf bytes.Buffer
	if err := Export(&buf, CSV, sliceNext(venues), testWardName); err != nil {
		t.Fatal(err)
	}
	var calls [][2]int
	p, err := Read(bytes.NewReader(buf.Bytes()), CSV, testWards, ReadOptions{Progress: func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 1234 || p.ErrorCount() != 0 {
		t.Fatalf("%d rows, %d errors", len(p.Rows), p.ErrorCount())
	}
	want := "[[500 1234] [1000 1234] [1234 1234]]"
	if fmt.Sprint(calls) != want {
		t.Errorf("progress %v, want %s", calls, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Read(bytes.NewReader(buf.Bytes()), CSV, testWards, ReadOptions{Context: ctx})
	mustDataError(t, err, data.ECancelled, "err.cancelled")
}

func TestCheckExisting(t *testing.T) {
	p, err := Read(bytes.NewReader(csvFile(t, ',', false, caseRecords())), CSV, testWards, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := p.ErrorCount()
	n := p.CheckExisting(func(code string) bool { return code == "20236-0001" })
	if n != 2 || p.ErrorCount() != before+1 { // the duplicate row was bad already
		t.Errorf("marked %d, errors %d → %d", n, before, p.ErrorCount())
	}
	if got := problemsString(p.Rows[0].Problems); got != "code:err.venue_code_taken" {
		t.Errorf("problems %q", got)
	}
}

func TestFormatFromName(t *testing.T) {
	for name, want := range map[string]Format{"ds.csv": CSV, "DS ĐỊA ĐIỂM.XLSX": XLSX, "a.b.txt": CSV, "x.xlsm": XLSX} {
		if got, err := FormatFromName(name); err != nil || got != want {
			t.Errorf("%s: %v %v", name, got, err)
		}
	}
	_, err := FormatFromName("cu.xls")
	mustDataError(t, err, data.EUnsupported, "err.venuefile_xls_unsupported")
	_, err = FormatFromName("a.pdf")
	e := mustDataError(t, err, data.EUnsupported, "err.venuefile_format_unknown")
	if fmt.Sprint(e.Args) != "[.pdf]" {
		t.Errorf("args %v", e.Args)
	}
}
