package reports

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // photo evidence
	_ "image/png"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// The documents of inspections and violations: the violation record
// (MBB01), the penalty decision (MQĐ02), the reminder, the suspension
// decision, the inspection record with its checklist and photos, and the
// inspection schedule appendix (Phụ lục I and II). Each is a plain input
// struct; Write* renders one, WriteBatch several in one PDF (each from a
// fresh page, with its own page numbers).

// Party is a person acting in an official role (record maker, witness).
type Party struct {
	Name, Title, Agency string
}

func (p Party) line() string {
	s := p.Name
	if p.Title != "" {
		s += ", chức vụ: " + p.Title
	}
	if p.Agency != "" {
		s += ", cơ quan: " + p.Agency
	}
	return s
}

// IndividualViolator is an individual violator (MBB01 item 7a). Empty
// fields print as dotted blanks to fill by hand.
type IndividualViolator struct {
	Name, Sex, BirthDate, Nationality, Occupation, Residence string
	IDNumber, IDIssuedOn, IDIssuedBy                         string
}

// OrganisationViolator is an organisation violator (MBB01 item 7b).
type OrganisationViolator struct {
	Name, Address, EnterpriseCode, Licence, Representative, RepresentativeTitle string
}

// Violator is either an individual or an organisation.
type Violator struct {
	Individual   *IndividualViolator
	Organisation *OrganisationViolator
}

// Name is the violator's name as the documents cite it.
func (v Violator) Name() string {
	if v.Organisation != nil {
		return v.Organisation.Name
	}
	if v.Individual != nil {
		return v.Individual.Name
	}
	return ""
}

const blank = "……………………"

func orBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return blank
	}
	return s
}

func (v Violator) paragraphs(d *Document) {
	if o := v.Organisation; o != nil {
		d.Para(ParaStyle{}, T("Tên tổ chức: "), B(orBlank(o.Name)), T("."))
		d.Paragraphf("Địa chỉ trụ sở chính: %s.", orBlank(o.Address))
		d.Paragraphf("Mã số doanh nghiệp: %s. Số giấy chứng nhận đăng ký hoặc giấy phép: %s.", orBlank(o.EnterpriseCode), orBlank(o.Licence))
		d.Paragraphf("Người đại diện theo pháp luật: %s. Chức danh: %s.", orBlank(o.Representative), orBlank(o.RepresentativeTitle))
		return
	}
	p := v.Individual
	if p == nil {
		p = &IndividualViolator{}
	}
	d.Para(ParaStyle{}, T("Họ và tên: "), B(orBlank(p.Name)), T(". Giới tính: "+orBlank(p.Sex)+"."))
	d.Paragraphf("Ngày, tháng, năm sinh: %s. Quốc tịch: %s.", orBlank(p.BirthDate), orBlank(p.Nationality))
	d.Paragraphf("Nghề nghiệp: %s.", orBlank(p.Occupation))
	d.Paragraphf("Nơi ở hiện tại: %s.", orBlank(p.Residence))
	d.Paragraphf("Số định danh cá nhân/CMND/Hộ chiếu: %s; ngày cấp: %s; nơi cấp: %s.", orBlank(p.IDNumber), orBlank(p.IDIssuedOn), orBlank(p.IDIssuedBy))
}

// clock writes "09 giờ 30 phút, ngày 05/01/2026".
func clock(t time.Time) string {
	if t.IsZero() {
		return "…… giờ …… phút, ngày ……/……/………"
	}
	return fmt.Sprintf("%02d giờ %02d phút, ngày %s", t.Hour(), t.Minute(), t.Format("02/01/2006"))
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "……/……/………"
	}
	return t.Format("02/01/2006")
}

// Part is one document of a batch.
type Part interface {
	// render draws the document from the current page on.
	render(d *Document)
	title() string
}

