package main

import (
	"fmt"
	"os"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/venuefile"
)

func init() {
	register(command{name: "import venues", summary: "cli.import.summary", run: runImportVenues})
}

type importReport struct {
	File     string       `json:"file"`
	Valid    int          `json:"valid"`
	Invalid  int          `json:"invalid"`
	Imported int          `json:"imported"`
	DryRun   bool         `json:"dry_run"`
	Errors   []rowProblem `json:"errors"`
}

type rowProblem struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func runImportVenues(e *env, args []string) error {
	fs := e.flags("import venues", "cli.import.usage", true)
	dryRun := fs.Bool("dry-run", false, "dry run")
	skipInvalid := fs.Bool("skip-invalid", false, "skip invalid rows")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return e.usageError(fs, "cli.import.need_file")
	}
	path := fs.Arg(0)
	format, err := venuefile.FormatFromName(path)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return data.Errorf(data.ENotFound, "err.file_open", path)
	}
	defer f.Close()
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	preview, err := venuefile.Read(f, format, s.Units(), venuefile.ReadOptions{Context: ctx, Progress: func(done, total int) {
		if !e.json {
			e.progress("cli.import.progress", done, total)
		}
	}})
	if !e.json {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	idx, err := s.VenueIndex(ctx)
	if err != nil {
		return err
	}
	existing := map[string]bool{}
	for i := 0; i < idx.Len(); i++ {
		existing[idx.Row(i).Code] = true
	}
	preview.CheckExisting(func(code string) bool { return existing[code] })

	rep := importReport{File: path, Invalid: preview.ErrorCount(), DryRun: *dryRun, Errors: []rowProblem{}}
	valid := preview.Valid()
	rep.Valid = len(valid)
	for _, r := range preview.Rows {
		for _, p := range r.Problems {
			rep.Errors = append(rep.Errors, rowProblem{r.Line, p.Field, i18n.Field(p)})
		}
	}
	if !e.json {
		for _, w := range preview.Warnings {
			fmt.Fprintln(e.stderr, i18n.T("cli.import.warning", i18n.T(w.Key, w.Args...)))
		}
		for _, p := range rep.Errors {
			fmt.Fprintln(e.stderr, i18n.T("cli.import.row_error", p.Line, i18n.T("field."+p.Field), p.Message))
		}
	}
	switch {
	case *dryRun:
		if !e.json {
			e.say("cli.import.dry_run", rep.Valid, rep.Invalid)
		}
	case rep.Invalid > 0 && !*skipInvalid:
		if e.json {
			e.printJSON(rep)
		}
		return data.Errorf(data.EInvalid, "cli.import.refused", rep.Invalid)
	default:
		if err := s.ImportVenues(ctx, valid, nil); err != nil {
			return err
		}
		rep.Imported = len(valid)
		if !e.json {
			e.say("cli.import.done", rep.Imported, rep.Invalid)
		}
	}
	if e.json {
		return e.printJSON(rep)
	}
	return nil
}
