package trace

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

// Vietnam is the zone tracing lists are printed in (UTC+7, no daylight
// saving): officials read wall-clock times there whatever the machine.
var Vietnam = time.FixedZone("ICT", 7*3600)

// TimeLayout is how times appear in lists and files.
const TimeLayout = "02/01/2006 15:04"

// FollowUp is a tracer's record of contacting a person on a list.
type FollowUp struct {
	CaseID   data.ID `json:"case_id"`
	PersonID data.ID `json:"person_id"`
	Level    int     `json:"level"`
	Called   bool    `json:"called"`
	Reached  bool    `json:"reached"`
	Isolated bool    `json:"isolated"`
	Tested   bool    `json:"tested"`
	Note     string  `json:"note,omitempty"`
}

// FollowUpSteps are the follow-up steps in display order (translation
// keys "trace.followup.<step>").
var FollowUpSteps = []string{"called", "reached", "isolated", "tested"}

// Steps lists the follow-up steps done, in order ("called", "reached",
// "isolated", "tested"); translation keys are "trace.followup.<step>".
func (f FollowUp) Steps() []string {
	var out []string
	for _, s := range []struct {
		done bool
		name string
	}{{f.Called, "called"}, {f.Reached, "reached"}, {f.Isolated, "isolated"}, {f.Tested, "tested"}} {
		if s.done {
			out = append(out, s.name)
		}
	}
	return out
}

// Translate turns a message key and arguments into text (i18n.T).
type Translate func(key string, args ...any) string

// Row is one printable line of a tracing list.
type Row struct {
	No          int       `json:"no"`
	Level       int       `json:"level"`
	PersonID    data.ID   `json:"person_id"`
	Name        string    `json:"name"`
	Phone       string    `json:"phone"`
	BirthYear   string    `json:"birth_year"`
	VenueCode   string    `json:"venue_code"`
	VenueName   string    `json:"venue_name"`
	F0Time      time.Time `json:"f0_time"`
	ContactTime time.Time `json:"contact_time"`
	ContactOut  time.Time `json:"contact_out"`
	Visits      int       `json:"visits"`
	Via         string    `json:"via,omitempty"` // the F1's name, for F2
	Reason      string    `json:"reason"`
	FollowUp    FollowUp  `json:"follow_up"`
}

// Rows turns a result into printable rows: F1 first, then F2, with names
// and phones from people and the reason in words.
func Rows(res *Result, people map[data.ID]data.Person, follow map[data.ID]FollowUp, t Translate) []Row {
	var out []Row
	add := func(c Contact, visits []Visit, rule Profile) {
		p, e := people[c.PersonID], c.Reason()
		r := Row{No: len(out) + 1, Level: c.Level, PersonID: c.PersonID, Name: p.FullName, Phone: p.Phone,
			F0Time:      time.Unix(e.F0In, 0).In(Vietnam),
			ContactTime: time.Unix(e.ContactIn, 0).In(Vietnam), ContactOut: time.Unix(e.ContactOut, 0).In(Vietnam),
			Visits: len(c.Exposures), Reason: Reason(c, visits, rule, t), FollowUp: follow[c.PersonID]}
		if len(p.BirthDate) >= 4 {
			r.BirthYear = p.BirthDate[:4]
		}
		if e.Visit < len(visits) {
			r.VenueCode, r.VenueName = visits[e.Visit].VenueCode, visits[e.Visit].VenueName
		}
		if !c.Via.IsZero() {
			r.Via = people[c.Via].FullName
		}
		out = append(out, r)
	}
	for _, c := range res.F1 {
		add(c, res.Visits, res.Profile)
	}
	if res.F2Rule != nil {
		for _, c := range res.F2 {
			add(c, res.F1Visits, *res.F2Rule)
		}
	}
	return out
}

// Reason explains in words why a contact is on the list, e.g. "Quét mã
// lúc 10:05, sau F0 5 phút (cùng địa điểm, trong ±60 phút)".
func Reason(c Contact, visits []Visit, rule Profile, t Translate) string {
	e := c.Reason()
	in := time.Unix(e.ContactIn, 0).In(Vietnam).Format("15:04")
	var s string
	if rule.Method == MethodScanWindow {
		d := e.DeltaSeconds / 60
		switch {
		case d > 0:
			s = t("trace.reason.scan_after", in, d, rule.WindowMinutes)
		case d < 0:
			s = t("trace.reason.scan_before", in, -d, rule.WindowMinutes)
		default:
			s = t("trace.reason.scan_same", in, rule.WindowMinutes)
		}
	} else {
		out := time.Unix(e.ContactOut, 0).In(Vietnam).Format("15:04")
		s = t("trace.reason.overlap", in, out, (e.OverlapSeconds+59)/60)
	}
	if e.Visit < len(visits) && visits[e.Visit].Source == VisitManual {
		s += " " + t("trace.reason.manual")
	}
	if len(c.Exposures) > 1 {
		s += " " + t("trace.reason.more_visits", len(c.Exposures)-1)
	}
	return s
}

