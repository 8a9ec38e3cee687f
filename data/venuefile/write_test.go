package venuefile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qrward/data"
)

// keepFile saves a generated file under $VENUEFILE_OUT, for looking at it
// in Excel or LibreOffice.
func keepFile(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("VENUEFILE_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The template reads back with no problem, in both formats.
func TestTemplateReadsBack(t *testing.T) {
	for _, format := range []Format{CSV, XLSX} {
		t.Run(format.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTemplate(&buf, format); err != nil {
				t.Fatal(err)
			}
			keepFile(t, "mau-dia-diem"+format.Ext(), buf.Bytes())
			p, err := Read(bytes.NewReader(buf.Bytes()), format, testWards, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Rows) != 2 || p.ErrorCount() != 0 || len(p.Warnings) != 0 {
				for _, r := range p.Rows {
					t.Logf("line %d: %s", r.Line, problemsString(r.Problems))
				}
				t.Fatalf("%d rows, %d errors, warnings %v", len(p.Rows), p.ErrorCount(), p.Warnings)
			}
			if len(p.Columns) != len(TemplateColumns()) {
				t.Errorf("%d columns", len(p.Columns))
			}
			got := p.Valid()
			for i, want := range templateExamples {
				if err := want.Normalize(testWards); err != nil {
					t.Fatal(err)
				}
				if !sameVenue(got[i], want) {
					t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want)
				}
			}
		})
	}
}

func TestTemplateXLSXLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != SheetName+"|"+GuideSheetName {
		t.Fatalf("sheets %s", got)
	}
	panes, err := f.GetPanes(SheetName)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	st, _ := f.GetCellStyle(SheetName, "B1")
	style, err := f.GetStyle(st)
	if err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header style %+v %v", style, err)
	}
	if w, _ := f.GetColWidth(SheetName, "B"); w < 20 {
		t.Errorf("name column width %v", w)
	}
	// Phone cells are text, leading zero kept.
	phone, _ := f.GetCellValue(SheetName, "H2")
	typ, _ := f.GetCellType(SheetName, "H2")
	if phone != "0905123456" || typ == excelize.CellTypeNumber {
		t.Errorf("phone %q type %v", phone, typ)
	}
	dvs, err := f.GetDataValidations(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]bool{}
	for _, dv := range dvs {
		lists[dv.Formula1] = true
		if strings.HasPrefix(dv.Sqref, "C2:") && dv.Formula1 != "DS_LoaiHinh" {
			t.Errorf("category validation %q", dv.Formula1)
		}
	}
	for _, n := range []string{"DS_LoaiHinh", "DS_TrangThai", "DS_PhuongThuc", "DS_CamKet"} {
		if !lists[n] {
			t.Errorf("no drop-down list %s (have %v)", n, lists)
		}
	}
	// The category list the drop-down refers to holds every category name.
	var ref string
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "DS_LoaiHinh" {
			ref = dn.RefersTo
		}
	}
	rows, err := f.GetRows(GuideSheetName)
	if err != nil {
		t.Fatal(err)
	}
	var guide []string
	for _, r := range rows {
		guide = append(guide, strings.Join(r, "\t"))
	}
	text := strings.Join(guide, "\n")
	for _, c := range TemplateColumns() {
		if !strings.Contains(text, c.Header+"\t") {
			t.Errorf("guide lacks column %s", c.Header)
		}
	}
	for _, ch := range allChoices {
		for _, name := range ch.Names() {
			if !strings.Contains(text, name) {
				t.Errorf("guide lacks value %s", name)
			}
		}
	}
	_, from, _ := strings.Cut(ref, "$A$")
	first, last, _ := strings.Cut(from, ":$A$")
	a, _ := f.GetCellValue(GuideSheetName, "A"+first)
	b, _ := f.GetCellValue(GuideSheetName, "A"+last)
	names := Categories.Names()
	if a != names[0] || b != names[len(names)-1] {
		t.Errorf("DS_LoaiHinh %s spans %q..%q", ref, a, b)
	}
}

func TestTemplateCSVBytes(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, CSV); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, utf8BOM) {
		t.Error("no BOM")
	}
	lines := strings.Split(string(b[3:]), "\r\n")
	if len(lines) != 4 || lines[3] != "" {
		t.Fatalf("lines %q", lines)
	}
	if !strings.HasPrefix(lines[0], "Mã địa điểm,Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Phường/xã,") {
		t.Errorf("header %q", lines[0])
	}
	if !strings.Contains(lines[1], "0905 123 456") || !strings.Contains(lines[1], `"Nhà hàng, quán ăn"`) {
		t.Errorf("row %q", lines[1])
	}
}

func sameVenue(a, b data.Venue) bool {
	return a.Code == b.Code && a.Name == b.Name && a.Category == b.Category && a.Address == b.Address &&
		a.WardCode == b.WardCode && a.WardDataset == b.WardDataset && a.OwnerName == b.OwnerName &&
		a.OwnerPhone == b.OwnerPhone && a.ControlMethod == b.ControlMethod && a.Status == b.Status &&
		a.Commitment == b.Commitment && a.Notes == b.Notes
}

