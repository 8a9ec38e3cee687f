package reports

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

func ward() DocHeader {
	return DocHeader{Issuer: WardIssuer("Hải Châu I"), Place: "Hải Châu"}
}

func sampleRecordDoc() RecordDoc {
	h := ward()
	h.Number, h.Symbol, h.Date = 5, "BB-VPHC", time.Date(2021, 11, 4, 10, 0, 0, 0, hcm)
	return RecordDoc{
		Header: h, Field: "y tế dự phòng",
		MadeAt: time.Date(2021, 11, 4, 10, 0, 0, 0, hcm), MadePlace: "Nhà hàng Biển Xanh, 12 Bạch Đằng, phường Hải Châu I",
		Makers:    []Party{{Name: "Trần Văn Bình", Title: "Phó Chủ tịch UBND phường Hải Châu I"}},
		Witnesses: []Party{{Name: "Võ Thị Mỹ Lệ", Title: "Tổ trưởng tổ dân phố 5"}},
		Violator: Violator{Individual: &IndividualViolator{Name: "Nguyễn Thị Đặng Hường", Sex: "Nữ", BirthDate: "18/01/1987",
			Nationality: "Việt Nam", Occupation: "Kinh doanh ăn uống", Residence: "12 Bạch Đằng, phường Hải Châu I",
			IDNumber: "048187000123", IDIssuedOn: "10/5/2021", IDIssuedBy: "Cục Cảnh sát QLHC về TTXH"}},
		Act:         "Chủ cơ sở không quản lý, kiểm soát người ra vào bằng việc quét mã QR khai báo y tế",
		ViolationAt: time.Date(2021, 11, 4, 9, 15, 0, 0, hcm), ViolationPlace: "12 Bạch Đằng",
		Description: "có 07 khách vào mà cơ sở không bố trí người và thiết bị quét mã QR",
		Provision:   "khoản 2 Điều 14 Nghị định số 117/2020/NĐ-CP",
		Statement:   "Thừa nhận vi phạm, cam kết khắc phục ngay", ExplainTo: "Chủ tịch UBND phường Hải Châu I",
		HearingDue: time.Date(2021, 11, 8, 23, 59, 0, 0, hcm), ExplainDue: time.Date(2021, 11, 11, 23, 59, 0, 0, hcm),
		ClosedAt: time.Date(2021, 11, 4, 10, 40, 0, 0, hcm), Sheets: 2, Copies: 2,
	}
}

// The violation record carries every MBB01 field, with exact diacritics,
// on A4 inside the Nghị định 30 margins.
func TestRecordDocHasEveryMBB01Field(t *testing.T) {
	path := writePDF(t, "mbb01.pdf", func(p string) error { return writeTo(p, sampleRecordDoc()) })
	info := pdfInfo(t, path)
	if math.Abs(info.w-595.28) > 1 || math.Abs(info.h-841.89) > 1 {
		t.Errorf("page %.1f x %.1f, want A4", info.w, info.h)
	}
	flat := pdfTextFlat(t, path)
	mustContain(t, flat,
		"ỦY BAN NHÂN DÂN", "PHƯỜNG HẢI CHÂU I", "Số: 05/BB-VPHC", NationalTitle, NationalMotto,
		"Hải Châu, ngày 04 tháng 11 năm 2021", "BIÊN BẢN VI PHẠM HÀNH CHÍNH", "Về y tế dự phòng",
		"Hôm nay, hồi 10 giờ 00 phút, ngày 04/11/2021, tại Nhà hàng Biển Xanh",
		"Chúng tôi gồm:", "Trần Văn Bình, chức vụ: Phó Chủ tịch UBND phường Hải Châu I",
		"Với sự chứng kiến của:", "Võ Thị Mỹ Lệ",
		"Họ và tên: Nguyễn Thị Đặng Hường", "Giới tính: Nữ", "Ngày, tháng, năm sinh: 18/01/1987", "Quốc tịch: Việt Nam",
		"Nghề nghiệp: Kinh doanh ăn uống", "Nơi ở hiện tại: 12 Bạch Đằng", "048187000123", "ngày cấp: 10/5/2021",
		"Đã có hành vi vi phạm hành chính: Chủ cơ sở không quản lý", "Cụ thể: vào lúc 09 giờ 15 phút, ngày 04/11/2021, tại 12 Bạch Đằng",
		"Quy định tại: khoản 2 Điều 14 Nghị định số 117/2020/NĐ-CP", "Cá nhân/tổ chức bị thiệt hại:",
		"Ý kiến trình bày của cá nhân/người đại diện của tổ chức vi phạm: Thừa nhận vi phạm",
		"Ý kiến trình bày của đại diện chính quyền, người chứng kiến:",
		"Chúng tôi đã yêu cầu cá nhân/tổ chức vi phạm chấm dứt ngay hành vi vi phạm.",
		"biện pháp ngăn chặn", "Tên tang vật, phương tiện", "Tình", "Chủng",
		"02 ngày làm việc", "đến hết ngày 08/11/2021", "05 ngày làm việc", "đến hết ngày 11/11/2021",
		"Biên bản lập xong hồi 10 giờ 40 phút, ngày 04/11/2021, gồm 02 tờ, được lập thành 02 bản",
		"NGƯỜI VI PHẠM", "NGƯỜI CHỨNG KIẾN", "NGƯỜI LẬP BIÊN", "(Ký, ghi rõ họ tên)",
	)
	checkEmbeddedFonts(t, path)
	checkMargins(t, path)
}

