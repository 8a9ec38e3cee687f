package main

import (
	"os"
	"time"

	"qrward/data"
)

func init() {
	register(command{name: "units import", summary: "cli.units.summary", run: runUnitsImport})
}

func runUnitsImport(e *env, args []string) error {
	fs := e.flags("units import", "cli.units.usage", true)
	id := fs.String("id", "", "dataset id")
	name := fs.String("name", "", "dataset name")
	from := fs.String("valid-from", "", "YYYY-MM-DD")
	after := fs.String("after", "", "predecessor dataset id")
	use := fs.Bool("use", false, "make it the current dataset")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return e.usageError(fs, "cli.import.need_file")
	}
	validFrom, err := time.Parse("2006-01-02", *from)
	if err != nil {
		return e.usageError(fs, "cli.units.bad_date", *from)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return data.Errorf(data.ENotFound, "err.file_open", fs.Arg(0))
	}
	defer f.Close()
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	res, err := s.ImportUnitDataset(ctx, data.UnitDataset{ID: *id, Name: *name, ValidFrom: validFrom, Source: fs.Arg(0)}, f, *after)
	if err != nil {
		return err
	}
	if *use {
		if err := s.SetCurrentUnits(ctx, *id); err != nil {
			return err
		}
	}
	if e.json {
		return e.printJSON(res)
	}
	e.say("cli.units.done", res.Provinces, res.Districts, res.Wards, res.Lineage)
	return nil
}
