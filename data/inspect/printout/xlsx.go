package printout

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
)

// Register sheet names and headers: offices open these in Excel, so they
// are Vietnamese.
const (
	registerSheet = "Sổ vi phạm"
	summarySheet  = "Tổng hợp"
	scheduleSheet = "Phụ lục I"
	contactsSheet = "Phụ lục II"
	roundSheet    = "Cơ sở kiểm tra"
)

// WriteRegisterXLSX writes the violation register chosen by f: one row per
// violation, and a summary per ward, act and status.
func WriteRegisterXLSX(ctx context.Context, st *sqlite.Store, w io.Writer, f sqlite.RegisterFilter) (int, error) {
	vs, err := st.Violations(ctx, f)
	if err != nil {
		return 0, err
	}
	lib, err := st.InspectLibrary(ctx)
	if err != nil {
		return 0, err
	}
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", registerSheet)
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	date, _ := x.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("dd/mm/yyyy")})
	money, _ := x.NewStyle(&excelize.Style{NumFmt: 3})
	wardName := func(code string) string {
		if u, ok := st.Units().Ward(code); ok {
			return u.FullName()
		}
		return code
	}
	headers := []any{"STT", "Mã địa điểm", "Tên cơ sở", "Địa chỉ", "Phường/xã", "Hành vi vi phạm", "Quy định tại",
		"Đối tượng", "Số tiền (đồng)", "Trạng thái", "Ngày phát hiện", "Hạn giải trình", "Hạn nộp phạt", "Số lần nhắc nhở"}
	setRow(x, registerSheet, 1, headers, bold)
	type key struct{ ward, rule, status string }
	sums := map[key][2]int64{}
	for i, v := range vs {
		act, provision := v.RuleID, ""
		if r, err := lib.Rules.Rule(v.RuleID, v.FoundAt); err == nil {
			act, provision = r.Act, r.Provision()
		}
		row := i + 2
		setRow(x, registerSheet, row, []any{i + 1, v.VenueCode, v.VenueName, v.VenueAddress, wardName(v.WardCode), act,
			provision, i18n.TIn("vi", "subject."+v.Subject), v.Amount, i18n.TIn("vi", "vstatus."+v.Status),
			v.FoundAt, timeOrNil(v.ExplainDue), timeOrNil(v.PayDue), v.Reminders}, 0)
		for _, col := range []string{"K", "L", "M"} {
			x.SetCellStyle(registerSheet, fmt.Sprintf("%s%d", col, row), fmt.Sprintf("%s%d", col, row), date)
		}
		x.SetCellStyle(registerSheet, fmt.Sprintf("I%d", row), fmt.Sprintf("I%d", row), money)
		k := key{wardName(v.WardCode), act, i18n.TIn("vi", "vstatus."+v.Status)}
		s := sums[k]
		sums[k] = [2]int64{s[0] + 1, s[1] + v.Amount}
	}
	for i, wd := range []float64{6, 14, 30, 30, 22, 45, 40, 12, 16, 22, 14, 14, 14, 10} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		x.SetColWidth(registerSheet, col, col, wd)
	}
	x.SetPanes(registerSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	x.NewSheet(summarySheet)
	setRow(x, summarySheet, 1, []any{"Phường/xã", "Hành vi vi phạm", "Trạng thái", "Số vụ", "Tổng số tiền (đồng)"}, bold)
	keys := make([]key, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.ward != b.ward {
			return a.ward < b.ward
		}
		if a.rule != b.rule {
			return a.rule < b.rule
		}
		return a.status < b.status
	})
	for i, k := range keys {
		setRow(x, summarySheet, i+2, []any{k.ward, k.rule, k.status, sums[k][0], sums[k][1]}, 0)
	}
	for i, wd := range []float64{24, 50, 22, 8, 18} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		x.SetColWidth(summarySheet, col, col, wd)
	}
	if err := x.Write(w); err != nil {
		return 0, &data.Error{Code: data.EInternal, Key: "err.file_create", Args: []any{"xlsx"}, Err: err}
	}
	return len(vs), nil
}

// WriteScheduleXLSX writes a schedule as the letter's appendices (Phụ lục
// I: area, date and time, team; Phụ lục II: focal contacts) and the venues
// of its round by team.
func WriteScheduleXLSX(ctx context.Context, st *sqlite.Store, w io.Writer, id data.ID) error {
	sc, err := st.Schedule(ctx, id)
	if err != nil {
		return err
	}
	round, err := st.RoundVenues(ctx, id)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", scheduleSheet)
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	setRow(x, scheduleSheet, 1, []any{"STT", "Địa bàn", "Ngày kiểm tra", "Tổ", "Thành phần kiểm tra", "Cơ quan", "Vai trò"}, bold)
	for i, m := range sc.Team {
		setRow(x, scheduleSheet, i+2, []any{i + 1, sc.Area, sc.StartsAt.Format("15h04 02/01/2006"), m.Team, m.Name, m.Agency, m.Role}, 0)
	}
	x.NewSheet(contactsSheet)
	setRow(x, contactsSheet, 1, []any{"STT", "Cơ quan", "Họ tên", "Chức vụ", "Số điện thoại"}, bold)
	for i, c := range sc.Contacts {
		setRow(x, contactsSheet, i+2, []any{i + 1, c.Agency, c.Name, c.Position, c.Phone}, 0)
	}
	x.NewSheet(roundSheet)
	setRow(x, roundSheet, 1, []any{"STT", "Tổ", "Mã địa điểm", "Tên cơ sở", "Địa chỉ", "Lý do chọn", "Tình trạng kiểm tra"}, bold)
	for i, r := range round {
		reasons := ""
		for j, re := range r.Reasons {
			if j > 0 {
				reasons += "; "
			}
			reasons += i18n.TIn("vi", "reason."+re)
		}
		status := "Chưa kiểm tra"
		if r.InspectionStatus != "" {
			status = i18n.TIn("vi", "inspection_status."+r.InspectionStatus)
		}
		setRow(x, roundSheet, i+2, []any{i + 1, r.Team, r.Code, r.Name, r.Address, reasons, status}, 0)
	}
	for _, sh := range []string{scheduleSheet, contactsSheet, roundSheet} {
		x.SetColWidth(sh, "B", "G", 24)
	}
	if err := x.Write(w); err != nil {
		return &data.Error{Code: data.EInternal, Key: "err.file_create", Args: []any{"xlsx"}, Err: err}
	}
	return nil
}

func setRow(x *excelize.File, sheet string, row int, values []any, style int) {
	cell, _ := excelize.CoordinatesToCellName(1, row)
	x.SetSheetRow(sheet, cell, &values)
	if style != 0 {
		last, _ := excelize.CoordinatesToCellName(len(values), row)
		x.SetCellStyle(sheet, cell, last, style)
	}
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return ""
	}
	return *t
}

func ptr[T any](v T) *T { return &v }
