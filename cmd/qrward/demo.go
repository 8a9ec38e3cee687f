package main

import (
	"fmt"
	"os"

	"qrward/data/demo"
)

func init() {
	register(command{name: "demo", summary: "cli.demo.summary", run: runDemo})
}

func runDemo(e *env, args []string) error {
	fs := e.flags("demo", "cli.demo.usage", true)
	seed := fs.Uint64("seed", 2021, "seed")
	checkins := fs.Int("checkins", 300_000, "check-ins")
	venues := fs.Int("venues-per-ward", 600, "venues per ward")
	days := fs.Int("days", 21, "days")
	district := fs.String("district", "492", "district code")
	replace := fs.Bool("replace", false, "replace")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *checkins < 0 || *venues <= 0 || *days <= 0 {
		return e.usageError(fs, "cli.demo.bad_size")
	}
	if *replace {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(e.dbPath + suffix); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := demo.Generate(ctxWithInterrupt(), s, demo.Options{
		Seed: *seed, DistrictCode: *district, VenuesPerWard: *venues, Checkins: *checkins, Days: *days,
		Progress: func(phase string, done, total int) {
			switch {
			case e.json:
			case phase == "index":
				e.progress("cli.demo.progress.index")
			default:
				e.progress("cli.demo.progress."+phase, done, total)
			}
		},
	})
	if !e.json {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]any{"db": e.dbPath, "wards": res.Wards, "venues": res.Venues,
			"people": res.People, "checkins": res.Checkins, "cases": res.Cases, "seconds": res.Elapsed.Seconds(),
			"index_seconds": res.IndexElapsed.Seconds()})
	}
	e.say("cli.demo.done", e.dbPath, res.Wards, res.Venues, res.People, res.Checkins, res.Cases, res.Elapsed.Seconds())
	return nil
}
