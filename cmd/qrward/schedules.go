package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

func init() {
	register(command{name: "inspections schedule", summary: "cli.schedule_add.summary", run: runScheduleAdd})
	register(command{name: "inspections round", summary: "cli.round.summary", run: runRound})
	register(command{name: "citizen-report add", summary: "cli.report_add.summary", run: runCitizenReportAdd})
}

// runScheduleAdd plans an inspection schedule as the Đà Nẵng letter's
// Phụ lục I and II show it: area, time, team, focal contacts.
func runScheduleAdd(e *env, args []string) error {
	fs := e.flags("inspections schedule", "cli.schedule_add.usage", true)
	ward := fs.String("ward", "", i18n.T("flag.ward"))
	area := fs.String("area", "", "area")
	start := fs.String("start", "", "YYYY-MM-DD HH:MM")
	var members, contacts listFlag
	fs.Var(&members, "member", "NAME|AGENCY|ROLE")
	fs.Var(&contacts, "contact", "AGENCY|NAME|POSITION|PHONE")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	starts, err := time.ParseInLocation("2006-01-02 15:04", *start, time.Local)
	if err != nil {
		return e.usageError(fs, "cli.units.bad_date", *start)
	}
	sc := inspect.Schedule{WardCode: *ward, Area: *area, StartsAt: starts}
	for _, m := range members {
		p := append(strings.Split(m, "|"), "", "", "")
		sc.Team = append(sc.Team, inspect.TeamMember{Name: p[0], Agency: p[1], Role: p[2]})
	}
	for _, c := range contacts {
		p := append(strings.Split(c, "|"), "", "", "", "")
		sc.Contacts = append(sc.Contacts, inspect.Contact{Agency: p[0], Name: p[1], Position: p[2], Phone: p[3]})
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SaveSchedule(ctxWithInterrupt(), &sc); err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]any{"id": sc.ID})
	}
	e.say("cli.schedule_add.done", sc.ID.String())
	return nil
}

// runRound proposes venues for a schedule's round by the chosen reasons
// and, with --assign, assigns them to a team.
func runRound(e *env, args []string) error {
	fs := e.flags("inspections round", "cli.round.usage", true)
	scheduleID := fs.String("schedule", "", "schedule id")
	var f inspect.RoundFilter
	fs.StringVar(&f.WardCode, "ward", "", i18n.T("flag.ward"))
	fs.StringVar(&f.Category, "category", "", i18n.T("flag.category"))
	fs.IntVar(&f.SilentDays, "silent", 0, i18n.T("flag.silent"))
	fs.BoolVar(&f.OpenViolations, "open-violations", false, "")
	fs.BoolVar(&f.Reinspection, "reinspection", false, "")
	fs.BoolVar(&f.NeverVisited, "never-visited", false, "")
	fs.BoolVar(&f.CitizenReports, "citizen-reports", false, "")
	fs.IntVar(&f.Limit, "limit", 30, i18n.T("flag.limit"))
	team := fs.String("team", "", "team")
	assign := fs.Bool("assign", false, "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	cands, err := s.ProposeVenues(ctx, f)
	if err != nil {
		return err
	}
	if *assign {
		id, err := data.ParseID(*scheduleID)
		if err != nil {
			return err
		}
		if err := s.AssignVenues(ctx, id, *team, cands); err != nil {
			return err
		}
	}
	if e.json {
		return e.printJSON(cands)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, c := range cands {
		var reasons []string
		for _, r := range c.Reasons {
			reasons = append(reasons, i18n.T("reason."+r))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Venue.Code, c.Venue.Name, strings.Join(reasons, ", "))
	}
	tw.Flush()
	e.say("cli.round.done", len(cands))
	return nil
}

func runCitizenReportAdd(e *env, args []string) error {
	fs := e.flags("citizen-report add", "cli.report_add.usage", false)
	venue := fs.String("venue", "", i18n.T("flag.venue"))
	channel := fs.String("channel", "app", strings.Join(sqlite.ReportChannels, "|"))
	summary := fs.String("summary", "", i18n.T("field.summary"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	v, err := s.VenueByCode(ctx, *venue)
	if err != nil {
		return err
	}
	r := &sqlite.CitizenReport{VenueID: v.ID, Channel: *channel, Summary: *summary}
	if err := s.AddCitizenReport(ctx, r); err != nil {
		return err
	}
	e.say("cli.report_add.done", v.Code)
	return nil
}
