package stats

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"strings"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
)

// SMSRow is one reminder for an SMS gateway.
type SMSRow struct {
	Phone     string   `json:"phone"`
	VenueCode string   `json:"venue_code"`
	VenueName string   `json:"venue_name"`
	Owner     string   `json:"owner"`
	Ward      string   `json:"ward"`
	Reasons   []string `json:"reasons"`
	Message   string   `json:"message"`
}

// SMSList is the reminder list and how many owners could not be texted.
type SMSList struct {
	Rows    []SMSRow `json:"rows"`
	NoPhone int      `json:"no_phone"`
}

// Reminders builds the reminders for the venues of q that are silent or
// not compliant: one per venue whose owner has a valid mobile, the message
// (Vietnamese: it goes to venue owners) naming the office and the venue;
// owners without a valid mobile are counted. only, if not nil, limits the
// list to those venues (the dashboard's selection).
func Reminders(ctx context.Context, s *sqlite.Store, q sqlite.StatsQuery, only map[data.ID]bool) (SMSList, error) {
	venues, err := s.ReminderVenues(ctx, q)
	if err != nil {
		return SMSList{}, err
	}
	office, _ := s.Setting(ctx, "office.name")
	if office == "" {
		office = "UBND"
	}
	list := SMSList{Rows: []SMSRow{}}
	for _, rv := range venues {
		if only != nil && !only[rv.ID] {
			continue
		}
		v, err := s.Venue(ctx, rv.ID)
		if err != nil {
			return list, err
		}
		phone, perr := data.NormalizePhone(v.OwnerPhone)
		if v.OwnerPhone == "" || perr != nil {
			list.NoPhone++
			continue
		}
		ward := rv.Ward
		if u, ok := s.Units().Ward(rv.Ward); ok {
			ward = u.FullName()
		}
		// SMS are short: the message names the first (most pressing) reason.
		args := []any{office, v.Name}
		if rv.Reasons[0] == sqlite.ReminderSilent {
			args = append(args, q.SilentDays)
		}
		list.Rows = append(list.Rows, SMSRow{Phone: phone, VenueCode: v.Code, VenueName: v.Name, Owner: v.OwnerName,
			Ward: ward, Reasons: rv.Reasons, Message: i18n.TIn("vi", "report.sms."+rv.Reasons[0], args...)})
	}
	return list, nil
}

// SMSHeader is the gateway file's header row.
var SMSHeader = []string{"phone", "venue_code", "venue_name", "owner", "ward", "reasons", "message"}

// WriteCSV writes the gateway file: UTF-8 with a byte-order mark (Excel
// shows the diacritics), comma-separated, phones as 0XXXXXXXXX, reasons
// joined by ';'.
func WriteCSV(w io.Writer, rows []SMSRow) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Write(SMSHeader)
	for _, r := range rows {
		cw.Write([]string{r.Phone, r.VenueCode, r.VenueName, r.Owner, r.Ward, strings.Join(r.Reasons, ";"), r.Message})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