// RecordDoc is a violation record (biên bản vi phạm hành chính, form
// MBB01 of Nghị định 118/2021/NĐ-CP) with every field of the form.
type RecordDoc struct {
	Header DocHeader
	Field  string // "y tế dự phòng": the "Về …" line
	// Time and place the record is made, and why not at the scene.
	MadeAt           time.Time
	MadePlace        string
	NotAtSceneReason string
	Basis            string // optional: e.g. the inspection record
	Makers           []Party
	Witnesses        []Party
	Violator         Violator
	Act              string // the behaviour, e.g. the rule's act
	ViolationAt      time.Time
	ViolationPlace   string
	Description      string
	Provision        string // "khoản 2 Điều 14 Nghị định số 117/2020/NĐ-CP"
	Injured          string
	Statement        string // violator's
	WitnessStatement string
	InjuredStatement string
	Measures         string     // preventive measures
	Exhibits         [][]string // name, unit, quantity, kind, condition, note
	ExplainTo        string     // body the explanation goes to
	HearingDue       time.Time
	ExplainDue       time.Time
	ClosedAt         time.Time
	Sheets, Copies   int
	NoSignReason     string
}

func (r RecordDoc) title() string { return "Biên bản vi phạm hành chính" }

func (r RecordDoc) render(d *Document) {
	d.Header(r.Header)
	field := r.Field
	if field == "" {
		field = "y tế dự phòng"
	}
	d.Title("BIÊN BẢN VI PHẠM HÀNH CHÍNH", "Về "+field)
	d.Paragraphf("Hôm nay, hồi %s, tại %s.", clock(r.MadeAt), orBlank(r.MadePlace))
	if r.NotAtSceneReason != "" {
		d.Paragraphf("Lý do lập biên bản không tại nơi xảy ra vi phạm: %s.", r.NotAtSceneReason)
	}
	if r.Basis != "" {
		d.Para(ParaStyle{}, I("Căn cứ: "+r.Basis+"."))
	}
	d.Para(ParaStyle{}, B("Chúng tôi gồm:"))
	for i, m := range r.Makers {
		d.Paragraphf("%d. %s.", i+1, m.line())
	}
	if len(r.Makers) == 0 {
		d.Paragraphf("1. Họ và tên: %s, chức vụ: %s, cơ quan: %s.", blank, blank, blank)
	}
	d.Para(ParaStyle{}, B("Với sự chứng kiến của:"))
	for i, w := range r.Witnesses {
		d.Paragraphf("%d. %s.", i+1, w.line())
	}
	if len(r.Witnesses) == 0 {
		d.Paragraphf("Họ và tên: %s, nghề nghiệp/chức vụ: %s, nơi ở/cơ quan: %s.", blank, blank, blank)
	}
	d.Para(ParaStyle{}, B("Tiến hành lập biên bản vi phạm hành chính đối với:"))
	r.Violator.paragraphs(d)
	d.Paragraphf("Đã có hành vi vi phạm hành chính: %s.", strings.TrimRight(orBlank(r.Act), "."))
	d.Paragraphf("Cụ thể: vào lúc %s, tại %s, %s.", clock(r.ViolationAt), orBlank(r.ViolationPlace), strings.TrimRight(orBlank(r.Description), "."))
	d.Paragraphf("Quy định tại: %s.", orBlank(r.Provision))
	d.Paragraphf("Cá nhân/tổ chức bị thiệt hại: %s.", orBlank(r.Injured))
	d.Paragraphf("Ý kiến trình bày của cá nhân/người đại diện của tổ chức vi phạm: %s.", orBlank(r.Statement))
	d.Paragraphf("Ý kiến trình bày của đại diện chính quyền, người chứng kiến: %s.", orBlank(r.WitnessStatement))
	d.Paragraphf("Ý kiến trình bày của cá nhân/tổ chức bị thiệt hại: %s.", orBlank(r.InjuredStatement))
	d.Paragraph("Chúng tôi đã yêu cầu cá nhân/tổ chức vi phạm chấm dứt ngay hành vi vi phạm.")
	measures := r.Measures
	if measures == "" {
		measures = "không áp dụng"
	}
	d.Paragraphf("Các biện pháp ngăn chặn và bảo đảm xử lý vi phạm hành chính được áp dụng: %s.", measures)
	d.Paragraph("Tang vật, phương tiện, giấy phép, chứng chỉ hành nghề bị tạm giữ:")
	rows := r.Exhibits
	if len(rows) == 0 {
		rows = [][]string{{"", "Không", "", "", "", ""}}
	}
	var table [][]string
	for i, ex := range rows {
		row := append([]string{strconv.Itoa(i + 1)}, ex...)
		if len(rows) == 1 && ex[1] == "Không" {
			row[0] = ""
		}
		table = append(table, row)
	}
	d.Table(Table{FontSize: 11, Columns: []Column{
		{Header: "STT", Width: 11, Align: AlignCenter}, {Header: "Tên tang vật, phương tiện, giấy phép"},
		{Header: "Đơn vị tính", Width: 18, Align: AlignCenter}, {Header: "Số lượng", Width: 16, Align: AlignRight},
		{Header: "Chủng loại", Width: 20}, {Header: "Tình trạng", Width: 20}, {Header: "Ghi chú", Width: 20},
	}, Rows: table})
	to := orBlank(r.ExplainTo)
	d.Para(ParaStyle{}, T("Quyền và thời hạn giải trình: cá nhân/tổ chức vi phạm "), B("có quyền giải trình"),
		T(fmt.Sprintf(" (điều 61 Luật Xử lý vi phạm hành chính). Trong thời hạn 02 ngày làm việc kể từ ngày lập biên bản (đến hết ngày %s), có quyền gửi văn bản yêu cầu giải trình trực tiếp đến %s; trong thời hạn 05 ngày làm việc kể từ ngày lập biên bản (đến hết ngày %s), có quyền gửi văn bản giải trình đến %s.",
			dateText(r.HearingDue), to, dateText(r.ExplainDue), to)))
	sheets, copies := r.Sheets, r.Copies
	if copies < 2 {
		copies = 2
	}
	sheetText := "……"
	if sheets > 0 {
		sheetText = fmt.Sprintf("%02d", sheets)
	}
	d.Paragraphf("Biên bản lập xong hồi %s, gồm %s tờ, được lập thành %02d bản có nội dung và giá trị như nhau; đã giao cho cá nhân/tổ chức vi phạm 01 bản, 01 bản lưu hồ sơ. Biên bản đã được đọc lại cho những người có tên trên cùng nghe, công nhận là đúng và cùng ký tên dưới đây.",
		clock(r.ClosedAt), sheetText, copies)
	if r.NoSignReason != "" {
		d.Paragraphf("Lý do người vi phạm/đại diện không ký biên bản: %s.", r.NoSignReason)
	}
	maker := ""
	if len(r.Makers) > 0 {
		maker = r.Makers[0].Name
	}
	witness := ""
	if len(r.Witnesses) > 0 {
		witness = r.Witnesses[0].Name
	}
	d.Signatures(
		Signature{Title: "NGƯỜI VI PHẠM", Note: "(Ký, ghi rõ họ tên)", Name: r.Violator.Name(), Space: 20},
		Signature{Title: "NGƯỜI CHỨNG KIẾN", Note: "(Ký, ghi rõ họ tên)", Name: witness, Space: 20},
		Signature{Title: "NGƯỜI LẬP BIÊN BẢN", Note: "(Ký, ghi rõ họ tên)", Name: maker, Space: 20},
	)
}

