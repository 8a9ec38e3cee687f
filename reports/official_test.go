package reports

import (
	"math"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var hcm = time.FixedZone("ICT", 7*3600)

func TestDateLine(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 9, 30, 0, 0, hcm) }
	cases := []struct {
		place string
		t     time.Time
		want  string
	}{
		{"Hải Châu", d(2026, 1, 5), "Hải Châu, ngày 05 tháng 01 năm 2026"},
		{"Hải Châu", d(2026, 2, 28), "Hải Châu, ngày 28 tháng 02 năm 2026"},
		{"Hải Châu", d(2021, 3, 9), "Hải Châu, ngày 09 tháng 3 năm 2021"},
		{"Hà Nội", d(2021, 6, 10), "Hà Nội, ngày 10 tháng 6 năm 2021"},
		{"Đà Nẵng", d(2021, 10, 1), "Đà Nẵng, ngày 01 tháng 10 năm 2021"},
		{"Đà Nẵng", d(2021, 12, 31), "Đà Nẵng, ngày 31 tháng 12 năm 2021"},
		{"Đà Nẵng", d(2021, 11, 11), "Đà Nẵng, ngày 11 tháng 11 năm 2021"},
		{"", d(2026, 1, 5), "ngày 05 tháng 01 năm 2026"},
		{"  Sơn Trà ", d(2022, 4, 30), "Sơn Trà, ngày 30 tháng 4 năm 2022"},
		// NFD input comes out NFC.
		{norm.NFD.String("Hải Châu"), d(2026, 1, 5), "Hải Châu, ngày 05 tháng 01 năm 2026"},
	}
	for _, c := range cases {
		if got := DateLine(c.place, c.t); got != c.want {
			t.Errorf("DateLine(%q, %v) = %q, want %q", c.place, c.t, got, c.want)
		}
	}
	if got := DateLine("Hải Châu", time.Time{}); !strings.HasPrefix(got, "Hải Châu, ngày ") {
		t.Errorf("blank date line = %q", got)
	}
}

func TestFormatDocNumber(t *testing.T) {
	cases := []struct {
		n    int
		sym  string
		want string
	}{
		{5, "BB-VPHC", "Số: 05/BB-VPHC"},
		{1, "QĐ-XPHC", "Số: 01/QĐ-XPHC"},
		{10, "BC-UBND", "Số: 10/BC-UBND"},
		{125, "qđ-xphc", "Số: 125/QĐ-XPHC"},
		{7, "", "Số: 07"},
	}
	for _, c := range cases {
		if got := FormatDocNumber(c.n, c.sym); got != c.want {
			t.Errorf("FormatDocNumber(%d, %q) = %q, want %q", c.n, c.sym, got, c.want)
		}
	}
	if got := FormatDocNumber(0, "BB-VPHC"); !strings.HasPrefix(got, "Số: ") || !strings.HasSuffix(got, "/BB-VPHC") {
		t.Errorf("blank number = %q", got)
	}
}

func TestWardIssuer(t *testing.T) {
	for _, in := range []string{"Hải Châu I", "phường Hải Châu I", "Phường Hải Châu I"} {
		if got, want := WardIssuer(in), "ỦY BAN NHÂN DÂN\nPHƯỜNG HẢI CHÂU I"; got != want {
			t.Errorf("WardIssuer(%q) = %q", in, got)
		}
	}
	if got := WardIssuer("Xã Hòa Bắc"); got != "ỦY BAN NHÂN DÂN\nXÃ HÒA BẮC" {
		t.Errorf("WardIssuer(xã) = %q", got)
	}
}

const violatorName = "Nguyễn Thị Đặng Hường"

