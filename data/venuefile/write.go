package venuefile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"qrward/data"
)

// GuideSheetName is the template's second sheet: the columns and the
// allowed values.
const GuideSheetName = "Hướng dẫn"

// vnZone is Vietnam's time (UTC+7, no daylight saving). Exported times are
// wall-clock times there, as the office reads them.
var vnZone = time.FixedZone("ICT", 7*3600)

// TimeLayout is how exported times are written in CSV files.
const TimeLayout = "02/01/2006 15:04"

const (
	yes = "Có"
	no  = "Không"
)

// textFields are written as text so Excel keeps leading zeros.
var textFields = map[string]bool{FieldCode: true, FieldWard: true, FieldOwnerPhone: true}

// cellValue is the display value of one column of a venue: Vietnamese
// names for coded values, the ward name from wardName, times in Vietnam.
// For CSV the phone is grouped ("0905 123 456") so Excel does not turn
// it into a number; for XLSX it is a text cell and stays plain.
func cellValue(c Column, v *data.Venue, wardName func(string) string, forCSV bool) any {
	switch c.Field {
	case FieldCode:
		return v.Code
	case FieldName:
		return v.Name
	case FieldCategory:
		return Categories.Name(v.Category)
	case FieldAddress:
		return v.Address
	case FieldWard:
		return v.WardCode
	case FieldWardName:
		if wardName == nil || v.WardCode == "" {
			return ""
		}
		return wardName(v.WardCode)
	case FieldOwnerName:
		return v.OwnerName
	case FieldOwnerPhone:
		if forCSV {
			return data.FormatPhone(v.OwnerPhone)
		}
		return v.OwnerPhone
	case FieldControlMethod:
		return ControlMethods.Name(v.ControlMethod)
	case FieldStatus:
		return Statuses.Name(v.Status)
	case FieldCommitment:
		return Commitments.Name(v.Commitment)
	case FieldNotes:
		return v.Notes
	case FieldHasQR:
		if v.HasQR() {
			return yes
		}
		return no
	case FieldLastCheckin:
		if v.LastCheckinAt == nil {
			return ""
		}
		t := v.LastCheckinAt.In(vnZone)
		if forCSV {
			return t.Format(TimeLayout)
		}
		// Excel times have no zone: write the wall clock as UTC.
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	}
	return ""
}

// Export writes venues, one per row, with every column of Columns: the
// template's columns followed by "Có mã QR" and "Lần quét gần nhất". Coded
// values are written with their Vietnamese names, so the file re-imports
// as it is. next yields the venues (ok false at the end; an error stops the
// export and is returned as is); wardName, which may be nil, names a ward
// code ("Phường Hải Châu I" or "Hải Châu I").
//
// CSV is UTF-8 with a BOM (Excel on Windows needs it to see the
// diacritics), comma separated, CRLF line ends; cells Excel would run as
// formulas start with an apostrophe, which Read removes. XLSX goes through
// excelize's StreamWriter: a "Địa điểm" sheet with a bold frozen header,
// codes and phones as text cells, the last check-in as a date-time.
func Export(w io.Writer, format Format, next func() (data.Venue, bool, error), wardName func(code string) string) error {
	switch format {
	case CSV:
		return exportCSV(w, Columns, next, wardName)
	case XLSX:
		return exportXLSX(w, next, wardName)
	}
	return data.Errorf(data.EUnsupported, "err.venuefile_format_unknown", format.String())
}

func exportCSV(w io.Writer, cols []Column, next func() (data.Venue, bool, error), wardName func(string) string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(utf8BOM)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.Header
	}
	cw.Write(rec)
	for {
		v, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		for i, c := range cols {
			rec[i] = escapeFormula(fmt.Sprint(cellValue(c, &v, wardName, true)))
		}
		if err := cw.Write(rec); err != nil {
			return writeErr(err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return writeErr(err)
	}
	if err := bw.Flush(); err != nil {
		return writeErr(err)
	}
	return nil
}

func writeErr(err error) error {
	return &data.Error{Code: data.EInternal, Key: "err.venuefile_write_failed", Err: err}
}

// xlsxStyles are the cell styles of a venue workbook.
type xlsxStyles struct {
	header, required, text, date, title, bold int
}

func newStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	head := func(color string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: color},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border:    border,
		}
	}
	dateFmt := "dd/mm/yyyy hh:mm"
	for _, x := range []struct {
		id *int
		st *excelize.Style
	}{
		{&s.header, head("000000")},
		{&s.required, head("C00000")},
		{&s.text, &excelize.Style{NumFmt: 49}}, // "@": text
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
	} {
		id, err := f.NewStyle(x.st)
		if err != nil {
			return s, err
		}
		*x.id = id
	}
	return s, nil
}

