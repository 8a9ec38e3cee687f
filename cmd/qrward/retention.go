package main

func init() {
	register(command{name: "retention run", summary: "cli.retention_run.summary", run: runRetention})
	register(command{name: "retention set", summary: "cli.retention_set.summary", run: runRetentionSet})
}

// runRetention purges what outlived its retention period (the window
// does this at start and daily; this is for scheduled jobs).
func runRetention(e *env, args []string) error {
	fs := e.flags("retention run", "cli.retention_run.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Purge(ctxWithInterrupt())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(res)
	}
	e.say("cli.retention_run.done", res.Cutoff.Format("02/01/2006"), res.Checkins, res.TracingContacts+res.ManualVisits, res.Violations, res.People)
	return nil
}

func runRetentionSet(e *env, args []string) error {
	fs := e.flags("retention set", "cli.retention_set.usage", false)
	checkins := fs.Int("checkins-days", 21, "days")
	violations := fs.Int("violations-days", 5*365, "days")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetRetention(ctxWithInterrupt(), *checkins, *violations); err != nil {
		return err
	}
	e.say("cli.retention_set.done", *checkins, *violations)
	return nil
}
