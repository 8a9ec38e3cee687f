package venuefile

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// Column is one column of a venue file.
type Column struct {
	// Field identifies the column. Row problems found in this column carry
	// it as data.FieldError.Field; for the columns that map to a venue
	// field it is the field key data.Venue.Normalize uses.
	Field string
	// Header is the Vietnamese header written in templates and exports.
	Header string
	// En is the English header alias (snake_case), also accepted on import.
	En string
	// Aliases are other headers accepted on import.
	Aliases []string
	// Required columns must be present in an imported file and filled in
	// every row. The ward is required as a code ("ward") or, failing that,
	// as a name ("ward_name"): a file needs one of the two columns.
	Required bool
	// ExportOnly columns are written by Export and ignored on import.
	ExportOnly bool
	// Values lists the allowed values of a coded column, nil otherwise.
	Values *Choices
	// Help explains the column (Vietnamese), for the template's guide sheet
	// and the GUI.
	Help string
	// Width is the XLSX column width (characters).
	Width float64
}

// Field keys of the columns. The ones a venue has are the field keys of
// data.Venue.Normalize.
const (
	FieldCode          = "code"
	FieldName          = "name"
	FieldCategory      = "category"
	FieldAddress       = "address"
	FieldWard          = "ward" // ward code
	FieldWardName      = "ward_name"
	FieldOwnerName     = "owner_name"
	FieldOwnerPhone    = "owner_phone"
	FieldControlMethod = "control_method"
	FieldStatus        = "status"
	FieldCommitment    = "commitment"
	FieldNotes         = "notes"
	FieldHasQR         = "has_qr"
	FieldLastCheckin   = "last_checkin"
)