// sampleRecord builds a violation record (MBB01 shape) long enough for two
// pages, from NFD input to check normalisation.
func sampleRecord() *Document {
	nfd := norm.NFD.String
	d := NewDocument(DocOptions{Title: "Biên bản vi phạm hành chính", Author: "UBND phường Hải Châu I"})
	d.Header(DocHeader{
		Issuer: WardIssuer("Hải Châu I"),
		Number: 5, Symbol: "BB-VPHC",
		Place: "Hải Châu", Date: time.Date(2026, 1, 5, 9, 30, 0, 0, hcm),
	})
	d.Title("BIÊN BẢN VI PHẠM HÀNH CHÍNH", "Về y tế dự phòng")
	d.Paragraph("Hôm nay, hồi 09 giờ 30 phút, ngày 05/01/2026, tại cửa hàng tạp hóa Hường Phát, số 12 Trần Phú, phường Hải Châu I, quận Hải Châu, thành phố Đà Nẵng.")
	d.Para(ParaStyle{}, I("Căn cứ Luật Xử lý vi phạm hành chính ngày 20 tháng 6 năm 2012; Luật sửa đổi, bổ sung một số điều của Luật Xử lý vi phạm hành chính ngày 13 tháng 11 năm 2020;"))
	d.Para(ParaStyle{}, B("Chúng tôi gồm: "), T("Trần Văn Bình, chức vụ: Phó Chủ tịch Ủy ban nhân dân phường Hải Châu I; Lê Thị Thu Hà, chức vụ: công chức Văn phòng - Thống kê."))
	d.Para(ParaStyle{}, B("Tiến hành lập biên bản vi phạm hành chính đối với:"))
	d.Para(ParaStyle{}, T("Họ và tên: "), B(nfd(violatorName)), T(". Giới tính: Nữ."))
	d.Paragraph("Ngày, tháng, năm sinh: 18/01/1987. Quốc tịch: Việt Nam. Nghề nghiệp: kinh doanh hàng tạp hóa.")
	d.Paragraph("Nơi ở hiện tại: số 12 Trần Phú, phường Hải Châu I, quận Hải Châu, thành phố Đà Nẵng.")
	d.Paragraph("Số định danh cá nhân: 048187000123; ngày cấp: 10/5/2021; nơi cấp: Cục Cảnh sát quản lý hành chính về trật tự xã hội.")
	d.Paragraph("Đã có hành vi vi phạm hành chính: Không tổ chức quét mã QR của người đến cơ sở kinh doanh theo quy định về phòng, chống dịch COVID-19. Cụ thể: vào lúc 09 giờ 15 phút ngày 05/01/2026, tại cửa hàng, có 07 khách vào mua hàng mà cơ sở không bố trí người và thiết bị quét mã QR cá nhân.")
	d.Paragraph("Quy định tại: khoản 2 Điều 14 Nghị định số 117/2020/NĐ-CP ngày 28 tháng 9 năm 2020 của Chính phủ quy định xử phạt vi phạm hành chính trong lĩnh vực y tế, được sửa đổi, bổ sung bởi Nghị định số 124/2021/NĐ-CP.")
	for i := 0; i < 6; i++ {
		d.Paragraph("Ý kiến trình bày của cá nhân vi phạm: bà Hường thừa nhận trong giờ cao điểm buổi sáng chưa kịp quét mã cho tất cả khách hàng; cam kết bố trí người quét mã tại cửa ra vào và niêm yết mã QR địa điểm đúng quy định.")
	}
	d.Paragraph("Chúng tôi đã yêu cầu cá nhân vi phạm chấm dứt ngay hành vi vi phạm.")
	d.Table(Table{
		Columns: []Column{
			{Header: "STT", Width: 12, Align: AlignCenter},
			{Header: "Tên tang vật, phương tiện", Align: AlignLeft},
			{Header: "Đơn vị tính", Width: 22, Align: AlignCenter},
			{Header: "Số lượng", Width: 20, Align: AlignRight},
			{Header: "Ghi chú", Width: 30},
		},
		Rows: [][]string{
			{"1", "Sổ ghi chép khách ra vào (bản giấy)", "quyển", "01", "Tạm giữ"},
			{"2", "Máy tính bảng dùng để quét mã QR", "chiếc", "01", ""},
		},
	})
	d.Paragraph("Biên bản lập xong hồi 10 giờ 15 phút cùng ngày, gồm 02 tờ, được lập thành 02 bản có nội dung và giá trị như nhau; đã đọc lại cho những người có tên trên cùng nghe, công nhận là đúng và cùng ký tên dưới đây.")
	d.Signatures(
		Signature{Title: "NGƯỜI VI PHẠM", Note: "(Ký, ghi rõ họ tên)", Name: violatorName, Space: 22},
		Signature{Title: "NGƯỜI LẬP BIÊN BẢN", Note: "(Ký, ghi rõ họ tên)", Name: "Trần Văn Bình", Space: 22},
	)
	return d
}