func exportXLSX(w io.Writer, next func() (data.Venue, bool, error), wardName func(string) string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return writeErr(err)
	}
	st, err := newStyles(f)
	if err != nil {
		return writeErr(err)
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return writeErr(err)
	}
	for i, c := range Columns {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return writeErr(err)
		}
		if textFields[c.Field] {
			if err := sw.SetColStyle(i+1, i+1, st.text); err != nil {
				return writeErr(err)
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return writeErr(err)
	}
	row := make([]any, len(Columns))
	for i, c := range Columns {
		row[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{Height: 30}); err != nil {
		return writeErr(err)
	}
	n := 1
	for {
		v, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		n++
		for i, c := range Columns {
			val := cellValue(c, &v, wardName, false)
			switch {
			case val == "":
				row[i] = nil
			case textFields[c.Field]:
				row[i] = excelize.Cell{StyleID: st.text, Value: val}
			case c.Field == FieldLastCheckin:
				row[i] = excelize.Cell{StyleID: st.date, Value: val}
			default:
				row[i] = val
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, row); err != nil {
			return writeErr(err)
		}
	}
	if err := sw.Flush(); err != nil {
		return writeErr(err)
	}
	if err := f.Write(w); err != nil {
		return writeErr(err)
	}
	return nil
}

// templateExamples are the two example rows of the template: real Đà Nẵng
// wards, made-up venues and owners.
var templateExamples = []data.Venue{
	{Code: "20236-0001", Name: "Nhà hàng Hải sản Biển Xanh", Category: "restaurant",
		Address: "45 Bạch Đằng", WardCode: "20236", OwnerName: "Nguyễn Văn An",
		OwnerPhone: "0905123456", ControlMethod: data.ControlStaffScan, Status: data.VenueOpen,
		Commitment: data.CommitmentApproved, Notes: "Mở cửa 10h–22h; 2 nhân viên quét mã ở cửa chính"},
	{Code: "20239-0015", Name: "Tạp hóa Cô Lan", Category: "grocery",
		Address: "112 Trần Phú", WardCode: "20239", OwnerName: "Trần Thị Lan",
		OwnerPhone: "0935987654", ControlMethod: data.ControlVenueQR, Status: data.VenueOpen,
		Commitment: data.CommitmentSigned},
}

var templateWardNames = map[string]string{"20236": "Phường Hải Châu I", "20239": "Phường Hải Châu II"}

// WriteTemplate writes an empty venue file for offices to fill in: the
// header and two example rows (Đà Nẵng). The XLSX template also has a
// "Hướng dẫn" sheet listing every column, whether it is required and the
// allowed values, and drop-down lists on the coded columns.
func WriteTemplate(w io.Writer, format Format) error {
	i := 0
	next := func() (data.Venue, bool, error) {
		if i == len(templateExamples) {
			return data.Venue{}, false, nil
		}
		i++
		return templateExamples[i-1], true, nil
	}
	wardName := func(code string) string { return templateWardNames[code] }
	switch format {
	case CSV:
		return exportCSV(w, TemplateColumns(), next, wardName)
	case XLSX:
		return templateXLSX(w, wardName)
	}
	return data.Errorf(data.EUnsupported, "err.venuefile_format_unknown", format.String())
}

func templateXLSX(w io.Writer, wardName func(string) string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f, wardName); err != nil {
		return writeErr(err)
	}
	if err := f.Write(w); err != nil {
		return writeErr(err)
	}
	return nil
}

func buildTemplate(f *excelize.File, wardName func(string) string) error {
	const sh = SheetName
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	if _, err := f.NewSheet(GuideSheetName); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	cols := TemplateColumns()
	for i, c := range cols {
		l := colLetter(i)
		if err := f.SetColWidth(sh, l, l, c.Width); err != nil {
			return err
		}
		if textFields[c.Field] {
			if err := f.SetColStyle(sh, l, st.text); err != nil {
				return err
			}
		}
	}
	hdr := make([]any, len(cols))
	for i, c := range cols {
		hdr[i] = c.Header
	}
	if err := f.SetSheetRow(sh, "A1", &hdr); err != nil {
		return err
	}
	for i, c := range cols {
		style := st.header
		if c.Required {
			style = st.required
		}
		cell := colLetter(i) + "1"
		if err := f.SetCellStyle(sh, cell, cell, style); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(sh, 1, 30); err != nil {
		return err
	}
	for r, v := range templateExamples {
		row := make([]any, len(cols))
		for i, c := range cols {
			row[i] = cellValue(c, &v, wardName, false)
		}
		if err := f.SetSheetRow(sh, "A"+strconv.Itoa(r+2), &row); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	lists, err := writeGuide(f, st)
	if err != nil {
		return err
	}
	for i, c := range cols {
		name, ok := lists[c.Field]
		if !ok {
			continue
		}
		l := colLetter(i)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", l, l, DefaultMaxRows+1)
		dv.SetSqrefDropList(name)
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.Header,
			"Giá trị này không có trong danh sách (xem trang "+GuideSheetName+"). Vẫn giữ?")
		if err := f.AddDataValidation(sh, dv); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return nil
}

// writeGuide fills the "Hướng dẫn" sheet and returns, for each coded
// column, the defined name of its list of values.
func writeGuide(f *excelize.File, st xlsxStyles) (map[string]string, error) {
	const sh = GuideSheetName
	for col, w := range map[string]float64{"A": 38, "B": 30, "C": 90} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return nil, err
		}
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	r := 1
	put := func(style int, vals ...any) error {
		cell := "A" + strconv.Itoa(r)
		if err := f.SetSheetRow(sh, cell, &vals); err != nil {
			return err
		}
		if style != 0 {
			end := colLetter(len(vals)-1) + strconv.Itoa(r)
			if err := f.SetCellStyle(sh, cell, end, style); err != nil {
				return err
			}
		}
		r++
		return nil
	}
	steps := []struct {
		style int
		vals  []any
	}{
		{st.title, []any{"HƯỚNG DẪN NHẬP DANH SÁCH ĐỊA ĐIỂM"}},
		{0, []any{"Mỗi địa điểm ghi trên một dòng của trang \"" + SheetName + "\", bắt đầu từ dòng 2. Xóa hai dòng ví dụ trước khi nhập."}},
		{0, []any{"Giữ nguyên tên cột; có thể đổi thứ tự cột và bỏ các cột không bắt buộc. Cột có tiêu đề màu đỏ là bắt buộc."}},
		{0, []any{"Loại hình, trạng thái, phương thức kiểm soát và cam kết chọn trong các danh sách bên dưới (không phân biệt hoa thường, có dấu hay không dấu)."}},
		{0, nil},
		{st.header, []any{"Cột", "Bắt buộc", "Hướng dẫn"}},
	}
	for _, s := range steps {
		if s.vals == nil {
			r++
			continue
		}
		if err := put(s.style, s.vals...); err != nil {
			return nil, err
		}
	}
	for _, c := range TemplateColumns() {
		req := no
		switch {
		case c.Field == FieldWard:
			req = "Có (hoặc ghi cột Phường/xã)"
		case c.Field == FieldWardName:
			req = "Không (thay được cho Mã phường/xã)"
		case c.Required:
			req = yes
		}
		if err := put(wrap, c.Header, req, c.Help); err != nil {
			return nil, err
		}
	}

	lists := map[string]string{}
	section := func(field, title, defName string, ch *Choices, extra func(Choice) string, extraTitle string) error {
		r++
		head := []any{title, "Mã"}
		if extra != nil {
			head = append(head, extraTitle)
		}
		if err := put(st.header, head...); err != nil {
			return err
		}
		first := r
		for _, it := range ch.Items {
			vals := []any{it.Vi, it.Key}
			if extra != nil {
				vals = append(vals, extra(it))
			}
			if err := put(0, vals...); err != nil {
				return err
			}
		}
		ref := fmt.Sprintf("'%s'!$A$%d:$A$%d", sh, first, r-1)
		if err := f.SetDefinedName(&excelize.DefinedName{Name: defName, RefersTo: ref}); err != nil {
			return err
		}
		lists[field] = defName
		return nil
	}
	required := func(it Choice) string { return ControlMethods.Name(data.RequiredControl(it.Key)) }
	if err := section(FieldCategory, "Loại hình", "DS_LoaiHinh", Categories, required, "Phương thức kiểm soát bắt buộc"); err != nil {
		return nil, err
	}
	if err := section(FieldControlMethod, "Phương thức kiểm soát", "DS_PhuongThuc", ControlMethods, nil, ""); err != nil {
		return nil, err
	}
	if err := section(FieldStatus, "Trạng thái", "DS_TrangThai", Statuses, nil, ""); err != nil {
		return nil, err
	}
	if err := section(FieldCommitment, "Cam kết", "DS_CamKet", Commitments, nil, ""); err != nil {
		return nil, err
	}
	r++
	if err := put(0, "Nhân viên quét QR cá nhân đáp ứng mọi loại hình; chỉ bốn nhóm (nơi công cộng, hàng ăn đường phố, điểm bán mang đi, tạp hóa) được để khách tự quét QR địa điểm (Đà Nẵng, QĐ 3779/QĐ-UBND)."); err != nil {
		return nil, err
	}
	return lists, nil
}
