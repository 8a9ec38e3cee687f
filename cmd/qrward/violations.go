package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/inspect/printout"
	"qrward/data/sqlite"
)

func init() {
	register(command{name: "violations list", summary: "cli.violations_list.summary", run: runViolationsList})
	register(command{name: "violations export", summary: "cli.violations_export.summary", run: runViolationsExport})
	register(command{name: "violations step", summary: "cli.violations_step.summary", run: runViolationsStep})
	register(command{name: "inspections export", summary: "cli.inspections_export.summary", run: runInspectionsExport})
}

// violationJSON is one register line for scripts (no personal data).
type violationJSON struct {
	ID         string `json:"id"`
	VenueCode  string `json:"venue_code"`
	VenueName  string `json:"venue_name"`
	WardCode   string `json:"ward_code"`
	RuleID     string `json:"rule_id"`
	Amount     int64  `json:"amount"`
	Status     string `json:"status"`
	FoundAt    string `json:"found_at"`
	Reminders  int    `json:"reminders"`
	ExplainDue string `json:"explain_due,omitempty"`
}

func registerFlags(e *env, name, usage string, withJSON bool) (*flag.FlagSet, *sqlite.RegisterFilter) {
	fs := e.flags(name, usage, withJSON)
	f := &sqlite.RegisterFilter{}
	fs.StringVar(&f.WardCode, "ward", "", i18n.T("flag.ward"))
	fs.StringVar(&f.Status, "status", "", i18n.T("flag.violation_status"))
	fs.StringVar(&f.RuleID, "rule", "", i18n.T("flag.rule"))
	fs.BoolVar(&f.OpenOnly, "open", false, i18n.T("flag.open_only"))
	return fs, f
}

func runViolationsList(e *env, args []string) error {
	fs, f := registerFlags(e, "violations list", "cli.violations_list.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	vs, err := s.Violations(ctxWithInterrupt(), *f)
	if err != nil {
		return err
	}
	if e.json {
		out := make([]violationJSON, len(vs))
		for i, v := range vs {
			out[i] = violationJSON{v.ID.String(), v.VenueCode, v.VenueName, v.WardCode, v.RuleID, v.Amount, v.Status,
				v.FoundAt.Format(time.RFC3339), v.Reminders, ""}
			if v.ExplainDue != nil {
				out[i].ExplainDue = v.ExplainDue.Format("2006-01-02")
			}
		}
		return e.printJSON(out)
	}
	w := bufio.NewWriter(e.stdout)
	for _, v := range vs {
		fmt.Fprintf(w, "%s  %s  %-28.28s  %-22s  %12s  %s\n", v.ID, v.FoundAt.Format("02/01/2006"), v.VenueName,
			i18n.T("vstatus."+v.Status), formatAmount(v.Amount), v.RuleID)
	}
	return w.Flush()
}

func formatAmount(n int64) string {
	s := fmt.Sprint(n)
	out := ""
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out += "."
		}
		out += string(c)
	}
	return out
}

func runViolationsExport(e *env, args []string) error {
	fs, f := registerFlags(e, "violations export", "cli.violations_export.usage", false)
	out := fs.String("out", "", i18n.T("flag.out"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	file, err := os.Create(*out)
	if err != nil {
		return data.Errorf(data.EInternal, "err.file_create", *out)
	}
	n, err := printout.WriteRegisterXLSX(ctxWithInterrupt(), s, file, *f)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	e.say("cli.violations_export.done", n, *out)
	return nil
}

// runViolationsStep applies one lifecycle step headless (batch jobs, and
// offices without the window on the machine that prints).
func runViolationsStep(e *env, args []string) error {
	fs := e.flags("violations step", "cli.violations_step.usage", true)
	id := fs.String("id", "", i18n.T("flag.doc_id"))
	in := sqlite.StepInput{}
	fs.StringVar(&in.Action, "action", "", i18n.T("flag.action"))
	fs.StringVar(&in.By, "by", "", i18n.T("flag.by"))
	fs.StringVar(&in.Note, "note", "", i18n.T("flag.note"))
	fs.StringVar(&in.SignerRole, "signer-role", "", i18n.T("flag.signer_role"))
	fs.StringVar(&in.Signer.Name, "signer-name", "", i18n.T("flag.signer_name"))
	fs.StringVar(&in.Signer.Title, "signer-title", "", i18n.T("flag.signer_title"))
	fs.Int64Var(&in.Amount, "amount", 0, i18n.T("flag.amount"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *id == "" || in.Action == "" {
		fs.Usage()
		return errUsage
	}
	vid, err := data.ParseID(*id)
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.ApplyStep(ctxWithInterrupt(), vid, in)
	if err != nil {
		return err
	}
	if e.json {
		out := map[string]any{"status": res.Violation.Status, "event": res.Event.ID.String()}
		if res.Document != nil {
			out["document"], out["number"] = res.Document.ID.String(), res.Document.NumberText()
		}
		return e.printJSON(out)
	}
	e.say("cli.violations_step.done", inspect.Term("vstatus."+res.Violation.Status))
	if res.Document != nil {
		e.say("cli.violations_step.document", res.Document.NumberText(), res.Document.ID)
	}
	return nil
}

func runInspectionsExport(e *env, args []string) error {
	fs := e.flags("inspections export", "cli.inspections_export.usage", false)
	sid, out, err := e.parseIDOut(fs, args)
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	file, err := os.Create(out)
	if err != nil {
		return data.Errorf(data.EInternal, "err.file_create", out)
	}
	err = printout.WriteScheduleXLSX(ctxWithInterrupt(), s, file, sid)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	e.say("cli.inspections_export.done", out)
	return nil
}
