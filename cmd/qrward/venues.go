package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
)

func init() {
	register(command{name: "venues search", summary: "cli.venues_search.summary", run: runVenuesSearch})
}

// venueJSON is the stable JSON shape of a venue row.
type venueJSON struct {
	ID            data.ID    `json:"id"`
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	Category      string     `json:"category"`
	Address       string     `json:"address"`
	WardCode      string     `json:"ward_code"`
	WardName      string     `json:"ward_name"`
	OwnerPhone    string     `json:"owner_phone"`
	ControlMethod string     `json:"control_method"`
	Status        string     `json:"status"`
	HasQR         bool       `json:"has_qr"`
	LastCheckinAt *time.Time `json:"last_checkin_at"`
}

func runVenuesSearch(e *env, args []string) error {
	fs := e.flags("venues search", "cli.venues_search.usage", true)
	var f data.VenueFilter
	fs.StringVar(&f.WardCode, "ward", "", i18n.T("flag.ward"))
	fs.StringVar(&f.Category, "category", "", i18n.T("flag.category"))
	fs.StringVar(&f.Status, "status", "", i18n.T("flag.status"))
	fs.StringVar(&f.ControlMethod, "control", "", i18n.T("flag.control"))
	hasQR := fs.String("has-qr", "", i18n.T("flag.has_qr"))
	fs.IntVar(&f.SilentDays, "silent", 0, i18n.T("flag.silent"))
	limit := fs.Int("limit", 50, i18n.T("flag.limit"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	f.Query = strings.Join(fs.Args(), " ")
	switch *hasQR {
	case "":
	case "yes", "true", "1":
		t := true
		f.HasQR = &t
	case "no", "false", "0":
		t := false
		f.HasQR = &t
	default:
		return e.usageError(fs, "cli.bad_bool", "--has-qr", *hasQR)
	}
	if f.Category != "" {
		if _, ok := data.CategoryByKey(f.Category); !ok {
			return e.usageError(fs, "err.category_unknown", f.Category)
		}
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := s.SearchVenues(ctxWithInterrupt(), f)
	if err != nil {
		return err
	}
	total := len(rows)
	if *limit > 0 && len(rows) > *limit {
		rows = rows[:*limit]
	}
	if e.json {
		out := make([]venueJSON, len(rows))
		for i, r := range rows {
			out[i] = venueJSON{r.ID, r.Code, r.Name, r.Category, r.Address, r.WardCode, r.WardName, r.OwnerPhone,
				r.ControlMethod, r.Status, r.HasQR, r.LastCheckinAt}
		}
		return e.printJSON(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("cli.venues_search.header"))
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Code, r.Name, i18n.T("category."+r.Category), r.Address,
			r.WardName, i18n.T("status."+r.Status))
	}
	tw.Flush()
	e.say("cli.venues_search.count", len(rows), total)
	return nil
}
