package main

import (
	"qrward/assets/i18n"
	"qrward/data/stats"
)

func init() {
	register(command{name: "sms-list", summary: "cli.smslist.summary", run: runSMSList})
}

func runSMSList(e *env, args []string) error {
	fs := e.flags("sms-list", "cli.smslist.usage", true)
	sf := addStatsFlags(fs)
	out := fs.String("out", "", i18n.T("flag.out"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	q, err := sf.query(s)
	if err != nil {
		return err
	}
	list, err := stats.Reminders(ctxWithInterrupt(), s, q, nil)
	if err != nil {
		return err
	}
	if e.json && *out == "" {
		return e.printJSON(list)
	}
	personalOut(e, out) // owners' phone numbers
	w, closeOut, err := output(e, *out)
	if err != nil {
		return err
	}
	if err := stats.WriteCSV(w, list.Rows); err != nil {
		closeOut()
		return err
	}
	if err := closeOut(); err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		e.say("cli.smslist.done", len(list.Rows), list.NoPhone)
	} else {
		e.progress("cli.smslist.done", len(list.Rows), list.NoPhone)
	}
	return nil
}
