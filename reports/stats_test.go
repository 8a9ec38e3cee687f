package reports

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func sampleStatsReport() StatsReport {
	wards := []string{"Hải Châu I", "Hải Châu II", "Thạch Thang", "Thanh Bình", "Thuận Phước", "Phước Ninh",
		"Hòa Thuận Tây", "Hòa Thuận Đông", "Nam Dương", "Bình Hiên", "Bình Thuận", "Hòa Cường Bắc", "Hòa Cường Nam"}
	var rows [][]string
	var scans, reg []float64
	for i, w := range wards {
		rows = append(rows, []string{fmt.Sprint(i + 1), w, fmt.Sprint(600), fmt.Sprint(480 - i), fmt.Sprint(300 + i*7), fmt.Sprint(40 + i)})
		scans = append(scans, float64(20000+i*1500))
		reg = append(reg, 600)
	}
	days := []string{"15/09", "16/09", "17/09", "18/09", "19/09", "20/09", "21/09"}
	return StatsReport{
		Header:  DocHeader{Issuer: "ỦY BAN NHÂN DÂN\nQUẬN HẢI CHÂU", Symbol: "BC-UBND", Place: "Hải Châu", Date: time.Date(2021, 9, 22, 0, 0, 0, 0, time.UTC)},
		Subject: "Tình hình thực hiện quét mã QR tại các địa điểm từ 15/9/2021 đến 21/9/2021",
		KinhGui: []string{"Ban Chỉ đạo phòng, chống dịch COVID-19 thành phố"},
		Summary: []string{"Toàn quận có 7.800 địa điểm đã đăng ký, 6.240 địa điểm đã có mã QR."},
		Charts: []ReportChart{
			{Chart{Kind: ChartBars, Title: "Lượt quét theo phường", Labels: wards, Series: []Series{{"Lượt quét", scans}}}, "Biểu đồ 1. Lượt quét theo phường"},
			{Chart{Kind: ChartLines, Title: "Xu hướng theo ngày", Labels: days, Series: []Series{{"Lượt quét", []float64{5, 7, 6, 9, 8, 10, 12}}, {"Địa điểm có quét", []float64{3, 4, 4, 5, 5, 6, 6}}}}, "Biểu đồ 2. Xu hướng"},
		},
		Sections: []ReportSection{{Heading: "1. Số liệu theo phường", Table: Table{Columns: []Column{
			{Header: "STT", Width: 12, Align: AlignCenter}, {Header: "Phường"}, {Header: "Địa điểm", Width: 22, Align: AlignRight},
			{Header: "Có QR", Width: 20, Align: AlignRight}, {Header: "Có quét", Width: 20, Align: AlignRight}, {Header: "Im lặng", Width: 20, Align: AlignRight},
		}, Rows: rows}}, {Heading: "2. Địa điểm im lặng", Text: "Có 412 địa điểm không có lượt quét trong 7 ngày."}},
		Closing: []string{"Đề nghị các phường tiếp tục nhắc nhở các địa điểm im lặng."},
		Footer:  Footer{Recipients: []string{"Ban Chỉ đạo thành phố"}, Signature: Signature{OnBehalf: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH", Name: "Nguyễn Văn A"}},
	}
}

func TestStatsReportPDF(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bc.pdf")
	var buf bytes.Buffer
	if err := WriteStatsReport(&buf, sampleStatsReport()); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o644)
	text := pdfTextFlat(t, path)
	for _, want := range []string{"BÁO CÁO", "Kính gửi", "Ban Chỉ đạo phòng, chống dịch", "7.800 địa điểm", "Biểu đồ 1. Lượt quét theo phường",
		"Hòa Cường Nam", "2. Địa điểm im lặng", "Nơi nhận:", "Nguyễn Văn A"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if _, err := os.Stat("/usr/bin/pdfimages"); err == nil {
		if out := run(t, "pdfimages", "-list", path); strings.Count(out, "png")+strings.Count(out, "image") < 2 {
			t.Errorf("charts not embedded:\n%s", out)
		}
	}
	// The one-page daily summary.
	daily := filepath.Join(dir, "nhanh.pdf")
	buf.Reset()
	if err := WriteDailySummary(&buf, sampleStatsReport()); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(daily, buf.Bytes(), 0o644)
	if info := pdfInfo(t, daily); info.pages != 1 {
		t.Errorf("daily summary has %d pages", info.pages)
	}
	if text := pdfTextFlat(t, daily); !strings.Contains(text, "Hòa Cường Nam") || !strings.Contains(text, "BÁO CÁO") {
		t.Error("daily summary lacks its table")
	}
}

func TestChartPNG(t *testing.T) {
	c := Chart{Kind: ChartBars, Title: "Lượt quét", Labels: []string{"A", "B"}, Series: []Series{{"x", []float64{10, 5}}}, Width: 400, Height: 300}
	b, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 400 {
		t.Fatalf("png: %v", err)
	}
	// The first bar is full height (10 is the axis maximum): its colour is
	// found just under the plot's top, the second bar's only lower down.
	first := img.At(160, 95)
	if r, g, bl, _ := first.RGBA(); r>>8 != 0x1f || g>>8 != 0x4e || bl>>8 != 0x99 {
		t.Errorf("top of first bar: %v", first)
	}
	second := img.At(280, 95)
	if r, _, _, _ := second.RGBA(); r>>8 == 0x1f {
		t.Error("second bar reaches the top")
	}
	if formatTick(1234567) != "1.234.567" || niceMax(730) != 1000 || niceMax(130) != 200 {
		t.Error("ticks")
	}
}

func TestTablesXLSX(t *testing.T) {
	var buf bytes.Buffer
	err := WriteTablesXLSX(&buf, []Sheet{
		{Name: "Theo phường", Title: "Số liệu", Header: []string{"Phường", "Lượt quét"}, Rows: [][]any{{"Hải Châu I", 1200}, {"Thạch Thang", 3400}}},
		{Name: "Im lặng", Title: "Địa điểm im lặng", Header: []string{"Mã", "Tên"}, Rows: [][]any{{"20236-0001", "Chợ Hàn"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Theo phường")
	if len(rows) != 4 || rows[1][1] != "Lượt quét" || rows[3][0] != "Thạch Thang" || rows[3][1] != "3400" {
		t.Errorf("rows %v", rows)
	}
	if v, _ := f.GetCellValue("Im lặng", "B3"); v != "Chợ Hàn" {
		t.Errorf("second sheet %q", v)
	}
}