func TestDecisionDocAmountInFiguresAndWords(t *testing.T) {
	h := ward()
	h.Number, h.Symbol, h.Date = 12, "QĐ-XPHC", time.Date(2021, 11, 12, 0, 0, 0, 0, hcm)
	doc := DecisionDoc{Header: h, Decider: "Chủ tịch Ủy ban nhân dân quận Hải Châu", RecordNumber: "05/BB-VPHC",
		RecordDate: time.Date(2021, 11, 4, 0, 0, 0, 0, hcm), Violator: sampleRecordDoc().Violator,
		Act: "Không quét mã QR của người đến", Provision: "khoản 2 Điều 14 Nghị định số 117/2020/NĐ-CP", Amount: 7_500_000,
		PayPlace:  "Kho bạc Nhà nước quận Hải Châu",
		Signature: Signature{Title: "CHỦ TỊCH", Name: "Lê Trung Chinh"}}
	path := writePDF(t, "mqd02.pdf", func(p string) error { return writeTo(p, doc) })
	flat := pdfTextFlat(t, path)
	mustContain(t, flat, "Số: 12/QĐ-XPHC", "Hải Châu, ngày 12 tháng 11 năm 2021", "QUYẾT ĐỊNH", "Xử phạt vi phạm hành chính",
		"CHỦ TỊCH ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU", "Căn cứ Biên bản vi phạm hành chính số 05/BB-VPHC lập ngày 04/11/2021.",
		"Điều 1.", "Nguyễn Thị Đặng Hường", "mức phạt: 7.500.000 đồng", "(Bằng chữ: Bảy triệu năm trăm nghìn đồng)",
		"Điều 2.", "trong thời hạn 10 ngày", "Kho bạc Nhà nước quận Hải Châu", "khiếu nại hoặc khởi kiện", "Điều 3.",
		"Nơi nhận:", "- Như Điều 3;", "CHỦ TỊCH", "Lê Trung Chinh")
	checkMargins(t, path)
}

func testPNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), 40, uint8(y * 255 / h), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// The inspection record shows its checklist and draws the photo (dark
// pixels where the image is), inside the margins.
func TestInspectionDocWithChecklistAndPhoto(t *testing.T) {
	h := ward()
	h.Number, h.Symbol, h.Date = 1, "BB-KT", time.Date(2021, 11, 5, 15, 0, 0, 0, hcm)
	doc := InspectionDoc{Header: h, At: time.Date(2021, 11, 5, 14, 10, 0, 0, hcm), Place: "12 Bạch Đằng", GPS: "16.0678,108.2208",
		Team:  []Party{{Name: "Nguyễn Văn Quốc", Title: "Trưởng đoàn", Agency: "Sở TT&TT"}},
		Venue: "Nhà hàng Biển Xanh", Address: "12 Bạch Đằng", Category: "Nhà hàng, quán ăn", Owner: "Nguyễn Thị Đặng Hường",
		Checklist: "Kiểm tra cơ sở phải quét mã QR cá nhân của người đến", Poster: "mã hợp lệ nhưng cấp cho địa điểm khác",
		Rows: []ChecklistRow{{"Mã QR địa điểm được niêm yết tại tất cả cổng, cửa ra vào và quét được", "Không đạt", "Mã của cơ sở khác"},
			{"Chủ cơ sở và nhân viên đã tiêm ít nhất 01 mũi vắc xin", "Đạt", ""}},
		Conclusion: "Cơ sở vi phạm; lập biên bản vi phạm hành chính.",
		Photos:     []Photo{{Caption: "Ảnh 1: cửa ra vào không có người quét mã", Image: testPNG(400, 300)}}}
	path := writePDF(t, "inspection.pdf", func(p string) error { return writeTo(p, doc) })
	flat := pdfTextFlat(t, path)
	mustContain(t, flat, "Số: 01/BB-KT", "BIÊN BẢN KIỂM TRA", "Tọa độ nơi kiểm tra: 16.0678,108.2208",
		"Nguyễn Văn Quốc, chức vụ: Trưởng đoàn, cơ quan: Sở TT&TT", "Nội dung kiểm tra", "Không đạt", "Đạt",
		"Kết quả quét mã QR địa điểm niêm yết: mã hợp lệ nhưng cấp cho địa điểm khác", "Ảnh 1: cửa ra vào không có người quét mã")
	info := pdfInfo(t, path)
	found := false
	for p := 1; p <= info.pages && !found; p++ {
		img := renderPage(t, path, p, 50)
		// The photo is a large colourful block: look for saturated pixels.
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y && !found; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				r, g, bl, _ := img.At(x, y).RGBA()
				if g < 0x4000 && (r > 0x8000 || bl > 0x8000) {
					found = true
					break
				}
			}
		}
	}
	if !found {
		t.Error("the photo was not drawn")
	}
	checkMargins(t, path)
}

func TestScheduleAppendix(t *testing.T) {
	doc := ScheduleDoc{Ref: "(Kèm theo Công văn số 3301/STTTT-CNTT ngày 04/11/2021 của Sở Thông tin và Truyền thông)",
		Title: "Dự kiến lịch kiểm tra thực tế việc triển khai quét mã QR khai báo y tế",
		Rows: []ScheduleRow{{"Quận Hải Châu và Quận Thanh Khê", "Từ 14h00 ngày 05/11/2021", "Đại diện Sở Y tế, Sở TT&TT; Đại diện UBND quận Hải Châu", ""},
			{"Quận Sơn Trà và Quận Ngũ Hành Sơn", "Từ 08h00 ngày 06/11/2021", "Đại diện Sở Y tế, Sở TT&TT", ""}},
		Contacts: []ContactRow{{"UBND quận Hải Châu", "Nguyễn Phúc Vĩnh Trung", "Chuyên viên", "0909092184"}}}
	path := writePDF(t, "schedule.pdf", func(p string) error { return writeTo(p, doc) })
	flat := pdfTextFlat(t, path)
	mustContain(t, flat, "Phụ lục I", "DỰ KIẾN LỊCH KIỂM TRA THỰC TẾ VIỆC TRIỂN KHAI QUÉT MÃ QR KHAI BÁO Y TẾ",
		"Kèm theo Công văn số 3301/STTTT-CNTT", "Địa bàn", "Ngày kiểm tra", "Thành phần kiểm tra",
		"Quận Hải Châu và Quận", "Thanh Khê", "Từ 14h00 ngày", "05/11/2021", "Phụ lục II", "ĐẦU MỐI PHỐI HỢP",
		"Nguyễn Phúc Vĩnh", "0909092184") // table cells wrap: words, not whole cells
	checkMargins(t, path)
}

