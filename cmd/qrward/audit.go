package main

import (
	"encoding/csv"
	"strconv"

	"qrward/data"
)

func init() {
	register(command{name: "audit verify", summary: "cli.audit_verify.summary", run: runAuditVerify})
	register(command{name: "audit export", summary: "cli.audit_export.summary", run: runAuditExport})
}

func runAuditVerify(e *env, args []string) error {
	fs := e.flags("audit verify", "cli.audit_verify.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Require(data.PermAudit); err != nil {
		return err
	}
	n, problem, err := s.VerifyAudit(ctxWithInterrupt())
	if err != nil {
		return err
	}
	if e.json {
		e.printJSON(map[string]any{"checked": n, "ok": problem == nil, "problem": problem})
	}
	if problem != nil {
		return data.Errorf(data.ECorrupt, "err.audit_broken", problem.Seq, problem.Reason)
	}
	if !e.json {
		e.say("cli.audit_verify.ok", n)
	}
	return nil
}

func runAuditExport(e *env, args []string) error {
	fs := e.flags("audit export", "cli.audit_export.usage", true)
	limit := fs.Int("limit", 1000, "limit")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.AuditLog(ctxWithInterrupt(), *limit)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(entries)
	}
	w := csv.NewWriter(e.stdout)
	w.Write([]string{"seq", "time", "actor", "action", "entity", "entity_id", "detail"})
	for _, r := range entries {
		w.Write([]string{strconv.FormatInt(r.Seq, 10), r.Time.Format("2006-01-02 15:04:05"), r.Actor, r.Action, r.Entity, r.EntityID, r.Detail})
	}
	w.Flush()
	return w.Error()
}