// DecisionDoc is a penalty decision (quyết định xử phạt vi phạm hành
// chính, form MQĐ02).
type DecisionDoc struct {
	Header DocHeader
	// Decider is the sanctioning title in caps, e.g. "CHỦ TỊCH ỦY BAN NHÂN
	// DÂN QUẬN HẢI CHÂU".
	Decider      string
	Bases        []string // legal bases, each one line
	RecordNumber string   // "05/BB-VPHC"
	RecordDate   time.Time
	Violator     Violator
	Act          string
	Provision    string
	Circumstance string // mitigating/aggravating circumstances
	Amount       int64
	Remedies     string
	PayPlace     string
	PayDays      int // default 10
	Effective    time.Time
	Signature    Signature
	Recipients   []string
}

func (r DecisionDoc) title() string { return "Quyết định xử phạt vi phạm hành chính" }

func (r DecisionDoc) render(d *Document) {
	d.Header(r.Header)
	d.Title(KindDecision, "Xử phạt vi phạm hành chính")
	d.Heading(upper(r.Decider))
	bases := r.Bases
	if len(bases) == 0 {
		bases = []string{
			"Căn cứ Luật Xử lý vi phạm hành chính ngày 20 tháng 6 năm 2012; Luật sửa đổi, bổ sung một số điều của Luật Xử lý vi phạm hành chính ngày 13 tháng 11 năm 2020",
			"Căn cứ Nghị định số 117/2020/NĐ-CP ngày 28 tháng 9 năm 2020 của Chính phủ quy định xử phạt vi phạm hành chính trong lĩnh vực y tế",
		}
	}
	bases = append(bases, fmt.Sprintf("Căn cứ Biên bản vi phạm hành chính số %s lập ngày %s", orBlank(r.RecordNumber), dateText(r.RecordDate)))
	for i, b := range bases {
		end := ";"
		if i == len(bases)-1 {
			end = "."
		}
		d.Para(ParaStyle{}, I(strings.TrimRight(b, ";. ")+end))
	}
	d.Heading("QUYẾT ĐỊNH:")
	d.Para(ParaStyle{}, B("Điều 1. "), T("Xử phạt vi phạm hành chính đối với: "), B(orBlank(r.Violator.Name())), T("."))
	r.Violator.paragraphs(d)
	d.Paragraphf("1. Đã thực hiện hành vi vi phạm hành chính: %s.", strings.TrimRight(orBlank(r.Act), "."))
	d.Paragraphf("2. Quy định tại: %s.", orBlank(r.Provision))
	circ := r.Circumstance
	if circ == "" {
		circ = "không có"
	}
	d.Paragraphf("3. Các tình tiết tăng nặng, giảm nhẹ: %s.", circ)
	d.Para(ParaStyle{}, T("4. Bị áp dụng hình thức xử phạt chính: phạt tiền, mức phạt: "), B(FormatVND(r.Amount)+" đồng"),
		T(" (Bằng chữ: "+AmountInWords(r.Amount)+")."))
	rem := r.Remedies
	if rem == "" {
		rem = "không"
	}
	d.Paragraphf("5. Biện pháp khắc phục hậu quả: %s.", rem)
	eff := "kể từ ngày ký"
	if !r.Effective.IsZero() {
		eff = "kể từ ngày " + dateText(r.Effective)
	}
	days := r.PayDays
	if days <= 0 {
		days = 10
	}
	d.Para(ParaStyle{}, B("Điều 2. "), T("Quyết định này có hiệu lực thi hành "+eff+"."))
	d.Paragraphf("Cá nhân/tổ chức bị xử phạt phải nghiêm chỉnh chấp hành Quyết định này trong thời hạn %02d ngày kể từ ngày nhận được Quyết định; nộp tiền phạt tại %s. Quá thời hạn trên mà không chấp hành thì bị cưỡng chế thi hành theo quy định của pháp luật.",
		days, orBlank(r.PayPlace))
	d.Paragraph("Cá nhân/tổ chức bị xử phạt có quyền khiếu nại hoặc khởi kiện hành chính đối với Quyết định này theo quy định của pháp luật.")
	d.Para(ParaStyle{}, B("Điều 3. "), T("Giao Quyết định này cho cá nhân/tổ chức bị xử phạt để chấp hành; gửi cơ quan thu tiền phạt và các cơ quan liên quan để tổ chức thực hiện."))
	rec := r.Recipients
	if len(rec) == 0 {
		rec = []string{"Như Điều 3"}
	}
	d.Footer(Footer{Recipients: rec, Archive: "Hồ sơ", Signature: r.Signature})
}