// A day's notices print in one PDF; each document restarts its page
// numbering (no number on its first page).
func TestBatchOfADaysNotices(t *testing.T) {
	var parts []Part
	for i := 1; i <= 3; i++ {
		h := ward()
		h.Number, h.Symbol, h.Date = i, "TB-UBND", time.Date(2021, 11, 22, 0, 0, 0, 0, hcm)
		parts = append(parts, ReminderDoc{Header: h, Recipient: "Nhà hàng Biển Xanh (chủ cơ sở: bà Nguyễn Thị Đặng Hường)",
			Address: "12 Bạch Đằng", Count: i, DecisionNumber: "12/QĐ-XPHC", DecisionDate: time.Date(2021, 11, 12, 0, 0, 0, 0, hcm),
			Act: "Không quét mã QR của người đến", Deadline: time.Date(2021, 11, 29, 0, 0, 0, 0, hcm),
			Signature: Signature{OnBehalf: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH", Name: "Phạm Ngọc Ánh"}})
	}
	h := ward()
	h.Number, h.Symbol, h.Date = 1, "QĐ-UBND", time.Date(2021, 11, 22, 0, 0, 0, 0, hcm)
	parts = append(parts, SuspensionDoc{Header: h, Decider: "Chủ tịch Ủy ban nhân dân phường Hải Châu I", Venue: "Quán Gió",
		Address: "3 Lê Lợi", Owner: "Ông Trần Gió", DecisionNumber: "10/QĐ-XPHC", Reminders: 4, Reason: "Không chấp hành 04 lần nhắc nhở",
		From: time.Date(2021, 11, 23, 0, 0, 0, 0, hcm), Signature: Signature{Title: "CHỦ TỊCH", Name: "Phạm Ngọc Ánh"}})
	var buf bytes.Buffer
	if err := WriteBatch(&buf, parts...); err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, "batch.pdf", func(p string) error { return os.WriteFile(p, buf.Bytes(), 0o644) })
	text := pdfText(t, path)
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) < 4 {
		t.Fatalf("%d pages for 4 documents", len(pages))
	}
	starts := 0
	for _, p := range pages {
		if strings.Contains(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
			starts++
			if firstLine(p) == "1" || firstLine(p) == "2" {
				t.Errorf("a document's first page shows a page number: %q", firstLine(p))
			}
		}
	}
	if starts != 4 {
		t.Errorf("%d document starts, want 4", starts)
	}
	flat := pdfTextFlat(t, path)
	mustContain(t, flat, "Số: 01/TB-UBND", "Số: 03/TB-UBND", "(lần 3)", "Kính gửi: Nhà hàng Biển Xanh",
		"Số: 01/QĐ-UBND", "Về việc tạm dừng hoạt động của cơ sở", "Tạm dừng hoạt động đối với cơ sở Quán Gió", "04 lần nhắc nhở")
	checkMargins(t, path)
}

func writeTo(path string, p Part) error {
	var b bytes.Buffer
	if err := WriteDocument(&b, p); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// parseWords reads AmountInWords output back into a number, to check the
// wording over the whole range 0 … 999,999,999,999.
func parseWords(s string) int64 {
	s = strings.TrimSuffix(strings.ToLower(s), " đồng")
	digits := map[string]int64{"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "lăm": 5,
		"sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
	var total, acc, group, cur int64
	for _, w := range strings.Fields(s) {
		if d, ok := digits[w]; ok {
			cur = d
			continue
		}
		switch w {
		case "trăm":
			group += cur * 100
		case "mươi":
			group += cur * 10
		case "mười":
			group += 10
		case "linh":
		case "nghìn":
			acc += (group + cur) * 1000
			group = 0
		case "triệu":
			acc += (group + cur) * 1_000_000
			group = 0
		case "tỷ":
			total = (total + acc + group + cur) * 1_000_000_000
			acc, group = 0, 0
		default:
			return -1
		}
		cur = 0
	}
	return total + acc + group + cur
}

func TestAmountInWordsRoundTripsOverTheRange(t *testing.T) {
	check := func(n int64) {
		if got := parseWords(AmountInWords(n)); got != n {
			t.Fatalf("%d → %q → %d", n, AmountInWords(n), got)
		}
	}
	for n := int64(0); n <= 2000; n++ {
		check(n)
	}
	r := rand.New(rand.NewPCG(6, 6))
	for i := 0; i < 20000; i++ {
		check(r.Int64N(1_000_000_000_000))
		// Numbers with many zero groups exercise "không trăm" and "linh".
		check(int64(r.IntN(1000))*1_000_000_000 + int64(r.IntN(10))*1_000_000 + int64(r.IntN(100)))
	}
	check(999_999_999_999)
}

// BenchmarkRecordDoc measures rendering one MBB01 record to PDF.
func BenchmarkRecordDoc(b *testing.B) {
	doc := sampleRecordDoc()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := WriteDocument(&buf, doc); err != nil {
			b.Fatal(err)
		}
	}
}