func sampleDecision() *Document {
	d := NewDocument(DocOptions{})
	d.Header(DocHeader{
		Issuer: WardIssuer("Hải Châu I"),
		Number: 12, Symbol: "QĐ-XPHC",
		Place: "Hải Châu", Date: time.Date(2026, 2, 9, 0, 0, 0, 0, hcm),
	})
	d.Title(KindDecision, "Xử phạt vi phạm hành chính")
	d.Heading("CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG HẢI CHÂU I")
	d.Para(ParaStyle{}, I("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"))
	d.Para(ParaStyle{}, I("Căn cứ Biên bản vi phạm hành chính số 05/BB-VPHC lập ngày 05/01/2026."))
	d.Heading("QUYẾT ĐỊNH:")
	amount := int64(7_500_000)
	d.Para(ParaStyle{}, B("Điều 1. "), T("Xử phạt vi phạm hành chính đối với bà "+violatorName+", mức phạt: "+FormatVND(amount)+" đồng (Bằng chữ: "+AmountInWords(amount)+")."))
	d.Para(ParaStyle{}, B("Điều 2. "), T("Quyết định này có hiệu lực kể từ ngày ký. Cá nhân bị xử phạt phải nộp tiền phạt trong thời hạn 10 ngày kể từ ngày nhận được Quyết định."))
	d.Footer(Footer{
		Recipients: []string{"Như Điều 2", "Chủ tịch UBND quận Hải Châu (để b/c)"},
		Archive:    "VP, Hồ sơ",
		Signature:  Signature{Deputy: "KT. CHỦ TỊCH", Title: "PHÓ CHỦ TỊCH", Name: "Trần Văn Bình"},
	})
	return d
}