// ReminderDoc is a reminder notice (thông báo nhắc nhở) to a venue that
// has not paid or not remedied.
type ReminderDoc struct {
	Header         DocHeader
	Recipient      string // the venue and its owner
	Address        string
	Count          int // this is the Count-th reminder
	DecisionNumber string
	DecisionDate   time.Time
	Act            string
	Deadline       time.Time
	Warning        string // e.g. the suspension threshold
	Signature      Signature
	Recipients     []string
}

func (r ReminderDoc) title() string { return "Thông báo nhắc nhở" }

func (r ReminderDoc) render(d *Document) {
	d.Header(r.Header)
	d.Title(KindNotice, fmt.Sprintf("Nhắc nhở thực hiện quyết định xử phạt (lần %d)", max(r.Count, 1)))
	d.KinhGui(orBlank(r.Recipient))
	d.Paragraphf("Địa chỉ: %s.", orBlank(r.Address))
	d.Paragraphf("Ngày %s, cơ sở đã bị xử phạt theo Quyết định số %s về hành vi: %s. Đến nay cơ sở chưa chấp hành đầy đủ quyết định.",
		dateText(r.DecisionDate), orBlank(r.DecisionNumber), strings.TrimRight(orBlank(r.Act), "."))
	d.Paragraphf("Ủy ban nhân dân yêu cầu cơ sở nộp tiền phạt, khắc phục vi phạm (bố trí người và thiết bị quét mã QR cho 100%% người đến, niêm yết mã QR địa điểm đúng quy định) và báo cáo kết quả trước ngày %s.", dateText(r.Deadline))
	if r.Warning != "" {
		d.Paragraph(r.Warning)
	}
	d.Footer(Footer{Recipients: append([]string{"Như trên"}, r.Recipients...), Archive: "Hồ sơ", Signature: r.Signature})
}