// Columns lists every column in template and export order. Export writes
// all of them; templates leave out the ExportOnly ones.
var Columns = []Column{
	{Field: FieldCode, Header: "Mã địa điểm", En: "venue_code",
		Aliases: []string{"code", "Mã", "Mã cơ sở", "Mã số địa điểm"},
		Help:    "Mã do phường đặt, ví dụ 20236-0042 (chữ, số, dấu . _ -). Để trống nếu chưa có; mỗi mã chỉ dùng cho một địa điểm.",
		Width:   14},
	{Field: FieldName, Header: "Tên địa điểm", En: "name", Required: true,
		Aliases: []string{"venue_name", "Tên cơ sở", "Tên", "Tên đơn vị", "Tên cửa hàng", "Tên địa điểm kinh doanh"},
		Help:    "Tên biển hiệu của cơ sở, tối đa 150 ký tự.",
		Width:   34},
	{Field: FieldCategory, Header: "Loại hình", En: "category", Required: true, Values: Categories,
		Aliases: []string{"type", "Loại", "Loại hình kinh doanh", "Loại hình cơ sở", "Ngành nghề"},
		Help:    "Chọn một loại hình trong danh sách bên dưới. Loại hình quyết định phương thức kiểm soát bắt buộc.",
		Width:   30},
	{Field: FieldAddress, Header: "Địa chỉ", En: "address", Required: true,
		Aliases: []string{"Số nhà, đường", "Địa chỉ cơ sở", "Địa chỉ kinh doanh"},
		Help:    "Số nhà, tên đường (không ghi phường/xã), tối đa 250 ký tự.",
		Width:   32},
	{Field: FieldWard, Header: "Mã phường/xã", En: "ward_code", Required: true,
		Aliases: []string{"Mã phường", "Mã xã", "Mã ĐVHC", "Mã đơn vị hành chính", "ward code"},
		Help:    "Mã 5 chữ số của Tổng cục Thống kê, ví dụ 20236 (Phường Hải Châu I). Có thể bỏ trống nếu đã ghi cột Phường/xã.",
		Width:   13},
	{Field: FieldWardName, Header: "Phường/xã", En: "ward",
		Aliases: []string{"ward_name", "Phường", "Xã", "Tên phường/xã", "Phường/xã/thị trấn"},
		Help:    "Tên phường/xã, ví dụ \"Hải Châu I\" hoặc \"Phường Hải Châu I\". Nếu ghi cả mã thì tên phải khớp với mã.",
		Width:   22},
	{Field: FieldOwnerName, Header: "Chủ cơ sở", En: "owner", Required: true,
		Aliases: []string{"owner_name", "Tên chủ cơ sở", "Chủ sở hữu", "Người đại diện", "Chủ hộ kinh doanh", "Người đứng đầu", "Họ tên chủ cơ sở"},
		Help:    "Họ tên chủ cơ sở hoặc người đại diện, tối đa 100 ký tự.",
		Width:   24},
	{Field: FieldOwnerPhone, Header: "Số điện thoại", En: "phone",
		Required: true,
		Aliases:  []string{"owner_phone", "Điện thoại", "SĐT", "Số ĐT", "ĐT", "Số điện thoại chủ cơ sở", "Di động"},
		Help:     "Số di động của chủ cơ sở, ví dụ 0905 123 456 hoặc +84 905 123 456. Số 11 chữ số cũ (01xx) được tự chuyển.",
		Width:    16},
	{Field: FieldControlMethod, Header: "Phương thức kiểm soát", En: "control_method", Values: ControlMethods,
		Aliases: []string{"control", "Hình thức kiểm soát", "Phương thức quét", "Hình thức quét"},
		Help:    "Để trống sẽ lấy phương thức bắt buộc theo loại hình.",
		Width:   28},
	{Field: FieldStatus, Header: "Trạng thái", En: "status", Values: Statuses,
		Aliases: []string{"Tình trạng", "Tình trạng hoạt động"},
		Help:    "Để trống là \"Đang hoạt động\".",
		Width:   18},
	{Field: FieldCommitment, Header: "Cam kết", En: "commitment", Values: Commitments,
		Aliases: []string{"Tình trạng cam kết", "Bản cam kết"},
		Help:    "Để trống là \"Chưa cam kết\".",
		Width:   24},
	{Field: FieldNotes, Header: "Ghi chú", En: "notes",
		Aliases: []string{"note", "Ghi chú khác"},
		Help:    "Tùy ý, tối đa 2000 ký tự.",
		Width:   30},
	{Field: FieldHasQR, Header: "Có mã QR", En: "has_qr", ExportOnly: true,
		Aliases: []string{"QR", "Đã có mã QR"},
		Help:    "Chỉ có trong tệp xuất; bỏ qua khi nhập.",
		Width:   10},
	{Field: FieldLastCheckin, Header: "Lần quét gần nhất", En: "last_checkin", ExportOnly: true,
		Aliases: []string{"Lượt quét gần nhất", "Quét gần nhất", "Thời điểm quét gần nhất"},
		Help:    "Chỉ có trong tệp xuất; bỏ qua khi nhập.",
		Width:   18},
}

// ColumnByField finds a column by its field key.
func ColumnByField(field string) (Column, bool) {
	for _, c := range Columns {
		if c.Field == field {
			return c, true
		}
	}
	return Column{}, false
}

// TemplateColumns lists the columns of the template: every column that is
// read on import.
func TemplateColumns() []Column {
	var out []Column
	for _, c := range Columns {
		if !c.ExportOnly {
			out = append(out, c)
		}
	}
	return out
}

// ignoredHeaders are columns offices add that carry nothing to import,
// such as a row counter; they are skipped without a warning.
var ignoredHeaders = map[string]bool{"stt": true, "tt": true, "so tt": true, "so thu tu": true, "no": true, "": true}

var headerIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range Columns {
		for _, h := range append([]string{c.Header, c.En}, c.Aliases...) {
			k := foldKey(h)
			if prev, dup := m[k]; dup && prev != i {
				panic("venuefile: header " + h + " names two columns")
			}
			m[k] = i
		}
	}
	return m
}()

// headerKey folds a header cell for matching: foldKey, then a trailing
// "bắt buộc" marker (the "*" is gone already) is dropped.
func headerKey(cell string) string {
	k := foldKey(cell)
	k = strings.TrimSuffix(k, " bat buoc")
	return k
}

// matchColumn returns the index in Columns of the column a header cell
// names, or -1.
func matchColumn(cell string) int {
	if i, ok := headerIndex[headerKey(cell)]; ok {
		return i
	}
	return -1
}

// colLetter names a 0-based column index as a spreadsheet does: 0 → "A".
func colLetter(i int) string {
	s, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return ""
	}
	return s
}