func sampleReport() *Document {
	d := NewDocument(DocOptions{})
	d.Header(DocHeader{
		Issuer: WardIssuer("Hải Châu I"),
		Number: 3, Symbol: "BC-UBND",
		Place: "Hải Châu", Date: time.Date(2021, 11, 8, 0, 0, 0, 0, hcm),
	})
	d.Title(KindReport, "Kết quả kiểm tra việc quét mã QR tại các cơ sở", "trên địa bàn phường từ ngày 01/11 đến ngày 07/11/2021")
	d.KinhGui("Ban Chỉ đạo phòng, chống dịch COVID-19 quận Hải Châu")
	d.Paragraph("Thực hiện Công văn số 3276/STP-XDKTVB của Sở Tư pháp thành phố Đà Nẵng, Ủy ban nhân dân phường Hải Châu I báo cáo kết quả kiểm tra như sau.")
	d.Footer(Footer{
		Recipients: []string{"Như trên", "Đảng ủy phường"},
		Archive:    "VP",
		Signature:  Signature{OnBehalf: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH", Name: "Phạm Ngọc Ánh"},
	})
	return d
}

func TestOfficialRecord(t *testing.T) {
	path := writePDF(t, "record.pdf", func(p string) error { return sampleRecord().WriteFile(p) })
	info := pdfInfo(t, path)
	if info.pages < 2 {
		t.Errorf("pages = %d, want ≥ 2 (the sample is long)", info.pages)
	}
	if math.Abs(info.w-595.28) > 1 || math.Abs(info.h-841.89) > 1 {
		t.Errorf("page size %.2f x %.2f, want A4 portrait 595 x 842", info.w, info.h)
	}
	// A substitute font is flagged in the metadata.
	if fs := SerifFonts(); fs.Substitute() && !strings.Contains(info.raw, "Liberation Serif (metric-compatible substitute") {
		t.Errorf("pdfinfo lacks the font-substitute note:\n%s", info.raw)
	}
	text := pdfText(t, path)
	mustContain(t, text,
		"ỦY BAN NHÂN DÂN", "PHƯỜNG HẢI CHÂU I", "Số: 05/BB-VPHC",
		NationalTitle, NationalMotto,
		"Hải Châu, ngày 05 tháng 01 năm 2026",
		"BIÊN BẢN VI PHẠM HÀNH CHÍNH", "Về y tế dự phòng",
		violatorName, "Tên tang vật, phương tiện", "NGƯỜI LẬP BIÊN BẢN", "Trần Văn Bình",
	)
	flat := pdfTextFlat(t, path)
	mustContain(t, flat, "Số định danh cá nhân: 048187000123", "khoản 2 Điều 14 Nghị định số 117/2020/NĐ-CP")
	// Page numbers from page 2 only.
	pages := strings.Split(text, "\f")
	if first := strings.TrimSpace(pages[0]); strings.HasPrefix(first, "1\n") {
		t.Errorf("page 1 shows a page number")
	}
	if len(pages) < 2 || firstLine(pages[1]) != "2" {
		t.Errorf("page 2 does not start with its number: %q", firstLine(pages[1]))
	}
	checkEmbeddedFonts(t, path)
	checkMargins(t, path)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func checkEmbeddedFonts(t *testing.T, path string) {
	t.Helper()
	fonts := pdfFonts(t, path)
	if len(fonts) < 3 {
		t.Errorf("pdffonts lists %d fonts, want regular, bold and italic at least: %+v", len(fonts), fonts)
	}
	for _, f := range fonts {
		if !f.emb || !f.sub || !f.uni {
			t.Errorf("font %s not embedded+subset with Unicode map: %+v", f.name, f)
		}
	}
}

// checkMargins renders page 1 and checks the topmost and leftmost dark
// pixels lie inside the 20 mm top and 30 mm left margins (and the right
// and bottom ones).
func checkMargins(t *testing.T, path string) {
	t.Helper()
	const dpi = 100
	img := renderPage(t, path, 1, dpi)
	b, ok := darkBounds(img, img.Bounds())
	if !ok {
		t.Fatal("page 1 is blank")
	}
	pw, ph := img.Bounds().Dx(), img.Bounds().Dy()
	left, top := pxToMM(b.Min.X, dpi), pxToMM(b.Min.Y, dpi)
	right, bottom := pxToMM(pw-b.Max.X, dpi), pxToMM(ph-b.Max.Y, dpi)
	t.Logf("ink margins: left %.1f top %.1f right %.1f bottom %.1f mm", left, top, right, bottom)
	if left < 30-0.5 {
		t.Errorf("left ink at %.1f mm, want ≥ 30", left)
	}
	if top < 20-0.5 {
		t.Errorf("top ink at %.1f mm, want ≥ 20", top)
	}
	if right < 15-0.5 {
		t.Errorf("right ink at %.1f mm, want ≥ 15", right)
	}
	if bottom < 20-0.5 {
		t.Errorf("bottom ink at %.1f mm, want ≥ 20", bottom)
	}
	// Body text really starts near the left margin (justified lines).
	if left > 31.5 {
		t.Errorf("left ink at %.1f mm: body does not start at the 30 mm margin", left)
	}
}

func TestOfficialDecision(t *testing.T) {
	path := writePDF(t, "decision.pdf", func(p string) error { return sampleDecision().WriteFile(p) })
	flat := pdfTextFlat(t, path)
	mustContain(t, flat,
		"Số: 12/QĐ-XPHC", "Hải Châu, ngày 09 tháng 02 năm 2026", "QUYẾT ĐỊNH", "Xử phạt vi phạm hành chính",
		"7.500.000 đồng", "Bảy triệu năm trăm nghìn đồng",
		"Nơi nhận:", "- Như Điều 2;", "- Lưu: VT, VP, Hồ sơ.",
		"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình",
	)
	if info := pdfInfo(t, path); info.pages != 1 {
		t.Errorf("pages = %d, want 1", info.pages)
	}
	checkMargins(t, path)
}

func TestOfficialReport(t *testing.T) {
	path := writePDF(t, "report.pdf", func(p string) error { return sampleReport().WriteFile(p) })
	flat := pdfTextFlat(t, path)
	mustContain(t, flat,
		"Số: 03/BC-UBND", "Hải Châu, ngày 08 tháng 11 năm 2021", "BÁO CÁO",
		"Kính gửi: Ban Chỉ đạo phòng, chống dịch COVID-19 quận Hải Châu",
		"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Ngọc Ánh",
	)
}

func TestKinhGuiSeveral(t *testing.T) {
	d := NewDocument(DocOptions{})
	d.Header(DocHeader{Issuer: WardIssuer("Hải Châu I"), Number: 4, Symbol: "TB-UBND", Place: "Hải Châu", Date: time.Date(2021, 11, 9, 0, 0, 0, 0, hcm)})
	d.Title(KindNotice, "Về việc niêm yết mã QR địa điểm")
	d.KinhGui("Các cơ sở kinh doanh trên địa bàn phường", "Tổ dân phố số 1, 2, 3")
	path := writePDF(t, "notice.pdf", d.WriteFile)
	text := pdfText(t, path)
	mustContain(t, text, "Kính gửi: - Các cơ sở kinh doanh trên địa bàn phường;", "- Tổ dân phố số 1, 2, 3.", "THÔNG BÁO")
}