// SuspensionDoc is a decision to suspend a venue (quyết định tạm dừng
// hoạt động) after repeated non-compliance.
type SuspensionDoc struct {
	Header         DocHeader
	Decider        string
	Bases          []string
	Venue          string
	Address        string
	Owner          string
	DecisionNumber string
	DecisionDate   time.Time
	Reminders      int
	Reason         string
	From           time.Time
	Signature      Signature
	Recipients     []string
}

func (r SuspensionDoc) title() string { return "Quyết định tạm dừng hoạt động" }

func (r SuspensionDoc) render(d *Document) {
	d.Header(r.Header)
	d.Title(KindDecision, "Về việc tạm dừng hoạt động của cơ sở")
	d.Heading(upper(r.Decider))
	bases := append([]string{"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
		"Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007"}, r.Bases...)
	bases = append(bases, fmt.Sprintf("Căn cứ Quyết định xử phạt vi phạm hành chính số %s ngày %s và %d lần nhắc nhở không được chấp hành",
		orBlank(r.DecisionNumber), dateText(r.DecisionDate), r.Reminders))
	for i, b := range bases {
		end := ";"
		if i == len(bases)-1 {
			end = "."
		}
		d.Para(ParaStyle{}, I(b+end))
	}
	d.Heading("QUYẾT ĐỊNH:")
	d.Para(ParaStyle{}, B("Điều 1. "), T("Tạm dừng hoạt động đối với cơ sở "), B(orBlank(r.Venue)),
		T(", địa chỉ: "+orBlank(r.Address)+", chủ cơ sở: "+orBlank(r.Owner)+", kể từ ngày "+dateText(r.From)+
			" cho đến khi khắc phục xong vi phạm, ký cam kết và được Ủy ban nhân dân kiểm tra lại, cho phép hoạt động trở lại."))
	d.Paragraphf("Lý do: %s.", strings.TrimRight(orBlank(r.Reason), "."))
	d.Para(ParaStyle{}, B("Điều 2. "), T("Quyết định này có hiệu lực kể từ ngày ký. Chủ cơ sở có quyền khiếu nại, khởi kiện theo quy định của pháp luật."))
	d.Para(ParaStyle{}, B("Điều 3. "), T("Chủ cơ sở và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này."))
	d.Footer(Footer{Recipients: append([]string{"Như Điều 3"}, r.Recipients...), Archive: "Hồ sơ", Signature: r.Signature})
}

// ChecklistRow is one answered item of an inspection record.
type ChecklistRow struct {
	Text, Answer, Note string
}

// Photo is one evidence photo (PNG or JPEG bytes) with its caption.
type Photo struct {
	Caption string
	Image   []byte
}

// InspectionDoc is the record of one visit (biên bản kiểm tra) with its
// checklist and photos.
type InspectionDoc struct {
	Header     DocHeader
	At         time.Time
	Place      string
	GPS        string
	Team       []Party
	Venue      string
	Address    string
	Category   string
	Owner      string
	Checklist  string // template title
	Rows       []ChecklistRow
	Poster     string // verdict on the posted QR, in words
	Conclusion string
	Photos     []Photo
}