// followUpText lists the follow-up steps done, translated.
func followUpText(f FollowUp, t Translate) string {
	s := ""
	for i, step := range f.Steps() {
		if i > 0 {
			s += ", "
		}
		s += t("trace.followup." + step)
	}
	return s
}

// Columns are the list's column headers (translation keys), shared by the
// PDF and XLSX outputs.
var Columns = []string{"trace.col.no", "trace.col.level", "trace.col.name", "trace.col.birth_year", "trace.col.phone",
	"trace.col.venue", "trace.col.f0_time", "trace.col.contact_time", "trace.col.reason", "trace.col.via", "trace.col.followup"}

// Cells returns a row's cells in Columns order, as text.
func (r Row) Cells(t Translate) []string {
	return []string{strconv.Itoa(r.No), "F" + strconv.Itoa(r.Level), r.Name, r.BirthYear, r.Phone, r.VenueName,
		r.F0Time.Format(TimeLayout), r.ContactTime.Format(TimeLayout), r.Reason, r.Via, followUpText(r.FollowUp, t)}
}

// WriteXLSX writes the list as a one-sheet workbook with a header row,
// times as real dates and phones as text.
func WriteXLSX(w io.Writer, title string, rows []Row, t Translate) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t("trace.xlsx.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	date, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy hh:mm")})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	for i, wd := range []float64{6, 6, 26, 8, 14, 30, 17, 17, 50, 22, 24} {
		sw.SetColWidth(i+1, i+1, wd)
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: title}}); err != nil {
		return err
	}
	header := make([]any, len(Columns))
	for i, k := range Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: t(k)}
	}
	if err := sw.SetRow("A2", header); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		// Excel has no time zones: write Vietnam wall-clock times.
		wall := func(tm time.Time) time.Time {
			return time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), 0, time.UTC)
		}
		if err := sw.SetRow(cell, []any{r.No, "F" + strconv.Itoa(r.Level), r.Name, r.BirthYear,
			excelize.Cell{StyleID: text, Value: r.Phone}, r.VenueName,
			excelize.Cell{StyleID: date, Value: wall(r.F0Time)}, excelize.Cell{StyleID: date, Value: wall(r.ContactTime)},
			r.Reason, r.Via, followUpText(r.FollowUp, t)}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

func ptr[T any](v T) *T { return &v }

// Call-list message keys tell the automated call centre which recorded
// message to play.
const (
	MessageF1 = "f1_notice"
	MessageF2 = "f2_notice"
)

// CallListHeader is the call list's header row. The file is UTF-8 with a
// byte-order mark (so Excel shows the diacritics), comma-separated, one
// row per person with a valid mobile number, phones normalised to
// 0XXXXXXXXX (a spreadsheet should import that column as text to keep the
// leading zero), times "YYYY-MM-DD HH:MM" in Vietnam.
var CallListHeader = []string{"name", "phone", "venue", "time", "message_key"}

// WriteCalls writes the call list and returns how many rows were written
// and how many people were left out for want of a valid mobile number.
func WriteCalls(w io.Writer, rows []Row) (written, noPhone int, err error) {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	if err := cw.Write(CallListHeader); err != nil {
		return 0, 0, err
	}
	for _, r := range rows {
		phone, perr := data.NormalizePhone(r.Phone)
		if r.Phone == "" || perr != nil {
			noPhone++
			continue
		}
		msg := MessageF1
		if r.Level == 2 {
			msg = MessageF2
		}
		if err := cw.Write([]string{r.Name, phone, r.VenueName, r.ContactTime.In(Vietnam).Format("2006-01-02 15:04"), msg}); err != nil {
			return written, noPhone, err
		}
		written++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return written, noPhone, err
	}
	if err := bw.Flush(); err != nil {
		return written, noPhone, fmt.Errorf("call list: %w", err)
	}
	return written, noPhone, nil
}