// Exported venues read back as the same venues.
func TestExportRoundTrip(t *testing.T) {
	venues := sampleVenues(t, 300)
	at := time.Date(2021, 9, 14, 2, 30, 0, 0, time.UTC) // 09:30 in Đà Nẵng
	venues[1].LastCheckinAt = &at
	tricky := []data.Venue{
		{Name: `Quán "Bà Năm", chi nhánh 2`, Category: "street_food", Address: "K12/3 Hùng Vương; tầng 1",
			WardCode: "20236", OwnerName: "Bà Năm", OwnerPhone: "0905000111", Notes: "=SUM(A1:A9) không phải công thức"},
		{Code: "AB.12_x", Name: "+84 Coffee", Category: "cafe", Address: "-1 Tầng hầm", WardCode: "20287",
			OwnerName: "@Hòa", OwnerPhone: "0935000222", Notes: "- đã nhắc nhở 3 lần\n- chưa có máy quét"},
	}
	for i := range tricky {
		if err := tricky[i].Normalize(testWards); err != nil {
			t.Fatal(err)
		}
	}
	venues = append(venues, tricky...)
	for _, format := range []Format{CSV, XLSX} {
		t.Run(format.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Export(&buf, format, sliceNext(venues), testWardName); err != nil {
				t.Fatal(err)
			}
			keepFile(t, "xuat-dia-diem"+format.Ext(), buf.Bytes())
			p, err := Read(bytes.NewReader(buf.Bytes()), format, testWards, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Warnings) != 0 || p.ErrorCount() != 0 {
				for _, r := range p.Rows {
					if !r.OK() {
						t.Logf("line %d: %s %v", r.Line, problemsString(r.Problems), r.Cells)
					}
				}
				t.Fatalf("warnings %v, %d errors", p.Warnings, p.ErrorCount())
			}
			got := p.Valid()
			if len(got) != len(venues) {
				t.Fatalf("%d venues back, want %d", len(got), len(venues))
			}
			for i := range venues {
				if !sameVenue(got[i], venues[i]) {
					t.Errorf("venue %d:\n got %+v\nwant %+v", i, got[i], venues[i])
				}
				if p.Rows[i].Line != i+2 {
					t.Errorf("venue %d on line %d", i, p.Rows[i].Line)
				}
			}
		})
	}
}

func TestExportXLSXCells(t *testing.T) {
	at := time.Date(2021, 9, 14, 2, 30, 0, 0, time.UTC)
	v := data.Venue{Code: "20236-0042", Name: "Chợ Hàn", Category: "market", Address: "119 Trần Phú",
		WardCode: "20236", OwnerName: "Ban quản lý chợ Hàn", OwnerPhone: "0905123456", QRSerial: 2, LastCheckinAt: &at}
	if err := v.Normalize(testWards); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(&buf, XLSX, sliceNext([]data.Venue{v}), testWardName); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"20236-0042", "Chợ Hàn", "Chợ", "119 Trần Phú", "20236", "Phường Hải Châu I",
		"Ban quản lý chợ Hàn", "0905123456", "Nhân viên quét QR cá nhân", "Đang hoạt động", "Chưa cam kết", "",
		"Có", "14/09/2021 09:30"}
	if len(rows) != 2 || strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Errorf("row\n got %q\nwant %q", rows[1], want)
	}
	for i, c := range Columns {
		if rows[0][i] != c.Header {
			t.Errorf("header %d = %q", i, rows[0][i])
		}
	}
	if typ, _ := f.GetCellType(SheetName, "H2"); typ == excelize.CellTypeNumber {
		t.Error("phone written as a number")
	}
	if panes, _ := f.GetPanes(SheetName); !panes.Freeze {
		t.Error("header not frozen")
	}
}

func TestExportCSVBytes(t *testing.T) {
	v := data.Venue{Name: "Quán A", Category: "cafe", Address: "1 Lê Lợi", WardCode: "20236",
		OwnerName: "An", OwnerPhone: "0905123456", Notes: "=1+1"}
	if err := v.Normalize(testWards); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(&buf, CSV, sliceNext([]data.Venue{v}), nil); err != nil {
		t.Fatal(err)
	}
	want := "\xEF\xBB\xBFMã địa điểm,Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Phường/xã,Chủ cơ sở,Số điện thoại," +
		"Phương thức kiểm soát,Trạng thái,Cam kết,Ghi chú,Có mã QR,Lần quét gần nhất\r\n" +
		",Quán A,\"Quán cà phê, giải khát\",1 Lê Lợi,20236,,An,0905 123 456,Nhân viên quét QR cá nhân," +
		"Đang hoạt động,Chưa cam kết,'=1+1,Không,\r\n"
	if got := buf.String(); got != want {
		t.Errorf("csv\n got %q\nwant %q", got, want)
	}
}

func TestExportStopsOnError(t *testing.T) {
	boom := &data.Error{Code: data.EInternal, Key: "x"}
	next := func() (data.Venue, bool, error) { return data.Venue{}, false, boom }
	for _, format := range []Format{CSV, XLSX} {
		if err := Export(&bytes.Buffer{}, format, next, nil); err != boom {
			t.Errorf("%v: %v", format, err)
		}
	}
}