func (r InspectionDoc) title() string { return "Biên bản kiểm tra" }

func (r InspectionDoc) render(d *Document) {
	d.Header(r.Header)
	d.Title("BIÊN BẢN KIỂM TRA", "Việc thực hiện quét mã QR và phòng, chống dịch COVID-19 tại cơ sở")
	d.Paragraphf("Hôm nay, hồi %s, tại %s.", clock(r.At), orBlank(r.Place))
	if r.GPS != "" {
		d.Paragraphf("Tọa độ nơi kiểm tra: %s.", r.GPS)
	}
	d.Para(ParaStyle{}, B("Đoàn kiểm tra gồm:"))
	for i, m := range r.Team {
		d.Paragraphf("%d. %s.", i+1, m.line())
	}
	d.Para(ParaStyle{}, B("Tiến hành kiểm tra cơ sở: "), T(orBlank(r.Venue)+"; loại hình: "+orBlank(r.Category)+"; địa chỉ: "+orBlank(r.Address)+"; chủ cơ sở: "+orBlank(r.Owner)+"."))
	if r.Poster != "" {
		d.Paragraphf("Kết quả quét mã QR địa điểm niêm yết: %s.", r.Poster)
	}
	d.Para(ParaStyle{}, B("Kết quả kiểm tra"), T(" ("+orBlank(r.Checklist)+"):"))
	var rows [][]string
	for i, row := range r.Rows {
		rows = append(rows, []string{strconv.Itoa(i + 1), row.Text, row.Answer, row.Note})
	}
	d.Table(Table{FontSize: 11, Columns: []Column{{Header: "STT", Width: 11, Align: AlignCenter}, {Header: "Nội dung kiểm tra"},
		{Header: "Kết quả", Width: 24, Align: AlignCenter}, {Header: "Ghi chú", Width: 45}}, Rows: rows})
	if r.Conclusion != "" {
		d.Para(ParaStyle{}, B("Kết luận: "), T(r.Conclusion))
	}
	if len(r.Photos) > 0 {
		d.Para(ParaStyle{}, B("Ảnh chụp làm bằng chứng:"))
		for i, p := range r.Photos {
			d.photo(fmt.Sprintf("inspection-photo-%d-%p", i, &r.Photos[i]), p)
		}
	}
	lead := ""
	if len(r.Team) > 0 {
		lead = r.Team[0].Name
	}
	d.Signatures(
		Signature{Title: "ĐẠI DIỆN CƠ SỞ", Note: "(Ký, ghi rõ họ tên)", Name: r.Owner, Space: 20},
		Signature{Title: "TRƯỞNG ĐOÀN KIỂM TRA", Note: "(Ký, ghi rõ họ tên)", Name: lead, Space: 20},
	)
}

// photo draws an image at most 80 mm high and the text width wide, with
// its caption under it; unreadable bytes print a note instead.
func (d *Document) photo(name string, p Photo) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Image))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		d.Paragraphf("(Ảnh “%s” không đọc được.)", p.Caption)
		return
	}
	typ := map[string]string{"png": "PNG", "jpeg": "JPG"}[format]
	if typ == "" {
		d.Paragraphf("(Ảnh “%s” không đọc được.)", p.Caption)
		return
	}
	w := d.textW * 0.6
	h := w * float64(cfg.Height) / float64(cfg.Width)
	if h > 80 {
		h, w = 80, 80*float64(cfg.Width)/float64(cfg.Height)
	}
	capH := lineHeight(12) * 2
	d.ensure(h + capH + 2)
	opts := fpdf.ImageOptions{ImageType: typ}
	d.pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(p.Image))
	x := d.m.Left + (d.textW-w)/2
	d.pdf.ImageOptions(name, x, d.y, w, h, false, opts, 0, "")
	d.y += h + 1
	d.Para(ParaStyle{Align: AlignCenter, Size: 12}, I(p.Caption))
}

// ScheduleRow is one line of Phụ lục I.
type ScheduleRow struct {
	Area, When, Team, Note string
}

// ContactRow is one line of Phụ lục II.
type ContactRow struct {
	Agency, Name, Position, Phone string
}

