package main

import (
	"strings"

	"qrward/data/syncclient"
)

func init() {
	register(command{name: "bundle export", summary: "cli.bundle.export.summary", run: runBundleExport})
	register(command{name: "bundle import", summary: "cli.bundle.import.summary", run: runBundleImport})
}

// runBundleExport writes the outbox to a file for the district (USB).
func runBundleExport(e *env, args []string) error {
	fs := e.flags("bundle export", "cli.bundle.export.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return e.usageError(fs, "cli.bundle.file_missing")
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := syncclient.ExportBundle(ctxWithInterrupt(), s, fs.Arg(0))
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(rep)
	}
	e.say("cli.bundle.export.done", fs.Arg(0), rep.Rows, rep.FromSeq, rep.ToSeq)
	return nil
}

// runBundleImport applies a file from the district hub.
func runBundleImport(e *env, args []string) error {
	fs := e.flags("bundle import", "cli.bundle.import.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return e.usageError(fs, "cli.bundle.file_missing")
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := syncclient.ImportBundle(ctxWithInterrupt(), s, fs.Arg(0))
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(rep)
	}
	if rep.Already {
		e.say("cli.bundle.import.already", fs.Arg(0))
		return nil
	}
	var n int64
	for _, x := range rep.Applied {
		n += x
	}
	e.say("cli.bundle.import.done", fs.Arg(0), n, len(rep.Applied), strings.Join(rep.Snapshots, ", "), rep.AckedSeq)
	return nil
}
