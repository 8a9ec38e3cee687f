package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"qrward/assets/i18n"
	"qrward/data/protect"

	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/venuefile"
)

func init() {
	register(command{name: "export venues", summary: "cli.export.summary", run: runExportVenues})
	register(command{name: "template venues", summary: "cli.template.summary", run: runTemplateVenues})
}

func parseFormat(e *env, name string) (venuefile.Format, bool) {
	switch name {
	case "csv":
		return venuefile.CSV, true
	case "xlsx":
		return venuefile.XLSX, true
	}
	return 0, false
}

// output opens --out, or stdout for "-"/"" (CSV only: XLSX is binary).
func output(e *env, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, data.Errorf(data.EInternal, "err.file_create", path)
	}
	bw := bufio.NewWriter(f)
	return bw, func() error {
		if err := bw.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

func runExportVenues(e *env, args []string) error {
	fs := e.flags("export venues", "cli.export.usage", false)
	formatName := fs.String("format", "csv", "csv|xlsx")
	out := fs.String("out", "", "file")
	removableOK := fs.Bool("removable-ok", false, i18n.T("flag.removable_ok"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	format, ok := parseFormat(e, *formatName)
	if !ok || (format == venuefile.XLSX && (*out == "" || *out == "-")) {
		return e.usageError(fs, "cli.export.bad_format", *formatName)
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	// Owners' names and phones make the list personal data.
	if *out != "" && *out != "-" && s.Require(data.PermViewPersonal) == nil {
		*out = protect.PersonalFileName(*out)
		if protect.OnRemovableMedia(filepath.Dir(*out)) && !*removableOK {
			return data.Errorf(data.EUnauthorized, "err.removable_refused", *out)
		}
	}
	w, closeOut, err := output(e, *out)
	if err != nil {
		return err
	}
	n, err := exportVenues(ctxWithInterrupt(), s, w, format)
	if err == nil {
		err = s.Audit(ctxWithInterrupt(), "export_venues", "venue", "", fmt.Sprintf(`{"rows":%d}`, n))
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		e.say("cli.export.done", n, *out)
	}
	return nil
}

// exportVenues streams every venue of the replica into a venue file.
func exportVenues(ctx context.Context, s *sqlite.Store, w io.Writer, format venuefile.Format) (int, error) {
	venues := make(chan data.Venue, 256)
	errc := make(chan error, 1)
	go func() {
		errc <- s.Venues(ctx, func(v data.Venue) error {
			select {
			case venues <- v:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(venues)
	}()
	n := 0
	next := func() (data.Venue, bool, error) {
		v, ok := <-venues
		if ok {
			n++
		}
		return v, ok, nil
	}
	wardName := func(code string) string {
		if w, ok := s.Units().Ward(code); ok {
			return w.FullName()
		}
		return ""
	}
	err := venuefile.Export(w, format, next, wardName)
	for range venues { // drain if Export stopped early
	}
	if werr := <-errc; err == nil {
		err = werr
	}
	return n, err
}

func runTemplateVenues(e *env, args []string) error {
	fs := e.flags("template venues", "cli.template.usage", false)
	formatName := fs.String("format", "xlsx", "csv|xlsx")
	out := fs.String("out", "", "file")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	format, ok := parseFormat(e, *formatName)
	if !ok || (format == venuefile.XLSX && (*out == "" || *out == "-")) {
		return e.usageError(fs, "cli.export.bad_format", *formatName)
	}
	w, closeOut, err := output(e, *out)
	if err != nil {
		return err
	}
	if err := venuefile.WriteTemplate(w, format); err != nil {
		closeOut()
		return err
	}
	return closeOut()
}

// personalOut marks a file of personal data in its name and warns when
// it is going to a USB stick or memory card ("" and "-" are stdout).
func personalOut(e *env, path *string) {
	if *path == "" || *path == "-" {
		return
	}
	*path = protect.PersonalFileName(*path)
	if protect.OnRemovableMedia(filepath.Dir(*path)) {
		fmt.Fprintln(e.stderr, i18n.T("cli.removable_warning", *path))
	}
}