// ScheduleDoc is the appendix of an inspection plan: Phụ lục I (schedule:
// area, date and time, team) and Phụ lục II (focal contacts), as in the
// Đà Nẵng letter.
type ScheduleDoc struct {
	Header   *DocHeader // optional: the covering letter's header
	Ref      string     // "(Kèm theo Công văn số …/… ngày … của …)"
	Title    string     // Phụ lục I title
	Rows     []ScheduleRow
	Contacts []ContactRow
}

func (r ScheduleDoc) title() string { return "Lịch kiểm tra" }

func (r ScheduleDoc) render(d *Document) {
	if r.Header != nil {
		d.Header(*r.Header)
	}
	ref := r.Ref
	if ref == "" {
		ref = "(Kèm theo Công văn số …/… ngày … tháng … năm … )"
	}
	title := r.Title
	if title == "" {
		title = "LỊCH KIỂM TRA THỰC TẾ VIỆC TRIỂN KHAI QUÉT MÃ QR KHAI BÁO Y TẾ"
	}
	d.Para(ParaStyle{Align: AlignCenter, NoIndent: true}, B("Phụ lục I"))
	d.Para(ParaStyle{Align: AlignCenter, NoIndent: true}, B(upper(title)))
	d.Para(ParaStyle{Align: AlignCenter, NoIndent: true}, I(ref))
	var rows [][]string
	for i, s := range r.Rows {
		rows = append(rows, []string{strconv.Itoa(i + 1), s.Area, s.When, s.Team, s.Note})
	}
	d.Table(Table{FontSize: 12, Columns: []Column{{Header: "STT", Width: 11, Align: AlignCenter}, {Header: "Địa bàn"},
		{Header: "Ngày kiểm tra", Width: 32}, {Header: "Thành phần kiểm tra", Width: 50}, {Header: "Ghi chú", Width: 20}}, Rows: rows})
	d.Space(12)
	d.Para(ParaStyle{Align: AlignCenter, NoIndent: true}, B("Phụ lục II"))
	d.Para(ParaStyle{Align: AlignCenter, NoIndent: true}, B("ĐẦU MỐI PHỐI HỢP KIỂM TRA CÔNG TÁC TẠO, QUÉT MÃ QR KHAI BÁO Y TẾ CỦA ĐỊA ĐIỂM, CƠ SỞ TRÊN ĐỊA BÀN"))
	d.Para(ParaStyle{Align: AlignCenter, NoIndent: true}, I(ref))
	var crows [][]string
	for i, c := range r.Contacts {
		crows = append(crows, []string{strconv.Itoa(i + 1), c.Agency, c.Name, c.Position, c.Phone})
	}
	d.Table(Table{FontSize: 12, Columns: []Column{{Header: "STT", Width: 11, Align: AlignCenter}, {Header: "Cơ quan"},
		{Header: "Họ tên", Width: 38}, {Header: "Chức vụ", Width: 32}, {Header: "Số điện thoại", Width: 28}}, Rows: crows})
}

// WriteDocument renders one document to w.
func WriteDocument(w io.Writer, p Part) error { return WriteBatch(w, p) }

// WriteBatch renders several documents into one PDF (a clerk's batch of a
// day's notices): each starts on a new page and numbers its own pages
// from its second page, as if printed alone.
func WriteBatch(w io.Writer, parts ...Part) error {
	if len(parts) == 0 {
		return fmt.Errorf("reports: empty batch")
	}
	opts := DocOptions{Title: parts[0].title()}
	if len(parts) > 1 {
		opts.Title = fmt.Sprintf("%s và %d văn bản khác", parts[0].title(), len(parts)-1)
	}
	d := NewDocument(opts)
	first := 1 // page where the current document starts
	d.pdf.SetHeaderFunc(func() {
		if n := d.pdf.PageNo() - first + 1; n > 1 {
			lh := lineHeight(d.body)
			d.ts.textCenter(strconv.Itoa(n), "", d.body, d.m.Left+d.textW/2, (d.m.Top-lh)/2, lh)
		}
	})
	for i, p := range parts {
		if i > 0 {
			first = d.pdf.PageNo() + 1
			d.newPage()
		}
		p.render(d)
	}
	return d.Output(w)
}
