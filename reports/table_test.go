package reports

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestColumnWidths(t *testing.T) {
	cases := []struct {
		cols  []Column
		total float64
		want  []float64
	}{
		{[]Column{{Width: 10}, {}, {}}, 110, []float64{10, 50, 50}},
		{[]Column{{Width: 20}, {Width: 30}}, 100, []float64{40, 60}},
		{[]Column{{Width: 100}, {Width: 100}}, 100, []float64{50, 50}},
		{[]Column{{Width: 90}, {}}, 100, []float64{90 * 100 / 105.0, 15 * 100 / 105.0}},
	}
	for i, c := range cases {
		got := ColumnWidths(c.cols, c.total)
		for j := range got {
			if math.Abs(got[j]-c.want[j]) > 1e-6 {
				t.Errorf("case %d: widths %v, want %v", i, got, c.want)
				break
			}
		}
	}
}

// tracingList builds a landscape tracing list long enough for three pages.
func tracingList(rows int) ListReport {
	var data [][]string
	names := []string{violatorName, "Trần Văn Bình", "Lê Thị Thu Hà", "Phạm Ngọc Ánh"}
	for i := 0; i < rows; i++ {
		note := ""
		if i%7 == 3 {
			note = "Đã gọi điện, hẹn lấy mẫu xét nghiệm tại trạm y tế phường vào sáng mai; người nhà cho biết đang cách ly tại nhà"
		}
		data = append(data, []string{
			fmt.Sprint(i + 1), names[i%len(names)], fmt.Sprint(1960 + i%50), fmt.Sprintf("0905%06d", i),
			"Cửa hàng tạp hóa Hường Phát", fmt.Sprintf("05/01/2026 %02d:%02d", 8+i%10, i%60), note,
		})
	}
	return ListReport{
		Landscape: true,
		Header: &DocHeader{
			Issuer: WardIssuer("Hải Châu I"), Number: 7, Symbol: "DS-UBND",
			Place: "Hải Châu", Date: time.Date(2026, 1, 6, 0, 0, 0, 0, hcm),
		},
		Kind:    "DANH SÁCH",
		Subject: []string{"Người đến cùng địa điểm, cùng thời điểm với ca bệnh F0"},
		Intro:   []string{"Địa điểm: Cửa hàng tạp hóa Hường Phát, 12 Trần Phú; khung thời gian: ±1 giờ quanh lượt quét của F0."},
		Table: Table{Columns: []Column{
			{Header: "STT", Width: 12, Align: AlignCenter},
			{Header: "Họ và tên", Width: 50},
			{Header: "Năm sinh", Width: 20, Align: AlignCenter},
			{Header: "Số điện thoại", Width: 30, Align: AlignCenter},
			{Header: "Địa điểm", Width: 50},
			{Header: "Thời điểm quét", Width: 34, Align: AlignCenter},
			{Header: "Ghi chú"},
		}, Rows: data},
		Footer: &Footer{
			Recipients: []string{"Trung tâm Y tế quận Hải Châu", "Tổ truy vết phường"},
			Archive:    "VP",
			Signature:  Signature{OnBehalf: "TM. ỦY BAN NHÂN DÂN", Deputy: "KT. CHỦ TỊCH", Title: "PHÓ CHỦ TỊCH", Name: "Trần Văn Bình"},
		},
	}
}

func TestListReportLandscape(t *testing.T) {
	r := tracingList(60)
	path := writePDF(t, "tracing.pdf", r.Build().WriteFile)
	info := pdfInfo(t, path)
	if info.pages < 3 {
		t.Errorf("pages = %d, want ≥ 3", info.pages)
	}
	for i, sz := range pageSizes(t, path, info.pages) {
		if math.Abs(sz[0]-841.89) > 1 || math.Abs(sz[1]-595.28) > 1 {
			t.Errorf("page %d is %.1f x %.1f, want A4 landscape 842 x 595", i+1, sz[0], sz[1])
		}
	}
	text := pdfText(t, path)
	pages := strings.Split(text, "\f")
	mustContain(t, text, "DANH SÁCH", "Người đến cùng địa điểm, cùng thời điểm với ca bệnh F0", "Số: 07/DS-UBND")
	// The header row repeats on every page, and every row is printed once.
	for i, pg := range pages[:info.pages] {
		if !strings.Contains(pg, "Họ và tên") || !strings.Contains(pg, "Thời điểm quét") {
			t.Errorf("page %d lacks the repeated header row", i+1)
		}
	}
	for i := 1; i <= 60; i++ {
		if want := fmt.Sprintf("0905%06d", i-1); strings.Count(text, want) != 1 {
			t.Errorf("row %d (%s) printed %d times", i, want, strings.Count(text, want))
		}
	}
	mustContain(t, pdfTextFlat(t, path), "người nhà cho biết đang cách ly tại nhà", "Trần Văn Bình")
	checkEmbeddedFonts(t, path)
}

// A single cell taller than a page is split across pages rather than lost.
func TestTableTallRow(t *testing.T) {
	d := NewDocument(DocOptions{})
	long := strings.Repeat("Nội dung rất dài của một ô trong bảng để kiểm tra việc ngắt trang. ", 120)
	d.Table(Table{Columns: []Column{{Header: "STT", Width: 15}, {Header: "Nội dung"}}, Rows: [][]string{{"1", long + "HẾT Ô"}, {"2", "Dòng sau"}}})
	path := writePDF(t, "tallrow.pdf", d.WriteFile)
	if info := pdfInfo(t, path); info.pages < 2 {
		t.Errorf("pages = %d, want ≥ 2", info.pages)
	}
	mustContain(t, pdfTextFlat(t, path), "HẾT Ô", "Dòng sau")
}
