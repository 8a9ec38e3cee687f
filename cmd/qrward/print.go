package main

import (
	"bytes"
	"os"
	"strings"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/inspect/printout"
)

// qrward print record|decision|reminder|suspension|inspection|schedule
// --id … and print notices --date …: the same PDFs as the window, headless.
func init() {
	for _, kind := range []string{inspect.DocRecord, inspect.DocDecision, inspect.DocReminder, inspect.DocSuspension, inspect.DocInspection} {
		kind := kind
		register(command{name: "print " + kind, summary: "cli.print_doc.summary",
			run: func(e *env, args []string) error { return runPrintDocument(e, kind, args) }})
	}
	register(command{name: "print schedule", summary: "cli.print_schedule.summary", run: runPrintSchedule})
	register(command{name: "print notices", summary: "cli.print_notices.summary", run: runPrintNotices})
}

func runPrintDocument(e *env, kind string, args []string) error {
	fs := e.flags("print "+kind, "cli.print_doc.usage", false)
	parsed, out, err := e.parseIDOut(fs, args)
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	doc, err := printout.Find(ctx, s, kind, parsed)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := printout.Write(ctx, s, &buf, doc); err != nil {
		return err
	}
	return writeOut(e, out, buf.Bytes(), 1)
}

func runPrintSchedule(e *env, args []string) error {
	fs := e.flags("print schedule", "cli.print_schedule.usage", false)
	parsed, out, err := e.parseIDOut(fs, args)
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	var buf bytes.Buffer
	if err := printout.WriteSchedule(ctxWithInterrupt(), s, &buf, parsed); err != nil {
		return err
	}
	return writeOut(e, out, buf.Bytes(), 1)
}

// runPrintNotices prints every document of the given kinds issued on one
// day into one PDF, for the clerk to print and sign in one go.
func runPrintNotices(e *env, args []string) error {
	fs := e.flags("print notices", "cli.print_notices.usage", false)
	day := fs.String("date", "", i18n.T("flag.date"))
	kinds := fs.String("kinds", "reminder,suspension", i18n.T("flag.kinds"))
	out := fs.String("out", "", i18n.T("flag.out"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *day == "" || *out == "" {
		fs.Usage()
		return errUsage
	}
	when, err := time.ParseInLocation("2006-01-02", *day, time.Local)
	if err != nil {
		return e.usageError(fs, "err.date_format", *day)
	}
	var list []string
	for _, k := range strings.Split(*kinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			if inspect.DocSymbol(k) == "" {
				return e.usageError(fs, "err.value_unknown", k)
			}
			list = append(list, k)
		}
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	docs, err := s.DocumentsIssuedOn(ctx, when, list...)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := printout.Write(ctx, s, &buf, docs...); err != nil {
		return err
	}
	return writeOut(e, *out, buf.Bytes(), len(docs))
}

func writeOut(e *env, path string, pdf []byte, n int) error {
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		return data.Errorf(data.EInternal, "err.file_create", path)
	}
	e.say("cli.print_doc.done", n, path)
	return nil
}
