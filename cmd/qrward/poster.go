package main

import (
	"fmt"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/posters"
	"qrward/reports"
)

func init() {
	register(command{name: "print poster", summary: "cli.print_poster.summary", run: runPrintPoster})
	register(command{name: "print posters", summary: "cli.print_posters.summary", run: runPrintPosters})
}

func runPrintPoster(e *env, args []string) error { return printPosters(e, "print poster", args, false) }

func runPrintPosters(e *env, args []string) error {
	return printPosters(e, "print posters", args, true)
}

// printPosters writes venue QR posters: one venue (--venue ID or code) or
// every venue of a ward (--ward CODE) or of the replica (--all).
func printPosters(e *env, name string, args []string, many bool) error {
	fs := e.flags(name, "cli."+map[bool]string{false: "print_poster", true: "print_posters"}[many]+".usage", false)
	venue := fs.String("venue", "", i18n.T("flag.venue"))
	ward := fs.String("ward", "", i18n.T("flag.ward"))
	all := fs.Bool("all", false, i18n.T("flag.all"))
	a5 := fs.Bool("a5", false, i18n.T("flag.a5"))
	reissue := fs.Bool("reissue", false, i18n.T("flag.reissue"))
	out := fs.String("out", "", i18n.T("flag.out"))
	pf := passphraseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" || (!many && *venue == "") || (many && *ward == "" && !*all) {
		fs.Usage()
		return errUsage
	}
	pass, err := readPassphrase(*pf)
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	key, err := s.OfficeKey(ctx, pass)
	if err != nil {
		return err
	}
	var ids []data.ID
	if many {
		if *ward != "" {
			if _, ok := s.Units().Ward(*ward); !ok {
				return data.Errorf(data.ENotFound, "err.ward_unknown", *ward)
			}
		}
		rows, err := s.SearchVenues(ctx, data.VenueFilter{WardCode: *ward})
		if err != nil {
			return err
		}
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
	} else {
		v, err := s.VenueByCode(ctx, *venue)
		if data.ErrorCode(err) == data.ENotFound {
			if id, perr := data.ParseID(*venue); perr == nil {
				v, err = s.Venue(ctx, id)
			}
		}
		if err != nil {
			return err
		}
		ids = []data.ID{v.ID}
	}
	w, closeOut, err := output(e, *out)
	if err != nil {
		return err
	}
	size := reports.PaperA4
	if *a5 {
		size = reports.PaperA5
	}
	err = posters.Write(ctx, s, key, posters.Request{Venues: ids, Reissue: *reissue, Size: size,
		Progress: func(done, total int) { e.progress("cli.print_posters.progress", done, total) }}, w)
	fmt.Fprintln(e.stderr)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	e.say("cli.print_posters.done", len(ids), *out)
	return nil
}
