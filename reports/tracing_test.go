package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTracingListPDF(t *testing.T) {
	var rows [][]string
	for i := 0; i < 90; i++ {
		rows = append(rows, []string{fmt.Sprint(i + 1), "F1", fmt.Sprintf("Đặng Thị Hường %d", i), "1987", "0905123456",
			"Chợ Hàn", "12/09/2021 10:00", "12/09/2021 10:05", "Quét mã lúc 10:05, sau F0 5 phút (trong ±60 phút)", "", "Đã gọi"})
	}
	l := TracingList{
		Header: DocHeader{Issuer: WardIssuer("Hải Châu I"), Symbol: "DS-UBND", Place: "Hải Châu",
			Date: time.Date(2021, 9, 15, 0, 0, 0, 0, time.UTC)},
		Subject:    "Người đến cùng địa điểm, cùng thời điểm với ca bệnh F0",
		Intro:      []string{"Ca bệnh: Trần Văn F, xác nhận ngày 14/09/2021."},
		Columns:    []string{"STT", "Mức", "Họ và tên", "Năm sinh", "Điện thoại", "Địa điểm", "Giờ F0", "Giờ tiếp xúc", "Lý do", "Qua F1", "Theo dõi"},
		Rows:       rows,
		Recipients: []string{"Trung tâm Y tế quận Hải Châu"},
		Signature:  Signature{OnBehalf: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH", Name: "Nguyễn Văn A"},
	}
	path := filepath.Join(t.TempDir(), "ds.pdf")
	f, _ := os.Create(path)
	if err := WriteTracingList(f, l); err != nil {
		t.Fatal(err)
	}
	f.Close()
	info := pdfInfo(t, path)
	if info.pages < 3 || info.w <= info.h {
		t.Fatalf("pages %d, size %.0fx%.0f: want several landscape pages", info.pages, info.w, info.h)
	}
	text := pdfText(t, path)
	for _, want := range []string{"DANH SÁCH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Đặng Thị Hường 0", "Đặng Thị Hường 89",
		"Hải Châu, ngày 15 tháng 9 năm 2021", "Nơi nhận:", "Ca bệnh: Trần Văn F"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	// The header row repeats on every page.
	if n := strings.Count(text, "Họ và tên"); n < info.pages {
		t.Errorf("header row printed %d times on %d pages", n, info.pages)
	}
}
